import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing, rethrowUnlessMissingOrMalformed, statOrNull } from "../fs-probe.js";
import { walkFiles } from "../project/files.js";
import type { SqlProgram } from "./ast.js";
import { ddlEvents, type DdlEvent, type ForeignKeyDef, type KeyDef, type PolicyDef, type Site, type TableName } from "./ddl.js";
import { parseSql, type ParsedSql } from "./parse.js";
import { SqlText } from "./text.js";
import { isRecordingReads, noteFileRead, noteFolderRead } from "../reads.js";

/**
 * The migration history of a SQL migration: every `.sql` file of its migrations folder, applied
 * in filename order and folded into the schema they leave behind (tables, columns, keys, foreign
 * keys, indexes, row level security, policies), each fact with the file and span that wrote it.
 *
 * Which folder: `settings.archlint.migrations` (folders relative to the working directory), else
 * the nearest folder named `migrations` above the file: Supabase's `supabase/migrations/*.sql`,
 * Prisma's `prisma/migrations/<name>/migration.sql`, and most other tools' layouts. Files are
 * ordered by their path inside that folder, which is how each of these tools orders them; down
 * migrations (`down.sql`, `*.down.sql`) undo, and are left out. A file in no migrations folder is
 * its own history.
 *
 * Cached per process on the files' CONTENTS: each file is read again on every request (a
 * checkout can restore another text with the same size and mtime), and its parse and schema
 * changes are reused while its bytes are the same; the fold is redone only when a file changed.
 * Inside one run (`inMigrationRun`: one `archlint check`; `migrationRunForProcess`: a process that
 * is one `eslint` command), a folder is listed and read once, and its project facts (other
 * database, Prisma Migrate, Supabase) looked up once.
 */

export type ForeignKeyFact = ForeignKeyDef;

export interface IndexFact {
  /** The name Postgres gives it (as written, or the default `<table>_<cols>_idx` / `_pkey` / `_key`). */
  name: string;
  kind: "primary" | "unique" | "index";
  /** Made by a PRIMARY KEY / UNIQUE constraint (dropped with DROP CONSTRAINT), else by CREATE INDEX (DROP INDEX). */
  constraint: boolean;
  columns: Array<string | null>;
  method: string;
  partial: boolean;
  /** A partial index whose predicate is only `col IS NOT NULL` on these columns (see IndexDef). */
  notNullOnly: string[] | null;
  site: Site;
}

export interface PolicyFact extends PolicyDef {
  /** The CREATE POLICY, or the ALTER POLICY that last changed its roles or expressions. */
  site: Site;
}

export interface TableFact {
  schema: string;
  name: string;
  /** The CREATE TABLE; null for a table the history alters but did not create (its keys and indexes are unknown). */
  created: Site | null;
  columns: string[];
  foreignKeys: ForeignKeyFact[];
  /** Primary key, unique constraints and indexes. */
  indexes: IndexFact[];
  rowSecurity: { enabled: boolean; site: Site | null };
  policies: PolicyFact[];
}

export interface MigrationHistory {
  /** The migrations folder, or null when the file is in none (it is then its own history). */
  folder: string | null;
  files: string[];
  /** Files Postgres's parser rejects: the history misses what they do. */
  unparsed: string[];
  /** `migration_lock.toml` names a database other than PostgreSQL (Prisma on MySQL, SQLite...). */
  notPostgres: boolean;
  /** Prisma Migrate wrote the folder (it has `migration_lock.toml`): the schema is the source, the SQL is generated from it. */
  prismaMigrate: boolean;
  /** The project uses Supabase (see `supabaseProject`): its `public` schema is served to clients. */
  supabase: boolean;
  /** Every table at the end of the history, by `schema.name`. */
  tables: Map<string, TableFact>;
}

export interface HistoryOptions {
  /** The working directory settings are relative to. */
  cwd: string;
  /** `settings.archlint.migrations`. */
  migrations?: string | string[] | undefined;
}

const DOWN = /(?:^|[._-])down\.sql$/i;
const MAX_DEPTH = 4;

