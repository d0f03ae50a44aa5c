import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { isBuilderShaped } from "@archlint/core";
import { decomposeChain, findVariable, memberPath, propertyName, readObject, resolveValue, walk, type Context, type Node } from "../syntax/ast.js";
import { paramMemberReads } from "../syntax/param-reads.js";
import { localFunction, resolveBuilder, traceImportedBuilder, type Procedure } from "./trpc.js";
import { askChecker, typeInfo, typeOf, typescriptModule } from "../syntax/types.js";

/**
 * What a procedure gets as `input` beyond its own chain, and where it reads input around
 * `.input()` validation.
 */

import type { FunctionNode } from "../syntax/functions.js";

/**
 * Does the procedure inherit an `.input()` from a builder defined elsewhere?
 * - "none": no builder on the way adds one;
 * - "some": one does;
 * - "unknown": we cannot tell (then rules stay silent).
 * Builders imported from the project are read as text through @archlint/core; when that cannot
 * tell (a builder made by a factory, a package's builder), type information answers it from the
 * resolver's own `input` type (tRPC types it `undefined` when no `.input()` was given). The text
 * comes first because the type question makes TypeScript infer the whole resolver.
 */
export function inheritedInputState(context: Context, procedure: Procedure, resolver: FunctionNode | null): "none" | "some" | "unknown" {
  const text = textInputState(context, procedure);
  return text !== "unknown" ? text : inputTypeState(context, resolver);
}

function textInputState(context: Context, procedure: Procedure): "none" | "some" | "unknown" {
  if (procedure.builder.opaque.length === 0) return "none";
  let state: "none" | "some" | "unknown" = "none";
  for (const opaque of procedure.builder.opaque) {
    if (!opaque.source) return "unknown";
    const s = importedBuilderInput(context.physicalFilename, opaque.source, opaque.name);
    if (s === "some") return "some";
    if (s === "unknown") state = "unknown";
  }
  return state;
}

function inputTypeState(context: Context, resolver: FunctionNode | null): "none" | "some" | "unknown" {
  const info = typeInfo(context);
  const t = typescriptModule();
  const param = resolver?.params[0];
  if (!info || !t || !param) return "unknown";
  const type = typeOf(info, param);
  if (!type) return "unknown";
  return askChecker((): "none" | "some" | "unknown" => {
    const prop = info.checker.getApparentType(type).getProperty("input");
    if (!prop) return "unknown";
    const propType = info.checker.getTypeOfSymbol(prop);
    const flags = propType.flags;
    if (flags & (t.TypeFlags.Any | t.TypeFlags.Unknown)) return "unknown"; // an untyped builder
    if (flags & (t.TypeFlags.Undefined | t.TypeFlags.Void)) return "none";
    return "some";
  }, "unknown");
}

function importedBuilderInput(fromFile: string, source: string, name: string): "none" | "some" | "unknown" {
  const trace = traceImportedBuilder(fromFile, source, name);
  if (!trace) return "unknown";
  if (trace.input) return "some";
  return trace.procedure ? "none" : "unknown";
}

export interface RawRead {
  node: Node;
  what: string;
}

/** `getRawInput()`, `rawInput`, `ctx.req.body` in the resolver or the middleware of the procedure's own chain. */
export function rawInputReads(context: Context, procedure: Procedure, resolver: FunctionNode | null): RawRead[] {
  const fns: FunctionNode[] = [];
  if (resolver) fns.push(resolver);
  for (const mw of procedure.links.filter((l) => l.name === "use")) {
    const fn = localFunction(context, (mw.args[0] as Node | undefined) ?? null);
    if (fn) fns.push(fn);
  }
  return fns.flatMap((fn) => rawReadsIn(context, fn));
}

/**
 * The same reads in the middleware of a builder constant (`export const chartProcedure =
 * authedProcedure.use(async ({ getRawInput }) => ...)`): reported once, where the builder is
 * declared, whichever procedures use it and wherever they are.
 */
export function builderRawInputReads(context: Context, declarator: TSESTree.VariableDeclarator): RawRead[] {
  if (!declarator.init) return [];
  const { links } = decomposeChain(declarator.init);
  if (!links.some((l) => l.name === "use") || !isBuilderShaped(links.map((l) => l.name)) || !resolveBuilder(context, declarator.init)) return [];
  return links
    .filter((l) => l.name === "use")
    .flatMap((l) => {
      const fn = localFunction(context, (l.args[0] as Node | undefined) ?? null);
      return fn ? rawReadsIn(context, fn) : [];
    });
}

function rawReadsIn(context: Context, fn: FunctionNode): RawRead[] {
  const out: RawRead[] = [];
  // Only on the options tRPC passes: `event.rawInput` on a database row is not raw input.
  for (const read of paramMemberReads(context, fn, 0, ["rawInput", "getRawInput"])) {
    if (!read.node) continue;
    if (read.member === "rawInput") {
      out.push({ node: read.node, what: "rawInput" });
      continue;
    }
    const calls = callsOf(context, read.node);
    if (calls.length > 0) for (const call of calls) out.push({ node: call, what: "getRawInput()" });
    else out.push({ node: read.node, what: "getRawInput" });
  }
  walk(fn.body, (node) => {
    if (node.type === AST_NODE_TYPES.MemberExpression && propertyName(node) === "body" && memberPath(node.object) === "ctx.req") {
      out.push({ node, what: "ctx.req.body" });
    }
  });
  return out;
}

/** The calls of a read function: `opts.getRawInput()`, or `getRawInput()` after `({ getRawInput })`. */
function callsOf(context: Context, read: Node): Node[] {
  if (read.type === AST_NODE_TYPES.MemberExpression) {
    return read.parent?.type === AST_NODE_TYPES.CallExpression && read.parent.callee === read ? [read.parent] : [];
  }
  if (read.type !== AST_NODE_TYPES.Property) return [];
  const value = read.value.type === AST_NODE_TYPES.AssignmentPattern ? read.value.left : read.value;
  if (value.type !== AST_NODE_TYPES.Identifier) return [];
  return (findVariable(context, value)?.references ?? [])
    .map((r) => r.identifier.parent)
    .filter(
      (p): p is TSESTree.CallExpression =>
        p?.type === AST_NODE_TYPES.CallExpression && p.callee.type === AST_NODE_TYPES.Identifier && p.callee.name === value.name,
    );
}

/**
 * The schema the procedure's own `.input(z.object({ ... }))` gives the input field `key`, when this
 * file spells it out (an object literal, or a local constant holding one); null otherwise.
 */
export function inputFieldSchema(context: Context, procedure: Procedure, key: string): Node | null {
  for (const link of procedure.allLinks) {
    if (link.name !== "input" || !link.args[0]) continue;
    const { links } = decomposeChain(resolveValue(context, link.args[0]));
    const object = links[0]?.name === "object" ? links[0].args[0] : undefined;
    const shape = object ? readObject(context, object) : null;
    const field = shape?.properties.get(key);
    if (field) return resolveValue(context, field.value);
  }
  return null;
}
