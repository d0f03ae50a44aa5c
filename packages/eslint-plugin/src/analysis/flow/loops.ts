import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import {
  calleeName,
  findVariable,
  isFunction,
  memberPath,
  propertyName,
  resolveBinding,
  resolveValue,
  unwrap,
  walk,
  type Context,
  type Node,
} from "../syntax/ast.js";
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
  /**
   * Names the loop binds per item (`for (const post of posts)`, `posts.map((post) => ...)`), and
   * the group a loop over a grouping binds (`for (const [url, ids] of Object.entries(idsByUrl))`,
   * a `Map`'s entries).
   */
  itemNames: string[];
  /** The loop runs inside a database transaction: it builds the batch of `$transaction([...])`, or is in an interactive transaction's callback. */
  inTransaction: boolean;
  /** The node's value is `return`ed from a statement loop's body: it runs once, when the loop ends. */
  exitsLoop: boolean;
  /**
   * Names that hold one batch per iteration, a batch when a query takes it (or a list built from
   * it) whole: what the body of a loop that runs until a condition (`while`, `do`, `for (;;)`)
   * declares (a page read per iteration) and what the body of a loop over chunks declares (a list
   * built from the chunk).
   */
  pageNames: string[];
  /**
   * Why the loop runs a bounded number of times rather than once per item of a collection ("a retry
   * loop", "a polling loop", "a drain loop", "a fixed list"), or null.
   */
  bounded: string | null;
  /**
   * The node runs on a path that handles a failure or leaves the loop: a `catch` clause, or a block
   * that ends in `throw`, `return` or `break`. It runs at most once, or once per failure.
   */
  exceptional: boolean;
}

const ITERATION_METHODS = new Set([
  "map",
  "flatMap",
  "forEach",
  "reduce",
  "reduceRight",
  "filter",
  "some",
  "every",
  "find",
  "findIndex",
  "findLast",
  "findLastIndex",
]);

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

/** Names declared anywhere in the loop's body, outside functions defined there. */
function namesDeclaredIn(body: Node): string[] {
  const names: string[] = [];
  walk(body, (n) => {
    if (n !== body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.VariableDeclarator) collectBindingNames(n.id, names);
    return undefined;
  });
  return names;
}

const CHUNKING = /chunk|batch|partition|split|page/i;

/** A list of chunks: `chunk(rows, 500)`, `_.chunk(...)`, `batches`, or a local `const` holding one. */
export function isChunkList(context: Context, source: Node): boolean {
  const value = resolveValue(context, source);
  if (value.type === AST_NODE_TYPES.Identifier) return CHUNKING.test(value.name);
  const name =
    value.type === AST_NODE_TYPES.CallExpression
      ? unwrap(value.callee).type === AST_NODE_TYPES.MemberExpression
        ? calleeName(value)
        : memberPath(value.callee)
      : null;
  return name !== null && CHUNKING.test(name);
}

/**
 * The group names a loop over a grouping binds: the value of `[key, group]` over
 * `Object.entries(byKey)`, `byKey.entries()` or a local `new Map()`. Grouping rows by the value
 * they get makes one statement per distinct value, the batched form of a per-row update.
 */
function groupNames(context: Context, item: Node, source: Node): string[] {
  const pattern = item.type === AST_NODE_TYPES.VariableDeclaration ? item.declarations[0]?.id : item;
  const group = pattern?.type === AST_NODE_TYPES.ArrayPattern && pattern.elements.length === 2 ? pattern.elements[1] : null;
  if (group?.type !== AST_NODE_TYPES.Identifier) return [];
  const value = resolveValue(context, source);
  if (value.type === AST_NODE_TYPES.NewExpression) return memberPath(value.callee) === "Map" ? [group.name] : [];
  if (value.type !== AST_NODE_TYPES.CallExpression) return [];
  const callee = unwrap(value.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== "entries") return [];
  return memberPath(callee.object) === "Object" || value.arguments.length === 0 ? [group.name] : [];
}

function collectBindingNames(pattern: Node, out: string[]): void {
  if (pattern.type === AST_NODE_TYPES.Identifier) out.push(pattern.name);
  else if (pattern.type === AST_NODE_TYPES.ObjectPattern) {
    for (const p of pattern.properties) collectBindingNames(p.type === AST_NODE_TYPES.Property ? p.value : p.argument, out);
  } else if (pattern.type === AST_NODE_TYPES.ArrayPattern) {
    for (const e of pattern.elements) if (e) collectBindingNames(e, out);
  } else if (pattern.type === AST_NODE_TYPES.AssignmentPattern) collectBindingNames(pattern.left, out);
  else if (pattern.type === AST_NODE_TYPES.RestElement) collectBindingNames(pattern.argument, out);
}

