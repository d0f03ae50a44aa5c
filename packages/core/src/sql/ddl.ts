import type {
  AlterObjectSchemaStmt,
  AlterPolicyStmt,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreatePolicyStmt,
  CreateStmt,
  CreateTableAsStmt,
  DropStmt,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  VariableSetStmt,
} from "@pgsql/types";
import type { SourceLocation } from "../psl/ast.js";
import type { SqlProgram, SqlStatement } from "./ast.js";
import { nameEnd, type SqlText } from "./text.js";

/**
 * One migration file's statements as schema changes: what each CREATE / ALTER / DROP does to
 * tables, columns, keys, indexes, row level security and policies, with where it is written.
 * Whatever else a migration holds (data changes, functions, grants, views, `DO` blocks, the
 * bodies of dollar-quoted functions) changes nothing here. Names are resolved the way the file's
 * session would: unqualified names land in the first schema of `search_path` (`public` unless
 * the file sets it), as every migration runs in a session of its own.
 */

/** Where a fact is written: the file, and the span a report underlines. */
export interface Site {
  file: string;
  range: [number, number];
  loc: SourceLocation;
}

export interface TableName {
  schema: string;
  name: string;
}

export type KeyKind = "primary" | "unique";

export interface KeyDef {
  kind: KeyKind;
  /** As written (`constraint x`), or null: Postgres then names it `<table>_pkey` / `<table>_<cols>_key`. */
  name: string | null;
  columns: string[];
  /** `PRIMARY KEY USING INDEX i`: the existing index `i` becomes the key (its columns are the index's). */
  usingIndex: string | null;
  site: Site;
}

export interface ForeignKeyDef {
  name: string | null;
  /** The referencing columns (for a column's own `references`, that column). */
  columns: string[];
  references: TableName;
  /** From `REFERENCES` (a column's) or `CONSTRAINT` / `FOREIGN KEY` (a table's) to the referenced table's name. */
  site: Site;
}

export interface IndexDef {
  name: string | null;
  /** Key columns in order; null for an expression (`lower(email)`). */
  columns: Array<string | null>;
  unique: boolean;
  method: string;
  /** `WHERE ...`: serves only the rows it holds. */
  partial: boolean;
  site: Site;
}

export type PolicyCommand = "all" | "select" | "insert" | "update" | "delete";

export interface PolicyDef {
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  /** Role names; `public` for PUBLIC. */
  roles: string[];
  /** USING / WITH CHECK: absent, the constant `true`, or anything else. */
  using: "none" | "true" | "expression";
  withCheck: "none" | "true" | "expression";
}

export type DdlEvent =
  | { op: "createTable"; table: TableName; ifNotExists: boolean; columns: string[]; keys: KeyDef[]; foreignKeys: ForeignKeyDef[]; site: Site }
  | { op: "dropTable"; table: TableName }
  | { op: "renameTable"; table: TableName; to: string }
  | { op: "setSchema"; table: TableName; to: string }
  | { op: "addColumn"; table: TableName; column: string; keys: KeyDef[]; foreignKeys: ForeignKeyDef[] }
  | { op: "dropColumn"; table: TableName; column: string }
  | { op: "renameColumn"; table: TableName; from: string; to: string }
  | { op: "addKey"; table: TableName; key: KeyDef }
  | { op: "addForeignKey"; table: TableName; foreignKey: ForeignKeyDef }
  | { op: "dropConstraint"; table: TableName; name: string }
  | { op: "renameConstraint"; table: TableName; from: string; to: string }
  | { op: "rowSecurity"; table: TableName; enabled: boolean; site: Site }
  | { op: "createIndex"; table: TableName; index: IndexDef; ifNotExists: boolean }
  | { op: "dropIndex"; index: TableName }
  | { op: "renameIndex"; index: TableName; to: string }
  | { op: "createPolicy"; table: TableName; policy: PolicyDef; site: Site }
  | {
      op: "alterPolicy";
      table: TableName;
      name: string;
      roles: string[] | null;
      using: PolicyDef["using"] | null;
      withCheck: PolicyDef["withCheck"] | null;
      site: Site;
    }
  | { op: "dropPolicy"; table: TableName; name: string };

type Unwrapped = { type: string; node: Record<string, unknown> };

