import type * as ts from "typescript";
import type { Node } from "../syntax/ast.js";
import type { RunKind } from "./effect.js";
import { askChecker, tsNodeOf, typeOf, typescriptModule, type TypeInfo } from "../syntax/types.js";

/**
 * Effect types with the type checker. Effect 3 marks its types with a variance struct under the
 * `EffectTypeId` unique symbol (`{ _A, _E, _R }`), Effect 4 with the `~effect/Effect` property
 * (`Variance<A, E, R>`); each `_E` is `(_: never) => E`. Every helper answers null ("don't know")
 * rather than throwing.
 */

const V4_MARKER = "~effect/Effect";
const V3_MARKER = "__@EffectTypeId";
/** Files of the effect packages: their own functions are never the app's runners. */
const EFFECT_PACKAGE = /[\\/]node_modules[\\/](?:effect|@effect[\\/][^\\/]+)[\\/]/;

const usesEffect = new WeakMap<ts.Program, boolean>();

/**
 * Can any value in this program be an Effect? Only when the program holds Effect's declarations
 * (the `effect` package, or a source `Effect.ts` as in Effect's own repository). A project
 * without them has no Effect types, so the type-aware Effect rules skip it without asking the
 * checker anything: a question about an ordinary call can cost the inference of a whole tRPC
 * resolver.
 */
export function programUsesEffect(info: TypeInfo): boolean {
  const known = usesEffect.get(info.program);
  if (known !== undefined) return known;
  const found = info.program.getSourceFiles().some((f) => EFFECT_PACKAGE.test(f.fileName) || /[\\/]Effect\.(?:d\.)?[cm]?ts$/.test(f.fileName));
  usesEffect.set(info.program, found);
  return found;
}

function members(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

/** The variance property (v3 or v4) of a single (non-union) type, else null. */
function varianceOf(info: TypeInfo, type: ts.Type): ts.Symbol | null {
  const v4 = type.getProperty(V4_MARKER);
  if (v4) return v4;
  // A unique-symbol key is named `__@EffectTypeId@<id>`; only Effect 3 types have it.
  for (const p of info.checker.getPropertiesOfType(type)) {
    if (String(p.escapedName).startsWith(V3_MARKER)) return p;
  }
  return null;
}

/** The `E` of one Effect type (not a union), else null. */
function errorOfEffect(info: TypeInfo, type: ts.Type): ts.Type | null {
  const variance = varianceOf(info, type);
  if (!variance) return null;
  const struct = info.checker.getTypeOfSymbol(variance);
  const e = struct.getProperty("_E");
  if (!e) return null;
  const covariant = info.checker.getTypeOfSymbol(e);
  const signature = covariant.getCallSignatures()[0];
  return signature ? signature.getReturnType() : null;
}

export interface EffectError {
  /** Printed (`UserNotFound`, `DbError`). */
  name: string;
  /** Its `_tag` (what `catchTags` matches), when it has a literal one. */
  tag: string | null;
}

export interface EffectErrors {
  /** Each member of the error union, sorted by name; empty for `never`. */
  errors: EffectError[];
  /** The error type is generic (`E`) or `any`: only the caller can tell. */
  opaque: boolean;
}

function tagOf(info: TypeInfo, type: ts.Type): string | null {
  const tag = type.getProperty("_tag");
  const tagType = tag ? info.checker.getTypeOfSymbol(tag) : null;
  return tagType?.isStringLiteral() ? tagType.value : null;
}

function errorName(info: TypeInfo, type: ts.Type): string {
  return askChecker(() => {
    const text = info.checker.typeToString(type);
    if (text.length <= 60) return text;
    // An anonymous `Data.TaggedError("X")` instance prints its whole shape: name it by its tag.
    const tag = tagOf(info, type);
    return tag !== null ? `${tag} error` : `${text.slice(0, 57)}...`;
  }, "unknown");
}

/** The error channel of an Effect type (unions of Effects merged); null when the type is not an Effect. */
export function effectErrors(info: TypeInfo, type: ts.Type): EffectErrors | null {
  const t = typescriptModule();
  if (!t) return null;
  return askChecker((): EffectErrors | null => {
    const errors: ts.Type[] = [];
    let found = false;
    for (const member of members(type)) {
      const error = errorOfEffect(info, member);
      if (!error) continue;
      found = true;
      errors.push(...members(error));
    }
    if (!found) return null;
    const byName = new Map<string, EffectError>();
    let opaque = false;
    for (const error of errors) {
      if (error.flags & t.TypeFlags.Never) continue;
      if (error.flags & (t.TypeFlags.Any | t.TypeFlags.TypeParameter)) {
        opaque = true;
        continue;
      }
      const name = errorName(info, error);
      byName.set(name, { name, tag: tagOf(info, error) });
    }
    return { errors: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), opaque };
  }, null);
}

