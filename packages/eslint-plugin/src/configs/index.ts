import { createRequire } from "node:module";
import { schemaFingerprint } from "@archlint/core";
import type { ArchlintDocs } from "../utils/create-rule.js";

/**
 * Presets, derived from rule meta so they cannot drift from the rules:
 * - recommended: rules marked "recommended" that need no type information;
 * - recommended-type-checked: recommended + the type-aware ones, with the parser settings they need;
 * - strict: recommended-type-checked + rules marked "strict", with each rule's `strictOptions`;
 * - all: every rule, with `strictOptions` too.
 * Rules on `.prisma` files are enabled only for `**\/*.prisma` (through the archlint/prisma
 * language), rules on SQL migrations only for `.sql` files in a `migrations` folder (through the
 * archlint/sql language), the others only for TypeScript and JavaScript files.
 */

export type PresetName = "recommended" | "recommended-type-checked" | "strict" | "all";

interface RuleLike {
  meta: { docs?: ArchlintDocs; languages?: string[] };
}

const LEVELS: Record<ArchlintDocs["recommended"], number> = { recommended: 0, strict: 1, all: 2 };

export const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"];
export const PRISMA_FILES = ["**/*.prisma"];
/**
 * SQL migrations: Supabase's `supabase/migrations/*.sql`, Prisma's `prisma/migrations/<name>/migration.sql`
 * and most other tools' layouts. Not every `.sql` file: seeds, dumps and queries are not schema history.
 */
export const SQL_FILES = ["**/migrations/**/*.sql"];

/** A rule's setting in a preset: `"error"`, or `["error", options]` where the rule declares `strictOptions`. */
export type PresetEntry = "error" | ["error", Record<string, unknown>];

export function presetRules(
  rules: Record<string, RuleLike>,
  preset: PresetName,
): { prisma: Record<string, PresetEntry>; sql: Record<string, PresetEntry>; code: Record<string, PresetEntry> } {
  const prisma: Record<string, PresetEntry> = {};
  const sql: Record<string, PresetEntry> = {};
  const code: Record<string, PresetEntry> = {};
  for (const [id, rule] of Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))) {
    const docs = rule.meta.docs;
    if (!docs) continue;
    const level = LEVELS[docs.recommended];
    const typed = docs.requiresTypeChecking === true;
    const included =
      preset === "all" ||
      (preset === "recommended" && level === 0 && !typed) ||
      (preset === "recommended-type-checked" && level === 0) ||
      (preset === "strict" && level <= 1);
    if (!included) continue;
    const languages = rule.meta.languages ?? [];
    const target = languages.includes("archlint/prisma") ? prisma : languages.includes("archlint/sql") ? sql : code;
    const strictOptions = preset === "strict" || preset === "all" ? docs.strictOptions : undefined;
    target[`archlint/${id}`] = strictOptions ? ["error", strictOptions] : "error";
  }
  return { prisma, sql, code };
}

/**
 * ESLint's `--cache` keys each file's results on its own content and on its computed config. A
 * `.prisma` file's findings depend on the other files of its schema and on indexes its SQL
 * migrations create, a migration's on the other migrations of its folder, and code rules read the
 * schema too, so the presets put the state (paths, sizes, mtimes) of the project's `.prisma` and
 * `.sql` files into `settings`: when
 * any of them changes, the config hash changes and cached results are dropped. The walk is bounded
 * and skips dependencies and build output. It is done when the config is serialised (ESLint's
 * cache hashes the config through `toJSON`), not when the plugin is loaded: a run without ESLint's
 * cache (the editor, `archlint check`, a pre-commit hook linting one file) never walks the project
 * for it (~50 ms on a 3,000-file repository).
 */
let state: string | undefined;
const schemaState = { toJSON: (): string => (state ??= schemaFingerprint(process.cwd())) };

let parser: unknown;
/** typescript-eslint's parser, loaded when a preset's code config is first used (~100 ms). */
function typescriptParser(): unknown {
  parser ??= createRequire(import.meta.url)("@typescript-eslint/parser");
  return parser;
}

export function buildPreset(plugin: object, rules: Record<string, RuleLike>, preset: PresetName): object[] {
  const { prisma, sql, code } = presetRules(rules, preset);
  const typeChecked = preset !== "recommended";
  const settings = { archlintSchemaState: schemaState };
  const configs: object[] = [
    { name: `archlint/${preset}/prisma`, files: PRISMA_FILES, plugins: { archlint: plugin }, language: "archlint/prisma", rules: prisma, settings },
    { name: `archlint/${preset}/sql`, files: SQL_FILES, plugins: { archlint: plugin }, language: "archlint/sql", rules: sql, settings },
  ];
  const codeConfig: Record<string, unknown> = { name: `archlint/${preset}/code`, files: TS_FILES, plugins: { archlint: plugin }, rules: code, settings };
  let languageOptions: object | undefined;
  Object.defineProperty(codeConfig, "languageOptions", {
    enumerable: true,
    get: () =>
      (languageOptions ??= {
        parser: typescriptParser(),
        sourceType: "module",
        ...(typeChecked ? { parserOptions: { projectService: true } } : {}),
      }),
  });
  configs.push(codeConfig);
  return configs;
}
