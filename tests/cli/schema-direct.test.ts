import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../bench/schema/generate.mjs";
import { assertBuilt, CLI_FIXTURES, copyInto, DEMO, makeTmpDir, ROOT, runNode, type Run } from "./helpers.js";

/**
 * `archlint schema` lints without ESLint when nothing ESLint does differently can happen
 * (packages/cli/src/schema-direct.ts). Both ways run here on the same cases, in every format and
 * with the flags that change the report, and must print the same bytes and exit the same way; the
 * cases the direct way declines (inline configuration, schemas Prisma rejects, --fix) must be
 * declined, and linted by ESLint as before.
 */

const VIA = path.join(ROOT, "tests/cli/schema-via.mjs");
const via = (how: "eslint" | "direct" | "default", args: string[], cwd: string): Run => runNode(VIA, [how, "schema", ...args], cwd);

const FORMATS = ["stylish", "json", "sarif", "github"];
const FLAGS: string[][] = [[], ["--quiet"], ["--max-warnings", "0"]];

let tmp: string;
/** A generated 120-model schema (every relation shape of the schema bench) with a migrations folder indexing two of its unindexed relations. */
let generated: string;
/** The same schema as a folder of files, one file per 40 models. */
let multiFile: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("schema-direct");
  const { text, unindexed } = generate({ models: 120, seed: 7 });
  generated = path.join(tmp, "generated");
  fs.mkdirSync(path.join(generated, "prisma", "migrations", "20240101000000_init"), { recursive: true });
  fs.writeFileSync(path.join(generated, "prisma", "schema.prisma"), text);
  const [first, second] = unindexed as Array<{ model: string; fields: string[] }>;
  fs.writeFileSync(
    path.join(generated, "prisma", "migrations", "20240101000000_init", "migration.sql"),
    [first!, second!].map((u, i) => `CREATE INDEX "by_hand_${i}" ON "${u.model}"(${u.fields.map((f) => `"${f}"`).join(", ")});\n`).join(""),
  );
  multiFile = path.join(tmp, "multi");
  const blocks = text.split(/\n(?=model |enum )/);
  const header = blocks.filter((b) => !/^(?:model|enum) /.test(b)).join("\n");
  const models = blocks.filter((b) => /^(?:model|enum) /.test(b));
  fs.mkdirSync(path.join(multiFile, "prisma", "schema"), { recursive: true });
  fs.writeFileSync(path.join(multiFile, "prisma", "schema", "main.prisma"), `${header}\n`);
  for (let i = 0; i < models.length; i += 40) {
    fs.writeFileSync(path.join(multiFile, "prisma", "schema", `part${i / 40}.prisma`), `${models.slice(i, i + 40).join("\n")}\n`);
  }
  copyInto(DEMO, path.join(tmp, "demo"));
});

function expectSameBothWays(args: string[], cwd: string): Run {
  const eslint = via("eslint", args, cwd);
  const direct = via("direct", args, cwd);
  expect(direct.stderr).toBe(eslint.stderr);
  expect(direct.stdout).toBe(eslint.stdout);
  expect(direct.code).toBe(eslint.code);
  return direct;
}

