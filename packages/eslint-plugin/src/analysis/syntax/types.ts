import { createRequire } from "node:module";
import type { ParserServicesWithTypeInformation, TSESTree } from "@typescript-eslint/utils";
import type * as ts from "typescript";
import type { Context, Node } from "./ast.js";
import { noteProgramReads } from "./foreign.js";

/**
 * Type information, when the project runs typescript-eslint with type information (the
 * `recommended-type-checked` preset). Every helper answers null ("don't know") without it, so
 * rules fall back to their syntax-only behaviour instead of throwing.
 */

export interface TypeInfo {
  services: ParserServicesWithTypeInformation;
  checker: ts.TypeChecker;
  program: ts.Program;
}

const cache = new WeakMap<object, TypeInfo | null>();

export function typeInfo(context: Context): TypeInfo | null {
  const services = context.sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return null;
  const cached = cache.get(services);
  if (cached !== undefined) return cached;
  const info: TypeInfo = { services: services as ParserServicesWithTypeInformation, checker: services.program.getTypeChecker(), program: services.program };
  cache.set(services, info);
  // Once per linted file: its answers from the checker depend on the files it imports.
  noteProgramReads(services.program, context.physicalFilename);
  return info;
}

/**
 * Ask the checker a question, answering `unknown` when the checker itself fails: TypeScript
 * reports an internal failure on code it cannot type (half-written code in the editor) as
 * `Error("Debug Failure. ...")`, and a deeply nested type can exhaust its stack. Any other error
 * is a bug in archlint and surfaces.
 */
export function askChecker<T>(question: () => T, unknown: T): T {
  try {
    return question();
  } catch (error) {
    if (isCheckerFailure(error)) return unknown;
    throw error;
  }
}

function isCheckerFailure(error: unknown): boolean {
  if (error instanceof RangeError) return /call stack/i.test(error.message);
  return error instanceof Error && error.message.startsWith("Debug Failure");
}

/** The TypeScript node behind an ESTree node, or null (a node the parser made up, or no mapping). */
export function tsNodeOf(info: TypeInfo, node: Node): ts.Node | null {
  return info.services.esTreeNodeToTSNodeMap.get(node as TSESTree.Node) ?? null;
}

export function typeOf(info: TypeInfo, node: Node): ts.Type | null {
  const tsNode = tsNodeOf(info, node);
  if (!tsNode) return null;
  return askChecker(() => info.checker.getTypeAtLocation(tsNode), null);
}

/**
 * Does the node's type have all these properties? null when the type is `any`/`unknown`/an error
 * (half-typed code: unresolved imports type as error/any), so callers keep their syntactic answer.
 */
export function typeHasProperties(info: TypeInfo, node: Node, names: readonly string[]): boolean | null {
  const tsNode = tsNodeOf(info, node);
  if (!tsNode) return null;
  const t = typescriptModule();
  if (!t) return null;
  return askChecker(() => {
    const anyOrUnknown = t.TypeFlags.Any | t.TypeFlags.Unknown;
    const type = info.checker.getTypeAtLocation(tsNode);
    if ((type.flags & anyOrUnknown) !== 0) return null;
    const apparent = info.checker.getApparentType(type);
    if ((apparent.flags & anyOrUnknown) !== 0) return null;
    // An unresolved import (`error` type) has no properties and intrinsicName "error".
    if ((type as { intrinsicName?: string }).intrinsicName === "error") return null;
    return names.every((n) => apparent.getProperty(n) !== undefined);
  }, null);
}

/** The type's printed form, for messages. */
export function typeText(info: TypeInfo, type: ts.Type): string {
  return askChecker(() => info.checker.typeToString(type), "unknown");
}

/**
 * The declaration a referenced identifier or property access stands for, following imports and
 * re-exports (`import { handler } from "./x.handler"` -> the function in x.handler.ts).
 */
export function declarationOf(info: TypeInfo, node: Node): ts.Declaration | null {
  const tsNode = tsNodeOf(info, node);
  if (!tsNode) return null;
  const t = typescriptModule();
  if (!t) return null;
  return askChecker(() => {
    let symbol = info.checker.getSymbolAtLocation(tsNode);
    if (!symbol) return null;
    // Aliases: import specifiers and re-exports.
    for (let i = 0; i < 8 && symbol.flags & t.SymbolFlags.Alias; i++) {
      symbol = info.checker.getAliasedSymbol(symbol);
    }
    return symbol.valueDeclaration ?? symbol.declarations?.[0] ?? null;
  }, null);
}

/**
 * The function a callee's type calls, when it has exactly one call signature: finds the handler
 * behind `const { handler } = await import("./x.handler")`, whose symbol is a binding element.
 */
export function signatureDeclarationOf(info: TypeInfo, node: Node): ts.SignatureDeclaration | null {
  const type = typeOf(info, node);
  if (!type) return null;
  return askChecker(() => {
    const signatures = type.getCallSignatures();
    return signatures.length === 1 ? (signatures[0]!.getDeclaration() ?? null) : null;
  }, null);
}

/** Is the symbol declared in a file whose path matches `pattern` (a package's folder, a module's file name)? */
export function declaredIn(symbol: ts.Symbol | undefined, pattern: RegExp): boolean {
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  return !!decl && pattern.test(decl.getSourceFile().fileName);
}

/**
 * An instance type's class and the classes it extends, nearest first (at most `limit`): how a
 * recogniser tells that `class NotFound extends TRPCError {}` is a `TRPCError`. Only the type
 * itself for anything that is not a class or interface.
 */
export function classLineage(info: TypeInfo, type: ts.Type, limit = 8): ts.Type[] {
  const t = typescriptModule();
  if (!t) return [type];
  return askChecker(() => {
    const lineage: ts.Type[] = [];
    let current: ts.Type | undefined = type;
    while (current && lineage.length < limit) {
      lineage.push(current);
      const reference: ts.Type =
        current.flags & t.TypeFlags.Object && (current as ts.ObjectType).objectFlags & t.ObjectFlags.Reference ? (current as ts.TypeReference).target : current;
      current = reference.isClassOrInterface() ? info.checker.getBaseTypes(reference)[0] : undefined;
    }
    return lineage;
  }, [type]);
}

let tsLoaded: typeof ts | null | undefined;
/**
 * The `typescript` module itself, for its flags and node tests (their values differ between
 * TypeScript versions). Call it only with type information in use: it is then already loaded.
 */
export function typescriptModule(): typeof ts | null {
  if (tsLoaded === undefined) {
    try {
      tsLoaded = createRequire(import.meta.url)("typescript") as typeof ts;
    } catch (error) {
      // typescript is an optional peer: syntax-only users need not install it.
      if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      tsLoaded = null;
    }
  }
  return tsLoaded;
}
