import type * as ts from "typescript";
import type { Node } from "../syntax/ast.js";
import type { RunKind } from "./effect.js";
import { askChecker, declaredIn, tsNodeOf, typeOf, typescriptModule, type TypeInfo } from "../syntax/types.js";

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
/** Where the `Effect` interface may be declared outside node_modules: Effect's own repository, a project's stub. */
export const EFFECT_MODULE_FILE = /[\\/]Effect\.(?:d\.)?[cm]?ts$/;

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
  const found = info.program.getSourceFiles().some((f) => EFFECT_PACKAGE.test(f.fileName) || EFFECT_MODULE_FILE.test(f.fileName));
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

/** The variance property of one Effect type with its Effect major version, else null. */
function effectVariance(info: TypeInfo, type: ts.Type): { symbol: ts.Symbol; version: 3 | 4 } | null {
  const variance = varianceOf(info, type);
  return variance ? { symbol: variance, version: variance.escapedName === V4_MARKER ? 4 : 3 } : null;
}

/** The `E` of the Effect type whose variance property this is, else null. */
function errorOfVariance(info: TypeInfo, variance: ts.Symbol): ts.Type | null {
  const struct = info.checker.getTypeOfSymbol(variance);
  const e = struct.getProperty("_E");
  if (!e) return null;
  const covariant = info.checker.getTypeOfSymbol(e);
  const signature = covariant.getCallSignatures()[0];
  return signature ? signature.getReturnType() : null;
}

export interface EffectError {
  /** As the code names it (`UserNotFound`, `DbError`; `ConfigError` for `type ConfigError = MissingKey | BadValue`). */
  name: string;
  /** The `_tag`s of its members (what `catchTags` matches), in order. */
  tags: string[];
  /** Some member has no literal `_tag` (`string`, `Error`, a `TRPCError`): `catchTags` cannot handle it. */
  untagged: boolean;
  /** Its members: the error itself, or each member of the union alias. */
  types: readonly ts.Type[];
}

