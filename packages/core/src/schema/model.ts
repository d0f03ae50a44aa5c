import type { Argument, Attribute, Block, Expression, Field, Schema } from "../psl/ast.js";

/**
 * The semantic model of a Prisma schema that rules reason about: models, their fields, relations
 * (with foreign-key and referenced fields in order) and indexes (with field order). Every entry
 * keeps its AST node, and so its exact source position and file.
 */

export type IndexKind = "id" | "unique" | "index" | "fulltext";

/** One column of an index as written: `createdAt(sort: Desc)`, `slug(length: 10)`, `data(ops: JsonbPathOps)`. */
export interface IndexColumn {
  name: string;
  /** `sort: Asc` / `sort: Desc`; null when not written (ascending, the database's default). */
  sort: "Asc" | "Desc" | null;
  /** The column's other arguments (`length`, `ops`) in one canonical spelling, "" when none: equal strings, equal arguments. */
  options: string;
}

export interface IndexInfo {
  kind: IndexKind;
  fields: string[];
  /** `fields` with each column's arguments, in the same order. */
  columns: IndexColumn[];
  /** `type: Hash` / `Gin` / ...; null for the default B-tree. */
  algorithm: string | null;
  /** `@id` / `@unique` on a field, or the `@@...` block attribute. */
  node: Attribute;
}

export interface RelationInfo {
  /** The relation field (`author User @relation(...)`). */
  field: Field;
  fieldName: string;
  targetModel: string;
  /** FK fields on this model, in order (empty on the back-relation side). */
  fields: string[];
  references: string[];
  attribute: Attribute;
}

export interface ModelInfo {
  name: string;
  node: Block;
  filePath: string;
  fields: Field[];
  indexes: IndexInfo[];
  relations: RelationInfo[];
  /** `@@map` name, else the model name. */
  dbName: string;
  /** `@@schema` name (Prisma's multiSchema), else null: the connection's schema. */
  dbSchema: string | null;
  /** `@@ignore` */
  ignored: boolean;
}

export interface SchemaModel {
  provider: string | null;
  /** "prisma" or "foreignKeys" (Prisma's default). */
  relationMode: "prisma" | "foreignKeys";
  models: Map<string, ModelInfo>;
}

export function argument(attr: Attribute, name: string, position?: number): Argument | undefined {
  const args = attr.args ?? [];
  const named = args.find((a) => a.name?.name === name);
  if (named) return named;
  if (position === undefined) return undefined;
  return args.filter((a) => a.name === null)[position];
}

/** Field names of `[a, b(sort: Desc)]`, or of a bare `a` (Prisma accepts both). */
export function fieldList(expr: Expression | undefined): string[] {
  if (!expr) return [];
  const nameOf = (e: Expression): string | null => (e.type === "PathExpression" ? e.name : e.type === "FunctionCall" ? e.callee.name : null);
  if (expr.type === "ArrayExpression") return expr.elements.map(nameOf).filter((n): n is string => n !== null);
  const single = nameOf(expr);
  return single ? [single] : [];
}

/** An expression in one canonical spelling (no whitespace, no source positions), for comparing arguments. */
function expressionKey(expr: Expression): string {
  switch (expr.type) {
    case "StringLiteral":
      return JSON.stringify(expr.value);
    case "NumberLiteral":
      return String(expr.value);
    case "PathExpression":
      return expr.name;
    case "ArrayExpression":
      return `[${expr.elements.map(expressionKey).join(",")}]`;
    case "FunctionCall":
      return `${expr.callee.name}(${argumentsKey(expr.args)})`;
  }
}

function argumentsKey(args: Argument[]): string {
  return args
    .map((a) => `${a.name ? `${a.name.name}:` : ""}${expressionKey(a.value)}`)
    .sort()
    .join(",");
}

/** `sort` and the rest of a column's arguments (`length`, `ops`); `skip` names arguments that are not the column's (`map` on `@unique(...)`). */
function columnOf(name: string, args: Argument[], skip: ReadonlySet<string> = new Set()): IndexColumn {
  const sortArg = args.find((a) => a.name?.name === "sort")?.value;
  const sort = sortArg?.type === "PathExpression" && (sortArg.name === "Asc" || sortArg.name === "Desc") ? sortArg.name : null;
  const rest = args.filter((a) => a.name !== null && a.name.name !== "sort" && !skip.has(a.name.name));
  return { name, sort, options: argumentsKey(rest) };
}

