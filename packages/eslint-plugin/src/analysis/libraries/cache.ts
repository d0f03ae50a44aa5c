import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { resolvedSettings } from "../project.js";
import {
  annotationTypeName,
  decomposeChain,
  endsWithName,
  isFunction,
  localTypeDeclarations,
  memberPath,
  propertyName,
  propertySignature,
  readObject,
  resolveBinding,
  resolveValue,
  staticKeyName,
  unwrap,
  walk,
  type Context,
  type Node,
} from "../syntax/ast.js";
import { typeHasProperties, typeInfo, typeOf } from "../syntax/types.js";

/**
 * Recognising caches: Redis/Upstash clients (`settings.archlint.cacheClients`, or with types
 * anything shaped like ioredis, node-redis or Upstash), cache wrappers whose callback results are
 * cached (`settings.archlint.cacheWrappers`), and the cache-aside pattern (`const hit = await
 * redis.get(key); if (hit) return ...;` before a read).
 */

/**
 * Commands that create a key with no TTL, which only a later `expire` on the same key gives one.
 * Checked on keys built per user or entity only: a fixed key is one structure (a registry, a
 * queue, a leaderboard), often Redis used as a store, and cannot pile up.
 */
export const COLLECTION_WRITES = new Set(["hset", "hmset", "hsetnx", "sadd", "lpush", "rpush", "zadd", "setnx"]);
/** What cache-require-ttl checks: `set`, `mset` and the collection writes. */
export const TTL_COMMANDS: ReadonlySet<string> = new Set(["set", "mset", ...COLLECTION_WRITES]);

const CACHE_READS = new Set(["get", "mget", "hget", "hgetall", "hmget", "getex", "json.get"]);

/** Is `node` a Redis-like cache client? */
export function isCacheClient(context: Context, node: Node): boolean {
  const path = memberPath(node);
  const names = resolvedSettings(context).cacheClients;
  if (path !== null && endsWithName(path, names)) return true;
  const info = typeInfo(context);
  return info !== null && typeHasProperties(info, node, ["get", "set", "expire", "del"]) === true;
}

/** Is `call` a call of a cache wrapper (`cache.wrap(key, ttl, fn)`, `unstable_cache(fn)`)? */
export function isCacheWrapperCall(context: Context, call: TSESTree.CallExpression): boolean {
  const path = memberPath(call.callee);
  if (path === null) return false;
  const wrappers = resolvedSettings(context).cacheWrappers;
  return endsWithName(path, wrappers);
}

/** Is `node` inside a function handed to a cache wrapper (its result is what gets cached)? */
export function isInsideCacheWrapper(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node.parent; current; current = current.parent) {
    if (isFunction(current) && current.parent?.type === AST_NODE_TYPES.CallExpression) {
      const call = current.parent;
      if (call.arguments.includes(current as TSESTree.CallExpressionArgument) && isCacheWrapperCall(context, call)) return true;
    }
  }
  return false;
}

/* ---------------------------------------------------------------------------------------------
 * Cache-aside: code that runs only when a cache read missed. `const hit = await redis.get(key);
 * if (hit) return JSON.parse(hit);` guards the rest of the block; `if (!hit) { ... }`, the `else`
 * of `if (hit)`, `hit ?? load()` and `hit ? parse(hit) : load()` guard their miss branch. A cache
 * read whose result decides nothing (a session lookup, `if (!session) throw`) guards nothing.
 * ------------------------------------------------------------------------------------------- */

/** Is `call` a read of a cache client: `redis.get(key)`, `kv.hgetall(key)`, `this.cache.get<T>(key)`? */
function isCacheRead(context: Context, node: Node): boolean {
  const n = unwrap(node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : node);
  if (n.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(n.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = propertyName(callee);
  return name !== null && CACHE_READS.has(name) && isCacheClient(context, callee.object);
}

export type CacheTest = "hit" | "miss";

/** Is `null` / `undefined` / `void 0`? */
function isNullish(node: Node): boolean {
  const n = unwrap(node);
  return (
    (n.type === AST_NODE_TYPES.Literal && n.value === null) ||
    (n.type === AST_NODE_TYPES.Identifier && n.name === "undefined") ||
    (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === "void")
  );
}

/** Is a condition true exactly on a cache hit (`hit`, `hit !== null`, `hit && ok`), on a miss (`!hit`, `hit == null`), or neither? */
function cacheTestOf(node: Node, isHit: (n: Node) => boolean): CacheTest | null {
  const n = unwrap(node);
  if (isHit(n)) return "hit";
  if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === "!") {
    const inner = cacheTestOf(n.argument, isHit);
    return inner === "hit" ? "miss" : inner === "miss" ? "hit" : null;
  }
  if (n.type === AST_NODE_TYPES.BinaryExpression && ["!==", "!=", "===", "=="].includes(n.operator)) {
    const value = isHit(unwrap(n.left)) && isNullish(n.right) ? n.left : isHit(unwrap(n.right)) && isNullish(n.left) ? n.right : null;
    if (!value) return null;
    return n.operator.startsWith("!") ? "hit" : "miss";
  }
  if (n.type === AST_NODE_TYPES.LogicalExpression && n.operator === "&&") {
    return cacheTestOf(n.left, isHit) === "hit" || cacheTestOf(n.right, isHit) === "hit" ? "hit" : null;
  }
  if (n.type === AST_NODE_TYPES.LogicalExpression && n.operator === "||") {
    return cacheTestOf(n.left, isHit) === "miss" || cacheTestOf(n.right, isHit) === "miss" ? "miss" : null;
  }
  return null;
}

/** Does the statement leave the function (`return ...`, or a block that returns)? */
function returns(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (node.type === AST_NODE_TYPES.ReturnStatement) return true;
  return node.type === AST_NODE_TYPES.BlockStatement && node.body.some((s) => s.type === AST_NODE_TYPES.ReturnStatement);
}

/** The end of the code after `stmt` in its block (through a `try` block, whose early return leaves the function too), or null. */
function restOfBlockEnd(stmt: Node): number | null {
  const block = stmt.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement) return null;
  const tryStatement = block.parent;
  if (tryStatement?.type === AST_NODE_TYPES.TryStatement && tryStatement.block === block) return restOfBlockEnd(tryStatement) ?? block.range[1];
  return block.range[1];
}