/** `{ String: { sval } }` and friends: the one key names the node type. */
function unwrap(node: Node | undefined): Unwrapped | null {
  if (!node) return null;
  // The node's one key is its type (no array of entries built: this runs for every node read).
  for (const type in node) return { type, node: (node as Record<string, unknown>)[type] as Record<string, unknown> };
  return null;
}

function strings(list: Node[] | undefined): string[] {
  return (list ?? []).flatMap((n) => {
    const u = unwrap(n);
    return u?.type === "String" && typeof u.node.sval === "string" ? [u.node.sval] : [];
  });
}

/** `true` as written: the boolean constant (`USING (true)`), which libpg_query keeps as an A_Const. */
function clause(node: Node | undefined): PolicyDef["using"] {
  if (!node) return "none";
  const u = unwrap(node);
  if (u?.type === "A_Const" && (u.node.boolval as { boolval?: boolean } | undefined)?.boolval === true) return "true";
  return "expression";
}

function roleNames(roles: Node[] | undefined): string[] {
  return (roles ?? []).flatMap((n) => {
    const role = unwrap(n);
    if (role?.type !== "RoleSpec") return [];
    if (role.node.roletype === "ROLESPEC_PUBLIC") return ["public"];
    return typeof role.node.rolename === "string" ? [role.node.rolename] : [];
  });
}

const COMMANDS = new Set<PolicyCommand>(["all", "select", "insert", "update", "delete"]);

class FileEvents {
  readonly events: DdlEvent[] = [];
  /** The first schema of `search_path`, where unqualified names land. */
  private schema = "public";

  constructor(
    private readonly file: string,
    private readonly text: SqlText,
  ) {}

  private table(rv: RangeVar | undefined): TableName | null {
    if (!rv?.relname) return null;
    return { schema: rv.schemaname ?? this.schema, name: rv.relname };
  }

  /** From the statement's first token to the end of the name at `nameAt` (a byte offset), or the whole statement. */
  private site(stmt: SqlStatement, fromByte?: number, nameAt?: number): Site {
    // libpg_query writes -1 where a node has no position of its own.
    const start = fromByte === undefined || fromByte < 0 ? stmt.range[0] : this.text.fromByte(fromByte);
    let end = stmt.range[1];
    if (nameAt !== undefined && nameAt >= 0) {
      const at = this.text.fromByte(nameAt);
      if (at >= start && at < stmt.range[1]) end = Math.min(stmt.range[1], Math.max(at, nameEnd(this.text.text, at)));
    }
    return { file: this.file, range: [start, end], loc: this.text.loc(start, end) };
  }

  private constraint(stmt: SqlStatement, c: Constraint, column: string | null): { key?: KeyDef; foreignKey?: ForeignKeyDef } {
    const name = c.conname ?? null;
    const at = c.location ?? undefined;
    if (c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE") {
      const columns = column !== null ? [column] : strings(c.keys);
      const kind = c.contype === "CONSTR_PRIMARY" ? "primary" : "unique";
      return { key: { kind, name, columns, usingIndex: c.indexname ?? null, site: this.site(stmt, at) } };
    }
    if (c.contype === "CONSTR_FOREIGN") {
      const references = this.table(c.pktable);
      if (!references) return {};
      const columns = column !== null ? [column] : strings(c.fk_attrs);
      return { foreignKey: { name, columns, references, site: this.site(stmt, at, c.pktable?.location) } };
    }
    return {};
  }

  private column(stmt: SqlStatement, def: ColumnDef): { name: string | null; keys: KeyDef[]; foreignKeys: ForeignKeyDef[] } {
    const keys: KeyDef[] = [];
    const foreignKeys: ForeignKeyDef[] = [];
    const name = def.colname ?? null;
    if (name === null) return { name, keys, foreignKeys };
    for (const c of def.constraints ?? []) {
      const u = unwrap(c);
      if (u?.type !== "Constraint") continue;
      const { key, foreignKey } = this.constraint(stmt, u.node as Constraint, name);
      if (key) keys.push(key);
      if (foreignKey) foreignKeys.push(foreignKey);
    }
    return { name, keys, foreignKeys };
  }

