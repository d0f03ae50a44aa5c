#!/usr/bin/env node
/**
 * Start-up: `archlint --version` and `archlint --help` against the floor, `node -e 0` (issue #17,
 * goal: within 2x). Whole processes, interleaved, median of N runs after a warm-up, wall and CPU
 * time (bench/lib/measure.mjs). Prints ratios; asserts nothing.
 *
 *   pnpm build && node bench/startup/run.mjs        BENCH_RUNS=20 (default)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeRatio, describeRuns, runMeasured } from "../lib/measure.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "packages", "cli", "dist", "bin.js");
const runs = Number(process.env.BENCH_RUNS ?? 20);
const cases = {
  "node -e 0": ["-e", "0"],
  "archlint --version": [bin, "--version"],
  "archlint --help": [bin, "--help"],
  "archlint check --help": [bin, "check", "--help"],
};
const measured = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) runMeasured(args, root);
for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(cases)) measured[k].push(runMeasured(args, root));
for (const [k, xs] of Object.entries(measured)) console.log(`${k.padEnd(24)} ${describeRuns(xs)}`);
for (const k of Object.keys(cases).slice(1))
  console.log(`${`ratio ${k} / node -e 0:`.padEnd(40)} ${describeRatio(measured[k], measured["node -e 0"])}  (goal: <= 2)`);