const missRangesCache = new WeakMap<Node, Array<[number, number]>>();

/** The source ranges of a function that run only on a cache miss, in one walk. */
function missRanges(context: Context, fn: Node): Array<[number, number]> {
  const cached = missRangesCache.get(fn);
  if (cached) return cached;
  const ranges: Array<[number, number]> = [];
  const hitNames = new Set<string>();
  const isHit = (n: Node): boolean =>
    (n.type === AST_NODE_TYPES.Identifier && hitNames.has(n.name)) || (n.type !== AST_NODE_TYPES.Identifier && isCacheRead(context, n));
  const guard = (test: Node, onHit: Node | null | undefined, onMiss: Node | null | undefined, stmt: Node | null): void => {
    const polarity = cacheTestOf(test, isHit);
    if (polarity === null) return;
    const [hitBranch, missBranch] = polarity === "hit" ? [onHit, onMiss] : [onMiss, onHit];
    if (missBranch) ranges.push([missBranch.range[0], missBranch.range[1]]);
    const end = stmt && returns(hitBranch) ? restOfBlockEnd(stmt) : null;
    if (end !== null) ranges.push([stmt!.range[1], end]);
  };
  if (isFunction(fn)) {
    walk(fn.body, (n) => {
      if (isFunction(n)) return false;
      if (n.type === AST_NODE_TYPES.CallExpression && isCacheRead(context, n)) {
        // `const hit = await redis.get(key)`, `const post = JSON.parse((await redis.get(key)) ?? "null")`.
        for (let p: Node | undefined = n.parent; p && p !== fn && !isFunction(p); p = p.parent) {
          if (p.type === AST_NODE_TYPES.VariableDeclarator) {
            if (p.id.type === AST_NODE_TYPES.Identifier) hitNames.add(p.id.name);
            break;
          }
          if (p.type.endsWith("Statement")) break;
        }
        return;
      }
      if (n.type === AST_NODE_TYPES.IfStatement) guard(n.test, n.consequent, n.alternate, n);
      else if (n.type === AST_NODE_TYPES.ConditionalExpression) guard(n.test, n.consequent, n.alternate, null);
      // `hit ?? load()`, `hit || load()`: the right side runs on a miss.
      else if (n.type === AST_NODE_TYPES.LogicalExpression && (n.operator === "??" || n.operator === "||") && cacheTestOf(n.left, isHit) === "hit")
        ranges.push([n.right.range[0], n.right.range[1]]);
    });
  }
  missRangesCache.set(fn, ranges);
  return ranges;
}

/**
 * Does `node` run only on a cache miss: behind a cache-aside check in the function that holds it,
 * or in a function around that one up to `outermost`? A database read or a call there is what
 * the cache saves.
 */
export function isBehindCacheCheck(context: Context, node: Node, outermost?: Node): boolean {
  for (let fn: Node | undefined = node.parent; fn; fn = fn.parent) {
    if (!isFunction(fn)) continue;
    if (missRanges(context, fn).some(([start, end]) => node.range[0] >= start && node.range[1] <= end)) return true;
    if (fn === outermost) break;
  }
  return false;
}

const cacheStrategyFiles = new WeakMap<object, boolean>();

/** Does the file say `cacheStrategy` at all? Most do not, and then no read's arguments need reading. */
function mentionsCacheStrategy(context: Context): boolean {
  let found = cacheStrategyFiles.get(context.sourceCode);
  if (found === undefined) cacheStrategyFiles.set(context.sourceCode, (found = context.sourceCode.text.includes("cacheStrategy")));
  return found;
}

/**
 * Prisma Accelerate (and Prisma Postgres) cache a read given `cacheStrategy: { ttl }`. `swr` alone
 * still runs the query on every request, and `ttl: 0` caches nothing; a strategy built elsewhere
 * (a shared constant the file cannot read) is trusted.
 */
export function hasAccelerateCache(context: Context, call: TSESTree.CallExpression): boolean {
  const arg = call.arguments[0];
  if (!arg || arg.type === AST_NODE_TYPES.SpreadElement || !mentionsCacheStrategy(context)) return false;
  const strategy = readObject(context, arg)?.properties.get("cacheStrategy");
  if (!strategy) return false;
  const options = readObject(context, strategy.value);
  if (!options) return true;
  const ttl = options.properties.get("ttl");
  if (!ttl) return !options.complete;
  const value = resolveValue(context, ttl.value);
  return !(value.type === AST_NODE_TYPES.Literal && value.value === 0);
}

/* ---------------------------------------------------------------------------------------------
 * Redis clients as such (for TTL checks): a receiver named like a cache is not enough when it is
 * a `Map`, an in-process LRU or the project's own wrapper object.
 * ------------------------------------------------------------------------------------------- */

