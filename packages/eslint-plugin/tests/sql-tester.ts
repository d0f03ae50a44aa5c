import fs from "node:fs";
import path from "node:path";
import { clearMigrationCache } from "@archlint/core";
import { RuleTester, type ESLint } from "eslint";
import { afterAll } from "vitest";
import plugin from "../src/index.js";

/**
 * The SQL rules through ESLint's own RuleTester on the `archlint/sql` language. A rule reads the
 * whole migrations folder of the linted file, so each case's other migrations are written to disk
 * first, in a folder under the working directory (ESLint lints nothing outside it); the linted
 * file's text is the case's `code`, as an editor hands ESLint unsaved text.
 */

export const eslintPlugin = plugin as unknown as ESLint.Plugin;

export function sqlRule(id: "sql-rls-enabled" | "sql-rls-policy" | "sql-fk-index"): Parameters<RuleTester["run"]>[1] {
  return plugin.rules[id] as unknown as Parameters<RuleTester["run"]>[1];
}

export const sqlTester = new RuleTester({ plugins: { archlint: eslintPlugin }, language: "archlint/sql" });

fs.mkdirSync(path.join(process.cwd(), "tests", ".tmp"), { recursive: true });
const root = fs.mkdtempSync(path.join(process.cwd(), "tests", ".tmp", "sql-rules-"));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  clearMigrationCache();
});

let count = 0;

/**
 * A project folder holding `files` (paths relative to it, e.g. `supabase/migrations/001_init.sql`);
 * returns the absolute path of `linted` in it, the case's `filename` (not written: its text is the
 * case's code, and a migration not saved yet is part of its folder's history too).
 */
export function project(files: Record<string, string>, linted: string): string {
  const dir = path.join(root, String(++count));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return path.join(dir, linted);
}
