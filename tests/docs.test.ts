import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import { parseSchemaText, parseSql } from "@archlint/core";
import plugin from "eslint-plugin-archlint";
// @ts-expect-error -- plain ESM script without types
import { expectedDocs, ROOT } from "../scripts/docs.mjs";

const rules = plugin.rules as Record<
  string,
  { meta: { docs: { description: string; url: string }; schema: Array<{ properties?: Record<string, unknown> }>; languages?: string[] } }
>;
const ruleIds = Object.keys(rules).sort();
const rulesDir = path.join(ROOT, "packages/eslint-plugin/src/rules");

describe("docs and rule files stay in sync", () => {
  it("the generated rule tables match rule meta (run `pnpm docs:generate`)", () => {
    for (const [file, expected] of expectedDocs(rules) as Array<[string, string]>) {
      expect(fs.readFileSync(file, "utf8"), path.relative(ROOT, file)).toBe(expected);
    }
  });

  it("every rule file is registered, and every registered rule has a file", () => {
    const files = fs
      .readdirSync(rulesDir)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(files).toEqual(ruleIds);
  });

  describe.each(ruleIds)("%s", (id) => {
    const page = path.join(ROOT, "rules-docs", `${id}.md`);
    const rule = rules[id]!;

    it("has a docs page, a test file and a docs URL pointing at the page", () => {
      expect(fs.existsSync(page)).toBe(true);
      expect(fs.existsSync(path.join(ROOT, "packages/eslint-plugin/tests/rules", `${id}.test.ts`))).toBe(true);
      expect(rule.meta.docs.url.endsWith(`rules-docs/${id}.md`)).toBe(true);
    });

    it("its page quotes meta.docs.description and has every section", () => {
      const text = fs.readFileSync(page, "utf8");
      expect(text.startsWith(`# archlint/${id}\n`)).toBe(true);
      expect(text).toContain(`\n> ${rule.meta.docs.description}\n`);
      for (const heading of ["## What it reports", "## Why", "## Bad", "## Good", "## Options", "## When Not To Use It"]) {
        expect(text, heading).toContain(`\n${heading}\n`);
      }
      for (const option of Object.keys(rule.meta.schema[0]?.properties ?? {})) {
        expect(text, `option ${option}`).toContain(`\n### \`${option}\`\n`);
      }
    });

    it("every option in meta.schema has a description (from the zod schema's `.describe()`)", () => {
      for (const [option, schema] of Object.entries(rule.meta.schema[0]?.properties ?? {})) {
        const description = (schema as { description?: unknown }).description;
        expect(typeof description === "string" && description.trim().length > 0, `option ${option} has no description`).toBe(true);
      }
    });

    it("its prisma examples parse", () => {
      const text = fs.readFileSync(page, "utf8");
      const blocks = [...text.matchAll(/```prisma\n([\s\S]*?)```/g)].map((m) => m[1]!);
      for (const block of blocks) expect(parseSchemaText(block).errors).toEqual([]);
    });

    it("its sql examples parse (Postgres's parser); for a SQL rule, its Bad migrations are reported and its Good ones are not", () => {
      const text = fs.readFileSync(page, "utf8");
      for (const block of sqlBlocks(text)) expect(parseSql(block).ok, block).toBe(true);
      if (!rule.meta.languages?.includes("archlint/sql")) return;
      // The blocks of a section are consecutive migrations: linted as one file of a migrations folder.
      expect(
        lintSql(id, sqlBlocks(section(text, "Bad")).join("\n")).filter((m) => m.endsWith(` archlint/${id}`)),
        "Bad",
      ).not.toEqual([]);
      expect(lintSql(id, sqlBlocks(section(text, "Good")).join("\n")), "Good").toEqual([]);
    });
  });
});

function sqlBlocks(text: string): string[] {
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** The rule's findings on `code` as a Supabase migration of its own folder (under the working directory: ESLint lints nothing outside it). */
function lintSql(id: string, code: string): string[] {
  const filename = path.join(ROOT, "tests", ".tmp", "docs-examples", id, "supabase", "migrations", "0001.sql");
  const config = { files: ["**/*.sql"], plugins: { archlint: plugin }, language: "archlint/sql", rules: { [`archlint/${id}`]: "error" } };
  return new Linter({ cwd: ROOT, configType: "flat" })
    .verify(code, [config as Linter.Config], filename)
    .map((m) => `${m.line}:${m.column} ${m.ruleId ?? m.message}`);
}
