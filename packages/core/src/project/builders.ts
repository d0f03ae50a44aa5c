import fs from "node:fs";
import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { findExportedValue, findModuleValue, readModule, type ParsedModule } from "./modules.js";
import { noteFileRead } from "../reads.js";

/**
 * tRPC procedure builders, recognised one way wherever they are read (the file being linted, another
 * module of the project, `archlint init`'s scan), and classified by one rule:
 *
 * A builder is **public** when the settings name it (or a builder it comes from) public, when its
 * name says so (`public…`, `anonymous…`, `open…`, `unauthed…`, `unauthenticated…`: create-t3-app's
 * `publicProcedure` carries a timing middleware), or when it is traced to a tRPC instance's
 * `.procedure` with no middleware (`.use(...)`, `.concat(...)`) on the way. Everything else is
 * **protected**: middleware on the way (`t.procedure.use(isAuthed)`), or a definition archlint
 * cannot read (an imported builder it cannot trace is not assumed open). The settings' `protected`
 * list wins over everything.
 *
 * So `export const userProcedure = t.procedure` is public (nothing checks its caller, whatever its
 * name), and `export const adminProcedure = t.procedure.use(isAdmin)` is protected.
 */

export type BuilderAccess = "public" | "protected";

export interface BuilderFacts {
  /** The builder names met from the outside in (`orgProcedure`, `authedProcedure`, `t.procedure`). */
  names: string[];
  /** It was traced to a tRPC instance's `.procedure`. */
  traced: boolean;
  /** Middleware (`.use`, `.concat`) somewhere on the way. */
  middleware: boolean;
  /** An `.input(...)` somewhere on the way. */
  input: boolean;
}

export interface ProcedureSettings {
  public?: readonly string[] | undefined;
  protected?: readonly string[] | undefined;
}

/** The links a builder chain may have; anything else (`.query`, `.router`) is not a builder. */
export const BUILDER_LINKS: ReadonlySet<string> = new Set(["use", "input", "output", "meta", "concat", "unstable_concat"]);
export const MIDDLEWARE_LINKS: ReadonlySet<string> = new Set(["use", "concat", "unstable_concat"]);
/** A name that reads as a procedure builder: `publicProcedure`, `authedProcedure`, and a builder named plainly `procedure`. */
/** The part every builder name has (a text pre-pass looks for it). */
export const BUILDER_NAME_STEM = "rocedure";
export const BUILDER_NAME = new RegExp(`(?:^p|P)${BUILDER_NAME_STEM}$`);
const PUBLIC_NAME = /^(public|anonymous|open|unauthed|unauthenticated)/i;

/** A name that says the builder is open to anonymous callers, whatever middleware it carries. */
export function namedPublic(name: string): boolean {
  return PUBLIC_NAME.test(name.slice(name.lastIndexOf(".") + 1));
}

/** The one classification rule (see the module comment). */
export function classifyBuilder(facts: Pick<BuilderFacts, "names" | "traced" | "middleware">, settings?: ProcedureSettings): BuilderAccess {
  const protectedNames = new Set(settings?.protected ?? []);
  const publicNames = new Set(settings?.public ?? []);
  if (facts.names.some((n) => protectedNames.has(n))) return "protected";
  if (facts.names.some((n) => publicNames.has(n))) return "public";
  if (namedPublic(facts.names[0] ?? "")) return "public";
  return facts.traced && !facts.middleware ? "public" : "protected";
}

type Node = TSESTree.Node;

export function unwrapExpression(node: Node): Node {
  let n = node;
  while (
    n.type === "TSAsExpression" ||
    n.type === "TSNonNullExpression" ||
    n.type === "TSSatisfiesExpression" ||
    n.type === "TSTypeAssertion" ||
    n.type === "ChainExpression"
  ) {
    n = n.expression;
  }
  return n;
}

function memberName(node: Node): string | null {
  if (node.type !== "MemberExpression" || node.computed) return null;
  return node.property.type === "Identifier" ? node.property.name : null;
}

/** `a.b(...).c(...)`: the base (`a.b`) and the method names called after it, in order. */
export function builderChain(node: Node): { base: Node; links: string[] } {
  const links: string[] = [];
  let current = unwrapExpression(node);
  while (current.type === "CallExpression") {
    const callee = unwrapExpression(current.callee);
    const name = memberName(callee);
    if (name === null || callee.type !== "MemberExpression") break;
    links.unshift(name);
    current = unwrapExpression(callee.object);
  }
  return { base: current, links };
}

/** `initTRPC.create()`, `initTRPC.context<Ctx>().meta<M>().create({...})`. */
export function isInitTrpc(node: Node): boolean {
  const { base, links } = builderChain(node);
  return base.type === "Identifier" && base.name === "initTRPC" && links.includes("create");
}

