import path from "node:path";
import {
  databaseIndexesForeignKeys,
  findCoveringIndex,
  loadSchema,
  ReadMemo,
  SchemaLocateError,
  SchemaReadError,
  SettingsError,
  unindexedRelations,
  type MigrationHistory,
  type ModelInfo,
  type RelationInfo,
  type SchemaLocation,
  type SchemaModel,
} from "@archlint/core";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { projectIndex, resolvedSettings } from "../project.js";
import {
  archlintSettings,
  calleeName,
  decomposeChain,
  endsWithName,
  memberPath,
  propertyName,
  readObject,
  resolveBinding,
  resolveValue,
  unwrap,
  walk,
  type Context,
  type Node,
} from "../syntax/ast.js";
import { typeHasProperties, typeInfo } from "../syntax/types.js";
import { isChunkList } from "../flow/loops.js";
import { migrationIndexLeadingWith, schemaHistories } from "./sql-migrations.js";

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
export const PRISMA_RAW: Record<string, DbKind> = {
  $queryRaw: "read",
  $queryRawUnsafe: "read",
  $queryRawTyped: "read",
  $executeRaw: "write",
  $executeRawUnsafe: "write",
  $runCommandRaw: "write",
  $transaction: "transaction",
};
/** `Prisma.raw`, `sql.raw`, `sql.lit`: SQL text spliced in as written. */
export const RAW_FRAGMENT_METHODS = new Set(["raw", "lit"]);
/** Kysely's `db.transaction().execute(async (trx) => ...)`: its callback's parameter is a client. */
export const KYSELY_TRANSACTION = "transaction";
export const KYSELY_TERMINALS = new Set(["execute", "executeTakeFirst", "executeTakeFirstOrThrow", "stream"]);
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
  const names = resolvedSettings(context).dbClients;
  clientCache.set(settings, names);
  return names;
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
    return (
      inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(inner.callee) === KYSELY_TRANSACTION
    );
  }
  return false;
}

function isDbClient(context: Context, node: Node, typeShape: string[]): boolean {
  const path = memberPath(node);
  if (path !== null && endsWithName(path, clientNames(context))) return true;
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
    let { base, links } = decomposeChain(call);
    // A builder kept in a constant and run later: `const active = db.selectFrom("users")...; await active.where(...).execute()`.
    if (base.type === AST_NODE_TYPES.Identifier && !(links[0] && links[0].name in KYSELY_ROOTS)) {
      const stored = resolveValue(context, base, 2);
      if (stored !== base) {
        const inner = decomposeChain(stored);
        ({ base } = inner);
        links = [...inner.links, ...links];
      }
    }
    const root = links[0];
    if (!root || !(root.name in KYSELY_ROOTS)) return null;
    if (!isDbClient(context, base, KYSELY_SHAPE)) return null;
    const table = root.args[0];
    const model = table?.type === AST_NODE_TYPES.Literal && typeof table.value === "string" ? table.value.split(/\s+as\s+/i)[0]!.trim() : null;
    return { library: "kysely", call, client: memberPath(base) ?? "", model, operation: root.name, kind: KYSELY_ROOTS[root.name]!, raw: false };
  }
  return null;
}

export interface DbTemplateCall {
  node: TSESTree.TaggedTemplateExpression;
  client: string;
  operation: "$queryRaw" | "$executeRaw";
  kind: DbKind;
}

/** `prisma.$queryRaw\`...\`` / `tx.$executeRaw\`...\``: Prisma's raw queries in their tagged-template form. */
export function getDbTemplateCall(context: Context, node: TSESTree.TaggedTemplateExpression): DbTemplateCall | null {
  const tag = unwrap(node.tag);
  if (tag.type !== AST_NODE_TYPES.MemberExpression) return null;
  const op = propertyName(tag);
  if (op !== "$queryRaw" && op !== "$executeRaw") return null;
  if (!isDbClient(context, tag.object, PRISMA_TX_SHAPE)) return null;
  return { node, client: memberPath(tag.object) ?? "", operation: op, kind: op === "$queryRaw" ? "read" : "write" };
}

/** `post` -> `Post`, `userProfile` -> `UserProfile`: Prisma's client property for a model. */
export function modelNameCandidates(property: string): string[] {
  return [property.charAt(0).toUpperCase() + property.slice(1), property];
}