  add(stmt: SqlStatement): void {
    const n = stmt.node;
    switch (stmt.kind) {
      case "VariableSetStmt": {
        const set = n as VariableSetStmt;
        if (set.name !== "search_path") return;
        const first = unwrap(set.args?.[0]);
        const value = (first?.node.sval as { sval?: string } | undefined)?.sval;
        if (set.kind === "VAR_SET_VALUE" && value !== undefined && value !== "$user") this.schema = value;
        else if (set.kind === "VAR_SET_DEFAULT" || set.kind === "VAR_RESET" || set.kind === "VAR_RESET_ALL") this.schema = "public";
        return;
      }
      case "CreateStmt":
        return this.createTable(stmt, n as CreateStmt);
      case "CreateTableAsStmt": {
        const create = n as CreateTableAsStmt;
        const table = create.objtype === "OBJECT_TABLE" ? this.table(create.into?.rel) : null;
        if (!table || create.into?.rel?.relpersistence === "t") return;
        this.events.push({
          op: "createTable",
          table,
          ifNotExists: create.if_not_exists === true,
          columns: [],
          keys: [],
          foreignKeys: [],
          site: this.site(stmt, undefined, create.into?.rel?.location),
        });
        return;
      }
      case "AlterTableStmt":
        return this.alterTable(stmt, n as AlterTableStmt);
      case "IndexStmt":
        return this.createIndex(stmt, n as IndexStmt);
      case "CreatePolicyStmt": {
        const p = n as CreatePolicyStmt;
        const table = this.table(p.table);
        if (!table || !p.policy_name) return;
        const command = (p.cmd_name ?? "all") as PolicyCommand;
        this.events.push({
          op: "createPolicy",
          table,
          policy: {
            name: p.policy_name,
            command: COMMANDS.has(command) ? command : "all",
            permissive: p.permissive === true,
            roles: roleNames(p.roles),
            using: clause(p.qual),
            withCheck: clause(p.with_check),
          },
          site: this.site(stmt, undefined, p.table?.location),
        });
        return;
      }
      case "AlterPolicyStmt": {
        const p = n as AlterPolicyStmt;
        const table = this.table(p.table);
        if (!table || !p.policy_name) return;
        this.events.push({
          op: "alterPolicy",
          table,
          name: p.policy_name,
          roles: p.roles ? roleNames(p.roles) : null,
          using: p.qual ? clause(p.qual) : null,
          withCheck: p.with_check ? clause(p.with_check) : null,
          site: this.site(stmt, undefined, p.table?.location),
        });
        return;
      }
      case "DropStmt":
        return this.drop(n as DropStmt);
      case "RenameStmt":
        return this.rename(n as RenameStmt);
      case "AlterObjectSchemaStmt": {
        const s = n as AlterObjectSchemaStmt;
        const table = s.objectType === "OBJECT_TABLE" ? this.table(s.relation) : null;
        if (table && s.newschema) this.events.push({ op: "setSchema", table, to: s.newschema });
        return;
      }
      default:
        return;
    }
  }

  private createTable(stmt: SqlStatement, create: CreateStmt): void {
    const table = this.table(create.relation);
    // A temporary table lives for the migration's session only.
    if (!table || create.relation?.relpersistence === "t") return;
    const columns: string[] = [];
    const keys: KeyDef[] = [];
    const foreignKeys: ForeignKeyDef[] = [];
    for (const element of create.tableElts ?? []) {
      const u = unwrap(element);
      if (u?.type === "ColumnDef") {
        const column = this.column(stmt, u.node as ColumnDef);
        if (column.name !== null) columns.push(column.name);
        keys.push(...column.keys);
        foreignKeys.push(...column.foreignKeys);
      } else if (u?.type === "Constraint") {
        const { key, foreignKey } = this.constraint(stmt, u.node as Constraint, null);
        if (key) keys.push(key);
        if (foreignKey) foreignKeys.push(foreignKey);
      }
    }
    this.events.push({
      op: "createTable",
      table,
      ifNotExists: create.if_not_exists === true,
      columns,
      keys,
      foreignKeys,
      site: this.site(stmt, undefined, create.relation?.location),
    });
  }