/**
 * How the block ends its run: `throw` leaves any loop; `return` and `break` leave a statement loop
 * (in an array callback, `return` only ends that item's call: the next item runs it again).
 */
function blockExit(block: TSESTree.BlockStatement): "throw" | "return" | null {
  const last = block.body.at(-1);
  if (last?.type === AST_NODE_TYPES.ThrowStatement) return "throw";
  // `logger.error(...); await markFailed(item); continue;`: the item's failure path, skipped like a throw.
  if (last?.type === AST_NODE_TYPES.ContinueStatement && block.body.some(logsError)) return "throw";
  return last?.type === AST_NODE_TYPES.ReturnStatement || last?.type === AST_NODE_TYPES.BreakStatement ? "return" : null;
}

/** `logger.error(...)`, `console.error(...)`, `log.error(...)` as a statement of the block. */
function logsError(statement: Node): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const call = unwrap(statement.expression);
  return call.type === AST_NODE_TYPES.CallExpression && calleeName(call) === "error" && unwrap(call.callee).type === AST_NODE_TYPES.MemberExpression;
}

const WAITS = /^(?:sleep|delay|wait|waitFor|setTimeout|backoff|pause|retryDelay)$/i;

/** Does the loop's own body (not functions defined in it) wait: `await sleep(ms)`, `await new Promise((r) => setTimeout(r, ms))`? */
function waitsInBody(body: Node): boolean {
  let waits = false;
  walk(body, (n) => {
    if (waits || (n !== body && isFunction(n) && !(n.parent?.type === AST_NODE_TYPES.NewExpression))) return false;
    if (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression) {
      const callee = unwrap(n.callee);
      const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : null;
      if (name !== null && WAITS.test(name)) waits = true;
    }
    return undefined;
  });
  return waits;
}

/** Does the body leave the loop on some path (`return`, `break` out of this loop)? */
function leavesLoop(body: Node): boolean {
  let leaves = false;
  walk(body, (n) => {
    if (leaves || (n !== body && isFunction(n))) return false;
    // A `break` inside a nested loop or switch leaves that one, not this loop.
    if (n !== body && (isLoop(n) || n.type === AST_NODE_TYPES.SwitchStatement)) {
      walk(n, (m) => {
        if (m !== n && isFunction(m)) return false;
        if (m.type === AST_NODE_TYPES.ReturnStatement) leaves = true;
        return undefined;
      });
      return false;
    }
    if (n.type === AST_NODE_TYPES.ReturnStatement || (n.type === AST_NODE_TYPES.BreakStatement && n.label === null)) leaves = true;
    return undefined;
  });
  return leaves;
}

function isLoop(n: Node): boolean {
  return (
    n.type === AST_NODE_TYPES.ForStatement ||
    n.type === AST_NODE_TYPES.ForOfStatement ||
    n.type === AST_NODE_TYPES.ForInStatement ||
    n.type === AST_NODE_TYPES.WhileStatement ||
    n.type === AST_NODE_TYPES.DoWhileStatement
  );
}

/** An attempt limit in a loop's condition: `attempt < 5`, `tries <= MAX_RETRIES`, `n < 3 && !done`. */
function comparesCounterWithConstant(context: Context, test: Node | null): boolean {
  if (!test) return false;
  // A number literal, a SCREAMING_CASE name, or a local `const` holding a number (`const maxRetries = 3`).
  const isConstant = (s: Node): boolean =>
    (s.type === AST_NODE_TYPES.Literal && typeof s.value === "number") ||
    (s.type === AST_NODE_TYPES.Identifier && (/^[A-Z][A-Z0-9_]*$/.test(s.name) || isNumberConst(context, s)));
  let found = false;
  walk(test, (n) => {
    if (found || n.type !== AST_NODE_TYPES.BinaryExpression || !["<", "<=", ">", ">="].includes(n.operator)) return undefined;
    const sides = [unwrap(n.left), unwrap(n.right)];
    const [a, b] = sides as [Node, Node];
    if ((isConstant(a) && b.type === AST_NODE_TYPES.Identifier && !isConstant(b)) || (isConstant(b) && a.type === AST_NODE_TYPES.Identifier && !isConstant(a)))
      found = true;
    return undefined;
  });
  return found;
}