/** The columns of `[a, b(sort: Desc)]`, or of a bare `a`, with their arguments. */
export function indexColumns(expr: Expression | undefined): IndexColumn[] {
  if (!expr) return [];
  const columnOfExpr = (e: Expression): IndexColumn | null =>
    e.type === "PathExpression" ? columnOf(e.name, []) : e.type === "FunctionCall" ? columnOf(e.callee.name, e.args) : null;
  const elements = expr.type === "ArrayExpression" ? expr.elements : [expr];
  return elements.map(columnOfExpr).filter((c): c is IndexColumn => c !== null);
}

/** On a field's `@id(...)` / `@unique(...)`, these arguments name or place the constraint rather than shape its column. */
const FIELD_CONSTRAINT_ARGS: ReadonlySet<string> = new Set(["map", "name", "clustered"]);

function stringValue(expr: Expression | null | undefined): string | null {
  return expr?.type === "StringLiteral" ? expr.value : null;
}

const BLOCK_INDEX_KINDS: Record<string, IndexKind> = { id: "id", unique: "unique", index: "index", fulltext: "fulltext" };

/**
 * Per model block: a schema file's AST is kept while the file is unchanged, so a schema rebuilt
 * for one edited file (an editor's buffer, a --fix pass) reads only that file's models again.
 */
const modelInfos = new WeakMap<Block, ModelInfo>();

function modelInfo(block: Block, filePath: string): ModelInfo {
  let info = modelInfos.get(block);
  if (info?.filePath !== filePath) {
    info = readModelInfo(block, filePath);
    modelInfos.set(block, info);
  }
  return info;
}

function readModelInfo(block: Block, filePath: string): ModelInfo {
  const fields: Field[] = [];
  const indexes: IndexInfo[] = [];
  const relations: RelationInfo[] = [];
  let dbName = block.name.name;
  let dbSchema: string | null = null;
  let ignored = false;
  for (const member of block.members) {
    if (member.type === "Field") {
      fields.push(member);
      for (const attr of member.attributes) {
        if (attr.name === "id" || attr.name === "unique") {
          const column = columnOf(member.name.name, attr.args ?? [], FIELD_CONSTRAINT_ARGS);
          indexes.push({ kind: attr.name, fields: [member.name.name], columns: [column], algorithm: null, node: attr });
        } else if (attr.name === "relation" && member.fieldType) {
          relations.push({
            field: member,
            fieldName: member.name.name,
            targetModel: member.fieldType.name,
            fields: fieldList(argument(attr, "fields")?.value),
            references: fieldList(argument(attr, "references")?.value),
            attribute: attr,
          });
        }
      }
    } else if (member.type === "Attribute" && member.isBlock) {
      const kind = BLOCK_INDEX_KINDS[member.name];
      if (kind) {
        const algo = argument(member, "type")?.value;
        const fieldsExpr = argument(member, "fields", 0)?.value;
        indexes.push({
          kind,
          fields: fieldList(fieldsExpr),
          columns: indexColumns(fieldsExpr),
          algorithm: algo?.type === "PathExpression" && algo.name !== "BTree" ? algo.name : null,
          node: member,
        });
      } else if (member.name === "map") {
        dbName = stringValue(argument(member, "name", 0)?.value) ?? dbName;
      } else if (member.name === "schema") {
        dbSchema = stringValue(argument(member, "name", 0)?.value);
      } else if (member.name === "ignore") {
        ignored = true;
      }
    }
  }
  return { name: block.name.name, node: block, filePath, fields, indexes, relations, dbName, dbSchema, ignored };
}

/** The database column of a model's field: its `@map` name, else the field's name (a field the model lacks is taken as written). */
export function columnName(info: ModelInfo, fieldName: string): string {
  const field = info.fields.find((f) => f.name.name === fieldName);
  const map = field?.attributes.find((a) => a.name === "map" && !a.isBlock);
  return (map && stringValue(argument(map, "name", 0)?.value)) ?? fieldName;
}

export function buildModel(files: Array<{ path: string; ast: Schema }>): SchemaModel {
  let provider: string | null = null;
  let relationMode: "prisma" | "foreignKeys" = "foreignKeys";
  const models = new Map<string, ModelInfo>();
  for (const { path, ast } of files) {
    for (const block of ast.body) {
      if (block.kind === "datasource" && provider === null) {
        for (const m of block.members) {
          if (m.type !== "Property") continue;
          if (m.key.name === "provider") provider = stringValue(m.value);
          if (m.key.name === "relationMode" && stringValue(m.value) === "prisma") relationMode = "prisma";
        }
      } else if (block.kind === "model" && !models.has(block.name.name)) {
        models.set(block.name.name, modelInfo(block, path));
      }
    }
  }
  return { provider, relationMode, models };
}

