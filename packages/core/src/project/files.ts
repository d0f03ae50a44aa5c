import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing } from "../fs-probe.js";
import { noteFolderRead } from "../reads.js";

/** Folders never scanned: dependencies, build output, VCS and tool state. */
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", ".next", ".turbo", ".git", "generated"]);
const SOURCE_EXT = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Bounds for the scan: a monorepo of 10k files is still read in well under a second. */
const MAX_FILES = 10_000;
const MAX_DEPTH = 12;

export interface WalkOptions {
  /** Folders below `root` to go down, at most (default 12). */
  maxDepth?: number;
  /** Folders never entered, by name (dot-folders never are). */
  skipDir?: (name: string) => boolean;
}

/**
 * The files under `root` that `accept` takes (by name and directory entry), walked in sorted order
 * and bounded (depth, 10,000 files), never into dot-folders. A folder removed or unreadable while
 * walking holds nothing. The one directory walk of the project index: source files, schema files
 * and migrations all come from here.
 */
export function walkFiles(root: string, accept: (name: string, entry: fs.Dirent) => boolean, options: WalkOptions = {}): string[] {
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > maxDepth || out.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    noteFolderRead(dir);
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      rethrowUnlessMissing(error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && !options.skipDir?.(e.name)) walk(path.join(dir, e.name), depth + 1);
      } else if (accept(e.name, e)) {
        out.push(path.join(dir, e.name));
      }
    }
  };
  walk(root, 0);
  return out;
}

/** Source files under `root` (sorted, bounded), skipping dependencies, build output and dot-folders; `maxDepth` folders down. */
export function sourceFiles(root: string, match: RegExp = SOURCE_EXT, maxDepth = MAX_DEPTH): string[] {
  return walkFiles(root, (name, e) => e.isFile() && match.test(name) && !name.endsWith(".d.ts"), { maxDepth, skipDir: (name) => SKIP_DIRS.has(name) });
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