export interface RawSqlCall {
  /** `$queryRawUnsafe`/`$executeRawUnsafe` (a whole statement) or a fragment inserted verbatim. */
  kind: "statement" | "fragment";
  library: "prisma" | "kysely" | "drizzle";
  /** As written: `ctx.prisma.$queryRawUnsafe`, `Prisma.raw`, `sql.lit`. */
  callee: string;
  /** `raw`, `lit`, `$queryRawUnsafe`... */
  method: string;
  /** The SQL text argument. */
  input: Node;
}

export const UNSAFE_STATEMENTS = new Set(["$queryRawUnsafe", "$executeRawUnsafe"]);
/** The imported names a raw fragment is called on: Prisma's `Prisma.raw`, Kysely's and Drizzle's `sql.raw` / `sql.lit`. */
export const RAW_FRAGMENT_RECEIVERS = { prisma: "Prisma", tag: "sql" } as const;
const SQL_TAG_MODULES: Record<string, "kysely" | "drizzle"> = { kysely: "kysely", "drizzle-orm": "drizzle" };

function importedFrom(context: Context, node: Node, name: string): string | null {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.Identifier) return null;
  const binding = resolveBinding(context, n);
  return binding?.kind === "import" && binding.imported === name ? binding.source : null;
}

/**
 * A call that puts SQL text into a query without binding it: Prisma's `$queryRawUnsafe` /
 * `$executeRawUnsafe` (the name is Prisma's own, so any receiver) and `Prisma.raw(...)` (`Prisma`
 * imported from the generated client, whatever its path), Kysely's `sql.raw` / `sql.lit` and
 * Drizzle's `sql.raw` (`sql` imported from the library).
 */
export function getRawSqlCall(context: Context, call: TSESTree.CallExpression): RawSqlCall | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const method = propertyName(callee);
  const input = call.arguments[0];
  if (method === null || !input || input.type === AST_NODE_TYPES.SpreadElement) return null;
  const text = memberPath(callee) ?? context.sourceCode.getText(callee);
  if (UNSAFE_STATEMENTS.has(method)) return { kind: "statement", library: "prisma", callee: text, method, input };
  if (method === "raw" && importedFrom(context, callee.object, RAW_FRAGMENT_RECEIVERS.prisma) !== null) {
    return { kind: "fragment", library: "prisma", callee: text, method, input };
  }
  if (RAW_FRAGMENT_METHODS.has(method)) {
    const source = importedFrom(context, callee.object, RAW_FRAGMENT_RECEIVERS.tag);
    const root = source?.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source?.split("/")[0];
    const library = root ? SQL_TAG_MODULES[root] : undefined;
    if (library && (method === "raw" || library === "kysely")) return { kind: "fragment", library, callee: text, method, input };
  }
  return null;
}

/** A read of one page (`take` / `cursor` in Prisma, `.limit()` in Kysely): in a `while` loop, paging through a table in batches. */
export function isPagedRead(context: Context, db: DbCall): boolean {
  if (db.library === "kysely") return decomposeChain(db.call).links.some((l) => l.name === "limit");
  const args = db.call.arguments[0] ? readObject(context, db.call.arguments[0]) : null;
  return args !== null && (args.properties.has("take") || args.properties.has("cursor"));
}

/** The item itself; with `derived`, also a list built from it: `page.map((p) => p.id)`, `page.ids`, `[...ids]`. */
function takesWhole(n: Node | undefined, itemNames: readonly string[], derived: boolean): boolean {
  let v = n ? unwrap(n) : null;
  while (v) {
    // An item that is itself a list (a chunk, a group) is still taken whole through an array method: `ids.map(toKey)`.
    if (!derived)
      return (
        (v.type === AST_NODE_TYPES.Identifier && itemNames.includes(v.name)) ||
        (v.type === AST_NODE_TYPES.CallExpression &&
          v.callee.type === AST_NODE_TYPES.MemberExpression &&
          LIST_METHODS.has(propertyName(v.callee) ?? "") &&
          takesWhole(v.callee.object, itemNames, false))
      );
    if (v.type === AST_NODE_TYPES.Identifier) return itemNames.includes(v.name);
    if (v.type === AST_NODE_TYPES.MemberExpression) v = unwrap(v.object);
    else if (v.type === AST_NODE_TYPES.CallExpression && v.callee.type === AST_NODE_TYPES.MemberExpression) v = unwrap(v.callee.object);
    else if (v.type === AST_NODE_TYPES.ArrayExpression && v.elements.length === 1 && v.elements[0]?.type === AST_NODE_TYPES.SpreadElement)
      v = unwrap(v.elements[0].argument);
    else return false;
  }
  return false;
}

