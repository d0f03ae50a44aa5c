import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ESLint } from "eslint";
import type pluginModule from "eslint-plugin-archlint";
import type { PrepassFile, TypedPackage } from "eslint-plugin-archlint";
import {
  CODE_FILE,
  LINTABLE_FILE,
  inMigrationRun,
  inSchemaRun,
  parseSettings,
  projectSchema,
  recordReads,
  rethrowUnlessMissing,
  schemaFiles,
  schemaForCode,
  schemaSymlinkRefusal,
  schemaForPrismaFile,
  schemasInWorkspace,
  SchemaLocateError,
  sourceFiles,
  SettingsError,
  tsconfigForTargets,
  validateEditedSchemas,
  type SchemaLocation,
} from "@archlint/core";
import { formatGithub } from "./formatters/github.js";
import { formatSarif } from "./formatters/sarif.js";
import { ESLINT_CONFIG_NAMES } from "./detect.js";
import { isArchlintFix, isGlob, keepArchlint, lintRoots, type LintRoot } from "./scope.js";
import { HOOKS, InitError, runInit, type HookKind } from "./init.js";
import { lintStaged, stagedFiles, type StagedFile } from "./staged.js";
import { stagedPrograms } from "./staged-program.js";
import { FixWriteError, lintAndFix } from "./fix-writer.js";
import { cacheFilePath, filesToLint, ResultCache } from "./result-cache.js";
import type { LintResult, RuleMetaLike } from "./formatters/types.js";
import { COMMAND_USAGE, USAGE, version } from "./usage.js";
import { MAP_FORMATS } from "./map/formats.js";
import { lintSchemaDirect, type DirectSchemaLint } from "./schema-direct.js";
import { lintSqlDirect, type DirectSqlLint } from "./sql-direct.js";

type Plugin = typeof pluginModule;
let ESLintClass: typeof ESLint;
let plugin: Plugin;

/**
 * ESLint and the plugin, loaded by the commands that lint with them (`archlint schema` mostly does
 * not, see schema-direct.ts): `--version`, `--help`, `init` and a usage error never pay for them.
 */
export async function loadEslint(): Promise<{ ESLint: typeof ESLint; plugin: Plugin }> {
  ESLintClass ??= (await import("eslint")).ESLint;
  plugin ??= (await import("eslint-plugin-archlint")).default;
  return { ESLint: ESLintClass, plugin };
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ["stylish", "json", "sarif", "github"] as const;
type Format = (typeof FORMATS)[number];

/** A usage or input error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /**
   * For the test that compares the two ways `archlint schema` lints: with ESLint ("eslint"), or
   * without it ("direct", an error when that way declines). Unset: without ESLint when it can.
   */
  schemaVia?: "eslint" | "direct";
  /**
   * For the test that compares the two ways `archlint check` lints SQL migrations (see
   * sql-direct.ts): with ESLint ("eslint"), or without it where it can ("direct", an error when
   * it declined every migration it was offered). Unset: without ESLint where it can.
   */
  sqlVia?: "eslint" | "direct";
}

export interface Options {
  format: Format;
  fix: boolean;
  maxWarnings: number;
  quiet: boolean;
  config?: string;
  schema?: string;
  staged: boolean;
  cache: boolean;
  cacheLocation?: string;
  typeCheck: boolean;
  /** The pre-pass of check (see configPrepass); `--no-prepass` turns it off. */
  prepass: boolean;
  dryRun: boolean;
  force: boolean;
  hook: HookKind;
  focus?: string;
  diff?: string;
}

function parseCommandLine(argv: string[]): { command: string | undefined; positionals: string[]; options: Options; help: boolean; version: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", short: "f" },
        fix: { type: "boolean" },
        "max-warnings": { type: "string" },
        quiet: { type: "boolean" },
        staged: { type: "boolean" },
        cache: { type: "boolean" },
        "cache-location": { type: "string" },
        "no-type-check": { type: "boolean" },
        "no-prepass": { type: "boolean" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
        hook: { type: "string" },
        config: { type: "string", short: "c" },
        schema: { type: "string" },
        focus: { type: "string" },
        diff: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    const err = error as Error & { code?: string };
    const flag = /'([^']+)'/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) throw new UsageError(`Unknown option ${flag} (see archlint --help).`);
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) throw new UsageError(`Option ${flag} needs a value (see archlint --help).`);
    throw new UsageError(err.message.split("\n")[0]!);
  }
  const { values, positionals } = parsed;
  const isMap = positionals[0] === "map";
  const format = (values.format ?? (isMap ? (values.diff !== undefined ? "markdown" : "json") : "stylish")) as Format;
  const allowed: readonly string[] = isMap ? MAP_FORMATS : FORMATS;
  if (!allowed.includes(format)) throw new UsageError(`Unknown --format "${values.format}" (use ${allowed.join(", ")}).`);
  if (values.focus !== undefined && !isMap) throw new UsageError("--focus is an option of archlint map.");
  if (values.diff !== undefined && !isMap) throw new UsageError("--diff is an option of archlint map.");
  let maxWarnings = -1;
  if (values["max-warnings"] !== undefined) {
    const raw = values["max-warnings"];
    if (!/^\d+$/.test(raw)) throw new UsageError(`--max-warnings needs a whole number, got "${raw}".`);
    maxWarnings = Number(raw);
  }
  const hook = (values.hook ?? "none") as HookKind;
  if (!HOOKS.includes(hook)) throw new UsageError(`Unknown --hook "${values.hook}" (use ${HOOKS.join(", ")}).`);
  const [command, ...rest] = positionals;
  return {
    command,
    positionals: rest,
    help: values.help === true,
    version: values.version === true,
    options: {
      format,
      fix: values.fix === true,
      maxWarnings,
      quiet: values.quiet === true,
      config: values.config,
      schema: values.schema,
      staged: values.staged === true,
      cache: values.cache === true,
      cacheLocation: values["cache-location"],
      typeCheck: values["no-type-check"] !== true,
      prepass: values["no-prepass"] !== true,
      dryRun: values["dry-run"] === true,
      force: values.force === true,
      hook,
      focus: values.focus,
      diff: values.diff,
    },
  };
}

