/**
 * Re-linting the open schema in a warm editor: how long after an (unsaved) edit of a 300-model
 * `schema.prisma` the editor has archlint's diagnostics. Goal: under 50 ms.
 *
 * One project (the generated schema of bench/schema, an `eslint.config.mjs` with archlint's
 * `recommended` preset), measured two ways, each in ONE warm process:
 *   - VS Code's ESLint language server (`vscode-eslint-language-server --stdio`): `didChange` with
 *     the full text, then a `textDocument/diagnostic` pull, timed from the client (round trip,
 *     the number an editor user waits for) and as the server reports it (`eslint/status`
 *     validationTime: its lint call alone, in whole ms);
 *   - the `ESLint` class: `lintText` on one instance.
 * Each edit adds or removes the `@@index` of one unindexed relation, so every lint sees new text
 * that Prisma must validate again and the finding count goes down and up by one (checked). Then
 * the main parts of one re-lint are timed alone on the same texts: Prisma's schema validator and
 * archlint's parser. Wall-clock times include waiting for a CPU, so CPU times are printed too
 * (the server's from /proc, as a mean). Prints medians and p90s; asserts nothing (a benchmark,
 * not a test).
 *
 *   node bench/editor/run.mjs          (after `pnpm build`; `pnpm bench:editor` builds first)
 *   BENCH_MODELS=300 BENCH_RUNS=30 BENCH_WARMUP=5 BENCH_SEED=1 node bench/editor/run.mjs
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { eslintServerScript, setUpEditorProject, startEslintServer } from "../../tests/editor/lsp.mjs";
import { generate } from "../schema/generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const models = Number(process.env.BENCH_MODELS ?? 300);
const seed = Number(process.env.BENCH_SEED ?? 1);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
const BUDGET_MS = 50;

for (const f of ["packages/eslint-plugin/dist/index.js", "packages/core/dist/index.js"]) {
  if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`pnpm build\` first.`);
}
const script = eslintServerScript(root);
if (!script) throw new Error("node_modules/vscode-langservers-extracted is missing: run `pnpm install` first.");

// --- the project: generated schema, one unindexed relation whose index the edits toggle
const { text: base, unindexed } = generate({ models, seed });
if (unindexed.length === 0) throw new Error("the generated schema has no unindexed relation to edit");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, "prisma"), { recursive: true });
const schemaPath = path.join(dir, "prisma", "schema.prisma");
fs.writeFileSync(schemaPath, base);
setUpEditorProject(root, dir);

// prisma-relation-index's default `order: "any"` takes an index with the relation's fields in another order (the generator's
// `wrong-order` composites) as serving it; the generator's ground truth reads them in order, as Prisma's warning does.
const findingsOnBase = unindexed.filter((u) => u.variant !== "wrong-order").length;
const target = unindexed[0];
const lines = base.split("\n");
const close = lines.findIndex((l, i) => i >= target.line && l.trim() === "}");
const withIndex = [...lines.slice(0, close), `  @@index([${target.fields.join(", ")}])`, ...lines.slice(close)].join("\n");
/**
 * Edit i: the index added (even i) or removed again (odd i), and a comment naming the edit at the
 * end, so every re-lint sees text it has not seen (archlint keeps the parse and Prisma's answer for
 * the text it last saw: without the comment, two texts alternating would be answered from there).
 */
const textAt = (i) => `${i % 2 === 0 ? withIndex : base}\n// edit ${i}\n`;
const expectedCount = (i) => findingsOnBase - (i % 2 === 0 ? 1 : 0);

/** User + system CPU time of process `pid` in ms (Linux /proc; null elsewhere). Clock-tick resolution: use over many runs. */
function processCpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}
const cpuMs = (start) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
const fmt = (x) => x.toFixed(1).padStart(8);
const rows = [];
function report(name, times) {
  rows.push([name, median(times), p90(times), Math.min(...times)]);
}
function check(where, i, count) {
  if (count !== expectedCount(i)) throw new Error(`${where}, edit ${i}: ${count} findings, expected ${expectedCount(i)}`);
}

