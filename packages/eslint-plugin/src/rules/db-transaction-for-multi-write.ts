import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { endsInReturnOrThrow, memberPath, outermostCast, propertyName, unwrap, walk, type Node } from "../analysis/syntax/ast.js";
import type { FunctionNode } from "../analysis/syntax/functions.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedWrites, type ReachedRead } from "../analysis/flow/reach.js";
import { runsInTransaction } from "../analysis/libraries/db.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

export const DEFAULT_LOG_MODELS = ["Log", "Logs", "Audit", "AuditLog", "History", "Activity"];

const optionsSchema = z
  .object({
    logModels: z
      .array(z.string().min(1))
      .default(DEFAULT_LOG_MODELS)
      .describe(
        "Models and tables that record what happened (audit trails, logs): a write to a model whose name is or ends with one of these (case ignored) is not counted. Replaces the default list.",
      ),
    maxDepth: z.number().int().min(0).max(10).default(2).describe("How many calls deep to follow a function into the services that write for it."),
  })
  .strict();

type MessageIds = "writesWithoutTransaction";

/** The writes one node of the function leads to: a write itself, or a call into a service that writes. */
interface Site {
  node: Node;
  writes: ReachedRead[];
  models: Set<string>;
  /** Names the site's result is bound to, and the names derived from them further down. */
  results: Set<string>;
}

/** Where a call's value goes: past casts, `?.` chains and, when `awaited`, an `await`. */
function usedAt(node: Node, awaited: boolean): Node {
  let current = outermostCast(node);
  while (current.parent && (current.parent.type === AST_NODE_TYPES.ChainExpression || (awaited && current.parent.type === AST_NODE_TYPES.AwaitExpression)))
    current = outermostCast(current.parent);
  return current;
}

/** A write whose promise nobody waits for or reads: `void prisma.log.create(...)`, `prisma.x.update(...).catch(log)`. */
function firedAndForgotten(node: Node): boolean {
  const current = usedAt(node, false);
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === current && /^(?:then|catch|finally)$/.test(propertyName(parent) ?? "")) {
    const call = parent.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression) return firedAndForgotten(call);
  }
  return parent?.type === AST_NODE_TYPES.ExpressionStatement || (parent?.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "void");
}

function patternNames(pattern: Node, out: Set<string>): void {
  walk(pattern, (n) => {
    if (n.type === AST_NODE_TYPES.Identifier) out.add(n.name);
    // Default values and computed keys are expressions, not bindings.
    if (n.type === AST_NODE_TYPES.AssignmentPattern) {
      patternNames(n.left, out);
      return false;
    }
    if (n.type === AST_NODE_TYPES.Property && n.parent.type === AST_NODE_TYPES.ObjectPattern) {
      patternNames(n.value, out);
      return false;
    }
  });
}

/** The names a site's value is stored in: `const post = await ...`, `const { id } = await ...`, `post = await ...`. */
function boundNames(node: Node): Set<string> {
  const out = new Set<string>();
  const current = usedAt(node, true);
  const parent = current.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current) patternNames(parent.id, out);
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === current) patternNames(parent.left, out);
  return out;
}

/** Does `node` read one of `names` (`post.id`, `{ postId: post.id }`, `post`)? Keys and member names are not reads. */
function readsName(node: Node, names: ReadonlySet<string>): string | null {
  let hit: string | null = null;
  walk(node, (n) => {
    if (hit !== null) return false;
    if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
      const found = readsName(n.object, names);
      if (found !== null) hit = found;
      return false;
    }
    if (n.type === AST_NODE_TYPES.Property && !n.computed && !n.shorthand) {
      const found = readsName(n.value, names);
      if (found !== null) hit = found;
      return false;
    }
    if (n.type === AST_NODE_TYPES.Identifier && names.has(n.name)) hit = n.name;
  });
  return hit;
}

/** Names declared after a site from its result (`const postId = post.id`), to the end of the function. */
function derive(fn: FunctionNode, site: Site): void {
  walk(fn.body, (n) => {
    if (n.range[0] < site.node.range[1]) return;
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.init && readsName(n.init, site.results) !== null) patternNames(n.id, site.results);
  });
}

/** Are the two nodes in branches that exclude each other (`if` / `else`, two `case`s, `a ? b : c`)? */
function exclusive(a: Node, b: Node): boolean {
  const ancestors = new Set<Node>();
  for (let p: Node | undefined = a; p; p = p.parent) ancestors.add(p);
  let childOfB: Node = b;
  let common: Node | undefined = b.parent;
  while (common && !ancestors.has(common)) {
    childOfB = common;
    common = common.parent;
  }
  if (!common) return false;
  let childOfA: Node = a;
  while (childOfA.parent && childOfA.parent !== common) childOfA = childOfA.parent;
  if (common.type === AST_NODE_TYPES.IfStatement || common.type === AST_NODE_TYPES.ConditionalExpression)
    return childOfA !== common.test && childOfB !== common.test && childOfA !== childOfB;
  return common.type === AST_NODE_TYPES.SwitchStatement && childOfA !== childOfB && childOfA !== common.discriminant && childOfB !== common.discriminant;
}

/** `return`, `throw`, `continue` or `break`: the rest of the function or iteration does not run. */
function leaves(statement: Node | undefined): boolean {
  return (
    statement !== undefined &&
    (endsInReturnOrThrow(statement) || statement.type === AST_NODE_TYPES.ContinueStatement || statement.type === AST_NODE_TYPES.BreakStatement)
  );
}