/**
 * Does the database index foreign-key columns by itself? MySQL/MariaDB (InnoDB) do when real foreign
 * keys exist (relationMode "foreignKeys", Prisma's default): one index on the referencing columns,
 * in the relation's order.
 */
export function databaseIndexesForeignKeys(model: SchemaModel): boolean {
  return (model.provider ?? "").toLowerCase() === "mysql" && model.relationMode === "foreignKeys";
}

/**
 * Do the referencing columns of relations need an explicit index? Not where the database indexes
 * foreign keys itself (MySQL with real foreign keys), nor on MongoDB (no foreign keys, and Prisma
 * does not suggest indexes there). Everywhere else (PostgreSQL, SQL Server, SQLite, CockroachDB),
 * and under relationMode "prisma" (no foreign keys at all), they do.
 */
export function needsExplicitFkIndexes(model: SchemaModel): boolean {
  if ((model.provider ?? "").toLowerCase() === "mongodb") return false;
  return !databaseIndexesForeignKeys(model);
}

/**
 * "any": an index whose leading columns are `fields` in any order serves equality lookups on them
 * (the database matches `a = ? AND b = ?` against the index's first two columns whatever their
 * order). "exact": Prisma's own reading (its relationMode = "prisma" index warning), which wants
 * the relation's order.
 */
export type ColumnOrder = "any" | "exact";

/** Are the first `fields.length` entries of `columns` exactly `fields`, in order or (for "any") in any order? */
function leadsWith(columns: string[], fields: string[], order: ColumnOrder): boolean {
  if (fields.length > columns.length) return false;
  const lead = columns.slice(0, fields.length);
  if (order === "exact") return fields.every((f, i) => lead[i] === f);
  const wanted = new Set(fields);
  return new Set(lead).size === wanted.size && lead.every((c) => wanted.has(c));
}

/**
 * The index that serves equality lookups on `fields` (a relation's referencing columns, or one
 * filtered column): its leading columns are `fields` (see ColumnOrder). Primary keys, unique
 * constraints and plain indexes count when B-tree; a hash or other non-B-tree index serves only
 * lookups on exactly its own columns; a full-text index serves none. The one place archlint
 * decides coverage: prisma-relation-index and db-where-indexed both ask it.
 */
export function findCoveringIndex(model: ModelInfo, fields: string[], order: ColumnOrder = "any"): IndexInfo | undefined {
  if (fields.length === 0) return undefined;
  return model.indexes.find((idx) => {
    if (idx.kind === "fulltext") return false;
    if (idx.algorithm !== null && idx.fields.length !== fields.length) return false;
    return leadsWith(idx.fields, fields, order);
  });
}

/**
 * The relations of `info` whose referencing columns need an index and have none
 * (prisma-relation-index's findings; db-where-indexed leaves their lookups to it).
 */
export function unindexedRelations(schema: SchemaModel, info: ModelInfo, order: ColumnOrder = "any"): RelationInfo[] {
  if (!needsExplicitFkIndexes(schema)) return [];
  return info.relations.filter(
    (r) => r.fields.length > 0 && !findCoveringIndex(info, r.fields, order) && !coveredThroughUniqueReference(schema, info, r, order),
  );
}

/**
 * A composite relation whose referenced columns include a single-column unique key of the parent
 * (its `@id` or a `@unique` field: `references: [id, accountId]`) is served by an index that leads
 * with the local column mapped to that key: it already narrows the lookup to one parent's rows.
 */
function coveredThroughUniqueReference(schema: SchemaModel, info: ModelInfo, relation: RelationInfo, order: ColumnOrder): boolean {
  if (relation.fields.length < 2) return false;
  const parent = schema.models.get(relation.targetModel);
  if (!parent) return false;
  return relation.references.some((referenced, i) => {
    const local = relation.fields[i];
    const unique = parent.indexes.some((idx) => (idx.kind === "id" || idx.kind === "unique") && idx.fields.length === 1 && idx.fields[0] === referenced);
    return unique && local !== undefined && findCoveringIndex(info, [local], order) !== undefined;
  });
}

/** An `@@index` that another index of its model makes unnecessary. */
export interface RedundantIndex {
  index: IndexInfo;
  /** The index that serves every lookup `index` serves. */
  coveredBy: IndexInfo;
  /** Same columns, not a longer index. */
  duplicate: boolean;
}

/** Does the index cover only some rows (`where:`, Prisma's partial indexes)? It then serves other queries than a full one. */
function isPartial(idx: IndexInfo): boolean {
  return argument(idx.node, "where") !== undefined;
}

function sameColumn(a: IndexColumn, b: IndexColumn): boolean {
  return a.name === b.name && (a.sort ?? "Asc") === (b.sort ?? "Asc") && a.options === b.options;
}

