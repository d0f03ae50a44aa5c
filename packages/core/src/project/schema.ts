import fs from "node:fs";
import path from "node:path";
import { statFingerprint } from "../schema/loader.js";
import { locateSchema, SchemaLocateError, schemaFiles, schemaLocationForFile, type SchemaLocation } from "../schema/locate.js";
import { findWorkspaceRoot, locateProjectSchema, workspaceSchemas, type WorkspaceSchema } from "../schema/workspace.js";
import { sourceFiles, toPosix } from "./files.js";
import { statOrNull } from "../fs-probe.js";

/**
 * Which Prisma schema a project, a folder of code or a `.prisma` file uses: the one place that
 * answers it, over the locators in `schema/` (Prisma's own order, the workspace's packages, a
 * schema folder's files).
 */

/** What `archlint init` found: the schema, whether the settings must name it, or the candidates to pick from. */
export interface SchemaDetection {
  schema: { location: SchemaLocation; relative: string; needsSetting: boolean; workspacePackage?: string } | null;
  /** Several schemas outside Prisma's default places: the user has to pick one. */
  candidates: string[];
}

/** The schema of the project at `root` as Prisma finds it (`explicit`: a `--schema` / `schema` setting). */
export function projectSchema(root: string, explicit?: string): SchemaLocation | null {
  return locateSchema(root, explicit);
}

/** The schema the code in `dirOrFile` is checked against (its package's, the working directory's, the workspace's). */
export function schemaForCode(dirOrFile: string, cwd?: string): SchemaLocation | null {
  const isDir = statOrNull(dirOrFile)?.isDirectory() ?? false;
  return locateProjectSchema(isDir ? dirOrFile : path.dirname(dirOrFile), cwd);
}

/** The schema a `.prisma` file belongs to. */
export function schemaForPrismaFile(file: string, explicit?: string, cwd?: string): SchemaLocation {
  return schemaLocationForFile(file, explicit, cwd);
}

/** Every schema of the workspace that `root` is in (empty outside a workspace). */
export function schemasInWorkspace(root: string): WorkspaceSchema[] {
  const workspace = findWorkspaceRoot(root);
  return workspace ? workspaceSchemas(workspace) : [];
}

/**
 * The schema Prisma would use (no setting needed), else a monorepo's one schema in a workspace
 * package, else the one schema found elsewhere in the project (a file or folder with a datasource,
 * which then goes into the settings). Several such schemas: none is picked.
 */
export function detectSchema(root: string): SchemaDetection {
  const relative = (p: string): string => toPosix(path.relative(root, p));
  let located: SchemaLocation | null;
  try {
    located = locateSchema(root);
  } catch (error) {
    // A broken `prisma.config` / package.json entry: init offers what it finds elsewhere.
    if (!(error instanceof SchemaLocateError)) throw error;
    located = null;
  }
  if (located) return { schema: { location: located, relative: relative(located.path), needsSetting: false }, candidates: [] };
  const inWorkspace = workspaceSchemas(root);
  if (inWorkspace.length === 1) {
    const { location, packageDir } = inWorkspace[0]!;
    return { schema: { location, relative: relative(location.path), needsSetting: false, workspacePackage: relative(packageDir) }, candidates: [] };
  }
  const withDatasource = sourceFiles(root, /\.prisma$/).filter((f) => /^\s*datasource\s+\w+\s*\{/m.test(fs.readFileSync(f, "utf8")));
  const locations = new Map<string, SchemaLocation>();
  for (const f of withDatasource) {
    const loc = schemaLocationForFile(f, undefined, root);
    locations.set(loc.path, loc);
  }
  const found = [...locations.values()];
  if (found.length === 1) return { schema: { location: found[0]!, relative: relative(found[0]!.path), needsSetting: true }, candidates: [] };
  return { schema: null, candidates: found.map((l) => relative(l.path)).sort() };
}

/**
 * The state (paths, sizes, mtimes) of the project's `.prisma` and `.sql` files, and of its schema's
 * when it lies outside `cwd`: "none" when there are none. ESLint's `--cache` keys results on the
 * config, so a preset that carries this in `settings` drops cached results when a schema file or a
 * migration changes: a migration's findings depend on the other migrations of its folder, and a
 * schema's (prisma-relation-index) on indexes created in SQL. Every `.sql` file, not only those in
 * a `migrations` folder: `settings.archlint.migrations` can name any folder, and the preset is
 * built before settings are read. One walk, `sourceFiles'` (bounded, no dependencies or build output).
 */
export function schemaFingerprint(cwd: string): string {
  const files = sourceFiles(cwd, /\.(?:prisma|sql)$/);
  try {
    const located = locateSchema(cwd);
    if (located && !(located.path + path.sep).startsWith(cwd + path.sep)) files.push(...schemaFiles(located));
  } catch (error) {
    // A broken explicit location is reported by the language when a file is linted.
    if (!(error instanceof SchemaLocateError)) throw error;
  }
  return files.length === 0 ? "none" : statFingerprint(files.sort());
}
