import type { RuleTester } from "eslint";
import { project, sqlRule, sqlTester } from "../sql-tester.js";

/**
 * sql-fk-index: a foreign key whose columns do not lead (in any order) an index, primary key or
 * unique constraint of its table at the end of the history, reported at its REFERENCES /
 * FOREIGN KEY. Valid cases are the near misses: an index added later (CONCURRENTLY too), keys
 * that lead with the columns in another order, and things that are not what they look like.
 */

const SUPABASE = "supabase/migrations";
const PRISMA = "prisma/migrations";
const ORGS = "create table public.orgs (id uuid primary key, slug text not null);\n";

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "an index in the same migration",
    code: `${ORGS}create table public.projects (id uuid primary key, org_id uuid not null references public.orgs (id));\ncreate index on public.projects (org_id);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_projects.sql`),
  },
  {
    name: "an index created CONCURRENTLY in a LATER migration counts",
    code: `${ORGS}create table public.projects (id uuid primary key, org_id uuid not null references public.orgs (id));\n`,
    filename: project(
      { [`${SUPABASE}/20240301000000_index.sql`]: "create index concurrently if not exists projects_org_id_idx on public.projects using btree (org_id);\n" },
      `${SUPABASE}/20240101000000_projects.sql`,
    ),
  },
  {
    name: "a composite key served by a primary key whose leading columns are the key's in another order",
    code: `${ORGS}create table members (user_id uuid not null, org_id uuid not null, role text,
  primary key (user_id, org_id),
  foreign key (org_id, user_id) references org_users (org_id, user_id));\n`,
    filename: project({}, `${SUPABASE}/20240101000000_members.sql`),
  },
  {
    name: "a unique constraint that starts with the column (column-level UNIQUE too)",
    code: `${ORGS}create table public.settings (org_id uuid not null unique references public.orgs (id), data jsonb);
create table public.domains (host text, org_id uuid references public.orgs, unique (org_id, host));\n`,
    filename: project({}, `${SUPABASE}/20240101000000_settings.sql`),
  },
  {
    name: "the referencing column is the primary key (one-to-one)",
    code: "create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, username text);\n",
    filename: project({}, `${SUPABASE}/20240101000000_profiles.sql`),
  },
  {
    name: "a hash index on exactly that column",
    code: `${ORGS}create table public.events (id bigint, org_id uuid references public.orgs (id));\ncreate index events_org on public.events using hash (org_id);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_events.sql`),
  },
  {
    name: "the column is dropped later, and the table dropped later",
    code: `${ORGS}create table public.a (id int, org_id uuid references public.orgs (id));\ncreate table public.b (id int, org_id uuid references public.orgs (id));\n`,
    filename: project(
      { [`${SUPABASE}/20240201000000_cleanup.sql`]: "alter table public.a drop column org_id;\ndrop table public.b;\n" },
      `${SUPABASE}/20240101000000_ab.sql`,
    ),
  },
  {
    name: "a foreign key added to a table the history did not create (its indexes are unknown)",
    code: "alter table auth.identities add constraint identities_org_fkey foreign key (org_id) references public.orgs (id);\n",
    filename: project({}, `${SUPABASE}/20240101000000_identities.sql`),
  },
  {
    name: "a foreign key dropped later",
    code: `${ORGS}create table public.tasks (id int primary key, org_id uuid references public.orgs (id));\n`,
    filename: project(
      { [`${SUPABASE}/20240201000000_drop.sql`]: "alter table public.tasks drop constraint tasks_org_id_fkey;\n" },
      `${SUPABASE}/20240101000000_tasks.sql`,
    ),
  },
  {
    name: "REFERENCES inside a DO block or a function body is not DDL of the migration",
    code: `${ORGS}do $$ begin
  create table public.tmp (org_id uuid references public.orgs (id));
end $$;\n`,
    filename: project({}, `${SUPABASE}/20240101000000_do.sql`),
  },
  {
    name: "ignoreTables",
    code: `${ORGS}create table public.org_flags (org_id uuid references public.orgs (id), flag text);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_flags.sql`),
    options: [{ ignoreTables: ["public.org_flags"] }],
  },
  {
    name: "Prisma: the FK constraint in one migration, the index in the same one (quoted names, renamed later)",
    code: `CREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n`,
    filename: project(
      { [`${PRISMA}/20240201000000_rename/migration.sql`]: 'ALTER INDEX "Post_authorId_idx" RENAME TO "Post_author_idx";\n' },
      `${PRISMA}/20240101000000_init/migration.sql`,
    ),
  },
  {
    name: "Prisma Migrate's folder (migration_lock.toml): the SQL is generated from the schema, where prisma-relation-index reports the relation",
    code: `-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\n`,
    filename: project(
      {
        [`${PRISMA}/migration_lock.toml`]: 'provider = "postgresql"\n',
        [`${PRISMA}/20240101000000_init/migration.sql`]:
          'CREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n',
      },
      `${PRISMA}/20240102000000_fk/migration.sql`,
    ),
  },
  {
    name: "a partial index WHERE the key IS NOT NULL serves it: every row `key = $1` finds has a key (nullable keys are often indexed so)",
    code: `${ORGS}create table public.runs (id uuid primary key, org_id uuid references public.orgs (id) on delete set null, created_at timestamptz);
create index runs_org_recent on public.runs (org_id, created_at desc) where org_id is not null;\n`,
    filename: project({}, `${SUPABASE}/20240101000000_runs.sql`),
  },
  {
    name: "a composite key served by a partial index WHERE both its columns ARE NOT NULL",
    code: `create table public.sites (org_id uuid, code text, primary key (org_id, code));
create table public.visits (id int, org_id uuid, site_code text, foreign key (org_id, site_code) references public.sites (org_id, code));
create index visits_site on public.visits (site_code, org_id) where org_id is not null and site_code is not null;\n`,
    filename: project({}, `${SUPABASE}/20240101000000_visits.sql`),
  },
];

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "a column's REFERENCES with no index: reported from REFERENCES to the referenced table",
    code: `${ORGS}create table public.projects (
  id uuid primary key,
  org_id uuid not null references public.orgs (id) on delete cascade
);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_projects.sql`),
    errors: [
      {
        messageId: "missingIndex",
        data: { table: "public.projects", columns: "org_id", target: "public.orgs" },
        line: 4,
        column: 24,
        endLine: 4,
        endColumn: 46,
      },
    ],
  },
  {
    name: "a composite key whose index holds only one of its columns; a CONSTRAINT clause is reported from CONSTRAINT",
    code: `${ORGS}create table public.memberships (
  org_id uuid not null,
  user_id uuid not null,
  constraint memberships_org_user_fkey foreign key (org_id, user_id) references public.org_users (org_id, user_id)
);
create index memberships_org_idx on public.memberships (org_id);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_memberships.sql`),
    errors: [
      {
        messageId: "missingIndex",
        data: { table: "public.memberships", columns: "org_id, user_id", target: "public.org_users" },
        line: 5,
        column: 3,
        endLine: 5,
        endColumn: 97,
      },
    ],
  },
  {
    name: "the column is not the index's LEADING column",
    code: `${ORGS}create table public.tasks (id int, project_id int references public.projects (id), created_at timestamptz);
create index tasks_created_project_idx on public.tasks (created_at, project_id);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_tasks.sql`),
    errors: [
      {
        messageId: "missingIndex",
        data: { table: "public.tasks", columns: "project_id", target: "public.projects" },
        line: 2,
        column: 51,
        endLine: 2,
        endColumn: 77,
      },
    ],
  },
  {
    name: "a partial index WHERE another column IS NOT NULL, or the key IS NOT NULL AND more, does not serve the key",
    code: `${ORGS}create table public.runs (id uuid primary key, org_id uuid references public.orgs (id), finished_at timestamptz);
create index runs_org_finished on public.runs (org_id) where finished_at is not null;
create index runs_org_open on public.runs (org_id) where org_id is not null and finished_at is null;\n`,
    filename: project({}, `${SUPABASE}/20240101000000_runs.sql`),
    errors: [
      { messageId: "missingIndex", data: { table: "public.runs", columns: "org_id", target: "public.orgs" }, line: 2, column: 60, endLine: 2, endColumn: 82 },
    ],
  },
  {
    name: "a partial index, an expression index and a GIN index do not serve the key",
    code: `${ORGS}create table public.posts (id int, org_id uuid references public.orgs, author text references public.users (name), tags text[] references public.tag_sets (tags));
create index posts_live_org on public.posts (org_id) where deleted_at is null;
create index posts_author_lower on public.posts (lower(author));
create index posts_tags on public.posts using gin (tags);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_posts.sql`),
    errors: [
      { messageId: "missingIndex", data: { table: "public.posts", columns: "org_id", target: "public.orgs" }, line: 2, column: 48, endLine: 2, endColumn: 70 },
      {
        messageId: "missingIndex",
        data: { table: "public.posts", columns: "author", target: "public.users" },
        line: 2,
        column: 84,
        endLine: 2,
        endColumn: 107,
      },
      {
        messageId: "missingIndex",
        data: { table: "public.posts", columns: "tags", target: "public.tag_sets" },
        line: 2,
        column: 128,
        endLine: 2,
        endColumn: 154,
      },
    ],
  },
  {
    name: "an ALTER TABLE ... ADD CONSTRAINT in a later migration is reported there, from CONSTRAINT",
    code: "alter table only public.projects\n  add constraint projects_org_id_fkey foreign key (org_id) references public.orgs (id);\n",
    filename: project(
      { [`${SUPABASE}/20240101000000_projects.sql`]: `${ORGS}create table public.projects (id uuid primary key, org_id uuid);\n` },
      `${SUPABASE}/20240201000000_fk.sql`,
    ),
    errors: [
      {
        messageId: "missingIndex",
        data: { table: "public.projects", columns: "org_id", target: "public.orgs" },
        line: 2,
        column: 7,
        endLine: 2,
        endColumn: 82,
      },
    ],
  },
  {
    name: "the index that served it is dropped in a later migration",
    code: `${ORGS}create table public.projects (id uuid primary key, org_id uuid references public.orgs (id));\ncreate index projects_org_idx on public.projects (org_id);\n`,
    filename: project(
      { [`${SUPABASE}/20240201000000_drop.sql`]: "drop index concurrently if exists public.projects_org_idx;\n" },
      `${SUPABASE}/20240101000000_projects.sql`,
    ),
    errors: [{ messageId: "missingIndex", line: 2, column: 64, endLine: 2, endColumn: 86 }],
  },
  {
    name: "Prisma's layout without Prisma Migrate's lock file (hand-written): the FK of the first migration, no index in any",
    code: `-- AddForeignKey\r\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;\r\n`,
    filename: project(
      {
        [`${PRISMA}/20240101000000_init/migration.sql`]:
          'CREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\n',
      },
      `${PRISMA}/20240102000000_fk/migration.sql`,
    ),
    errors: [
      { messageId: "missingIndex", data: { table: "public.Post", columns: "authorId", target: "public.User" }, line: 2, column: 24, endLine: 2, endColumn: 98 },
    ],
  },
];

sqlTester.run("sql-fk-index", sqlRule("sql-fk-index"), { valid, invalid });
