#!/usr/bin/env node
/**
 * `archlint schema` against prisma-lint on the real schemas of the review set (issue #17 goal 2:
 * at most 1.0x on real 30-90-model schemas, whole process, Prisma's validation kept). Whole
 * processes, interleaved (one run of each tool in turn), median of BENCH_RUNS after a warm-up,
 * wall and CPU time (bench/lib/measure.mjs). BENCH_BASELINE=<another built checkout> adds its
 * archlint to the same interleaving. Prints ratios; asserts nothing.
 *
 *   pnpm build && node bench/schema/real.mjs [repo ...]     (default: every repo with a schema)
 *
 * prisma-lint runs `require-field-index` with `forAllRelations` (as bench/schema/run.mjs), on the
 * same .prisma files; archlint runs its `recommended` Prisma rules, with the Prisma validator and
 * the SQL migrations prisma-relation-index reads.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeRatio, describeRuns, runMeasured } from "../lib/measure.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const repos = path.join(root, "bench/precision/.repos");
const runs = Number(process.env.BENCH_RUNS ?? 7);
const bin = path.join(root, "packages/cli/dist/bin.js");
const baseline = process.env.BENCH_BASELINE ? path.join(path.resolve(root, process.env.BENCH_BASELINE), "packages/cli/dist/bin.js") : null;
const prismaLint = path.join(root, "node_modules/prisma-lint/dist/cli.js");
const rc = path.join(os.tmpdir(), `archlint-bench-prismalintrc-${process.pid}.json`);
fs.writeFileSync(rc, JSON.stringify({ rules: { "require-field-index": ["error", { forAllRelations: true }] } }));

/** The schema of each repo: a schema.prisma file, or a folder of .prisma files (prisma/schema/). */
const SCHEMAS = {
  documenso: "packages/prisma/schema.prisma",
  rallly: "packages/database/prisma",
  papermark: "prisma/schema",
  "inbox-zero": "apps/web/prisma/schema.prisma",
  openpanel: "packages/db/prisma/schema.prisma",
};

const picked = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(SCHEMAS);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${load()}; ${runs} interleaved runs after a warm-up`);
for (const name of picked) {
  if (!SCHEMAS[name]) throw new Error(`no schema known for ${name} (known: ${Object.keys(SCHEMAS).join(", ")})`);
  const repo = path.join(repos, name);
  if (!fs.existsSync(repo)) {
    console.log(`${name}: not extracted (see bench/precision/README.md); skipped`);
    continue;
  }
  // The real folder: archlint refuses a schema reached through a symlink that leads outside the project.
  const cwd = fs.realpathSync(repo);
  const target = SCHEMAS[name];
  const abs = path.join(cwd, target);
  const files = fs.statSync(abs).isDirectory()
    ? fs
        .readdirSync(abs, { recursive: true })
        .filter((f) => f.endsWith(".prisma"))
        .map((f) => path.join(target, f))
    : [target];
  const models = files.reduce((n, f) => n + (fs.readFileSync(path.join(cwd, f), "utf8").match(/^model\s/gm) ?? []).length, 0);
  const cases = {
    "prisma-lint": [prismaLint, "-c", rc, "-o", "json", "--no-color", ...files],
    archlint: [bin, "schema", target, "--format", "json"],
    ...(baseline ? { baseline: [baseline, "schema", target, "--format", "json"] } : {}),
  };
  const measured = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const args of Object.values(cases)) runMeasured(args, cwd);
  for (let i = 0; i < runs; i++) {
    for (const [k, args] of Object.entries(cases)) {
      const r = runMeasured(args, cwd);
      if (r.status !== 0 && r.status !== 1) throw new Error(`${k} on ${name} exited ${r.status}: ${r.stderr}`);
      measured[k].push(r);
    }
  }
  console.log(`\n${name}: ${models} models in ${files.length} file(s); load ${load()}`);
  for (const [k, xs] of Object.entries(measured)) console.log(`  ${k.padEnd(12)} ${describeRuns(xs)}`);
  for (const k of Object.keys(cases).slice(1))
    console.log(`  ${`${k} / prisma-lint:`.padEnd(26)} ${describeRatio(measured[k], measured["prisma-lint"])}  (goal: <= 1.0)`);
}
fs.rmSync(rc, { force: true });
