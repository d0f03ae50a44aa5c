import path from "node:path";
import {
  columnName,
  DEFAULT_EXPOSED_SCHEMAS,
  migrationHistory,
  schemaMigrationHistories,
  type ColumnOrder,
  type ModelInfo,
  type ForeignKeyFact,
  type IndexFact,
  type MigrationHistory,
  type PolicyFact,
  type SchemaLocation,
  type SqlProgram,
  type TableFact,
} from "@archlint/core";
import { resolvedSettings, type ProjectContext } from "../project.js";

/**
 * What the SQL rules ask of a migration history (core's `migrationHistory`): which tables clients
 * can reach without row level security, which policies open writes to everyone, which foreign
 * keys no index serves. Each answer is about the end of the history, and each finding is placed
 * where the migration that caused it wrote it, so a file reports only what it wrote.
 */

export interface SqlHistoryContext {
  settings: Record<string, unknown>;
  cwd: string;
  physicalFilename: string;
  sourceCode: { text: string };
}

type Found = { history: MigrationHistory; file: string; exposed: ReadonlySet<string> } | null;

/**
 * Per lint (its SourceCode, new every time; not its tree, which is shared by every lint of the
 * same text): the three SQL rules of one lint share one look at the folder.
 */
const found = new WeakMap<object, { settings: object; cwd: string; value: Found }>();

/**
 * The history of the file being linted, or null when rules must stay silent: another file of
 * the folder does not parse (the history would miss what it does), or the folder holds another
 * database's migrations.
 */
export function historyFor(context: SqlHistoryContext, program: SqlProgram): Found {
  const hit = found.get(context.sourceCode);
  if (hit && hit.settings === context.settings && hit.cwd === context.cwd) return hit.value;
  const value = lookUp(context, program);
  found.set(context.sourceCode, { settings: context.settings, cwd: context.cwd, value });
  return value;
}

function lookUp(context: SqlHistoryContext, program: SqlProgram): Found {
  const settings = resolvedSettings(context);
  const file = path.resolve(context.cwd, context.physicalFilename);
  const history = migrationHistory(file, context.sourceCode.text, { cwd: context.cwd, migrations: settings.migrations, program });
  if (history.notPostgres || history.unparsed.some((f) => f !== file)) return null;
  return { history, file, exposed: new Set(settings.exposedSchemas ?? (servesClients(history) ? DEFAULT_EXPOSED_SCHEMAS : [])) };
}

const CLIENT_ROLES = new Set(["anon", "authenticated"]);

/**
 * Whether clients reach `public` by default: a Supabase project, or one whose policies are written
 * for Supabase's (and PostgREST's) client roles. Without either, no schema is exposed unless
 * `exposedSchemas` says so: most Postgres apps reach their database only from their own server.
 */
function servesClients(history: MigrationHistory): boolean {
  return history.supabase || [...history.tables.values()].some((t) => t.policies.some((p) => p.roles.some((r) => CLIENT_ROLES.has(r))));
}