/** The migrations folder `file` belongs to, or null. */
export function migrationsFolder(file: string, options: HistoryOptions): string | null {
  const abs = path.resolve(file);
  if (options.migrations !== undefined) {
    const configured = (Array.isArray(options.migrations) ? options.migrations : [options.migrations]).map((m) => path.resolve(options.cwd, m));
    const holding = configured.filter((dir) => abs.startsWith(dir + path.sep)).sort((a, b) => b.length - a.length);
    return holding[0] ?? null;
  }
  for (let dir = path.dirname(abs); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (path.basename(dir) === "migrations") return dir;
  }
  return null;
}

function isMigrationFile(file: string): boolean {
  const name = path.basename(file);
  return name.toLowerCase().endsWith(".sql") && !DOWN.test(name);
}

const relativeKey = (folder: string, file: string): string => path.relative(folder, file).split(path.sep).join("/");

function insertionPoint(list: string[], file: string, folder: string): number {
  const key = relativeKey(folder, file);
  const at = list.findIndex((f) => relativeKey(folder, f) > key);
  return at === -1 ? list.length : at;
}

/** The migration files of a folder, in the order they are applied. */
export function migrationFiles(folder: string): string[] {
  const out = walkFiles(folder, (name, e) => e.isFile() && isMigrationFile(name), { maxDepth: MAX_DEPTH, skipDir: (name) => name === "node_modules" }).map(
    (abs) => ({
      rel: relativeKey(folder, abs),
      abs,
    }),
  );
  // Code-unit order: the same on every machine, whatever its locale.
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)).map((f) => f.abs);
}

/**
 * Whether the migrations folder holds another database's SQL: Prisma writes the provider into
 * `migration_lock.toml` (`provider = "mysql"`), and MySQL or SQLite migrations are not Postgres.
 */
export function notPostgres(folder: string | null): boolean {
  if (folder === null) return false;
  return runFacts(folder).notPostgres;
}

function readNotPostgres(folder: string): boolean {
  let text: string;
  noteFileRead(path.join(folder, "migration_lock.toml"));
  try {
    text = fs.readFileSync(path.join(folder, "migration_lock.toml"), "utf8");
  } catch (error) {
    rethrowUnlessMissing(error);
    return false;
  }
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  return provider !== undefined && provider !== "postgresql" && provider !== "postgres" && provider !== "cockroachdb";
}

const SUPABASE_PACKAGE = /^(?:supabase|@supabase\/.+)$/;

/**
 * Whether the project of a migrations folder uses Supabase, which serves the `public` schema to
 * every client through its Data API: the folder is `supabase/migrations`, or a folder at or above
 * it (up to the repository's root) has `supabase/config.toml` or a package.json depending on
 * `supabase` or an `@supabase/*` package. A plain Postgres project (Prisma migrations, a server
 * with its own connection) exposes no schema by itself.
 */
export function supabaseProject(folder: string): boolean {
  if (path.basename(folder) === "migrations" && path.basename(path.dirname(folder)) === "supabase") return true;
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (statOrNull(path.join(dir, "supabase", "config.toml"))?.isFile()) return true;
    if (dependsOnSupabase(path.join(dir, "package.json"))) return true;
    if (statOrNull(path.join(dir, ".git")) || path.dirname(dir) === dir) return false;
  }
}

function dependsOnSupabase(packageJson: string): boolean {
  let manifest: Record<string, unknown>;
  noteFileRead(packageJson);
  try {
    manifest = JSON.parse(fs.readFileSync(packageJson, "utf8")) as Record<string, unknown>;
  } catch (error) {
    // No package.json here, or one that is not JSON: no dependency to read.
    rethrowUnlessMissingOrMalformed(error);
    return false;
  }
  return ["dependencies", "devDependencies", "peerDependencies"].some((key) => {
    const deps = manifest[key];
    return typeof deps === "object" && deps !== null && Object.keys(deps).some((name) => SUPABASE_PACKAGE.test(name));
  });
}

interface FileEntry {
  /** The bytes read from disk (null: text handed in by an editor). */
  bytes: Buffer | null;
  text: string;
  parsed: ParsedSql;
  /** Its schema changes, worked out when a history first asks (null: the file does not parse). */
  events: DdlEvent[] | null | undefined;
}