/**
 * Does `cover` serve every lookup `idx` serves? Its leading columns are `idx`'s columns in the same
 * order, with the same sort and arguments, and it is the same kind of structure: a B-tree serves the
 * lookups of any B-tree on a prefix of its columns; a hash, GIN, GiST ... index serves only what an
 * index of its own type on exactly its own columns would.
 */
function covers(cover: IndexInfo, idx: IndexInfo): boolean {
  if (cover.kind === "fulltext" || isPartial(cover) || cover.algorithm !== idx.algorithm) return false;
  if (cover.columns.length < idx.columns.length || (idx.algorithm !== null && cover.columns.length !== idx.columns.length)) return false;
  return idx.columns.every((column, i) => sameColumn(column, cover.columns[i]!));
}

/**
 * The model's `@@index`es whose columns lead another index, unique constraint or primary key (in
 * the same order, with the same sort and arguments), or repeat one: the database keeps each of them
 * up to date on every write, and the other index answers every query they would. Of two identical
 * `@@index`es the later one is reported. Unique constraints and primary keys are never reported
 * (they enforce something); neither are partial (`where:`) or clustered indexes.
 */
export function redundantIndexes(info: ModelInfo): RedundantIndex[] {
  const out: RedundantIndex[] = [];
  info.indexes.forEach((idx, i) => {
    if (idx.kind !== "index" || idx.columns.length === 0 || isPartial(idx)) return;
    const clustered = argument(idx.node, "clustered")?.value;
    if (clustered?.type === "PathExpression" && clustered.name === "true") return;
    const candidates = info.indexes.filter(
      (other, j) => j !== i && covers(other, idx) && (other.columns.length > idx.columns.length || other.kind !== "index" || j < i),
    );
    // The longest cover first (it is the one worth naming), then a constraint over a plain index.
    const rank = (c: IndexInfo): number => c.columns.length * 2 + (c.kind === "index" ? 0 : 1);
    const coveredBy = candidates.sort((a, b) => rank(b) - rank(a))[0];
    if (coveredBy) out.push({ index: idx, coveredBy, duplicate: coveredBy.columns.length === idx.columns.length });
  });
  return out;
}

export type ReferentialAction = "Cascade" | "Restrict" | "NoAction" | "SetNull" | "SetDefault";

/** What a relation's `onDelete` can be, and what it is when not written. */
export interface OnDeleteChoices {
  /** Prisma's implicit action: Restrict for a required relation (NoAction where Restrict does not exist), SetNull for an optional one. */
  implicit: ReferentialAction;
  /** Every FK field optional: the relation may point nowhere. */
  optional: boolean;
  /** Referential actions are run by Prisma Client, not the database (relationMode = "prisma", MongoDB). */
  emulated: boolean;
  /** The actions Prisma accepts here and that can work at run time, in Prisma's docs order. */
  allowed: ReferentialAction[];
}

/**
 * The referential actions of a relation that has FK fields (`fields: [...]`), as Prisma decides
 * them: its implicit default (psl's `default_on_delete_action`) and the actions the provider and
 * relation mode support (Prisma's "Referential actions" and "Relation mode" docs), without the two
 * Prisma accepts but that fail at run time: SetNull on a required relation (PostgreSQL only warns)
 * and SetDefault on FK fields with no `@default`. MySQL's SetDefault (a warning: InnoDB has none) is
 * left out too. With an unknown provider, the actions every provider has.
 */
export function onDeleteChoices(schema: SchemaModel, info: ModelInfo, relation: RelationInfo): OnDeleteChoices {
  const provider = (schema.provider ?? "").toLowerCase();
  const emulated = schema.relationMode === "prisma" || provider === "mongodb";
  const fkFields = relation.fields.map((name) => info.fields.find((f) => f.name.name === name));
  const optional = fkFields.length > 0 && fkFields.every((f) => f?.fieldType?.optional === true);
  const restrict = emulated || provider !== "sqlserver";
  const noAction = !(emulated && (provider === "postgresql" || provider === "postgres" || provider === "sqlite"));
  const setDefault =
    !emulated &&
    ["postgresql", "postgres", "cockroachdb", "sqlite", "sqlserver"].includes(provider) &&
    fkFields.every((f) => f?.attributes.some((a) => a.name === "default"));
  const allowed: ReferentialAction[] = ["Cascade"];
  if (restrict) allowed.push("Restrict");
  if (noAction) allowed.push("NoAction");
  if (optional) allowed.push("SetNull");
  if (setDefault) allowed.push("SetDefault");
  return { implicit: optional ? "SetNull" : restrict ? "Restrict" : "NoAction", optional, emulated, allowed };
}
