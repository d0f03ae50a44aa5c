import rule from "../../src/rules/db-no-unsafe-raw.js";
import { ruleTester, typedRuleTester } from "../rule-tester.js";

/**
 * A fixture file by its path under `fixtures/typed`, which the tester then uses as the working
 * directory: an absolute path would put `tests/fixtures/` in the file's path, and the rule skips
 * tests and fixtures.
 */
const typedFile = (name: string): string => name;

const PRISMA = `import { Prisma, PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
`;

ruleTester.run("db-no-unsafe-raw", rule, {
  valid: [
    {
      name: "a let given only constants in every branch is a constant",
      code: `${PRISMA}
export async function usageBy(period: "day" | "week" | "month") {
  let bucket: string;
  if (period === "day") bucket = "DATE_TRUNC('day', \\"createdAt\\")";
  else if (period === "week") bucket = "DATE_TRUNC('week', \\"createdAt\\")";
  else bucket = "DATE_TRUNC('month', \\"createdAt\\")";
  return prisma.$queryRaw\`SELECT \${Prisma.raw(bucket)} AS bucket, count(*) FROM "Event" GROUP BY 1\`;
}
`,
    },
    {
      name: "a static readonly or readonly class field given a constant where it is declared",
      code: `${PRISMA}
export class EventStore {
  static readonly TABLE = '"Event"';
  private readonly limit = 500;
  async recent(since: Date) {
    return prisma.$queryRawUnsafe(\`SELECT * FROM \${EventStore.TABLE} WHERE "at" > $1 LIMIT \${this.limit}\`, since);
  }
}
`,
    },
    {
      name: "a parameter annotated as a literal union, a number, `keyof typeof` a constant table, or a local alias of those",
      code: `${PRISMA}
const COLUMNS = { newest: '"createdAt"', title: '"title"' } as const;
type Direction = "ASC" | "DESC";
export async function sorted(column: keyof typeof COLUMNS, direction: Direction, limit: number, order: "asc" | "desc" = "asc") {
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Post" ORDER BY \${column} \${direction}, id \${order} LIMIT \${limit}\`);
}
`,
    },
    {
      name: "a helper this module keeps to itself, called only with constants",
      code: `${PRISMA}
function countRows(table: string) {
  return prisma.$queryRawUnsafe(\`SELECT count(*) FROM \${table}\`);
}
const purge = async (table: string) => prisma.$executeRawUnsafe(\`DELETE FROM \${table} WHERE "expiresAt" < now()\`);
export async function stats(includeDrafts: boolean) {
  await purge('"Session"');
  await purge('"Token"');
  return [await countRows('"Post"'), await countRows(includeDrafts ? '"Draft"' : '"Post"')];
}
`,
    },
    {
      name: "a lookup in a local constant table, whatever the key; an element of a constant array",
      code: `${PRISMA}
const OPERATORS = { eq: "=", gt: ">", lt: "<" } as const;
const TABLES = ["Post", "Comment"] as const;
export async function filter(op: keyof typeof OPERATORS, raw: string, i: number, value: number) {
  const operator = OPERATORS[raw as keyof typeof OPERATORS];
  return prisma.$queryRawUnsafe(\`SELECT * FROM "\${TABLES[i]}" WHERE score \${operator} $1\`, value);
}
`,
    },
    {
      name: "a value checked against an allow-list before use, or parsed by a Zod enum",
      code: `${PRISMA}
import { z } from "zod";
const SORTABLE = ["createdAt", "title"];
const DIRECTIONS = new Set(["ASC", "DESC"]);
const Bucket = z.enum(["day", "week"]).default("day");
export async function list(input: { sort: string; dir: string; bucket: string }) {
  const { sort, dir } = input;
  if (!SORTABLE.includes(sort) || !DIRECTIONS.has(dir)) {
    throw new Error("bad sort");
  }
  const bucket = Bucket.parse(input.bucket);
  return prisma.$queryRawUnsafe(\`SELECT date_trunc('\${bucket}', "createdAt") FROM "Post" ORDER BY "\${sort}" \${dir}\`);
}
`,
    },
    {
      name: "an allow-list another module exports, or a member of one held in a local const",
      code: `${PRISMA}
import { OPERATORS_BY_TYPE, SORT_DIRECTIONS } from "./filters";
const dateOperators = OPERATORS_BY_TYPE["datetime"];
export function dateFilter(column: "createdAt", operator: string, dir: string, value: Date) {
  if (!dateOperators.includes(operator)) throw new Error("bad operator");
  if (!SORT_DIRECTIONS.has(dir)) throw new Error("bad direction");
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE "\${column}" \${operator} $1 ORDER BY id \${dir}\`, value);
}
`,
    },
    {
      name: "placeholder lists from a map callback of any shape, and a numeric placeholder counter",
      code: `${PRISMA}
export async function byIds(ids: string[], status?: string) {
  const placeholders = ids.map((_, i) => {
    const position = i + 1;
    return \`$\${position}\`;
  });
  const params: unknown[] = [...ids];
  let next = ids.length + 1;
  let where = \`id IN (\${placeholders.join(", ")})\`;
  if (status) {
    where += \` AND status = $\${next++}\`;
    params.push(status);
  }
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE \${where}\`, ...params);
}
`,
    },
    {
      name: "a local function whose every return is constant, and a member typed as a number or literal union by the parameter's local type",
      code: `${PRISMA}
type StatsOptions = { orderBy?: "count" | "recent"; direction?: "asc" | "desc"; limit?: number | null; search?: string };
function orderClause(orderBy: string, direction?: "asc" | "desc") {
  const dir = direction?.toUpperCase() || "DESC";
  switch (orderBy) {
    case "recent":
      return \`"lastSeen" \${dir}\`;
    default:
      return \`"count" \${dir}\`;
  }
}
export async function stats(options: StatsOptions) {
  const order = options.orderBy ? orderClause(options.orderBy, options.direction) : '"count" DESC';
  const limit = options.limit ? \`LIMIT \${options.limit}\` : "";
  return prisma.$queryRaw\`SELECT sender, count(*) FROM "Message" GROUP BY 1 ORDER BY \${Prisma.raw(order)} \${Prisma.raw(limit)}\`;
}
`,
    },
    {
      name: "an identifier-shaped regex check (if/throw or an assertion call), and tuples of constants destructured by a loop",
      code: `${PRISMA}
declare function invariant(condition: unknown, message: string): asserts condition;
const REQUIRED: Array<[string, string]> = [
  ["Session", "expiresAt"],
  ["Token", "usedAt"],
];
export async function check(tableName: string, column: string) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tableName)) throw new Error("bad table");
  invariant(/^\\w{1,63}$/.test(column), "bad column");
  await prisma.$queryRawUnsafe(\`SELECT "\${column}" FROM "\${tableName}" LIMIT 1\`);
  for (const [table, col] of REQUIRED) {
    await prisma.$queryRawUnsafe(\`SELECT "\${col}" FROM "\${table}" LIMIT 1\`);
  }
}
`,
    },
    {
      name: "a let counter bumped with ++, a number[] parameter joined, and the elements of a constant list mapped by a helper",
      code: `${PRISMA}
import { STATUSES } from "./statuses";
function inList(values: readonly string[]) {
  return values.map((v) => \`'\${v}'\`).join(", ");
}
export async function update(changes: Record<string, unknown>, embedding: number[], ids: number[]) {
  const sets: string[] = [];
  const params: unknown[] = [];
  let i = 1;
  for (const [key, value] of Object.entries(changes)) {
    sets.push(\`"\${key === "title" ? "title" : "body"}" = $\${i}\`);
    params.push(value);
    i++;
  }
  await prisma.$executeRawUnsafe(\`UPDATE "Post" SET \${sets.join(", ")} WHERE id = $\${i}\`, ...params);
  await prisma.$queryRaw\`SELECT id FROM "Chunk" ORDER BY embedding <=> \${Prisma.raw(\`'[\${embedding.join(",")}]'::vector\`)} LIMIT 5\`;
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE id = ANY(ARRAY[\${ids.join(",")}]::int[]) AND status IN (\${inList(STATUSES)})\`);
}
`,
    },
    {
      name: "an imported helper given only constants, and an optional alias checked at the top of the function that defines the helper using it",
      code: `${PRISMA}
import { inList } from "@acme/db";
import { STATUSES } from "./statuses";
export const statusCheck = Prisma.raw(\`status in (\${inList(STATUSES)})\`);
export function incidentFilter(tableAlias = "") {
  if (tableAlias && !/^[a-z][a-z0-9_]*$/i.test(tableAlias)) {
    throw new Error("invalid alias");
  }
  const column = (name: string) => Prisma.raw(\`\${tableAlias ? \`\${tableAlias}.\` : ""}"\${name}"\`);
  return [column("serviceId"), column("teamId")];
}
`,
    },
    {
      name: "tagged $queryRaw / $executeRaw bind every value as a parameter",
      code: `${PRISMA}
export class PostRepository {
  constructor(private readonly prisma: PrismaClient) {}

  searchByTitle(organizationId: string, term: string) {
    const pattern = \`%\${term}%\`;
    return this.prisma.$queryRaw<Array<{ id: string }>>\`
      SELECT id FROM "Post" WHERE "organizationId" = \${organizationId} AND title ILIKE \${pattern}
    \`;
  }

  archiveOlderThan(days: number) {
    return this.prisma.$executeRaw\`UPDATE "Post" SET status = 'ARCHIVED' WHERE "createdAt" < now() - make_interval(days => \${days})\`;
  }

  byIds(ids: string[]) {
    return this.prisma.$queryRaw(Prisma.sql\`SELECT * FROM "Post" WHERE id IN (\${Prisma.join(ids)})\`);
  }
}
`,
    },
    {
      name: "$queryRawUnsafe with a literal SQL string and parameters",
      code: `${PRISMA}
export async function countByStatus(organizationId: string) {
  return prisma.$queryRawUnsafe<Array<{ status: string; count: bigint }>>(
    'SELECT status, COUNT(*) AS count FROM "Post" WHERE "organizationId" = $1 GROUP BY status',
    organizationId,
  );
}
export const purge = (tenant: string) => prisma.$executeRawUnsafe(\`DELETE FROM "Session" WHERE "tenantId" = $1\`, tenant);
`,
    },
    {
      name: "constants: local const strings, templates and concatenations of them, const object members, [...].join()",
      code: `${PRISMA}
const TABLE = '"Post"';
const COLUMNS = ["id", "title", "slug"].join(", ");
const SQL = { active: 'SELECT id FROM "User" WHERE "deletedAt" IS NULL' } as const;
const BASE = \`SELECT \${COLUMNS} FROM \${TABLE}\`;

export async function run(id: string) {
  await prisma.$queryRawUnsafe(BASE + " WHERE id = $1", id);
  await prisma.$queryRawUnsafe(SQL.active);
  await prisma.$queryRawUnsafe([BASE, "ORDER BY created_at DESC", "LIMIT 20"].join("\\n"));
}
`,
    },
    {
      name: "safe dynamic parts: a chosen literal, numbers, placeholders built from indexes",
      code: `${PRISMA}
export async function page(ids: string[], newestFirst: boolean, limit: number) {
  const placeholders = ids.map((_, i) => \`$\${i + 1}\`).join(", ");
  const direction = newestFirst ? "DESC" : "ASC";
  return prisma.$queryRawUnsafe(
    \`SELECT * FROM "Post" WHERE id IN (\${placeholders}) ORDER BY "createdAt" \${direction} LIMIT \${Number(limit)} OFFSET \${ids.length}\`,
    ...ids,
  );
}
`,
    },
    {
      name: "a for...of variable over constant names, numbers from dates, padded numbers",
      code: `${PRISMA}
export async function checkTables(tx: PrismaClient) {
  const tables = ["roles", "permissions", "user_roles"];
  for (const table of tables) {
    await prisma.$queryRawUnsafe(\`SELECT 1 FROM \${table} LIMIT 1\`);
  }
  const year = new Date().getFullYear();
  const next = 7;
  await tx.$queryRawUnsafe(\`SELECT 1 FROM "PurchaseOrder" WHERE "poNumber" LIKE 'PO-\${year}-\${String(next).padStart(4, "0")}%'\`);
  await tx.$executeRawUnsafe(\`DELETE FROM "Session" WHERE expires < '\${new Date(Date.now() - 86_400_000).toISOString()}'\`);
}
`,
    },
    {
      name: "Prisma.raw and Kysely sql.raw/sql.lit with constants",
      code: `
import { Prisma } from "../generated/prisma/client";
import { sql, type Kysely } from "kysely";
const ORDER = "ORDER BY created_at DESC";
export const recent = Prisma.sql\`SELECT * FROM "Post" \${Prisma.raw(ORDER)}\`;
export function activeUsers(db: Kysely<any>) {
  return db.selectFrom("users").select(sql.raw<number>("count(*)").as("n")).where("active", "=", sql.lit(true)).execute();
}
`,
    },
    {
      name: "a sanitizer named in the options makes its result safe",
      options: [{ sanitizers: ["escapeIdentifier", "format.ident"] }],
      code: `
import { sql } from "kysely";
import format from "pg-format";
import { escapeIdentifier } from "../db/escape";
export const byColumn = (column: string, other: string) => [sql.raw(escapeIdentifier(column)), sql.raw(format.ident(other))];
`,
    },
    {
      name: "near-misses: raw/lit on things that are not Prisma or an SQL tag, an imported constant (unknown without types)",
      code: `${PRISMA}
import { String } from "./polyfills";
import { sql } from "./my-sql";
import { GET_USER } from "./queries";
const html = { raw: (s: string) => s };
export const a = (s: string) => [String.raw\`\${s}\`, html.raw(s), sql.raw(s), sql.lit(s), prisma.$queryRawUnsafe(GET_USER)];
`,
    },
    {
      name: "no argument or a spread argument: nothing to judge",
      code: `${PRISMA}
export const x = (args: [string]) => [prisma.$queryRawUnsafe(), prisma.$queryRawUnsafe(...args)];
`,
    },
  ],
  invalid: [
    {
      name: "$queryRawUnsafe with a template that interpolates user input (the demo's search)",
      code: `${PRISMA}
export const postRouter = router({
  search: protectedProcedure
    .input(z.object({ organizationId: z.string(), query: z.string() }))
    .query(async ({ ctx, input }) => {
      return ctx.prisma.$queryRawUnsafe(
        \`SELECT id, title FROM "Post" WHERE "organizationId" = '\${input.organizationId}' AND title ILIKE '%\${input.query}%'\`,
      );
    }),
});
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 9,
          column: 9,
          data: {
            callee: "ctx.prisma.$queryRawUnsafe",
            what: "a template literal that interpolates `input.organizationId`",
            safe: "ctx.prisma.$queryRaw",
          },
        },
      ],
    },
    {
      name: "$executeRawUnsafe with concatenation, a parameter, a built variable and a call result",
      code: `${PRISMA}
export class TenantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  dropSchema(tenant: string) {
    return this.prisma.$executeRawUnsafe('DROP SCHEMA IF EXISTS "' + tenant + '" CASCADE');
  }

  runReport(sql: string) {
    return this.prisma.$queryRawUnsafe(sql);
  }

  sortedUsers(sortBy: string) {
    const query = \`SELECT * FROM "User" ORDER BY \${sortBy}\`;
    return this.prisma.$queryRawUnsafe(query);
  }

  filtered(filters: Record<string, string>) {
    return this.prisma.$queryRawUnsafe(buildWhere(filters));
  }
}
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 8,
          column: 42,
          data: { callee: "this.prisma.$executeRawUnsafe", what: "string concatenation with `tenant`", safe: "this.prisma.$executeRaw" },
        },
        {
          messageId: "unsafeStatement",
          line: 12,
          column: 40,
          data: { callee: "this.prisma.$queryRawUnsafe", what: "`sql` (not a constant string)", safe: "this.prisma.$queryRaw" },
        },
        {
          messageId: "unsafeStatement",
          line: 17,
          column: 40,
          data: { callee: "this.prisma.$queryRawUnsafe", what: "`query` (built from `sortBy`)", safe: "this.prisma.$queryRaw" },
        },
        {
          messageId: "unsafeStatement",
          line: 21,
          column: 40,
          data: { callee: "this.prisma.$queryRawUnsafe", what: "the result of `buildWhere(...)`", safe: "this.prisma.$queryRaw" },
        },
      ],
    },
    {
      name: "near misses: an exported helper, a helper once given input, a check that does not exit, a table with input, a mutable static, a z.string()",
      code: `${PRISMA}
import { z } from "zod";
const SORTABLE = ["createdAt", "title"];
const OPS = { eq: "=", custom: process.env.OP };
class Store {
  static TABLE = '"Event"';
}
function countRows(table: string) {
  return prisma.$queryRawUnsafe(\`SELECT count(*) FROM \${table}\`);
}
export async function run(input: { sort: string; op: string; table: string; bucket: string }) {
  await countRows('"Post"');
  await countRows(input.table);
  if (!SORTABLE.includes(input.sort)) console.warn("unknown sort");
  const sort = input.sort;
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" ORDER BY \${sort}\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE score \${OPS[input.op as "eq"]} 1\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM \${Store.TABLE}\`);
  const bucket = z.string().parse(input.bucket);
  await prisma.$queryRawUnsafe(\`SELECT date_trunc('\${bucket}', now())\`);
}
export function exported(direction: string) {
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Post" ORDER BY id \${direction}\`);
}
`,
      errors: [
        { messageId: "unsafeStatement", line: 11, column: 33 },
        { messageId: "unsafeStatement", line: 18, column: 32 },
        { messageId: "unsafeStatement", line: 19, column: 32 },
        { messageId: "unsafeStatement", line: 20, column: 32 },
        { messageId: "unsafeStatement", line: 22, column: 32 },
        { messageId: "unsafeStatement", line: 25, column: 33 },
      ],
    },
    {
      name: "near misses: an allow-list the caller passes in, or one read from the request, is not a constant",
      code: `${PRISMA}
export function filtered(allowed: string[], operator: string, req: { body: { ops: string[] } }) {
  if (!allowed.includes(operator)) throw new Error("bad operator");
  if (!req.body.ops.includes(operator)) throw new Error("bad operator");
  return prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE score \${operator} 1\`);
}
`,
      errors: [{ messageId: "unsafeStatement", line: 7, column: 33 }],
    },
    {
      name: "near misses: a local function that returns its string input, a string member of the parameter's type",
      code: `${PRISMA}
interface Filters { search: string; limit: number }
function whereClause(column: string) {
  return \`WHERE \${column} IS NOT NULL\`;
}
export async function list(filters: Filters, column: string) {
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" \${whereClause(column)} LIMIT \${filters.limit}\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE title LIKE '%\${filters.search}%'\`);
}
`,
      errors: [
        { messageId: "unsafeStatement", line: 9, column: 32 },
        { messageId: "unsafeStatement", line: 10, column: 32 },
      ],
    },
    {
      name: "near misses: a regex that lets quotes or spaces through, an unanchored one, a check that only logs",
      code: `${PRISMA}
export async function search(term: string, table: string, column: string) {
  if (!/^[^;]+$/.test(term)) throw new Error("bad term");
  if (!/[a-z]+/.test(table)) throw new Error("bad table");
  if (!/^\\w+$/.test(column)) console.warn("odd column");
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE title = '\${term}'\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM "\${table}"\`);
  await prisma.$queryRawUnsafe(\`SELECT "\${column}" FROM "Post"\`);
}
`,
      errors: [
        { messageId: "unsafeStatement", line: 8, column: 32 },
        { messageId: "unsafeStatement", line: 9, column: 32 },
        { messageId: "unsafeStatement", line: 10, column: 32 },
      ],
    },
    {
      name: "near misses: a string[] parameter joined, and the elements of a parameter's list mapped",
      code: `${PRISMA}
export async function byNames(names: string[], tags: string[]) {
  await prisma.$queryRawUnsafe(\`SELECT * FROM "User" WHERE name IN (\${names.join(",")})\`);
  await prisma.$queryRawUnsafe(\`SELECT * FROM "Post" WHERE tag IN (\${tags.map((t) => \`'\${t}'\`).join(",")})\`);
}
`,
      errors: [
        { messageId: "unsafeStatement", line: 5, column: 32 },
        { messageId: "unsafeStatement", line: 6, column: 32 },
      ],
    },
    {
      name: "near misses: an imported helper given a parameter, or given nothing (it may read request context)",
      code: `${PRISMA}
import { inList, currentTenantSchema } from "@acme/db";
export function filter(statuses: string[]) {
  return [Prisma.raw(\`status in (\${inList(statuses)})\`), Prisma.raw(\`"\${currentTenantSchema()}"."Post"\`)];
}
`,
      errors: [
        { messageId: "unsafeFragment", line: 6, column: 22 },
        { messageId: "unsafeFragment", line: 6, column: 69 },
      ],
    },
    {
      name: "a for...of variable over request data is not constant",
      code: `${PRISMA}
export async function purge(tables: string[]) {
  for (const table of tables) await prisma.$executeRawUnsafe(\`TRUNCATE \${table}\`);
}
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 5,
          column: 62,
          data: { callee: "prisma.$executeRawUnsafe", what: "a template literal that interpolates `table`", safe: "prisma.$executeRaw" },
        },
      ],
    },
    {
      name: "a `let` that is reassigned is not a constant, even if it starts as one",
      code: `${PRISMA}
export async function list(status?: string) {
  let sql = 'SELECT * FROM "Post"';
  if (status) sql += " WHERE status = '" + status + "'";
  return prisma.$queryRawUnsafe(sql);
}
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 7,
          column: 33,
          data: { callee: "prisma.$queryRawUnsafe", what: "`sql` (not a constant string)", safe: "prisma.$queryRaw" },
        },
      ],
    },
    {
      name: "Prisma.raw with input, inside a tagged $queryRaw (the tag does not bind a raw fragment); a literal-union parameter beside it is constant",
      code: `${PRISMA}
export async function listPosts(orderBy: string, direction: "asc" | "desc") {
  return prisma.$queryRaw\`SELECT * FROM "Post" ORDER BY \${Prisma.raw(orderBy)} \${Prisma.raw(direction)}\`;
}
export const byTable = (table: string) => prisma.$queryRaw(Prisma.raw(\`SELECT * FROM \${table}\`));
`,
      errors: [
        {
          messageId: "unsafeFragment",
          line: 5,
          column: 70,
          data: {
            callee: "Prisma.raw",
            what: "`orderBy` (not a constant string)",
            fix: "Use `Prisma.sql` (values in `${...}` become bind parameters) and keep `Prisma.raw` for constant SQL",
          },
        },
        {
          messageId: "unsafeFragment",
          line: 7,
          column: 71,
          data: {
            callee: "Prisma.raw",
            what: "a template literal that interpolates `table`",
            fix: "Use `Prisma.sql` (values in `${...}` become bind parameters) and keep `Prisma.raw` for constant SQL",
          },
        },
      ],
    },
    {
      name: "Kysely sql.raw / sql.lit and Drizzle sql.raw with request data",
      code: `
import { sql, type Kysely } from "kysely";
import { sql as dsql } from "drizzle-orm";
export async function search(db: Kysely<any>, req: { query: { sort: string; q: string } }) {
  return db
    .selectFrom("posts")
    .selectAll()
    .where("title", "ilike", sql.lit(\`%\${req.query.q}%\`))
    .orderBy(sql.raw(req.query.sort))
    .execute();
}
export const drizzleOrder = (column: string) => dsql.raw(column);
`,
      errors: [
        {
          messageId: "unsafeFragment",
          line: 8,
          column: 38,
          data: {
            callee: "sql.lit",
            what: "a template literal that interpolates `req.query.q`",
            fix: "Use `sql.val(value)` or the `sql` tag (values in `${...}` become bind parameters) and keep `sql.lit` for constants",
          },
        },
        { messageId: "unsafeFragment", line: 9, column: 22 },
        {
          messageId: "unsafeFragment",
          line: 12,
          column: 58,
          data: {
            callee: "dsql.raw",
            what: "`column` (not a constant string)",
            fix: "Use the `sql` tag (values in `${...}` become bind parameters; `sql.identifier(name)` for identifiers) and keep `sql.raw` for constant SQL",
          },
        },
      ],
    },
    {
      name: "a sanitizer for another function does not clear this one; the element of a .map() is not an index",
      options: [{ sanitizers: ["escapeIdentifier"] }],
      code: `${PRISMA}
export const q = (columns: string[]) =>
  prisma.$queryRawUnsafe(\`SELECT \${columns.map((c) => \`"\${c}"\`).join(", ")} FROM "User"\`);
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 5,
          column: 26,
          data: {
            callee: "prisma.$queryRawUnsafe",
            what: 'a template literal that interpolates `columns.map((c) => `"${c}"`).join(", ")`',
            safe: "prisma.$queryRaw",
          },
        },
      ],
    },
  ],
});

typedRuleTester.run("db-no-unsafe-raw (type-aware)", rule, {
  valid: [
    {
      name: "values typed as numbers or literal unions cannot inject; an imported literal constant is constant",
      filename: typedFile("db/file.ts"),
      code: `
import { sql } from "kysely";
import { db, POSTS_TABLE, type SortDirection } from "./kysely";
import { prisma } from "./prisma";

export async function page(direction: SortDirection, limit: number, status: "draft" | "published") {
  await prisma.$queryRawUnsafe(\`SELECT * FROM \${POSTS_TABLE} WHERE status = '\${status}' ORDER BY created_at \${direction} LIMIT \${limit}\`);
  return db.selectFrom("posts").selectAll().orderBy(sql.raw(\`created_at \${direction}\`)).limit(limit).execute();
}
`,
    },
  ],
  invalid: [
    {
      name: "a string-typed value is still injectable",
      filename: typedFile("db/file.ts"),
      code: `
import { sql } from "kysely";
import { db } from "./kysely";
import { prisma } from "./prisma";

export async function page(column: string, limit: number) {
  await prisma.$executeRawUnsafe(\`UPDATE posts SET \${column} = NULL LIMIT \${limit}\`);
  return db.selectFrom("posts").selectAll().orderBy(sql.raw(column)).execute();
}
`,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 7,
          column: 34,
          data: { callee: "prisma.$executeRawUnsafe", what: "a template literal that interpolates `column`", safe: "prisma.$executeRaw" },
        },
        { messageId: "unsafeFragment", line: 8, column: 61 },
      ],
    },
  ],
});

/** Tests, seeds, scripts, migrations, fixtures, mocks and generated files serve no request. */
const SEARCH = `${PRISMA}
export async function search(term: string) {
  return prisma.$queryRawUnsafe(\`SELECT id FROM "Post" WHERE title ILIKE '%\${term}%'\`);
}
`;

ruleTester.run("db-no-unsafe-raw (non-runtime files)", rule, {
  valid: [
    { name: "a test", filename: "src/__tests__/x.test.ts", code: SEARCH },
    { name: "a seed", filename: "prisma/seed.ts", code: SEARCH },
    { name: "a script", filename: "scripts/backfill.ts", code: SEARCH },
    { name: "a migration", filename: "db/migrations/0042_backfill.ts", code: SEARCH },
    { name: "generated code", filename: "src/generated/queries.ts", code: SEARCH },
    { name: "a seeds folder", filename: "db/seeds/posts.ts", code: SEARCH },
    { name: "a seed folder of helpers the end-to-end tests import", filename: "packages/db/seed/documents.ts", code: SEARCH },
    {
      name: "settings.archlint.nonRuntime names the non-runtime files",
      filename: "tools/backfill.ts",
      code: SEARCH,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
    },
  ],
  invalid: [
    {
      name: "the same code in server code is reported",
      filename: "src/server/x.ts",
      code: SEARCH,
      errors: [
        {
          messageId: "unsafeStatement",
          line: 5,
          column: 33,
          data: { callee: "prisma.$queryRawUnsafe", what: "a template literal that interpolates `term`", safe: "prisma.$queryRaw" },
        },
      ],
    },
    {
      name: "settings.archlint.nonRuntime replaces the default list: a script is reported",
      filename: "scripts/backfill.ts",
      code: SEARCH,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
      errors: [
        {
          messageId: "unsafeStatement",
          line: 5,
          column: 33,
          data: { callee: "prisma.$queryRawUnsafe", what: "a template literal that interpolates `term`", safe: "prisma.$queryRaw" },
        },
      ],
    },
  ],
});
