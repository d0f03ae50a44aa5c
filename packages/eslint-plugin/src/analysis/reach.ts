import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import type * as ts from "typescript";
import { archlintSettings, endsWithName, isFunction, memberPath, propertyName, resolveBinding, unwrap, walk, type Context, type Node } from "./ast.js";
import { DEFAULT_CACHE_CLIENTS, DEFAULT_CACHE_WRAPPERS, hasCacheAsideBefore, isCacheWrapperCall } from "./cache.js";
import { DEFAULT_DB_CLIENTS, getDbCall, PRISMA_READS } from "./db.js";
import { declarationOf, typeInfo, typescriptModule, type TypeInfo } from "./types.js";

/**
 * The database reads a handler reaches: in its own body, and in the functions and methods it
 * calls, followed in this file and, with type information, into other files through the type
 * checker's declarations (`ctx.userService.getById` -> `UserService.getById` ->
 * `prisma.user.findUnique`), to a bounded depth, never through the same function twice, and not
 * into callbacks handed to a cache wrapper nor past a cache-aside check.
 */

export interface ReachedRead {
  /** The model (`Post`) or table read, when known. */
  model: string | null;
  /** `prisma.post.findUnique` */
  read: string;
  /** Function names from the handler to the read: `PostService.findById`. */
  path: string[];
  /** Where to report in this file: the read itself, or the handler's call that leads to it. */
  reportNode: Node;
}

type FnNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The function a callee refers to in this file: local function/const, `obj.method` of a local object or class, `this.method`. */
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
  const obj = unwrap(c.object);
  let container: Node | null = null;
  if (obj.type === AST_NODE_TYPES.ThisExpression) {
    for (let p: Node | undefined = c.parent; p; p = p.parent) {
      if (p.type === AST_NODE_TYPES.ClassBody) {
        container = p;
        break;
      }
    }
  } else if (obj.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, obj);
    if (binding?.kind === "local" && binding.value) container = unwrap(binding.value);
  }
  if (!container) return null;
  const label = `${obj.type === AST_NODE_TYPES.Identifier ? obj.name : "this"}.${method}`;
  if (container.type === AST_NODE_TYPES.ClassDeclaration || container.type === AST_NODE_TYPES.ClassExpression) container = container.body;
  if (container.type === AST_NODE_TYPES.ClassBody) {
    for (const m of container.body) {
      if ((m.type === AST_NODE_TYPES.MethodDefinition || m.type === AST_NODE_TYPES.PropertyDefinition) && !m.computed && m.key.type === AST_NODE_TYPES.Identifier && m.key.name === method) {
        const v = m.value ? unwrap(m.value) : null;
        if (v && isFunction(v)) return { fn: v, name: label };
      }
    }
  }
  if (container.type === AST_NODE_TYPES.ObjectExpression) {
    for (const p of container.properties) {
      if (p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === method) {
        const v = unwrap(p.value);
        if (isFunction(v)) return { fn: v, name: label };
      }
    }
  }
  return null;
}

/** With type information: the reads reached from a handler defined in another file (`.query(getPostHandler)`). */
export function findReachedReadsFrom(context: Context, handlerRef: Node, maxDepth: number): ReachedRead[] {
  const info = typeInfo(context);
  if (!info) return [];
  const decl = declarationOf(info, handlerRef);
  if (!decl) return [];
  const name = memberPath(handlerRef) ?? context.sourceCode.getText(handlerRef);
  return tsReads(context, info, decl, 1, maxDepth, new Set<object>([decl])).map((r) => ({ ...r, path: [name, ...r.path], reportNode: handlerRef }));
}