  private alterTable(stmt: SqlStatement, alter: AlterTableStmt): void {
    const table = alter.objtype === "OBJECT_TABLE" ? this.table(alter.relation) : null;
    if (!table) return;
    for (const wrapped of alter.cmds ?? []) {
      const u = unwrap(wrapped);
      if (u?.type !== "AlterTableCmd") continue;
      const cmd = u.node as AlterTableCmd;
      const def = unwrap(cmd.def);
      switch (cmd.subtype) {
        case "AT_AddColumn": {
          if (def?.type !== "ColumnDef") break;
          const column = this.column(stmt, def.node as ColumnDef);
          if (column.name !== null) this.events.push({ op: "addColumn", table, column: column.name, keys: column.keys, foreignKeys: column.foreignKeys });
          break;
        }
        case "AT_DropColumn":
          if (cmd.name) this.events.push({ op: "dropColumn", table, column: cmd.name });
          break;
        case "AT_AddConstraint": {
          if (def?.type !== "Constraint") break;
          const { key, foreignKey } = this.constraint(stmt, def.node as Constraint, null);
          if (key) this.events.push({ op: "addKey", table, key });
          if (foreignKey) this.events.push({ op: "addForeignKey", table, foreignKey });
          break;
        }
        case "AT_DropConstraint":
          if (cmd.name) this.events.push({ op: "dropConstraint", table, name: cmd.name });
          break;
        case "AT_EnableRowSecurity":
        case "AT_DisableRowSecurity":
          this.events.push({ op: "rowSecurity", table, enabled: cmd.subtype === "AT_EnableRowSecurity", site: this.site(stmt) });
          break;
        default:
          break;
      }
    }
  }

  private createIndex(stmt: SqlStatement, index: IndexStmt): void {
    const table = this.table(index.relation);
    if (!table) return;
    const columns = (index.indexParams ?? []).map((p) => {
      const elem = unwrap(p);
      return elem?.type === "IndexElem" && typeof elem.node.name === "string" ? elem.node.name : null;
    });
    this.events.push({
      op: "createIndex",
      table,
      ifNotExists: index.if_not_exists === true,
      index: {
        name: index.idxname ?? null,
        columns,
        unique: index.unique === true || index.primary === true,
        method: index.accessMethod ?? "btree",
        partial: index.whereClause !== undefined,
        site: this.site(stmt, undefined, index.relation?.location),
      },
    });
  }

  private qualified(parts: string[]): TableName | null {
    if (parts.length === 0) return null;
    return { schema: parts.length > 1 ? parts[parts.length - 2]! : this.schema, name: parts[parts.length - 1]! };
  }

  private drop(drop: DropStmt): void {
    for (const object of drop.objects ?? []) {
      const u = unwrap(object);
      const parts = u?.type === "List" ? strings(u.node.items as Node[]) : [];
      if (drop.removeType === "OBJECT_TABLE") {
        const table = this.qualified(parts);
        if (table) this.events.push({ op: "dropTable", table });
      } else if (drop.removeType === "OBJECT_INDEX") {
        const index = this.qualified(parts);
        if (index) this.events.push({ op: "dropIndex", index });
      } else if (drop.removeType === "OBJECT_POLICY") {
        const table = this.qualified(parts.slice(0, -1));
        const name = parts[parts.length - 1];
        if (table && name) this.events.push({ op: "dropPolicy", table, name });
      }
    }
  }

  private rename(rename: RenameStmt): void {
    const target = this.table(rename.relation);
    if (!target || !rename.newname) return;
    switch (rename.renameType) {
      case "OBJECT_TABLE":
        this.events.push({ op: "renameTable", table: target, to: rename.newname });
        return;
      case "OBJECT_COLUMN":
        if (rename.relationType === "OBJECT_TABLE" && rename.subname)
          this.events.push({ op: "renameColumn", table: target, from: rename.subname, to: rename.newname });
        return;
      case "OBJECT_TABCONSTRAINT":
        if (rename.subname) this.events.push({ op: "renameConstraint", table: target, from: rename.subname, to: rename.newname });
        return;
      case "OBJECT_INDEX":
        this.events.push({ op: "renameIndex", index: target, to: rename.newname });
        return;
      default:
        return;
    }
  }
}

/** The schema changes of one parsed migration file, in order. */
export function ddlEvents(file: string, text: SqlText, program: SqlProgram): DdlEvent[] {
  const events = new FileEvents(file, text);
  for (const stmt of program.body) events.add(stmt);
  return events.events;
}