export type RedisFlavour = "ioredis" | "node-redis" | "upstash";

export const REDIS_MODULES: Record<string, RedisFlavour> = {
  ioredis: "ioredis",
  redis: "node-redis",
  "@redis/client": "node-redis",
  "@upstash/redis": "upstash",
  "@vercel/kv": "upstash",
};
/** A constructor or type named like these is a Redis client; any other `new X()` is not. */
export const REDIS_NAME = /redis|upstash|valkey|cluster|vercelkv|commander|pipeline/i;
/** `redis.multi()` / `redis.pipeline()`: commands queued on them run on the client. */
const BATCH_METHODS = new Set(["multi", "pipeline"]);
const REDIS_SHAPE = ["get", "set", "expire", "del"];

function moduleFlavour(source: string): RedisFlavour | null {
  const root = source.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source.split("/")[0]!;
  return REDIS_MODULES[root] ?? null;
}

export type Origin =
  { kind: "value"; node: Node } | { kind: "type"; name: string | null } | { kind: "import"; source: string; imported: string } | { kind: "unknown" };

const thisAssignments = new WeakMap<Node, Map<string, Node>>();

/** `this.<name> = value` anywhere in the file (constructors, ES5 constructor functions): the first value per name. */
function assignedToThis(program: Node, name: string): Node | undefined {
  let byName = thisAssignments.get(program);
  if (!byName) {
    const found = new Map<string, Node>();
    walk(program, (n) => {
      if (n.type !== AST_NODE_TYPES.AssignmentExpression || n.operator !== "=" || n.left.type !== AST_NODE_TYPES.MemberExpression) return;
      const key = unwrap(n.left.object).type === AST_NODE_TYPES.ThisExpression ? propertyName(n.left) : null;
      if (key !== null && !found.has(key)) found.set(key, unwrap(n.right));
    });
    byName = found;
    thisAssignments.set(program, byName);
  }
  return byName.get(name);
}

/**
 * `this.redis`: the class property's initialiser or annotation, the constructor parameter
 * property's annotation, or the value a constructor assigns to it.
 */
function classMemberOrigin(context: Context, node: TSESTree.MemberExpression, name: string): Origin {
  let body: TSESTree.ClassBody | null = null;
  for (let p: Node | undefined = node.parent; p && !body; p = p.parent) if (p.type === AST_NODE_TYPES.ClassBody) body = p;
  for (const member of body?.body ?? []) {
    if (member.type === AST_NODE_TYPES.PropertyDefinition && !member.computed && member.key.type === AST_NODE_TYPES.Identifier && member.key.name === name) {
      if (member.value) return { kind: "value", node: member.value };
      if (member.typeAnnotation) return { kind: "type", name: annotationTypeName(member.typeAnnotation.typeAnnotation) };
    }
    if (member.type === AST_NODE_TYPES.MethodDefinition && member.kind === "constructor") {
      for (const param of member.value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const p = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        if (p.type === AST_NODE_TYPES.Identifier && p.name === name) return { kind: "type", name: annotationTypeName(p.typeAnnotation?.typeAnnotation) };
      }
    }
  }
  const assigned = assignedToThis(context.sourceCode.ast, name);
  return assigned ? { kind: "value", node: assigned } : { kind: "unknown" };
}

/** Where the receiver's value comes from, as far as this file tells. */
export function originOf(context: Context, node: Node): Origin {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.MemberExpression && unwrap(n.object).type === AST_NODE_TYPES.ThisExpression) {
    const name = propertyName(n);
    return name === null ? { kind: "unknown" } : classMemberOrigin(context, n, name);
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    // Only a declared type that settles it: a Redis client's, or an in-process container's (a project's `CacheClient` may wrap Redis).
    const declared = annotationTypeName(declaredType(context, n));
    if (declared !== null && (REDIS_NAME.test(declared) || IN_PROCESS_TYPES.has(declared))) return { kind: "type", name: declared };
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return { kind: "value", node: n };
  const binding = resolveBinding(context, n);
  if (!binding) return { kind: "unknown" };
  if (binding.kind === "import") return { kind: "import", source: binding.source, imported: binding.imported };
  if (binding.kind === "local") return binding.value ? { kind: "value", node: unwrap(binding.value) } : { kind: "unknown" };
  const param = "params" in binding.fn ? (binding.fn.params as Node[])[binding.index] : undefined;
  const id = param?.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  return id?.type === AST_NODE_TYPES.Identifier && id.typeAnnotation
    ? { kind: "type", name: annotationTypeName(id.typeAnnotation.typeAnnotation) }
    : { kind: "unknown" };
}

/** Types that hold their entries in the process: a write to one leaves nothing behind in Redis. */
const IN_PROCESS_TYPES = new Set(["Map", "WeakMap", "Set", "WeakSet", "LRUCache", "QuickLRU"]);

/** The members of a type literal, or of an interface or object type alias this file declares (exported or not, generic or not). */
function membersOf(context: Context, type: TSESTree.TypeNode | null): TSESTree.TypeElement[] | null {
  if (type?.type === AST_NODE_TYPES.TSTypeLiteral) return type.members;
  if (type?.type !== AST_NODE_TYPES.TSTypeReference || type.typeName.type !== AST_NODE_TYPES.Identifier) return null;
  const decl = localTypeDeclarations(context, type.typeName.name, { generic: true })[0];
  if (decl?.type === AST_NODE_TYPES.TSInterfaceDeclaration) return decl.body.body;
  return decl ? membersOf(context, decl.typeAnnotation) : null;
}

