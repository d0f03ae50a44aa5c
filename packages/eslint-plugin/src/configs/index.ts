import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { locateSchema, schemaFiles, statFingerprint, rethrowUnlessMissing, SchemaLocateError } from "@archlint/core";
import type { ArchlintDocs } from "../utils/create-rule.js";

/**
 * Presets, derived from rule meta so they cannot drift from the rules:
 * - recommended: rules marked "recommended" that need no type information;
 * - recommended-type-checked: recommended + the type-aware ones, with the parser settings they need;
 * - strict: recommended-type-checked + rules marked "strict", with each rule's `strictOptions`;
 * - all: every rule, with `strictOptions` too.
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

/** A rule's setting in a preset: `"error"`, or `["error", options]` where the rule declares `strictOptions`. */
export type PresetEntry = "error" | ["error", Record<string, unknown>];

export function presetRules(rules: Record<string, RuleLike>, preset: PresetName): { prisma: Record<string, PresetEntry>; code: Record<string, PresetEntry> } {
  const prisma: Record<string, PresetEntry> = {};
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
    const target = rule.meta.languages?.includes("archlint/prisma") ? prisma : code;
    const strictOptions = preset === "strict" || preset === "all" ? docs.strictOptions : undefined;
    target[`archlint/${id}`] = strictOptions ? ["error", strictOptions] : "error";
  }
  return { prisma, code };
}

/**
 * ESLint's `--cache` keys each file's results on its own content and on its computed config. A
 * `.prisma` file's findings depend on the other files of its schema, and code rules read the
 * schema too, so the presets put the state (paths, sizes, mtimes) of the project's `.prisma` files
 * into `settings`: when any of them changes, the config hash changes and cached results are
 * dropped. The walk is bounded and skips dependencies and build output.
 */
let state: string | undefined;
function schemaState(): string {
  if (state !== undefined) return state;
  const files: string[] = [];
  let budget = 20_000;
  const walk = (dir: string, depth: number): void => {
    if (depth > 8 || budget <= 0) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      rethrowUnlessMissing(error);
      return;
    }
    for (const e of entries) {
      if (--budget <= 0) return;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) walk(path.join(dir, e.name), depth + 1);
      } else if (e.name.endsWith(".prisma")) {
        files.push(path.join(dir, e.name));
      }
    }
  };
  const cwd = process.cwd();
  walk(cwd, 0);
  try {
    const located = locateSchema(cwd);
    if (located && !(located.path + path.sep).startsWith(cwd + path.sep)) files.push(...schemaFiles(located));
  } catch (error) {
    if (!(error instanceof SchemaLocateError)) throw error;
    // a broken explicit location is reported by the language when a file is linted
  }
  state = files.length === 0 ? "none" : statFingerprint(files.sort());
  return state;
}

const SKIP_DIRS = new Set(["node_modules", "dist", "build", "coverage", "out", ".next", ".git"]);

let parser: unknown;
/** typescript-eslint's parser, loaded when a preset's code config is first used (~100 ms). */
function typescriptParser(): unknown {
  parser ??= createRequire(import.meta.url)("@typescript-eslint/parser");
  return parser;
}

export function buildPreset(plugin: object, rules: Record<string, RuleLike>, preset: PresetName): object[] {
  const { prisma, code } = presetRules(rules, preset);
  const typeChecked = preset !== "recommended";
  const settings = { archlintSchemaState: schemaState() };
  const configs: object[] = [
    { name: `archlint/${preset}/prisma`, files: PRISMA_FILES, plugins: { archlint: plugin }, language: "archlint/prisma", rules: prisma, settings },
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
