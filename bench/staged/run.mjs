#!/usr/bin/env node
/**
 * Pre-commit (issue #17 goal 4: `archlint check --staged` with one staged file in a ~4,000-file
 * repository under 1 s wall). Each project is copied into a fresh git repository, committed, and
 * one file gets a comment appended and staged; `archlint check --staged` then runs typed (the
 * zero-config type-aware preset, where a tsconfig.json includes the file) and with
 * `--no-type-check`. Whole processes, interleaved, median of BENCH_RUNS after a warm-up, wall and
 * CPU time (bench/lib/measure.mjs), the machine's load printed. BENCH_BASELINE=<another built
 * checkout> runs that checkout's archlint in the same interleaving, and the findings of both are
 * compared. Prints numbers; asserts nothing.
 *
 *   pnpm build && node bench/staged/run.mjs [inbox-zero|documenso|generated ...]
 *
 * inbox-zero and documenso come from the review set (bench/precision/.repos, extracted without
 * node_modules, so imports of packages do not resolve); "generated" is bench/rules' tRPC + Fastify
 * project with 1,300 routers (~4,200 files), typed against the plugin's installed tRPC and Zod.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describeRatio, describeRuns, runMeasured } from "../lib/measure.mjs";
import { generateProject } from "../rules/generate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bin = path.join(root, "packages/cli/dist/bin.js");
const baseline = process.env.BENCH_BASELINE ? path.join(path.resolve(root, process.env.BENCH_BASELINE), "packages/cli/dist/bin.js") : null;
const work = path.join(os.tmpdir(), `archlint-bench-staged-${process.pid}`);

/** The file each project stages: one that reads the database (what archlint's rules judge). */
const PROJECTS = {
  "inbox-zero": { from: "bench/precision/.repos/inbox-zero", file: "apps/web/utils/mobile-push.ts" },
  documenso: { from: "bench/precision/.repos/documenso", file: "packages/lib/server-only/user/get-all-users.ts" },
  generated: { generate: 1300, file: "src/server/routers/router7.ts" },
};

function git(cwd, ...args) {
  const r = spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@archlint.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function prepare(name, project) {
  const dir = path.join(work, name);
  if (project.generate) {
    generateProject(dir, { routers: project.generate, nodeModules: path.join(root, "packages/eslint-plugin/node_modules") });
  } else {
    const from = path.join(root, project.from);
    if (!fs.existsSync(from)) return null;
    fs.cpSync(fs.realpathSync(from), dir, { recursive: true });
  }
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  const file = path.join(dir, project.file);
  if (!fs.existsSync(file)) throw new Error(`${name}: ${project.file} is missing`);
  fs.appendFileSync(file, "\n// staged\n");
  git(dir, "add", project.file);
  return { dir, files: Number(git(dir, "ls-files", "-z").split("\0").filter(Boolean).length) };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const picked = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(PROJECTS);
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${load()}; ${runs} interleaved runs after a warm-up`);
try {
  for (const name of picked) {
    const project = PROJECTS[name];
    if (!project) throw new Error(`unknown project ${name} (known: ${Object.keys(PROJECTS).join(", ")})`);
    const prepared = prepare(name, project);
    if (!prepared) {
      console.log(`${name}: not extracted (see bench/precision/README.md); skipped`);
      continue;
    }
    const cases = {};
    for (const mode of ["typed", "no-type-check"]) {
      const args = ["check", "--staged", "--format", "json", ...(mode === "typed" ? [] : ["--no-type-check"])];
      cases[`archlint ${mode}`] = [bin, ...args];
      if (baseline) cases[`baseline ${mode}`] = [baseline, ...args];
    }
    const measured = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    const outputs = {};
    for (const [k, args] of Object.entries(cases)) outputs[k] = runMeasured(args, prepared.dir).stdout;
    for (let i = 0; i < runs; i++) {
      for (const [k, args] of Object.entries(cases)) {
        const r = runMeasured(args, prepared.dir);
        if (r.status !== 0 && r.status !== 1) throw new Error(`${k} on ${name} exited ${r.status}: ${r.stderr}`);
        measured[k].push(r);
      }
    }
    console.log(`\n${name}: ${prepared.files} files, ${project.file} staged; load ${load()}`);
    for (const [k, xs] of Object.entries(measured)) console.log(`  ${k.padEnd(26)} ${describeRuns(xs)}`);
    if (baseline) {
      for (const mode of ["typed", "no-type-check"]) {
        const same = outputs[`archlint ${mode}`] === outputs[`baseline ${mode}`] ? "same findings" : "FINDINGS DIFFER";
        console.log(`  ${`${mode}: archlint / baseline`.padEnd(36)} ${describeRatio(measured[`archlint ${mode}`], measured[`baseline ${mode}`])}  (${same})`);
      }
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
