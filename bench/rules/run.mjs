/**
 * What archlint's code rules add to an ESLint run on a generated tRPC + Fastify + Prisma project:
 * the same ESLint, the same parser and the same files, with no rules vs with archlint's rules.
 *
 * - syntax-only: @typescript-eslint/parser without type information, `recommended`'s code rules;
 * - typed (BENCH_TYPED=1, the default): `parserOptions.projectService` on both sides and
 *   `recommended-type-checked`'s code rules (cache-hot-reads then follows calls across files).
 *
 * Whole processes, interleaved, median and minimum of N runs after a warm-up, wall time and CPU
 * time. The project has a Prisma schema, so `db-where-indexed` reads it (once per process).
 * Prints ratios; asserts nothing (a benchmark, not a test).
 *
 *   node bench/rules/run.mjs                       (after `pnpm build`)
 *   BENCH_ROUTERS=1000 BENCH_RUNS=5 BENCH_TYPED=0 node bench/rules/run.mjs
 *
 * BENCH_BASELINE=<another built checkout of archlint> adds its rules as one more interleaved
 * configuration, and prints this build / baseline and any difference in findings: "no slower,
 * same findings" for a refactoring.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { baselinePlugin, compareFindings, describeRatio, describeRuns, runEslint } from "../lib/measure.mjs";
import { generateProject } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const routers = Number(process.env.BENCH_ROUTERS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const typedToo = process.env.BENCH_TYPED !== "0";
const typedRouters = Number(process.env.BENCH_TYPED_ROUTERS ?? Math.min(routers, 300));
const baseline = baselinePlugin(root);

const nodeModules = path.join(root, "packages", "eslint-plugin", "node_modules");
if (!fs.existsSync(path.join(root, "packages", "eslint-plugin", "dist", "index.js"))) {
  throw new Error("packages/eslint-plugin/dist is missing: run `pnpm build` first.");
}

function configs(typed) {
  const languageOptions = typed
    ? `{ parser: tsParser, sourceType: "module", parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }`
    : `{ parser: tsParser, sourceType: "module" }`;
  const preset = typed ? "recommended-type-checked" : "recommended";
  return {
    base: `import tsParser from "@typescript-eslint/parser";
export default [{ files: ["**/*.ts"], languageOptions: ${languageOptions} }];
`,
    // One rule that does nothing: what enabling any rule costs (rule contexts, listeners).
    noop: `import tsParser from "@typescript-eslint/parser";
const noop = { rules: { noop: { meta: { schema: [] }, create: () => ({ CallExpression() {} }) } } };
export default [{ files: ["**/*.ts"], plugins: { noop }, rules: { "noop/noop": "error" }, languageOptions: ${languageOptions} }];
`,
    // Typed only: what any type-aware rule pays before asking anything real (creating the type
    // checker, which binds every file, and one question per file).
    ...(typed
      ? {
          probe: `import tsParser from "@typescript-eslint/parser";
const probe = { rules: { probe: { meta: { schema: [] }, create(context) {
  const services = context.sourceCode.parserServices;
  const first = context.sourceCode.ast.body[0];
  if (services?.program && first) services.program.getTypeChecker().getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(first));
  return {};
} } } };
export default [{ files: ["**/*.ts"], plugins: { probe }, rules: { "probe/probe": "error" }, languageOptions: ${languageOptions} }];
`,
        }
      : {}),
    archlint: `import tsParser from "@typescript-eslint/parser";
import archlint from "eslint-plugin-archlint";
const code = archlint.configs[${JSON.stringify(preset)}].filter((c) => c.language !== "archlint/prisma");
export default [...code, { files: ["**/*.ts"], languageOptions: ${languageOptions} }];
`,
    ...(baseline
      ? {
          baseline: `import tsParser from "@typescript-eslint/parser";
import archlint from ${JSON.stringify(baseline.url)};
const code = archlint.configs[${JSON.stringify(preset)}].filter((c) => c.language !== "archlint/prisma");
export default [...code, { files: ["**/*.ts"], languageOptions: ${languageOptions} }];
`,
        }
      : {}),
  };
}

const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
const run = (config) => runEslint(eslintBin, config, dir);

function bench(typed) {
  const n = typed ? typedRouters : routers;
  const { files } = generateProject(dir, { routers: n, nodeModules: typed ? nodeModules : undefined });
  for (const [name, text] of Object.entries(configs(typed))) fs.writeFileSync(path.join(dir, `eslint.${name}.mjs`), text);
  const label = typed ? "typed (projectService)" : "syntax-only";
  console.log(`\n== ${label}: ${files} files (${n} router files) in ${path.relative(root, dir)}`);
  run("eslint.base.mjs");
  const warm = run("eslint.archlint.mjs");
  const base = [];
  const noop = [];
  const probe = [];
  const archlint = [];
  const before = [];
  const warmBefore = baseline ? run("eslint.baseline.mjs") : null;
  // Interleaved, so load on the machine affects all of them alike.
  for (let i = 0; i < runs; i++) {
    base.push(run("eslint.base.mjs"));
    noop.push(run("eslint.noop.mjs"));
    if (typed) probe.push(run("eslint.probe.mjs"));
    archlint.push(run("eslint.archlint.mjs"));
    if (baseline) before.push(run("eslint.baseline.mjs"));
  }
  console.log(`${"no rules".padEnd(28)} ${describeRuns(base)}`);
  console.log(`${"one no-op rule".padEnd(28)} ${describeRuns(noop)}`);
  if (typed) console.log(`${"one type question per file".padEnd(28)} ${describeRuns(probe)}`);
  console.log(`${"archlint rules".padEnd(28)} ${describeRuns(archlint)}`);
  console.log(`ratio archlint / no rules:   ${describeRatio(archlint, base)}  (goal: <= 1.15)`);
  console.log(`ratio archlint / no-op rule: ${describeRatio(archlint, noop)}`);
  console.log(`ratio no-op rule / no rules: ${describeRatio(noop, base)}`);
  if (typed) console.log(`ratio type question / no rules: ${describeRatio(probe, base)}  (the floor of any type-aware rule)`);
  console.log("findings by rule:", JSON.stringify(warm.findings));
  if (baseline) {
    console.log(`${"baseline archlint rules".padEnd(28)} ${describeRuns(before)}`);
    console.log(`ratio archlint / baseline:   ${describeRatio(archlint, before)}  (baseline: ${baseline.dir})`);
    console.log(compareFindings(warm, warmBefore));
  }
}

bench(false);
if (typedToo) bench(true);
