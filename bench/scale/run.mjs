/**
 * Memory at scale (issue #18): peak RSS of a whole lint of a generated tRPC + Fastify + Prisma
 * project of N files, plain ESLint (the same parser, no rules) vs ESLint with archlint's code rules
 * vs `archlint check`. Linear growth and a ratio to plain ESLint within 1.2x are the goals; this
 * prints the numbers and ratios and asserts nothing.
 *
 *   node bench/scale/run.mjs                              (after `pnpm build`; 1,000 and 5,000 files)
 *   BENCH_FILES=1000 BENCH_TYPED=0 node bench/scale/run.mjs
 *
 * Peak RSS is read with GNU time (`/usr/bin/time -f %M`), with CPU time (user + system); typed
 * (BENCH_TYPED=1, the default) runs use typescript-eslint's project service on every side, where
 * TypeScript's program dominates, and add issue #17's reference: one rule that asks the type of
 * every call's callee (`getTypeAtLocation`), against which archlint's type-aware rules are judged.
 * BENCH_RUNS (default 1) runs each configuration that many times, interleaved, and prints medians.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { typeOfEveryCallConfig } from "../lib/reference-rule.mjs";
import { generateProject } from "../rules/generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const sizes = (process.env.BENCH_FILES ?? "1000,5000").split(",").map(Number);
const typedModes = process.env.BENCH_TYPED === "0" ? [false] : process.env.BENCH_TYPED === "only" ? [true] : [false, true];
const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
const archlintBin = path.join(root, "packages", "cli", "dist", "bin.js");
const nodeModules = path.join(root, "packages", "eslint-plugin", "node_modules");
if (!fs.existsSync(archlintBin)) throw new Error("packages/cli/dist is missing: run `pnpm build` first.");
if (!fs.existsSync("/usr/bin/time")) throw new Error("/usr/bin/time (GNU time) is needed to read peak RSS.");

function configs(typed) {
  const languageOptions = typed
    ? `{ parser: tsParser, sourceType: "module", parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }`
    : `{ parser: tsParser, sourceType: "module" }`;
  const preset = typed ? "recommended-type-checked" : "recommended";
  return {
    base: `import tsParser from "@typescript-eslint/parser";\nexport default [{ files: ["**/*.ts"], languageOptions: ${languageOptions} }];\n`,
    // Typed only: a type-aware rule that asks the type checker about every call's callee.
    ...(typed ? { ref: typeOfEveryCallConfig(languageOptions) } : {}),
    archlint: `import tsParser from "@typescript-eslint/parser";
import archlint from "eslint-plugin-archlint";
const code = archlint.configs[${JSON.stringify(preset)}].filter((c) => c.language !== "archlint/prisma");
export default [...code, { files: ["**/*.ts"], languageOptions: ${languageOptions} }];
`,
  };
}

/** Peak RSS (MB), wall and CPU time (s) of `node <args>` in `cwd`. */
function measureOnce(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", process.execPath, "--max-old-space-size=8192", ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const [kb, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { mb: kb / 1024, s, cpu: user + sys };
}

const runs = Number(process.env.BENCH_RUNS ?? 1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
/** Each command `runs` times, interleaved; the median of each measure. */
function measure(commands) {
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(commands)) samples[k].push(measureOnce(args));
  return Object.fromEntries(
    Object.entries(samples).map(([k, xs]) => [k, { mb: median(xs.map((x) => x.mb)), s: median(xs.map((x) => x.s)), cpu: median(xs.map((x) => x.cpu)) }]),
  );
}

const rows = [];
for (const typed of typedModes) {
  for (const target of sizes) {
    // generateProject writes 3 files per router, one Fastify file per 5 routers, and 3 shared files.
    const routers = Math.max(1, Math.round((target - 3) / 3.2));
    const { files } = generateProject(dir, { routers, nodeModules: typed ? nodeModules : undefined });
    for (const [name, text] of Object.entries(configs(typed))) fs.writeFileSync(path.join(dir, `eslint.${name}.mjs`), text);
    const label = `${typed ? "typed" : "syntax-only"} ${files} files`;
    const out = (name) => ["--format", "json", "-o", path.join(dir, `out.${name}.json`), "src"];
    const loadBefore = os.loadavg()[0];
    const m = measure({
      base: [eslintBin, "-c", "eslint.base.mjs", ...out("base")],
      ...(typed ? { ref: [eslintBin, "-c", "eslint.ref.mjs", ...out("ref")] } : {}),
      rules: [eslintBin, "-c", "eslint.archlint.mjs", ...out("archlint")],
      check: [archlintBin, "check", "src", "--format", "json", ...(typed ? [] : ["--no-type-check"])],
    });
    rows.push({ label, files, ...m });
    const show = (x) => `${x.mb.toFixed(0)} MB, ${x.cpu.toFixed(1)} s CPU, ${x.s.toFixed(1)} s wall`;
    const vs = (x, y) => `RSS x${(x.mb / y.mb).toFixed(2)}, CPU x${(x.cpu / y.cpu).toFixed(2)}`;
    console.log(`${label}, ${runs} run(s), load ${loadBefore.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)}`);
    console.log(`  eslint, no rules              ${show(m.base)}`);
    if (m.ref) console.log(`  eslint + type of every call   ${show(m.ref)}  (${vs(m.ref, m.base)} vs no rules)`);
    console.log(
      `  eslint + archlint rules       ${show(m.rules)}  (${vs(m.rules, m.base)} vs no rules${m.ref ? `; ${vs(m.rules, m.ref)} vs type of every call` : ""})`,
    );
    console.log(`  archlint check                ${show(m.check)}  (${vs(m.check, m.base)} vs no rules)`);
  }
}
// Growth: MB per 1,000 files between the sizes, per configuration.
for (const typed of typedModes) {
  const mine = rows.filter((r) => r.label.startsWith(typed ? "typed" : "syntax"));
  for (let i = 1; i < mine.length; i++) {
    const [a, b] = [mine[i - 1], mine[i]];
    const per = (k) => (((b[k].mb - a[k].mb) / (b.files - a.files)) * 1000).toFixed(0);
    console.log(
      `${typed ? "typed" : "syntax-only"} growth ${a.files} -> ${b.files} files, MB per 1,000 files: eslint ${per("base")}, + archlint rules ${per("rules")}, archlint check ${per("check")}`,
    );
  }
}
