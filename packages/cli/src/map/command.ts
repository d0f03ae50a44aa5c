import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import {
  folderHistory,
  inMigrationRun,
  loadSchema,
  migrationsFolder,
  parseSettings,
  projectSchema,
  rethrowUnlessMissing,
  schemaForCode,
  SchemaReadError,
  statOrNull,
  type ArchitectureMap,
  type HistoryOptions,
  type MigrationHistory,
} from "@archlint/core";
import { collectMapFacts, mapCollectorRule, type FileFacts } from "eslint-plugin-archlint";
import { EXIT_CLEAN, prepareCheck, UsageError, type CheckRun, type CollectorConfig, type Io, type Options } from "../cli.js";
import { keepArchlint, lintRoots } from "../scope.js";
import type { LintResult } from "../formatters/types.js";
import { buildMap } from "./build.js";
import { diffMaps, diffMarkdown } from "./diff.js";
import { focusMap } from "./focus.js";
import { toHtml } from "./html.js";
import { toMermaid } from "./mermaid.js";
import { ModuleResolver } from "./resolve.js";

const require = createRequire(import.meta.url);
const { version } = require("../../package.json") as { version: string };

export { MAP_FORMATS } from "./formats.js";

const COLLECTOR_ID = "archlint-map/collect";
const CODE_FILES = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"];

/** `archlint map [path]`. */
export async function runMap(positionals: string[], options: Options, io: Io): Promise<number> {
  if (positionals.length > 1) throw new UsageError("archlint map takes one folder (default: .).");
  if (options.fix || options.staged || options.cache) throw new UsageError("archlint map does not take --fix, --staged or --cache.");
  const target = positionals[0] ?? ".";
  const base = path.resolve(io.cwd, target);
  if (!fs.existsSync(base)) throw new UsageError(`No such file or directory: ${target}`);
  if (!fs.statSync(base).isDirectory()) throw new UsageError(`Not a directory: ${target}`);
  const config = options.config === undefined ? undefined : path.resolve(io.cwd, options.config);
  if (config !== undefined && !fs.existsSync(config)) throw new UsageError(`ESLint config not found: ${options.config}`);
  const schemaOption = options.schema && path.resolve(io.cwd, options.schema);
  if (schemaOption !== undefined && !fs.existsSync(schemaOption)) throw new UsageError(`No such file or directory: ${options.schema}`);
  const format = options.format as string;
  if (options.diff !== undefined) {
    if (format === "mermaid" || format === "html") throw new UsageError("--diff prints markdown or json.");
    if (options.focus !== undefined) throw new UsageError("--diff and --focus do not go together.");
  } else if (format === "markdown") {
    throw new UsageError("--format markdown is the format of --diff.");
  }
  const resolved: Options = { ...options, config, schema: schemaOption };

  if (options.diff !== undefined) {
    const checkout = checkoutOf(options.diff, base, io.cwd, resolved);
    let before: ArchitectureMap;
    try {
      before = await mapOf(checkout.base, checkout.target, { ...resolved, config: checkout.config, schema: checkout.schema }, { ...io, cwd: checkout.cwd });
    } finally {
      checkout.remove();
    }
    const after = await mapOf(base, target, resolved, io);
    const diff = diffMaps(before, after, options.diff);
    io.stdout(format === "json" ? `${JSON.stringify(diff, null, 2)}\n` : diffMarkdown(diff));
    return EXIT_CLEAN;
  }

  const map = await mapOf(base, target, resolved, io);
  let shown: ArchitectureMap = map;
  if (options.focus !== undefined) {
    const focused = focusMap(map, options.focus);
    if (!focused)
      throw new UsageError(`--focus "${options.focus}" names no endpoint or model of the map (try an endpoint's name, like post.byId, or a model's).`);
    shown = focused;
  }
  io.stdout(format === "mermaid" ? toMermaid(shown) : format === "html" ? toHtml(shown) : `${JSON.stringify(shown, null, 2)}\n`);
  return EXIT_CLEAN;
}

/** The map of `base`: one ESLint run as archlint check's, with the collector, then the join. */
async function mapOf(base: string, target: string, options: Options, io: Io): Promise<ArchitectureMap> {
  const facts: FileFacts[] = [];
  const historyOptions: HistoryOptions[] = [];
  const progress = startProgress(io, () => facts.length);
  const stop = collectMapFacts((f) => facts.push(f));
  let results: LintResult[];
  try {
    const collector: CollectorConfig = {
      ruleId: COLLECTOR_ID,
      config: { files: CODE_FILES, plugins: { "archlint-map": { rules: { collect: mapCollectorRule } } }, rules: { [COLLECTOR_ID]: "error" } },
    };
    const runs: CheckRun[] = [];
    for (const root of lintRoots(io.cwd, [target])) {
      const run = await prepareCheck(root, options, io, undefined, collector);
      runs.push(run);
      historyOptions.push({ cwd: root.root, migrations: await configuredMigrations(run, root.root) });
    }
    results = await inMigrationRun(async () => {
      const all: LintResult[] = [];
      for (const run of runs) all.push(...(await run.lint()));
      return keepArchlint(all);
    });
  } finally {
    stop();
    progress();
  }
  return buildMap({
    base,
    version,
    facts,
    results,
    schema: schemaOf(base, options.schema, io.cwd),
    migrations: migrationsOf(results, historyOptions),
    resolver: new ModuleResolver(),
  });
}

