import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { isFunction, outermostCast, propertyName, resolveBinding, unwrap, type Context, type Node } from "./ast.js";
import { estreeFunctionOf } from "./foreign.js";
import { declarationOf, signatureDeclarationOf, typeInfo, typescriptModule } from "./types.js";

/**
 * Which members of a function's parameter the function reads: `opts.input`, `({ input }) =>`,
 * `const { input } = opts`, and the parameter handed on whole to another function
 * (`(opts) => handler(opts)`) that reads them, followed in this file and, with type information,
 * into other files. Used for "does this resolver read `input`" and "does this handler read
 * `request.body`".
 */

export interface MemberRead {
  member: string;
  /** Where it is read: a node in this file, or null when the read is in another file. */
  node: Node | null;
  /** `handler.ts` when found through another file. */
  via: string | null;
}

import type { FunctionNode } from "./functions.js";

const MAX_DEPTH = 3;

function patternReads(pattern: Node, members: ReadonlySet<string>, out: MemberRead[]): void {
  const p = pattern.type === AST_NODE_TYPES.AssignmentPattern ? pattern.left : pattern;
  if (p.type !== AST_NODE_TYPES.ObjectPattern) return;
  for (const prop of p.properties) {
    if (prop.type !== AST_NODE_TYPES.Property) continue;
    const key = prop.key.type === AST_NODE_TYPES.Identifier ? prop.key.name : prop.key.type === AST_NODE_TYPES.Literal ? String(prop.key.value) : null;
    if (key !== null && members.has(key)) out.push({ member: key, node: prop, via: null });
  }
}

/** Reads of `members` on the function's parameter number `index`. */
export function paramMemberReads(context: Context, fn: FunctionNode, index: number, members: readonly string[], depth = 0): MemberRead[] {
  const wanted = new Set(members);
  const out: MemberRead[] = [];
  const param = fn.params[index];
  if (!param) return out;
  const target = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  if (target.type === AST_NODE_TYPES.ObjectPattern || target.type === AST_NODE_TYPES.AssignmentPattern) {
    patternReads(target, wanted, out);
    return out;
  }
  if (target.type !== AST_NODE_TYPES.Identifier) return out;
  // Parameters are declared by their function: `getDeclaredVariables(<the identifier>)` is empty.
  const variables = context.sourceCode.getDeclaredVariables(fn).filter((v) => v.name === target.name);
  for (const variable of variables) {
    for (const ref of variable.references) {
      identifierUse(context, ref.identifier as TSESTree.Identifier, wanted, out, depth);
    }
  }
  return out;
}

function identifierUse(context: Context, id: TSESTree.Identifier, wanted: ReadonlySet<string>, out: MemberRead[], depth: number): void {
  // Skip casts around the identifier: `(opts as any).input`.
  const node = outermostCast(id);
  const parent = node.parent;
  if (!parent) return;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
    const name = propertyName(parent);
    if (name !== null && wanted.has(name)) out.push({ member: name, node: parent, via: null });
    return;
  }
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) {
    patternReads(parent.id, wanted, out);
    return;
  }
  if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node as TSESTree.CallExpressionArgument) && depth < MAX_DEPTH) {
    const argIndex = parent.arguments.indexOf(node as TSESTree.CallExpressionArgument);
    out.push(...calleeReads(context, parent.callee, argIndex, wanted, depth + 1));
    return;
  }
  if (parent.type === AST_NODE_TYPES.SpreadElement && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
    // `handler({ ...opts, extra })`: the members travel along.
    const obj = parent.parent;
    const call = obj.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && depth < MAX_DEPTH) {
      const argIndex = call.arguments.indexOf(obj);
      if (argIndex >= 0) out.push(...calleeReads(context, call.callee, argIndex, wanted, depth + 1));
    }
  }
}

/** Reads done by the function a call goes to, on its argument number `argIndex`. */
function calleeReads(context: Context, callee: Node, argIndex: number, wanted: ReadonlySet<string>, depth: number): MemberRead[] {
  const c = unwrap(callee);
  if (c.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, c);
    if (binding?.kind === "local" && binding.value) {
      const value = unwrap(binding.value);
      if (isFunction(value)) return paramMemberReads(context, value, argIndex, [...wanted], depth);
    }
  }
  // `(await import("./x.handler")).handler(opts)`, imported functions, and locals holding one
  // (`const handler = await importHandler(...)`): only with types.
  return crossFileReads(context, c, argIndex, wanted, depth);
}

/**
 * With type information: what the function `callee` stands for (in any file, read as ESTree)
 * reads on that parameter. Reads found in another file have no node here, only the file's name.
 */
export function crossFileReads(context: Context, callee: Node, argIndex: number, wanted: ReadonlySet<string>, depth = 0): MemberRead[] {
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  if (!info || !t) return [];
  const decl = declarationOf(info, callee);
  let target = decl ? estreeFunctionOf(context, info, t, decl) : null;
  if (!target) {
    const signature = signatureDeclarationOf(info, callee);
    target = signature ? estreeFunctionOf(context, info, t, signature) : null;
  }
  if (!target) return [];
  const file = target.context.physicalFilename.split(/[\\/]/).pop() ?? null;
  const members = new Set(paramMemberReads(target.context, target.fn, argIndex, [...wanted], depth).map((r) => r.member));
  return [...members].map((member) => ({ member, node: null, via: file }));
}
