import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { indexCache } from "./cache.js";
import { nearestTsconfig } from "./tsconfig.js";
import { analysisGeneration, captureReads, noteFileRead, notePathProbe, replayReads } from "../reads.js";

/**
 * Other modules of the project, read as ESTree: the same tree the rules see in the file being
 * linted, so a recogniser asks the same questions of a declaration wherever it lives. A module is
 * parsed once per version (typescript-estree, no type information) and never executed. Imports
 * resolve relatively and through the tsconfig's `paths` (with `extends`).
 */

export interface ParsedModule {
  file: string;
  text: string;
  program: TSESTree.Program;
  /** Named, default and namespace imports: local name -> module specifier. */
  imports: Map<string, string>;
  /** Local name -> the name the imported module exports it as (`default`, `*` for a namespace). */
  importedNames: Map<string, string>;
  /** Top-level `const` / `let` initialisers by name, exported or not. */
  declarations: Map<string, TSESTree.Expression>;
}

export interface ExportedValue {
  file: string;
  /** The initialiser's source text. */
  text: string;
  /** The initialiser. */
  node: TSESTree.Expression;
  module: ParsedModule;
  /** The module's imports: local name -> module specifier. */
  imports: Map<string, string>;
}

type Parse = (code: string, options: object) => TSESTree.Program;
let parser: Parse | null | undefined;

/** typescript-estree (it needs TypeScript, an optional peer), loaded on first use; null without it. */
function estreeParser(): Parse | null {
  if (parser !== undefined) return parser;
  try {
    parser = (createRequire(import.meta.url)("@typescript-eslint/typescript-estree") as { parse: Parse }).parse;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    parser = null;
  }
  return parser;
}

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** A JavaScript or TypeScript file name: one of the extensions above. */
export const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** A file archlint lints: code, a Prisma schema, a SQL migration. */
export const LINTABLE_FILE = /\.(?:[cm]?[jt]s|[jt]sx|prisma|sql)$/;

/**
 * `stat` results reused within one lint of a file: its analysis asks about the same few modules
 * many times (every procedure of a router traces the same builders), while the next lint, in an
 * editor a second later, sees a module saved since (see `analysisGeneration`).
 */
const statCache = new Map<string, { generation: number; stat: fs.Stats | null }>();

function statFresh(p: string): fs.Stats | null {
  notePathProbe(p);
  const generation = analysisGeneration();
  const hit = statCache.get(p);
  if (hit && hit.generation === generation) return hit.stat;
  const stat = fs.statSync(p, { throwIfNoEntry: false }) ?? null;
  statCache.set(p, { generation, stat });
  return stat;
}

/** Forget the remembered `stat`s (the index's `invalidate` and `clear` call this). */
export function forgetStats(file?: string): void {
  if (file === undefined) statCache.clear();
  else statCache.delete(path.resolve(file));
}

function isFile(p: string): boolean {
  return statFresh(p)?.isFile() ?? false;
}

function withExtensions(base: string): string | null {
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  // `./trpc.js` written for NodeNext resolution stands for `./trpc.ts`.
  const m = /\.(m|c)?js$/.exec(base);
  if (m) candidates.push(base.replace(/\.(m|c)?js$/, `.${m[1] ?? ""}ts`), base.replace(/\.js$/, ".tsx"));
  return candidates.find(isFile) ?? null;
}

const resolutionCache = new Map<string, { resolved: string | null; reads: readonly string[] }>();

/**
 * The file an import specifier in `fromFile` refers to, for project-local modules. Resolutions are
 * remembered per (folder, specifier): hundreds of router files import the same module, and each
 * resolution costs several `stat`s.
 */
export function resolveModule(fromFile: string, specifier: string): string | null {
  const key = `${path.dirname(fromFile)}\0${specifier}`;
  const cached = resolutionCache.get(key);
  if (cached !== undefined && (cached.resolved === null || isFile(cached.resolved))) {
    // The paths probed to get here still decide the answer for the file that asks now.
    replayReads(cached.reads);
    return cached.resolved;
  }
  const { value: resolved, reads } = captureReads(() => resolveUncached(fromFile, specifier));
  resolutionCache.set(key, { resolved, reads });
  return resolved;
}

/** Forget remembered resolutions (a file added can change what a specifier resolves to). */
export function forgetResolutions(): void {
  resolutionCache.clear();
}

function resolveUncached(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith(".")) return withExtensions(path.resolve(path.dirname(fromFile), specifier));
  const config = nearestTsconfig(path.dirname(fromFile));
  if (!config) return null;
  for (const [pattern, targets] of config.paths) {
    const star = pattern.indexOf("*");
    const prefix = star === -1 ? pattern : pattern.slice(0, star);
    const suffix = star === -1 ? "" : pattern.slice(star + 1);
    if (star === -1 ? specifier !== pattern : !(specifier.startsWith(prefix) && specifier.endsWith(suffix))) continue;
    const matched = star === -1 ? "" : specifier.slice(prefix.length, specifier.length - suffix.length);
    for (const target of targets) {
      const found = withExtensions(path.resolve(config.pathsBase, target.replace("*", matched)));
      if (found) return found;
    }
  }
  return null;
}

