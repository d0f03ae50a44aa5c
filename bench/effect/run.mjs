/**
 * What the Effect rules cost on a typed ESLint run: the same ESLint, the same parser with type
 * information (`parserOptions.projectService`), the same generated Effect project (~300 files),
 * with no rules vs with archlint's five Effect rules (two of them type-aware). Whole processes,
 * median of N runs after a warm-up, interleaved, wall time and CPU time (bench/lib/measure.mjs). Prints the ratio (goal: <= 1.15); asserts
 * nothing (a benchmark, not a test).
 *
 *   node bench/effect/run.mjs                     (after `pnpm build`)
 *   BENCH_FILES=300 BENCH_RUNS=5 BENCH_EFFECT=4 node bench/effect/run.mjs
 *
 * BENCH_BASELINE=<another built checkout of archlint> adds its Effect rules as one more
 * interleaved configuration and prints this build / baseline and any difference in findings.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { baselinePlugin, compareFindings, describeRatio, describeRuns, runEslint } from "../lib/measure.mjs";
import { generateProject } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const files = Number(process.env.BENCH_FILES ?? 300);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const version = Number(process.env.BENCH_EFFECT ?? 4);
if (version !== 3 && version !== 4) throw new Error("BENCH_EFFECT must be 3 or 4");

// The installed Effect versions are devDependencies of the plugin (effect 4, and effect 3 under the `effect3` alias).
const pluginDir = path.join(root, "packages", "eslint-plugin");
const nodeModules = path.join(pluginDir, "node_modules");
const effectDir = fs.realpathSync(path.join(nodeModules, version === 3 ? "effect3" : "effect"));
const RULES = ["effect-no-escaping-errors", "effect-no-floating", "effect-no-throw", "effect-try-promise", "effect-yield-star"];
for (const id of RULES) {
  if (!fs.existsSync(path.join(pluginDir, "dist", "rules", `${id}.js`)))
    throw new Error(`packages/eslint-plugin/dist/rules/${id}.js is missing: run \`pnpm build\` first.`);
}

const generated = generateProject(dir, { files, version, effectDir, nodeModules });

const parserUrl = pathToFileURL(path.join(root, "node_modules", "@typescript-eslint", "parser", "dist", "index.js")).href;
const typed = `languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }`;
const base = `import tsParser from ${JSON.stringify(parserUrl)};
export default [{ files: ["src/**/*.ts"], ${typed} }];
`;
const noop = `import tsParser from ${JSON.stringify(parserUrl)};
const noop = { rules: { noop: { meta: { schema: [] }, create: () => ({ CallExpression() {} }) } } };
export default [{ files: ["src/**/*.ts"], plugins: { noop }, rules: { "noop/noop": "error" }, ${typed} }];
`;
// The least any type-aware rule costs: creating the type checker (binding every file) and one question per file.
const probe = `import tsParser from ${JSON.stringify(parserUrl)};
const probe = { rules: { probe: { meta: { schema: [] }, create(context) {
  const services = context.sourceCode.parserServices;
  const first = context.sourceCode.ast.body[0];
  if (services?.program && first) services.program.getTypeChecker().getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(first));
  return {};
} } } };
export default [{ files: ["src/**/*.ts"], plugins: { probe }, rules: { "probe/probe": "error" }, ${typed} }];
`;
// What common type-aware rules do (typescript-eslint's no-unsafe-call, no-floating-promises): ask
// the type of every call. Real typed setups run such rules, so the Effect rules' marginal cost on
// top of them is what a team pays.
const reference = `{ meta: { schema: [] }, create(context) {
  const services = context.sourceCode.parserServices;
  if (!services?.program) return {};
  const checker = services.program.getTypeChecker();
  return { CallExpression(node) { checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)); } };
} }`;
const rulesFrom = (dist) => `import tsParser from ${JSON.stringify(parserUrl)};
${RULES.map((id, i) => `import r${i} from ${JSON.stringify(pathToFileURL(path.join(dist, "rules", `${id}.js`)).href)};`).join("\n")}
const archlint = { rules: { ${RULES.map((id, i) => `${JSON.stringify(id)}: r${i}`).join(", ")} } };
export default [{
  files: ["src/**/*.ts"],
  plugins: { archlint },
  rules: { ${RULES.map((id) => `${JSON.stringify(`archlint/${id}`)}: "error"`).join(", ")} },
  ${typed},
}];
`;
const withRules = rulesFrom(path.join(pluginDir, "dist"));
const baseline = baselinePlugin(root);
if (baseline) fs.writeFileSync(path.join(dir, "eslint.baseline.mjs"), rulesFrom(baseline.dist));
fs.writeFileSync(path.join(dir, "eslint.base.mjs"), base);
fs.writeFileSync(path.join(dir, "eslint.noop.mjs"), noop);
fs.writeFileSync(path.join(dir, "eslint.probe.mjs"), probe);
fs.writeFileSync(path.join(dir, "eslint.effect.mjs"), withRules);
const referenceOnly = `import tsParser from ${JSON.stringify(parserUrl)};
const reference = { rules: { calls: ${reference} } };
export default [{ files: ["src/**/*.ts"], plugins: { reference }, rules: { "reference/calls": "error" }, ${typed} }];
`;
fs.writeFileSync(path.join(dir, "eslint.reference.mjs"), referenceOnly);
fs.writeFileSync(
  path.join(dir, "eslint.reference-effect.mjs"),
  withRules.replace(
    "export default [{",
    `const reference = { rules: { calls: ${reference} } };\nexport default [{ files: ["src/**/*.ts"], plugins: { reference }, rules: { "reference/calls": "error" } }, {`,
  ),
);

// The reference rule itself: typescript-eslint's no-floating-promises, the type-aware rule most typed setups run.
const tsPluginUrl = pathToFileURL(path.join(root, "node_modules", "@typescript-eslint", "eslint-plugin", "dist", "index.js")).href;
const floating = `import tsParser from ${JSON.stringify(parserUrl)};
import tsPlugin from ${JSON.stringify(tsPluginUrl)};
export default [{ files: ["src/**/*.ts"], plugins: { "@typescript-eslint": tsPlugin }, rules: { "@typescript-eslint/no-floating-promises": "error" }, ${typed} }];
`;
fs.writeFileSync(path.join(dir, "eslint.floating.mjs"), floating);
fs.writeFileSync(
  path.join(dir, "eslint.floating-effect.mjs"),
  withRules.replace(
    "export default [{",
    `import tsPlugin from ${JSON.stringify(tsPluginUrl)};\nexport default [{ files: ["src/**/*.ts"], plugins: { "@typescript-eslint": tsPlugin }, rules: { "@typescript-eslint/no-floating-promises": "error" } }, {`,
  ),
);

const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
const run = (config) => runEslint(eslintBin, config, dir);

// BENCH_CONFIGS=base,effect,floating,floating-effect measures only those (a 1,000-file typed run takes minutes).
const CONFIGS = [
  ["base", "typed eslint, no rules"],
  ["noop", "typed eslint, one no-op rule"],
  ["probe", "typed eslint, one type question per file"],
  ["effect", "typed eslint + archlint Effect rules"],
  ["reference", "typed eslint, type of every call (reference)"],
  ["reference-effect", "reference + archlint Effect rules"],
  ["floating", "typed eslint, no-floating-promises"],
  ["floating-effect", "no-floating-promises + archlint Effect rules"],
];
const chosen = process.env.BENCH_CONFIGS?.split(",") ?? CONFIGS.map(([id]) => id);
for (const id of chosen) if (!CONFIGS.some(([c]) => c === id)) throw new Error(`BENCH_CONFIGS: unknown configuration ${id}`);
const measured = Object.fromEntries(chosen.map((id) => [id, []]));

console.log(`generated ${generated.files} files (${generated.domains} domains, Effect ${version}) in ${path.relative(root, dir)}`);
run("eslint.base.mjs");
const warm = run("eslint.effect.mjs");
const before = [];
const warmBefore = baseline ? run("eslint.baseline.mjs") : null;
// Interleaved, so load on the machine affects all of them alike.
for (let i = 0; i < runs; i++) {
  for (const id of chosen) measured[id].push(run(`eslint.${id}.mjs`));
  if (baseline) before.push(run("eslint.baseline.mjs"));
}
const line = (label, xs) => console.log(`${label.padEnd(46)} ${describeRuns(xs)}`);
const ratio = (label, xs, ys, note) => console.log(`${label.padEnd(46)} ${describeRatio(xs, ys)}  (${note})`);
for (const [id, label] of CONFIGS) if (measured[id]) line(label, measured[id]);
const has = (...ids) => ids.every((id) => measured[id]);
if (has("effect", "base")) ratio("ratio Effect rules / no rules:", measured.effect, measured.base, "goal: <= 1.15");
if (has("effect", "noop")) ratio("ratio Effect rules / no-op rule:", measured.effect, measured.noop, "on top of what any rule costs");
if (has("probe", "base"))
  ratio("ratio one type question / no rules:", measured.probe, measured.base, "what creating the type checker costs any type-aware rule");
if (has("reference-effect", "reference"))
  ratio(
    "ratio reference + Effect / reference:",
    measured["reference-effect"],
    measured.reference,
    "the Effect rules' cost in a typed setup that already checks calls",
  );
if (has("effect", "floating"))
  ratio("ratio Effect rules / no-floating-promises:", measured.effect, measured.floating, "archlint's typed rules vs the rule most typed setups run");
if (has("floating-effect", "floating"))
  ratio("ratio no-floating-promises + Effect / alone:", measured["floating-effect"], measured.floating, "what the Effect rules add to such a setup");
console.log("findings by rule:", JSON.stringify(warm.findings));
console.log("planted violations:", JSON.stringify(generated.planted));
if (baseline) {
  line("baseline Effect rules", before);
  if (measured.effect) ratio("ratio Effect rules / baseline:", measured.effect, before, `baseline: ${baseline.dir}`);
  console.log(compareFindings(warm, warmBefore));
}
