/**
 * What the `archlint/sql` language and its three rules add to a run, on a generated project with
 * 200 Supabase migrations (BENCH_MIGRATIONS) next to a small tRPC code base: the same ESLint and
 * the same files, with `recommended` without its SQL config vs the whole `recommended`. Whole
 * processes, interleaved, median and minimum of N runs after a warm-up, wall and CPU time.
 *
 * The same for `archlint check` (zero-config, no type information): `src` alone vs the whole
 * project. archlint check reads each migrations folder once per run; ESLint (and an editor) read
 * the folder again for every migration linted, to see edits made since (the cache is keyed on
 * contents), so the two differ as the folder grows.
 *
 * Then the editor's case, in one warm process (the `ESLint` class): re-linting one migration after
 * an edit (the last migration, an index added and removed in turn: its text is new every time,
 * so it is parsed again and the history folded again), and re-linting an unchanged one.
 * Ends with the two numbers issue #14 sets goals for. Prints times; asserts nothing (a benchmark, not a test).
 *
 *   node bench/sql/run.mjs          (after `pnpm build`; `pnpm bench:sql` builds first)
 *   BENCH_MIGRATIONS=200 BENCH_RUNS=5 BENCH_EDITS=30 node bench/sql/run.mjs
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeRatio, describeRuns, median, runMeasured } from "../lib/measure.mjs";
import { generateProject } from "../rules/generate.mjs";
import { generateMigrations } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const count = Number(process.env.BENCH_MIGRATIONS ?? 200);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const edits = Number(process.env.BENCH_EDITS ?? 30);

if (!fs.existsSync(path.join(root, "packages", "eslint-plugin", "dist", "index.js"))) {
  throw new Error("packages/eslint-plugin/dist is missing: run `pnpm build` first.");
}

// --- the project: a small code base (so a run lints something besides SQL) and the migrations
generateProject(dir, { routers: 50 });
const files = generateMigrations(dir, { count });
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
const pluginUrl = pathToFileURL(path.join(root, "packages", "eslint-plugin", "dist", "index.js")).href;
const config = (withSql) => `import archlint from ${JSON.stringify(pluginUrl)};
export default archlint.configs.recommended${withSql ? "" : '.filter((c) => c.language !== "archlint/sql")'};
`;
fs.writeFileSync(path.join(dir, "eslint.without-sql.mjs"), config(false));
fs.writeFileSync(path.join(dir, "eslint.with-sql.mjs"), config(true));

const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
function run(name) {
  const r = runMeasured([eslintBin, "-c", name, "--format", "json", "."], dir);
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  const results = JSON.parse(r.stdout);
  const findings = {};
  for (const f of results) for (const m of f.messages) findings[m.ruleId ?? "fatal"] = (findings[m.ruleId ?? "fatal"] ?? 0) + 1;
  return { ...r, findings, files: results.length };
}

console.log(`== ${count} migrations (${(bytes / 1024).toFixed(0)} KB, ${path.relative(root, path.dirname(files[0]))}) + 50 tRPC routers`);
run("eslint.without-sql.mjs");
const warm = run("eslint.with-sql.mjs");
const without = [];
const withSql = [];
// Interleaved, so load on the machine affects both alike.
for (let i = 0; i < runs; i++) {
  without.push(run("eslint.without-sql.mjs"));
  withSql.push(run("eslint.with-sql.mjs"));
}
console.log(`${"recommended without SQL".padEnd(26)} ${describeRuns(without)}  (${without[0].files} files)`);
console.log(`${"recommended".padEnd(26)} ${describeRuns(withSql)}  (${withSql[0].files} files)`);
const added = (key) => median(withSql.map((r) => r[key])) - median(without.map((r) => r[key]));
console.log(`SQL adds to the run: wall ${added("ms").toFixed(0)} ms, cpu ${added("cpuMs").toFixed(0)} ms (medians); ratio ${describeRatio(withSql, without)}`);
console.log("findings by rule:", JSON.stringify(warm.findings));

const archlintBin = path.join(root, "packages", "cli", "dist", "bin.js");
function check(...targets) {
  const r = runMeasured([archlintBin, "check", "--no-type-check", "--format", "json", ...targets], dir);
  if (r.status !== 0 && r.status !== 1) throw new Error(`archlint exited ${r.status}: ${r.stderr}`);
  return r;
}
check(".");
const srcOnly = [];
const whole = [];
// The same project without its migrations: the code and the Prisma schema.
for (let i = 0; i < runs; i++) {
  srcOnly.push(check("src", "prisma"));
  whole.push(check("."));
}
console.log(`\n${"archlint check src prisma".padEnd(26)} ${describeRuns(srcOnly)}`);
console.log(`${"archlint check .".padEnd(26)} ${describeRuns(whole)}`);
const addedCheck = (key) => median(whole.map((r) => r[key])) - median(srcOnly.map((r) => r[key]));
console.log(`the migrations add to archlint check: wall ${addedCheck("ms").toFixed(0)} ms, cpu ${addedCheck("cpuMs").toFixed(0)} ms (medians)`);

// --- the editor's case: one warm process, one migration re-linted
const { ESLint } = await import(pathToFileURL(path.join(root, "node_modules", "eslint", "lib", "api.js")).href);
const eslint = new ESLint({ cwd: dir, overrideConfigFile: path.join(dir, "eslint.with-sql.mjs") });
const last = files.at(-1);
const first = files[0];
const base = fs.readFileSync(last, "utf8");
const edited = `${base}create index items_edit_idx on public.items_0 (owner_id);\n`;
// Wall time, and CPU time (this process's threads: V8's background compilers too), which a busy machine inflates less.
const time = async (file, text) => {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const [result] = await eslint.lintText(text, { filePath: file });
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, messages: result.messages.length };
};
// The first lint in the process loads the plugin, compiles the wasm and folds the whole history.
const cold = await time(last, base);
for (let i = 0; i < 5; i++) await time(last, i % 2 ? base : edited);
const editRuns = [];
for (let i = 0; i < edits; i++) editRuns.push(await time(last, i % 2 ? base : edited));
const edit = editRuns.map((r) => r.ms);
const editCpu = editRuns.map((r) => r.cpuMs);
const firstText = fs.readFileSync(first, "utf8");
const unchangedRuns = [];
for (let i = 0; i < edits; i++) unchangedRuns.push(await time(first, firstText));
const unchanged = unchangedRuns.map((r) => r.ms);
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
console.log(`\n== editor (ESLint#lintText, one warm process)`);
console.log(`first lint in the process (plugin, wasm, whole history): ${cold.ms.toFixed(0)} ms`);
console.log(
  `re-lint of the last migration after an edit:  median ${median(edit).toFixed(1)} ms  p90 ${p90(edit).toFixed(1)} ms  cpu median ${median(editCpu).toFixed(1)} ms  (${edits} edits)`,
);
console.log(
  `re-lint of an unchanged migration:            median ${median(unchanged).toFixed(1)} ms  p90 ${p90(unchanged).toFixed(1)} ms  cpu median ${median(unchangedRuns.map((r) => r.cpuMs)).toFixed(1)} ms`,
);

// --- issue #14's two numbers, side by side with its goals
console.log(`\n== the two numbers (issue #14)`);
console.log(`${count} migrations add to an ESLint run: wall ${added("ms").toFixed(0)} ms, cpu ${added("cpuMs").toFixed(0)} ms (medians; goal: at most 100 ms)`);
console.log(
  `a re-lint of one migration in the editor after an edit: median ${median(edit).toFixed(1)} ms, p90 ${p90(edit).toFixed(1)} ms, cpu ${median(editCpu).toFixed(1)} ms (goal: under 50 ms)`,
);