/** The project's own flat config: `--config`, else the nearest `eslint.config.*` at or above `dir`. */
function projectEslintConfig(dir: string, explicit: string | undefined): string | null {
  if (explicit !== undefined) return explicit;
  for (let d = dir; ; d = path.dirname(d)) {
    const name = ESLINT_CONFIG_NAMES.find((n) => fs.existsSync(path.join(d, n)));
    if (name) return path.join(d, name);
    if (path.dirname(d) === d) return null;
  }
}

/**
 * Whether a config can register archlint's plugin: read as text, so a config that does not (most
 * projects) is never loaded, and a plugin it needs that is not installed cannot stop archlint.
 */
function mentionsArchlint(configFile: string): boolean {
  try {
    return fs.readFileSync(configFile, "utf8").includes("archlint");
  } catch (error) {
    throw new UsageError(`Cannot read ESLint config ${configFile}: ${(error as Error).message}`);
  }
}

const DEFAULT_IGNORES = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/.next/**", "**/coverage/**", "**/.turbo/**"];

/**
 * archlint's own config, for projects that have no ESLint config: `recommended-type-checked` with
 * typescript-eslint's project service when a tsconfig.json types the files (`tsconfigRoot`), else
 * `recommended`.
 */
async function zeroConfig(schemaOption: string | undefined, tsconfigRoot: string | null = null, programs: object[] | null = null): Promise<object[]> {
  const tsParser = await import("@typescript-eslint/parser");
  const configs: object[] = [{ name: "archlint/ignores", ignores: DEFAULT_IGNORES }];
  const preset = tsconfigRoot ? plugin.configs["recommended-type-checked"] : plugin.configs.recommended;
  // --staged gives the programs of the staged files (see staged-program.ts), else the project service builds each tsconfig's.
  const typed = programs ? { programs, tsconfigRootDir: tsconfigRoot } : { projectService: true, tsconfigRootDir: tsconfigRoot };
  const parserOptions = tsconfigRoot ? { parserOptions: typed } : {};
  for (const c of preset as Array<Record<string, unknown>>) {
    if (c.language === "archlint/prisma") {
      configs.push(schemaOption ? { ...c, languageOptions: { schema: schemaOption } } : c);
    } else if (c.language === "archlint/sql") {
      configs.push(c);
    } else {
      configs.push({ ...c, languageOptions: { parser: tsParser, sourceType: "module", ...parserOptions } });
    }
  }
  if (schemaOption) configs.push({ name: "archlint/settings", settings: { archlint: { schema: schemaOption } } });
  return configs;
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortResults(results: LintResult[]): LintResult[] {
  const sorted = [...results].sort((a, b) => compare(a.filePath, b.filePath));
  for (const r of sorted) {
    r.messages.sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compare(a.ruleId ?? "", b.ruleId ?? "") || compare(a.message, b.message),
    );
  }
  return sorted;
}

/** The meta of the archlint rules in the results (the report holds no other rule's findings). */
function rulesMetaFor(results: LintResult[]): Record<string, RuleMetaLike> {
  const rules = plugin.rules as Record<string, { meta?: RuleMetaLike }>;
  const meta: Record<string, RuleMetaLike> = {};
  for (const m of results.flatMap((r) => r.messages)) {
    const rule = m.ruleId?.startsWith("archlint/") ? rules[m.ruleId.slice("archlint/".length)] : undefined;
    if (rule?.meta) meta[m.ruleId!] = rule.meta;
  }
  return meta;
}

/** What a run's report needs besides its results: ESLint's (or schema-direct's) formatters, --quiet's filter and the rules' meta. */
interface Reporter {
  loadFormatter(name: string): Promise<{ format(results: never, meta: never): string | Promise<string> }>;
  errorResults(results: LintResult[]): LintResult[];
  rulesMeta(results: LintResult[]): Record<string, RuleMetaLike>;
}

const eslintReporter = (eslint: ESLint): Reporter => ({
  loadFormatter: (name) => eslint.loadFormatter(name),
  errorResults: (results) => ESLintClass.getErrorResults(results as never) as unknown as LintResult[],
  rulesMeta: rulesMetaFor,
});

async function format(reporter: Reporter, results: LintResult[], fmt: Format, cwd: string, notes: string[]): Promise<string> {
  if (fmt === "github") return formatGithub(results, cwd);
  if (fmt === "sarif") return formatSarif(results, cwd, reporter.rulesMeta(results), version, notes);
  const formatter = await reporter.loadFormatter(fmt);
  // ESLint's JSON carries each file's whole text as `source` when it has a fatal message: a
  // schema symlinked to a secrets file would print them into CI logs. Findings need no copy.
  const shown = fmt === "json" ? results.map(({ source: _source, ...rest }) => rest) : results;
  return formatter.format(shown as never, { cwd, rulesMeta: reporter.rulesMeta(results) } as never) as string;
}

