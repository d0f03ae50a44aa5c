/**
 * Shared by the benchmarks: run a whole `node` process and measure it two ways, wall time and CPU
 * time (user + system of the process, read by a preloaded hook). On a loaded machine the wall
 * time of each run moves with whatever else runs; the CPU time much less.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), "cpu-usage.cjs");
const cpuFile = path.join(os.tmpdir(), `archlint-bench-cpu-${process.pid}`);

/** Runs `node <args>` in `cwd`; returns { ms, cpuMs, status, stdout, stderr }. */
export function runMeasured(args, cwd, env = {}) {
  fs.rmSync(cpuFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${JSON.stringify(hook)}`, ARCHLINT_BENCH_CPU: cpuFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = fs.existsSync(cpuFile) ? Number(fs.readFileSync(cpuFile, "utf8")) / 1000 : NaN;
  return { ms, cpuMs, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "median 812 ms  min 790 ms  | cpu median 1040 ms" for a list of runs. */
export function describeRuns(runs) {
  const ms = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  return `wall median ${median(ms).toFixed(0)} ms  min ${Math.min(...ms).toFixed(0)} ms  | cpu median ${median(cpu).toFixed(0)} ms  min ${Math.min(...cpu).toFixed(0)} ms`;
}

/** Ratios of two lists of runs: wall median, wall min, CPU median, CPU min. */
export function describeRatio(xs, ys) {
  const r = (f, key) => (f(xs.map((x) => x[key])) / f(ys.map((y) => y[key]))).toFixed(3);
  const min = (v) => Math.min(...v);
  return `wall median ${r(median, "ms")}  min ${r(min, "ms")}  | cpu median ${r(median, "cpuMs")}  min ${r(min, "cpuMs")}`;
}

/** `eslint -c <config> --format json src` in `cwd`, measured; throws on a crash (exit 2); counts findings by rule. */
export function runEslint(eslintBin, config, cwd) {
  const r = runMeasured([eslintBin, "-c", config, "--format", "json", "src"], cwd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  const findings = {};
  for (const f of JSON.parse(r.stdout)) for (const m of f.messages) findings[m.ruleId ?? "fatal"] = (findings[m.ruleId ?? "fatal"] ?? 0) + 1;
  return { ...r, findings };
}
