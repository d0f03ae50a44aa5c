import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import type * as ts from "typescript";
import type { FunctionNode } from "../syntax/functions.js";
import { archlintSettings, isFunction, memberPath, propertyName, resolveBinding, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import {
  DEFAULT_CACHE_CLIENTS,
  DEFAULT_CACHE_WRAPPERS,
  hasAccelerateCache,
  isBehindCacheCheck,
  isCacheWrapperCall,
  originOf,
  tsHasAccelerateCache,
  tsIsCacheWrapperCall,
  tsMissRanges,
} from "../libraries/cache.js";
import { DEFAULT_DB_CLIENTS, getDbCall, getDbTemplateCall, tsDbRead } from "../libraries/db.js";
import { declarationOf, signatureDeclarationOf, tsDeclarationOf, typeInfo, typescriptModule, type TypeInfo } from "../syntax/types.js";

/**
 * The database reads a handler reaches: in its own body, and in the functions and methods it
 * calls, followed in this file and, with type information, into other files through the type
 * checker's declarations (`ctx.userService.getById` -> `UserService.getById` ->
 * `prisma.user.findUnique`), to a bounded depth, never through the same function twice, and not
 * into callbacks handed to a cache wrapper nor past a cache-aside check. The handler's own body is
 * depth 0 wherever it is written (inline, or imported from a handler file).
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
}

type FnNode = FunctionNode;
type Read = Omit<ReachedRead, "reportNode">;

/** How a message names a read and its model: `prisma.post.findUnique` / `Post`, `db.selectFrom(posts)` / `posts`. */
function describeRead(db: { library: "prisma" | "kysely"; client: string; model: string | null; operation: string }): Read {
  if (db.library === "kysely") return { model: db.model, read: `${db.client}.${db.operation}(${db.model ?? ""})`, path: [] };
  const model = db.model ? db.model.charAt(0).toUpperCase() + db.model.slice(1) : null;
  return { model, read: db.model ? `${db.client}.${db.model}.${db.operation}` : `${db.client}.${db.operation}`, path: [] };
}

/** The top-level class of this file named `name` (`export class PostRepository`), for a member typed by that name. */
function localClassNamed(context: Context, name: string): TSESTree.ClassDeclaration | null {
  for (const statement of context.sourceCode.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
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
function localCallee(context: Context, callee: Node): { fn: FnNode; name: string } | null {
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
      if ((m.type === AST_NODE_TYPES.MethodDefinition || m.type === AST_NODE_TYPES.PropertyDefinition) && !m.computed && m.key.type === AST_NODE_TYPES.Identifier && m.key.name === method) {
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
function calledDeclaration(info: TypeInfo, t: typeof ts, callee: Node): ts.Declaration | null {
  const decl = declarationOf(info, callee);
  if (decl && t.isBindingElement(decl)) return signatureDeclarationOf(info, callee) ?? decl;
  return decl;
}

/** `JSON.parse(...)`, `Promise.all(...)`, `fetch(...)`: a callee rooted in a global has no body in the project; no need to ask the type checker. */
function callsGlobal(context: Context, callee: Node): boolean {
  let root = unwrap(callee);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
  return root.type === AST_NODE_TYPES.Identifier && resolveBinding(context, root) === null;
}

/** With type information: the reads reached from a handler defined in another file (`.query(getPostHandler)`). */
export function findReachedReadsFrom(context: Context, handlerRef: Node, maxDepth: number): ReachedRead[] {
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  if (!info || !t) return [];
  const decl = calledDeclaration(info, t, handlerRef);
  if (!decl) return [];
  const name = memberPath(handlerRef) ?? context.sourceCode.getText(handlerRef);
  return tsReads(context, info, t, decl, maxDepth, []).map((r) => ({ ...r, path: [name, ...r.path], reportNode: handlerRef }));
}

export function findReachedReads(context: Context, handler: FnNode, maxDepth: number): ReachedRead[] {
  const out: ReachedRead[] = [];
  const seen = new Set<object>([handler]);
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  const add = (read: Read, path: string[], reportAt: Node | null, at: Node): void => {
    out.push({ ...read, path: [...path, ...read.path], reportNode: reportAt ?? at });
  };
  const visitFn = (fn: FnNode, path: string[], reportAt: Node | null, depth: number): void => {
    walk(fn.body, (n) => {
      if (n.type === AST_NODE_TYPES.TaggedTemplateExpression) {
        const raw = getDbTemplateCall(context, n);
        if (raw?.kind === "read" && !isBehindCacheCheck(context, n, fn)) add(describeRead({ library: "prisma", client: raw.client, model: null, operation: raw.operation }), path, reportAt, n);
        return;
      }
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      // A callback handed to a cache wrapper: its result is what gets cached.
      if (isCacheWrapperCall(context, n)) return false;
      const db = getDbCall(context, n);
      if (db) {
        if (db.kind === "read" && !(db.library === "prisma" && hasAccelerateCache(context, n)) && !isBehindCacheCheck(context, n, fn)) add(describeRead(db), path, reportAt, n);
        return;
      }
      if (depth >= maxDepth) return;
      // A call behind a cache-aside check runs only on a miss, as a read there would: not followed.
      const local = localCallee(context, n.callee);
      if (local) {
        if (seen.has(local.fn) || isBehindCacheCheck(context, n, fn)) return;
        seen.add(local.fn);
        visitFn(local.fn, [...path, local.name], reportAt ?? n, depth + 1);
        return;
      }
      if (info && t && !callsGlobal(context, n.callee)) {
        const decl = calledDeclaration(info, t, n.callee);
        if (!decl || seen.has(decl) || isBehindCacheCheck(context, n, fn)) return;
        seen.add(decl);
        const name = memberPath(n.callee) ?? context.sourceCode.getText(n.callee);
        for (const r of tsReads(context, info, t, decl, maxDepth - depth - 1, [])) add(r, [...path, name], reportAt, n);
      }
    });
  };
  visitFn(handler, [], null, 0);
  return out;
}

// ---- The same walk on TypeScript's AST, for functions in other files (type information only). ----

function tsFunctionBody(t: typeof ts, decl: ts.Node): ts.Node | null {
  if (t.isFunctionLike(decl) && "body" in decl && decl.body) return decl.body as ts.Node;
  if ((t.isVariableDeclaration(decl) || t.isPropertyAssignment(decl) || t.isPropertyDeclaration(decl)) && decl.initializer && t.isFunctionLike(decl.initializer)) {
    const body = (decl.initializer as { body?: ts.Node }).body;
    return body ?? null;
  }
  return null;
}

/** The function a call in another file runs, as `calledDeclaration` does for calls in this one. */
function tsCalledDeclaration(info: TypeInfo, t: typeof ts, call: ts.CallExpression): ts.Declaration | null {
  const decl = tsDeclarationOf(info, t.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression);
  if (!decl || !t.isBindingElement(decl)) return decl;
  try {
    return info.checker.getResolvedSignature(call)?.declaration ?? decl;
  } catch {
    return decl;
  }
}

/**
 * The reads a function in another file reaches, `budget` more calls deep. Memoised per program
 * and settings: a service that a hundred handlers call is walked once per depth, not per handler.
 * `stack` guards against recursion.
 */
const tsReadsCache = new WeakMap<object, WeakMap<object, Map<ts.Node, Map<number, Read[]>>>>();

function tsReads(context: Context, info: TypeInfo, t: typeof ts, decl: ts.Node, budget: number, stack: ts.Node[]): Read[] {
  let bySettings = tsReadsCache.get(info.program);
  if (!bySettings) tsReadsCache.set(info.program, (bySettings = new WeakMap()));
  const settingsKey = context.settings as object;
  let byDecl = bySettings.get(settingsKey);
  if (!byDecl) bySettings.set(settingsKey, (byDecl = new Map()));
  let byBudget = byDecl.get(decl);
  if (!byBudget) byDecl.set(decl, (byBudget = new Map()));
  const cached = byBudget.get(budget);
  if (cached) return cached;
  const reads = walkTsFunction(context, info, t, decl, budget, [...stack, decl]);
  byBudget.set(budget, reads);
  return reads;
}

function walkTsFunction(context: Context, info: TypeInfo, t: typeof ts, decl: ts.Node, budget: number, stack: ts.Node[]): Read[] {
  const body = tsFunctionBody(t, decl);
  if (!body) return [];
  const settings = archlintSettings(context);
  const clients = settings.dbClients ?? DEFAULT_DB_CLIENTS;
  const wrappers = settings.cacheWrappers ?? DEFAULT_CACHE_WRAPPERS;
  const missRanges = tsMissRanges(t, info, body, settings.cacheClients ?? DEFAULT_CACHE_CLIENTS);
  const onMiss = (n: ts.Node): boolean => {
    if (missRanges.length === 0) return false;
    const start = n.getStart();
    return missRanges.some(([s, e]) => start >= s && n.end <= e);
  };
  const out: Read[] = [];
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    const isCall = t.isCallExpression(node);
    if (isCall || t.isTaggedTemplateExpression(node)) {
      // Behind a cache-aside check, or the callback of a cache wrapper: what the cache saves.
      if (onMiss(node) || (isCall && tsIsCacheWrapperCall(t, node, wrappers))) return;
      const db = tsDbRead(t, info, node, clients);
      if (db) {
        if (!(db.call && tsHasAccelerateCache(t, db.call))) out.push(describeRead(db));
        return;
      }
    }
    if (isCall && budget > 0) {
      const next = tsCalledDeclaration(info, t, node);
      if (next && !seen.has(next) && !stack.includes(next)) {
        seen.add(next);
        const name = node.expression.getText();
        for (const r of tsReads(context, info, t, next, budget - 1, stack)) out.push({ ...r, path: [name, ...r.path] });
      }
    }
    node.forEachChild(visit);
  };
  visit(body);
  return out;
}
