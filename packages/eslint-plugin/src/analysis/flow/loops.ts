import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { calleeName, isFunction, memberPath, propertyName, resolveBinding, unwrap, type Context, type Node } from "../syntax/ast.js";
import { typeHasProperties, typeInfo } from "../syntax/types.js";

/**
 * The loop a node runs in: the body of a `for` / `for...of` / `for...in` / `while` / `do` statement,
 * or a callback handed to an array iteration method (`items.map(async (i) => ...)`), looking out
 * from the node to the nearest function boundary. A function that is merely defined in a loop is a
 * boundary (it runs whenever it is called), except the ones that run on the spot: immediately
 * invoked functions and `$transaction` / Kysely `transaction().execute` callbacks.
 */

export interface EnclosingLoop {
  /** For messages: "the `for...of` loop over `posts`", "`posts.map(...)`". */
  label: string;
  /** `while`, `do...while` and `for (;;)`: loops that run until a condition, not once per item. */
  conditional: boolean;
  /** Names the loop binds per item (`for (const post of posts)`, `posts.map((post) => ...)`). */
  itemNames: string[];
  /** The loop runs inside a database transaction: it builds the batch of `$transaction([...])`, or is in an interactive transaction's callback. */
  inTransaction: boolean;
  /** The node's value is `return`ed from a statement loop's body: it runs once, when the loop ends. */
  exitsLoop: boolean;
}

const ITERATION_METHODS = new Set(["map", "flatMap", "forEach", "reduce", "reduceRight", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex"]);

function isTransactionCall(call: Node | undefined): call is TSESTree.CallExpression {
  if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = propertyName(callee);
  if (name === "$transaction") return true;
  // Kysely: db.transaction().execute(async (trx) => ...)
  const inner = unwrap(callee.object);
  return name === "execute" && inner.type === AST_NODE_TYPES.CallExpression && calleeName(inner) === "transaction";
}

/** A function that runs where it is written: an IIFE, or a transaction callback. */
function runsInPlace(fn: Node): boolean {
  const parent = fn.parent;
  if (parent?.type !== AST_NODE_TYPES.CallExpression) return false;
  return parent.callee === fn || (parent.arguments[0] === fn && isTransactionCall(parent));
}

/** `items.map(cb)` with `fn` as `cb`, on something that iterates (not `Effect.map(fn)` / `Option.map(fn)`). */
function iterationCall(context: Context, fn: Node): TSESTree.CallExpression | null {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return null;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !ITERATION_METHODS.has(propertyName(callee) ?? "")) return null;
  const receiver = unwrap(callee.object);
  // Imported namespaces of data-last helpers (`Effect.map(f)`, `Option.map(f)`): the callback maps one value.
  if (receiver.type === AST_NODE_TYPES.Identifier && /^[A-Z]/.test(receiver.name) && resolveBinding(context, receiver)?.kind !== "local") return null;
  const info = typeInfo(context);
  if (info && typeHasProperties(info, receiver, ["length"]) === false && typeHasProperties(info, receiver, ["size"]) === false) return null;
  return call;
}

function short(context: Context, node: Node): string | null {
  const path = memberPath(node);
  if (path !== null) return path;
  const text = context.sourceCode.getText(node);
  return text.length <= 30 && !text.includes("\n") ? text : null;
}

function statementLabel(context: Context, loop: Node): string {
  switch (loop.type) {
    case AST_NODE_TYPES.ForOfStatement: {
      const over = short(context, loop.right);
      const kind = loop.await ? "for await...of" : "for...of";
      return over ? `the \`${kind}\` loop over \`${over}\`` : `a \`${kind}\` loop`;
    }
    case AST_NODE_TYPES.ForInStatement: {
      const over = short(context, loop.right);
      return over ? `the \`for...in\` loop over \`${over}\`` : "a `for...in` loop";
    }
    case AST_NODE_TYPES.WhileStatement:
      return "a `while` loop";
    case AST_NODE_TYPES.DoWhileStatement:
      return "a `do...while` loop";
    default:
      return "a `for` loop";
  }
}

function declaredNames(node: Node): string[] {
  const n = node.type === AST_NODE_TYPES.VariableDeclaration ? node.declarations[0]?.id : node;
  return n?.type === AST_NODE_TYPES.Identifier ? [n.name] : [];
}

/** Is `node` handed to `$transaction(...)`: as its argument, or spread into its array? */
function passedToTransaction(node: Node): boolean {
  let p = node.parent;
  if (p?.type === AST_NODE_TYPES.SpreadElement) p = p.parent?.parent;
  return isTransactionCall(p) && !isFunction(p.arguments[0]);
}

/**
 * Does the loop build the batch of `$transaction([...])` (`$transaction(items.map(...))`, or
 * `const ops = items.map(...); await prisma.$transaction(ops)`), or run inside an interactive
 * transaction's callback?
 */
function loopInTransaction(context: Context, loop: Node): boolean {
  if (passedToTransaction(loop)) return true;
  const declarator = loop.parent;
  if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.init === loop) {
    const batch = context.sourceCode.getDeclaredVariables(declarator)[0];
    if (batch?.references.some((r) => r.identifier !== declarator.id && passedToTransaction(r.identifier))) return true;
  }
  for (let p = loop.parent; p; p = p.parent) {
    if (isFunction(p)) return p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.arguments[0] === p && isTransactionCall(p.parent);
  }
  return false;
}

/** The loop `node` runs once per iteration of, or null. */
export function enclosingLoop(context: Context, node: Node): EnclosingLoop | null {
  let exitsLoop = false;
  let child: Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ReturnStatement:
        if (current.argument && unwrapAwait(current.argument) === node) exitsLoop = true;
        break;
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        if (current.body !== child) break;
        return {
          label: statementLabel(context, current),
          conditional: current.type === AST_NODE_TYPES.ForStatement || current.type === AST_NODE_TYPES.WhileStatement || current.type === AST_NODE_TYPES.DoWhileStatement,
          itemNames: current.type === AST_NODE_TYPES.ForOfStatement || current.type === AST_NODE_TYPES.ForInStatement ? declaredNames(current.left) : [],
          inTransaction: loopInTransaction(context, current),
          exitsLoop,
        };
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration: {
        const call = iterationCall(context, current);
        if (call) {
          const receiver = short(context, (unwrap(call.callee) as TSESTree.MemberExpression).object);
          const method = calleeName(call)!;
          const first = current.params[0];
          return {
            label: receiver ? `\`${receiver}.${method}(...)\`` : `\`.${method}(...)\``,
            conditional: false,
            itemNames: first?.type === AST_NODE_TYPES.Identifier && method !== "reduce" && method !== "reduceRight" ? [first.name] : [],
            inTransaction: loopInTransaction(context, call),
            exitsLoop: false,
          };
        }
        if (!runsInPlace(current)) return null;
        exitsLoop = false;
        break;
      }
      case AST_NODE_TYPES.ClassBody:
      case AST_NODE_TYPES.Program:
        return null;
      default:
        break;
    }
  }
  return null;
}

function unwrapAwait(node: Node): Node {
  let n = unwrap(node);
  while (n.type === AST_NODE_TYPES.AwaitExpression) n = unwrap(n.argument);
  return n;
}