export function findReachedReads(context: Context, handler: FnNode, maxDepth: number): ReachedRead[] {
  const out: ReachedRead[] = [];
  const seen = new Set<object>([handler]);
  const info = typeInfo(context);
  const visitFn = (fn: FnNode, path: string[], reportAt: Node | null, depth: number): void => {
    walk(fn.body, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      // A callback handed to a cache wrapper: its result is what gets cached.
      if (isCacheWrapperCall(context, n)) return false;
      const db = getDbCall(context, n);
      if (db) {
        if (db.kind === "read" && !hasCacheAsideBefore(context, n)) {
          const read = db.library === "prisma" ? `${db.client}.${db.model ?? ""}.${db.operation}`.replace("..", ".") : `${db.client}.${db.operation}(${db.model ?? ""})`;
          out.push({ model: db.model ? capitalise(db.model) : null, read, path, reportNode: reportAt ?? n });
        }
        return;
      }
      if (depth >= maxDepth) return;
      const local = localCallee(context, n.callee);
      if (local) {
        if (seen.has(local.fn)) return;
        seen.add(local.fn);
        visitFn(local.fn, [...path, local.name], reportAt ?? n, depth + 1);
        return;
      }
      if (info) {
        const decl = declarationOf(info, n.callee);
        if (!decl || seen.has(decl)) return;
        seen.add(decl);
        const name = memberPath(n.callee) ?? context.sourceCode.getText(n.callee);
        for (const r of tsReads(context, info, decl, depth + 1, maxDepth, seen)) {
          out.push({ ...r, path: [...path, name, ...r.path], reportNode: reportAt ?? n });
        }
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

function tsReads(
  context: Context,
  info: TypeInfo,
  decl: ts.Node,
  depth: number,
  maxDepth: number,
  seen: Set<object>,
): Array<Omit<ReachedRead, "reportNode">> {
  const t = typescriptModule();
  if (!t) return [];
  const body = tsFunctionBody(t, decl);
  if (!body) return [];
  const settings = archlintSettings(context);
  const clients = settings.dbClients ?? DEFAULT_DB_CLIENTS;
  const wrappers = settings.cacheWrappers ?? DEFAULT_CACHE_WRAPPERS;
  const cacheClients = settings.cacheClients ?? DEFAULT_CACHE_CLIENTS;
  const out: Array<Omit<ReachedRead, "reportNode">> = [];
  let cacheChecked = false;
  const visit = (node: ts.Node): void => {
    if (t.isCallExpression(node) && t.isPropertyAccessExpression(node.expression)) {
      const callee = node.expression;
      const calleeText = callee.getText();
      if (endsWithName(calleeText, wrappers)) return;
      const op = callee.name.text;
      if (["get", "mget", "hget", "hgetall"].includes(op) && endsWithName(callee.expression.getText(), cacheClients)) cacheChecked = true;
      if (PRISMA_READS.has(op) && t.isPropertyAccessExpression(callee.expression)) {
        const clientText = callee.expression.expression.getText();
        if (endsWithName(clientText, clients) || hasPrismaShape(info, callee.expression.expression)) {
          if (!cacheChecked) out.push({ model: capitalise(callee.expression.name.text), read: `${clientText}.${callee.expression.name.text}.${op}`, path: [] });
          return;
        }
      }
    }
    if (t.isCallExpression(node) && depth < maxDepth) {
      let next: ts.Declaration | null = null;
      try {
        const symbol = info.checker.getSymbolAtLocation(t.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression);
        const target = symbol && symbol.flags & t.SymbolFlags.Alias ? info.checker.getAliasedSymbol(symbol) : symbol;
        next = target?.valueDeclaration ?? target?.declarations?.[0] ?? null;
      } catch {
        next = null;
      }
      if (next && !seen.has(next)) {
        seen.add(next);
        const name = node.expression.getText();
        for (const r of tsReads(context, info, next, depth + 1, maxDepth, seen)) out.push({ ...r, path: [name, ...r.path] });
      }
    }
    node.forEachChild(visit);
  };
  visit(body);
  return out;
}

function hasPrismaShape(info: TypeInfo, node: ts.Node): boolean {
  try {
    const type = info.checker.getApparentType(info.checker.getTypeAtLocation(node));
    return type.getProperty("$transaction") !== undefined && type.getProperty("$queryRaw") !== undefined;
  } catch {
    return false;
  }
}

