/**
 * V8 flags against peak RSS (issue #18): `archlint check` of `bench/rules`' generated project run
 * with each set of node/V8 flags, beside ESLint with the same parser and no rules, whole processes,
 * interleaved; prints the median peak RSS (GNU time) and CPU time (user + system) of each, with
 * ratios to plain ESLint and to archlint without flags. A flag that cuts RSS at a large CPU cost is
 * not a win: read both columns. Asserts nothing.
 *
 *   node bench/scale/flags.mjs                    (after `pnpm build`; 1,000 and 5,000 files, syntax-only and typed)
 *   BENCH_FILES=1000 BENCH_TYPED=only BENCH_RUNS=3 BENCH_FLAGS='|--max-semi-space-size=32' node bench/scale/flags.mjs
 *
 * BENCH_FLAGS: flag sets separated by `|` (an empty set is archlint as shipped, which sets
 * `--heap-growing-percent` itself unless node is given one: `--heap-growing-percent=0` is V8's own
 * growth); BENCH_TYPED as in run.mjs (`0` syntax-only, `only` typed only).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateProject } from "../rules/generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const sizes = (process.env.BENCH_FILES ?? "1000,5000").split(",").map(Number);
const typedModes = process.env.BENCH_TYPED === "0" ? [false] : process.env.BENCH_TYPED === "only" ? [true] : [false, true];
const runs = Number(process.env.BENCH_RUNS ?? 3);
const flagSets = (process.env.BENCH_FLAGS ?? "|--heap-growing-percent=0").split("|").map((s) => s.split(/\s+/).filter(Boolean));
const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
const archlintBin = path.join(root, "packages", "cli", "dist", "bin.js");
const nodeModules = path.join(root, "packages", "eslint-plugin", "node_modules");
if (!fs.existsSync(archlintBin)) throw new Error("packages/cli/dist is missing: run `pnpm build` first.");
if (!fs.existsSync("/usr/bin/time")) throw new Error("/usr/bin/time (GNU time) is needed to read peak RSS.");

/** Peak RSS (MB), CPU and wall time (s) of `node <args>` in `cwd`. */
function measure(args) {
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S %e", process.execPath, ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [kb, user, sys, wall] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { mb: kb / 1024, cpu: user + sys, wall };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => os.loadavg()[0].toFixed(1);

for (const typed of typedModes) {
  for (const target of sizes) {
    const routers = Math.max(1, Math.round((target - 3) / 3.2));
    const { files } = generateProject(dir, { routers, nodeModules: typed ? nodeModules : undefined });
    const languageOptions = typed
      ? `{ parser: tsParser, sourceType: "module", parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }`
      : `{ parser: tsParser, sourceType: "module" }`;
    fs.writeFileSync(
      path.join(dir, "eslint.base.mjs"),
      `import tsParser from "@typescript-eslint/parser";\nexport default [{ files: ["**/*.ts"], languageOptions: ${languageOptions} }];\n`,
    );
    const configs = [
      { name: "eslint, no rules", args: [eslintBin, "-c", "eslint.base.mjs", "--format", "json", "-o", path.join(dir, "out.base.json"), "src"] },
      ...flagSets.map((flags) => ({
        name: `archlint check ${flags.join(" ") || "(as shipped)"}`,
        args: [...flags, archlintBin, "check", "src", "--format", "json", ...(typed ? [] : ["--no-type-check"])],
      })),
    ];
    const samples = configs.map(() => []);
    const loads = [load()];
    for (let i = 0; i < runs; i++) {
      configs.forEach((c, k) => samples[k].push(measure(c.args)));
      loads.push(load());
    }
    console.log(`\n${typed ? "typed" : "syntax-only"}, ${files} files, ${runs} runs each, load ${loads.join(" -> ")}`);
    const med = samples.map((s) => ({
      mb: median(s.map((x) => x.mb)),
      cpu: median(s.map((x) => x.cpu)),
      wall: median(s.map((x) => x.wall)),
      all: s.map((x) => x.mb.toFixed(0)).join("/"),
    }));
    configs.forEach((c, k) => {
      const m = med[k];
      const vsEslint = k === 0 ? "" : ` | vs eslint RSS x${(m.mb / med[0].mb).toFixed(2)} CPU x${(m.cpu / med[0].cpu).toFixed(2)}`;
      const vsShipped = k <= 1 ? "" : ` | vs first archlint RSS x${(m.mb / med[1].mb).toFixed(2)} CPU x${(m.cpu / med[1].cpu).toFixed(2)}`;
      console.log(
        `${c.name.padEnd(52)} peak RSS ${m.mb.toFixed(0)} MB (${m.all}), CPU ${m.cpu.toFixed(1)} s, wall ${m.wall.toFixed(1)} s${vsEslint}${vsShipped}`,
      );
    });
  }
}
