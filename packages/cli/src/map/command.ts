import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { inMigrationRun, loadSchema, projectSchema, schemaForCode, SchemaReadError, type ArchitectureMap } from "@archlint/core";
import { collectMapFacts, mapCollectorRule, type FileFacts } from "eslint-plugin-archlint";
import { EXIT_CLEAN, prepareCheck, UsageError, type CheckRun, type CollectorConfig, type Io, type Options } from "../cli.js";
import { keepArchlint, lintRoots } from "../scope.js";
import type { LintResult } from "../formatters/types.js";
import { buildMap } from "./build.js";
import { focusMap } from "./focus.js";
import { toMermaid } from "./mermaid.js";
import { ModuleResolver } from "./resolve.js";

const require = createRequire(import.meta.url);
const { version } = require("../../package.json") as { version: string };

export const MAP_FORMATS = ["json", "mermaid"] as const;

export const MAP_USAGE = `Usage: archlint map [path] [options]

Draw the architecture of the backend in path (default: .) from its code, without running it:
endpoints (tRPC procedures with their full path, Fastify routes) -> the services their handlers
call -> the models and tables they read and write, with each endpoint's auth, input validation,
hotness and the caches in front, the Prisma models with relations and indexes, and the findings
of archlint's rules attached to the endpoint, service or model they concern. It runs the same
rules, config and type information as archlint check. What it cannot follow is listed under
"unresolved" with the reason, and the map is still printed.

Options:
  --format <name>    json (default; schema: architectureMapJsonSchema() in @archlint/core), mermaid
  --focus <name>     One endpoint (post.byId, GET /v1/posts/:id, or its id) or model (Post) and its
                     neighbourhood only
  --config <file>    ESLint config file to use
  --schema <path>    Prisma schema file or folder
  --no-type-check    Zero-config: skip type information (calls across files are then joined by
                     their imports only)

Exit codes: 0 map printed (findings do not change it), 2 usage or input error.
`;

const COLLECTOR_ID = "archlint-map/collect";
const CODE_FILES = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"];

/** `archlint map [path]`. */
export async function runMap(positionals: string[], options: Options, io: Io): Promise<number> {
  if (positionals.length > 1) throw new UsageError("archlint map takes one folder (default: .).");
  if (options.fix || options.staged) throw new UsageError("archlint map does not take --fix or --staged.");
  const target = positionals[0] ?? ".";
  const base = path.resolve(io.cwd, target);
  if (!fs.existsSync(base)) throw new UsageError(`No such file or directory: ${target}`);
  if (!fs.statSync(base).isDirectory()) throw new UsageError(`Not a directory: ${target}`);
  const config = options.config === undefined ? undefined : path.resolve(io.cwd, options.config);
  if (config !== undefined && !fs.existsSync(config)) throw new UsageError(`ESLint config not found: ${options.config}`);
  const schemaOption = options.schema && path.resolve(io.cwd, options.schema);
  if (schemaOption !== undefined && !fs.existsSync(schemaOption)) throw new UsageError(`No such file or directory: ${options.schema}`);
  const resolved: Options = { ...options, config, schema: schemaOption };

  const facts: FileFacts[] = [];
  const progress = startProgress(io, () => facts.length);
  const stop = collectMapFacts((f) => facts.push(f));
  let results: LintResult[];
  try {
    const collector: CollectorConfig = {
      ruleId: COLLECTOR_ID,
      config: { files: CODE_FILES, plugins: { "archlint-map": { rules: { collect: mapCollectorRule } } }, rules: { [COLLECTOR_ID]: "error" } },
    };
    const runs: CheckRun[] = [];
    for (const root of lintRoots(io.cwd, [target])) runs.push(await prepareCheck(root, resolved, io, undefined, collector));
    results = await inMigrationRun(async () => {
      const all: LintResult[] = [];
      for (const run of runs) all.push(...(await run.lint()));
      return keepArchlint(all);
    });
  } finally {
    stop();
    progress();
  }

  const map = await buildMap({ base, version, facts, results, schema: schemaOf(base, schemaOption, io.cwd), resolver: new ModuleResolver() });
  let shown: ArchitectureMap = map;
  if (options.focus !== undefined) {
    const focused = focusMap(map, options.focus);
    if (!focused)
      throw new UsageError(`--focus "${options.focus}" names no endpoint or model of the map (try an endpoint's name, like post.byId, or a model's).`);
    shown = focused;
  }
  io.stdout((options.format as string) === "mermaid" ? toMermaid(shown) : `${JSON.stringify(shown, null, 2)}\n`);
  return EXIT_CLEAN;
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

/** After two seconds, how many files have been read: one updating line on a terminal, a plain line every two seconds otherwise. */
function startProgress(io: Io, count: () => number): () => void {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  const timer = setInterval(() => {
    shown = true;
    io.stderr(tty ? `\rarchlint map: ${count()} files read` : `archlint map: ${count()} files read\n`);
  }, 2000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown && tty) io.stderr("\n");
  };
}
