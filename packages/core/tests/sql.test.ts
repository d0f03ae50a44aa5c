import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadModule, scanSync } from "libpg-query";
import {
  clearMigrationCache,
  inMigrationRun,
  migrationFiles,
  migrationHistory,
  migrationRunForProcess,
  parseMigration,
  parseSql,
  resolveSettings,
  schemaFingerprint,
  settingsSchema,
  SqlText,
  sqlComments,
  supabaseProject,
  type TableFact,
} from "../src/index.js";

/**
 * The SQL side of core: Postgres's parser loaded synchronously (positions converted from bytes and
 * characters to UTF-16), the comment finder checked against Postgres's own scanner, and the
 * migration history folded from a folder of files, cached on their contents.
 */

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-sql-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => clearMigrationCache());

describe("parseSql", () => {
  it("places each statement from its first token to its last (no leading comment, no `;`, no trailing comment)", () => {
    const text = "-- header\n\n/* a */ create table a (id int) ;  -- after\ncreate index on a (id)\n-- trailing\n";
    const parsed = parseSql(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.program.body.map((s) => [s.kind, text.slice(...s.range)])).toEqual([
      ["CreateStmt", "create table a (id int)"],
      ["IndexStmt", "create index on a (id)"],
    ]);
    expect(parsed.program.body[0]!.loc).toEqual({ start: { line: 3, column: 8 }, end: { line: 3, column: 31 } });
    expect(parsed.program.comments.map((c) => [c.type, c.value])).toEqual([
      ["Line", " header"],
      ["Block", " a "],
      ["Line", " after"],
      ["Line", " trailing"],
    ]);
  });

  it("an empty file, blanks and comments only: an empty program", () => {
    for (const text of ["", "  \n\r\n", "-- nothing yet\n", "/* a /* nested */ comment */"]) {
      const parsed = parseSql(text);
      expect(parsed.ok && parsed.program.body).toEqual([]);
    }
  });

  it("one error at the parser's position, in UTF-16 units after multi-byte and astral characters", () => {
    const text = "select 'é😀';\nselect 'x";
    const parsed = parseSql(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toEqual({ message: `unterminated quoted string at or near "'x"`, offset: 21, position: { line: 2, column: 7 } });
    expect(text.slice(parsed.error.offset)).toBe("'x");
  });

  it("MySQL, a BOM inside the text, and NUL are errors where they are; deep nesting is the parser's own error", () => {
    const mysql = parseSql("CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT) ENGINE=InnoDB;");
    expect(!mysql.ok && [mysql.error.message, mysql.error.offset]).toEqual(['syntax error at or near "`"', 13]);
    const nul = parseSql("select 1;\0select 2;");
    expect(!nul.ok && [nul.error.message, nul.error.offset]).toEqual(['invalid byte sequence for encoding "UTF8": 0x00', 9]);
    const bom = parseSql("\uFEFFcreate table a (id int);");
    expect(!bom.ok && bom.error.offset).toBe(0);
    const deep = parseSql(`select ${"(".repeat(20_000)}1${")".repeat(20_000)}`);
    expect(!deep.ok && deep.error.message).toMatch(/^memory exhausted/);
    // A chain the grammar takes at any length makes a tree deeper than the engine's stack.
    const chain = parseSql(`select ${Array.from({ length: 50_000 }, () => "1").join("+")}`);
    expect(!chain.ok && [chain.error.message, chain.error.offset]).toEqual([
      "the Postgres parser could not read this file: Maximum call stack size exceeded",
      0,
    ]);
    // The parser is still usable afterwards (a fresh instance when the old one was left mid-call).
    const after = parseSql("create table a (id int references b);");
    expect(after.ok && after.program.body.map((s) => s.kind)).toEqual(["CreateStmt"]);
  });

  it("node byte offsets convert to UTF-16 offsets", () => {
    const text = "select 'ü'; create table \"Ünïcode😀\" (a int);";
    const sql = new SqlText(text);
    const bytes = Buffer.from(text, "utf8");
    const at = bytes.indexOf(Buffer.from('"Ü', "utf8"));
    expect(text.slice(sql.fromByte(at), sql.fromByte(at) + 3)).toBe('"Ün');
    expect(sql.fromByte(bytes.length)).toBe(text.length);
    expect(sql.fromCodePoint([...text].length)).toBe(text.length);
  });
});

describe("sqlComments agrees with Postgres's own scanner", () => {
  beforeAll(async () => {
    await loadModule();
  });

  const cases = [
    "select 1 -- a\n/* b /* nested */ c */ select 2",
    "select '-- not a comment', 'it''s /* not */ either' -- but this is",
    "select E'\\' -- still a string', $$ -- body $$, $tag$ /* $$ */ $tag$ -- c",
    'select "col -- name", U&"d\\0061t" /* c */',
    "select a$b$c from t -- $b$ is part of the name\n",
    "select 1 --- three dashes\nselect 2 - -3 /**/ select 4 */",
    "create function f() returns int language sql as $f$ select 1 -- inner $f$; -- outer",
    "select x-- glued\n, y/*glued*/from t",
    "select 'a'\n'b' -- continued string\n",
    "do $do$ begin raise notice '$$'; end $do$; -- after",
    "select $a$ x $a$$b$ -- inside b $b$ -- after two dollar quotes back to back",
    "select $1abc$ -- a parameter, then a word ending in $\n, x$y$ /* a $ inside a word */",
  ];

  it.each(cases)("%s", (text) => {
    const expected = scanSync(text)
      .tokens.filter((t) => t.tokenName === "SQL_COMMENT" || t.tokenName === "C_COMMENT")
      .map((t) => text.slice(t.start, t.end));
    expect(sqlComments(new SqlText(text)).map((c) => text.slice(...c.range))).toEqual(expected);
  });
});

describe("settings", () => {
  it("migrations and exposedSchemas are described; both stay unset by default (found per project)", () => {
    const shape = settingsSchema.shape;
    expect(shape.migrations.description).toMatch(/migrations/);
    expect(shape.exposedSchemas.description).toMatch(/row level security/);
    expect(resolveSettings({}).exposedSchemas).toBeUndefined();
    expect(resolveSettings({ migrations: "db/migrations" }).migrations).toBe("db/migrations");
    expect(() => resolveSettings({ migrations: [] })).toThrow(/settings\.archlint\.migrations/);
  });
});

const table = (history: ReturnType<typeof migrationHistory>, name: string): TableFact => history.tables.get(name)!;

describe("migration history", () => {
  it("Prisma's layout in folder order; down migrations are left out", () => {
    const dir = folder({
      "prisma/migrations/20240102_b/migration.sql": "",
      "prisma/migrations/20240101_a/migration.sql": "",
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "db/migrations/0002_x.up.sql": "",
      "db/migrations/0002_x.down.sql": "",
      "db/migrations/0001_init.sql": "",
      "db/migrations/down.sql": "",
    });
    expect(migrationFiles(path.join(dir, "prisma/migrations")).map((f) => path.relative(dir, f))).toEqual([
      "prisma/migrations/20240101_a/migration.sql",
      "prisma/migrations/20240102_b/migration.sql",
    ]);
    expect(migrationFiles(path.join(dir, "db/migrations")).map((f) => path.relative(dir, f))).toEqual([
      "db/migrations/0001_init.sql",
      "db/migrations/0002_x.up.sql",
    ]);
  });

  it("folds renames, default constraint and index names, USING INDEX and search_path", () => {
    const dir = folder({
      "supabase/migrations/001.sql": `create table public.tasks (id int, org_id int references orgs, owner int);
create index on tasks (owner);
alter table tasks add constraint tasks_owner_fkey foreign key (owner) references users (id);
create unique index tasks_id_idx on tasks (id);
alter table tasks add constraint tasks_pk primary key using index tasks_id_idx;`,
      "supabase/migrations/002.sql": `alter table tasks drop constraint tasks_org_id_fkey;
alter table tasks rename column owner to owner_id;
drop index tasks_owner_idx;
alter table tasks rename to todos;
set search_path = app;
create table jobs (id int);`,
    });
    const file = path.join(dir, "supabase/migrations/002.sql");
    const history = migrationHistory(file, fs.readFileSync(file, "utf8"), { cwd: dir });
    expect([...history.tables.keys()].sort()).toEqual(["app.jobs", "public.todos"]);
    const todos = table(history, "public.todos");
    expect(todos.columns).toEqual(["id", "org_id", "owner_id"]);
    expect(todos.foreignKeys.map((fk) => [fk.name, fk.columns])).toEqual([["tasks_owner_fkey", ["owner_id"]]]);
    expect(todos.indexes.map((i) => [i.name, i.kind, i.constraint, i.columns])).toEqual([["tasks_pk", "primary", true, ["id"]]]);
  });

  it("Postgres's 63-byte names: the longer part is shortened first (makeObjectName)", () => {
    // 63 characters: `<table>_org_id_fkey` keeps the table's first 51.
    const long = "a_table_name_that_is_long_enough_to_need_shortening_by_postgres";
    const dir = folder({
      "migrations/1.sql": `create table ${long} (id int, org_id int references orgs);\nalter table ${long} drop constraint a_table_name_that_is_long_enough_to_need_shortening_org_id_fkey;`,
    });
    const file = path.join(dir, "migrations/1.sql");
    const history = migrationHistory(file, fs.readFileSync(file, "utf8"), { cwd: dir });
    expect(table(history, `public.${long}`).foreignKeys).toEqual([]);
  });

  it("is cached on contents: a same-size edit with the old mtime is seen", () => {
    const dir = folder({
      "supabase/migrations/001.sql": "create table a (id int);\n",
      "supabase/migrations/002.sql": "alter table a enable  row level security;\n",
    });
    const first = path.join(dir, "supabase/migrations/001.sql");
    const second = path.join(dir, "supabase/migrations/002.sql");
    const text = fs.readFileSync(first, "utf8");
    const when = new Date(1_700_000_000_000);
    fs.utimesSync(second, when, when);
    const before = fs.statSync(second);
    expect(table(migrationHistory(first, text, { cwd: dir }), "public.a").rowSecurity.enabled).toBe(true);
    // Nothing changed: the fold is reused.
    expect(migrationHistory(first, text, { cwd: dir }).tables).toBe(migrationHistory(first, text, { cwd: dir }).tables);
    fs.writeFileSync(second, "alter table a disable row level security;\n");
    fs.utimesSync(second, when, when);
    const after = fs.statSync(second);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(table(migrationHistory(first, text, { cwd: dir }), "public.a").rowSecurity.enabled).toBe(false);
  });

  it("inside one run (archlint check) a folder is read once; outside, every request reads it again", async () => {
    const dir = folder({ "migrations/001.sql": "create table a (id int);\n", "migrations/002.sql": "" });
    const first = path.join(dir, "migrations/001.sql");
    const second = path.join(dir, "migrations/002.sql");
    const text = fs.readFileSync(first, "utf8");
    const enabled = (): boolean => table(migrationHistory(first, text, { cwd: dir }), "public.a").rowSecurity.enabled;
    await inMigrationRun(async () => {
      expect(enabled()).toBe(false);
      fs.writeFileSync(second, "alter table a enable row level security;\n");
      await Promise.resolve();
      expect(enabled()).toBe(false);
    });
    expect(enabled()).toBe(true);
  });

  it("inside one run, a linted file's text that differs from the folded one is folded again, for it and for the files linted after it", async () => {
    const dir = folder({ "migrations/001.sql": "create table a (id int);\n", "migrations/002.sql": "", "migrations/003.sql": "select 1;\n" });
    const [first, second, third] = ["001", "002", "003"].map((n) => path.join(dir, `migrations/${n}.sql`)) as [string, string, string];
    const read = (f: string): string => fs.readFileSync(f, "utf8");
    const enabled = (file: string, text = read(file)): boolean => table(migrationHistory(file, text, { cwd: dir }), "public.a").rowSecurity.enabled;
    await inMigrationRun(async () => {
      // Three lints of unchanged files: the later ones reuse the run's fold.
      expect([enabled(first), enabled(second), enabled(third)]).toEqual([false, false, false]);
      expect(migrationHistory(third, read(third), { cwd: dir }).tables).toBe(migrationHistory(first, read(first), { cwd: dir }).tables);
      // An editor's text of 002 (not saved): its history has it, and so has 003's, linted next.
      expect(enabled(second, "alter table a enable row level security;\n")).toBe(true);
      expect(enabled(third)).toBe(true);
      // Back to the text on disk.
      expect(enabled(second)).toBe(false);
      expect(enabled(first)).toBe(false);
      // The language parsed another text of 002 before any history asked: the next history has it.
      parseMigration(second, "alter table a enable row level security;\n");
      expect(enabled(first)).toBe(true);
    });
  });

  it("a process that is one eslint command is one run until the cache is cleared; a parse is shared with the history", () => {
    const dir = folder({ "migrations/001.sql": "create table a (id int);\n", "migrations/002.sql": "" });
    const first = path.join(dir, "migrations/001.sql");
    const second = path.join(dir, "migrations/002.sql");
    const text = fs.readFileSync(first, "utf8");
    const enabled = (): boolean => table(migrationHistory(first, text, { cwd: dir }), "public.a").rowSecurity.enabled;
    // The language's parse of 002 and the history's read of it: one parse, the same tree.
    const parsed = parseMigration(second, "");
    migrationRunForProcess();
    try {
      expect(enabled()).toBe(false);
      expect(parseMigration(second, "")).toBe(parsed);
      fs.writeFileSync(second, "alter table a enable row level security;\n");
      expect(enabled()).toBe(false);
    } finally {
      // The run ends with the cache (a test process is not one eslint command).
      clearMigrationCache();
    }
    expect(parseMigration(second, "")).not.toBe(parsed);
    expect(enabled()).toBe(true);
  });

  it("the --cache fingerprint changes with a migration in any folder (settings.archlint.migrations need not be named migrations)", () => {
    const dir = folder({ "prisma/schema.prisma": "", "db/sql/001.sql": "create table a (id int);\n" });
    const before = schemaFingerprint(dir);
    fs.writeFileSync(path.join(dir, "db/sql/001.sql"), "create table a (id int, b int);\n");
    expect(schemaFingerprint(dir)).not.toBe(before);
  });

  it("settings.archlint.migrations names the folder; a file outside every folder is its own history", () => {
    const dir = folder({ "sql/001.sql": "create table a (id int);\n", "sql/002.sql": "alter table a enable row level security;\n", "other/x.sql": "" });
    const first = path.join(dir, "sql/001.sql");
    const text = fs.readFileSync(first, "utf8");
    expect(migrationHistory(first, text, { cwd: dir, migrations: "sql" }).files).toHaveLength(2);
    expect(table(migrationHistory(first, text, { cwd: dir, migrations: ["sql"] }), "public.a").rowSecurity.enabled).toBe(true);
    expect(migrationHistory(first, text, { cwd: dir }).files).toEqual([first]);
    expect(migrationHistory(path.join(dir, "other/x.sql"), "", { cwd: dir, migrations: "sql" }).folder).toBeNull();
  });

  it("a file that does not parse is listed, and its neighbours still fold", () => {
    const dir = folder({ "migrations/001.sql": "create table a (id int);\n", "migrations/002.sql": "alter tabel a;\n" });
    const first = path.join(dir, "migrations/001.sql");
    const history = migrationHistory(first, fs.readFileSync(first, "utf8"), { cwd: dir });
    expect(history.unparsed).toEqual([path.join(dir, "migrations/002.sql")]);
    expect(history.tables.has("public.a")).toBe(true);
  });

  it("knows a Supabase project: supabase/migrations, supabase/config.toml, a supabase dependency; not a plain Postgres one", () => {
    const dir = folder({
      "a/supabase/migrations/1.sql": "",
      "b/supabase/config.toml": "",
      "b/db/migrations/1.sql": "",
      "c/package.json": JSON.stringify({ devDependencies: { supabase: "^2.0.0" } }),
      "c/prisma/migrations/1_init/migration.sql": "",
      "d/.git/HEAD": "",
      "d/package.json": "{ not json",
      "d/prisma/migrations/1_init/migration.sql": "",
    });
    expect(supabaseProject(path.join(dir, "a/supabase/migrations"))).toBe(true);
    expect(supabaseProject(path.join(dir, "b/db/migrations"))).toBe(true);
    expect(supabaseProject(path.join(dir, "c/prisma/migrations"))).toBe(true);
    expect(supabaseProject(path.join(dir, "d/prisma/migrations"))).toBe(false);
  });

  it("a BOM on disk is dropped, as ESLint drops it, so positions match the linted text", () => {
    const dir = folder({ "migrations/001.sql": "\uFEFFcreate table a (id int);\n", "migrations/002.sql": "" });
    const second = path.join(dir, "migrations/002.sql");
    const created = table(migrationHistory(second, "", { cwd: dir }), "public.a").created!;
    expect(created.range).toEqual([0, 14]);
  });
});
