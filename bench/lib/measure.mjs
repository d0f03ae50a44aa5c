/**
 * Shared by the benchmarks: run a whole `node` process and measure it two ways, wall time and CPU
 * time (user + system of the process, read by a preloaded hook). On a loaded machine the wall
 * time of each run moves with whatever else runs; the CPU time much less.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), "cpu-usage.cjs");
const cpuFile = path.join(os.tmpdir(), `archlint-bench-cpu-${process.pid}`);

/** Runs `node <args>` in `cwd`; returns { ms, cpuMs, rssMb (peak resident set), status, stdout, stderr }. */
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
  const [cpu, rss] = fs.existsSync(cpuFile) ? fs.readFileSync(cpuFile, "utf8").split(" ").map(Number) : [NaN, NaN];
  return { ms, cpuMs: cpu / 1000, rssMb: rss / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "wall median 812 ms  min 790 ms  | cpu median 1040 ms  min 1012 ms  | peak RSS 412 MB" for a list of runs. */
export function describeRuns(runs) {
  const ms = runs.map((r) => r.ms);
  const cpu = runs.map((r) => r.cpuMs);
  const rss = Math.max(...runs.map((r) => r.rssMb));
  return `wall median ${median(ms).toFixed(0)} ms  min ${Math.min(...ms).toFixed(0)} ms  | cpu median ${median(cpu).toFixed(0)} ms  min ${Math.min(...cpu).toFixed(0)} ms  | peak RSS ${rss.toFixed(0)} MB`;
}

/** Ratios of two lists of runs: wall median, wall min, CPU median, CPU min. */
export function describeRatio(xs, ys) {
  const r = (f, key) => (f(xs.map((x) => x[key])) / f(ys.map((y) => y[key]))).toFixed(3);
  const min = (v) => Math.min(...v);
  return `wall median ${r(median, "ms")}  min ${r(min, "ms")}  | cpu median ${r(median, "cpuMs")}  min ${r(min, "cpuMs")}`;
}

/**
 * BENCH_BASELINE: another built checkout of archlint to compare with (its
 * `packages/eslint-plugin/dist`); null when unset. Throws when it names no built plugin.
 */
export function baselinePlugin(root) {
  const named = process.env.BENCH_BASELINE;
  if (!named) return null;
  const dir = path.resolve(root, named);
  const dist = path.join(dir, "packages", "eslint-plugin", "dist");
  if (!fs.existsSync(path.join(dist, "index.js"))) throw new Error(`BENCH_BASELINE: ${dist}/index.js is missing: build that checkout first.`);
  return { dir, dist, url: pathToFileURL(path.join(dist, "index.js")).href };
}

/** "same findings (N)" or the per-file, per-rule differences between two runs of `runEslint`. */
export function compareFindings(current, baseline) {
  const key = (r) => new Map(r.results.flatMap((f) => f.messages.map((m) => [`${f.filePath}:${m.line}:${m.column} ${m.ruleId}`, m.message])));
  const now = key(current);
  const then = key(baseline);
  const added = [...now.keys()].filter((k) => !then.has(k));
  const removed = [...then.keys()].filter((k) => !now.has(k));
  const reworded = [...now.keys()].filter((k) => then.has(k) && then.get(k) !== now.get(k));
  if (added.length + removed.length + reworded.length === 0) return `findings identical to the baseline (${now.size})`;
  const list = (label, keys) => (keys.length ? `\n  ${label} ${keys.length}:\n    ${keys.slice(0, 20).join("\n    ")}` : "");
  return `findings differ from the baseline:${list("only now", added)}${list("only in the baseline", removed)}${list("reworded", reworded)}`;
}

/** `eslint -c <config> --format json src` in `cwd`, measured; throws on a crash (exit 2); counts findings by rule. */
export function runEslint(eslintBin, config, cwd) {
  const r = runMeasured([eslintBin, "-c", config, "--format", "json", "src"], cwd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  const findings = {};
  const results = JSON.parse(r.stdout);
  for (const f of results) for (const m of f.messages) findings[m.ruleId ?? "fatal"] = (findings[m.ruleId ?? "fatal"] ?? 0) + 1;
  return { ...r, findings, results };
}