const files = new Map<string, FileEntry>();
/** Bumped whenever `files` changes (an entry added, replaced or dropped): a fold made at the same version saw the same entries. */
let filesVersion = 0;

interface Fold {
  entries: Array<[string, FileEntry]>;
  history: MigrationHistory;
  /** Made in this run from its listing of the folder (as is, no unsaved file added): the run's later lints of the folder may reuse it at once (see `runHit`). */
  run: { run: Run; listed: string[]; version: number; index: Map<string, number> } | null;
}
/** A folder's last fold, with the files (and their entries: a new text is a new entry) it was folded from. */
const folds = new Map<string, Fold>();

/** Same files, same contents (an entry is replaced, never changed, when its file's text changes). */
function sameEntries(a: Array<[string, FileEntry]>, b: Array<[string, FileEntry]>): boolean {
  return a.length === b.length && a.every(([f, e], i) => b[i]![0] === f && b[i]![1] === e);
}

/** What a folder's project is: read from disk on each request, or once per run. */
interface ProjectFacts {
  notPostgres: boolean;
  prismaMigrate: boolean;
  supabase: boolean;
}

/** One lint run: the folders listed and read in it, with their files, and their project facts. */
interface Run {
  lists: Map<string, string[]>;
  facts: Map<string, ProjectFacts>;
}

const runs = new AsyncLocalStorage<Run>();
let processRun: Run | null = null;

const newRun = (): Run => ({ lists: new Map(), facts: new Map() });
const currentRun = (): Run | null => runs.getStore() ?? processRun;

/**
 * Runs `fn` (and everything it awaits) as one lint run, in which migration files are taken not to
 * change: each folder is listed and read once, not once per linted migration (n² reads for a
 * folder of n). For callers that know where a run starts and ends: `archlint check`. Outside
 * one, every request reads the folder again.
 */
export function inMigrationRun<T>(fn: () => T): T {
  return runs.run(newRun(), fn);
}

/**
 * Makes the rest of this process one lint run (see `inMigrationRun`): for a process that is one
 * `eslint` command, which lints every file once and exits. Never for a process that lives on (an
 * editor's ESLint server, a daemon, a test runner): there, files change between lints.
 */
export function migrationRunForProcess(): void {
  processRun ??= newRun();
}

