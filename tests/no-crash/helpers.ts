import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
export const FIXTURES = path.join(ROOT, "fixtures");

/** Every extension the presets lint (`.prisma`, `.sql` in migrations folders, and the code globs of plugin.configs.*). */
export const CODE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"];
export const LINTED_EXTENSIONS = [".prisma", ".sql", ...CODE_EXTENSIONS];

export function isPrismaFile(file: string): boolean {
  return file.endsWith(".prisma");
}

export function isSqlFile(file: string): boolean {
  return file.endsWith(".sql");
}

/** Fixture files to lint, sorted, skipping node_modules and dot folders. */
export function collectFixtureFiles(dir: string = FIXTURES): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && LINTED_EXTENSIONS.some((ext) => e.name.endsWith(ext))) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/**
 * The directory a user would run ESLint from for this fixture file: the nearest one with a
 * package.json, not above fixtures/<project>; else fixtures/<project> itself.
 */
export function projectRootOf(file: string): string {
  const top = path.join(FIXTURES, path.relative(FIXTURES, file).split(path.sep)[0]!);
  let dir = path.dirname(file);
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (dir === top || dir === FIXTURES || path.dirname(dir) === dir) return top === file ? path.dirname(file) : top;
    dir = path.dirname(dir);
  }
}

const SCHEMA_CONFIG_FILES = [
  "package.json",
  "prisma.config.ts",
  "prisma.config.mts",
  "prisma.config.cts",
  "prisma.config.js",
  "prisma.config.mjs",
  "prisma.config.cjs",
  ".config/prisma.ts",
  ".config/prisma.mts",
  ".config/prisma.js",
  ".config/prisma.mjs",
];

/**
 * A copy, in a fresh temp folder, of what decides a project's Prisma schema: its package.json,
 * prisma config file and every .prisma file (same relative paths). Mutated schema files are written
 * there, so the real fixture is never touched and the schema loader sees the same neighbours.
 */
export function mirrorSchemaProject(projectRoot: string, tmpRoot: string): string {
  const dest = fs.mkdtempSync(path.join(tmpRoot, `${path.basename(projectRoot)}-`));
  for (const rel of SCHEMA_CONFIG_FILES) {
    const src = path.join(projectRoot, rel);
    if (!fs.existsSync(src)) continue;
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(src, path.join(dest, rel));
  }
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".prisma")) {
        const target = path.join(dest, path.relative(projectRoot, p));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(p, target);
      }
    }
  };
  walk(projectRoot);
  return dest;
}

export function makeTmpRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "archlint-no-crash-")));
}

/** Lines `from..to` (1-based, inclusive) of `text`, numbered. */
export function excerpt(text: string, from: number, to: number): string {
  const lines = text.split(/\r?\n/u);
  const out: string[] = [];
  for (let n = Math.max(1, from); n <= Math.min(lines.length, to); n++) out.push(`${String(n).padStart(5)} | ${lines[n - 1]}`);
  return out.join("\n");
}
