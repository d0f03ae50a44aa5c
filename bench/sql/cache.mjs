/**
 * `archlint check --cache` on the project of run.mjs (200 Supabase migrations, BENCH_MIGRATIONS,
 * beside 50 tRPC routers): whole processes, interleaved, CPU and wall medians of BENCH_RUNS each,
 * every one with a warm cache (the run before it wrote it):
 *
 * - nothing changed, the project without its migrations (`src prisma`) vs the whole project;
 * - one migration edited before each run (the last one, an index added and removed in turn), in a
 *   copy of the project (`.generated-edit`), so the nothing-changed runs never see a touched
 *   migration (a baseline may key configs on every `.sql` file's mtime), vs nothing changed.
 *
 * BENCH_BASELINE=<a built checkout>: the same runs with its `archlint` too (paired: each iteration
 * runs both), e.g. main before a change. Prints times; asserts nothing.
 *
 *   node bench/sql/cache.mjs        (after `pnpm build`)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeRuns, median, runMeasured } from "../lib/measure.mjs";
import { generateProject } from "../rules/generate.mjs";
import { generateMigrations } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const count = Number(process.env.BENCH_MIGRATIONS ?? 200);
const runs = Number(process.env.BENCH_RUNS ?? 7);

generateProject(dir, { routers: 50 });
const files = generateMigrations(dir, { count });
const editDir = path.join(here, ".generated-edit");
fs.rmSync(editDir, { recursive: true, force: true });
fs.cpSync(dir, editDir, { recursive: true });
const last = path.join(editDir, path.relative(dir, files.at(-1)));
const base = fs.readFileSync(last, "utf8");
const edited = `${base}create index items_edit_idx on public.items_0 (owner_id);\n`;

const builds = [{ name: "this checkout", root }];
if (process.env.BENCH_BASELINE) builds.push({ name: "baseline", root: path.resolve(root, process.env.BENCH_BASELINE) });
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-bench-cache-"));

function check(build, cache, ...targets) {
  const cwd = cache.startsWith("edit") ? editDir : dir;
  const bin = path.join(build.root, "packages", "cli", "dist", "bin.js");
  const r = runMeasured([bin, "check", "--no-type-check", "--format", "json", "--cache", "--cache-location", path.join(cacheDir, cache), ...targets], cwd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`archlint exited ${r.status}: ${r.stderr}`);
  return r;
}

console.log(
  `== archlint check --cache, ${count} migrations + 50 tRPC routers, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const out = builds.map(() => ({ src: [], whole: [], edit: [] }));
for (const [i, b] of builds.entries()) {
  // Warm the caches (and the OS's file cache).
  check(b, `src-${i}`, "src", "prisma");
  check(b, `whole-${i}`, ".");
  check(b, `edit-${i}`, ".");
}
for (let n = 0; n < runs; n++) {
  for (const [i, b] of builds.entries()) {
    out[i].src.push(check(b, `src-${i}`, "src", "prisma"));
    out[i].whole.push(check(b, `whole-${i}`, "."));
    // Each build sees the same edit: an index added, then removed (each run's text differs from the last's).
    fs.writeFileSync(last, n % 2 === 0 ? edited : base);
    out[i].edit.push(check(b, `edit-${i}`, "."));
  }
}
fs.rmSync(cacheDir, { recursive: true, force: true });
for (const [i, b] of builds.entries()) {
  const o = out[i];
  const d = (xs, ys, key) => (median(xs.map((r) => r[key])) - median(ys.map((r) => r[key]))).toFixed(0);
  console.log(`\n-- ${b.name} (${b.root})`);
  console.log(`${"src prisma, warm".padEnd(28)} ${describeRuns(o.src)}`);
  console.log(`${"whole project, warm".padEnd(28)} ${describeRuns(o.whole)}`);
  console.log(`${"one migration edited".padEnd(28)} ${describeRuns(o.edit)}`);
  console.log(`200 unchanged migrations add (warm): cpu ${d(o.whole, o.src, "cpuMs")} ms, wall ${d(o.whole, o.src, "ms")} ms (medians)`);
  console.log(`one edited migration adds to a warm run: cpu ${d(o.edit, o.whole, "cpuMs")} ms, wall ${d(o.edit, o.whole, "ms")} ms (medians)`);
}
console.log(
  `load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