function exitCodeFor(results: LintResult[], maxWarnings: number): number {
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings >= 0 && warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function runLint(
  reporter: Reporter,
  lint: () => Promise<LintResult[]>,
  options: Options,
  io: Io,
  beforeOutput?: (results: LintResult[]) => Promise<void>,
  notes: () => string[] = () => [],
): Promise<number> {
  let results: LintResult[];
  let pending = false;
  if (options.fix) {
    // Each fix pass's text is parsed, not validated: the files are linted again once written,
    // which validates the schema as written (once, not once per fixed file and pass).
    validateEditedSchemas(false);
    // The report is of the files after the fixes: a fix can clear findings in other files too.
    ({ results, pending } = await lintAndFix(lint, io, beforeOutput));
  } else {
    results = await lint();
    if (beforeOutput) await beforeOutput(results);
  }
  if (options.quiet) results = reporter.errorResults(results);
  results = sortResults(results);
  const out = await format(reporter, results, options.format, io.cwd, notes());
  if (out) io.stdout(out.endsWith("\n") || out === "" ? out : `${out}\n`);
  const code = pending ? Math.max(EXIT_FINDINGS, exitCodeFor(results, options.maxWarnings)) : exitCodeFor(results, options.maxWarnings);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (options.maxWarnings >= 0 && warnings > options.maxWarnings && results.every((r) => r.errorCount === 0) && options.format === "stylish") {
    io.stderr(`archlint found too many warnings (maximum: ${options.maxWarnings}).\n`);
  }
  return code;
}

async function check(paths: string[], options: Options, io: Io): Promise<number> {
  await loadEslint();
  const targets = paths.length > 0 ? paths : ["."];
  for (const t of targets) {
    if (!isGlob(t) && !fs.existsSync(path.resolve(io.cwd, t))) throw new UsageError(`No such file or directory: ${t}`);
  }
  const config = options.config === undefined ? undefined : path.resolve(io.cwd, options.config);
  if (config !== undefined && !fs.existsSync(config)) throw new UsageError(`ESLint config not found: ${options.config}`);
  if (options.schema !== undefined) projectSchema(io.cwd, options.schema);
  const resolved: Options = { ...options, config, schema: options.schema && path.resolve(io.cwd, options.schema) };
  const staged = options.staged ? stagedFiles(io.cwd, paths, options) : undefined;
  if (staged?.length === 0) return EXIT_CLEAN;
  const roots = staged ? [{ root: io.cwd, targets }] : lintRoots(io.cwd, targets);
  // A note (which preset ran, files outside any tsconfig) is said once, however often --fix re-lints.
  const said = new Set<string>();
  const quietIo: Io = { ...io, stderr: (line) => void (said.has(line) || (said.add(line), io.stderr(line))) };
  const runs: CheckRun[] = [];
  for (const root of roots) runs.push(await prepareCheck(root, resolved, quietIo, staged));
  // --staged lints the index's text, not the files': nothing to reuse or keep.
  // A result the pre-pass gave a skipped file (no parse) is not one --no-prepass may reuse.
  const cache =
    options.cache && !staged
      ? ResultCache.open(
          cacheFilePath(io.cwd, options.cacheLocation),
          `${version}|${ESLintClass.version}|${options.quiet ? "quiet" : "all"}${options.prepass ? "" : "|no-prepass"}`,
        )
      : null;
  if (cache) recordReads(true);
  // One run: each migrations folder and schema is read once, not once per file linted (see inLintRun).
  const lintAll = (): Promise<LintResult[]> =>
    inLintRun(async () => {
      const all: LintResult[] = [];
      for (const run of runs) {
        // With --fix every file is linted (a kept result has no fixes to apply).
        const files = cache && !options.fix && run.listFiles ? await run.listFiles() : [];
        if (cache && files.length > 0) {
          const { fresh, stale } = await cache.partition(run.eslint, files);
          const linted = await run.lint(stale);
          await cache.store(run.eslint, linted, run.extraReads);
          all.push(...fresh, ...linted);
          continue;
        }
        const results = await run.lint();
        if (cache) await cache.store(run.eslint, results, run.extraReads, options.fix);
        all.push(...results);
      }
      cache?.save();
      return keepArchlint(all);
    });
  const notes = (): string[] => [...said].map((line) => line.replace(/^archlint: /, "").trimEnd());
  return runLint(eslintReporter(runs[0]!.eslint), lintAll, options, io, undefined, notes);
}

const SYMLINK_REFUSAL = /refusing to read .* symlink that leads outside the project/;

export interface CheckRun {
  eslint: ESLint;
  /** Lint the targets, or only `files` of them (--cache: the ones whose kept result does not hold). */
  lint: (files?: string[]) => Promise<LintResult[]>;
  /** The files `lint()` lints, for --cache; null when they cannot be listed up front (--staged, globs). */
  listFiles: (() => Promise<string[]>) | null;
  /** Reads every result of this run depends on besides its own (the tsconfig that decides which files are typed). */
  extraReads: string[];
}

/** A config object added to every ESLint of a run (`archlint map`'s collector rule), and its rule id, let through the rule filter. */
export interface CollectorConfig {
  config: object;
  ruleId: string;
}

/**
 * The ESLint that lints one root's targets. `archlint check` is the architecture check: it runs
 * archlint's rules only. A project config that registers archlint's plugin gives them their
 * options and `settings.archlint`; any other project (no config, or a config without archlint)
 * gets the zero-config preset, and one line on stderr says what it chose.
 */
export async function prepareCheck(
  { root, targets }: LintRoot,
  options: Options,
  io: Io,
  staged: StagedFile[] | undefined,
  collector: CollectorConfig | null = null,
): Promise<CheckRun> {
  const { ESLint } = await loadEslint();
  const configFile = projectEslintConfig(root, options.config);
  let own = configFile !== null && mentionsArchlint(configFile);
  // Every ESLint of this root: archlint's rules only (errors only with --quiet), and only their fixes.
  const reported = (ruleId: string, severity: number): boolean => ruleId.startsWith("archlint/") && (!options.quiet || severity === 2);
  const eslintWith = (config: { overrideConfig?: object[]; [key: string]: unknown }): ESLint =>
    new ESLint({
      cwd: root,
      fix: options.fix ? isArchlintFix : false,
      ruleFilter: ({ ruleId, severity }: { ruleId: string; severity: number }) => reported(ruleId, severity) || ruleId === collector?.ruleId,
      ...config,
      ...(collector ? { overrideConfig: [...(config.overrideConfig ?? []), collector.config] } : {}),
    } as ConstructorParameters<typeof ESLint>[0]);
  const ownConfig = (extra: object[]): ESLint => eslintWith({ overrideConfigFile: options.config, ...(extra.length > 0 ? { overrideConfig: extra } : {}) });
  let eslint: ESLint | null = null;
  if (own) {
    eslint = ownConfig([]);
    const probe = await loadProjectConfig(eslint, path.join(root, "index.ts"), configFile!, io.cwd);
    if (!probe?.plugins || !("archlint" in probe.plugins)) {
      own = false;
    } else {
      // `--schema` or `settings.archlint.schema` tells the archlint/prisma language where the schema is.
      const prismaProbe = await loadProjectConfig(eslint, path.join(root, "schema.prisma"), configFile!, io.cwd);
      const schemaPath = options.schema ?? parseSettings(prismaProbe?.settings?.archlint).schema;
      if (schemaPath !== undefined && prismaProbe?.language === plugin.languages.prisma) {
        eslint = ownConfig([{ files: ["**/*.prisma"], languageOptions: { schema: path.resolve(root, schemaPath) } }]);
      }
    }
  }
  let tsconfigRoot: string | null = null;
  let note = "";
  if (!own) {
    const choice = options.typeCheck ? typedRootFor(root, targets) : null;
    tsconfigRoot = choice?.root ?? null;
    const why = configFile ? `${path.relative(io.cwd, configFile) || configFile} does not use eslint-plugin-archlint` : "no ESLint config";
    const preset = tsconfigRoot
      ? `recommended-type-checked (${choice!.why})`
      : `recommended (${options.typeCheck ? "no tsconfig.json includes these files" : "--no-type-check"})`;
    note = `archlint: zero-config (${why}): ${preset}; ${schemaNote(root, targets, options.schema, io.cwd)}\n`;
    const programs = staged && tsconfigRoot ? stagedPrograms(staged) : null;
    eslint = eslintWith({ overrideConfigFile: true, overrideConfig: await zeroConfig(options.schema, tsconfigRoot, programs) });
  }
  const chosen = eslint!;
  await validateSettings(chosen, root, targets);
  // --staged lints the index's text and `archlint map` adds a collector rule the conditions do not know: no pre-pass.
  const prepass = !staged && !collector && options.prepass && !targets.some(isGlob) ? await configPrepass(root, chosen) : null;
  // Migrations without ESLint's per-file machinery (sql-direct.ts), with the run's rule filter; not with --fix.
  const sqlDirect =
    options.fix || io.sqlVia === "eslint"
      ? null
      : async (e: ESLint, files: string[]): Promise<DirectSqlLint> => {
          const direct = await lintSqlDirect(e, plugin, files, root, reported);
          if (io.sqlVia === "direct" && files.length > 0 && direct.results.length === 0)
            throw new Error("archlint check: the direct way declined every migration");
          return direct;
        };
  const lint = staged
    ? (e: ESLint) => lintStaged(e, staged)
    : prepass
      ? (e: ESLint, files?: string[]) => lintWithPrepass(e, prepass, files ?? targets, targets, root, io.cwd, sqlDirect)
      : (e: ESLint, files?: string[]) => lintTargets(e, files ?? targets, io.cwd);
  const untyped = async (): Promise<ESLint> => eslintWith({ overrideConfigFile: true, overrideConfig: await zeroConfig(options.schema) });
  return {
    eslint: chosen,
    listFiles: staged || targets.some(isGlob) ? null : () => filesToLint(chosen, targets, root),
    extraReads: tsconfigRoot ? [`f:${path.join(tsconfigRoot, "tsconfig.json")}`] : [],
    lint: async (files?: string[]) => {
      if (files?.length === 0) {
        if (!staged && !options.quiet) io.stderr(note);
        return [];
      }
      const results = tsconfigRoot ? await relintOutsideProject(await lint(chosen, files), untyped, io) : await lint(chosen, files);
      // A schema file linked to outside the project is an input error, as init's refusal to write through one is.
      const refusal = results.flatMap((r) => r.messages).find((m) => m.fatal && SYMLINK_REFUSAL.test(m.message));
      if (refusal) throw new UsageError(refusal.message.replace(/^Parsing error: /, ""));
      await validateSettingsOf(chosen, results);
      // Said once the run is known to lint something, so an input error stays one line; a hook
      // (--staged) and --quiet stay quiet.
      if (!staged && !options.quiet) io.stderr(note);
      return results;
    },
  };
}

/**
 * The pre-pass (issue #17) of one file of a run: given the files the run lists, whether this one may
 * hold a finding, or null when every file must be linted. Keyed on the rules the run enables and
 * `settings.archlint`; typed runs widen the conditions (see PrepassOptions).
 */
type FilePrepass = (filename: string, listed: readonly string[]) => Promise<((file: PrepassFile) => boolean) | null>;

/** Whether a package's types can reach the run's files, asked once per package per lint of `listed`. */
function installedIn(
  root: string,
  listed: readonly string[],
  packageInstalled: (typeof import("eslint-plugin-archlint"))["packageInstalled"],
): (pkg: TypedPackage) => boolean {
  const known = new Map<TypedPackage, boolean>();
  return (pkg) => {
    if (!known.has(pkg)) known.set(pkg, packageInstalled(root, listed, pkg));
    return known.get(pkg)!;
  };
}

/**
 * The pre-pass of a run, from the config ESLint computes for each file (zero-config's preset or the
 * project's own config): the archlint rules it enables (archlint check runs no others), its
 * `settings.archlint`, and whether its parser has type information. A file with a processor (its
 * linted text is not the file's) or settings that do not parse is linted.
 */
async function configPrepass(root: string, eslint: ESLint): Promise<FilePrepass> {
  const { prepassFor, packageInstalled } = await import("eslint-plugin-archlint");
  const made = new Map<string, ReturnType<typeof prepassFor>>();
  let installed: { listed: readonly string[]; ask: (pkg: TypedPackage) => boolean } | null = null;
  return async (filename, listed) => {
    const config = (await eslint.calculateConfigForFile(filename)) as ComputedConfig | undefined;
    if (!config || config.processor) return null;
    const rules = Object.entries(config.rules ?? {})
      .filter(([id, setting]) => id.startsWith("archlint/") && severityOf(setting) > 0)
      .map(([id]) => id)
      .sort();
    const parserOptions = config.languageOptions?.parserOptions ?? {};
    const typed = Boolean(parserOptions.project || parserOptions.projectService || parserOptions.programs || parserOptions.EXPERIMENTAL_useProjectService);
    const settings = config.settings?.archlint;
    const key = JSON.stringify([rules, settings ?? null, typed]);
    if (installed?.listed !== listed) {
      installed = { listed, ask: installedIn(root, listed, packageInstalled) };
      made.clear();
    }
    if (!made.has(key)) {
      try {
        made.set(key, prepassFor(rules, settings as Parameters<typeof prepassFor>[1], { typed, installed: installed.ask }));
      } catch (error) {
        // Settings that do not parse: ESLint's run says so (validateSettingsOf), the pre-pass keeps the file.
        if (!(error instanceof SettingsError)) throw error;
        made.set(key, null);
      }
    }
    return made.get(key)!;
  };
}

/** A rule's severity in a computed config: `[2, ...options]`, `"error"`, `1`... */
function severityOf(setting: unknown): number {
  const level = Array.isArray(setting) ? setting[0] : setting;
  return typeof level === "number" ? level : level === "error" ? 2 : level === "warn" ? 1 : 0;
}

/**
 * Lint `files` (the targets, or --cache's stale files), parsing only the code files the pre-pass
 * keeps: a file it skips cannot hold a finding, and is reported as linted with none (a parse
 * error in it is not reported). A file named on the command line is always linted.
 */
async function lintWithPrepass(
  eslint: ESLint,
  prepass: FilePrepass,
  files: string[],
  targets: string[],
  root: string,
  cwd: string,
  sqlDirect: ((eslint: ESLint, files: string[]) => Promise<DirectSqlLint>) | null,
): Promise<LintResult[]> {
  const listed = await filesToLint(eslint, files, root);
  // Nothing listed: let ESLint say why (no files, all ignored) as it does without the pre-pass.
  if (listed.length === 0) return lintTargets(eslint, files, cwd);
  const named = new Set(targets.map((t) => path.resolve(root, t)));
  const kept: string[] = [];
  const skipped: LintResult[] = [];
  for (const file of listed) {
    const may = named.has(file) || !CODE_FILE.test(file) ? null : await prepass(file, listed);
    if (!may || may({ cwd: root, filename: file, text: fs.readFileSync(file, "utf8") })) kept.push(file);
    else skipped.push(cleanResult(file));
  }
  const migrations = sqlDirect ? kept.filter((f) => f.endsWith(".sql")) : [];
  const direct = migrations.length > 0 ? await sqlDirect!(eslint, migrations) : { results: [], declined: [] };
  const viaEslint = migrations.length > 0 ? kept.filter((f) => !f.endsWith(".sql")).concat(direct.declined) : kept;
  const linted = viaEslint.length > 0 ? await lintTargets(eslint, viaEslint, cwd) : [];
  return [...linted, ...direct.results, ...skipped];
}

/** The result ESLint gives a file with no findings. */
function cleanResult(filePath: string): LintResult {
  return {
    filePath,
    messages: [],
    suppressedMessages: [],
    errorCount: 0,
    fatalErrorCount: 0,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  } as unknown as LintResult;
}

/** The project's config, loaded (as ESLint loads it) for one file; a config that does not load is one line naming it. */
async function loadProjectConfig(eslint: ESLint, probe: string, configFile: string, cwd: string): Promise<ComputedConfig | undefined> {
  try {
    return (await eslint.calculateConfigForFile(probe)) as ComputedConfig | undefined;
  } catch (error) {
    const shown = path.relative(cwd, configFile) || configFile;
    const position = error instanceof SyntaxError ? await syntaxErrorPosition(configFile) : configErrorPosition(error, configFile);
    throw new UsageError(`Cannot load ${shown}${position}: ${oneLine(error)}`);
  }
}

/**
 * Node reports a syntax error in an imported module without its position (only an uncaught one
 * prints it), so the config is parsed again, never run, to say where.
 */
async function syntaxErrorPosition(configFile: string): Promise<string> {
  const { parse } = await import("@typescript-eslint/parser");
  try {
    parse(fs.readFileSync(configFile, "utf8"), { sourceType: "module", filePath: configFile });
  } catch (error) {
    const e = error as { lineNumber?: number; column?: number };
    if (typeof e.lineNumber === "number") return `:${e.lineNumber}:${(e.column ?? 0) + 1}`;
  }
  return "";
}

/** `:line` (or `:line:column`) of a syntax error in the config file itself, from Node's report. */
function configErrorPosition(error: unknown, configFile: string): string {
  const stack = (error as Error)?.stack ?? "";
  const url = pathToFileURL(configFile).href;
  for (const line of stack.split("\n").slice(0, 3)) {
    const at =
      line.indexOf(url) >= 0
        ? line.slice(line.indexOf(url) + url.length)
        : line.indexOf(configFile) >= 0
          ? line.slice(line.indexOf(configFile) + configFile.length)
          : null;
    const pos = at === null ? null : /^:(\d+)(?::(\d+))?/.exec(at);
    if (pos) return pos[2] ? `:${pos[1]}:${pos[2]}` : `:${pos[1]}`;
  }
  return "";
}

/** An error's message on one line: ESLint's config errors put the useful part on the lines after the first. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" ");
}

/**
 * Type information for zero-config: a tsconfig.json at or above the targets that includes them, or
 * (a monorepo without a root tsconfig) the packages' own tsconfig.json files below the targets,
 * which typescript-eslint's project service finds per file.
 */
function typedRootFor(root: string, targets: string[]): { root: string; why: string } | null {
  const above = tsconfigForTargets(root, targets);
  if (above)
    return { root: above, why: `${path.relative(root, path.join(above, "tsconfig.json")).split(path.sep).join("/") || "tsconfig.json"} includes them` };
  const dirs = targets
    .filter((t) => !isGlob(t))
    .map((t) => path.resolve(root, t))
    .filter((p) => fs.statSync(p).isDirectory());
  // The packages' own tsconfigs, a few levels down (the target's own one is the case above).
  const found = dirs.flatMap((d) => sourceFiles(d, /^tsconfig\.json$/, 4).filter((f) => path.dirname(f) !== d));
  if (found.length === 0) return null;
  return { root, why: `${found.length === 1 ? "1 tsconfig.json" : `${found.length} tsconfig.json files`} below` };
}

/** The schema half of zero-config's line: the schema code is checked against, or that there is none. */
function schemaNote(root: string, targets: string[], explicit: string | undefined, cwd: string): string {
  const shown = (p: string): string => path.relative(cwd, p).split(path.sep).join("/") || ".";
  if (explicit) return `Prisma schema ${shown(explicit)}`;
  const dirs = targets
    .filter((t) => !isGlob(t))
    .map((t) => path.resolve(root, t))
    .map((p) => (fs.statSync(p).isDirectory() ? p : path.dirname(p)));
  const found = [...new Set((dirs.length > 0 ? dirs : [root]).map((d) => schemaForCode(d, root)?.path).filter((p) => p !== undefined))].sort();
  if (found.length > 0) return `Prisma ${found.length === 1 ? "schema" : "schemas"} ${found.map(shown).join(", ")}`;
  const several = schemasInWorkspace(root);
  if (several.length > 1) {
    return `${several.length} Prisma schemas in the workspace (${several.map((s) => path.relative(cwd, s.location.path).split(path.sep).join("/")).join(", ")}): each package uses the one it depends on; set settings.archlint.schema or --schema to pick one`;
  }
  return "no Prisma schema found";
}

/** Whether a folder holds a file archlint could lint (wherever it is, ignored or not; bounded): code, a schema, a migration. */
function hasLintableFile(dir: string): boolean {
  let budget = 10_000;
  const walk = (d: string): boolean => {
    const inMigrations = d.split(path.sep).includes("migrations");
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (error) {
      rethrowUnlessMissing(error);
      return false;
    }
    for (const e of entries) {
      if (--budget < 0) return true;
      if (e.isFile() && LINTABLE_FILE.test(e.name) && (inMigrations || !e.name.endsWith(".sql"))) return true;
      if (e.isDirectory() && e.name !== "node_modules" && walk(path.join(d, e.name))) return true;
    }
    return false;
  };
  return walk(dir);
}

/**
 * `lintFiles`, where every named target must yield a linted file: ESLint's "no files" and
 * "all ignored" become one line naming the target, and so does a named file ESLint skips.
 */
async function lintTargets(eslint: ESLint, targets: string[], cwd: string): Promise<LintResult[]> {
  const shown = (t: string): string => (path.isAbsolute(t) ? path.relative(cwd, t) || "." : t);
  let results: LintResult[];
  try {
    results = (await eslint.lintFiles(targets)) as unknown as LintResult[];
  } catch (error) {
    const err = error as { messageTemplate?: string; messageData?: { pattern?: string } };
    const target = err.messageData?.pattern ?? targets[0]!;
    if (err.messageTemplate === "file-not-found" || (err.messageTemplate === "all-matched-files-ignored" && !hasLintableFile(path.resolve(cwd, target)))) {
      throw new UsageError(
        `Nothing to lint in ${shown(target)}: no files to lint (archlint lints .ts, .tsx, .js, .jsx, .mts, .cts, .mjs, .cjs and .prisma files, and .sql files in a migrations folder).`,
      );
    }
    if (err.messageTemplate === "all-matched-files-ignored") {
      throw new UsageError(
        `Nothing to lint in ${shown(target)}: every file in it is ignored (node_modules, dist, build, .next, coverage, .turbo, or the project's ignores).`,
      );
    }
    throw error;
  }
  for (const r of results) {
    const skipped = r.messages.find((m) => !m.fatal && m.ruleId === null && m.line === undefined && /^File ignored\b/.test(m.message));
    if (skipped)
      throw new UsageError(
        `Nothing to lint in ${shown(r.filePath)}: ${skipped.message
          .split(/\.\s/)[0]!
          .replace(/\.$/, "")
          .replace(/^File ignored/, "it is ignored")}.`,
      );
  }
  return results;
}

const NOT_IN_PROJECT = / was not found by the project service\b/;

/**
 * Files that no tsconfig.json includes (config files, scripts) cannot be typed, and typescript-eslint
 * fails them with a parsing error: lint those again with `recommended`, from the text that was
 * linted (the staged text with --staged), and say so once on stderr.
 */
async function relintOutsideProject(results: LintResult[], untyped: () => Promise<ESLint>, io: Io): Promise<LintResult[]> {
  const outside = results.filter((r) => r.messages.some((m) => m.fatal && NOT_IN_PROJECT.test(m.message)));
  if (outside.length === 0) return results;
  const eslint = await untyped();
  const again = new Map<string, LintResult>();
  for (const r of outside) {
    const source = (r as LintResult & { source?: string }).source;
    const [redone] = (source !== undefined
      ? await eslint.lintText(source, { filePath: r.filePath })
      : await eslint.lintFiles([r.filePath])) as unknown as LintResult[];
    if (redone) again.set(r.filePath, redone);
  }
  const names = outside.map((r) => path.relative(io.cwd, r.filePath).split(path.sep).join("/")).sort(compare);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  io.stderr(`archlint: ${names.length === 1 ? "1 file is" : `${names.length} files are`} in no tsconfig.json, linted without type information: ${shown}\n`);
  return results.map((r) => again.get(r.filePath) ?? r);
}

interface ComputedConfig {
  settings?: { archlint?: unknown };
  rules?: Record<string, unknown>;
  processor?: unknown;
  languageOptions?: { parserOptions?: { project?: unknown; projectService?: unknown; programs?: unknown; EXPERIMENTAL_useProjectService?: unknown } };
  language?: unknown;
  plugins?: Record<string, unknown>;
}

/** `settings.archlint` is checked up front, so a typo is one clear line rather than a rule crash. */
async function validateSettings(eslint: ESLint, cwd: string, targets: string[]): Promise<void> {
  for (const target of targets.filter((t) => !/[*?[\]{}]/.test(t))) {
    const abs = path.resolve(cwd, target);
    const probes = fs.statSync(abs).isDirectory() ? [path.join(abs, "index.ts"), path.join(abs, "schema.prisma")] : [abs];
    for (const file of probes) {
      const config = (await eslint.calculateConfigForFile(file)) as ComputedConfig | undefined;
      const { schema } = parseSettings(config?.settings?.archlint);
      if (schema !== undefined && !fs.existsSync(path.resolve(cwd, schema))) {
        throw new UsageError(`Invalid settings.archlint.schema: no file or folder at ${path.resolve(cwd, schema)}`);
      }
    }
  }
}

/** ...and for every file linted, since a config object scoped by `files` applies to some files only. */
async function validateSettingsOf(eslint: ESLint, results: LintResult[]): Promise<void> {
  const seen = new Set<unknown>();
  for (const r of results) {
    const config = (await eslint.calculateConfigForFile(r.filePath)) as ComputedConfig | undefined;
    const raw = config?.settings?.archlint;
    if (raw === undefined || seen.has(raw)) continue;
    seen.add(raw);
    parseSettings(raw);
  }
}

function resolveSchemaTarget(target: string | undefined, schemaOption: string | undefined, cwd: string): { location: SchemaLocation; only?: string } {
  const explicit = target ?? schemaOption;
  if (explicit) {
    const abs = path.resolve(cwd, explicit);
    if (!fs.existsSync(abs)) throw new UsageError(`No such file or directory: ${explicit}`);
    const st = fs.statSync(abs);
    // One file of a multi-file schema is validated with the rest of its schema.
    if (st.isFile()) return { location: schemaForPrismaFile(abs), only: abs };
    // A folder: a project (with its own prisma/ or config) or a schema folder of .prisma files.
    const inProject = projectSchema(abs);
    if (inProject) return { location: inProject };
    return { location: { path: abs, isFolder: true, source: "explicit" } };
  }
  const found = projectSchema(cwd);
  if (!found) {
    throw new UsageError("No Prisma schema found (looked at prisma.config.*, package.json#prisma.schema, prisma/schema.prisma, prisma/schema/).");
  }
  return { location: found };
}

async function schema(positionals: string[], options: Options, io: Io): Promise<number> {
  if (positionals.length > 1) throw new UsageError("archlint schema takes one path (a .prisma file, a schema folder, or a project).");
  const { location, only } = resolveSchemaTarget(positionals[0], options.schema, io.cwd);
  const files = only ? [only] : schemaFiles(location);
  if (files.length === 0) throw new UsageError(`No .prisma files in ${path.relative(io.cwd, location.path) || "."}`);
  for (const f of files) {
    const refusal = schemaSymlinkRefusal(f, io.cwd);
    if (refusal) throw new UsageError(refusal);
    try {
      fs.accessSync(f, fs.constants.R_OK);
    } catch (error) {
      rethrowUnlessMissing(error);
      throw new UsageError(`Cannot read ${path.relative(io.cwd, f)}`);
    }
  }
  const schemaPath = location.path;
  // ESLint lints nothing outside its working directory: a schema elsewhere is linted from its own project.
  const cwd = lintRoots(io.cwd, [schemaPath])[0]!.root;
  // A file deleted while --fix ran is not linted again.
  const existing = (): string[] => files.filter((f) => fs.existsSync(f));
  const direct = options.fix || io.schemaVia === "eslint" ? null : await inLintRun(() => lintSchemaDirect(existing(), cwd, schemaPath));
  if (!direct && io.schemaVia === "direct") throw new Error("archlint schema: the direct way declined these files");
  if (direct) return runLint(directReporter(direct, cwd), () => Promise.resolve(direct.results), options, io);
  const { ESLint, plugin } = await loadEslint();
  const prismaConfig = (plugin.configs.recommended as Array<Record<string, unknown>>).filter((c) => c.language === "archlint/prisma");
  const eslint = new ESLint({
    cwd,
    fix: options.fix,
    overrideConfigFile: true,
    overrideConfig: prismaConfig.map((c) => ({ ...c, files: ["**/*.prisma"], languageOptions: { schema: schemaPath } })),
    ...(options.quiet ? { ruleFilter: ({ severity }: { severity: number }) => severity === 2 } : {}),
  } as ConstructorParameters<typeof ESLint>[0]);
  const lint = (): Promise<LintResult[]> => inLintRun(() => eslint.lintFiles(existing()) as unknown as Promise<LintResult[]>);
  return runLint(eslintReporter(eslint), lint, options, io);
}

/** The report of a schema run without ESLint: ESLint's formatters (unless the project installs its own), ESLint's --quiet filter. */
function directReporter(direct: DirectSchemaLint, cwd: string): Reporter {
  return {
    loadFormatter: async (name) => (await direct.formatter(name)) ?? new (await loadEslint()).ESLint({ cwd }).loadFormatter(name),
    // ESLint.getErrorResults, without loading ESLint.
    errorResults: (results) =>
      results.flatMap((r) => {
        const messages = r.messages.filter((m) => m.severity === 2);
        if (messages.length === 0) return [];
        const suppressed = ((r as { suppressedMessages?: LintResult["messages"] }).suppressedMessages ?? []).filter((m) => m.severity === 2);
        return [
          {
            ...r,
            messages,
            suppressedMessages: suppressed,
            errorCount: messages.length,
            warningCount: 0,
            fixableErrorCount: r.fixableErrorCount,
            fixableWarningCount: 0,
          },
        ];
      }),
    rulesMeta: () => direct.rulesMeta,
  };
}

/** One lint run: each schema folder and migrations folder is listed and read once (see inSchemaRun, inMigrationRun). */
function inLintRun<T>(fn: () => Promise<T>): Promise<T> {
  return inMigrationRun(() => inSchemaRun(fn));
}

async function init(positionals: string[], options: Options, io: Io): Promise<number> {
  if (positionals.length > 1) throw new UsageError("archlint init takes one folder (default: .).");
  const target = positionals[0] ?? ".";
  const dir = path.resolve(io.cwd, target);
  if (!fs.existsSync(dir)) throw new UsageError(`No such file or directory: ${target}`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`Not a directory: ${target}`);
  await runInit(dir, { dryRun: options.dryRun, force: options.force, hook: options.hook }, io);
  return EXIT_CLEAN;
}

/** Runs the CLI; resolves to the exit code. Never throws for usage or input errors. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { command, positionals, options, help, version: showVersion } = parseCommandLine(argv);
    if (showVersion) {
      io.stdout(`${version}\n`);
      return EXIT_CLEAN;
    }
    if (help || command === "help") {
      const about = command === "help" ? positionals[0] : command;
      io.stdout((about !== undefined ? COMMAND_USAGE[about] : undefined) ?? USAGE);
      return EXIT_CLEAN;
    }
    if (command === undefined)
      throw new UsageError("Missing command: use `archlint check`, `archlint schema`, `archlint init` or `archlint map` (see archlint --help).");
    if (command === "check") return await check(positionals, options, io);
    if (command === "schema") return await schema(positionals, options, io);
    if (command === "init") return await init(positionals, options, io);
    if (command === "map") return await (await import("./map/command.js")).runMap(positionals, options, io);
    throw new UsageError(`Unknown command "${command}" (use check, schema, init or map; see archlint --help).`);
  } catch (error) {
    io.stderr(`archlint: ${describeError(error)}\n`);
    if (process.env.ARCHLINT_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

function describeError(error: unknown): string {
  if (
    error instanceof UsageError ||
    error instanceof SettingsError ||
    error instanceof SchemaLocateError ||
    error instanceof InitError ||
    error instanceof FixWriteError
  ) {
    return error.message;
  }
  const err = error as NodeJS.ErrnoException & { messageTemplate?: string };
  if (err?.messageTemplate === "file-not-found" || err?.messageTemplate === "all-matched-files-ignored") {
    return err.message.split("\n")[0]!;
  }
  if (err?.code === "EACCES" || err?.code === "EPERM") return `Cannot read ${err.path ?? "a file"}: permission denied`;
  if (err?.code === "ENOENT") return `No such file or directory: ${err.path ?? ""}`;
  const first = (err?.message ?? String(error)).split("\n").find((l) => l.trim() !== "") ?? String(error);
  return first.trim();
}