// --- 1. the language server
let serverCpuPerLint = null;
const client = await startEslintServer(script, dir);
try {
  client.open(schemaPath, "prisma", base);
  let t = performance.now();
  const first = await client.diagnostics(schemaPath, 60_000);
  const coldMs = performance.now() - t;
  if (first.length !== findingsOnBase) {
    const log = client.notifications.filter((n) => n.method === "window/logMessage").map((n) => n.params.message);
    throw new Error(`language server: ${first.length} findings on the unedited schema, expected ${findingsOnBase}\n${log.join("\n")}`);
  }
  const roundTrip = [];
  const server = [];
  let serverCpuStart = null;
  for (let i = 0; i < warmup + runs; i++) {
    if (i === warmup) serverCpuStart = processCpuMs(client.pid);
    const status = client.waitForNotification("eslint/status", (p) => p.validationTime !== undefined);
    t = performance.now();
    client.change(schemaPath, i + 2, textAt(i));
    const items = await client.diagnostics(schemaPath);
    const ms = performance.now() - t;
    const { validationTime } = await status;
    check("language server", i, items.filter((d) => d.code === "archlint/prisma-relation-index").length);
    if (i >= warmup) {
      roundTrip.push(ms);
      server.push(validationTime);
    }
  }
  const serverCpuEnd = processCpuMs(client.pid);
  if (serverCpuStart !== null && serverCpuEnd !== null) serverCpuPerLint = (serverCpuEnd - serverCpuStart) / runs;
  console.log(`language server: first lint of the opened schema ${coldMs.toFixed(0)} ms (cold: loads ESLint, the config, Prisma's wasm)`);
  report("language server: didChange + pull, round trip", roundTrip);
  report("language server: its lint call (eslint/status)", server);
} finally {
  await client.close();
}

// --- 2. the ESLint class, one instance, in this process
process.chdir(dir);
const { ESLint } = await import(pathToFileURL(path.join(dir, "node_modules/eslint/lib/api.js")).href);
const eslint = new ESLint({ cwd: dir });
const lintTimes = [];
const lintCpu = [];
for (let i = -1; i < warmup + runs; i++) {
  const text = i < 0 ? base : textAt(i);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const [result] = await eslint.lintText(text, { filePath: schemaPath });
  const ms = performance.now() - t;
  const cpuTime = cpuMs(cpu);
  if (i >= 0) check("ESLint#lintText", i, result.messages.filter((m) => m.ruleId === "archlint/prisma-relation-index").length);
  if (i >= warmup) {
    lintTimes.push(ms);
    lintCpu.push(cpuTime);
  }
}
report("ESLint#lintText, one instance", lintTimes);
report("ESLint#lintText, one instance (CPU time)", lintCpu);

// --- 3. the parts: Prisma's validator and archlint's parser on the same texts (CPU time)
const core = await import(pathToFileURL(path.join(root, "packages/core/dist/index.js")).href);
const prismaTimes = [];
const parseTimes = [];
for (let i = 0; i < warmup + runs; i++) {
  let cpu = process.cpuUsage();
  const diagnostics = core.prismaValidate([[schemaPath, textAt(i)]]);
  const validateMs = cpuMs(cpu);
  if (diagnostics === null || diagnostics.some((d) => !d.isWarning)) throw new Error("Prisma's validator failed on the generated schema");
  cpu = process.cpuUsage();
  core.parseSchemaText(textAt(i));
  const parseMs = cpuMs(cpu);
  if (i >= warmup) {
    prismaTimes.push(validateMs);
    parseTimes.push(parseMs);
  }
}
report("  part: Prisma's schema validator (CPU time)", prismaTimes);
report("  part: archlint's parser (CPU time)", parseTimes);

const schemaLines = base.split("\n").length;
console.log(
  `\nre-lint of the open schema after an unsaved edit: ${models} models, ${schemaLines} lines, ${(base.length / 1024).toFixed(0)} KiB, ${findingsOnBase} findings; ${runs} runs after ${warmup} warm-up, node ${process.version}`,
);
console.log(`${"".padEnd(48)}  median ms   p90 ms   min ms   median/${BUDGET_MS} ms`);
for (const [name, med, p, min] of rows) {
  console.log(`${name.padEnd(48)} ${fmt(med)} ${fmt(p)} ${fmt(min)}   ${(med / BUDGET_MS).toFixed(2).padStart(8)}`);
}
if (serverCpuPerLint !== null) {
  console.log(`language server CPU time per re-lint (mean over the ${runs} runs, all its threads): ${serverCpuPerLint.toFixed(1)} ms`);
}
console.log("wall-clock times include waiting for the CPU: on a busy machine compare the CPU times, which do not");
const [, rtMedian, rtP90] = rows[0];
console.log(
  `goal: under ${BUDGET_MS} ms for the language server round trip: median ${rtMedian.toFixed(1)} ms (ratio ${(rtMedian / BUDGET_MS).toFixed(2)}), p90 ${rtP90.toFixed(1)} ms (ratio ${(rtP90 / BUDGET_MS).toFixed(2)}); below 1 = within budget`,
);