/** The declared type of member `name` of a type, or null. */
function memberType(context: Context, type: TSESTree.TypeNode | null, name: string): TSESTree.TypeNode | null {
  return propertySignature(membersOf(context, type), name)?.typeAnnotation?.typeAnnotation ?? null;
}

/** The type a binding pattern gives the identifier `name` in it: its own annotation, or the member of the pattern's type (or of `source`'s) it destructures. */
function patternType(context: Context, pattern: Node | null | undefined, name: string, source: Node | null, depth: number): TSESTree.TypeNode | null {
  const p = pattern?.type === AST_NODE_TYPES.AssignmentPattern ? pattern.left : pattern;
  if (p?.type === AST_NODE_TYPES.Identifier) return p.name === name && p.typeAnnotation ? p.typeAnnotation.typeAnnotation : null;
  if (p?.type !== AST_NODE_TYPES.ObjectPattern) return null;
  const property = p.properties.find(
    (q): q is TSESTree.Property =>
      q.type === AST_NODE_TYPES.Property &&
      q.key.type === AST_NODE_TYPES.Identifier &&
      unwrapDefault(q.value)?.type === AST_NODE_TYPES.Identifier &&
      (unwrapDefault(q.value) as TSESTree.Identifier).name === name,
  );
  if (!property || property.key.type !== AST_NODE_TYPES.Identifier) return null;
  const whole = p.typeAnnotation ? p.typeAnnotation.typeAnnotation : source ? declaredType(context, source, depth + 1) : null;
  return memberType(context, whole, property.key.name);
}

function unwrapDefault(n: Node): Node | null {
  return n.type === AST_NODE_TYPES.AssignmentPattern ? n.left : n;
}

/**
 * The type this file declares for an expression, without the type checker: a parameter's or a
 * local's annotation (`state: TurnState`), a destructured one's (`const { state } = args` with
 * `args: Args`), and a member's through the interface or type literal of its object
 * (`state.cache` with `cache: Map<string, R>`). null when the file does not say.
 */
function declaredType(context: Context, node: Node, depth = 0): TSESTree.TypeNode | null {
  if (depth > 4) return null;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const name = propertyName(n);
    return name === null || n.computed ? null : memberType(context, declaredType(context, n.object, depth + 1), name);
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return null;
  const binding = resolveBinding(context, n);
  if (binding?.kind === "parameter")
    return patternType(context, "params" in binding.fn ? (binding.fn.params as Node[])[binding.index] : undefined, n.name, null, depth);
  if (binding?.kind !== "local" || binding.definition.type !== AST_NODE_TYPES.VariableDeclarator) return null;
  return patternType(context, binding.definition.id, n.name, binding.definition.init, depth);
}

interface ClientVerdict {
  /** true: a Redis client; false: something else (a Map, an LRU, a wrapper object); null: not known from this file. */
  redis: boolean | null;
  flavour: RedisFlavour | null;
}

function verdictFor(context: Context, node: Node, depth: number): ClientVerdict {
  const unknown: ClientVerdict = { redis: null, flavour: null };
  if (depth > 4) return unknown;
  const origin = originOf(context, node);
  if (origin.kind === "unknown") return unknown;
  if (origin.kind === "import") {
    const flavour = moduleFlavour(origin.source);
    return flavour ? { redis: true, flavour } : unknown;
  }
  if (origin.kind === "type") return origin.name === null ? unknown : { redis: REDIS_NAME.test(origin.name), flavour: null };
  const value = origin.node;
  if (value.type === AST_NODE_TYPES.ObjectExpression) return { redis: false, flavour: null };
  if (value.type === AST_NODE_TYPES.Identifier || value.type === AST_NODE_TYPES.MemberExpression) {
    return value === unwrap(node) ? unknown : verdictFor(context, value, depth + 1);
  }
  if (value.type !== AST_NODE_TYPES.NewExpression && value.type !== AST_NODE_TYPES.CallExpression) return unknown;
  const callee = unwrap(value.callee);
  // `redis.multi()`, `redis.pipeline()`: the client's verdict.
  if (value.type === AST_NODE_TYPES.CallExpression && callee.type === AST_NODE_TYPES.MemberExpression && BATCH_METHODS.has(propertyName(callee) ?? "")) {
    return verdictFor(context, callee.object, depth + 1);
  }
  // `new Redis()`, `Redis.fromEnv()`, `createClient()` imported from "redis".
  const root = callee.type === AST_NODE_TYPES.MemberExpression ? unwrap(callee.object) : callee;
  if (root.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, root);
    const flavour = binding?.kind === "import" ? moduleFlavour(binding.source) : null;
    if (flavour) return { redis: true, flavour };
  }
  const path = memberPath(callee) ?? "";
  if (REDIS_NAME.test(path)) return { redis: true, flavour: null };
  // Any other constructor (`new Map()`, `new LRUCache()`, `new Keyv()`) is an in-process or TTL-managing cache.
  return value.type === AST_NODE_TYPES.NewExpression ? { redis: false, flavour: null } : unknown;
}

/** ioredis / node-redis / Upstash, from the declaration file of the receiver's type. */
function typedFlavour(context: Context, node: Node): RedisFlavour | null {
  const info = typeInfo(context);
  const type = info ? typeOf(info, node) : null;
  const file = type?.getSymbol()?.declarations?.[0]?.getSourceFile().fileName ?? "";
  if (/[\\/]ioredis[\\/]/.test(file)) return "ioredis";
  if (/[\\/]@upstash[\\/]redis[\\/]|[\\/]@vercel[\\/]kv[\\/]/.test(file)) return "upstash";
  if (/[\\/]@redis[\\/]client[\\/]/.test(file)) return "node-redis";
  return null;
}