/** `settings.archlint.migrations` of a run's config (the folders the SQL rules read as one history each), or undefined. */
async function configuredMigrations(run: CheckRun, root: string): Promise<HistoryOptions["migrations"]> {
  const config = (await run.eslint.calculateConfigForFile(path.join(root, "index.ts"))) as { settings?: { archlint?: unknown } } | undefined;
  return parseSettings(config?.settings?.archlint).migrations;
}

/**
 * The migration histories the SQL rules read, PostgreSQL only, by folder: the folder of each SQL
 * file the run linted (`settings.archlint.migrations`' folders where set, else the file's nearest
 * `migrations` folder), and each configured folder, linted or not (the Prisma rules read it too).
 */
function migrationsOf(results: LintResult[], runs: HistoryOptions[]): MigrationHistory[] {
  const folders = new Set<string>();
  for (const options of runs) {
    const configured = options.migrations === undefined ? [] : Array.isArray(options.migrations) ? options.migrations : [options.migrations];
    for (const folder of configured) folders.add(path.resolve(options.cwd, folder));
    for (const r of results) {
      const folder = r.filePath.endsWith(".sql") ? migrationsFolder(r.filePath, options) : null;
      if (folder) folders.add(folder);
    }
  }
  return [...folders]
    .filter((folder) => statOrNull(folder)?.isDirectory() === true)
    .sort()
    .flatMap((folder) => {
      const history = folderHistory(folder);
      return history && !history.notPostgres ? [history] : [];
    });
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.error || r.status !== 0) throw new UsageError(`--diff: git ${args[0]} failed: ${(r.stderr || String(r.error)).split("\n")[0]}`);
  return r.stdout.trim();
}

/**
 * The tree of `ref` in a temporary folder (`git archive`, so the repository is not touched), with
 * the working tree's node_modules folders linked in at the same places: the same dependencies and
 * types on both sides, so the diff shows what the code changed, not what is installed.
 */
function checkoutOf(
  ref: string,
  base: string,
  cwd: string,
  options: Options,
): { base: string; target: string; cwd: string; config?: string; schema?: string; remove: () => void } {
  const top = fs.realpathSync(git(base, ["rev-parse", "--show-toplevel"]));
  if (spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: top }).status !== 0)
    throw new UsageError(`--diff: "${ref}" is no commit of the git repository at ${top}.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-map-"));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const tar = execFileSync("git", ["archive", "--format=tar", ref], { cwd: top, maxBuffer: 2 ** 31 - 1 });
    const untar = spawnSync("tar", ["-x", "-C", dir], { input: tar });
    if (untar.status !== 0) throw new UsageError(`--diff: cannot unpack ${ref}: ${String(untar.stderr).split("\n")[0]}`);
    linkNodeModules(top, dir);
  } catch (error) {
    remove();
    throw error;
  }
  // A path in the repository is read at the ref; one outside it (a shared config) as it is.
  const inside = (p: string): string => {
    const real = fs.realpathSync(p);
    return real === top || real.startsWith(`${top}${path.sep}`) ? path.join(dir, path.relative(top, real)) : real;
  };
  const mappedCwd = inside(cwd);
  const mappedBase = inside(base);
  const mapped = (p: string | undefined): string | undefined => (p !== undefined && fs.existsSync(p) ? inside(p) : p);
  return {
    base: mappedBase,
    target: path.relative(mappedCwd, mappedBase) || ".",
    cwd: mappedCwd,
    config: mapped(options.config),
    schema: mapped(options.schema),
    remove,
  };
}

/** Each node_modules folder of the working tree (a few levels down, as workspaces put them), linked at the same place in `dir`. */
function linkNodeModules(top: string, dir: string): void {
  const visit = (rel: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(top, rel), { withFileTypes: true });
    } catch (error) {
      rethrowUnlessMissing(error);
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name === ".git") continue;
      const child = path.join(rel, e.name);
      if (e.name === "node_modules") {
        if (fs.existsSync(path.join(dir, rel)) && !fs.existsSync(path.join(dir, child))) fs.symlinkSync(path.join(top, child), path.join(dir, child));
        continue;
      }
      if (depth < 4) visit(child, depth + 1);
    }
  };
  visit("", 0);
}

/** The Prisma models, without Prisma's validation (the rules report what Prisma rejects); null without a readable schema. */
function schemaOf(
  base: string,
  explicit: string | undefined,
  cwd: string,
): { model: NonNullable<ReturnType<typeof loadSchema>["model"]>; files: string[] } | null {
  const location = explicit ? projectSchema(cwd, explicit) : (projectSchema(base) ?? schemaForCode(base, cwd));
  if (!location) return null;
  try {
    const loaded = loadSchema(location, { validate: false });
    return loaded.model ? { model: loaded.model, files: loaded.files.map((f) => f.path) } : null;
  } catch (error) {
    if (error instanceof SchemaReadError) return null;
    throw error;
  }
}

/** After two seconds, how many files have been read: one updating line on a terminal (every second), a plain line every ten seconds otherwise. */
function startProgress(io: Io, count: () => number): () => void {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (ticks < 2 || (!tty && ticks % 10 !== 2)) return;
    shown = true;
    io.stderr(tty ? `\rarchlint map: ${count()} files read` : `archlint map: ${count()} files read\n`);
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown && tty) io.stderr("\n");
  };
}
