import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { LintResult, RuleMetaLike } from "./formatters/types.js";

/**
 * `archlint schema` without ESLint's machinery: the `archlint/prisma` language and the Prisma rules
 * of `recommended`, run over each schema file the way ESLint's linter runs them (parse, source
 * code, one listener per rule on each node in rule order, messages sorted by line and column), with
 * ESLint's own report translator (`FileReport`: message text, positions, fixes, suggestions) and
 * per-file counts. Loading ESLint, validating its config and rule options with ajv and hashing the
 * project's schema state cost more than linting a schema; this path skips them and gives the same
 * results (a test runs both paths on every case and compares their output in every format).
 *
 * It answers only when nothing ESLint would do differently can happen: no `--fix`, every file a
 * `.prisma` file under ESLint's base path outside `node_modules` and `.git`, with no byte-order
 * mark, that archlint's parser reads, that Prisma finds no error in, and with no inline
 * configuration comment (`eslint-disable...`, `eslint ...`), and every rule listening on node types
 * only. Anything else returns null and the caller lints with ESLint, which handles it as always.
 */

/** The ESLint internals this path uses, from the ESLint the CLI depends on. */
export interface EslintParts {
  FileReport: new (options: { ruleMapper: (id: string) => unknown; sourceCode: unknown; language: unknown; disableFixes?: boolean }) => {
    messages: LintMessage[];
    addRuleMessage(ruleId: string, severity: number, descriptor: unknown): LintMessage;
  };
  calculateStatsPerFile: (messages: LintMessage[]) => Record<string, number>;
  formattersDir: string;
}

interface LintMessage {
  line: number;
  column: number;
  [key: string]: unknown;
}

export interface RuleModule {
  meta: RuleMetaLike & { fixable?: string; hasSuggestions?: boolean };
  create(context: unknown): Record<string, ((...args: unknown[]) => void) | undefined>;
}

interface SourceCodeLike {
  text: string;
  problems?: readonly unknown[];
  getInlineConfigNodes(): readonly unknown[];
  traverse(): Iterable<{ phase: number; target: { type: string }; args: unknown[] }>;
}

let parts: EslintParts | null | undefined;

/** ESLint's report translator and counts, by file path inside its package; null when this ESLint has them elsewhere. */
export function eslintParts(): EslintParts | null {
  if (parts !== undefined) return parts;
  const require = createRequire(import.meta.url);
  try {
    const lib = path.dirname(require.resolve("eslint"));
    const { FileReport } = require(path.join(lib, "linter", "file-report.js")) as { FileReport?: EslintParts["FileReport"] };
    const { calculateStatsPerFile } = require(path.join(lib, "shared", "message-counts.js")) as {
      calculateStatsPerFile?: EslintParts["calculateStatsPerFile"];
    };
    parts =
      typeof FileReport === "function" && typeof calculateStatsPerFile === "function"
        ? { FileReport, calculateStatsPerFile, formattersDir: path.join(lib, "cli-engine", "formatters") }
        : null;
  } catch (error) {
    // Another ESLint layout (a major version that moved them): ESLint itself lints the schema.
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    parts = null;
  }
  return parts;
}

const NODE_TYPE = /^[A-Za-z]+(?::exit)?$/;
const IGNORED_SEGMENT = new Set(["node_modules", ".git"]);

export interface DirectRule {
  /** `archlint/<name>`. */
  id: string;
  rule: RuleModule;
  severity: 1 | 2;
  options: unknown[];
}

interface LanguageLike {
  parse(file: { path: string; physicalPath: string; body: string }, context: { languageOptions: object }): { ok: boolean };
  createSourceCode(file: { path: string; physicalPath: string; body: string }, parsed: never, context: { languageOptions: object }): unknown;
}

/** A file's text; null on a file system error (the file vanished, unreadable), which ESLint reads again and reports its own way. */
export function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    return null;
  }
}

/**
 * One file linted as ESLint's linter lints it (parse, source code, one listener per rule on each
 * node in rule order, ESLint's own report translator, messages sorted by line and column); null
 * when only ESLint can: a byte-order mark, a parse error, problems or inline configuration in the
 * source code, a selector beyond a node type. A rule or parser that throws is left to ESLint too
 * (it reports the failure its own way, the rule and file named).
 */