/**
 * Is `node` a Redis client (ioredis, node-redis, Upstash, or a `multi()` / `pipeline()` of one)?
 * With types: anything shaped like one (`get`, `set`, `expire`, `del`), and nothing else, so a
 * `Map` named `cache` is not. Without: a `cacheClients` name, unless this file shows it is
 * something else (`new Map()`, `new LRUCache()`, an object literal, a parameter typed `Map<...>`).
 */
export function redisClient(context: Context, node: Node): { flavour: RedisFlavour | null } | null {
  const n = unwrap(node);
  // Commands chained on a batch: `redis.multi().hset(...).expire(...)`.
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const { base, links } = decomposeChain(n);
    return links[0] && BATCH_METHODS.has(links[0].name) ? redisClient(context, base) : null;
  }
  const info = typeInfo(context);
  const typed = info ? typeHasProperties(info, n, REDIS_SHAPE) : null;
  if (typed === false) return null;
  const verdict = verdictFor(context, n, 0);
  if (typed === true) return { flavour: verdict.flavour ?? typedFlavour(context, n) };
  if (verdict.redis === false) return null;
  if (verdict.redis === true) return { flavour: verdict.flavour };
  const path = memberPath(n);
  const names = resolvedSettings(context).cacheClients;
  return path !== null && endsWithName(path, names) ? { flavour: null } : null;
}

/**
 * Is a Redis key built per call (`user:${id}`, `"feed:" + id`, `keyFor(id)`, a parameter), so
 * that one key per user or entity piles up? A fixed key (a literal, a constant, an import) is one
 * structure, a registry or a queue, which cannot accumulate.
 */
export function isPerEntityKey(context: Context, node: Node): boolean {
  const n = unwrap(node);
  switch (n.type) {
    case AST_NODE_TYPES.TemplateLiteral:
      return n.expressions.length > 0 && !n.expressions.every((e) => isConstantName(unwrap(e)));
    case AST_NODE_TYPES.BinaryExpression:
      return true;
    case AST_NODE_TYPES.CallExpression:
      // A key getter with no arguments that returns a fixed key (`this.queueKey()`) names one key.
      return n.arguments.length > 0 || !returnsFixedKey(context, n);
    case AST_NODE_TYPES.Identifier: {
      const binding = resolveBinding(context, n);
      if (binding?.kind === "parameter") return true;
      return binding?.kind === "local" && binding.value !== null && binding.value !== n && isPerEntityKey(context, binding.value);
    }
    default:
      return false;
  }
}

/** `PREFIX`, `KEYS.queue`: a `SCREAMING_CASE` constant (or a member of one), fixed for the process. */
function isConstantName(n: Node): boolean {
  const path = memberPath(n);
  return path !== null && /^[A-Z][A-Z0-9_]*(?:\.\w+)*$/.test(path);
}

/** The function a zero-argument call runs, in this file: a local function, or a method of the enclosing class (`this.key()`). */
function calledFunction(context: Context, call: TSESTree.CallExpression): Node | null {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const value = resolveValue(context, callee);
    return isFunction(value) ? value : null;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || unwrap(callee.object).type !== AST_NODE_TYPES.ThisExpression) return null;
  const name = propertyName(callee);
  for (let p: Node | undefined = call.parent; p; p = p.parent) {
    if (p.type !== AST_NODE_TYPES.ClassBody) continue;
    const method = p.body.find((m) => m.type === AST_NODE_TYPES.MethodDefinition && staticKeyName(m) === name);
    return method?.type === AST_NODE_TYPES.MethodDefinition ? method.value : null;
  }
  return null;
}

/** Does the called function take no parameters and return only fixed keys (literals, templates of constants)? */
function returnsFixedKey(context: Context, call: TSESTree.CallExpression): boolean {
  const fn = calledFunction(context, call);
  if (!fn || !isFunction(fn) || fn.params.length > 0) return false;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return !isPerEntityKey(context, fn.body);
  let fixed = true;
  let returns = 0;
  walk(fn.body, (n) => {
    if (n !== fn.body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement) {
      returns++;
      if (!n.argument || isPerEntityKey(context, n.argument)) fixed = false;
    }
    return undefined;
  });
  return fixed && returns > 0;
}

/** A key's shape for comparing writes and deletes: its text, with a template's expressions blanked. */
function keyShape(context: Context, key: Node): string {
  const v = resolveValue(context, key, 1);
  if (v.type === AST_NODE_TYPES.TemplateLiteral) return `\`${v.quasis.map((q) => q.value.raw).join("${}")}\``;
  return context.sourceCode.getText(v).replace(/\s+/g, " ");
}

const DELETE_COMMANDS = new Set(["del", "unlink", "getdel"]);
const deletedShapes = new WeakMap<Node, Set<string>>();