const LIST_METHODS = new Set(["map", "filter", "flatMap", "slice", "concat"]);

/** Is `node` the item of a loop over chunks: `for (const batch of chunk(rows, 500))`, `chunks.map((batch) => ...)` with `const chunks = chunk(...)`? */
function isChunk(context: Context, node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, n);
  let source: Node | null = null;
  if (binding?.kind === "local") {
    const declaration = binding.definition.parent;
    const loop = declaration?.parent;
    if (loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === declaration) source = loop.right;
  } else if (binding?.kind === "parameter" && binding.index === 0) {
    const call = binding.fn.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === binding.fn && call.callee.type === AST_NODE_TYPES.MemberExpression)
      source = call.callee.object;
  }
  return source !== null && isChunkList(context, source);
}

/**
 * A raw template that sends the loop's whole chunk or page as one array: `= ANY(${ids})`,
 * `unnest(${ids})`, `IN (${Prisma.join(ids)})`.
 */
export function isTemplateBatchedBy(template: TSESTree.TaggedTemplateExpression, itemNames: readonly string[], derived = false): boolean {
  if (itemNames.length === 0) return false;
  const { quasis, expressions } = template.quasi;
  return expressions.some((e, i) => {
    const value = unwrap(e);
    if (value.type === AST_NODE_TYPES.CallExpression && calleeName(value) === "join") return takesWhole(value.arguments[0], itemNames, derived);
    return /\b(?:any|unnest)\s*\(\s*$/i.test(quasis[i]?.value.cooked ?? "") && takesWhole(e, itemNames, derived);
  });
}

const MANY_OPERATIONS = new Set([
  "findMany",
  "createMany",
  "createManyAndReturn",
  "updateMany",
  "updateManyAndReturn",
  "deleteMany",
  "count",
  "groupBy",
  "aggregate",
]);
const LIST_FILTERS = new Set(["in", "notIn", "hasSome", "hasEvery"]);

/**
 * Does the call take the loop's whole item as a batch: `findMany({ where: { id: { in: chunk } } })`,
 * `createMany({ data: chunk })`, Kysely `.where("id", "in", chunk)`? A loop over chunks is batching.
 * `derived`: the names are pages read in the iteration, so a list derived from them is the batch too.
 */
export function isBatchedBy(context: Context, db: DbCall, itemNames: readonly string[], derived = false): boolean {
  if (itemNames.length === 0) return false;
  const isItem = (n: Node | undefined): boolean => takesWhole(n, itemNames, derived);
  if (db.library === "kysely") {
    return decomposeChain(db.call).links.some(
      (l) =>
        (l.name === "where" && l.args[1]?.type === AST_NODE_TYPES.Literal && l.args[1].value === "in" && isItem(l.args[2])) ||
        // `.values(batch)`: rows of a chunk or a page; one row object per item is still N statements.
        (l.name === "values" && isItem(l.args[0]) && (derived || isChunk(context, l.args[0]!))),
    );
  }
  // `$executeRawUnsafe(text, ...params)` with the whole chunk's values spread in as bound parameters: one statement for the chunk.
  if (
    db.raw &&
    db.call.arguments.slice(1).some((a) => a.type === AST_NODE_TYPES.SpreadElement && isItem(a.argument) && (derived || isChunk(context, a.argument)))
  )
    return true;
  if (!MANY_OPERATIONS.has(db.operation) || !db.call.arguments[0]) return false;
  let batched = false;
  walk(db.call.arguments[0], (n) => {
    if (batched || n.type !== AST_NODE_TYPES.Property) return;
    const key = n.key.type === AST_NODE_TYPES.Identifier ? n.key.name : null;
    if (key !== null && (LIST_FILTERS.has(key) || (key === "data" && db.operation.startsWith("createMany"))) && isItem(n.value)) batched = true;
  });
  return batched;
}

/* ---------------------------------------------------------------------------------------------
 * The project's Prisma schema, for rules on code that ask "is this column indexed?".
 * ------------------------------------------------------------------------------------------- */

export interface ProjectSchema {
  model: SchemaModel;
  enums: Set<string>;
  /** The SQL migration histories of the schema's database, read on first ask (indexes created by hand in `migration.sql`). */
  migrations: () => MigrationHistory[];
}

const enumCache = new WeakMap<SchemaModel, Set<string>>();
/**
 * Where the schema of a folder's project is, per process (like the presets' schema state): finding
 * it costs a dozen stats and a package.json read, and thousands of files share a handful of
 * folders. The schema files themselves are still checked on every load, so edits are seen.
 */
const locationCache = new ReadMemo<SchemaLocation | null>();

function locate(context: Context, explicit: string | undefined): SchemaLocation | null {
  const file = context.physicalFilename;
  const dir = path.isAbsolute(file) ? path.dirname(file) : context.cwd;
  const key = `${explicit ?? ""}\0${context.cwd}\0${explicit ? "" : dir}`;
  // Core's project index answers which schema; this map only saves asking it again per folder
  // (and remembers the paths it probed, which decide the answer for every file that asks).
  return locationCache.get(key, () => {
    const index = projectIndex(context);
    return explicit ? index.schema(explicit) : index.schemaForCode(dir);
  });
}

/**
 * The Prisma schema of the project the linted file belongs to: `settings.archlint.schema`
 * (relative to the working directory), else the one Prisma would find from the file's project
 * root (nearest package.json), else from the working directory. null when there is none or it does
 * not parse; Prisma's own validation is left to the `.prisma` files, which report what it rejects
 * (it would cost every code-only run ~250 ms on a large schema). Parsed once per process by core's cache;
 * callers memoise the answer per file.
 */
export function projectSchema(context: Context): ProjectSchema | null {
  const explicit = archlintSettings(context).schema;
  let location: SchemaLocation | null;
  try {
    location = locate(context, explicit);
  } catch (error) {
    // A schema setting that names nothing is a config error, as a typo in any other setting is.
    if (error instanceof SchemaLocateError)
      throw new SettingsError(`Invalid settings.archlint.schema: no file or folder at ${path.resolve(context.cwd, explicit!)}`);
    throw error;
  }
  if (!location) return null;
  try {
    const loaded = loadSchema(location, { validate: false });
    if (!loaded.model) return null;
    let enums = enumCache.get(loaded.model);
    if (!enums) {
      enums = new Set(loaded.files.flatMap((f) => f.ast.body.filter((b) => b.kind === "enum").map((b) => b.name.name)));
      enumCache.set(loaded.model, enums);
    }
    let histories: MigrationHistory[] | undefined;
    return { model: loaded.model, enums, migrations: () => (histories ??= schemaHistories(context, location)) };
  } catch (error) {
    // An unreadable schema file is reported when the `.prisma` file itself is linted.
    if (error instanceof SchemaReadError) return null;
    throw error;
  }
}

const PRISMA_SCALARS = new Set(["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"]);
const RANGE_FILTERS = new Set(["gt", "gte", "lt", "lte", "not", "contains", "startsWith", "endsWith", "search", "notIn"]);
const COMBINATORS = new Set(["AND", "OR", "NOT"]);
const NEGATIONS = new Set(["not", "notIn"]);
const KYSELY_NEGATIONS = new Set(["!=", "<>", "not in", "not like", "not ilike"]);

export interface WhereField {
  name: string;
  /** A range or pattern filter (`gt`, `contains`, `not`...), which belongs after the equality columns of an index. */
  range: boolean;
  /**
   * Narrows little, so an index led by it alone is bad advice: a Boolean or enum column (a few
   * values), or a negation (`not`, `notIn`, Kysely `!=`, `not in`, `is not`), which matches most rows.
   */
  weak: boolean;
}

/** The model a Prisma client property stands for (`post` -> `Post`), unless `@@ignore`d. */
export function modelFor(schema: ProjectSchema, property: string): ModelInfo | null {
  for (const name of modelNameCandidates(property)) {
    const model = schema.model.models.get(name);
    if (model) return model.ignored ? null : model;
  }
  return null;
}

/**
 * The scalar fields a Prisma `where` filters on, or null when it cannot be read completely: not
 * an object literal (or a local constant of one), a spread or computed key this file cannot read,
 * `AND` / `OR` / `NOT`, a relation filter, a compound-unique key, or a field the model lacks.
 * Keys whose value is `undefined` filter nothing and are left out.
 */
export function whereScalarFields(context: Context, where: Node, model: ModelInfo, schema: ProjectSchema): WhereField[] | null {
  const shape = readObject(context, where);
  if (!shape?.complete) return null;
  const out: WhereField[] = [];
  for (const [key, prop] of shape.properties) {
    if (COMBINATORS.has(key)) return null;
    const field = model.fields.find((f) => f.name.name === key);
    const type = field?.fieldType;
    if (!type || (!PRISMA_SCALARS.has(type.name) && !schema.enums.has(type.name))) return null;
    const value = unwrap(prop.value);
    if (value.type === AST_NODE_TYPES.Identifier && value.name === "undefined") continue;
    const filter = value.type === AST_NODE_TYPES.ObjectExpression ? readObject(context, value) : null;
    const keys = filter ? [...filter.properties.keys()] : [];
    const range = keys.some((k) => RANGE_FILTERS.has(k));
    // `{ not: null }` is `IS NOT NULL`, which on a mostly-null column (`deletedAt`) is selective.
    const isNull = (k: string): boolean => {
      const v = filter!.properties.get(k)!.value;
      return v.type === AST_NODE_TYPES.Literal && v.value === null;
    };
    const negation = keys.length > 0 && keys.every((k) => NEGATIONS.has(k) && !isNull(k));
    out.push({ name: key, range, weak: negation || type.name === "Boolean" || schema.enums.has(type.name) });
  }
  return out;
}

/**
 * Does some index of the model start with `field`: in the schema, or created by hand in its SQL
 * migrations? On MySQL with foreign keys, InnoDB indexes every foreign key itself.
 */
export function leadsAnIndex(schema: ProjectSchema, model: ModelInfo, field: string): boolean {
  if (findCoveringIndex(model, [field])) return true;
  if (databaseIndexesForeignKeys(schema.model) && model.relations.some((r) => r.fields[0] === field)) return true;
  return migrationIndexLeadingWith(schema.migrations(), model, field);
}

/**
 * The unindexed relation (a prisma-relation-index finding) whose missing index is also why a
 * filter on `fields` has no index: a filtered field leads the relation's referencing columns, so
 * the `@@index([<relation fields>])` that rule asks for serves the filter too. One cause, one finding.
 */
export function unindexedRelationLedBy(schema: ProjectSchema, model: ModelInfo, fields: readonly string[]): RelationInfo | null {
  return unindexedRelations(schema.model, model).find((r) => fields.includes(r.fields[0]!)) ?? null;
}

const KYSELY_JOINS = /join/i;
const KYSELY_EQUALITY = new Set(["=", "==", "in", "is"]);

function fieldColumn(field: ModelInfo["fields"][number]): string {
  const map = field.attributes.find((a) => a.name === "map" && !a.isBlock);
  const value = map?.args?.[0]?.value;
  return value?.type === "StringLiteral" ? value.value : field.name.name;
}

/**
 * The scalar fields a Kysely `selectFrom` / `updateTable` / `deleteFrom` chain filters on with
 * `.where("column", op, value)`, mapped to the Prisma model of the table (`@@map` or model name)
 * and its fields (`@map` or field name), or null when the chain joins other tables, filters with
 * a callback or expression, or names a table or column the schema does not have.
 */
export function kyselyWhereFields(context: Context, db: DbCall, schema: ProjectSchema): { model: ModelInfo; fields: WhereField[]; at: TSESTree.Node } | null {
  if (db.library !== "kysely" || !db.model || db.operation === "insertInto" || db.operation === "replaceInto" || db.operation === "mergeInto") return null;
  const { links } = decomposeChain(db.call);
  const from = links[0]?.args[0];
  const alias = from?.type === AST_NODE_TYPES.Literal && typeof from.value === "string" ? /\s+as\s+(\w+)\s*$/i.exec(from.value)?.[1] : undefined;
  const model = [...schema.model.models.values()].find((m) => !m.ignored && m.dbName === db.model);
  if (!model) return null;
  const fields: WhereField[] = [];
  let at: TSESTree.Node | null = null;
  for (const link of links.slice(1)) {
    if (KYSELY_JOINS.test(link.name) || link.name === "whereRef" || link.name === "orWhere" || link.name === "having") return null;
    if (link.name !== "where") continue;
    const [column, op] = link.args;
    if (link.args.length !== 3 || column?.type !== AST_NODE_TYPES.Literal || typeof column.value !== "string") return null;
    if (op?.type !== AST_NODE_TYPES.Literal || typeof op.value !== "string") return null;
    const parts = column.value.split(".");
    if (parts.length > 2 || (parts.length === 2 && parts[0] !== db.model && parts[0] !== alias)) return null;
    const field = model.fields.find((f) => fieldColumn(f) === parts[parts.length - 1]);
    const type = field?.fieldType;
    if (!field || !type || (!PRISMA_SCALARS.has(type.name) && !schema.enums.has(type.name))) return null;
    at ??= (unwrap(link.call.callee) as TSESTree.MemberExpression).property;
    fields.push({
      name: field.name.name,
      range: !KYSELY_EQUALITY.has(op.value.toLowerCase()),
      weak: KYSELY_NEGATIONS.has(op.value.toLowerCase()) || type.name === "Boolean" || schema.enums.has(type.name),
    });
  }
  return at ? { model, fields, at } : null;
}

/* ---------------------------------------------------------------------------------------------
 * Bounded and unbounded list reads.
 * ------------------------------------------------------------------------------------------- */

/** Kysely selects that return one row whatever the table holds, when nothing groups them. */
const KYSELY_AGGREGATES = /\bfn\s*\.\s*(?:count|countAll|sum|avg|min|max)\b|\b(?:count|sum|avg|min|max)\s*\(/i;

/**
 * Is a read's row count bounded by what it is asked, whatever the table holds?
 * - "bounded": Prisma `take` (whatever its value: `take: input.limit` is the caller's page size),
 *   a `where` with equality on a unique column or on every column of a compound unique, an
 *   `in:` list on a unique column that `listBounded` accepts; Kysely `.limit()`,
 *   `executeTakeFirst*`, equality on a unique column, an aggregate with no `groupBy`.
 * - "unbounded": `findMany` / `selectFrom(...).execute()` that can return every row of the table.
 * - "unknown": arguments this file cannot read (a spread, an object built elsewhere), or not a list read.
 * Reads that are not list reads (`findUnique`, `count`, `groupBy`) are "unknown": not this question.
 */
export function listReadBound(
  context: Context,
  db: DbCall,
  schema: ProjectSchema | null,
  listBounded: (list: Node) => boolean,
): "bounded" | "unbounded" | "unknown" {
  if (db.library === "kysely") return kyselyListBound(context, db, schema);
  if (db.operation !== "findMany") return "unknown";
  const arg = db.call.arguments[0];
  if (!arg) return "unbounded";
  if (arg.type === AST_NODE_TYPES.SpreadElement) return "unknown";
  const args = readObject(context, arg);
  if (!args) return "unknown";
  const take = args.properties.get("take");
  if (take && !(unwrap(take.value).type === AST_NODE_TYPES.Identifier && (unwrap(take.value) as TSESTree.Identifier).name === "undefined")) return "bounded";
  const where = args.properties.get("where");
  // A filter built elsewhere (a helper's `where` from the caller's ids) is not this file's to judge.
  if (where && !readObject(context, where.value)?.complete) return "unknown";
  const model = schema && db.model ? modelFor(schema, db.model) : null;
  if (where && model && whereHitsUnique(context, where.value, model, listBounded)) return "bounded";
  // A spread may carry `take` or a unique filter: not known.
  return args.complete ? "unbounded" : "unknown";
}

/** The model's unique keys (`@id`, `@unique`, `@@id`, `@@unique`), each as its fields. */
function uniqueKeys(model: ModelInfo): string[][] {
  return model.indexes.filter((i) => (i.kind === "id" || i.kind === "unique") && i.fields.length > 0).map((i) => i.fields);
}

/**
 * Does a Prisma `where` pin the rows to one per unique key, or one per combination of bounded
 * lists: every column of some unique key filtered by equality (`id: x`, `{ equals: x }`) or by an
 * `{ in: list }` that `listBounded` accepts? `AND: [...]` / `AND: {...}` parts count; `OR` and `NOT` do not.
 */
function whereHitsUnique(context: Context, where: Node, model: ModelInfo, listBounded: (list: Node) => boolean): boolean {
  const equal = new Set<string>();
  const listed = new Set<string>();
  const collect = (node: Node, depth: number): void => {
    const shape = readObject(context, node);
    if (!shape) return;
    for (const [key, prop] of shape.properties) {
      const value = unwrap(prop.value);
      if (key === "AND" && depth < 3) {
        if (value.type === AST_NODE_TYPES.ArrayExpression)
          for (const e of value.elements) {
            if (e && e.type !== AST_NODE_TYPES.SpreadElement) collect(e, depth + 1);
          }
        else collect(value, depth + 1);
        continue;
      }
      if (value.type === AST_NODE_TYPES.Identifier && value.name === "undefined") continue;
      if (value.type !== AST_NODE_TYPES.ObjectExpression) {
        equal.add(key);
        continue;
      }
      const filter = readObject(context, value);
      if (!filter?.complete) continue;
      if (filter.properties.has("equals")) equal.add(key);
      const list = filter.properties.get("in");
      if (list && listBounded(list.value)) listed.add(key);
    }
  };
  collect(where, 0);
  return uniqueKeys(model).some((fields) => fields.every((f) => equal.has(f) || listed.has(f)));
}

function kyselyListBound(context: Context, db: DbCall, schema: ProjectSchema | null): "bounded" | "unbounded" | "unknown" {
  if (db.operation !== "selectFrom") return "unknown";
  const terminal = unwrap(db.call.callee);
  const op = terminal.type === AST_NODE_TYPES.MemberExpression ? propertyName(terminal) : null;
  if (op !== "execute" && op !== "stream") return "bounded";
  const { links } = decomposeChain(db.call);
  if (links.some((l) => l.name === "limit" || l.name === "top")) return "bounded";
  const grouped = links.some((l) => l.name === "groupBy");
  const selects = links.filter((l) => l.name === "select");
  if (!grouped && selects.length > 0 && selects.every((l) => l.args.every((a) => KYSELY_AGGREGATES.test(context.sourceCode.getText(a))))) return "bounded";
  const filtered = schema ? kyselyWhereFields(context, db, schema) : null;
  if (filtered) {
    const equal = new Set(filtered.fields.filter((f) => !f.range).map((f) => f.name));
    if (uniqueKeys(filtered.model).some((fields) => fields.every((f) => equal.has(f)))) return "bounded";
  }
  return "unbounded";
}

/* ---------------------------------------------------------------------------------------------
 * Transactions.
 * ------------------------------------------------------------------------------------------- */

/** Names a transaction client goes by when a function is handed one (`async function move(tx: Prisma.TransactionClient)`). */
const TRANSACTION_CLIENTS = /^(?:tx|trx|txn|transaction|prismaTx|dbTx)$/;

/**
 * Does the call run inside a transaction: in the callback or the array of `$transaction(...)`, in
 * Kysely's `transaction().execute(...)` callback, or on a client that is one (`tx.post.update`,
 * a function's `trx` parameter)?
 */
export function runsInTransaction(db: DbCall | null, node: Node): boolean {
  if (db && TRANSACTION_CLIENTS.test(db.client.split(".").at(-1) ?? "")) return true;
  for (let child: Node = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type !== AST_NODE_TYPES.CallExpression || p.callee === child) continue;
    const callee = unwrap(p.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
    const name = propertyName(callee);
    if (name === "$transaction" || name === "transaction") return true;
    if (name === "execute") {
      const inner = unwrap(callee.object);
      if (inner.type === AST_NODE_TYPES.CallExpression && inner.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(inner.callee) === "transaction")
        return true;
    }
  }
  return false;
}
