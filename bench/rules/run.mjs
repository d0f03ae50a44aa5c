/**
 * How much archlint's syntax-only rules add to an ESLint run: the same ESLint, the same parser
 * (@typescript-eslint/parser, no type information), the same files, with no rules vs with
 * archlint's `recommended` code rules. Whole processes, median of N runs after a warm-up.
 * Prints the ratio; asserts nothing (a benchmark, not a test).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateProject } from "./generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const routers = Number(process.env.BENCH_ROUTERS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 5);

const { files } = generateProject(dir, { routers });
const base = `import tsParser from "@typescript-eslint/parser";
export default [{ files: ["**/*.ts"], languageOptions: { parser: tsParser, sourceType: "module" } }];
`;
const withRules = `import tsParser from "@typescript-eslint/parser";
import archlint from "eslint-plugin-archlint";
const code = archlint.configs.recommended.filter((c) => c.language !== "archlint/prisma");
export default [...code, { files: ["**/*.ts"], languageOptions: { parser: tsParser, sourceType: "module" } }];
`;
// One rule that does nothing: what any enabled rule costs, since ESLint skips scope analysis,
// traversal and code-path analysis entirely when no rule is on.
const noop = `import tsParser from "@typescript-eslint/parser";
const noop = { rules: { noop: { meta: { schema: [] }, create: () => ({ CallExpression() {} }) } } };
export default [{ files: ["**/*.ts"], plugins: { noop }, rules: { "noop/noop": "error" }, languageOptions: { parser: tsParser, sourceType: "module" } }];
`;
fs.writeFileSync(path.join(dir, "eslint.base.mjs"), base);
fs.writeFileSync(path.join(dir, "eslint.noop.mjs"), noop);
fs.writeFileSync(path.join(dir, "eslint.archlint.mjs"), withRules);

const eslintBin = path.join(root, "node_modules", "eslint", "bin", "eslint.js");
function run(config) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [eslintBin, "-c", config, "--format", "json", "src"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  const results = JSON.parse(r.stdout);
  const findings = {};
  for (const f of results) for (const m of f.messages) findings[m.ruleId ?? "fatal"] = (findings[m.ruleId ?? "fatal"] ?? 0) + 1;
  return { ms, findings };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`generated ${files} files (${routers} router files) in ${path.relative(root, dir)}`);
run("eslint.base.mjs");
run("eslint.archlint.mjs");
const a = [];
const n = [];
const b = [];
let findings = {};
// Interleaved, so load on the machine affects all three alike.
for (let i = 0; i < runs; i++) {
  a.push(run("eslint.base.mjs").ms);
  n.push(run("eslint.noop.mjs").ms);
  const r = run("eslint.archlint.mjs");
  b.push(r.ms);
  findings = r.findings;
}
const line = (label, xs) => console.log(`${label.padEnd(34)} median ${median(xs).toFixed(0)} ms  min ${Math.min(...xs).toFixed(0)} ms`);
line("eslint + parser, no rules", a);
line("eslint + parser, one no-op rule", n);
line("eslint + parser + archlint rules", b);
console.log(`ratio archlint / no rules:     median ${(median(b) / median(a)).toFixed(3)}  min ${(Math.min(...b) / Math.min(...a)).toFixed(3)}  (goal: <= 1.10)`);
console.log(`ratio archlint / no-op rule:   median ${(median(b) / median(n)).toFixed(3)}  min ${(Math.min(...b) / Math.min(...n)).toFixed(3)}  (archlint's own cost on top of what any rule costs)`);
console.log("findings by rule:", JSON.stringify(findings));