/**
 * Is `base` (of `<base>.procedure`) a tRPC instance, given how names are bound where it is
 * written? An `initTRPC...create()` call, a name bound to one, or an imported name (`import { t }
 * from "./trpc"`: `.procedure` on it is tRPC's builder by convention).
 */
export function isTrpcInstance(base: Node, binding: (name: string) => { imported: boolean; value: Node | null } | null): boolean {
  const n = unwrapExpression(base);
  if (n.type !== "Identifier") return isInitTrpc(n);
  const bound = binding(n.name);
  if (!bound) return false;
  return bound.imported || (bound.value !== null && isInitTrpc(bound.value));
}

function moduleBinding(module: ParsedModule): (name: string) => { imported: boolean; value: Node | null } | null {
  return (name) => {
    if (module.imports.has(name)) return { imported: true, value: null };
    const value = module.declarations.get(name);
    return value ? { imported: false, value } : null;
  };
}

/** Is this chain shaped like a builder: only builder links after its base. */
export function isBuilderShaped(links: readonly string[]): boolean {
  return links.every((l) => BUILDER_LINKS.has(l));
}

/**
 * The facts of the builder `name` defined by the expression `init` in `module`, following its base
 * through the module's own declarations and its imports. null when `init` is not builder-shaped
 * or its base is neither `.procedure` on a tRPC instance nor another builder.
 */
function factsOf(module: ParsedModule, name: string, init: Node, depth: number): BuilderFacts | null {
  if (depth > 8) return null;
  const { base, links } = builderChain(init);
  if (!isBuilderShaped(links)) return null;
  const own = { middleware: links.some((l) => MIDDLEWARE_LINKS.has(l)), input: links.includes("input") };
  if (memberName(base) === "procedure" && base.type === "MemberExpression") {
    if (!isTrpcInstance(base.object, moduleBinding(module))) return null;
    const root = module.text.slice(base.range[0], base.range[1]);
    return { names: [name, root], traced: true, ...own };
  }
  if (base.type !== "Identifier" || base.name === name) return null;
  const inner = builderFactsIn(module, base.name, depth + 1);
  if (!inner) return links.length > 0 && BUILDER_NAME.test(base.name) ? { names: [name, base.name], traced: false, ...own } : null;
  return { names: [name, ...inner.names], traced: inner.traced, middleware: own.middleware || inner.middleware, input: own.input || inner.input };
}

/** The builder `name` as seen at the top level of `module` (declared there or imported). */
function builderFactsIn(module: ParsedModule, name: string, depth: number): BuilderFacts | null {
  const source = module.imports.get(name);
  if (source !== undefined) {
    const imported = module.importedNames.get(name) ?? name;
    const value = imported === "*" ? null : findExportedValue(module.file, source, imported);
    if (!value) return null;
    const facts = factsOf(value.module, imported, value.node, depth);
    return facts ? { ...facts, names: [name, ...facts.names.slice(imported === name ? 1 : 0)] } : null;
  }
  const value = findModuleValue(module, name);
  return value ? factsOf(value.module, name, value.node, depth) : null;
}

/**
 * The builder that `specifier` exports as `name`, seen from `fromFile` (an import in the file
 * being linted), traced through the modules that define it. null when it cannot be read.
 */
export function importedBuilderFacts(fromFile: string, specifier: string, name: string): BuilderFacts | null {
  const value = findExportedValue(fromFile, specifier, name);
  return value ? factsOf(value.module, name, value.node, 0) : null;
}

/** Only modules that mention a builder or a middleware are parsed; generated bundles are skipped. */
const MAY_DEFINE_BUILDER = /procedure|\.use\s*\(/i;
const MAX_FILE_BYTES = 512 * 1024;

function mayDefineBuilder(file: string): boolean {
  noteFileRead(file);
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  return size !== undefined && size <= MAX_FILE_BYTES && MAY_DEFINE_BUILDER.test(fs.readFileSync(file, "utf8"));
}

/**
 * Every builder declared at the top level of the given modules, classified: what `archlint init`
 * writes into `settings.archlint.procedures`. A builder from a module not in the list still counts
 * when an import leads to it.
 */
export function projectBuilders(files: readonly string[]): { public: string[]; protected: string[] } {
  const pub = new Set<string>();
  const prot = new Set<string>();
  for (const file of files) {
    if (!mayDefineBuilder(file)) continue;
    const module = readModule(file);
    if (!module) continue;
    for (const [name, init] of module.declarations) {
      const facts = factsOf(module, name, init, 0);
      if (!facts?.traced) continue;
      (classifyBuilder(facts) === "public" ? pub : prot).add(name);
    }
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return { public: [...pub].sort(order), protected: [...prot].filter((n) => !pub.has(n)).sort(order) };
}