/** The command a call sends, lowercased (`redis.HSET(...)` is `hset`), or null when the callee is not a method. */
function commandOf(call: TSESTree.CallExpression): string | null {
  const callee = unwrap(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? (propertyName(callee)?.toLowerCase() ?? null) : null;
}

/**
 * The keys that calls to `commands` name in `scope` (nested functions included): the first
 * argument, or with `allKeys` every one (`del(a, b)`), each as `keyOf` writes it; once per scope.
 */
function commandKeys(
  scope: Node,
  commands: ReadonlySet<string>,
  allKeys: boolean,
  keyOf: (arg: Node) => string,
  cache: WeakMap<Node, Set<string>>,
): Set<string> {
  let keys = cache.get(scope);
  if (!keys) {
    const found = new Set<string>();
    walk(scope, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression || !n.arguments[0] || !commands.has(commandOf(n) ?? "")) return;
      for (const arg of allKeys ? n.arguments : [n.arguments[0]]) if (arg.type !== AST_NODE_TYPES.SpreadElement) found.add(keyOf(arg));
    });
    keys = found;
    cache.set(scope, keys);
  }
  return keys;
}

/**
 * Is the key deleted somewhere in this module (`redis.del(`brand:${id}`)` beside
 * `redis.set(`brand:${team}`, logo)`)? Such a key is a deliberate write-through store with its own
 * invalidation, not a cache entry forgotten without a TTL.
 */
export function isDeletedInModule(context: Context, key: Node): boolean {
  const keyOf = (arg: Node): string => keyShape(context, arg);
  return commandKeys(context.sourceCode.ast, DELETE_COMMANDS, true, keyOf, deletedShapes).has(keyOf(key));
}

const COMPLETION_MARKER = /[:._-](?:done|migrated|completed)$/i;

/**
 * Is the key a one-time completion marker (`usage-migration:${id}:done`), written directly or by
 * a key function of this file? It records that a one-off process finished for an entity: a TTL
 * would run the process again, so it is kept on purpose.
 */
export function isCompletionMarker(context: Context, key: Node): boolean {
  let v = resolveValue(context, key, 2);
  if (v.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(v.callee);
    const fn = callee.type === AST_NODE_TYPES.Identifier ? resolveValue(context, callee, 2) : null;
    const body = fn && isFunction(fn) ? (fn.body.type === AST_NODE_TYPES.BlockStatement ? fn.body.body : [fn.body]) : [];
    const only = body.length === 1 ? body[0]! : null;
    const returned = only?.type === AST_NODE_TYPES.ReturnStatement ? only.argument : only && only.type !== AST_NODE_TYPES.BlockStatement ? only : null;
    if (!returned) return false;
    v = unwrap(returned as Node);
  }
  const tail = v.type === AST_NODE_TYPES.TemplateLiteral ? v.quasis.at(-1)?.value.cooked : v.type === AST_NODE_TYPES.Literal ? v.value : null;
  return typeof tail === "string" && COMPLETION_MARKER.test(tail);
}