function indexModule(file: string, text: string, program: TSESTree.Program): ParsedModule {
  const imports = new Map<string, string>();
  const importedNames = new Map<string, string>();
  const declarations = new Map<string, TSESTree.Expression>();
  for (const statement of program.body) {
    if (statement.type === "ImportDeclaration") {
      for (const s of statement.specifiers) {
        imports.set(s.local.name, statement.source.value);
        const imported =
          s.type === "ImportDefaultSpecifier"
            ? "default"
            : s.type === "ImportNamespaceSpecifier"
              ? "*"
              : s.imported.type === "Identifier"
                ? s.imported.name
                : s.imported.value;
        importedNames.set(s.local.name, imported);
      }
      continue;
    }
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const d of declaration.declarations) if (d.id.type === "Identifier" && d.init) declarations.set(d.id.name, d.init);
  }
  return { file, text, program, imports, importedNames, declarations };
}

/** The module at `file`, parsed (once per version); null when it cannot be read or parsed. */
export function readModule(file: string): ParsedModule | null {
  noteFileRead(file);
  const st = statFresh(file);
  if (!st?.isFile()) return null;
  const parse = estreeParser();
  if (!parse) return null;
  const version = `${st.mtimeMs}:${st.size}`;
  // One entry per file, replaced when the file changes: an editor session keeps one tree per module.
  const entry = indexCache.memo<{ version: string; module: ParsedModule | null }>(
    `module\0${file}`,
    () => {
      const text = fs.readFileSync(file, "utf8");
      let program: TSESTree.Program;
      try {
        program = parse(text, { jsx: /\.[jt]sx$/.test(file), range: true, loc: false, comment: false, tokens: false });
      } catch (error) {
        // A module that does not parse is the linter's to report; here it defines nothing.
        if (error instanceof Error && "lineNumber" in error) return { value: { version, module: null }, files: [file] };
        throw error;
      }
      return { value: { version, module: indexModule(file, text, program) }, files: [file] };
    },
    (hit) => hit.version === version,
  );
  return entry.module;
}

/**
 * The initialiser of the top-level `const <name>` that `specifier` exports as `name`, seen from
 * `fromFile`, through re-exports (`export { a as name } from`, `export * from` barrels), local
 * export lists (`export { a as name }`) and `export default a`.
 */
export function findExportedValue(fromFile: string, specifier: string, name: string): ExportedValue | null {
  return findFrom(fromFile, specifier, name, new Set());
}

/** The value `name` has at the top level of `module`: its own declaration, or through its export lists. */
export function findModuleValue(module: ParsedModule, name: string): ExportedValue | null {
  return valueIn(module, name, new Set([`${module.file}\0${name}`]));
}

function findFrom(fromFile: string, specifier: string, name: string, seen: Set<string>): ExportedValue | null {
  const file = resolveModule(fromFile, specifier);
  if (!file) return null;
  const key = `${file}\0${name}`;
  // A cycle of barrels (`a` re-exports `b`, `b` re-exports `a`) ends here.
  if (seen.has(key) || seen.size > 32) return null;
  seen.add(key);
  const module = readModule(file);
  return module ? valueIn(module, name, seen) : null;
}

function exportedName(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === "Identifier" ? node.name : node.value;
}

function valueIn(module: ParsedModule, name: string, seen: Set<string>): ExportedValue | null {
  const { file, program } = module;
  const own = module.declarations.get(name);
  if (own) return { file, text: module.text.slice(own.range[0], own.range[1]), node: own, module, imports: module.imports };
  for (const statement of program.body) {
    if (statement.type === "ExportDefaultDeclaration") {
      if (name === "default" && statement.declaration.type === "Identifier") return valueIn(module, statement.declaration.name, seen);
      continue;
    }
    if (statement.type === "ExportNamedDeclaration" && statement.declaration === null) {
      for (const s of statement.specifiers) {
        if (exportedName(s.exported) !== name) continue;
        const original = exportedName(s.local);
        // `export { authed as authedProcedure } from "./authed"` / `const authed = ...; export { authed as authedProcedure }`
        if (statement.source) return findFrom(file, statement.source.value, original, seen);
        if (original !== name) return valueIn(module, original, seen);
      }
    }
  }
  // `export * from "./procedures"` (not `export * as ns from`): the first barrel entry that has it.
  for (const statement of program.body) {
    if (statement.type !== "ExportAllDeclaration" || statement.exported !== null) continue;
    const value = findFrom(file, statement.source.value, name, seen);
    if (value) return value;
  }
  return null;
}