/** The `Promise.all([...])` / `allSettled` the node runs in, if any: writes in one run side by side, not one after the other. */
function concurrentGroup(node: Node, within: Node): Node | null {
  for (let p = node.parent; p && p !== within; p = p.parent) {
    if (p.type === AST_NODE_TYPES.CallExpression && p.callee.type === AST_NODE_TYPES.MemberExpression && memberPath(p.callee.object) === "Promise") return p;
  }
  return null;
}

/**
 * Is the first write a claim: its result tested by an `if` that leaves (`if (claim.count === 0) return;`)
 * before the second? A claim is an optimistic lock taken on purpose outside a transaction, so that
 * the long work after it holds no connection.
 */
function isClaim(fn: FunctionNode, first: Site, second: Site): boolean {
  let claim = false;
  walk(fn.body, (n) => {
    if (claim || n.range[0] < first.node.range[1] || n.range[1] > second.node.range[0]) return;
    if (n.type === AST_NODE_TYPES.IfStatement && readsName(n.test, first.results) !== null && leaves(n.consequent)) claim = true;
  });
  return claim;
}

/**
 * Can the second write not follow the first: the first sits in a block that ends in `return` or
 * `throw` and does not hold the second (`if (existing) { await update(); return; }`), or the
 * second is in a `catch` whose `try` does not hold the first, undoing it by hand after a call that
 * no transaction could cover (an email, an upload)?
 */
function cannotFollow(first: Node, second: Node): boolean {
  for (let p = first.parent; p && !(second.range[0] >= p.range[0] && second.range[1] <= p.range[1]); p = p.parent) {
    if (p.type === AST_NODE_TYPES.BlockStatement && leaves(p.body.at(-1))) return true;
  }
  for (let p = second.parent; p && !(first.range[0] >= p.range[0] && first.range[1] <= p.range[1]); p = p.parent) {
    if (p.type === AST_NODE_TYPES.CatchClause) return true;
  }
  return false;
}

const BULK_OR_DELETE = new Set(["updateMany", "updateManyAndReturn", "delete", "deleteMany", "updateTable", "deleteFrom"]);
const isBulkOrDelete = (w: ReachedRead): boolean => w.db !== null && BULK_OR_DELETE.has(w.db.operation);

const describe = (site: Site): string => {
  const w = site.writes[0]!;
  return [...w.path, w.read].join(" -> ");
};

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "db-transaction-for-multi-write",
  meta: {
    type: "problem",
    docs: {
      description: "Require dependent database writes in one request to run in one transaction",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      writesWithoutTransaction:
        "`{{second}}` writes {{secondModels}} after `{{first}}` (line {{line}}) wrote {{firstModels}}, and {{why}}, outside a transaction: if it fails, the first write stays and the data is left half-done. Run both in `{{fix}}`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    const logSuffixes = options.logModels.map((m) => m.toLowerCase());
    const isLog = (model: string | null): boolean => model !== null && logSuffixes.some((s) => model.toLowerCase().endsWith(s));
    const reported = new Set<Node>();

    const check = (fn: FunctionNode): void => {
      const byNode = new Map<Node, Site>();
      for (const w of findReachedWrites(context, fn, options.maxDepth)) {
        if (isLog(w.model) || runsInTransaction(w.db, w.call) || (w.reportNode !== w.call && runsInTransaction(null, w.reportNode))) continue;
        if (firedAndForgotten(w.reportNode)) continue;
        const site = byNode.get(w.reportNode) ?? { node: w.reportNode, writes: [], models: new Set<string>(), results: boundNames(w.reportNode) };
        site.writes.push(w);
        if (w.model) site.models.add(w.model.toLowerCase());
        byNode.set(w.reportNode, site);
      }
      if (byNode.size < 2) return;
      const sites = [...byNode.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
      for (const site of sites) derive(fn, site);
      for (let j = 1; j < sites.length; j++) {
        const second = sites[j]!;
        if (reported.has(second.node)) continue;
        for (let i = j - 1; i >= 0; i--) {
          const first = sites[i]!;
          if (first.node.range[1] > second.node.range[0] || exclusive(first.node, second.node) || cannotFollow(first.node, second.node)) continue;
          const group = concurrentGroup(first.node, fn);
          if (group !== null && group === concurrentGroup(second.node, fn)) continue;
          const used = readsName(unwrap(second.node), first.results);
          // The same model's rows: a bulk change or a delete, then a write to that model (clear the default, set the new one;
          // drop the old tokens, store the new one). One row updated twice is progress, each step whole on its own.
          const shared = first.writes.some(isBulkOrDelete) && [...second.models].some((m) => first.models.has(m));
          if ((used === null && !shared) || isClaim(fn, first, second)) continue;
          const models = (s: Site): string => [...new Set(s.writes.map((w) => `\`${w.model ?? "the database"}\``))].join(", ");
          const kysely = second.writes[0]!.db?.library === "kysely";
          reported.add(second.node);
          context.report({
            node: second.node,
            messageId: "writesWithoutTransaction",
            data: {
              second: describe(second),
              secondModels: models(second),
              first: describe(first),
              firstModels: models(first),
              line: String(first.node.loc.start.line),
              why: used !== null ? `uses its result (\`${used}\`)` : "writes the same model's rows",
              fix: kysely ? "db.transaction().execute(async (trx) => ...)" : "prisma.$transaction(async (tx) => ...)",
            },
          });
          break;
        }
      }
    };
    return {
      FunctionDeclaration: check,
      FunctionExpression: check,
      ArrowFunctionExpression: check,
    };
  },
});