export interface EffectErrors {
  /** Each error as the code names it, sorted by name; empty for `never`. */
  errors: EffectError[];
  /** The error type is generic (`E`) or `any`: only the caller can tell. */
  opaque: boolean;
  /** The Effect's major version, from its type's marker (null when the members disagree). */
  version: 3 | 4 | null;
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

/**
 * The union as the code wrote it. TypeScript flattens `ConfigError | DbError` into its members
 * but keeps the written form as the union's `origin` (internal, kept since TypeScript 4.2 for its
 * own printer). Absent on a union written without named parts.
 */
function writtenUnion(type: ts.UnionType): ts.Type | undefined {
  return (type as ts.UnionType & { origin?: ts.Type }).origin;
}

/**
 * An error type split into the parts the code names: a union alias stays whole, other unions open
 * up. The written form is used only when it holds exactly the union's members (TypeScript may
 * have reduced some away).
 */
function namedParts(type: ts.Type, depth = 0): readonly ts.Type[] {
  if (!type.isUnion() || type.aliasSymbol) return [type];
  const origin = depth < 4 ? writtenUnion(type) : undefined;
  if (!origin?.isUnion()) return type.types;
  const parts = origin.types.flatMap((part) => namedParts(part, depth + 1));
  const written = new Set(parts.flatMap(members));
  return written.size === type.types.length && type.types.every((m) => written.has(m)) ? parts : type.types;
}

function byName(a: EffectError, b: EffectError): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The error channel of an Effect type (unions of Effects merged), less the members whose tag is
 * in `caught`; null when the type is not an Effect. A union alias is named by its alias while all
 * its members escape, and by its members once some are caught.
 */
export function effectErrors(info: TypeInfo, type: ts.Type, caught: ReadonlySet<string> = new Set()): EffectErrors | null {
  const t = typescriptModule();
  if (!t) return null;
  return askChecker((): EffectErrors | null => {
    const parts: ts.Type[] = [];
    const versions = new Set<3 | 4>();
    for (const member of members(type)) {
      const variance = effectVariance(info, member);
      const error = variance && errorOfVariance(info, variance.symbol);
      if (!variance || !error) continue;
      versions.add(variance.version);
      parts.push(...namedParts(error));
    }
    if (versions.size === 0) return null;
    let opaque = false;
    const aliased = new Map<string, EffectError>();
    const single = new Map<string, EffectError>();
    for (const part of parts) {
      const escaping: ts.Type[] = [];
      for (const error of members(part)) {
        if (error.flags & t.TypeFlags.Never) continue;
        if (error.flags & (t.TypeFlags.Any | t.TypeFlags.TypeParameter)) {
          opaque = true;
          continue;
        }
        const tag = tagOf(info, error);
        if (tag === null || !caught.has(tag)) escaping.push(error);
      }
      const whole = part.isUnion() && escaping.length === part.types.length;
      for (const group of whole ? [escaping] : escaping.map((e) => [e])) {
        const name = errorName(info, whole ? part : group[0]!);
        const tags = group.map((e) => tagOf(info, e));
        (whole ? aliased : single).set(name, { name, tags: tags.filter((tag) => tag !== null), untagged: tags.includes(null), types: group });
      }
    }
    // A member also named inside an alias (`ConfigError | MissingKey` across two Effects) is listed once, in the alias.
    const inAliases = new Set([...aliased.values()].flatMap((e) => e.types));
    const errors = [...aliased.values(), ...[...single.values()].filter((e) => !inAliases.has(e.types[0]!))].sort(byName);
    return { errors, opaque, version: versions.size === 1 ? [...versions][0]! : null };
  }, null);
}

/**
 * The errors a `ManagedRuntime` can fail with while building its layer (its `ER`), read from the
 * Effect that builds it: `runtimeEffect` in Effect 3, `contextEffect` in Effect 4. Null when the
 * node is not a ManagedRuntime.
 */
export function layerErrors(info: TypeInfo, runtime: Node): EffectErrors | null {
  const type = typeOf(info, runtime);
  if (!type) return null;
  return askChecker((): EffectErrors | null => {
    const build = type.getProperty("runtimeEffect") ?? type.getProperty("contextEffect");
    return build ? effectErrors(info, info.checker.getTypeOfSymbol(build)) : null;
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
  // A generic result (`runSync<A, E>(effect): A`) is the Effect's value: thenable only if its constraint is.
  const constraint = type.isTypeParameter() ? info.checker.getBaseConstraintOfType(type) : type;
  return !!constraint && members(constraint).some((m) => m.getProperty("then") !== undefined || (!m.isTypeParameter() && info.checker.getAwaitedType(m) !== m));
}

/** Is `symbol` the effect package's `Effect` interface (not a type that merely is an Effect, such as a v3 tagged error)? */
function isEffectInterface(symbol: ts.Symbol | undefined): boolean {
  return symbol?.getName() === "Effect" && (declaredIn(symbol, EFFECT_PACKAGE) || declaredIn(symbol, EFFECT_MODULE_FILE));
}

/**
 * Is a parameter declared to take an Effect: `Effect.Effect<A, E, R>` (also through an alias of
 * it), or a type parameter constrained to one? Checked on the declared type, not on what it
 * accepts: an Effect 3 tagged error is an Effect subtype, so `statusOf(error: ApiError)` would
 * otherwise count as a runner.
 */
function declaresEffect(info: TypeInfo, type: ts.Type): boolean {
  const constraint = type.isTypeParameter() ? (info.checker.getBaseConstraintOfType(type) ?? type) : type;
  return members(constraint).some((m) => isEffectInterface(m.getSymbol()));
}

/** A runner hands out a Promise or a plain value; a function (a curried combinator's result) runs nothing yet. */
function runsNothing(info: TypeInfo, result: ts.Type): boolean {
  return keepsFailureTyped(info, result) || members(result).some((m) => m.getCallSignatures().length > 0);
}

function runKindOfResult(info: TypeInfo, t: typeof ts, result: ts.Type): RunKind {
  return isThenable(info, result) ? "promise" : result.flags & (t.TypeFlags.Void | t.TypeFlags.Undefined) ? "fork" : "sync";
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
  if (decl && (t.isFunctionDeclaration(decl) || t.isMethodDeclaration(decl))) fn = decl;
  else if (decl && (t.isVariableDeclaration(decl) || t.isPropertyDeclaration(decl)) && decl.initializer && !decl.type) {
    let init: ts.Expression = decl.initializer;
    while (t.isParenthesizedExpression(init)) init = init.expression;
    if (t.isArrowFunction(init) || t.isFunctionExpression(init)) fn = init;
  }
  const param = fn?.parameters[0];
  if (!fn || !param?.type || !fn.type || (symbol.declarations?.length ?? 0) > 1) return undefined;
  const paramSymbol = resolvedTypeName(info, t, param.type);
  // A type parameter or an alias (`AppEffect<A, E>`): only its resolved type can tell.
  if (!paramSymbol || paramSymbol.flags & (t.SymbolFlags.TypeParameter | t.SymbolFlags.TypeAlias)) return undefined;
  if (!isEffectInterface(paramSymbol)) return null;
  const result = info.checker.getTypeFromTypeNode(fn.type);
  return runsNothing(info, result) ? null : runKindOfResult(info, t, result);
}

/**
 * With types: is the function `callee` refers to a run boundary, one whose first parameter is
 * declared an Effect and whose result is a Promise, a plain value or void (not a function, not an
 * Exit/Either/Result/Fiber, not another Effect, Stream or Layer)? How it hands failures out, or
 * null. Cached per declaration; functions of the effect packages themselves are never the app's
 * runners.
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
        if (!param || !declaresEffect(info, info.checker.getTypeOfSymbol(param))) continue;
        const result = signature.getReturnType();
        if (runsNothing(info, result)) continue;
        kind = runKindOfResult(info, t, result);
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

/** Is the node's type a `Stream` of the effect packages (which, like an Effect, only describes work until it is run)? */
export function isStream(info: TypeInfo, node: Node): boolean {
  const type = typeOf(info, node);
  if (!type) return false;
  return askChecker(() => {
    const parts = members(type);
    return (
      parts.length > 0 &&
      parts.every((m) => {
        const symbol = m.aliasSymbol ?? m.getSymbol();
        return symbol?.getName() === "Stream" && declaredIn(symbol, EFFECT_PACKAGE);
      })
    );
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

/** Is the node's value certainly not a promise: a known type (not `any`/`unknown`) that is not thenable? */
export function isPlainValue(info: TypeInfo, node: Node): boolean {
  const t = typescriptModule();
  const type = t ? typeOf(info, node) : null;
  if (!t || !type) return false;
  return askChecker(() => (type.flags & (t.TypeFlags.Any | t.TypeFlags.Unknown)) === 0 && !isThenable(info, type), false);
}
