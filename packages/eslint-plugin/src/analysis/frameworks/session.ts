import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { findExportedValue } from "@archlint/core";
import { endsInReturnOrThrow, isFunction, memberPath, resolveBinding, resolveValue, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import type { FunctionNode } from "../syntax/functions.js";

/**
 * Code that turns anonymous callers away: a handler that leaves unless a session exists, a tRPC
 * middleware that throws unless one does. The endpoint model asks these when a builder or route
 * looks public (endpoint.ts, trpc.ts); rules read the answer from `endpoint.guards`.
 */

const SESSION_SEGMENTS = new Set(["session", "currentUser", "authUser", "viewer", "principal", "auth", "user"]);
const REQUEST_OBJECTS = new Set(["ctx", "context", "req", "request"]);
const SESSION_CALL = /session|auth|currentuser|getuser|viewer/i;

/**
 * Does the handler leave (`return` / `throw`) unless a session exists, before it does anything
 * else: `if (!ctx.session) return []`, `if (!request.user) throw ...`, `const session = await
 * auth(); if (!session?.user) return null`? A public builder with such a handler serves signed-in
 * traffic only. Before the check, only session lookups may be awaited, and only guards that turn
 * a request away by its shape may come first (`if (req.method !== "GET") return ...`); a `try`
 * around the whole body is looked into. A check against a secret from the environment (`if (token
 * !== process.env.CRON_SECRET) return ...`) turns anonymous callers away too.
 */
export function sessionGated(context: Context, handler: FunctionNode): boolean {
  return handler.body.type === AST_NODE_TYPES.BlockStatement && gatedStatements(context, handler.body.body);
}

function gatedStatements(context: Context, statements: Node[]): boolean {
  for (const statement of statements.slice(0, 6)) {
    if (statement.type === AST_NODE_TYPES.TryStatement) return gatedStatements(context, statement.block.body);
    if (statement.type === AST_NODE_TYPES.IfStatement) {
      // `if (req.method === "GET") { ... }`: the branch is the handler of that method.
      if (comparesMethod(statement.test) && statement.consequent.type === AST_NODE_TYPES.BlockStatement)
        return gatedStatements(context, statement.consequent.body);
      if (!endsInReturnOrThrow(statement.consequent)) return false;
      if (rejectsMissingSession(context, statement.test) || rejectsWithoutSecret(statement.test)) return true;
      if (containsAwait(statement.test)) return false;
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
    if (!statement.declarations.every((d) => !d.init || !awaitsWork(d.init) || isSessionLookup(d.init))) return false;
  }
  return false;
}

/** `req.method === "GET"` (either side). */
function comparesMethod(test: Node): boolean {
  const t = unwrap(test);
  if (t.type !== AST_NODE_TYPES.BinaryExpression || !["===", "=="].includes(t.operator)) return false;
  const isMethod = (n: Node): boolean => /(^|\.)method$/.test(memberPath(n) ?? "");
  const isString = (n: Node): boolean => n.type === AST_NODE_TYPES.Literal && typeof n.value === "string";
  return (isMethod(t.left) && isString(t.right)) || (isMethod(t.right) && isString(t.left));
}

/** Does `node` await a call (work that may read the database), rather than a value such as Next's `await params`? */
function awaitsWork(node: Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === AST_NODE_TYPES.AwaitExpression && unwrap(n.argument).type === AST_NODE_TYPES.CallExpression) found = true;
    return !found && !isFunction(n);
  });
  return found;
}

/** `x !== process.env.CRON_SECRET`, `header !== \`Bearer ${process.env.TOKEN}\``, in an `||` too. */
function rejectsWithoutSecret(test: Node): boolean {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === "||") return rejectsWithoutSecret(t.left) || rejectsWithoutSecret(t.right);
  if (t.type !== AST_NODE_TYPES.BinaryExpression || !["!==", "!="].includes(t.operator)) return false;
  return readsEnvironment(t.left) || readsEnvironment(t.right);
}

function readsEnvironment(node: Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === AST_NODE_TYPES.MemberExpression && memberPath(n.object) === "process.env") found = true;
    return !found && !isFunction(n);
  });
  return found;
}

function containsAwait(node: Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === AST_NODE_TYPES.AwaitExpression) found = true;
    return !found && !isFunction(n);
  });
  return found;
}

/** `await auth()`, `await getServerSession(options)`, `await ctx.getCurrentUser()`. */
function isSessionLookup(node: Node): boolean {
  const n = unwrap(node);
  const call = n.type === AST_NODE_TYPES.AwaitExpression ? unwrap(n.argument) : n;
  return call.type === AST_NODE_TYPES.CallExpression && SESSION_CALL.test(memberPath(call.callee) ?? "");
}

