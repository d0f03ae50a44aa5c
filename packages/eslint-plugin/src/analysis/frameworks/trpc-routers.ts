import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { resolveBinding, unwrap, type Context, type Node } from "../syntax/ast.js";
import { isRouterCall } from "./trpc.js";

/**
 * The routers a file declares (`export const postRouter = router({ ... })`) and what each of their
 * entries names that is not a procedure written in place: another router, here or imported
 * (`post: postRouter`), or merged in (`mergeRouters(a, b)`, `...otherRouter._def.procedures`
 * is not followed). `archlint map` joins these across files into full procedure paths; a
 * procedure's place inside one router is `procedurePlace` (trpc.ts).
 */

export type RouterRef = { kind: "local"; name: string } | { kind: "import"; source: string; imported: string } | { kind: "unknown"; text: string };

export interface RouterEntry {
  /** The entry's key (`post`); "" for a router merged in without a key. */
  key: string;
  ref: RouterRef;
  line: number;
}

export interface RouterDeclaration {
  /** The variable holding the router. */
  name: string;
  line: number;
  entries: RouterEntry[];
}

function refOf(context: Context, value: Node): RouterRef | null {
  const v = unwrap(value);
  if (v.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, v);
    if (binding?.kind === "import") return { kind: "import", source: binding.source, imported: binding.imported };
    if (binding?.kind === "local" && binding.value) {
      const init = unwrap(binding.value);
      // A procedure held in a const (`router({ byId })`) is placed by the adapter, not joined here.
      if (init.type === AST_NODE_TYPES.CallExpression && isRouterCall(init)) return { kind: "local", name: v.name };
      return null;
    }
    return { kind: "unknown", text: v.name };
  }
  return null;
}

/** The router calls of the file that a top-level variable holds, with the entries that name other routers. */
export function routerDeclarations(context: Context): RouterDeclaration[] {
  const out: RouterDeclaration[] = [];
  for (const statement of context.sourceCode.ast.body) {
    const decl = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (decl?.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of decl.declarations) {
      if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) continue;
      const init = unwrap(d.init);
      if (init.type !== AST_NODE_TYPES.CallExpression || !isRouterCall(init)) continue;
      out.push({ name: d.id.name, line: d.loc.start.line, entries: entriesOf(context, init) });
    }
  }
  return out;
}

/** `prefix`: the keys of the router calls written in place around this one (`shop: router({ items: itemsRouter })` -> `shop.items`). */
function entriesOf(context: Context, call: TSESTree.CallExpression, prefix = ""): RouterEntry[] {
  const entries: RouterEntry[] = [];
  for (const arg of call.arguments) {
    const a = unwrap(arg);
    if (a.type === AST_NODE_TYPES.CallExpression && isRouterCall(a)) {
      // `mergeRouters(router({ ... }), other)`: a router written in place, merged.
      entries.push(...entriesOf(context, a, prefix));
      continue;
    }
    if (a.type !== AST_NODE_TYPES.ObjectExpression) {
      // `mergeRouters(a, b)`: each argument is a router merged without a key.
      const ref = refOf(context, a);
      if (ref) entries.push({ key: prefix, ref, line: a.loc.start.line });
      continue;
    }
    for (const p of a.properties) {
      if (p.type !== AST_NODE_TYPES.Property || p.computed) continue;
      const key = p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : p.key.type === AST_NODE_TYPES.Literal ? String(p.key.value) : null;
      if (key === null) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const value = unwrap(p.value);
      if (value.type === AST_NODE_TYPES.CallExpression && isRouterCall(value)) {
        entries.push(...entriesOf(context, value, path));
        continue;
      }
      const ref = refOf(context, value);
      if (ref) entries.push({ key: path, ref, line: p.loc.start.line });
    }
  }
  return entries;
}

/** The variable holding the router call a procedure's keys lead to, when one does. */
export function routerVariable(outerRouterCall: TSESTree.CallExpression | null): string | null {
  let node: Node | undefined = outerRouterCall ?? undefined;
  while (node?.parent && (node.parent.type === AST_NODE_TYPES.TSAsExpression || node.parent.type === AST_NODE_TYPES.TSSatisfiesExpression)) node = node.parent;
  const declarator = node?.parent;
  return declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier ? declarator.id.name : null;
}