export function lintFileDirect(
  eslint: EslintParts,
  input: { file: string; text: string; cwd: string; language: LanguageLike; languageOptions: object; settings: object; rules: DirectRule[] },
): LintResult | null {
  const { file, text, cwd, language, languageOptions, settings } = input;
  if (text.charCodeAt(0) === 0xfeff) return null;
  try {
    const vfile = { path: file, physicalPath: file, body: text };
    const parsed = language.parse(vfile, { languageOptions });
    if (!parsed.ok) return null;
    const sourceCode = language.createSourceCode(vfile, parsed as never, { languageOptions }) as SourceCodeLike;
    if ((sourceCode.problems?.length ?? 0) > 0 || sourceCode.getInlineConfigNodes().length > 0) return null;
    const byId = new Map(input.rules.map((r) => [r.id, r.rule]));
    const report = new eslint.FileReport({ ruleMapper: (id) => byId.get(id), sourceCode, language });
    const enter = new Map<string, Array<(...args: unknown[]) => void>>();
    const exit = new Map<string, Array<(...args: unknown[]) => void>>();
    for (const { id, rule, severity, options } of input.rules) {
      const context = {
        id,
        cwd,
        filename: file,
        physicalFilename: file,
        sourceCode,
        settings,
        languageOptions,
        options,
        report: (descriptor: unknown) => void report.addRuleMessage(id, severity, descriptor),
      };
      for (const [selector, listener] of Object.entries(rule.create(context))) {
        // A selector beyond a node type (esquery's attribute or descendant syntax) is ESLint's to match.
        if (!NODE_TYPE.test(selector)) return null;
        if (typeof listener !== "function") continue;
        const [type, phase] = selector.split(":") as [string, string | undefined];
        const byType = phase === "exit" ? exit : enter;
        byType.set(type, [...(byType.get(type) ?? []), listener]);
      }
    }
    for (const step of sourceCode.traverse()) {
      const listeners = (step.phase === 1 ? enter : exit).get(step.target.type);
      if (listeners) for (const listener of listeners) listener(...step.args);
    }
    // ESLint's linter sorts a file's messages by position (a stable sort: report order within one).
    const messages = report.messages.sort((a, b) => a.line - b.line || a.column - b.column);
    const result: Record<string, unknown> = { filePath: file, messages, suppressedMessages: [], ...eslint.calculateStatsPerFile(messages) };
    if ((result.errorCount as number) + (result.warningCount as number) > 0) result.source = text;
    result.usedDeprecatedRules = [];
    return result as unknown as LintResult;
  } catch {
    // A rule or the parser that throws: ESLint lints the file again and reports the failure its own way (the rule and file named).
    return null;
  }
}

export interface DirectSchemaLint {
  results: LintResult[];
  /** The meta of the rules that ran, by `archlint/<id>`. */
  rulesMeta: Record<string, RuleMetaLike>;
  /** ESLint's formatter of this name (stylish, json), as `ESLint#loadFormatter` calls it; null when the project installs its own of that name. */
  formatter(name: string): Promise<{ format(results: LintResult[], meta: { cwd: string; rulesMeta: Record<string, RuleMetaLike> }): string } | null>;
}

/**
 * Lints `files` (absolute) as `new ESLint({ cwd, overrideConfig: <recommended's Prisma config with
 * languageOptions.schema> }).lintFiles(files)` would; null when only ESLint can (see above).
 */
export async function lintSchemaDirect(files: string[], cwd: string, schemaPath: string): Promise<DirectSchemaLint | null> {
  const eslint = eslintParts();
  if (!eslint) return null;
  for (const file of files) {
    const rel = path.relative(cwd, file);
    if (!file.endsWith(".prisma") || rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).some((s) => IGNORED_SEGMENT.has(s))) return null;
  }
  const { prismaLanguage, prismaRules, presetRules } = await import("eslint-plugin-archlint/prisma");
  const rules = prismaRules as unknown as Record<string, RuleModule>;
  const configured = Object.keys(presetRules(prismaRules, "recommended").prisma);
  const ruleOf = (ruleId: string): RuleModule | undefined => (ruleId.startsWith("archlint/") ? rules[ruleId.slice("archlint/".length)] : undefined);
  const languageOptions = { schema: schemaPath };
  const lintOne = (file: string): LintResult | null => {
    const text = readOrNull(file);
    if (text === null) return null;
    const rules = configured.map((id) => ({ id, rule: ruleOf(id)!, severity: 2 as const, options: [] }));
    return lintFileDirect(eslint, { file, text, cwd, language: prismaLanguage, languageOptions, settings: {}, rules });
  };
  const results: LintResult[] = [];
  for (const file of files) {
    const result = lintOne(file);
    if (!result) return null;
    results.push(result);
  }
  const rulesMeta: Record<string, RuleMetaLike> = {};
  for (const r of results) for (const m of r.messages) if (m.ruleId && ruleOf(m.ruleId)) rulesMeta[m.ruleId] = ruleOf(m.ruleId)!.meta;
  return {
    results,
    rulesMeta,
    async formatter(name) {
      // ESLint prefers a package `eslint-formatter-<name>` the project installs over its own.
      try {
        createRequire(path.join(cwd, "__placeholder__.js")).resolve(`eslint-formatter-${name}`);
        return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      }
      const format = createRequire(import.meta.url)(path.join(eslint.formattersDir, `${name}.js`)) as (results: LintResult[], meta: object) => string;
      // As ESLint's loadFormatter: its own working directory (the lint's), whatever the caller passes.
      return { format: (shown, meta) => format(shown, { ...meta, cwd }) };
    },
  };
}
