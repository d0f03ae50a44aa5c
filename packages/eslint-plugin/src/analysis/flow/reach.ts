import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import type * as ts from "typescript";
import type { FunctionNode } from "../syntax/functions.js";
import { isFunction, memberPath, propertyName, resolveBinding, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import { hasAccelerateCache, isBehindCacheCheck, isCacheWrapperCall, originOf } from "../libraries/cache.js";
import { getDbCall, getDbTemplateCall, type DbCall } from "../libraries/db.js";
import { estreeFunctionOf } from "../syntax/foreign.js";
import { declarationOf, signatureDeclarationOf, typeInfo, typescriptModule, type TypeInfo } from "../syntax/types.js";

/**
 * The database reads a handler reaches: in its own body, and in the functions and methods it
 * calls, followed in this file and, with type information, into other files through the type
 * checker's declarations (`ctx.userService.getById` -> `UserService.getById` ->
 * `prisma.user.findUnique`, read there as ESTree by the same walk), to a bounded depth, never
 * through the same function twice, and not
 * into callbacks handed to a cache wrapper nor past a cache-aside check. The handler's own body is
 * depth 0 wherever it is written (inline, or imported from a handler file). The same walk collects
 * the writes a function makes (`findReachedWrites`), without the cache exemptions.
 */

export interface ReachedRead {
  /** The model (`Post`) or table (`posts`) read, when known. */
  model: string | null;
  /** `prisma.post.findUnique` */
  read: string;
  /** Function names from the handler to the read: `PostService.findById`. */
  path: string[];
  /** Where to report in this file: the read itself, or the handler's call that leads to it. */
  reportNode: Node;
  /** The read call (or raw template) itself, in the file of `context`, which may be another file's tree. */
  call: Node;
  /** The recognised call, to read its arguments; null for a raw template. */
  db: DbCall | null;
  /** The lint context of the file the read is written in. */
  context: Context;
}

type FnNode = FunctionNode;

/** A call a walk looks for besides database calls (an invalidation, say); `key` names the question in the memo. */
export interface CallQuestion {
  key: string;
  matches(context: Context, call: TSESTree.CallExpression): boolean;
}

/** What the walk collects: reads (with the cache exemptions), writes, or the calls a question matches. */
type Want = "read" | "write" | CallQuestion;
type Read = Omit<ReachedRead, "reportNode">;

/** How a message names a read and its model: `prisma.post.findUnique` / `Post`, `db.selectFrom(posts)` / `posts`. */
function describeRead(
  context: Context,
  call: Node,
  db: { library: "prisma" | "kysely"; client: string; model: string | null; operation: string },
  recognised: DbCall | null,
): Read {
  const where = { path: [], call, db: recognised, context };
  if (db.library === "kysely") return { model: db.model, read: `${db.client}.${db.operation}(${db.model ?? ""})`, ...where };
  const model = db.model ? db.model.charAt(0).toUpperCase() + db.model.slice(1) : null;
  return { model, read: db.model ? `${db.client}.${db.model}.${db.operation}` : `${db.client}.${db.operation}`, ...where };
}

/** The top-level class of this file named `name` (`export class PostRepository`), for a member typed by that name. */
function localClassNamed(context: Context, name: string): TSESTree.ClassDeclaration | null {
  for (const statement of context.sourceCode.ast.body) {
    const decl =
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration
        ? statement.declaration
        : statement;
    if (decl?.type === AST_NODE_TYPES.ClassDeclaration && decl.id?.name === name) return decl;
  }
  return null;
}

/**
 * The class body or object literal whose members `obj.method()` calls: `this` in a class; a local
 * object or class (static members); a local instance `new PostRepository(prisma)` of a local
 * class; `this.repo` when the class's field, constructor parameter property or constructor
 * assignment says it holds one (`private repo = new PostRepository()`, `private repo: PostRepository`).
 */
function memberContainer(context: Context, object: Node, at: Node): Node | null {
  const obj = unwrap(object);
  if (obj.type === AST_NODE_TYPES.ThisExpression) {
    for (let p: Node | undefined = at.parent; p; p = p.parent) if (p.type === AST_NODE_TYPES.ClassBody) return p;
    return null;
  }
  let value: Node | null = null;
  if (obj.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, obj);
    value = binding?.kind === "local" && binding.value ? unwrap(binding.value) : null;
  } else if (obj.type === AST_NODE_TYPES.MemberExpression && unwrap(obj.object).type === AST_NODE_TYPES.ThisExpression) {
    const origin = originOf(context, obj);
    value = origin.kind === "value" ? unwrap(origin.node) : origin.kind === "type" && origin.name ? localClassNamed(context, origin.name) : null;
  }
  if (value?.type === AST_NODE_TYPES.NewExpression) {
    const callee = unwrap(value.callee);
    const cls = callee.type === AST_NODE_TYPES.Identifier ? resolveBinding(context, callee) : null;
    value = cls?.kind === "local" && cls.value ? unwrap(cls.value) : null;
    if (value && value.type !== AST_NODE_TYPES.ClassDeclaration && value.type !== AST_NODE_TYPES.ClassExpression) return null;
  }
  if (value?.type === AST_NODE_TYPES.ClassDeclaration || value?.type === AST_NODE_TYPES.ClassExpression) return value.body;
  return value?.type === AST_NODE_TYPES.ObjectExpression ? value : null;
}

