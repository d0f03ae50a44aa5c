import type { RuleTester } from "eslint";
import { project, sqlRule, sqlTester } from "../sql-tester.js";

/**
 * sql-rls-policy: permissive policies that let anon / authenticated / public write any row with
 * `USING (true)` or `WITH CHECK (true)` (reported at the CREATE or ALTER POLICY that says so); with `requirePolicy` (the strict preset's),
 * row level security with no policy at the end of the history too (reported at the ENABLE).
 */

const SUPABASE = "supabase/migrations";
const TODOS = "create table public.todos (id bigint primary key, user_id uuid not null, task text);\nalter table public.todos enable row level security;\n";

const REQUIRE = [{ requirePolicy: true }];

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "by default, a table locked on purpose (row level security, no policy: only the server's service_role reaches it)",
    code: "create table public.billing_accounts (user_id uuid primary key, provider_ref text);\n-- server-only: clients must never read this\nalter table public.billing_accounts enable row level security;\n",
    filename: project({}, `${SUPABASE}/20240101000000_billing.sql`),
  },
  {
    name: "SELECT USING (true) for anon: reading everything is a choice, not a hole",
    code: `${TODOS}create policy "public read" on public.todos for select to anon using (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "writes that check the row",
    code: `${TODOS}create policy "own insert" on public.todos for insert to authenticated with check (auth.uid() = user_id);
create policy "own update" on public.todos for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "own delete" on todos for delete to authenticated using (auth.uid() = user_id);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "a restrictive policy with true grants nothing",
    code: `${TODOS}create policy "own" on public.todos for all to authenticated using (auth.uid() = user_id);
create policy "no-op" on public.todos as restrictive for insert to authenticated with check (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "true for service_role only",
    code: `${TODOS}create policy "server" on public.todos for all to service_role using (true) with check (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
  {
    name: "the policy comes in a LATER migration",
    code: TODOS,
    options: REQUIRE,
    filename: project(
      { [`${SUPABASE}/20240201000000_policies.sql`]: 'create policy "own" on todos for select to authenticated using (auth.uid() = user_id);\n' },
      `${SUPABASE}/20240101000000_todos.sql`,
    ),
  },
  {
    name: "a write-all policy dropped in a later migration",
    code: `${TODOS}create policy "temp" on public.todos for insert to anon with check (true);\n`,
    filename: project(
      {
        [`${SUPABASE}/20240201000000_fix.sql`]:
          'drop policy "temp" on public.todos;\ncreate policy "own" on public.todos for insert to authenticated with check (auth.uid() = user_id);\n',
      },
      `${SUPABASE}/20240101000000_todos.sql`,
    ),
  },
  {
    name: "a write-all policy narrowed by a later ALTER POLICY",
    code: `${TODOS}create policy "writers" on public.todos for update to authenticated using (true);\n`,
    filename: project(
      { [`${SUPABASE}/20240201000000_fix.sql`]: 'alter policy "writers" on public.todos using (auth.uid() = user_id);\n' },
      `${SUPABASE}/20240101000000_todos.sql`,
    ),
  },
  {
    name: "a table of an unexposed schema",
    code: "create table private.jobs (id int);\nalter table private.jobs enable row level security;\ncreate policy p on private.jobs for all to authenticated using (true);\n",
    filename: project({}, `${SUPABASE}/20240101000000_jobs.sql`),
  },
  {
    name: "ignoreTables: a server-only table locked on purpose",
    code: TODOS,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    options: [{ ignoreTables: ["todos"], requirePolicy: true }],
  },
  {
    name: "roles: authenticated may write everything in this project",
    code: `${TODOS}create policy "team" on public.todos for all to authenticated using (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    options: [{ roles: ["anon", "public"] }],
  },
  {
    name: "row level security turned off again later: sql-rls-enabled's finding, not a missing policy",
    code: TODOS,
    options: REQUIRE,
    filename: project(
      { [`${SUPABASE}/20240201000000_off.sql`]: "alter table public.todos disable row level security;\n" },
      `${SUPABASE}/20240101000000_todos.sql`,
    ),
  },
  {
    name: "policies inside a function body are not DDL of the migration",
    code: `${TODOS}create policy "own" on public.todos for select using (auth.uid() = user_id);
do $$ begin execute 'create policy "all" on public.todos for all to anon using (true)'; end $$;\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
  },
];

const ANON = "anyone holding the project's public anon key";
const SIGNED_IN = "any signed-in user";
const EVERYONE = "every role (anyone holding the public anon key too)";

/** A writeAll finding's data: the policy, its table, the clause that is `true`, the command, the roles, who that is, and what they can do. */
function writeAll(policy: string, clause: string, command: string, roles: string, who: string, verb: string): Record<string, string> {
  return { policy, table: "public.todos", clause, command, roles, who, verb };
}

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "requirePolicy: row level security with no policy at all, reported at the ENABLE",
    code: "create table public.todos (id bigint primary key);\n\nalter table public.todos\n  enable row level security;\n",
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    options: REQUIRE,
    errors: [{ messageId: "noPolicy", data: { table: "public.todos" }, line: 3, column: 1, endLine: 4, endColumn: 28 }],
  },
  {
    name: "requirePolicy: enabled in a later migration, still no policy: reported in that migration",
    code: "alter table todos enable row level security;\n",
    options: REQUIRE,
    filename: project({ [`${SUPABASE}/20240101000000_todos.sql`]: "create table public.todos (id int);\n" }, `${SUPABASE}/20240201000000_rls.sql`),
    errors: [{ messageId: "noPolicy", line: 1, column: 1, endLine: 1, endColumn: 44 }],
  },
  {
    name: "INSERT WITH CHECK (true) to anon",
    code: `${TODOS}create policy "anyone can add" on public.todos for insert to anon with check (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    errors: [
      {
        messageId: "writeAll",
        data: writeAll("anyone can add", "with check", "insert", "`anon`", ANON, "insert any row"),
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 47,
      },
    ],
  },
  {
    name: "FOR ALL USING (true) without TO: every role",
    code: `${TODOS}create policy "open" on todos using (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    errors: [
      {
        messageId: "writeAll",
        data: writeAll("open", "using", "all", "`public`", EVERYONE, "read, insert, change and delete any row"),
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 30,
      },
    ],
  },
  {
    name: "UPDATE USING (true) to authenticated, DELETE USING (true) to anon and authenticated",
    code: `${TODOS}create policy "edit" on public.todos for update to authenticated using (true) with check (auth.uid() = user_id);
create policy "remove" on public.todos for delete to anon, authenticated using (true);\n`,
    filename: project({}, `${SUPABASE}/20240101000000_todos.sql`),
    errors: [
      {
        messageId: "writeAll",
        data: writeAll("edit", "using", "update", "`authenticated`", SIGNED_IN, "change any row"),
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 37,
      },
      {
        messageId: "writeAll",
        data: writeAll("remove", "using", "delete", "`anon`, `authenticated`", ANON, "delete any row"),
        line: 4,
        column: 1,
        endLine: 4,
        endColumn: 39,
      },
    ],
  },
  {
    name: "an ALTER POLICY in a later migration opens it: reported there",
    code: '-- open it up for the beta\nalter policy "own" on public.todos with check (true);\n',
    filename: project(
      { [`${SUPABASE}/20240101000000_todos.sql`]: `${TODOS}create policy "own" on public.todos for update to authenticated using (auth.uid() = user_id);\n` },
      `${SUPABASE}/20240201000000_beta.sql`,
    ),
    errors: [
      {
        messageId: "writeAll",
        data: writeAll("own", "with check", "update", "`authenticated`", SIGNED_IN, "change any row"),
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 35,
      },
    ],
  },
];

sqlTester.run("sql-rls-policy", sqlRule("sql-rls-policy"), { valid, invalid });
