import type { ESLint } from "eslint";
import type { LintResult } from "./formatters/types.js";
import { eslintParts, lintFileDirect, readOrNull, type DirectRule, type RuleModule } from "./schema-direct.js";

/**
 * `archlint check`'s SQL migrations without ESLint's per-file machinery (its file reads through a
 * retrier, config look-up, verify, disable-directive pass: ~110 ms of CPU for 200 migrations on a
 * cold run, a quarter of what they cost): each `.sql` file is linted by `lintFileDirect` (see
 * schema-direct.ts) with the config ESLint computes for it (language, rules with their severity
 * and options, settings, languageOptions), so the findings and every format are the same.
 *
 * A file is left to ESLint (declined) when ESLint would do something this path does not: its
 * config is not the `archlint/sql` language, or it holds a rule that is not one of archlint's SQL
 * rules (a project config adding rules for `.sql`), a rule with default options to merge or that
 * is deprecated; the file is ignored, has a byte-order mark, does not parse, or has inline
 * configuration (`eslint-disable...`, which ESLint applies and reports on); or a rule throws.
 */

/** eslint-plugin-archlint, as ESLint's `Plugin` type has it. */
interface SqlPlugin {
  languages?: Record<string, unknown>;
  rules?: Record<string, unknown>;
}

interface ComputedConfig {
  language?: unknown;
  languageOptions?: object;
  settings?: object;
  rules?: Record<string, [number, ...unknown[]]>;
}

export interface DirectSqlLint {
  results: LintResult[];
  /** The files only ESLint can lint (see above), in the order given. */
  declined: string[];
}

/**
 * Lints `files` (absolute `.sql` files) as `eslint.lintFiles(files)` would, those it can;
 * `keep(ruleId, severity)` is the run's rule filter (ESLint's `ruleFilter`).
 */
export async function lintSqlDirect(
  eslint: ESLint,
  plugin: SqlPlugin,
  files: string[],
  cwd: string,
  keep: (ruleId: string, severity: number) => boolean,
): Promise<DirectSqlLint> {
  const parts = eslintParts();
  if (!parts) return { results: [], declined: files };
  const results: LintResult[] = [];
  const declined: string[] = [];
  for (const file of files) {
    const config = (await eslint.calculateConfigForFile(file)) as ComputedConfig | undefined;
    const rules =
      config?.language !== undefined && config.language === plugin.languages?.sql && !(await eslint.isPathIgnored(file))
        ? rulesOf(config!, plugin, keep)
        : null;
    const result = rules && lintOne(parts, file, cwd, config!, rules);
    if (result) results.push(result);
    else declined.push(file);
  }
  return { results, declined };
}

/** The rules a config runs on a migration, or null when one is not archlint's SQL rule as it stands (see above). */
function rulesOf(config: ComputedConfig, plugin: SqlPlugin, keep: (ruleId: string, severity: number) => boolean): DirectRule[] | null {
  const rules: DirectRule[] = [];
  for (const [id, [severity, ...options]] of Object.entries(config.rules ?? {})) {
    if (severity === 0 || !keep(id, severity)) continue;
    const rule = id.startsWith("archlint/") ? (plugin.rules?.[id.slice("archlint/".length)] as RuleModule | undefined) : undefined;
    const meta = rule?.meta as { languages?: string[]; defaultOptions?: unknown; deprecated?: unknown } | undefined;
    if (!rule || !meta?.languages?.includes("archlint/sql") || meta.defaultOptions !== undefined || meta.deprecated || (severity !== 1 && severity !== 2))
      return null;
    rules.push({ id, rule, severity, options });
  }
  return rules;
}

function lintOne(
  parts: NonNullable<ReturnType<typeof eslintParts>>,
  file: string,
  cwd: string,
  config: ComputedConfig,
  rules: DirectRule[],
): LintResult | null {
  const text = readOrNull(file);
  if (text === null) return null;
  const language = config.language as Parameters<typeof lintFileDirect>[1]["language"];
  return lintFileDirect(parts, { file, text, cwd, language, languageOptions: config.languageOptions ?? {}, settings: config.settings ?? {}, rules });
}
