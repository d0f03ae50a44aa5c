import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing } from "../fs-probe.js";

/** Folders never scanned: dependencies, build output, VCS and tool state. */
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "out", "coverage", ".next", ".turbo", ".git", "generated"]);
const SOURCE_EXT = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Bounds for the scan: a monorepo of 10k files is still read in well under a second. */
const MAX_FILES = 10_000;
const MAX_DEPTH = 12;

/** Source files under `root` (sorted, bounded), skipping dependencies, build output and dot-folders; `maxDepth` folders down. */
export function sourceFiles(root: string, match: RegExp = SOURCE_EXT, maxDepth = MAX_DEPTH): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > maxDepth || out.length >= MAX_FILES) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // A folder removed or unreadable while walking holds nothing to scan.
      rethrowUnlessMissing(error);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) walk(path.join(dir, e.name), depth + 1);
      } else if (e.isFile() && match.test(e.name) && !e.name.endsWith(".d.ts")) {
        out.push(path.join(dir, e.name));
      }
    }
  };
  walk(root, 0);
  return out;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
