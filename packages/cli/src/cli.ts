import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { ESLint } from "eslint";
import plugin from "eslint-plugin-archlint";
import { locateSchema, parseSettings, schemaFiles, schemaLocationForFile, SchemaLocateError, SettingsError, type SchemaLocation } from "@archlint/core";
import { formatGithub } from "./formatters/github.js";
import { formatSarif } from "./formatters/sarif.js";
import { ESLINT_CONFIG_NAMES, tsconfigForTargets } from "./detect.js";
import { HOOKS, InitError, runInit, type HookKind } from "./init.js";
import { lintStaged, stagedFiles } from "./staged.js";
import { FixWriteError, lintAndFix } from "./fix-writer.js";
import type { LintResult, RuleMetaLike } from "./formatters/types.js";

const require = createRequire(import.meta.url);
const { version } = require("../package.json") as { version: string };

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ["stylish", "json", "sarif", "github"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: archlint <command> [options]

Commands:
  check [paths...]   Lint TypeScript/JavaScript files and Prisma schemas (default: .)
  schema [path]      Lint the Prisma schema alone (a .prisma file, a schema folder, or a project)
  init [dir]         Write eslint.config.mjs, VS Code settings and a pre-commit hook for the project
                     (default: .), from what it uses: package manager, Prisma schema, tRPC builders

Options:
  --format <name>    stylish (default), json, sarif, github
  --fix              Apply automatic fixes
  --staged           Lint only the files staged in git, as committed (check; with paths: the staged
                     files inside them)
  --max-warnings <n> Exit 1 when there are more than n warnings
  --quiet            Report errors only
  --config <file>    ESLint config file to use (check)
  --schema <path>    Prisma schema file or folder (check, schema)
  --no-type-check    Without an ESLint config of the project's own: skip the type-aware preset even
                     when a tsconfig.json is found (check)
  --hook <name>      pre-commit, husky, git or none (default) (init)
  --dry-run          Print the files instead of writing them (init)
  --force            Replace existing files (init)
  -h, --help         Show this help
  -v, --version      Show the version

Exit codes: 0 clean, 1 findings, 2 usage or input error.
`;

/** A usage or input error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

interface Options {
  format: Format;
  fix: boolean;
  maxWarnings: number;
  quiet: boolean;
  config?: string;
  schema?: string;
  staged: boolean;
  typeCheck: boolean;
  dryRun: boolean;
  force: boolean;
  hook: HookKind;
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
        "no-type-check": { type: "boolean" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
        hook: { type: "string" },
        config: { type: "string", short: "c" },
        schema: { type: "string" },
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
  const format = (values.format ?? "stylish") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`Unknown --format "${values.format}" (use ${FORMATS.join(", ")}).`);
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
      typeCheck: values["no-type-check"] !== true,
      dryRun: values["dry-run"] === true,
      force: values.force === true,
      hook,
    },
  };
}

function hasOwnEslintConfig(cwd: string): boolean {
  let dir = cwd;
  for (;;) {
    if (ESLINT_CONFIG_NAMES.some((n) => fs.existsSync(path.join(dir, n)))) return true;
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

const DEFAULT_IGNORES = ["**/node_modules/**", "**/dist/**", "**/build/**", "**/.next/**", "**/coverage/**", "**/.turbo/**"];

/**
 * archlint's own config, for projects that have no ESLint config: `recommended-type-checked` with
 * typescript-eslint's project service when a tsconfig.json types the files (`tsconfigRoot`), else
 * `recommended`.
 */
async function zeroConfig(schemaOption: string | undefined, tsconfigRoot: string | null = null): Promise<object[]> {
  const tsParser = await import("@typescript-eslint/parser");
  const configs: object[] = [{ name: "archlint/ignores", ignores: DEFAULT_IGNORES }];
  const preset = tsconfigRoot ? plugin.configs["recommended-type-checked"] : plugin.configs.recommended;
  const parserOptions = tsconfigRoot ? { parserOptions: { projectService: true, tsconfigRootDir: tsconfigRoot } } : {};
  for (const c of preset as Array<Record<string, unknown>>) {
    if (c.language === "archlint/prisma") {
      configs.push(schemaOption ? { ...c, languageOptions: { schema: schemaOption } } : c);
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
      (a, b) =>
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        compare(a.ruleId ?? "", b.ruleId ?? "") ||
        compare(a.message, b.message),
    );
  }
  return sorted;
}

async function format(eslint: ESLint, results: LintResult[], fmt: Format, cwd: string): Promise<string> {
  if (fmt === "github") return formatGithub(results, cwd);
  if (fmt === "sarif") {
    const meta = eslint.getRulesMetaForResults(results as never) as Record<string, RuleMetaLike>;
    return formatSarif(results, cwd, meta, version);
  }
  const formatter = await eslint.loadFormatter(fmt);
  return formatter.format(results as never, { cwd, rulesMeta: eslint.getRulesMetaForResults(results as never) } as never) as string;
}

function exitCodeFor(results: LintResult[], maxWarnings: number): number {
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings >= 0 && warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function runLint(
  eslint: ESLint,
  files: string[] | ((eslint: ESLint) => Promise<LintResult[]>),
  options: Options,
  io: Io,
  beforeOutput?: (results: LintResult[]) => Promise<void>,
): Promise<number> {
  const lint = (targets: typeof files) => (typeof targets === "function" ? targets(eslint) : eslint.lintFiles(targets)) as unknown as Promise<LintResult[]>;
  let results: LintResult[];
  let pending = false;
  if (options.fix) {
    // The report is of the files after the fixes: a fix can clear findings in other files too. A
    // line the first lint wrote to stderr (which preset ran, files outside the tsconfig) is not repeated.
    const said = new Set<string>();
    const stderr = io.stderr;
    const relint = async (): Promise<LintResult[]> => {
      io.stderr = (s) => void (said.has(s) || stderr(s));
      try {
        return await lint(typeof files === "function" ? files : files.filter((f) => fs.existsSync(f)));
      } finally {
        io.stderr = stderr;
      }
    };
    const first = async (): Promise<LintResult[]> => {
      io.stderr = (s) => void (said.add(s), stderr(s));
      try {
        return await lint(files);
      } finally {
        io.stderr = stderr;
      }
    };
    ({ results, pending } = await lintAndFix(first, relint, io, beforeOutput));
  } else {
    results = await lint(files);
    if (beforeOutput) await beforeOutput(results);
  }
  if (options.quiet) results = ESLint.getErrorResults(results as never) as unknown as LintResult[];
  results = sortResults(results);
  const out = await format(eslint, results, options.format, io.cwd);
  if (out) io.stdout(out.endsWith("\n") || out === "" ? out : `${out}\n`);
  const code = pending ? Math.max(EXIT_FINDINGS, exitCodeFor(results, options.maxWarnings)) : exitCodeFor(results, options.maxWarnings);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  if (options.maxWarnings >= 0 && warnings > options.maxWarnings && results.every((r) => r.errorCount === 0) && options.format === "stylish") {
    io.stderr(`archlint found too many warnings (maximum: ${options.maxWarnings}).\n`);
  }
  return code;
}

async function check(paths: string[], options: Options, io: Io): Promise<number> {
  const targets = paths.length > 0 ? paths : ["."];
  for (const t of targets) {
    if (!/[*?[\]{}]/.test(t) && !fs.existsSync(path.resolve(io.cwd, t))) throw new UsageError(`No such file or directory: ${t}`);
  }
  const staged = options.staged ? stagedFiles(io.cwd, paths, options) : undefined;
  if (staged?.length === 0) return EXIT_CLEAN;
  const useOwnConfig = options.config !== undefined || hasOwnEslintConfig(io.cwd);
  if (options.config !== undefined && !fs.existsSync(path.resolve(io.cwd, options.config))) {
    throw new UsageError(`ESLint config not found: ${options.config}`);
  }
  if (options.schema !== undefined) locateSchema(io.cwd, options.schema);
  const schemaOption = options.schema && path.resolve(io.cwd, options.schema);
  const tsconfigRoot = useOwnConfig || !options.typeCheck ? null : tsconfigForTargets(io.cwd, targets);
  const zero = useOwnConfig ? null : await zeroConfig(schemaOption, tsconfigRoot);
  const make = (extra: object[]): ESLint =>
    new ESLint({
      cwd: io.cwd,
      fix: options.fix,
      ...(zero
        ? { overrideConfigFile: true, overrideConfig: zero }
        : { overrideConfigFile: options.config ?? undefined, ...(extra.length > 0 ? { overrideConfig: extra } : {}) }),
      ...(options.quiet ? { ruleFilter: ({ severity }: { severity: number }) => severity === 2 } : {}),
    } as ConstructorParameters<typeof ESLint>[0]);
  let eslint = make([]);
  if (useOwnConfig) {
    // `--schema` or `settings.archlint.schema` tells the archlint/prisma language where the schema is.
    const probe = (await eslint.calculateConfigForFile(path.join(io.cwd, "schema.prisma"))) as ComputedConfig | undefined;
    const schemaPath = options.schema ?? parseSettings(probe?.settings?.archlint).schema;
    if (schemaPath !== undefined && probe?.language === plugin.languages.prisma) {
      eslint = make([{ files: ["**/*.prisma"], languageOptions: { schema: path.resolve(io.cwd, schemaPath) } }]);
    }
  }
  await validateSettings(eslint, io.cwd, targets);
  const lint = staged ? (e: ESLint) => lintStaged(e, staged) : (e: ESLint) => e.lintFiles(targets) as unknown as Promise<LintResult[]>;
  const untyped = async (): Promise<ESLint> =>
    new ESLint({
      cwd: io.cwd,
      fix: options.fix,
      overrideConfigFile: true,
      overrideConfig: await zeroConfig(schemaOption),
      ...(options.quiet ? { ruleFilter: ({ severity }: { severity: number }) => severity === 2 } : {}),
    } as ConstructorParameters<typeof ESLint>[0]);
  const lintAll = tsconfigRoot ? async (e: ESLint) => relintOutsideProject(await lint(e), untyped, io) : lint;
  return runLint(eslint, lintAll, options, io, (results) => validateSettingsOf(eslint, results));
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
    const [redone] = (source !== undefined ? await eslint.lintText(source, { filePath: r.filePath }) : await eslint.lintFiles([r.filePath])) as unknown as LintResult[];
    if (redone) again.set(r.filePath, redone);
  }
  const names = outside.map((r) => path.relative(io.cwd, r.filePath).split(path.sep).join("/")).sort(compare);
  const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  io.stderr(`archlint: ${names.length === 1 ? "1 file is" : `${names.length} files are`} in no tsconfig.json, linted without type information: ${shown}\n`);
  return results.map((r) => again.get(r.filePath) ?? r);
}

interface ComputedConfig {
  settings?: { archlint?: unknown };
  language?: unknown;
}

/** `settings.archlint` is checked up front, so a typo is one clear line rather than a rule crash. */
async function validateSettings(eslint: ESLint, cwd: string, targets: string[]): Promise<void> {
  for (const target of targets.filter((t) => !/[*?[\]{}]/.test(t))) {
    const abs = path.resolve(cwd, target);
    const probes = fs.statSync(abs).isDirectory() ? [path.join(abs, "index.ts"), path.join(abs, "schema.prisma")] : [abs];
    for (const file of probes) {
      const config = (await eslint.calculateConfigForFile(file)) as ComputedConfig | undefined;
      parseSettings(config?.settings?.archlint);
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
    if (st.isFile()) return { location: schemaLocationForFile(abs), only: abs };
    // A folder: a project (with its own prisma/ or config) or a schema folder of .prisma files.
    const inProject = locateSchema(abs);
    if (inProject) return { location: inProject };
    return { location: { path: abs, isFolder: true, source: "explicit" } };
  }
  const found = locateSchema(cwd);
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
    try {
      fs.accessSync(f, fs.constants.R_OK);
    } catch {
      throw new UsageError(`Cannot read ${path.relative(io.cwd, f)}`);
    }
  }
  const prismaConfig = (plugin.configs.recommended as Array<Record<string, unknown>>).filter((c) => c.language === "archlint/prisma");
  const schemaPath = location.path;
  const eslint = new ESLint({
    cwd: io.cwd,
    fix: options.fix,
    overrideConfigFile: true,
    overrideConfig: prismaConfig.map((c) => ({ ...c, files: ["**/*.prisma"], languageOptions: { schema: schemaPath } })),
    ...(options.quiet ? { ruleFilter: ({ severity }: { severity: number }) => severity === 2 } : {}),
  } as ConstructorParameters<typeof ESLint>[0]);
  return runLint(eslint, files, options, io);
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
      io.stdout(USAGE);
      return EXIT_CLEAN;
    }
    if (command === undefined) throw new UsageError("Missing command: use `archlint check`, `archlint schema` or `archlint init` (see archlint --help).");
    if (command === "check") return await check(positionals, options, io);
    if (command === "schema") return await schema(positionals, options, io);
    if (command === "init") return await init(positionals, options, io);
    throw new UsageError(`Unknown command "${command}" (use check, schema or init; see archlint --help).`);
  } catch (error) {
    io.stderr(`archlint: ${describeError(error)}\n`);
    if (process.env.ARCHLINT_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

function describeError(error: unknown): string {
  if (error instanceof UsageError || error instanceof SettingsError || error instanceof SchemaLocateError || error instanceof InitError || error instanceof FixWriteError) {
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
