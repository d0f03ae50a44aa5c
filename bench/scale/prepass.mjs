/**
 * Issue #17 goal 3, the pre-pass of `archlint check --no-type-check` (zero-config without types:
 * only code files a rule of `recommended` could report in are parsed), on the review repositories
 * (bench/precision/.repos): paired runs, in turn, of `eslint .` with the same parser and no rules,
 * `archlint check --no-type-check` and the same with `--no-prepass`. Prints wall and user seconds,
 * peak RSS, the ratios to plain ESLint, the load average before each run, and whether both
 * archlint runs printed the same JSON. Asserts nothing.
 *
 *   node bench/scale/prepass.mjs [repo ...]      (after `pnpm build`; default: documenso papermark)
 *   BENCH_RUNS=3 node bench/scale/prepass.mjs documenso
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const repos = path.join(here, "../precision/.repos");
const dir = path.join(here, ".generated");
const runs = Number(process.env.BENCH_RUNS ?? 2);
const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
const archlintBin = path.join(root, "packages", "cli", "dist", "bin.js");
if (!fs.existsSync(archlintBin)) throw new Error("packages/cli/dist is missing: run `pnpm build` first.");

// ESLint with zero-config's ignores (cli.ts) and file patterns, the TypeScript parser, no rules.
fs.mkdirSync(dir, { recursive: true });
const config = path.join(dir, "eslint.prepass-base.mjs");
fs.writeFileSync(
  config,
  `import tsParser from "@typescript-eslint/parser";
import { TS_FILES } from ${JSON.stringify(path.join(root, "packages/eslint-plugin/dist/configs/index.js"))};
export default [{ ignores: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/.next/**", "**/coverage/**", "**/.turbo/**"] }, { files: TS_FILES, languageOptions: { parser: tsParser, sourceType: "module" } }];
`,
);

function measure(args, cwd) {
  const load = os.loadavg()[0];
  const out = path.join(dir, "prepass-out.json");
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %M", process.execPath, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const [wall, user, kb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  fs.writeFileSync(out, r.stdout);
  return { wall, user, mb: kb / 1024, load, stdout: r.stdout };
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ["documenso", "papermark"]) {
  const cwd = path.join(repos, name);
  if (!fs.existsSync(cwd)) {
    console.log(`${name}: not extracted (bench/precision/.repos)`);
    continue;
  }
  const all = { eslint: [], prepass: [], full: [] };
  let same = true;
  let files = 0;
  for (let i = 0; i < runs; i++) {
    const e = measure([eslintBin, "-c", config, "--format", "json", "."], cwd);
    files = JSON.parse(e.stdout).length;
    all.eslint.push(e);
    const p = measure([archlintBin, "check", "--no-type-check", "--format", "json"], cwd);
    const f = measure([archlintBin, "check", "--no-type-check", "--no-prepass", "--format", "json"], cwd);
    all.prepass.push(p);
    all.full.push(f);
    same &&= p.stdout === f.stdout;
  }
  const avg = (k, f) => sum(all[k].map((m) => m[f])) / runs;
  const line = (k, label) =>
    `${label.padEnd(30)} wall ${avg(k, "wall").toFixed(1)} s (x${(avg(k, "wall") / avg("eslint", "wall")).toFixed(2)}), user ${avg(k, "user").toFixed(1)} s (x${(avg(k, "user") / avg("eslint", "user")).toFixed(2)}), peak ${avg(k, "mb").toFixed(0)} MB (x${(avg(k, "mb") / avg("eslint", "mb")).toFixed(2)})`;
  console.log(
    `${name}: ${files} files linted by eslint, ${runs} paired runs, load before runs ${Object.values(all)
      .flat()
      .map((m) => m.load.toFixed(1))
      .join(" ")}`,
  );
  console.log(`  ${line("eslint", "eslint . (parser, no rules)")}`);
  console.log(`  ${line("prepass", "archlint check --no-type-check")}`);
  console.log(`  ${line("full", "  ... --no-prepass")}`);
  console.log(`  same JSON with and without the pre-pass: ${same}`);
}