/** The function a callee refers to in this file: local function/const, `obj.method` of a local object, class or instance, `this.method`, `this.repo.method`. */
export function localCallee(context: Context, callee: Node): { fn: FnNode; name: string } | null {
  const c = unwrap(callee);
  if (c.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, c);
    if (binding?.kind === "local" && binding.value) {
      const v = unwrap(binding.value);
      if (isFunction(v)) return { fn: v, name: c.name };
    }
    return null;
  }
  if (c.type !== AST_NODE_TYPES.MemberExpression) return null;
  const method = propertyName(c);
  if (method === null) return null;
  const container = memberContainer(context, c.object, c);
  if (!container) return null;
  const name = `${memberPath(c.object) ?? "this"}.${method}`;
  if (container.type === AST_NODE_TYPES.ClassBody) {
    for (const m of container.body) {
      if (
        (m.type === AST_NODE_TYPES.MethodDefinition || m.type === AST_NODE_TYPES.PropertyDefinition) &&
        !m.computed &&
        m.key.type === AST_NODE_TYPES.Identifier &&
        m.key.name === method
      ) {
        const v = m.value ? unwrap(m.value) : null;
        if (v && isFunction(v)) return { fn: v, name };
      }
    }
  }
  if (container.type === AST_NODE_TYPES.ObjectExpression) {
    for (const p of container.properties) {
      if (p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === method) {
        const v = unwrap(p.value);
        if (isFunction(v)) return { fn: v, name };
      }
    }
  }
  return null;
}

/**
 * With type information: the function a call runs in another file. Its callee's declaration, or,
 * for a callee destructured from a module (`const { handler } = await import("./x.handler")`),
 * the declaration of the callee type's one call signature.
 */
export function calledDeclaration(info: TypeInfo, t: typeof ts, callee: Node): ts.Declaration | null {
  const decl = declarationOf(info, callee);
  if (decl && t.isBindingElement(decl)) return signatureDeclarationOf(info, callee) ?? decl;
  return decl;
}

/** `JSON.parse(...)`, `Promise.all(...)`, `fetch(...)`: a callee rooted in a global has no body in the project; no need to ask the type checker. */
export function callsGlobal(context: Context, callee: Node): boolean {
  let root = unwrap(callee);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
  return root.type === AST_NODE_TYPES.Identifier && resolveBinding(context, root) === null;
}

/** With type information: the reads reached from a handler defined in another file (`.query(getPostHandler)`). */
export function findReachedReadsFrom(context: Context, handlerRef: Node, maxDepth: number, want: Want = "read"): ReachedRead[] {
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  if (!info || !t) return [];
  const decl = calledDeclaration(info, t, handlerRef);
  const target = decl ? estreeFunctionOf(context, info, t, decl) : null;
  if (!target) return [];
  const name = memberPath(handlerRef) ?? context.sourceCode.getText(handlerRef);
  return memoisedReads(target.context, target.fn, maxDepth, [], want).map((r) => ({ ...r, path: [name, ...r.path], reportNode: handlerRef }));
}

export function findReachedReads(context: Context, handler: FnNode, maxDepth: number, want: Want = "read"): ReachedRead[] {
  const out: ReachedRead[] = [];
  readsIn(context, handler, maxDepth, new Set<object>([handler]), [], (read, at) => out.push({ ...read, reportNode: at }), want);
  return out;
}

/**
 * The writes a function makes, in its body and in the functions it calls (the same walk as for
 * reads, without the cache exemptions, which are about reads): each with the node of this
 * function that leads to it.
 */