/** The type of the Effect a pipe step receives: the first parameter of the step's contextual (instantiated) signature. */
export function stepInputType(info: TypeInfo, step: Node): ts.Type | null {
  const tsNode = tsNodeOf(info, step);
  if (!tsNode) return null;
  return askChecker(() => {
    const contextual = info.checker.getContextualType(tsNode as ts.Expression);
    const param = contextual?.getCallSignatures()[0]?.getParameters()[0];
    return param ? info.checker.getTypeOfSymbol(param) : null;
  }, null);
}

function declaredIn(symbol: ts.Symbol | undefined, pattern: RegExp): boolean {
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  return !!decl && pattern.test(decl.getSourceFile().fileName);
}

/**
 * Does a runner's result keep the failure typed: an Effect, or (awaited) one of Effect's own
 * types (`Exit`, `Either`, `Result`, `Fiber`, `Layer`)?
 */
function keepsFailureTyped(info: TypeInfo, type: ts.Type): boolean {
  const awaited = info.checker.getAwaitedType(type) ?? type;
  return [type, awaited].some((candidate) =>
    members(candidate).some((m) => varianceOf(info, m) !== null || declaredIn(m.aliasSymbol, EFFECT_PACKAGE) || declaredIn(m.getSymbol(), EFFECT_PACKAGE)),
  );
}

function isThenable(info: TypeInfo, type: ts.Type): boolean {
  return members(type).some((m) => m.getProperty("then") !== undefined || info.checker.getAwaitedType(m) !== m);
}

function acceptsEffect(info: TypeInfo, type: ts.Type): boolean {
  const constraint = type.isTypeParameter() ? (info.checker.getBaseConstraintOfType(type) ?? type) : type;
  return members(constraint).some((m) => varianceOf(info, m) !== null);
}

const runnerCache = new WeakMap<ts.Symbol, RunKind | null>();

function resolvedTypeName(info: TypeInfo, t: typeof ts, node: ts.TypeNode): ts.Symbol | null {
  if (!t.isTypeReferenceNode(node)) return null;
  const name = t.isQualifiedName(node.typeName) ? node.typeName.right : node.typeName;
  let symbol = info.checker.getSymbolAtLocation(name);
  for (let i = 0; i < 8 && symbol && symbol.flags & t.SymbolFlags.Alias; i++) symbol = info.checker.getAliasedSymbol(symbol);
  return symbol ?? null;
}

/**
 * The run kind read from a function's annotations alone, when it has them: first parameter
 * annotated `Effect<...>` (the interface of the effect package) and an annotated result.
 * `undefined` when only the full signature can tell. Resolving the parameter's whole type is
 * what this avoids: a runner typed `Effect<A, E, AppServices>` would make the checker compute the
 * app's entire Layer graph just to answer "is this a runner".
 */
function annotatedRunKind(info: TypeInfo, t: typeof ts, symbol: ts.Symbol): RunKind | null | undefined {
  const decl = symbol.valueDeclaration;
  let fn: ts.SignatureDeclaration | undefined;
  if (decl && t.isFunctionDeclaration(decl)) fn = decl;
  else if (decl && t.isVariableDeclaration(decl) && decl.initializer && !decl.type) {
    let init: ts.Expression = decl.initializer;
    while (t.isParenthesizedExpression(init)) init = init.expression;
    if (t.isArrowFunction(init) || t.isFunctionExpression(init)) fn = init;
  }
  const param = fn?.parameters[0];
  if (!fn || !param?.type || !fn.type || (symbol.declarations?.length ?? 0) > 1) return undefined;
  const paramSymbol = resolvedTypeName(info, t, param.type);
  if (!paramSymbol || paramSymbol.flags & t.SymbolFlags.TypeParameter) return undefined;
  if (paramSymbol.getName() !== "Effect" || !declaredIn(paramSymbol, EFFECT_PACKAGE)) return null;
  const result = info.checker.getTypeFromTypeNode(fn.type);
  if (keepsFailureTyped(info, result)) return null;
  return isThenable(info, result) ? "promise" : result.flags & (t.TypeFlags.Void | t.TypeFlags.Undefined) ? "fork" : "sync";
}

