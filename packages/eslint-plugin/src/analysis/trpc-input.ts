import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { findExportedValue } from "@archlint/core";
import { memberPath, propertyName, unwrap, walk, type Context, type Node } from "./ast.js";
import { localFunction, type Procedure } from "./trpc.js";
import { typeInfo, typeOf } from "./types.js";

/**
 * What a procedure gets as `input` beyond its own chain, and where it reads input around
 * `.input()` validation.
 */

type FunctionNode = NonNullable<ReturnType<typeof localFunction>>;

/**
 * Does the procedure inherit an `.input()` from a builder defined elsewhere?
 * - "none": no builder on the way adds one;
 * - "some": one does;
 * - "unknown": we cannot tell (then rules stay silent).
 * With type information the resolver's own `input` type answers it for any builder in any file
 * (tRPC types it `undefined` when no `.input()` was given); without, builders imported from the
 * project are read as text through @archlint/core.
 */
export function inheritedInputState(context: Context, procedure: Procedure, resolver: FunctionNode | null): "none" | "some" | "unknown" {
  const typed = inputTypeState(context, resolver);
  if (typed !== "unknown") return typed;
  if (procedure.builder.opaque.length === 0) return "none";
  let state: "none" | "some" | "unknown" = "none";
  for (const opaque of procedure.builder.opaque) {
    if (!opaque.source) return "unknown";
    const s = importedBuilderInput(context.physicalFilename, opaque.source, opaque.name, 0);
    if (s === "some") return "some";
    if (s === "unknown") state = "unknown";
  }
  return state;
}

function inputTypeState(context: Context, resolver: FunctionNode | null): "none" | "some" | "unknown" {
  const info = typeInfo(context);
  const param = resolver?.params[0];
  if (!info || !param) return "unknown";
  const type = typeOf(info, param);
  if (!type) return "unknown";
  try {
    const prop = info.checker.getApparentType(type).getProperty("input");
    if (!prop) return "unknown";
    const propType = info.checker.getTypeOfSymbol(prop);
    const flags = propType.flags;
    if (flags & (1 | 2)) return "unknown"; // any / unknown: an untyped builder
    if (flags & (32768 | 16384)) return "none"; // undefined / void
    return "some";
  } catch {
    return "unknown";
  }
}

const BASE_BUILDER = /^\s*(?:[A-Za-z_$][\w$]*\.)?procedure\b/;

function importedBuilderInput(fromFile: string, source: string, name: string, depth: number): "none" | "some" | "unknown" {
  if (depth > 4) return "unknown";
  const value = findExportedValue(fromFile, source, name);
  if (!value) return "unknown";
  if (/\.input\s*\(/.test(value.text)) return "some";
  if (BASE_BUILDER.test(value.text)) return "none";
  const base = /^\s*([A-Za-z_$][\w$]*)/.exec(value.text)?.[1];
  if (!base) return "unknown";
  const baseSource = value.imports.get(base);
  if (baseSource) return importedBuilderInput(value.file, baseSource, base, depth + 1);
  // Defined in the same module as `name`.
  return importedBuilderInput(value.file, `./${value.file.split(/[\\/]/).pop()}`, base, depth + 1);
}

export interface RawRead {
  node: Node;
  what: string;
}

/** `getRawInput()`, `rawInput`, `ctx.req.body` in the resolver or the chain's middleware. */
export function rawInputReads(context: Context, procedure: Procedure, resolver: FunctionNode | null): RawRead[] {
  const fns: FunctionNode[] = [];
  if (resolver) fns.push(resolver);
  for (const mw of procedure.links.filter((l) => l.name === "use")) {
    const fn = localFunction(context, (mw.args[0] as Node | undefined) ?? null);
    if (fn) fns.push(fn);
  }
  const out: RawRead[] = [];
  for (const fn of fns) walk(fn.body, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(node.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : null;
      if (name === "getRawInput") out.push({ node, what: "getRawInput()" });
    } else if (node.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(node);
      if (name === "rawInput") out.push({ node, what: "rawInput" });
      else if (name === "body" && /^ctx\.req$/.test(memberPath(node.object) ?? "")) out.push({ node, what: "ctx.req.body" });
    } else if (node.type === AST_NODE_TYPES.Property && node.parent?.type === AST_NODE_TYPES.ObjectPattern) {
      if (node.key.type === AST_NODE_TYPES.Identifier && node.key.name === "rawInput") out.push({ node, what: "rawInput" });
    }
  });
  // Destructured in the resolver's parameter: `({ rawInput }) =>`
  const first = resolver?.params[0];
  if (first?.type === AST_NODE_TYPES.ObjectPattern) {
    for (const p of first.properties) {
      if (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && (p.key.name === "rawInput" || p.key.name === "getRawInput")) {
        out.push({ node: p, what: p.key.name });
      }
    }
  }
  return out;
}
