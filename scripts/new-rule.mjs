/**
 * Scaffold a rule: `pnpm new-rule <rule-id> [--prisma]` writes
 *   packages/eslint-plugin/src/rules/<id>.ts        (createRule / createPrismaRule, zod options)
 *   packages/eslint-plugin/tests/rules/<id>.test.ts (one invalid case that fails until the rule works)
 *   rules-docs/<id>.md                              (the sections the docs test requires)
 * and registers the rule in src/rules/index.ts. It never overwrites a file. Then fill in the
 * recogniser (in src/analysis/), the rule, realistic tests and the docs, and run
 * `pnpm docs:generate` for the rule tables.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const id = args.find((a) => !a.startsWith("--"));
const prisma = args.includes("--prisma");

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

if (!id) fail("usage: pnpm new-rule <rule-id> [--prisma]   (e.g. trpc-protect-mutations)");
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(id)) fail(`rule ids are kebab-case with a topic prefix (trpc-, fastify-, db-, cache-, effect-, prisma-): "${id}"`);

const camel = id.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase());
const files = {
  rule: path.join(root, "packages/eslint-plugin/src/rules", `${id}.ts`),
  test: path.join(root, "packages/eslint-plugin/tests/rules", `${id}.test.ts`),
  doc: path.join(root, "rules-docs", `${id}.md`),
};
for (const f of Object.values(files)) if (fs.existsSync(f)) fail(`${path.relative(root, f)} exists already`);

const ruleText = prisma
  ? `import { z } from "zod";
import { createPrismaRule } from "../utils/prisma-rule.js";
import { optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z.object({}).strict();

export default createPrismaRule<"${camel}">({
  name: "${id}",
  meta: {
    type: "problem",
    docs: {
      description: "One sentence: what the rule requires",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema),
    messages: {
      ${camel}: "What is wrong (with the schema's names): why it matters. How to fix it.",
    },
  },
  create(context) {
    parseOptions(optionsSchema, context.options[0]);
    // Read the model (context.sourceCode) through @archlint/core and report; keep create() short.
    return {};
  },
});
`
  : `import { z } from "zod";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z.object({}).strict();

export default createRule<[z.input<typeof optionsSchema>], "${camel}">({
  name: "${id}",
  meta: {
    type: "problem",
    docs: {
      description: "One sentence: what the rule requires",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      ${camel}: "What is wrong (with the code's names): why it matters. How to fix it.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    parseOptions(optionsSchema, rawOptions);
    // Ask a recogniser in src/analysis/ and report; keep create() short.
    return {};
  },
});
`;

const testText = prisma
  ? `import { RuleTester, type ESLint } from "eslint";
import plugin from "../../src/index.js";

// ESLint's own RuleTester on the archlint/prisma language. Realistic schemas, near-misses among the
// valid cases, and messageId + line + column (and fix output) on every invalid case.
const rule = plugin.rules["${id}"] as unknown as Parameters<RuleTester["run"]>[1];
const ruleTester = new RuleTester({ plugins: { archlint: plugin as unknown as ESLint.Plugin }, language: "archlint/prisma" });

ruleTester.run("${id}", rule, {
  valid: [],
  invalid: [
    {
      name: "the shape the rule exists for (replace with a real schema)",
      code: 'datasource db {\\n  provider = "postgresql"\\n}\\n',
      errors: [{ messageId: "${camel}", line: 1, column: 1 }],
    },
  ],
});
`
  : `import rule from "../../src/rules/${id}.js";
import { ruleTester } from "../rule-tester.js";

// Realistic code (routers, services, repositories), near-misses among the valid cases, and
// messageId + line + column on every invalid case.
ruleTester.run("${id}", rule, {
  valid: [],
  invalid: [
    {
      name: "the shape the rule exists for (replace with real code)",
      code: "export const todo = 1;",
      errors: [{ messageId: "${camel}", line: 1, column: 1 }],
    },
  ],
});
`;

const docText = `# archlint/${id}

> One sentence: what the rule requires

## What it reports

## Why

## Bad

\`\`\`${prisma ? "prisma" : "ts"}
\`\`\`

## Good

\`\`\`${prisma ? "prisma" : "ts"}
\`\`\`

## Options

This rule has no options.

## When Not To Use It
`;

fs.writeFileSync(files.rule, ruleText);
fs.writeFileSync(files.test, testText);
fs.writeFileSync(files.doc, docText);

const indexFile = path.join(root, "packages/eslint-plugin/src/rules/index.ts");
const index = fs.readFileSync(indexFile, "utf8");
const imports = index.match(/^import .*;$/gm) ?? [];
const newImport = `import ${camel} from "./${id}.js";`;
const sortedImports = [...imports, newImport].sort((a, b) => (a.split('"')[1] < b.split('"')[1] ? -1 : 1));
const entries = [...index.matchAll(/^ {2}"([^"]+)": (\w+),$/gm)].map((m) => [m[1], m[2]]);
entries.push([id, camel]);
entries.sort(([a], [b]) => (a < b ? -1 : 1));
const updated = index
  .replace(imports.join("\n"), sortedImports.join("\n"))
  .replace(/export const rules = \{\n[\s\S]*?\n\};/, `export const rules = {\n${entries.map(([k, v]) => `  "${k}": ${v},`).join("\n")}\n};`);
fs.writeFileSync(indexFile, updated);

for (const f of [...Object.values(files), indexFile]) process.stdout.write(`wrote ${path.relative(root, f)}\n`);
process.stdout.write(
  `next: the recogniser in packages/eslint-plugin/src/analysis/, the rule, its tests, its docs; then \`pnpm docs:generate\` and \`pnpm test\`.\n`,
);