const luaLifetimes = new WeakMap<Node, boolean>();
const LUA_LIFETIME = /redis\.(?:p?call)\(\s*['"](?:del|unlink|expire|pexpire|expireat|zrem|zremrangebyscore|zremrangebyrank|srem|hdel|ltrim|lrem|getdel)['"]/i;

/**
 * Does this module manage key lifetimes in Lua (`redis.eval(SCRIPT, ...)` with a script that calls
 * `DEL`, `UNLINK`, `EXPIRE`, `ZREM`...)? The rule cannot read which keys the script removes, so
 * the module's writes are left to it.
 */
export function managesKeysInLua(context: Context): boolean {
  const ast = context.sourceCode.ast;
  let known = luaLifetimes.get(ast);
  if (known === undefined) {
    known = false;
    walk(ast, (n) => {
      if (known) return false;
      const text =
        n.type === AST_NODE_TYPES.Literal && typeof n.value === "string"
          ? n.value
          : n.type === AST_NODE_TYPES.TemplateElement
            ? (n.value.cooked ?? n.value.raw)
            : null;
      if (text !== null && LUA_LIFETIME.test(text)) known = true;
      return true;
    });
    luaLifetimes.set(ast, known);
  }
  return known;
}

/**
 * Is this write the no-expiry branch of a TTL the caller may give (`if (ttl) set(key, v, { ex: ttl })
 * else set(key, v)`)? The other branch of the nearest `if` / `?:` writes the same key with an expiry:
 * the choice is the caller's, as the wrapper's contract says.
 */
export function expiresInOtherBranch(context: Context, call: Node, key: Node): boolean {
  let child: Node = call;
  for (let p = call.parent; p && !isFunction(p); child = p, p = p.parent) {
    if (p.type !== AST_NODE_TYPES.IfStatement && p.type !== AST_NODE_TYPES.ConditionalExpression) continue;
    const other = p.consequent === child ? p.alternate : p.alternate === child ? p.consequent : null;
    if (!other) return false;
    const shape = keyShape(context, key);
    let found = false;
    walk(other, (n) => {
      if (found || n.type !== AST_NODE_TYPES.CallExpression || n.arguments.length < 3 || !n.arguments[0] || commandOf(n) !== "set") return;
      if (keyShape(context, n.arguments[0]) === shape && setOptionsExpiry(context, n.arguments.slice(2)) !== "none") found = true;
    });
    return found;
  }
  return false;
}

/* ---------------------------------------------------------------------------------------------
 * Expiry of Redis keys.
 * ------------------------------------------------------------------------------------------- */

/** `set` options that give the key an expiry (ioredis tokens, Upstash / node-redis option keys), lowercased. */
const EXPIRY_OPTIONS = new Set(["ex", "px", "exat", "pxat", "keepttl", "expiration"]);
const EXPIRE_COMMANDS = new Set(["expire", "pexpire", "expireat", "pexpireat"]);

/**
 * Do the arguments after `set(key, value` give the key an expiry? "unknown" for anything this file
 * cannot read: a variable, or a number (cache-manager and Keyv take a TTL there).
 */
export function setOptionsExpiry(context: Context, args: TSESTree.CallExpressionArgument[]): "ttl" | "none" | "unknown" {
  for (const arg of args) {
    if (arg.type === AST_NODE_TYPES.SpreadElement) return "unknown";
    const value = resolveValue(context, arg);
    // ioredis's trailing callback.
    if (isFunction(value)) continue;
    if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") {
      if (EXPIRY_OPTIONS.has(value.value.toLowerCase())) return "ttl";
      continue;
    }
    const options = readObject(context, value);
    if (!options?.complete) return "unknown";
    if ([...options.properties.keys()].some((k) => EXPIRY_OPTIONS.has(k.toLowerCase()))) return "ttl";
  }
  return "none";
}

/** The text a key starts with when it is written in the code (`"queue:emails"`, `` `queue:${id}` ``), else null. */
export function staticKeyPrefix(context: Context, key: Node): string | null {
  const v = resolveValue(context, key);
  if (v.type === AST_NODE_TYPES.Literal && typeof v.value === "string") return v.value;
  return v.type === AST_NODE_TYPES.TemplateLiteral ? (v.quasis[0]?.value.cooked ?? "") : null;
}

/** Keys given an expiry in a function (or the module), by the source text of what they stand for. */
const expiriesByScope = new WeakMap<Node, Set<string>>();

function keyText(context: Context, key: Node): string {
  return context.sourceCode.getText(resolveValue(context, key, 1)).replace(/\s+/g, " ");
}

/**
 * Does an `expire` / `pexpire` / `expireat` / `pexpireat` on the same key run in the function that
 * makes `call` (nested callbacks and `multi()` chains included)? Keys are compared by source text,
 * through local constants: `const key = ...` and its value are the same key.
 */
export function expiresInSameFunction(context: Context, call: Node, key: Node): boolean {
  let scope: Node | undefined = call.parent;
  while (scope && !isFunction(scope)) scope = scope.parent;
  const keyOf = (arg: Node): string => keyText(context, arg);
  return commandKeys(scope ?? context.sourceCode.ast, EXPIRE_COMMANDS, false, keyOf, expiriesByScope).has(keyOf(key));
}

/* ---------------------------------------------------------------------------------------------
 * Invalidation: code that makes a cached value go away or replaces it after a write.
 * ------------------------------------------------------------------------------------------- */

/** Next.js's cache invalidation (`next/cache`): tags and paths of `unstable_cache` / `fetch` caches and pages. */
const NEXT_INVALIDATIONS = new Set(["revalidateTag", "revalidatePath", "updateTag", "expireTag", "expirePath", "unstable_expireTag", "unstable_expirePath"]);
/** Commands on a cache client that drop a key or put a new value in its place (lowercased). */
const CACHE_DROPS = new Set([
  "del",
  "unlink",
  "getdel",
  "set",
  "setex",
  "psetex",
  "mset",
  "hset",
  "hmset",
  "hdel",
  "json.set",
  "json.del",
  "delete",
  "invalidate",
  "evict",
]);
/** A helper whose name says it invalidates: `invalidatePost`, `revalidateTeam`, `bustCache`, `purge`. */
const INVALIDATING_NAME = /^(?:invalidate|revalidate|bust|purge|evict)(?:[A-Z_]|$)/;
/** A helper that clears or deletes something named a cache: `clearUserCache`, `deleteCachedPost`, `resetCache`. */
const CACHE_CLEARING_NAME = /^(?:clear|delete|del|remove|reset|flush|drop|refresh|expire)\w*cache/i;

/**
 * Does `call` invalidate a cache: Next.js's `revalidateTag` / `revalidatePath` / `updateTag` /
 * `unstable_expireTag`, Prisma Accelerate's `$accelerate.invalidate`, a delete or overwrite on a
 * cache client (`redis.del(key)`, `cache.set(key, fresh)`), a helper named as one
 * (`invalidatePostCache`), or one of `helpers` (the project's own, by name or dotted path)?
 */
export function isCacheInvalidation(context: Context, call: TSESTree.CallExpression, helpers: readonly string[]): boolean {
  const callee = unwrap(call.callee);
  const path = memberPath(callee);
  const name = path === null ? null : path.slice(path.lastIndexOf(".") + 1);
  if (path !== null && name !== null) {
    if (NEXT_INVALIDATIONS.has(name) || INVALIDATING_NAME.test(name) || CACHE_CLEARING_NAME.test(name)) return true;
    if (/(?:^|\.)\$accelerate\.invalidate(?:All)?$/.test(path) || endsWithName(path, helpers)) return true;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const command = commandOf(call);
  return command !== null && CACHE_DROPS.has(command) && isCacheClient(context, callee.object);
}

/* ---------------------------------------------------------------------------------------------
 * How long a cached value lives, in seconds, when the code spells it out.
 * ------------------------------------------------------------------------------------------- */

const DURATION_UNITS: Record<string, number> = {
  milli: 0.001,
  millis: 0.001,
  second: 1,
  seconds: 1,
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
};

/** A number the code writes (`300`, `60 * 5`, `ONE_HOUR` bound to one), or null. */
export function numberValue(context: Context, node: Node, depth = 0): number | null {
  if (depth > 4) return null;
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === "number") return n.value;
  if (n.type === AST_NODE_TYPES.BinaryExpression && n.left.type !== AST_NODE_TYPES.PrivateIdentifier) {
    const left = numberValue(context, n.left, depth + 1);
    const right = numberValue(context, n.right, depth + 1);
    if (left === null || right === null) return null;
    if (n.operator === "*") return left * right;
    if (n.operator === "+") return left + right;
    if (n.operator === "-") return left - right;
    if (n.operator === "/") return right === 0 ? null : left / right;
  }
  return null;
}

/** An Effect `Duration` as the code writes it (`"5 minutes"`, `Duration.seconds(30)`), in seconds, or null. */
function durationSeconds(context: Context, node: Node): number | null {
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(n.value);
    const unit = m ? DURATION_UNITS[m[2]!.toLowerCase()] : undefined;
    return m && unit !== undefined ? Number(m[1]) * unit : null;
  }
  if (n.type === AST_NODE_TYPES.CallExpression && n.arguments[0] && n.arguments[0].type !== AST_NODE_TYPES.SpreadElement) {
    const path = memberPath(n.callee);
    const unit = path?.startsWith("Duration.") ? DURATION_UNITS[path.slice("Duration.".length)] : undefined;
    const amount = numberValue(context, n.arguments[0]);
    return unit !== undefined && amount !== null ? amount * unit : null;
  }
  return null;
}

