#!/usr/bin/env node
/**
 * `archlint map --format json` against `archlint check` on the same generated project (issue #16,
 * goal: map within 2x of check, under 1.5 GB peak RSS): bench/rules' generator (1,000 tRPC router
 * files, a service and a schema file each, a Fastify plugin per 5: 3,203 files by default), whole
 * processes, interleaved, median of N runs after a warm-up, wall and CPU time and peak RSS
 * (bench/lib/measure.mjs). Prints ratios; asserts nothing.
 *
 *   pnpm build && node bench/map/run.mjs      BENCH_ROUTERS=1000, BENCH_RUNS=3, BENCH_TYPED=0 (1: with the tsconfig's type information)
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateProject } from "../rules/generate.mjs";
import { describeRatio, describeRuns, runMeasured } from "../lib/measure.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "packages", "cli", "dist", "bin.js");
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), ".generated");
const routers = Number(process.env.BENCH_ROUTERS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const typed = process.env.BENCH_TYPED === "1";

const { files } = generateProject(dir, { routers });
const extra = typed ? [] : ["--no-type-check"];
const cases = {
  check: [bin, "check", "--format", "json", ...extra],
  map: [bin, "map", "--format", "json", ...extra],
};
console.log(`== ${files} files (${routers} router files), ${typed ? "typed (tsconfig)" : "syntax-only (--no-type-check)"}, ${runs} runs`);
const measured = { check: [], map: [] };
for (const args of Object.values(cases)) runMeasured(args, dir);
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const r = runMeasured(args, dir);
    if (name === "map" && r.status !== 0) throw new Error(`archlint map exited ${r.status}: ${r.stderr.split("\n")[0]}`);
    if (name === "map" && i === 0) {
      const map = JSON.parse(r.stdout);
      console.log(`map: ${map.endpoints.length} endpoints, ${map.services.length} services, ${map.models.length} models, ${map.unresolved.length} unresolved`);
    }
    measured[name].push(r);
  }
}
for (const [name, xs] of Object.entries(measured)) console.log(`${name.padEnd(6)} ${describeRuns(xs)}`);
console.log(`ratio map / check: ${describeRatio(measured.map, measured.check)}  (goal: <= 2, peak RSS < 1500 MB)`);
fs.rmSync(dir, { recursive: true, force: true });
