#!/usr/bin/env node
/**
 * `archlint map --format json` against `archlint check` on the same generated project (issue #16,
 * goal: map within 2x of check, under 1.5 GB peak RSS): bench/rules' generator (1,000 tRPC router
 * files, a service and a schema file each, a Fastify plugin per 5: 3,203 files by default), whole
 * processes, interleaved, median of N runs after a warm-up, wall and CPU time and peak RSS
 * (bench/lib/measure.mjs), syntax-only and typed (the generated tsconfig's type information).
 * Prints the ratios, the peak RSS of each and whether the map printed its progress on stderr
 * (runs over two seconds); asserts nothing.
 *
 *   pnpm build && node bench/map/run.mjs      BENCH_ROUTERS=1000, BENCH_RUNS=3, BENCH_TYPED=both (0: syntax-only, 1: typed)
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateProject } from "../rules/generate.mjs";
import { describeRatio, describeRuns, median, runMeasured } from "../lib/measure.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "packages", "cli", "dist", "bin.js");
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), ".generated");
const routers = Number(process.env.BENCH_ROUTERS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const typedSetting = process.env.BENCH_TYPED ?? "both";
const modes = typedSetting === "both" ? [false, true] : [typedSetting === "1"];
const RSS_GOAL_MB = 1500;

const { files } = generateProject(dir, { routers });
const summary = [];
for (const typed of modes) {
  const extra = typed ? [] : ["--no-type-check"];
  const cases = {
    check: [bin, "check", "--format", "json", ...extra],
    map: [bin, "map", "--format", "json", ...extra],
  };
  const mode = typed ? "typed (tsconfig)" : "syntax-only (--no-type-check)";
  console.log(`== ${files} files (${routers} router files), ${mode}, ${runs} runs after a warm-up`);
  const measured = { check: [], map: [] };
  for (const args of Object.values(cases)) runMeasured(args, dir);
  let progress = null;
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(cases)) {
      const r = runMeasured(args, dir);
      if (name === "map" && r.status !== 0) throw new Error(`archlint map exited ${r.status}: ${r.stderr.split("\n")[0]}`);
      if (name === "map" && i === 0) {
        const map = JSON.parse(r.stdout);
        console.log(
          `map: ${map.files.code} files (${map.files.typed} typed), ${map.endpoints.length} endpoints, ${map.services.length} services, ${map.models.length} models, ${map.unresolved.length} unresolved`,
        );
        // Not a terminal here: plain lines, the first after two seconds.
        const line = r.stderr.split("\n").find((l) => /^archlint map: \d+ files read$/.test(l));
        progress = r.ms > 2500 ? (line ? `yes ("${line}")` : "MISSING") : `run under 2.5 s (${r.ms.toFixed(0)} ms)`;
      }
      measured[name].push(r);
    }
  }
  for (const [name, xs] of Object.entries(measured)) console.log(`${name.padEnd(6)} ${describeRuns(xs)}`);
  const rss = Math.max(...measured.map.map((r) => r.rssMb));
  const cpuRatio = median(measured.map.map((r) => r.cpuMs)) / median(measured.check.map((r) => r.cpuMs));
  console.log(`ratio map / check: ${describeRatio(measured.map, measured.check)}  (goal: <= 2, peak RSS < ${RSS_GOAL_MB} MB)`);
  console.log(`progress on stderr: ${progress}`);
  summary.push(
    `${typed ? "typed      " : "syntax-only"}: map / check CPU ${cpuRatio.toFixed(2)}x (${cpuRatio <= 2 ? "within" : "OVER"} 2x), map peak RSS ${rss.toFixed(0)} MB (${rss < RSS_GOAL_MB ? "under" : "OVER"} ${RSS_GOAL_MB} MB; check ${Math.max(...measured.check.map((r) => r.rssMb)).toFixed(0)} MB)`,
  );
}
console.log(`\n== summary, ${files} files\n${summary.join("\n")}`);
fs.rmSync(dir, { recursive: true, force: true });
