import type { Argument, Attribute, Block, Expression, Field, Schema } from "../psl/ast.js";

/**
 * The semantic model of a Prisma schema that rules reason about: models, their fields, relations
 * (with foreign-key and referenced fields in order) and indexes (with field order). Every entry
 * keeps its AST node, and so its exact source position and file.
 */

export type IndexKind = "id" | "unique" | "index" | "fulltext";

export interface IndexInfo {
  kind: IndexKind;
  fields: string[];
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
  const nameOf = (e: Expression): string | null =>
    e.type === "PathExpression" ? e.name : e.type === "FunctionCall" ? e.callee.name : null;
  if (expr.type === "ArrayExpression") return expr.elements.map(nameOf).filter((n): n is string => n !== null);
  const single = nameOf(expr);
  return single ? [single] : [];
}

function stringValue(expr: Expression | null | undefined): string | null {
  return expr?.type === "StringLiteral" ? expr.value : null;
}

const BLOCK_INDEX_KINDS: Record<string, IndexKind> = { id: "id", unique: "unique", index: "index", fulltext: "fulltext" };

function modelInfo(block: Block, filePath: string): ModelInfo {
  const fields: Field[] = [];
  const indexes: IndexInfo[] = [];
  const relations: RelationInfo[] = [];
  let dbName = block.name.name;
  let ignored = false;
  for (const member of block.members) {
    if (member.type === "Field") {
      fields.push(member);
      for (const attr of member.attributes) {
        if (attr.name === "id" || attr.name === "unique") {
          indexes.push({ kind: attr.name, fields: [member.name.name], algorithm: null, node: attr });
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
        indexes.push({
          kind,
          fields: fieldList(argument(member, "fields", 0)?.value),
          algorithm: algo?.type === "PathExpression" && algo.name !== "BTree" ? algo.name : null,
          node: member,
        });
      } else if (member.name === "map") {
        dbName = stringValue(argument(member, "name", 0)?.value) ?? dbName;
      } else if (member.name === "ignore") {
        ignored = true;
      }
    }
  }
  return { name: block.name.name, node: block, filePath, fields, indexes, relations, dbName, ignored };
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
 * Does the database create an index on foreign-key columns by itself? MySQL/MariaDB (InnoDB) do
 * when real foreign keys exist; MongoDB has no foreign keys and Prisma does not suggest indexes
 * there. Everywhere else (PostgreSQL, SQL Server, SQLite, CockroachDB), and under
 * relationMode "prisma" (no foreign keys at all), the referencing columns need an explicit index.
 */
export function needsExplicitFkIndexes(model: SchemaModel): boolean {
  const provider = (model.provider ?? "").toLowerCase();
  if (provider === "mongodb") return false;
  if (model.relationMode === "prisma") return true;
  return provider !== "mysql";
}

/**
 * Is `fk` (in order) a left prefix of some index of the model? Primary keys, unique constraints and
 * plain indexes count when B-tree; a hash or other non-B-tree index serves only lookups on exactly
 * its own column list; a full-text index serves none.
 */
export function findCoveringIndex(model: ModelInfo, fk: string[]): IndexInfo | undefined {
  if (fk.length === 0) return undefined;
  return model.indexes.find((idx) => {
    if (idx.kind === "fulltext") return false;
    if (idx.algorithm !== null) return idx.fields.length === fk.length && fk.every((f, i) => idx.fields[i] === f);
    return fk.length <= idx.fields.length && fk.every((f, i) => idx.fields[i] === f);
  });
}
