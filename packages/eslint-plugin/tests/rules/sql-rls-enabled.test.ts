import type { RuleTester } from "eslint";
import { project, sqlRule, sqlTester } from "../sql-tester.js";

/**
 * sql-rls-enabled: a table of an exposed schema without row level security at the end of its
 * migrations folder's history is reported where it lost it (its CREATE TABLE, or the DISABLE).
 * Invalid cases pin message, start and end; the valid ones are the near misses (enabled later,
 * another schema, dropped, moved, a table inside a function body).
 */

const SUPABASE = "supabase/migrations";
const SUPABASE_APP = JSON.stringify({ name: "app", dependencies: { "@supabase/supabase-js": "^2.45.0" } });
const PRISMA_INIT =
  'CREATE TABLE "User" (\r\n    "id" TEXT NOT NULL,\r\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\r\n);\r\n\r\n-- CreateTable\r\nCREATE TABLE "Post" ("id" TEXT NOT NULL);\r\n';

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "enabled in the same migration",
    code: "create table public.todos (id bigint primary key, task text);\nalter table public.todos enable row level security;\n",
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "enabled in a LATER migration: the end of the history counts",
    code: "create table public.todos (id bigint primary key, task text);\n",
    filename: project({ [`${SUPABASE}/20240301000000_rls.sql`]: "alter table todos enable row level security;\n" }, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "a table of a schema the Data API does not expose",
    code: "create schema private;\ncreate table private.audit_log (id bigint primary key, entry jsonb);\n",
    filename: project({}, `${SUPABASE}/20240101000000_audit.sql`),
  },
  {
    name: "dropped later",
    code: "create table public.scratch (id int);\n",
    filename: project({ [`${SUPABASE}/20240201000000_cleanup.sql`]: "drop table if exists public.scratch;\n" }, `${SUPABASE}/20240101000000_scratch.sql`),
  },
  {
    name: "moved to an unexposed schema later",
    code: "create table public.jobs (id int);\n",
    filename: project({ [`${SUPABASE}/20240201000000_move.sql`]: "alter table public.jobs set schema internal;\n" }, `${SUPABASE}/20240101000000_jobs.sql`),
  },
  {
    name: "search_path set to an unexposed schema: unqualified names land there",
    code: "set search_path to internal;\ncreate table queue (id int);\n",
    filename: project({}, `${SUPABASE}/20240101000000_queue.sql`),
  },
  {
    name: "a temporary table lives for the migration's session only",
    code: "create temporary table staging (id int);\n",
    filename: project({}, `${SUPABASE}/20240101000000_staging.sql`),
  },
  {
    name: "CREATE TABLE inside a dollar-quoted function body is not DDL of the migration",
    code: "create function public.make_table() returns void language plpgsql as $$\nbegin\n  create table public.made (id int);\nend\n$$;\n",
    filename: project({}, `${SUPABASE}/20240101000000_fn.sql`),
  },
  {
    name: "another migration's table is reported in that migration, not in this one",
    code: "alter table public.notes add column body text;\n",
    filename: project({ [`${SUPABASE}/20240101000000_notes.sql`]: "create table public.notes (id int);\n" }, `${SUPABASE}/20240201000000_body.sql`),
  },
  {
    name: "ignoreTables, by name and by schema.name",
    code: "create table public.countries (code text primary key);\ncreate table public.currencies (code text primary key);\n",
    filename: project({}, `${SUPABASE}/20240101000000_lookups.sql`),
    options: [{ ignoreTables: ["countries", "public.currencies"] }],
  },
  {
    name: "another file of the folder does not parse: what it does is unknown, so nothing is reported",
    code: "create table public.todos (id int);\n",
    filename: project({ [`${SUPABASE}/20240201000000_broken.sql`]: "alter tabel todos enable row level security;\n" }, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "Prisma migrations of a MySQL project (migration_lock.toml) are not Postgres: no parse error, no finding",
    code: "CREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;\n",
    filename: project({ "prisma/migrations/migration_lock.toml": 'provider = "mysql"\n' }, "prisma/migrations/20240101000000_init/migration.sql"),
  },
  {
    name: "a Postgres project without Supabase exposes no schema by default (Prisma migrations, a server with its own connection)",
    code: PRISMA_INIT,
    filename: project(
      { "package.json": JSON.stringify({ name: "api", dependencies: { "@prisma/client": "^6.0.0" } }) },
      "prisma/migrations/20240101000000_init/migration.sql",
    ),
  },
  {
    name: "exposedSchemas replaces public",
    code: "create table public.todos (id int);\n",
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    settings: { archlint: { exposedSchemas: ["api"] } },
  },
  {
    name: "a down migration undoes: it is not part of the history",
    code: "create table public.todos (id int);\n",
    filename: project(
      { "db/migrations/0001_todos.up.sql": "create table public.todos (id int);\nalter table public.todos enable row level security;\n" },
      "db/migrations/0001_todos.down.sql",
    ),
  },
];

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "a public table with no row level security anywhere in the history",
    code: "create table public.profiles (\n  id uuid primary key,\n  username text\n);\n",
    filename: project(
      { [`${SUPABASE}/20240201000000_more.sql`]: "alter table public.profiles add column avatar_url text;\n" },
      `${SUPABASE}/20240101000000_profiles.sql`,
    ),
    errors: [{ messageId: "noRowSecurity", data: { table: "public.profiles", schema: "public" }, line: 1, column: 1, endLine: 1, endColumn: 29 }],
  },
  {
    name: "Prisma migrations of a Supabase project (a @supabase dependency): unqualified names are public's; quoted names, CRLF",
    code: PRISMA_INIT,
    filename: project({ "package.json": SUPABASE_APP }, "prisma/migrations/20240101000000_init/migration.sql"),
    errors: [
      { messageId: "noRowSecurity", data: { table: "public.User", schema: "public" }, line: 1, column: 1, endLine: 1, endColumn: 20 },
      { messageId: "noRowSecurity", data: { table: "public.Post", schema: "public" }, line: 7, column: 1, endLine: 7, endColumn: 20 },
    ],
  },
  {
    name: "turned off in a later migration: reported at the DISABLE, not at the CREATE TABLE",
    code: "-- temporarily, for the import\nalter table public.todos disable row level security;\n",
    filename: project(
      { [`${SUPABASE}/20240101000000_todos.sql`]: "create table public.todos (id int);\nalter table public.todos enable row level security;\n" },
      `${SUPABASE}/20240301000000_import.sql`,
    ),
    errors: [{ messageId: "disabledHere", data: { table: "public.todos", schema: "public" }, line: 2, column: 1, endLine: 2, endColumn: 52 }],
  },
  {
    name: "enabled in an earlier migration does not count when the table is created again later",
    code: "drop table public.todos;\ncreate table public.todos (id int, done boolean);\n",
    filename: project(
      { [`${SUPABASE}/20240101000000_todos.sql`]: "create table public.todos (id int);\nalter table public.todos enable row level security;\n" },
      `${SUPABASE}/20240201000000_recreate.sql`,
    ),
    errors: [{ messageId: "noRowSecurity", line: 2, column: 1, endLine: 2, endColumn: 26 }],
  },
  {
    name: "outside Supabase, exposedSchemas turns the rule on (PostgREST)",
    code: "create table public.films (id int primary key);\n",
    filename: project({}, "db/migrations/0001_films.sql"),
    settings: { archlint: { exposedSchemas: ["public"] } },
    errors: [{ messageId: "noRowSecurity", data: { table: "public.films", schema: "public" }, line: 1, column: 1, endLine: 1, endColumn: 26 }],
  },
  {
    name: "outside Supabase, policies for anon or authenticated say clients reach public",
    code: 'create table public.films (id int primary key);\ncreate table public.reviews (id int primary key);\nalter table public.reviews enable row level security;\ncreate policy "read" on public.reviews for select to anon using (true);\n',
    filename: project({}, "db/migrations/0001_films.sql"),
    errors: [{ messageId: "noRowSecurity", data: { table: "public.films", schema: "public" }, line: 1, column: 1, endLine: 1, endColumn: 26 }],
  },
  {
    name: "an exposed schema named in the settings",
    code: "create table api.orders (id bigint generated always as identity primary key);\n",
    filename: project({}, `${SUPABASE}/20240101000000_orders.sql`),
    settings: { archlint: { exposedSchemas: ["public", "api"] } },
    errors: [{ messageId: "noRowSecurity", data: { table: "api.orders", schema: "api" }, line: 1, column: 1, endLine: 1, endColumn: 24 }],
  },
  {
    name: "CREATE TABLE AS and IF NOT EXISTS are tables too; the statement after a multi-byte string keeps its column",
    code: "select 'naïve 😀'; create table if not exists public.stats as select 1 as n;\n",
    filename: project({}, `${SUPABASE}/20240101000000_stats.sql`),
    errors: [{ messageId: "noRowSecurity", data: { table: "public.stats", schema: "public" }, line: 1, column: 20, endLine: 1, endColumn: 59 }],
  },
];

sqlTester.run("sql-rls-enabled", sqlRule("sql-rls-enabled"), { valid, invalid });
