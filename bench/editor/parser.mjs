/**
 * archlint's PSL parser alone: `parseSchemaText` on the schema `run.mjs` generated
 * (bench/editor/.generated/prisma/schema.prisma; run that first), many times in one process,
 * each parse on a new string and its AST kept until the next (as the loader's cache keeps it).
 * Prints CPU time per parse (median, mean, p90; the mean includes the garbage collections the
 * parses cause) and the time the process spent in garbage collection per parse. Asserts nothing.
 *
 *   node bench/editor/parser.mjs          (after `pnpm build` and `node bench/editor/run.mjs`)
 *   BENCH_RUNS=200 BENCH_WARMUP=30 node bench/editor/parser.mjs
 */
import fs from "node:fs";
import path from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const schemaPath = path.join(here, ".generated", "prisma", "schema.prisma");
if (!fs.existsSync(schemaPath)) throw new Error(`${path.relative(root, schemaPath)} is missing: run \`node bench/editor/run.mjs\` first.`);
const runs = Number(process.env.BENCH_RUNS ?? 200);
const warmup = Number(process.env.BENCH_WARMUP ?? 30);

const { parseSchemaText } = await import(pathToFileURL(path.join(root, "packages/core/dist/index.js")).href);
const text = fs.readFileSync(schemaPath, "utf8");

let gcMs = 0;
let measuring = false;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (measuring) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

const cpu = [];
let ast = null;
for (let i = 0; i < warmup + runs; i++) {
  // A new string each time, as an edit makes: nothing cached by identity.
  const source = `${text}${" ".repeat(i % 3)}`;
  if (i === warmup) measuring = true;
  const start = process.cpuUsage();
  ast = parseSchemaText(source);
  const { user, system } = process.cpuUsage(start);
  if (i >= warmup) cpu.push((user + system) / 1000);
}
await new Promise((resolve) => setTimeout(resolve, 50));
if (ast.errors.length > 0) throw new Error(`the parser reported ${ast.errors.length} errors on the generated schema`);

const sorted = [...cpu].sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
console.log(
  `parseSchemaText, ${(text.length / 1024).toFixed(0)} KiB, ${text.split("\n").length} lines, ${runs} parses after ${warmup} warm-up, node ${process.version}`,
);
console.log(`CPU per parse: median ${at(0.5).toFixed(2)} ms, mean ${mean.toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms`);
console.log(`garbage collection per parse (wall-clock): ${(gcMs / runs).toFixed(2)} ms`);
