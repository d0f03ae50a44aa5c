import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing, rethrowUnlessMissingOrMalformed } from "../fs-probe.js";

/**
 * A light, text-level look at another module of the project, for syntax-only rules that must know
 * how an imported value is defined (`export const orgProcedure = authedProcedure.input(...)`)
 * without type information. It resolves relative and tsconfig `paths` imports, reads the file once
 * per (path, mtime), and returns the text of a top-level `const` initialiser. It never executes
 * anything, and answers null when unsure.
 */

export interface ExportedValue {
  file: string;
  /** The initialiser's source text. */
  text: string;
  /** The module's named and default imports: local name -> module specifier. */
  imports: Map<string, string>;
}

interface CachedModule {
  mtimeMs: number;
  text: string;
  imports: Map<string, string>;
  /** findExportedValue answers for this version of the module. */
  values: Map<string, ExportedValue | null>;
}

const moduleCache = new Map<string, CachedModule>();
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/**
 * `stat` results reused for a second: one lint run over a thousand router files asks about the
 * same few modules thousands of times, while an editor still sees a change within a second.
 */
const STAT_TTL_MS = 1000;
const statCache = new Map<string, { at: number; stat: fs.Stats | null }>();

function statFresh(p: string): fs.Stats | null {
  const now = Date.now();
  const hit = statCache.get(p);
  if (hit && now - hit.at < STAT_TTL_MS) return hit.stat;
  let stat: fs.Stats | null;
  try {
    stat = fs.statSync(p);
  } catch (error) {
    rethrowUnlessMissing(error);
    stat = null;
  }
  statCache.set(p, { at: now, stat });
  return stat;
}

function isFile(p: string): boolean {
  return statFresh(p)?.isFile() ?? false;
}

function stripJsonComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? "").replace(/,(\s*[}\]])/g, "$1");
}

interface PathsConfig {
  baseDir: string;
  paths: Array<[string, string[]]>;
}

const pathsCache = new Map<string, PathsConfig | null>();

function tsconfigPaths(fromDir: string): PathsConfig | null {
  let dir = fromDir;
  for (let i = 0; i < 30; i++) {
    if (pathsCache.has(dir)) return pathsCache.get(dir)!;
    const candidate = path.join(dir, "tsconfig.json");
    if (isFile(candidate)) {
      let result: PathsConfig | null = null;
      try {
        const json = JSON.parse(stripJsonComments(fs.readFileSync(candidate, "utf8"))) as {
          compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
        };
        const co = json.compilerOptions ?? {};
        const baseDir = path.resolve(dir, co.baseUrl ?? ".");
        result = { baseDir, paths: Object.entries(co.paths ?? {}) };
      } catch (error) {
        rethrowUnlessMissingOrMalformed(error);
        result = null;
      }
      pathsCache.set(dir, result);
      return result;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

function withExtensions(base: string): string | null {
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  // `./trpc.js` written for NodeNext resolution stands for `./trpc.ts`.
  const m = /\.(m|c)?js$/.exec(base);
  if (m) candidates.push(base.replace(/\.(m|c)?js$/, `.${m[1] ?? ""}ts`), base.replace(/\.js$/, ".tsx"));
  return candidates.find(isFile) ?? null;
}

const resolutionCache = new Map<string, string | null>();

/**
 * The file an import specifier in `fromFile` refers to, for project-local modules. Resolutions are
 * remembered per (folder, specifier) for the process: hundreds of router files import the same
 * module, and each resolution costs several `stat`s.
 */
export function resolveModule(fromFile: string, specifier: string): string | null {
  const key = `${path.dirname(fromFile)}\0${specifier}`;
  const cached = resolutionCache.get(key);
  if (cached !== undefined && (cached === null || isFile(cached))) return cached;
  const resolved = resolveUncached(fromFile, specifier);
  resolutionCache.set(key, resolved);
  return resolved;
}

function resolveUncached(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith(".")) return withExtensions(path.resolve(path.dirname(fromFile), specifier));
  const config = tsconfigPaths(path.dirname(fromFile));
  if (!config) return null;
  for (const [pattern, targets] of config.paths) {
    const star = pattern.indexOf("*");
    const prefix = star === -1 ? pattern : pattern.slice(0, star);
    const suffix = star === -1 ? "" : pattern.slice(star + 1);
    if (star === -1 ? specifier !== pattern : !(specifier.startsWith(prefix) && specifier.endsWith(suffix))) continue;
    const matched = star === -1 ? "" : specifier.slice(prefix.length, specifier.length - suffix.length);
    for (const target of targets) {
      const found = withExtensions(path.resolve(config.baseDir, target.replace("*", matched)));
      if (found) return found;
    }
  }
  return null;
}

function parseImports(text: string): Map<string, string> {
  const imports = new Map<string, string>();
  const re = /import\s+(?:type\s+)?([\s\S]*?)\s+from\s+["']([^"']+)["']/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const clause = m[1]!;
    const source = m[2]!;
    const named = /\{([\s\S]*)\}/.exec(clause);
    if (named) {
      for (const part of named[1]!.split(",")) {
        const p = part.trim().replace(/^type\s+/, "");
        if (!p) continue;
        const as = /^(\S+)\s+as\s+(\S+)$/.exec(p);
        imports.set(as ? as[2]! : p, source);
      }
    }
    const def = /^([A-Za-z_$][\w$]*)/.exec(clause.trim());
    if (def && !clause.trim().startsWith("{")) imports.set(def[1]!, source);
  }
  return imports;
}

function readModule(file: string): CachedModule | null {
  const st = statFresh(file);
  if (!st) return null;
  const cached = moduleCache.get(file);
  if (cached && cached.mtimeMs === st.mtimeMs) return cached;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
  const mod: CachedModule = { mtimeMs: st.mtimeMs, text, imports: parseImports(text), values: new Map() };
  moduleCache.set(file, mod);
  return mod;
}

/** The text from `start` to the end of its statement: a `;` or a line break at bracket depth 0 not followed by `.`. */
function statementText(text: string, start: number): string {
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const quote = ch;
      for (i++; i < text.length && text[i] !== quote; i++) if (text[i] === "\\") i++;
      continue;
    }
    if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth <= 0 && ch === ";") break;
    else if (depth <= 0 && ch === "\n") {
      const rest = text.slice(i + 1).trimStart();
      if (!rest.startsWith(".") && !rest.startsWith("?.")) break;
    }
  }
  return text.slice(start, i);
}

