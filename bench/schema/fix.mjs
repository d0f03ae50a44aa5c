// `archlint schema --fix` on a multi-file schema vs a plain `archlint schema` run on the same
// files: the fix run applies every file's fixes and has Prisma validate the schema again, which
// must not cost a validation of the whole schema per fixed file (issue #18, item 7b: goal, --fix
// within 2x of a plain run at 500 files). Timing is whole-process, reported, never asserted.
//
//   node bench/schema/fix.mjs                  # 25, 200 and 500 files
//   BENCH_FILES=500 node bench/schema/fix.mjs  # one size
//   BENCH_PREPARE_ONLY=1 ...                   # only write the projects (to profile a run on them)
//
// Each file holds one unindexed relation (a user and its posts, or notes of the previous file's
// user), so every file gets one `@@index` fix. The fix run starts from a fresh copy each time.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const bin = path.resolve(repoRoot, process.env.ARCHLINT_BIN ?? "packages/cli/dist/bin.js");
const sizes = (process.env.BENCH_FILES ?? "25,200,500").split(",").map(Number);
const outDir = path.join(here, ".generated", "fix");

const MAIN = `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n`;

function schemaFile(i) {
  return i % 2 === 0
    ? `model User${i} {\n  id    Int @id\n  posts Post${i}[]\n  notes Note${i + 1}[]\n}\n\nmodel Post${i} {\n  id       Int @id\n  authorId Int\n  author   User${i} @relation(fields: [authorId], references: [id])\n}\n`
    : `model Note${i} {\n  id     Int @id\n  userId Int\n  user   User${i - 1} @relation(fields: [userId], references: [id])\n}\n`;
}

function project(name, count) {
  const dir = path.join(outDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const schemaDir = path.join(dir, "prisma", "schema");
  fs.mkdirSync(schemaDir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "${name}", "private": true }\n`);
  fs.writeFileSync(path.join(schemaDir, "main.prisma"), MAIN);
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(schemaDir, `m${String(i).padStart(4, "0")}.prisma`), schemaFile(i));
  return dir;
}

function timed(args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (!fs.existsSync(bin)) {
  console.error(`archlint CLI not built: ${path.relative(repoRoot, bin)} (run pnpm build)`);
  process.exit(2);
}

if (process.env.BENCH_PREPARE_ONLY === "1") {
  // For profiling: the projects, unfixed, and nothing run.
  for (const n of sizes) console.log(project(`n${n}`, n));
  process.exit(0);
}

let crashed = false;
console.log("files  plain (s)  --fix (s)  ratio  findings before -> after fix");
for (const n of sizes) {
  const dir = project(`n${n}`, n);
  const plain = timed(["schema", "--format", "json"], dir);
  const before = JSON.parse(plain.stdout).reduce((s, r) => s + r.messages.length, 0);
  const fix = timed(["schema", "--fix", "--format", "json"], dir);
  if (fix.code === null || fix.code > 1) {
    crashed = true;
    console.error(`--fix at ${n} files: exit ${fix.code}\n${fix.stderr}`);
    continue;
  }
  const after = JSON.parse(fix.stdout).reduce((s, r) => s + r.messages.length, 0);
  console.log(
    `${String(n).padStart(5)}  ${(plain.ms / 1000).toFixed(2).padStart(9)}  ${(fix.ms / 1000).toFixed(2).padStart(9)}  ${(fix.ms / plain.ms).toFixed(2).padStart(5)}  ${before} -> ${after}`,
  );
}
process.exit(crashed ? 1 : 0);
