import type { MapModel, MigrationHistory, SchemaModel, Site, TableFact } from "@archlint/core";

/**
 * The tables of the SQL migrations (core's migration history, folded to the schema the migrations
 * leave behind) as models of the map: columns, foreign keys, indexes, row level security and
 * policies. A table that a Prisma model maps to (`@@map`, else the model's name) is merged into
 * that model; the others are models of their own, named by the table (`schema.table` outside
 * `public`). The places each table's facts are written are its ranges, for attaching the sql-*
 * findings.
 */

export interface SqlTables {
  /** SQL facts by the name of the model they belong to (a Prisma model's, or the table's own). */
  byModel: Map<string, { table: TableFact; name: string }>;
  /** Each place a table's facts are written: `file`, first and last line, the model's name. */
  ranges: Array<{ id: string; file: string; line: number; endLine: number }>;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sitesOf(table: TableFact): Site[] {
  return [
    ...(table.created ? [table.created] : []),
    ...table.foreignKeys.map((f) => f.site),
    ...table.indexes.map((i) => i.site),
    ...(table.rowSecurity.site ? [table.rowSecurity.site] : []),
    ...table.policies.map((p) => p.site),
  ];
}

/** The tables of the histories, each named by the Prisma model that maps to it or by itself; the first history (by folder) wins a name twice defined. */
export function sqlTables(histories: MigrationHistory[], schema: SchemaModel | null): SqlTables {
  const prismaByTable = new Map<string, string>();
  for (const m of schema?.models.values() ?? []) prismaByTable.set(m.dbName, m.name);
  const byModel: SqlTables["byModel"] = new Map();
  const ranges: SqlTables["ranges"] = [];
  for (const history of histories) {
    const tables = [...history.tables.values()].sort((a, b) => compare(`${a.schema}.${a.name}`, `${b.schema}.${b.name}`));
    for (const table of tables) {
      // A Prisma model maps to a table by its name (Prisma's models live in `public` unless `@@schema` says otherwise).
      const prisma = table.schema === "public" ? prismaByTable.get(table.name) : undefined;
      const name = prisma ?? tableName(table);
      // A table with no statement to point at (only columns added): nothing to show or attach to.
      if (byModel.has(name) || sitesOf(table).length === 0) continue;
      byModel.set(name, { table, name });
      for (const site of sitesOf(table)) ranges.push({ id: name, file: site.file, line: site.loc.start.line, endLine: site.loc.end.line });
    }
  }
  return { byModel, ranges };
}

/** `feed_items` for a table of `public`, `billing.invoices` otherwise. */
export function tableName(table: { schema: string; name: string }): string {
  return table.schema === "public" ? table.name : `${table.schema}.${table.name}`;
}

/** The SQL half of a model: what the migrations leave of its table. */
export function sqlModelFacts(table: TableFact, rel: (file: string) => string): NonNullable<MapModel["sql"]> {
  const at = (site: Site) => ({ file: rel(site.file), line: site.loc.start.line });
  return {
    schema: table.schema,
    table: table.name,
    location: table.created ? at(table.created) : null,
    columns: [...table.columns],
    foreignKeys: table.foreignKeys
      .map((f) => ({ name: f.name, columns: [...f.columns], references: tableName(f.references), location: at(f.site) }))
      .sort((a, b) => compare(a.columns.join(","), b.columns.join(",")) || compare(a.references, b.references)),
    indexes: table.indexes
      .map((i) => ({ name: i.name, kind: i.kind, columns: [...i.columns], partial: i.partial, location: at(i.site) }))
      .sort((a, b) => compare(a.name, b.name)),
    rls: { enabled: table.rowSecurity.enabled, location: table.rowSecurity.site ? at(table.rowSecurity.site) : null },
    policies: table.policies
      .map((p) => ({
        name: p.name,
        command: p.command,
        roles: [...p.roles],
        permissive: p.permissive,
        using: p.using,
        withCheck: p.withCheck,
        location: at(p.site),
      }))
      .sort((a, b) => compare(a.name, b.name)),
  };
}

/** A model for a table no Prisma model maps to: its relations are its foreign keys, its indexes the table's. */
export function sqlOnlyModel(name: string, table: TableFact, rel: (file: string) => string, modelOfTable: (t: string) => string): MapModel {
  const sql = sqlModelFacts(table, rel);
  const first = table.created ?? sitesOf(table)[0]!;
  return {
    name,
    table: table.name,
    location: { file: rel(first.file), line: first.loc.start.line },
    sources: ["sql"],
    relations: sql.foreignKeys
      .map((f) => ({ field: f.name ?? f.columns.join(", "), model: modelOfTable(f.references), fields: f.columns, references: [] }))
      .sort((a, b) => compare(a.field, b.field)),
    indexes: table.indexes.map((i) => ({ kind: i.kind === "primary" ? ("id" as const) : i.kind, fields: i.columns.map((c) => c ?? "(expression)") })),
    sql,
    readBy: [],
    writtenBy: [],
    findings: [],
  };
}
