import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing, rethrowUnlessMissingOrMalformed, statOrNull } from "../fs-probe.js";
import { walkFiles } from "../project/files.js";
import { noteFileRead } from "../reads.js";

/**
 * Finding a project's Prisma schema, in Prisma's order: an explicit path (CLI `--schema` or the
 * `schema` setting), then `prisma.config.*`'s `schema` entry, then `package.json#prisma.schema`,
 * then `./schema.prisma`, then `prisma/schema.prisma`, then the folder `prisma/schema/` (Prisma 7's
 * `getDefaultSchema` order). Nothing here executes the
 * project's code: `prisma.config.ts` is read as text.
 */

export type SchemaSource = "explicit" | "prisma.config" | "package.json" | "default";

export interface SchemaLocation {
  /** Absolute path to a `.prisma` file or to a folder of them. */
  path: string;
  isFolder: boolean;
  source: SchemaSource;
}

export class SchemaLocateError extends Error {
  override name = "SchemaLocateError";
}

const CONFIG_NAMES = ["prisma.config.ts", "prisma.config.mts", "prisma.config.cts", "prisma.config.js", "prisma.config.mjs", "prisma.config.cjs"];

function asLocation(p: string, source: SchemaSource): SchemaLocation | null {
  const st = statOrNull(p);
  if (!st) return null;
  return { path: p, isFolder: st.isDirectory(), source };
}

/** The `schema` entry of a Prisma config file, when it is a literal (or `path.join` of literals). */
export function readSchemaFromPrismaConfig(configText: string): string | null {
  const literal = /\bschema\s*:\s*(["'`])([^"'`\n]+)\1/.exec(configText);
  if (literal) return literal[2]!;
  const joined = /\bschema\s*:\s*path\.(?:join|resolve)\(([^)]*)\)/.exec(configText);
  if (joined) {
    const parts = [...joined[1]!.matchAll(/(["'`])([^"'`\n]*)\1/g)].map((m) => m[2]!);
    if (parts.length > 0) return path.join(...parts);
  }
  return null;
}

function findConfigFile(dir: string): string | null {
  for (const name of CONFIG_NAMES) {
    const p = path.join(dir, name);
    if (statOrNull(p)?.isFile()) return p;
  }
  for (const name of ["prisma.ts", "prisma.mts", "prisma.js", "prisma.mjs"]) {
    const p = path.join(dir, ".config", name);
    if (statOrNull(p)?.isFile()) return p;
  }
  return null;
}

/**
 * Locate the schema for a project rooted at `cwd`. Returns null when there is none; throws
 * SchemaLocateError when an explicitly named schema does not exist (a usage error).
 */
export function locateSchema(cwd: string, explicit?: string): SchemaLocation | null {
  if (explicit) {
    const p = path.resolve(cwd, explicit);
    const loc = asLocation(p, "explicit");
    if (!loc) throw new SchemaLocateError(`Prisma schema not found: ${p}`);
    return loc;
  }
  const config = findConfigFile(cwd);
  if (config) {
    let text = "";
    noteFileRead(config);
    try {
      text = fs.readFileSync(config, "utf8");
    } catch (error) {
      rethrowUnlessMissing(error);
      text = "";
    }
    const entry = readSchemaFromPrismaConfig(text);
    const configDir = path.basename(path.dirname(config)) === ".config" ? path.dirname(path.dirname(config)) : path.dirname(config);
    if (entry) {
      const loc = asLocation(path.resolve(configDir, entry), "prisma.config");
      if (loc) return loc;
    }
  }
  const pkgPath = path.join(cwd, "package.json");
  if (statOrNull(pkgPath)?.isFile()) {
    noteFileRead(pkgPath);
    try {
      const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { prisma?: { schema?: unknown } };
      const entry = pkg.prisma?.schema;
      if (typeof entry === "string") {
        const loc = asLocation(path.resolve(cwd, entry), "package.json");
        if (loc) return loc;
      }
    } catch (error) {
      rethrowUnlessMissingOrMalformed(error);
      // An unreadable package.json is not ours to report; fall through to the defaults.
    }
  }
  const rootFile = asLocation(path.join(cwd, "schema.prisma"), "default");
  if (rootFile && !rootFile.isFolder) return rootFile;
  const file = asLocation(path.join(cwd, "prisma", "schema.prisma"), "default");
  if (file && !file.isFolder) return file;
  const folder = asLocation(path.join(cwd, "prisma", "schema"), "default");
  if (folder?.isFolder) return folder;
  return null;
}

/** All `.prisma` files of a schema location, sorted for deterministic order; `migrations/` holds none. */
export function schemaFiles(location: SchemaLocation): string[] {
  if (!location.isFolder) return [location.path];
  return walkFiles(location.path, (name) => name.endsWith(".prisma") && !name.startsWith("."), {
    maxDepth: 64,
    skipDir: (name) => name === "node_modules" || name === "migrations",
  }).sort();
}

/** The nearest directory at or above `from` holding a package.json (the project root), else `from`. */
export function findProjectRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (statOrNull(path.join(dir, "package.json"))?.isFile()) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

function countDatasources(files: string[]): number {
  let n = 0;
  for (const f of files) {
    noteFileRead(f);
    try {
      if (/^\s*datasource\s+\w+\s*\{/m.test(fs.readFileSync(f, "utf8"))) n++;
    } catch (error) {
      rethrowUnlessMissing(error);
      // unreadable: it will be reported when it is linted itself
    }
  }
  return n;
}

/**
 * Which schema a given `.prisma` file belongs to: the project's configured schema when it contains
 * the file; otherwise, walking up from the file's folder towards the project root, the first folder
 * whose `.prisma` files (subfolders included, as Prisma reads a schema folder) hold exactly one
 * datasource, so `db/schema/content/post.prisma` joins `db/schema/main.prisma`; otherwise the
 * file alone. The walk stops below the project root (whose folder would sweep in every schema of
 * the repository) and at a folder with several datasources (separate schemas).
 */
export function schemaLocationForFile(filePath: string, explicit?: string, cwd?: string): SchemaLocation {
  const abs = path.resolve(filePath);
  const root = cwd ?? findProjectRoot(path.dirname(abs));
  let configured: SchemaLocation | null = null;
  try {
    configured = locateSchema(root, explicit);
  } catch (error) {
    if (!(error instanceof SchemaLocateError)) throw error;
    configured = null;
  }
  if (configured) {
    if (!configured.isFolder && configured.path === abs) return configured;
    if (configured.isFolder && abs.startsWith(configured.path + path.sep)) return configured;
  }
  const self: SchemaLocation = { path: abs, isFolder: false, source: "default" };
  let dir = path.dirname(abs);
  for (let depth = 0; depth < 8 && (dir + path.sep).startsWith(root + path.sep) && dir !== root; depth++) {
    const files = schemaFiles({ path: dir, isFolder: true, source: "default" });
    if (files.length > 1) {
      const datasources = countDatasources(files);
      if (datasources === 1) return { path: dir, isFolder: true, source: "default" };
      if (datasources > 1) return self;
    }
    dir = path.dirname(dir);
  }
  return self;
}