/**
 * The seconds a cache wrapper keeps its result: `unstable_cache(fn, keys, { revalidate: 60 })`,
 * an options object's `revalidate` / `ex` (seconds) or `px` (milliseconds), `Effect.cachedWithTTL(effect, "1 minute")`.
 * null when the call does not say (cache-manager's bare number may be seconds or milliseconds) or
 * the value never expires (`revalidate: false`).
 */
export function wrapperTtl(context: Context, call: TSESTree.CallExpression): number | null {
  const path = memberPath(call.callee) ?? "";
  if (/(?:^|\.)cachedWithTTL$/.test(path) && call.arguments[1] && call.arguments[1].type !== AST_NODE_TYPES.SpreadElement)
    return durationSeconds(context, call.arguments[1]);
  for (const arg of call.arguments) {
    if (arg.type === AST_NODE_TYPES.SpreadElement || isFunction(unwrap(arg))) continue;
    const options = readObject(context, arg);
    if (!options) continue;
    for (const [key, scale] of [
      ["revalidate", 1],
      ["ex", 1],
      ["EX", 1],
      ["px", 0.001],
      ["PX", 0.001],
    ] as const) {
      const value = options.properties.get(key);
      const seconds = value ? numberValue(context, value.value) : null;
      if (seconds !== null) return seconds * scale;
    }
  }
  return null;
}

/** The `ttl` (seconds) of a Prisma Accelerate read's `cacheStrategy`, or null when it is not written out. */
export function accelerateTtl(context: Context, call: TSESTree.CallExpression): number | null {
  const arg = call.arguments[0];
  if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return null;
  const strategy = readObject(context, arg)?.properties.get("cacheStrategy");
  const ttl = strategy ? readObject(context, strategy.value)?.properties.get("ttl") : undefined;
  return ttl ? numberValue(context, ttl.value) : null;
}

const EXPIRY_SECONDS: Record<string, number> = { ex: 1, px: 0.001 };

/**
 * How long the keys a cache-aside function writes live: the shortest expiry among its cache
 * writes (`set(key, v, "EX", 60)`, `set(key, v, { ex: 60 })`, `setex(key, 60, v)`, `expire(key, 60)`).
 * null when one of them has none, or none says (nothing written, an expiry in a variable of unknown value).
 */
export function cacheAsideTtl(context: Context, fn: Node): number | null {
  let shortest: number | null = null;
  let forever = false;
  const seen = (seconds: number | null): void => {
    if (seconds === null) forever = true;
    else shortest = shortest === null ? seconds : Math.min(shortest, seconds);
  };
  walk(fn, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    const command = commandOf(n);
    const callee = unwrap(n.callee);
    if (command === null || callee.type !== AST_NODE_TYPES.MemberExpression || !isCacheClient(context, callee.object)) return;
    const args = n.arguments;
    if (command === "setex" || command === "expire") seen(args[1] && args[1].type !== AST_NODE_TYPES.SpreadElement ? numberValue(context, args[1]) : null);
    else if (command === "psetex" || command === "pexpire") {
      const ms = args[1] && args[1].type !== AST_NODE_TYPES.SpreadElement ? numberValue(context, args[1]) : null;
      seen(ms === null ? null : ms / 1000);
    } else if (command === "set") seen(setExpirySeconds(context, args.slice(2)));
  });
  return forever ? null : shortest;
}

/** The expiry the arguments after `set(key, value` give, in seconds: `"EX", 60`, `{ ex: 60 }`, `{ PX: 500 }`; null for none or unknown. */
function setExpirySeconds(context: Context, args: TSESTree.CallExpressionArgument[]): number | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.type === AST_NODE_TYPES.SpreadElement) return null;
    const value = resolveValue(context, arg);
    if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") {
      const scale = EXPIRY_SECONDS[value.value.toLowerCase()];
      const next = args[i + 1];
      if (scale === undefined || !next || next.type === AST_NODE_TYPES.SpreadElement) continue;
      const amount = numberValue(context, next);
      return amount === null ? null : amount * scale;
    }
    const options = readObject(context, value);
    if (!options) continue;
    for (const [key, prop] of options.properties) {
      const scale = EXPIRY_SECONDS[key.toLowerCase()];
      const amount = scale === undefined ? null : numberValue(context, prop.value);
      if (amount !== null) return amount * scale!;
    }
  }
  return null;
}