function isNumberConst(context: Context, id: TSESTree.Identifier): boolean {
  const binding = resolveBinding(context, id);
  if (binding?.kind !== "local" || !binding.value) return false;
  const declaration = binding.definition.parent;
  const value = unwrap(binding.value);
  return (
    declaration?.type === AST_NODE_TYPES.VariableDeclaration &&
    declaration.kind === "const" &&
    value.type === AST_NODE_TYPES.Literal &&
    typeof value.value === "number"
  );
}

/**
 * Does the loop body leave the loop on a test of the query's result (`if (count < LIMIT) break`,
 * `if (rows.length === 0) break`), as a statement of its own block?
 */
function leavesOnResult(body: Node, names: string[]): boolean {
  if (names.length === 0 || body.type !== AST_NODE_TYPES.BlockStatement) return false;
  return body.body.some((statement) => {
    if (statement.type !== AST_NODE_TYPES.IfStatement || !mentions(statement.test, names)) return false;
    const exit = statement.consequent.type === AST_NODE_TYPES.BlockStatement ? statement.consequent.body.at(-1) : statement.consequent;
    return exit?.type === AST_NODE_TYPES.BreakStatement || exit?.type === AST_NODE_TYPES.ReturnStatement;
  });
}

/** Does the query take a row limit of its own (`take`, Prisma 6's `limit` on updateMany / deleteMany)? */
function takesLimit(node: Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const options = node.arguments[0] ? unwrap(node.arguments[0]) : null;
  return (
    options?.type === AST_NODE_TYPES.ObjectExpression &&
    options.properties.some(
      (p) => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && ["take", "limit"].includes(p.key.name),
    )
  );
}

/** The names a statement around `node` gives its result: `const n = await q`, `({ count } = await q)`, `n = await q`. */
function resultNames(node: Node): string[] {
  const names: string[] = [];
  for (let p = node.parent; p && !isFunction(p); p = p.parent) {
    if (p.type === AST_NODE_TYPES.VariableDeclarator) {
      collectBindingNames(p.id, names);
      break;
    }
    if (p.type === AST_NODE_TYPES.AssignmentExpression) {
      collectBindingNames(p.left, names);
      break;
    }
    if (p.type.endsWith("Statement")) break;
  }
  return names;
}

function mentions(test: Node | null, names: string[]): boolean {
  if (!test || names.length === 0) return false;
  let found = false;
  walk(test, (n) => {
    if (n.type === AST_NODE_TYPES.Identifier && names.includes(n.name)) found = true;
    return !found;
  });
  return found;
}

/** A `for...of` over a literal list (`["a", "b"]`, a local `const` array of literals, an enum's values). */
function fixedList(context: Context, right: Node): boolean {
  const value = resolveValue(context, right);
  if (value.type === AST_NODE_TYPES.ArrayExpression) {
    // `[...new Set([plan, DEFAULT])]`: the distinct values of a fixed list.
    const only = value.elements.length === 1 ? value.elements[0] : null;
    if (only?.type === AST_NODE_TYPES.SpreadElement) {
      const set = unwrap(only.argument);
      return (
        set.type === AST_NODE_TYPES.NewExpression && memberPath(set.callee) === "Set" && set.arguments[0] !== undefined && fixedList(context, set.arguments[0])
      );
    }
    // Elements written out in the list (`["a", "b"]`, `[plan, DEFAULT]`, `[{ field: "logo", ... }, ...]`): as many items as the code has.
    return value.elements.length > 0 && value.elements.every((e) => e !== null && e.type !== AST_NODE_TYPES.SpreadElement) && !grown(context, right);
  }
  if (value.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(value.callee);
    // A part of a fixed list is a fixed list.
    if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "filter") return fixedList(context, callee.object);
  }
  if (value.type === AST_NODE_TYPES.CallExpression && value.arguments.length === 1) {
    const callee = unwrap(value.callee);
    if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      memberPath(callee.object) === "Object" &&
      ["values", "keys", "entries"].includes(propertyName(callee) ?? "")
    ) {
      return isEnumLike(context, unwrap(value.arguments[0]!));
    }
  }
  return false;
}

