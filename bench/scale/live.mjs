/**
 * What archlint retains (issue #18, Scale): the live heap after each of V8's major collections
 * (`--trace-gc`'s Mark-Compact "-> N MB"), for one in-process ESLint run of `bench/rules`' project
 * of N files with no rules and with archlint's code rules. Peak RSS (`run.mjs`) follows V8's heap
 * limit, which V8 sets to a multiple (up to ~4x) of the live heap after each major collection, and
 * which jumps when an incremental mark runs long on a loaded machine (objects promoted during the
 * mark are kept until the next one); the live heap is the steady number, and its growth per 1,000
 * files says whether anything is kept per file. Marks are atomic here (`--no-incremental-marking`)
 * so that the number is what is reachable, not what a long concurrent mark happened to keep.
 *
 *   node bench/scale/live.mjs                               (after `pnpm build`; 1,000, 2,500, 5,000 files)
 *   BENCH_FILES=1000 BENCH_TYPED=1 node bench/scale/live.mjs
 *
 * Prints, per size and configuration: the largest and the last live heap after a major GC (MB),
 * the number of major GCs, and the heap V8 let grow before its largest collection.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { typeOfEveryCallConfig } from "../lib/reference-rule.mjs";
import { generateProject } from "../rules/generate.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dir = path.join(here, ".generated");
const sizes = (process.env.BENCH_FILES ?? "1000,2500,5000").split(",").map(Number);
const typed = process.env.BENCH_TYPED === "1";
const nodeModules = path.join(root, "packages", "eslint-plugin", "node_modules");
const api = path.join(root, "node_modules", "eslint", "lib", "api.js");
if (!fs.existsSync(path.join(root, "packages", "eslint-plugin", "dist"))) throw new Error("packages/eslint-plugin/dist is missing: run `pnpm build` first.");

const languageOptions = typed
  ? `{ parser: tsParser, sourceType: "module", parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } }`
  : `{ parser: tsParser, sourceType: "module" }`;
const configs = {
  "no rules": `import tsParser from "@typescript-eslint/parser";\nexport default [{ files: ["**/*.ts"], languageOptions: ${languageOptions} }];\n`,
  // Typed only: issue #17's reference, a rule asking the type of every call's callee.
  ...(typed ? { "type of every call": typeOfEveryCallConfig(languageOptions) } : {}),
  archlint: `import tsParser from "@typescript-eslint/parser";
import archlint from "eslint-plugin-archlint";
const code = archlint.configs[${JSON.stringify(typed ? "recommended-type-checked" : "recommended")}].filter((c) => c.language !== "archlint/prisma");
export default [...code, { files: ["**/*.ts"], languageOptions: ${languageOptions} }];
`,
};
const lintScript = `import { ESLint } from ${JSON.stringify(api)};
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: process.argv[1] });
const results = await eslint.lintFiles(["src"]);
console.log("RESULT", results.length, results.reduce((n, r) => n + r.messages.length, 0));
`;

/** Live MB after each Mark-Compact, and the heap size before it. */
function liveHeap(config) {
  // Atomic marks: an incremental mark keeps what is promoted while it runs, which on a loaded
  // machine reads as 200+ MB more "live" than there is (seen at 2,500 and 5,000 files).
  const r = spawnSync(process.execPath, ["--trace-gc", "--no-incremental-marking", "--input-type=module", "-e", lintScript, config], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`lint exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const marks = [...r.stdout.matchAll(/Mark-Compact ([\d.]+) \([\d.]+\) -> ([\d.]+) \(/g)].map((m) => ({ before: Number(m[1]), after: Number(m[2]) }));
  const [, files, messages] = /RESULT (\d+) (\d+)/.exec(r.stdout) ?? [];
  const largest = marks.reduce((a, m) => (m.after > a.after ? m : a), { before: 0, after: 0 });
  return {
    files: Number(files),
    messages: Number(messages),
    majors: marks.length,
    maxLive: largest.after,
    lastLive: marks.at(-1)?.after ?? 0,
    maxBefore: Math.max(...marks.map((m) => m.before)),
  };
}

const rows = [];
for (const target of sizes) {
  const routers = Math.max(1, Math.round((target - 3) / 3.2));
  const { files } = generateProject(dir, { routers, nodeModules: typed ? nodeModules : undefined });
  const row = { files };
  for (const [name, text] of Object.entries(configs)) {
    const file = path.join(dir, `eslint.live-${name.replace(/\s/g, "-")}.mjs`);
    fs.writeFileSync(file, text);
    row[name] = liveHeap(file);
  }
  rows.push(row);
  const show = (m) => `live max ${m.maxLive.toFixed(0)} MB, last ${m.lastLive.toFixed(0)} MB, ${m.majors} major GCs, largest heap ${m.maxBefore.toFixed(0)} MB`;
  console.log(
    `${typed ? "typed" : "syntax-only"} ${files} files | no rules: ${show(row["no rules"])}${typed ? ` | type of every call: ${show(row["type of every call"])}` : ""} | archlint: ${show(row.archlint)} (${row.archlint.messages} findings) | archlint adds ${(row.archlint.maxLive - row["no rules"].maxLive).toFixed(0)} MB live`,
  );
}
for (let i = 1; i < rows.length; i++) {
  const [a, b] = [rows[i - 1], rows[i]];
  const per = (k) => (((b[k].lastLive - a[k].lastLive) / (b.files - a.files)) * 1000).toFixed(1);
  console.log(`growth ${a.files} -> ${b.files} files, live MB per 1,000 files (last major GC): no rules ${per("no rules")}, archlint ${per("archlint")}`);
}
