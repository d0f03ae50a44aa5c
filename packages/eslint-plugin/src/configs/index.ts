import { locateSchema, schemaStatFingerprint } from "@archlint/core";
import type { ArchlintDocs } from "../utils/create-rule.js";

/**
 * Presets, derived from rule meta so they cannot drift from the rules:
 * - recommended: rules marked "recommended" that need no type information;
 * - recommended-type-checked: recommended + the type-aware ones, with the parser settings they need;
 * - strict: recommended-type-checked + rules marked "strict";
 * - all: every rule.
 * Rules on `.prisma` files are enabled only for `**\/*.prisma` (through the archlint/prisma
 * language), the others only for TypeScript and JavaScript files.
 */

export type PresetName = "recommended" | "recommended-type-checked" | "strict" | "all";

interface RuleLike {
  meta: { docs?: ArchlintDocs; languages?: string[] };
}

const LEVELS: Record<ArchlintDocs["recommended"], number> = { recommended: 0, strict: 1, all: 2 };

export const TS_FILES = ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts", "**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"];
export const PRISMA_FILES = ["**/*.prisma"];

export function presetRules(rules: Record<string, RuleLike>, preset: PresetName): { prisma: Record<string, "error">; code: Record<string, "error"> } {
  const prisma: Record<string, "error"> = {};
  const code: Record<string, "error"> = {};
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
    const target = rule.meta.languages?.includes("archlint/prisma") ? prisma : code;
    target[`archlint/${id}`] = "error";
  }
  return { prisma, code };
}

/**
 * ESLint's `--cache` keys each file's results on its own content and on its computed config. A
 * `.prisma` file's findings depend on the other files of its schema, and code rules read the
 * schema too, so the presets put the schema's state (paths, sizes, mtimes) into `settings`: when
 * the schema changes, the config hash changes and cached results are dropped.
 */
let state: string | undefined;
function schemaState(): string {
  if (state !== undefined) return state;
  try {
    const location = locateSchema(process.cwd());
    state = location ? schemaStatFingerprint(location) : "none";
  } catch {
    state = "unreadable";
  }
  return state;
}

export function buildPreset(plugin: object, rules: Record<string, RuleLike>, preset: PresetName): object[] {
  const { prisma, code } = presetRules(rules, preset);
  const typeChecked = preset !== "recommended";
  const settings = { archlintSchemaState: schemaState() };
  const configs: object[] = [
    { name: `archlint/${preset}/prisma`, files: PRISMA_FILES, plugins: { archlint: plugin }, language: "archlint/prisma", rules: prisma, settings },
  ];
  const codeConfig: Record<string, unknown> = { name: `archlint/${preset}/code`, files: TS_FILES, plugins: { archlint: plugin }, rules: code, settings };
  if (typeChecked) {
    codeConfig.languageOptions = { parserOptions: { projectService: true } };
  }
  configs.push(codeConfig);
  return configs;
}