export function qualifiedName(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`;
}

/** `ignoreTables` entries: `name` (any schema) or `schema.name`. */
export function tableFilter(ignored: readonly string[]): (table: TableFact) => boolean {
  const names = new Set(ignored);
  return (table) => !names.has(table.name) && !names.has(qualifiedName(table));
}

const WRITES = new Set(["insert", "update", "delete", "all"]);

/**
 * Does the index serve equality lookups on `columns` (a foreign key's)? Its leading key columns
 * must be exactly those columns, in any order (`order: "exact"`: in theirs); a partial index serves
 * only its rows (unless its predicate is only `IS NOT NULL` on those columns, which every row an
 * equality finds satisfies, as Postgres proves), an expression is not a column, and only a B-tree
 * (or a hash index on exactly that one column) answers `=`.
 */
export function servesLookup(index: IndexFact, columns: readonly string[], order: ColumnOrder = "any"): boolean {
  if (index.partial && !index.notNullOnly?.every((c) => columns.includes(c))) return false;
  if (index.method === "hash") return columns.length === 1 && index.columns.length === 1 && index.columns[0] === columns[0];
  if (index.method !== "btree") return false;
  const leading = index.columns.slice(0, columns.length);
  if (leading.length !== columns.length) return false;
  return order === "exact" ? columns.every((c, i) => leading[i] === c) : columns.every((c) => leading.includes(c));
}

/**
 * A Prisma model's table at the end of a migration history: `@@schema` (else `public`, where
 * Prisma Migrate's unqualified SQL puts it) and `@@map`; without `@@schema`, a table of that name
 * in exactly one other schema (SQL that sets its own search_path).
 */
function modelTable(history: MigrationHistory, info: ModelInfo): TableFact | undefined {
  const exact = history.tables.get(`${info.dbSchema ?? "public"}.${info.dbName}`);
  if (exact || info.dbSchema !== null) return exact;
  const named = [...history.tables.values()].filter((t) => t.name === info.dbName);
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The index that serves a Prisma relation's columns (`@map` names) in SQL migrations, when the
 * schema has none: one created by hand in a `migration.sql`, or in a folder of
 * `settings.archlint.migrations`, and not dropped since. The first history that has one answers.
 */
export function migrationIndexFor(
  histories: readonly MigrationHistory[],
  info: ModelInfo,
  fields: readonly string[],
  order: ColumnOrder,
): { history: MigrationHistory; table: TableFact; index: IndexFact } | null {
  const columns = fields.map((f) => columnName(info, f));
  for (const history of histories) {
    const table = modelTable(history, info);
    const index = table?.indexes.find((i) => servesLookup(i, columns, order));
    if (table && index) return { history, table, index };
  }
  return null;
}

/**
 * The SQL migration histories that build a Prisma schema's database (Prisma Migrate's folder next
 * to the schema, and `settings.archlint.migrations`), for rules that read the schema and its SQL
 * together. Each history is core's one fold, cached per folder and text.
 */
export function schemaHistories(context: ProjectContext, location: SchemaLocation): MigrationHistory[] {
  return schemaMigrationHistories(location, { cwd: context.cwd, migrations: resolvedSettings(context).migrations });
}

/**
 * Does an index of the model's table in the SQL migrations start with `field`'s column? A partial
 * index counts (a filter that matches its predicate uses it, and archlint does not compare
 * predicates with filters); an expression, or a GIN/GiST/BRIN index, does not serve `=` on it.
 */
export function migrationIndexLeadingWith(histories: readonly MigrationHistory[], info: ModelInfo, field: string): boolean {
  const column = columnName(info, field);
  return histories.some(
    (history) => modelTable(history, info)?.indexes.some((i) => i.columns[0] === column && (i.method === "btree" || i.method === "hash")) ?? false,
  );
}

/** What a history could report, by the file it would be reported in (each is where the migration wrote it). */
interface Candidates {
  /** Tables created in the history whose row level security is off at its end (at the DISABLE, else the CREATE TABLE). */
  withoutRowSecurity: TableFact[];
  /** Tables created in the history with row level security on and not one policy (at the ENABLE). */
  withoutPolicy: TableFact[];
  /** Permissive write policies with `USING (true)` or `WITH CHECK (true)`, whatever their roles. */
  writeAll: Array<{ table: TableFact; policy: PolicyFact }>;
  /** Foreign keys of tables created in the history that no index, primary key or unique constraint serves. */
  unindexed: Array<{ table: TableFact; foreignKey: ForeignKeyFact }>;
}

/** Per fold, computed once: every migration of a folder asks about the same history. */
const candidates = new WeakMap<Map<string, TableFact>, Map<string, Candidates>>();

function candidatesIn(history: MigrationHistory, file: string): Candidates | undefined {
  let byFile = candidates.get(history.tables);
  if (!byFile) {
    byFile = new Map();
    const at = (site: { file: string }): Candidates => {
      let c = byFile!.get(site.file);
      if (!c) byFile!.set(site.file, (c = { withoutRowSecurity: [], withoutPolicy: [], writeAll: [], unindexed: [] }));
      return c;
    };
    for (const table of history.tables.values()) {
      for (const policy of table.policies) {
        if (policy.permissive && WRITES.has(policy.command) && (policy.using === "true" || policy.withCheck === "true"))
          at(policy.site).writeAll.push({ table, policy });
      }
      if (table.created === null) continue;
      if (!table.rowSecurity.enabled) at(table.rowSecurity.site ?? table.created).withoutRowSecurity.push(table);
      else if (table.policies.length === 0 && table.rowSecurity.site) at(table.rowSecurity.site).withoutPolicy.push(table);
      for (const foreignKey of table.foreignKeys) {
        if (!table.indexes.some((i) => servesLookup(i, foreignKey.columns))) at(foreignKey.site).unindexed.push({ table, foreignKey });
      }
    }
    candidates.set(history.tables, byFile);
  }
  return byFile.get(file);
}

/** Tables of exposed schemas whose row level security is off at the end of the history, reported in `file`. */
export function tablesWithoutRowSecurity(history: MigrationHistory, exposed: ReadonlySet<string>, file: string): TableFact[] {
  return (candidatesIn(history, file)?.withoutRowSecurity ?? []).filter((t) => exposed.has(t.schema));
}

/** Tables of exposed schemas with row level security on and not one policy, reported in `file`. */
export function tablesWithoutPolicy(history: MigrationHistory, exposed: ReadonlySet<string>, file: string): TableFact[] {
  return (candidatesIn(history, file)?.withoutPolicy ?? []).filter((t) => exposed.has(t.schema));
}

/**
 * Permissive policies on tables of exposed schemas that let one of `roles` write any row:
 * `USING (true)` or `WITH CHECK (true)` on INSERT, UPDATE, DELETE or ALL, reported in `file`. A
 * restrictive policy with `true` grants nothing; a SELECT policy only reads.
 */
export function writeAllPolicies(
  history: MigrationHistory,
  exposed: ReadonlySet<string>,
  roles: ReadonlySet<string>,
  file: string,
): Array<{ table: TableFact; policy: PolicyFact; roles: string[] }> {
  return (candidatesIn(history, file)?.writeAll ?? []).flatMap(({ table, policy }) => {
    const open = policy.roles.filter((r) => roles.has(r));
    return exposed.has(table.schema) && open.length > 0 ? [{ table, policy, roles: open }] : [];
  });
}

/** Foreign keys no index, primary key or unique constraint serves at the end of the history, reported in `file`. */
export function unindexedForeignKeys(history: MigrationHistory, file: string): Array<{ table: TableFact; foreignKey: ForeignKeyFact }> {
  return candidatesIn(history, file)?.unindexed ?? [];
}
