import path from "node:path";
import type { Autoload } from "eslint-plugin-archlint";

/**
 * The plugin files `@fastify/autoload` loads from a folder, and the prefix each is registered
 * under, following its loader: in each folder an `index` file is the only plugin (its subfolders
 * are still read); otherwise every script (`.ts` but not `.d.ts`, `.js`, `.cjs`, `.mjs`) except
 * an `autohooks` file; each subfolder adds its name to the prefix (`dirNameRoutePrefix`); a
 * file's `autoPrefix` export takes the place of its folder's part and `prefixOverride` of the
 * whole. The folder's files are the mapped ones (the files the run linted), in code-unit order.
 */

const INDEX = /^index\.(?:ts|js|cjs|mjs)$/i;
const SCRIPT = /\.(?:ts|js|cjs|mjs)$/i;
const DECLARATION = /\.d\.ts$/i;
const AUTOHOOKS = /^[_.]?auto_?hooks\.(?:ts|js|cjs|mjs)$/i;

export interface AutoloadedFile {
  file: string;
  /** The folders' part of the prefix (`/users/_id`), undefined for a file at the top of `dir`. */
  folderPrefix: string | undefined;
}

interface Folder {
  files: string[];
  folders: Map<string, Folder>;
}

function tree(dir: string, files: string[]): Folder {
  const root: Folder = { files: [], folders: new Map() };
  for (const file of files) {
    const relative = path.relative(dir, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) continue;
    const parts = relative.split(path.sep);
    let at = root;
    for (const name of parts.slice(0, -1)) {
      let next = at.folders.get(name);
      if (!next) at.folders.set(name, (next = { files: [], folders: new Map() }));
      at = next;
    }
    at.files.push(parts.at(-1)!);
  }
  return root;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The files autoload loads from `options.dir` among `files` (absolute paths), with their folders' prefix. */
export function autoloadedFiles(options: Autoload & { dir: string }, files: string[]): AutoloadedFile[] {
  const out: AutoloadedFile[] = [];
  const ignore = options.ignorePattern ? new RegExp(options.ignorePattern.source, options.ignorePattern.flags) : null;
  const visit = (folder: Folder, dir: string, prefix: string | undefined, depth: number): void => {
    const index = folder.files.find((name) => INDEX.test(name));
    if (index) out.push({ file: path.join(dir, index), folderPrefix: prefix });
    const atMaxDepth = options.maxDepth !== null && options.maxDepth <= depth;
    for (const name of [...folder.folders.keys()].sort(byName)) {
      if (ignore?.test(name) || atMaxDepth) continue;
      const crumb = `${prefix ? `${prefix}/` : "/"}${options.dirNames ? name : ""}`;
      visit(folder.folders.get(name)!, path.join(dir, name), crumb, depth + 1);
    }
    if (index) return;
    for (const name of [...folder.files].sort(byName)) {
      if (ignore?.test(name) || !SCRIPT.test(name) || DECLARATION.test(name) || AUTOHOOKS.test(name)) continue;
      out.push({ file: path.join(dir, name), folderPrefix: prefix });
    }
  };
  visit(tree(options.dir, files), options.dir, undefined, 0);
  return out;
}

/**
 * The prefix autoload registers a file's plugin under: `options.prefix` (without a trailing `/`)
 * followed by the file's `autoPrefix` or else its folders' part, slashes collapsed; `prefixOverride`
 * instead of all of it; `routeParams` turns `/_id` into `/:id` (and `__` into `:`). null when the
 * file's export cannot be read.
 */
export function autoloadPrefix(
  options: Autoload & { prefix: string },
  folderPrefix: string | undefined,
  exported: { autoPrefix?: string | null; prefixOverride?: string | null },
): string | null {
  if (exported.prefixOverride !== undefined) return exported.prefixOverride;
  if (exported.autoPrefix === null) return null;
  const base = options.prefix.endsWith("/") ? options.prefix.slice(0, -1) : options.prefix;
  const own = exported.autoPrefix || folderPrefix;
  const prefix = own ? base + own.replace(/\/+/g, "/") : base;
  if (!options.routeParams) return prefix;
  return prefix.includes("__") ? prefix.replace(/__/g, ":") : prefix.replace(/\/_/g, "/:");
}