export function findReachedWrites(context: Context, fn: FnNode, maxDepth: number): ReachedRead[] {
  return findReachedReads(context, fn, maxDepth, "write");
}

/**
 * The calls `question` matches that a function makes, in its body and in the functions it calls
 * (the same walk, without the cache exemptions): `read` is the callee as written.
 */
export function findReachedCalls(context: Context, fn: FnNode, maxDepth: number, question: CallQuestion): ReachedRead[] {
  return findReachedReads(context, fn, maxDepth, question);
}

/**
 * The one walk, for a function in any file: reads in its body, and the reads of the functions it
 * calls while `budget` allows, each handed to `found` with the node of this function that leads
 * to it (the read itself, or the call). Functions found in the same file share `seen`; one found
 * through the type checker (in another file, read as ESTree) is walked once per program and
 * budget (`memoisedReads`). `stack` guards against recursion.
 */
function readsIn(
  context: Context,
  fn: FnNode,
  budget: number,
  seen: Set<object>,
  stack: readonly object[],
  found: (read: Read, at: Node) => void,
  want: Want,
): void {
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  // Caches matter to reads only: a write behind a cache check still writes.
  const cached = (n: Node): boolean => want === "read" && isBehindCacheCheck(context, n, fn);
  walk(fn.body, (n) => {
    if (n.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      const raw = getDbTemplateCall(context, n);
      if (raw?.kind === want && !cached(n))
        found(describeRead(context, n, { library: "prisma", client: raw.client, model: null, operation: raw.operation }, null), n);
      return;
    }
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    if (typeof want === "object" && want.matches(context, n)) {
      found({ model: null, read: memberPath(n.callee) ?? context.sourceCode.getText(n.callee), path: [], call: n, db: null, context }, n);
      return;
    }
    // A callback handed to a cache wrapper: its result is what gets cached.
    if (want === "read" && isCacheWrapperCall(context, n)) return false;
    const db = getDbCall(context, n);
    if (db) {
      if (db.kind === want && !(want === "read" && db.library === "prisma" && hasAccelerateCache(context, n)) && !cached(n))
        found(describeRead(context, n, db, db), n);
      return;
    }
    if (budget <= 0) return;
    // A call behind a cache-aside check runs only on a miss, as a read there would: not followed.
    const local = localCallee(context, n.callee);
    if (local) {
      if (seen.has(local.fn) || cached(n)) return;
      seen.add(local.fn);
      readsIn(context, local.fn, budget - 1, seen, stack, (r) => found({ ...r, path: [local.name, ...r.path] }, n), want);
      return;
    }
    if (info && t && !callsGlobal(context, n.callee)) {
      const decl = calledDeclaration(info, t, n.callee);
      const target = decl ? estreeFunctionOf(context, info, t, decl) : null;
      if (!target || seen.has(target.fn) || stack.includes(target.fn) || cached(n)) return;
      seen.add(target.fn);
      const name = memberPath(n.callee) ?? context.sourceCode.getText(n.callee);
      for (const r of memoisedReads(target.context, target.fn, budget - 1, stack, want)) found({ ...r, path: [name, ...r.path] }, n);
    }
  });
}

/**
 * The reads a function reached through the type checker makes, `budget` more calls deep.
 * Memoised per program and settings: a service that a hundred handlers call is walked once per
 * budget, not per handler.
 */
const readsCache = new WeakMap<object, WeakMap<object, WeakMap<FnNode, Map<string, Read[]>>>>();

function memoisedReads(context: Context, fn: FnNode, budget: number, stack: readonly object[], want: Want): Read[] {
  const program = typeInfo(context)?.program;
  if (!program) return [];
  let bySettings = readsCache.get(program);
  if (!bySettings) readsCache.set(program, (bySettings = new WeakMap()));
  let byFn = bySettings.get(context.settings as object);
  if (!byFn) bySettings.set(context.settings as object, (byFn = new WeakMap()));
  let byBudget = byFn.get(fn);
  if (!byBudget) byFn.set(fn, (byBudget = new Map()));
  const key = `${typeof want === "object" ? want.key : want}:${budget}`;
  const cached = byBudget.get(key);
  if (cached) return cached;
  const reads: Read[] = [];
  readsIn(context, fn, budget, new Set<object>([fn]), [...stack, fn], (read) => reads.push(read), want);
  byBudget.set(key, reads);
  return reads;
}