/**
 * With types: is the function `callee` refers to a run boundary, one whose first parameter is an
 * Effect and whose result is a Promise or a plain value (not an Exit/Either/Result, not another
 * Effect)? How it hands failures out, or null. Cached per declaration; functions of the effect
 * packages themselves are never the app's runners.
 */
export function signatureRunKind(info: TypeInfo, callee: Node): RunKind | null {
  const t = typescriptModule();
  const tsNode = tsNodeOf(info, callee);
  if (!t || !tsNode) return null;
  return askChecker((): RunKind | null => {
    const target = t.isPropertyAccessExpression(tsNode) ? tsNode.name : tsNode;
    let symbol = info.checker.getSymbolAtLocation(target);
    for (let i = 0; i < 8 && symbol && symbol.flags & t.SymbolFlags.Alias; i++) symbol = info.checker.getAliasedSymbol(symbol);
    if (!symbol) return null;
    const cached = runnerCache.get(symbol);
    if (cached !== undefined) return cached;
    let kind: RunKind | null = null;
    const annotated = declaredIn(symbol, EFFECT_PACKAGE) ? null : annotatedRunKind(info, t, symbol);
    if (annotated !== undefined) {
      kind = annotated;
    } else if (symbol.flags & (t.SymbolFlags.Function | t.SymbolFlags.Variable | t.SymbolFlags.Property | t.SymbolFlags.Method)) {
      const type = info.checker.getTypeOfSymbolAtLocation(symbol, target);
      for (const signature of type.getCallSignatures()) {
        const param = signature.getParameters()[0];
        if (!param || !acceptsEffect(info, info.checker.getTypeOfSymbol(param))) continue;
        const result = signature.getReturnType();
        if (keepsFailureTyped(info, result)) continue;
        kind = isThenable(info, result) ? "promise" : result.flags & (t.TypeFlags.Void | t.TypeFlags.Undefined) ? "fork" : "sync";
        break;
      }
    }
    runnerCache.set(symbol, kind);
    return kind;
  }, null);
}

/** How a known runner hands out failures, from its result type (for settings runners). */
export function resultRunKind(info: TypeInfo, call: Node): RunKind {
  const type = typeOf(info, call);
  if (!type) return "promise";
  return askChecker((): RunKind => (isThenable(info, type) ? "promise" : "sync"), "promise");
}

/** Is the node's type an Effect itself (the `Effect` interface, not a v3 subtype such as Option, Exit or Fiber)? */
export function isPlainEffect(info: TypeInfo, node: Node): boolean {
  const type = typeOf(info, node);
  if (!type) return false;
  return askChecker(() => {
    const effects = members(type).filter((m) => varianceOf(info, m) !== null);
    return effects.length > 0 && effects.every((m) => (m.aliasSymbol ?? m.getSymbol())?.getName() === "Effect");
  }, false);
}

/**
 * Does the callback `fn` (a call argument) have a contextual signature whose result is thrown
 * away (`void`), like `Array#forEach`'s or an event listener's?
 */
export function callbackResultDiscarded(info: TypeInfo, fn: Node): boolean {
  const t = typescriptModule();
  const tsNode = tsNodeOf(info, fn);
  if (!t || !tsNode) return false;
  return askChecker(() => {
    const contextual = info.checker.getContextualType(tsNode as ts.Expression);
    const signatures = contextual ? members(contextual).flatMap((m) => m.getCallSignatures()) : [];
    return signatures.length > 0 && signatures.every((s) => (s.getReturnType().flags & t.TypeFlags.Void) !== 0);
  }, false);
}
