import fs from "node:fs";
import path from "node:path";
import { findProjectRoot, locateSchema, type SchemaLocation } from "./locate.js";
import { rethrowUnlessMissing, statOrNull } from "../fs-probe.js";
import { noteFileRead, noteFolderRead } from "../reads.js";

/**
 * The Prisma schema of a package in a monorepo. Real monorepos keep the schema in one package
 * (`packages/db`) whose generated client the others import; code in every package is checked
 * against it. Nothing here runs code: `pnpm-workspace.yaml` and `package.json#workspaces` are
 * read as text.
 */

interface PackageJson {
  name?: unknown;
  workspaces?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
}

function readJson(file: string): PackageJson | null {
  let text: string;
  noteFileRead(file);
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as PackageJson) : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/** The `packages:` globs of a pnpm-workspace.yaml (a YAML list of strings; anything else is ignored). */
export function pnpmWorkspaceGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const raw of yaml.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/\s+#.*$/, "");
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      const inline = /\[(.*)\]/.exec(line);
      if (inline) globs.push(...inline[1]!.split(",").map(unquote).filter(Boolean));
      continue;
    }
    if (!inPackages) continue;
    if (/^\S/.test(line)) {
      inPackages = false;
      continue;
    }
    const item = /^\s*-\s*(.+?)\s*$/.exec(line);
    if (item) globs.push(unquote(item[1]!));
  }
  return globs;
}

function unquote(s: string): string {
  return s.trim().replace(/^(["'])(.*)\1$/, "$2");
}

function workspaceGlobs(dir: string): string[] | null {
  noteFileRead(path.join(dir, "pnpm-workspace.yaml"));
  try {
    return pnpmWorkspaceGlobs(fs.readFileSync(path.join(dir, "pnpm-workspace.yaml"), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const ws = readJson(path.join(dir, "package.json"))?.workspaces;
  const list = Array.isArray(ws) ? ws : ws && typeof ws === "object" ? (ws as { packages?: unknown }).packages : null;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === "string") : null;
}

/** The folder at or above `from` that declares a workspace, up to the repository's root. */
export function findWorkspaceRoot(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (workspaceGlobs(dir) !== null) return dir;
    if (statOrNull(path.join(dir, ".git")) || path.dirname(dir) === dir) return null;
  }
}

const SKIP = new Set(["node_modules", ".git", "dist", "build"]);

function subdirs(dir: string): string[] {
  noteFolderRead(dir);
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith("."))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch (error) {
    rethrowUnlessMissing(error);
    return [];
  }
}

/** Folders matched by one workspace glob: literal segments, `*` (one level) and `**` (any depth, bounded). */
function expand(root: string, glob: string): string[] {
  let dirs = [root];
  for (const segment of glob.replace(/^\.\//, "").replace(/\/+$/, "").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "**") {
      const all: string[] = [];
      const walk = (d: string, depth: number): void => {
        all.push(d);
        if (depth < 4) for (const s of subdirs(d)) walk(s, depth + 1);
      };
      for (const d of dirs) walk(d, 0);
      dirs = all;
    } else if (segment.includes("*")) {
      const re = new RegExp(`^${segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
      dirs = dirs.flatMap((d) => subdirs(d).filter((s) => re.test(path.basename(s))));
    } else {
      dirs = dirs.map((d) => path.join(d, segment)).filter((d) => statOrNull(d) !== null);
    }
  }
  return dirs;
}

/** The workspace's package folders (with a package.json), sorted. */
export function workspacePackages(root: string): string[] {
  const globs = workspaceGlobs(root) ?? [];
  const include = globs.filter((g) => !g.startsWith("!"));
  const exclude = globs.filter((g) => g.startsWith("!")).flatMap((g) => expand(root, g.slice(1)));
  const found = new Set(include.flatMap((g) => expand(root, g)).filter((d) => statOrNull(path.join(d, "package.json")) !== null));
  for (const d of exclude) found.delete(d);
  return [...found].sort();
}

export interface WorkspaceSchema {
  location: SchemaLocation;
  /** The package that holds it. */
  packageDir: string;
}

/** Every workspace package's schema (as Prisma finds it from that package), sorted by package. */
export function workspaceSchemas(workspaceRoot: string): WorkspaceSchema[] {
  const out: WorkspaceSchema[] = [];
  const seen = new Set<string>();
  for (const dir of workspacePackages(workspaceRoot)) {
    const location = locateSchema(dir);
    if (location && !seen.has(location.path)) {
      seen.add(location.path);
      out.push({ location, packageDir: dir });
    }
  }
  return out;
}

function dependencyNames(pkg: PackageJson | null): Set<string> {
  return new Set([...Object.keys(pkg?.dependencies ?? {}), ...Object.keys(pkg?.devDependencies ?? {}), ...Object.keys(pkg?.peerDependencies ?? {})]);
}

/**
 * The schema the code in `dir` is checked against: the one Prisma finds from its package (nearest
 * package.json), else from `cwd`, else the workspace's: its only schema, or among several, the
 * one whose package the code's package depends on. null when there is none or it is ambiguous.
 */
export function locateProjectSchema(dir: string, cwd?: string): SchemaLocation | null {
  const root = findProjectRoot(dir);
  const own = locateSchema(root) ?? (cwd !== undefined && cwd !== root ? locateSchema(cwd) : null);
  if (own) return own;
  const workspace = findWorkspaceRoot(root);
  if (!workspace) return null;
  const schemas = workspaceSchemas(workspace);
  if (schemas.length === 1) return schemas[0]!.location;
  const deps = dependencyNames(readJson(path.join(root, "package.json")));
  const used = schemas.filter((s) => {
    const name = readJson(path.join(s.packageDir, "package.json"))?.name;
    return typeof name === "string" && deps.has(name);
  });
  return used.length === 1 ? used[0]!.location : null;
}