/** Is the array a name holds grown somewhere (`rows.push(...)`, `unshift`, `splice`)? Then its literal is only its start. */
function grown(context: Context, node: Node): boolean {
  const id = unwrap(node);
  if (id.type !== AST_NODE_TYPES.Identifier) return false;
  return (findVariable(context, id)?.references ?? []).some((r) => {
    const member = r.identifier.parent;
    return (
      member?.type === AST_NODE_TYPES.MemberExpression &&
      member.object === r.identifier &&
      ["push", "unshift", "splice"].includes(propertyName(member) ?? "") &&
      member.parent?.type === AST_NODE_TYPES.CallExpression
    );
  });
}

/** A local `const` object of literals, a TypeScript enum, or an enum Prisma generates (`Role` from `@prisma/client`). */
function isEnumLike(context: Context, node: Node): boolean {
  if (node.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, node);
  if (binding?.kind === "import") return /^[A-Z]/.test(node.name) && /(?:^@prisma\/client|prisma\/client|generated|enums?)(?:\/|$)/.test(binding.source);
  if (binding?.kind === "local")
    return binding.value?.type === AST_NODE_TYPES.ObjectExpression || unwrap(binding.definition).type === AST_NODE_TYPES.TSEnumDeclaration;
  return context.sourceCode.getScope(node).references.some((r) => r.identifier === node && r.resolved?.defs[0]?.type === "TSEnumName");
}

/** Why a loop statement runs a bounded number of times, for `node` in its body, or null. */
function boundedBy(context: Context, loop: Node, node: Node): string | null {
  switch (loop.type) {
    case AST_NODE_TYPES.ForOfStatement:
      return fixedList(context, loop.right) ? "a fixed list" : null;
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement: {
      if (waitsInBody(loop.body)) return "a polling loop";
      if (comparesCounterWithConstant(context, loop.test) && leavesLoop(loop.body)) return "a retry loop";
      if (mentions(loop.test, resultNames(node))) return "a drain loop";
      // Batches of a limited write or read until one comes back short: rows / limit statements.
      if (takesLimit(node) && leavesOnResult(loop.body, resultNames(node))) return "a drain loop";
      return null;
    }
    default:
      return null;
  }
}

/** The loop `node` runs once per iteration of, or null. */
export function enclosingLoop(context: Context, node: Node): EnclosingLoop | null {
  let exitsLoop = false;
  // On a failure path (a catch clause, a block ending in `throw`) / in a block ending in `return` or `break`.
  let failing = false;
  let returning = false;
  let child: Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case AST_NODE_TYPES.ReturnStatement:
        if (current.argument && unwrapAwait(current.argument) === node) exitsLoop = true;
        break;
      case AST_NODE_TYPES.CatchClause:
        failing = true;
        break;
      case AST_NODE_TYPES.BlockStatement: {
        // A function's own body ends in `return` as a matter of course; that says nothing about the loop.
        const exit = current.parent && isFunction(current.parent) ? null : blockExit(current);
        if (exit === "throw") failing = true;
        else if (exit === "return") returning = true;
        break;
      }
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        if (current.body !== child) break;
        return {
          label: statementLabel(context, current),
          conditional:
            current.type === AST_NODE_TYPES.ForStatement || current.type === AST_NODE_TYPES.WhileStatement || current.type === AST_NODE_TYPES.DoWhileStatement,
          itemNames:
            current.type === AST_NODE_TYPES.ForOfStatement
              ? [...declaredNames(current.left), ...groupNames(context, current.left, current.right)]
              : current.type === AST_NODE_TYPES.ForInStatement
                ? declaredNames(current.left)
                : [],
          inTransaction: loopInTransaction(context, current),
          exitsLoop,
          pageNames:
            current.type === AST_NODE_TYPES.ForInStatement
              ? []
              : current.type === AST_NODE_TYPES.ForOfStatement
                ? isChunkList(context, current.right)
                  ? namesDeclaredIn(current.body)
                  : []
                : namesDeclaredIn(current.body),
          bounded: boundedBy(context, current, node),
          exceptional: failing || returning,
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
            itemNames:
              method === "reduce" || method === "reduceRight"
                ? []
                : first?.type === AST_NODE_TYPES.Identifier
                  ? [first.name]
                  : first
                    ? groupNames(context, first, (unwrap(call.callee) as TSESTree.MemberExpression).object)
                    : [],
            inTransaction: loopInTransaction(context, call),
            exitsLoop: false,
            pageNames: [],
            bounded: fixedList(context, (unwrap(call.callee) as TSESTree.MemberExpression).object) ? "a fixed list" : null,
            exceptional: failing,
          };
        }
        if (!runsInPlace(current)) return null;
        exitsLoop = false;
        failing = false;
        returning = false;
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