/**
 * The initialiser of the top-level `const <name>` that `specifier` exports as `name`, seen from
 * `fromFile`, through re-exports (`export { a as name } from`, `export * from` barrels) and local
 * export lists (`export { a as name }`).
 */
export function findExportedValue(fromFile: string, specifier: string, name: string): ExportedValue | null {
  return findFrom(fromFile, specifier, name, new Set());
}

function findFrom(fromFile: string, specifier: string, name: string, seen: Set<string>): ExportedValue | null {
  const file = resolveModule(fromFile, specifier);
  if (!file) return null;
  const key = `${file}\0${name}`;
  // A cycle of barrels (`a` re-exports `b`, `b` re-exports `a`) ends here.
  if (seen.has(key) || seen.size > 32) return null;
  seen.add(key);
  const mod = readModule(file);
  if (!mod) return null;
  if (mod.values.has(name)) return mod.values.get(name)!;
  const value = exportedValueIn(file, mod, name, seen);
  mod.values.set(name, value);
  return value;
}

/** `{ a, b as c, type D }` of an export list: exported name -> local (or source) name. */
function exportList(clause: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const part of clause.split(",")) {
    const p = part.trim().replace(/^type\s+/, "");
    if (!p) continue;
    const as = /^(\S+)\s+as\s+(\S+)$/.exec(p);
    names.set(as ? as[2]! : p, as ? as[1]! : p);
  }
  return names;
}

function exportedValueIn(file: string, mod: CachedModule, name: string, seen: Set<string>): ExportedValue | null {
  if (name === "default") {
    const target = /(?:^|\n)\s*export\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*(?:\n|$)/.exec(mod.text)?.[1];
    return target ? exportedValueIn(file, mod, target, seen) : null;
  }
  const decl = new RegExp(`(?:^|\\n)\\s*(?:export\\s+)?const\\s+${name.replace(/\$/g, "\\$")}\\b[^=\\n]*=`).exec(mod.text);
  if (decl) return { file, text: statementText(mod.text, decl.index + decl[0].length).trim(), imports: mod.imports };
  // `export { orgProcedure } from "./procedures"`, `export { authed as authedProcedure } from "./authed"`
  for (const m of mod.text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    const original = exportList(m[1]!).get(name);
    if (original !== undefined) return findFrom(file, m[2]!, original, seen);
  }
  // `const authed = ...; export { authed as authedProcedure }`
  for (const m of mod.text.matchAll(/export\s+\{([^}]*)\}\s*(?!\s*from)(?:;|\n|$)/g)) {
    const local = exportList(m[1]!).get(name);
    if (local !== undefined && local !== name) return exportedValueIn(file, mod, local, seen);
  }
  // `export * from "./procedures"` (not `export * as ns from`): the first barrel entry that has it.
  for (const m of mod.text.matchAll(/export\s+\*\s+from\s*["']([^"']+)["']/g)) {
    const value = findFrom(file, m[1]!, name, seen);
    if (value) return value;
  }
  return null;
}