function runFacts(folder: string): ProjectFacts {
  const run = currentRun();
  const hit = run?.facts.get(folder);
  if (hit) return hit;
  const facts = {
    notPostgres: readNotPostgres(folder),
    prismaMigrate: statOrNull(path.join(folder, "migration_lock.toml"))?.isFile() === true,
    supabase: supabaseProject(folder),
  };
  run?.facts.set(folder, facts);
  return facts;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function entryFor(file: string, text: string, bytes: Buffer | null, program?: SqlProgram): FileEntry {
  const parsed: ParsedSql = program ? { ok: true, program, text: new SqlText(text) } : parseSql(text);
  const entry: FileEntry = { bytes, text, parsed, events: undefined };
  files.set(file, entry);
  filesVersion++;
  return entry;
}

function eventsOf(file: string, entry: FileEntry): DdlEvent[] | null {
  if (entry.events === undefined) entry.events = entry.parsed.ok ? ddlEvents(file, entry.parsed.text, entry.parsed.program) : null;
  return entry.events;
}

/**
 * `parseSql` of a migration, shared with its history: the language parses a file, the history of
 * its folder reads every file of it, and each text is parsed once, by whichever asks first.
 */
export function parseMigration(file: string, text: string): ParsedSql {
  if (!path.isAbsolute(file)) return parseSql(text);
  const cached = files.get(file);
  if (cached && cached.text === text) return cached.parsed;
  return entryFor(file, text, null).parsed;
}

/** A file's schema changes; from `override` (the editor's text, and its parse) when given, else from disk. */
function fileEntry(file: string, override?: { text: string; program?: SqlProgram }): FileEntry | null {
  const cached = files.get(file);
  if (override) {
    if (cached && cached.text === override.text) return cached;
    return entryFor(file, override.text, null, override.program);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    // Deleted since the folder was listed.
    rethrowUnlessMissing(error);
    if (files.delete(file)) filesVersion++;
    return null;
  }
  if (cached?.bytes?.equals(bytes)) return cached;
  // ESLint reads files without their BOM; positions must match its.
  const text = stripBom(bytes.toString("utf8"));
  if (cached && cached.text === text) {
    cached.bytes = bytes;
    return cached;
  }
  return entryFor(file, text, bytes);
}

/**
 * The history `file` is part of, with `text` (and its parse, when the caller has it) as the
 * file's contents: an editor lints text that is not saved yet.
 */
export function migrationHistory(file: string, text: string, options: HistoryOptions & { program?: SqlProgram }): MigrationHistory {
  const abs = path.resolve(file);
  return historyOf(migrationsFolder(abs, options), { file: abs, text, program: options.program });
}

/**
 * The history of a migrations folder as it is on disk (no file of it being linted), or null when
 * it holds no migration: what a Prisma schema's rules ask of the SQL next to it.
 */
export function folderHistory(folder: string): MigrationHistory | null {
  const history = historyOf(path.resolve(folder), null);
  return history.files.length === 0 ? null : history;
}

function historyOf(folder: string | null, linted: { file: string; text: string; program?: SqlProgram | undefined } | null): MigrationHistory {
  const abs = linted?.file ?? null;
  const run = folder === null ? null : currentRun();
  const seen = run?.lists.get(folder!);
  if (run && seen && linted) {
    const history = runHit(run, folder!, seen, linted);
    if (history) return history;
  }
  const list = seen ? [...seen] : folder === null ? [abs!] : migrationFiles(folder);
  if (run && !seen) run.lists.set(folder!, [...list]);
  // A migration an editor has not saved yet is still part of its folder's history.
  if (folder !== null && abs !== null && !list.includes(abs) && isMigrationFile(abs)) list.splice(insertionPoint(list, abs, folder), 0, abs);
  const entries: Array<[string, FileEntry]> = [];
  // Listed once per run, read once per run: each linted migration still depends on all of them.
  if (folder !== null) noteFolderRead(folder);
  for (const f of list) {
    if (f !== abs) noteFileRead(f);
    // Read in this run already: the cached entry is that content.
    const entry = f === abs ? fileEntry(f, { text: linted!.text, program: linted!.program }) : seen && files.has(f) ? files.get(f)! : fileEntry(f);
    if (entry) entries.push([f, entry]);
  }
  const cacheKey = folder ?? abs!;
  // Read every time, as the files are: neither is part of the cache key.
  const project = folder === null ? { notPostgres: false, prismaMigrate: false, supabase: supabaseProject(path.dirname(abs!)) } : runFacts(folder);
  const hit = folds.get(cacheKey);
  const inRun =
    run && seen && list.length === seen.length && entries.length === list.length
      ? { run, listed: seen, version: filesVersion, index: new Map(entries.map(([f], i) => [f, i])) }
      : null;
  if (hit && sameEntries(hit.entries, entries)) {
    hit.run = inRun;
    return { ...hit.history, ...project };
  }
  const history: MigrationHistory = {
    folder,
    files: entries.map(([f]) => f),
    unparsed: entries.filter(([f, e]) => eventsOf(f, e) === null).map(([f]) => f),
    ...project,
    tables: fold(entries.flatMap(([f, e]) => eventsOf(f, e) ?? [])),
  };
  folds.set(cacheKey, { entries, history, run: inRun });
  return history;
}

/**
 * Inside a run, the fold of the folder's listed files when the linted file's text is the one
 * folded and no file's entry changed since (`filesVersion`): what `historyOf` would fold again
 * from the same entries, without building and comparing the folder's entry list once per linted
 * migration (n² steps for a folder of n, ~40 ms of a cold run of 200). The linted file still
 * depends on every file of the folder (its reads are noted as `historyOf` notes them).
 */
function runHit(run: Run, folder: string, seen: string[], linted: { file: string; text: string; program?: SqlProgram | undefined }): MigrationHistory | null {
  const hit = folds.get(folder);
  const at = hit?.run?.index.get(linted.file);
  if (!hit?.run || at === undefined || hit.run.run !== run || hit.run.listed !== seen || hit.run.version !== filesVersion) return null;
  const entry = fileEntry(linted.file, { text: linted.text, program: linted.program });
  if (entry !== hit.entries[at]![1] || hit.run.version !== filesVersion) return null;
  if (isRecordingReads()) {
    noteFolderRead(folder);
    for (const f of seen) if (f !== linted.file) noteFileRead(f);
  }
  return { ...hit.history, ...runFacts(folder) };
}

/** Forget every cached migration file and history, and end the process's run (tests; a new run in the same process). */
export function clearMigrationCache(): void {
  files.clear();
  filesVersion++;
  folds.clear();
  processRun = null;
}

// ---------------------------------------------------------------------------------------------
// The fold

const keyOf = (t: TableName): string => `${t.schema}.${t.name}`;

/**
 * Postgres's `makeObjectName`: `<name1>_<name2>_<label>`, the longer of the two names shortened
 * until the whole fits in 63 bytes (ASCII assumed: names here are what migrations write).
 */
function objectName(name1: string, name2: string, label: string): string {
  const overhead = (label ? label.length + 1 : 0) + (name2 ? 1 : 0);
  const avail = 63 - overhead;
  let n1 = name1.length;
  let n2 = name2.length;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  return [name1.slice(0, n1), name2 ? name2.slice(0, n2) : null, label || null].filter((p) => p !== null).join("_");
}

function keyName(table: string, key: KeyDef): string {
  if (key.name) return key.name;
  return key.kind === "primary" ? objectName(table, "", "pkey") : objectName(table, key.columns.join("_"), "key");
}

function foreignKeyName(table: string, fk: ForeignKeyFact): string {
  return fk.name ?? objectName(table, fk.columns.join("_"), "fkey");
}

function emptyTable(t: TableName, created: Site | null): TableFact {
  return { schema: t.schema, name: t.name, created, columns: [], foreignKeys: [], indexes: [], rowSecurity: { enabled: false, site: null }, policies: [] };
}

function fold(events: DdlEvent[]): Map<string, TableFact> {
  const tables = new Map<string, TableFact>();
  /** A table the history alters without creating it (Supabase's `auth.users`, one made by a tool): known in part. */
  const table = (t: TableName): TableFact => {
    let fact = tables.get(keyOf(t));
    if (!fact) tables.set(keyOf(t), (fact = emptyTable(t, null)));
    return fact;
  };
  const addKey = (fact: TableFact, key: KeyDef): void => {
    if (key.usingIndex !== null) {
      // The index becomes the constraint's (renamed to the constraint's name when it has one).
      const index = fact.indexes.find((i) => i.name === key.usingIndex);
      if (index) Object.assign(index, { kind: key.kind, constraint: true, name: key.name ?? index.name });
      return;
    }
    fact.indexes.push({
      name: keyName(fact.name, key),
      kind: key.kind,
      constraint: true,
      columns: key.columns,
      method: "btree",
      partial: false,
      notNullOnly: null,
      site: key.site,
    });
  };
  const addForeignKey = (fact: TableFact, fk: ForeignKeyDef): void => {
    if (fk.columns.length > 0) fact.foreignKeys.push({ ...fk, columns: [...fk.columns] });
  };
  for (const e of events) {
    switch (e.op) {
      case "createTable": {
        if (tables.get(keyOf(e.table))?.created && e.ifNotExists) break;
        const fact = emptyTable(e.table, e.site);
        tables.set(keyOf(e.table), fact);
        fact.columns = [...e.columns];
        for (const key of e.keys) addKey(fact, key);
        for (const fk of e.foreignKeys) addForeignKey(fact, fk);
        break;
      }
      case "dropTable":
        tables.delete(keyOf(e.table));
        break;
      case "renameTable":
      case "setSchema": {
        const fact = tables.get(keyOf(e.table));
        if (!fact) break;
        tables.delete(keyOf(e.table));
        if (e.op === "renameTable") fact.name = e.to;
        else fact.schema = e.to;
        tables.set(keyOf(fact), fact);
        break;
      }
      case "addColumn": {
        const fact = table(e.table);
        if (!fact.columns.includes(e.column)) fact.columns.push(e.column);
        for (const key of e.keys) addKey(fact, key);
        for (const fk of e.foreignKeys) addForeignKey(fact, fk);
        break;
      }
      case "dropColumn": {
        const fact = tables.get(keyOf(e.table));
        if (!fact) break;
        // Postgres drops the indexes and constraints that involve the column with it.
        fact.columns = fact.columns.filter((c) => c !== e.column);
        fact.indexes = fact.indexes.filter((i) => !i.columns.includes(e.column));
        fact.foreignKeys = fact.foreignKeys.filter((fk) => !fk.columns.includes(e.column));
        break;
      }
      case "renameColumn": {
        const fact = tables.get(keyOf(e.table));
        if (!fact) break;
        const rename = (c: string | null): string | null => (c === e.from ? e.to : c);
        fact.columns = fact.columns.map((c) => rename(c)!);
        for (const i of fact.indexes) i.columns = i.columns.map(rename);
        for (const fk of fact.foreignKeys) fk.columns = fk.columns.map((c) => rename(c)!);
        break;
      }
      case "addKey":
        addKey(table(e.table), e.key);
        break;
      case "addForeignKey":
        addForeignKey(table(e.table), e.foreignKey);
        break;
      case "dropConstraint": {
        const fact = tables.get(keyOf(e.table));
        if (!fact) break;
        fact.indexes = fact.indexes.filter((i) => !i.constraint || i.name !== e.name);
        fact.foreignKeys = fact.foreignKeys.filter((fk) => foreignKeyName(fact.name, fk) !== e.name);
        break;
      }
      case "renameConstraint": {
        const fact = tables.get(keyOf(e.table));
        if (!fact) break;
        for (const i of fact.indexes) if (i.constraint && i.name === e.from) i.name = e.to;
        for (const fk of fact.foreignKeys) if (foreignKeyName(fact.name, fk) === e.from) fk.name = e.to;
        break;
      }
      case "rowSecurity":
        table(e.table).rowSecurity = { enabled: e.enabled, site: e.site };
        break;
      case "createIndex": {
        const fact = table(e.table);
        const name = e.index.name ?? objectName(fact.name, e.index.columns.map((c) => c ?? "expr").join("_"), "idx");
        if (e.ifNotExists && [...tables.values()].some((t) => t.schema === fact.schema && t.indexes.some((i) => i.name === name))) break;
        fact.indexes.push({
          name,
          kind: e.index.unique ? "unique" : "index",
          constraint: false,
          columns: e.index.columns,
          method: e.index.method,
          partial: e.index.partial,
          notNullOnly: e.index.notNullOnly,
          site: e.index.site,
        });
        break;
      }
      case "dropIndex":
      case "renameIndex":
        for (const fact of tables.values()) {
          if (fact.schema !== e.index.schema) continue;
          // ALTER INDEX ... RENAME renames a constraint's index (and the constraint) too; DROP INDEX cannot drop one.
          if (e.op === "dropIndex") fact.indexes = fact.indexes.filter((i) => i.constraint || i.name !== e.index.name);
          else for (const i of fact.indexes) if (i.name === e.index.name) i.name = e.to;
        }
        break;
      case "createPolicy": {
        const fact = table(e.table);
        fact.policies = fact.policies.filter((p) => p.name !== e.policy.name);
        fact.policies.push({ ...e.policy, site: e.site });
        break;
      }
      case "alterPolicy": {
        const policy = tables.get(keyOf(e.table))?.policies.find((p) => p.name === e.name);
        if (!policy) break;
        if (e.roles) policy.roles = e.roles;
        if (e.using) policy.using = e.using;
        if (e.withCheck) policy.withCheck = e.withCheck;
        policy.site = e.site;
        break;
      }
      case "dropPolicy": {
        const fact = tables.get(keyOf(e.table));
        if (fact) fact.policies = fact.policies.filter((p) => p.name !== e.name);
        break;
      }
    }
  }
  return tables;
}
