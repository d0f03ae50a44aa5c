import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { readTrafficFile } from "@archlint/core";
import path from "node:path";
import { archlintSettings, calleeName, isFunction, readObject, walk, type Context, type Node } from "../syntax/ast.js";
import type { FastifyRoute } from "../frameworks/fastify.js";
import { builderAccess, type Procedure } from "../frameworks/trpc.js";

/**
 * Which handlers are hot. Flagging every read endpoint would bury the real ones, so by default a
 * handler is hot when it is a read open to anonymous traffic (a tRPC `.query()` on a public
 * builder; a Fastify GET/HEAD route with no hook in `onRequest`/`preValidation`/`preHandler`),
 * when it is marked `/** @hot *\/`, or when `settings.archlint.hotPaths` names it (procedure paths,
 * `GET /v1/posts/:id`, globs, or a traffic file with a requests-per-second threshold; globs and
 * traffic counts pick among reads only).
 */

export type HotMode = "default" | "all-reads" | "configured";

export interface HotVerdict {
  hot: boolean;
  /** Why, for messages: "a public query", "marked @hot", "named in settings.archlint.hotPaths". */
  reason: string;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\u0000").replace(/\*/g, "[^ ]*").replace(/\u0000/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * Is a handler named in `settings.archlint.hotPaths`? A name written out in full makes any handler
 * hot, since someone chose it. A glob or a traffic count picks only among reads (queries, GET/HEAD
 * routes): the reads in a mutation or a POST decide a write and must see the database, not a cache.
 */
function configuredHot(context: Context, names: string[], isRead: boolean): boolean {
  const hotPaths = archlintSettings(context).hotPaths;
  if (!hotPaths) return false;
  if (Array.isArray(hotPaths)) {
    return hotPaths.some((raw) => {
      const pattern = raw.trim();
      if (!pattern.includes("*")) return names.includes(pattern);
      const re = globToRegExp(pattern);
      return isRead && names.some((n) => re.test(n));
    });
  }
  if (!isRead) return false;
  const file = path.resolve(context.cwd, hotPaths.trafficFile);
  const traffic = readTrafficFile(file);
  return names.some((n) => (traffic.get(n) ?? 0) >= hotPaths.threshold);
}

/** `/** @hot *\/` (or `@hot` in a line comment) right before the node or the statement holding it. */
export function markedHot(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node, i = 0; current && i < 4; current = current.parent, i++) {
    const comments = context.sourceCode.getCommentsBefore(current);
    if (comments.some((c) => /(^|\s)@hot\b/.test(c.value))) return true;
    if (current.type === AST_NODE_TYPES.Property || current.type === AST_NODE_TYPES.ExpressionStatement || current.type === AST_NODE_TYPES.VariableDeclaration) break;
  }
  return false;
}

function markedNotHot(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node, i = 0; current && i < 4; current = current.parent, i++) {
    const comments = context.sourceCode.getCommentsBefore(current);
    if (comments.some((c) => /(^|\s)@(not-hot|cold)\b/.test(c.value))) return true;
    if (current.type === AST_NODE_TYPES.Property || current.type === AST_NODE_TYPES.ExpressionStatement) break;
  }
  return false;
}

/** Is the procedure's builder open to anonymous traffic? (core's builder classifier, as `archlint init`) */
export function isPublicProcedure(context: Context, procedure: Procedure): boolean {
  return builderAccess(context, procedure) === "public";
}

export function procedureHotness(context: Context, procedure: Procedure, mode: HotMode): HotVerdict {
  const names = procedure.path ? [procedure.path] : [];
  if (markedNotHot(context, procedure.terminal)) return { hot: false, reason: "" };
  if (markedHot(context, procedure.terminal)) return { hot: true, reason: "marked @hot" };
  if (names.length > 0 && configuredHot(context, names, procedure.kind === "query")) return { hot: true, reason: "named in settings.archlint.hotPaths" };
  if (mode === "configured" || procedure.kind !== "query") return { hot: false, reason: "" };
  if (mode === "all-reads") return { hot: true, reason: "a query (hot: all-reads)" };
  return isPublicProcedure(context, procedure) ? { hot: true, reason: "a public query" } : { hot: false, reason: "" };
}

const AUTH_HOOKS = ["onRequest", "preParsing", "preValidation", "preHandler"];

/** `app.register(async (child) => { ... })`: an encapsulated child context. */
function isRegisteredPlugin(fn: Node): boolean {
  const call = fn.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === fn && calleeName(call) === "register";
}

/** Route-level hooks (`{ onRequest: [app.authenticate] }`) or hooks added in the plugin that registers the route. */
function routeHasHooks(context: Context, route: FastifyRoute): boolean {
  for (const arg of route.call.arguments) {
    if (arg.type !== AST_NODE_TYPES.ObjectExpression && arg.type !== AST_NODE_TYPES.Identifier) continue;
    const shape = readObject(context, arg as Node);
    if (shape && (!shape.complete || AUTH_HOOKS.some((h) => shape.properties.has(h)))) return true;
  }
  for (let fn: Node | undefined = route.call.parent; fn; fn = fn.parent) {
    if (!isFunction(fn)) continue;
    let hooked = false;
    walk(fn.body, (n) => {
      if (hooked) return false;
      // A child plugin (`app.register(async (child) => ...)`) has its own encapsulated hooks; one
      // wrapped in `fp(...)` is not a function here (its parent is the `fp` call), so it counts.
      if (isFunction(n) && isRegisteredPlugin(n)) return false;
      if (n.type !== AST_NODE_TYPES.CallExpression || calleeName(n) !== "addHook") return;
      const first = n.arguments[0];
      if (first?.type === AST_NODE_TYPES.Literal && typeof first.value === "string" && AUTH_HOOKS.includes(first.value)) hooked = true;
    });
    if (hooked) return true;
  }
  return false;
}

export function routeHotness(context: Context, route: FastifyRoute, mode: HotMode): HotVerdict {
  const names = route.methods.map((m) => `${m} ${route.url ?? ""}`);
  if (markedNotHot(context, route.call)) return { hot: false, reason: "" };
  if (markedHot(context, route.call)) return { hot: true, reason: "marked @hot" };
  const isRead = route.methods.length > 0 && route.methods.every((m) => m === "GET" || m === "HEAD");
  if (route.url !== null && configuredHot(context, names, isRead)) return { hot: true, reason: "named in settings.archlint.hotPaths" };
  if (mode === "configured" || !isRead) return { hot: false, reason: "" };
  if (mode === "all-reads") return { hot: true, reason: "a GET route (hot: all-reads)" };
  return routeHasHooks(context, route) ? { hot: false, reason: "" } : { hot: true, reason: "a GET route with no auth hook" };
}