function throws(statement: Node): boolean {
  if (statement.type === AST_NODE_TYPES.ThrowStatement) return true;
  return statement.type === AST_NODE_TYPES.BlockStatement && statement.body.at(-1)?.type === AST_NODE_TYPES.ThrowStatement;
}

/**
 * `!ctx.session?.user`, `!request.user`, `ctx.user == null` (the request's own session), or
 * `!session` / `!user.id` for a local given a session lookup's result; also one of those in an `||`,
 * and `!(ctx.session && ...)`, which rejects whenever its first part is missing. Without `context`
 * (code read from another module, whose bindings this file's scopes do not know) only the request's
 * own members count.
 */
function rejectsMissingSession(context: Context | null, test: Node): boolean {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === "||")
    return rejectsMissingSession(context, t.left) || rejectsMissingSession(context, t.right);
  let subject: Node | null = null;
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === "!") {
    const negated = unwrap(t.argument);
    if (negated.type === AST_NODE_TYPES.LogicalExpression && negated.operator === "&&")
      return requiresSession(context, negated.left) || requiresSession(context, negated.right);
    subject = t.argument;
  } else if (t.type === AST_NODE_TYPES.BinaryExpression && ["==", "==="].includes(t.operator) && isNullish(t.right)) subject = t.left;
  return subject !== null && requiresSession(context, subject);
}

/** Is `subject` the session, so that testing it for absence turns anonymous callers away? */
function requiresSession(context: Context | null, subject: Node): boolean {
  const path = memberPath(subject);
  if (path === null) return false;
  const segments = path.split(".");
  // `ctx.user`, and `opts.ctx.session` in a resolver or middleware that does not destructure its argument.
  const request = segments.findIndex((s) => REQUEST_OBJECTS.has(s));
  if (request === 0 || request === 1) return segments.slice(request + 1).some((s) => SESSION_SEGMENTS.has(s));
  return context !== null && isSessionValue(context, subject, 0);
}

/** A local given a session lookup's result, or a member of one: `session`, `user` for `const user = session?.user`. */
function isSessionValue(context: Context, node: Node, depth: number): boolean {
  if (depth > 3) return false;
  let n = unwrap(node);
  while (n.type === AST_NODE_TYPES.MemberExpression) n = unwrap(n.object);
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  const value = resolveValue(context, n, 1);
  return value !== n && (isSessionLookup(value) || isSessionValue(context, value, depth + 1));
}

function isNullish(node: Node): boolean {
  const n = unwrap(node);
  return (n.type === AST_NODE_TYPES.Literal && n.value === null) || (n.type === AST_NODE_TYPES.Identifier && n.name === "undefined");
}

/**
 * Is `node` (a `.use()` argument) a tRPC middleware that throws unless the request has a session:
 * inline, `t.middleware(fn)` / `middleware(fn)`, or a name bound to one here or exported by the
 * module it is imported from (`export const requireUser = middleware(async ({ ctx, next }) => {
 * if (!ctx.user) throw new TRPCError(...) ... })`)? Its first statements are read as written.
 */
export function middlewareRequiresSession(context: Context, node: Node): boolean {
  return requiresSessionIn(context, node, 0);
}

function requiresSessionIn(context: Context | null, node: Node, depth: number): boolean {
  if (depth > 4) return false;
  const n = unwrap(node);
  if (isFunction(n)) return throwsWithoutSession(context, n);
  if (n.type === AST_NODE_TYPES.CallExpression) return n.arguments.some((a) => isFunction(unwrap(a)) && requiresSessionIn(context, a, depth + 1));
  if (n.type !== AST_NODE_TYPES.Identifier || context === null) return false;
  const binding = resolveBinding(context, n);
  if (binding?.kind === "local" && binding.value) return requiresSessionIn(context, binding.value, depth + 1);
  if (binding?.kind !== "import") return false;
  const exported = findExportedValue(context.physicalFilename, binding.source, binding.imported);
  return exported !== null && requiresSessionIn(null, exported.node as Node, depth + 1);
}

function throwsWithoutSession(context: Context | null, fn: FunctionNode): boolean {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  for (const statement of fn.body.body.slice(0, 4)) {
    if (statement.type === AST_NODE_TYPES.IfStatement) return throws(statement.consequent) && rejectsMissingSession(context, statement.test);
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  }
  return false;
}
