import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { archlintSettings, decomposeChain, memberPath, propertyName, resolveBinding, unwrap, type Context, type Node } from "./ast.js";
import { typeHasProperties, typeInfo } from "./types.js";

/**
 * Recognising database calls: Prisma client operations (`<client>.<model>.<op>(args)`, `$queryRaw`,
 * `$executeRaw`, `$transaction`) and Kysely chains (`<db>.selectFrom(...)...execute()`), on a
 * receiver that is a configured client name (`settings.archlint.dbClients`), the parameter of a
 * `$transaction` / Kysely `transaction().execute` callback, or, with types, anything typed as a
 * Prisma client or Kysely instance. Reads are told apart from writes.
 */

export type DbKind = "read" | "write" | "transaction";

export interface DbCall {
  library: "prisma" | "kysely";
  call: TSESTree.CallExpression;
  /** How the client is written: `ctx.prisma`, `tx`, `this.db`. */
  client: string;
  /** The Prisma client property (`post`, `userProfile`) or Kysely table (`posts`), when known. */
  model: string | null;
  operation: string;
  kind: DbKind;
  raw: boolean;
}

export const DEFAULT_DB_CLIENTS = ["prisma", "db", "ctx.db", "ctx.prisma", "tx"];

export const PRISMA_READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"]);
export const PRISMA_WRITES = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);
const PRISMA_RAW: Record<string, DbKind> = {
  $queryRaw: "read",
  $queryRawUnsafe: "read",
  $queryRawTyped: "read",
  $executeRaw: "write",
  $executeRawUnsafe: "write",
  $runCommandRaw: "write",
  $transaction: "transaction",
};
const KYSELY_TERMINALS = new Set(["execute", "executeTakeFirst", "executeTakeFirstOrThrow", "stream"]);
const KYSELY_ROOTS: Record<string, DbKind> = {
  selectFrom: "read",
  insertInto: "write",
  replaceInto: "write",
  updateTable: "write",
  deleteFrom: "write",
  mergeInto: "write",
};

const clientCache = new WeakMap<object, string[]>();

function clientNames(context: Context): string[] {
  const settings = context.settings as object;
  const cached = clientCache.get(settings);
  if (cached) return cached;
  const names = archlintSettings(context).dbClients ?? DEFAULT_DB_CLIENTS;
  clientCache.set(settings, names);
  return names;
}

/** `this.prisma`, `ctx.prisma`, `fastify.prisma` all end in a configured name. */
function matchesClientName(path: string, names: string[]): boolean {
  return names.some((n) => path === n || path.endsWith(`.${n}`));
}

/** Is `node` the parameter of a `$transaction(async (tx) => ...)` or Kysely `transaction().execute(async (trx) => ...)` callback? */
function isTransactionParameter(context: Context, node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, n);
  if (binding?.kind !== "parameter" || binding.index !== 0) return false;
  const call = binding.fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== binding.fn) return false;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = propertyName(callee);
  if (name === "$transaction") return true;
  // Kysely: db.transaction().execute(async (trx) => ...)
  if (name === "execute") {
    const inner = unwrap(callee.object);
    return inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(inner.callee) === "transaction";
  }
  return false;
}

function isDbClient(context: Context, node: Node, typeShape: string[]): boolean {
  const path = memberPath(node);
  if (path !== null && matchesClientName(path, clientNames(context))) return true;
  if (isTransactionParameter(context, node)) return true;
  const info = typeInfo(context);
  return info !== null && typeHasProperties(info, node, typeShape) === true;
}

const PRISMA_SHAPE = ["$transaction", "$queryRaw"];
const PRISMA_TX_SHAPE = ["$queryRaw", "$executeRaw"];
const KYSELY_SHAPE = ["selectFrom", "insertInto", "updateTable", "deleteFrom"];

/** The database call `call` makes, or null. Cheap for calls that are not: the method name is checked first. */
export function getDbCall(context: Context, call: TSESTree.CallExpression): DbCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const op = propertyName(callee);
  if (op === null) return null;
  if (PRISMA_READS.has(op) || PRISMA_WRITES.has(op)) {
    const delegate = unwrap(callee.object);
    if (delegate.type !== AST_NODE_TYPES.MemberExpression) return null;
    const model = propertyName(delegate);
    if (model === null || model.startsWith("$")) return null;
    if (!isDbClient(context, delegate.object, PRISMA_TX_SHAPE)) return null;
    return {
      library: "prisma",
      call,
      client: memberPath(delegate.object) ?? context.sourceCode.getText(delegate.object),
      model,
      operation: op,
      kind: PRISMA_READS.has(op) ? "read" : "write",
      raw: false,
    };
  }
  if (op in PRISMA_RAW) {
    if (!isDbClient(context, callee.object, op === "$transaction" ? PRISMA_SHAPE : PRISMA_TX_SHAPE)) return null;
    return { library: "prisma", call, client: memberPath(callee.object) ?? "", model: null, operation: op, kind: PRISMA_RAW[op]!, raw: op !== "$transaction" };
  }
  if (KYSELY_TERMINALS.has(op)) {
    const { base, links } = decomposeChain(call);
    const root = links[0];
    if (!root || !(root.name in KYSELY_ROOTS)) return null;
    if (!isDbClient(context, base, KYSELY_SHAPE)) return null;
    const table = root.args[0];
    const model =
      table?.type === AST_NODE_TYPES.Literal && typeof table.value === "string" ? table.value.split(/\s+as\s+/i)[0]!.trim() : null;
    return { library: "kysely", call, client: memberPath(base) ?? "", model, operation: root.name, kind: KYSELY_ROOTS[root.name]!, raw: false };
  }
  return null;
}

/** `post` -> `Post`, `userProfile` -> `UserProfile`: Prisma's client property for a model. */
export function modelNameCandidates(property: string): string[] {
  return [property.charAt(0).toUpperCase() + property.slice(1), property];
}
