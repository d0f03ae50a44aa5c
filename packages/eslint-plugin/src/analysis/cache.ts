import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { archlintSettings, isFunction, memberPath, propertyName, unwrap, walk, type Context, type Node } from "./ast.js";
import { typeHasProperties, typeInfo } from "./types.js";

/**
 * Recognising caches: Redis/Upstash clients (`settings.archlint.cacheClients`, or with types
 * anything shaped like ioredis, node-redis or Upstash), cache wrappers whose callback results are
 * cached (`settings.archlint.cacheWrappers`), and the cache-aside pattern (`const hit = await
 * redis.get(key); if (hit) return ...;` before a read).
 */

export const DEFAULT_CACHE_CLIENTS = ["redis", "cache", "kv", "upstash"];
export const DEFAULT_CACHE_WRAPPERS = [
  "cache.wrap",
  "withCache",
  "cached",
  "memoize",
  "unstable_cache",
  "remember",
  "getOrSet",
  "Effect.cached",
  "Effect.cachedWithTTL",
];

const CACHE_READS = new Set(["get", "mget", "hget", "hgetall", "hmget", "getex", "json.get"]);

function endsWithName(path: string, names: string[]): boolean {
  return names.some((n) => path === n || path.endsWith(`.${n}`));
}

/** Is `node` a Redis-like cache client? */
export function isCacheClient(context: Context, node: Node): boolean {
  const path = memberPath(node);
  const names = archlintSettings(context).cacheClients ?? DEFAULT_CACHE_CLIENTS;
  if (path !== null && endsWithName(path, names)) return true;
  const info = typeInfo(context);
  return info !== null && typeHasProperties(info, node, ["get", "set", "expire", "del"]) === true;
}

/** Is `call` a call of a cache wrapper (`cache.wrap(key, ttl, fn)`, `unstable_cache(fn)`)? */
export function isCacheWrapperCall(context: Context, call: TSESTree.CallExpression): boolean {
  const path = memberPath(call.callee);
  if (path === null) return false;
  const wrappers = archlintSettings(context).cacheWrappers ?? DEFAULT_CACHE_WRAPPERS;
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

/**
 * Cache-aside in the same function: a cache read (`await redis.get(key)`) earlier in the function
 * that encloses `node`, so the database read below it runs only on a miss.
 */
export function hasCacheAsideBefore(context: Context, node: Node): boolean {
  let fn: Node | undefined = node.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  if (!fn || !isFunction(fn) || fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  let found = false;
  for (const stmt of fn.body.body) {
    if (found || stmt.range[0] >= node.range[0]) break;
    walk(stmt, (n) => {
      if (found || n.range[0] >= node.range[0]) return false;
      // A nested function's reads happen some other time, not before this read.
      if (isFunction(n)) return false;
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      const callee = unwrap(n.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
      const name = propertyName(callee);
      if (name !== null && CACHE_READS.has(name) && isCacheClient(context, callee.object)) found = true;
    });
  }
  return found;
}