describe("archlint schema without ESLint: the same report as with it", () => {
  it("the demo app's schema, in every format, plain, --quiet and --max-warnings", () => {
    for (const format of FORMATS) expectSameBothWays(["--format", format], DEMO);
    for (const format of ["stylish", "json"]) for (const flags of FLAGS.slice(1)) expectSameBothWays(["--format", format, ...flags], DEMO);
    // The case has findings, so the comparison compares something.
    expect(JSON.parse(via("direct", ["--format", "json"], DEMO).stdout)[0].messages.length).toBeGreaterThan(0);
  });

  it("a generated 120-model schema whose migrations index two relations by hand, in every format", () => {
    for (const format of FORMATS) expectSameBothWays(["--format", format], generated);
    const messages = JSON.parse(via("direct", ["--format", "json"], generated).stdout)[0].messages as Array<{ messageId: string; fix?: unknown }>;
    expect(messages.some((m) => m.messageId === "missingIndexWithMigrations" && m.fix !== undefined)).toBe(true);
  });

  it("a multi-file schema folder, the folder and one of its files, and a schema outside the working directory", () => {
    for (const format of ["json", "stylish"]) {
      expectSameBothWays(["--format", format], multiFile);
      expectSameBothWays(["prisma/schema/part1.prisma", "--format", format], multiFile);
      expectSameBothWays([path.join(generated, "prisma", "schema.prisma"), "--format", format], tmp);
    }
    expectSameBothWays(["--format", "json"], path.join(CLI_FIXTURES, "multi-file"));
    expectSameBothWays(["packages/db", "--format", "json"], path.join(CLI_FIXTURES, "monorepo"));
    expectSameBothWays(["--format", "sarif"], path.join(CLI_FIXTURES, "clean"));
  });

  it("the default way prints what the ESLint way prints", () => {
    for (const format of FORMATS) {
      const eslint = via("eslint", ["--format", format], generated);
      expect(via("default", ["--format", format], generated)).toEqual(eslint);
    }
  });
});

describe("what the direct way leaves to ESLint", () => {
  const declines = (args: string[], cwd: string): void => {
    expect(via("direct", args, cwd).stderr).toContain("the direct way declined");
    for (const format of FORMATS) expect(via("default", [...args, "--format", format], cwd)).toEqual(via("eslint", [...args, "--format", format], cwd));
  };

  it("a schema with inline configuration comments (a disable directive, an unused one, a rule setting)", () => {
    const dir = path.join(tmp, "directives");
    copyInto(DEMO, dir);
    const file = path.join(dir, "prisma", "schema.prisma");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const relation = lines.findIndex((l) => l.includes("@relation(") && /\bfields:/.test(l));
    lines.splice(relation, 0, "  // eslint-disable-next-line archlint/prisma-relation-index -- a lookup table");
    lines.splice(2, 0, "// eslint-disable-next-line archlint/prisma-redundant-index");
    fs.writeFileSync(file, lines.join("\n"));
    declines([], dir);
    fs.writeFileSync(file, `// eslint archlint/prisma-relation-index: ["error", { "order": "exact" }]\n${lines.join("\n")}`);
    declines([], dir);
  });

  it("a schema Prisma rejects", () => {
    declines([], path.join(CLI_FIXTURES, "invalid-schema"));
  });

  it("--fix: the same files written and the same report as ESLint's fix", () => {
    const a = path.join(tmp, "fix-default");
    const b = path.join(tmp, "fix-eslint");
    copyInto(generated, a);
    copyInto(generated, b);
    const viaDefault = via("default", ["--fix", "--format", "json"], a);
    const viaEslint = via("eslint", ["--fix", "--format", "json"], b);
    expect(viaDefault.stdout.replaceAll(a, b)).toBe(viaEslint.stdout);
    expect(viaDefault.code).toBe(viaEslint.code);
    const written = fs.readFileSync(path.join(a, "prisma", "schema.prisma"), "utf8");
    expect(written).toBe(fs.readFileSync(path.join(b, "prisma", "schema.prisma"), "utf8"));
    expect(written).not.toBe(fs.readFileSync(path.join(generated, "prisma", "schema.prisma"), "utf8"));
  });
});

describe("the plugin's Prisma entry", () => {
  it("holds every rule of the archlint/prisma language, the same objects as the plugin's rules", async () => {
    const { default: plugin } = await import("eslint-plugin-archlint");
    const { prismaRules } = await import("eslint-plugin-archlint/prisma");
    const ofLanguage = Object.entries(plugin.rules as Record<string, { meta: { languages?: string[] } }>).filter(([, r]) =>
      r.meta.languages?.includes("archlint/prisma"),
    );
    expect(ofLanguage.length).toBeGreaterThan(0);
    expect(Object.entries(prismaRules).sort(([a], [b]) => a.localeCompare(b))).toEqual(ofLanguage.sort(([a], [b]) => a.localeCompare(b)));
    for (const [id, rule] of ofLanguage) expect((prismaRules as Record<string, unknown>)[id]).toBe(rule);
  });
});
