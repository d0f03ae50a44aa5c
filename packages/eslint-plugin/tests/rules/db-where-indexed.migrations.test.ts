import rule from "../../src/rules/db-where-indexed.js";
import { ruleTester } from "../rule-tester.js";
import { project } from "../sql-tester.js";

/**
 * db-where-indexed in a project whose Prisma schema lacks an index that its SQL migrations create
 * by hand (a `migration.sql` edited after `prisma migrate dev --create-only`): the index serves the
 * filter, as it does for prisma-relation-index. A partial index counts (the filter may match its
 * predicate; archlint does not compare them). Near misses: an index on other leading columns, one
 * a later migration dropped, a GIN index, an index of another table of the same column name.
 */

const SCHEMA = `datasource db {
  provider = "postgresql"
}

model Domain {
  id         String    @id
  host       String
  verifiedAt DateTime? @map("verified_at")
  orgId      String    @map("org_id")

  @@map("domains")
}
`;

const INIT = `CREATE TABLE "domains" ("id" TEXT PRIMARY KEY, "host" TEXT NOT NULL, "verified_at" TIMESTAMP(3), "org_id" TEXT NOT NULL);
`;

const LOCK = { "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n' };

const CODE = `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

export const verified = (host: string) =>
  prisma.domain.findFirst({ where: { host, verifiedAt: { not: null } } });
`;

/** The project with its schema, `migrations` (name -> SQL after the table's creation) and the code at src/domains.ts. */
function withMigrations(migrations: Record<string, string>): string {
  const files: Record<string, string> = { ...LOCK, "package.json": "{}\n", "prisma/schema.prisma": SCHEMA, "prisma/migrations/1_init/migration.sql": INIT };
  for (const [name, sql] of Object.entries(migrations)) files[`prisma/migrations/${name}/migration.sql`] = sql;
  return project({ ...files, "src/domains.ts": CODE }, "src/domains.ts");
}

const unindexed = [{ messageId: "unindexedWhere" as const, line: 5, column: 29 }];
/** The temporary projects live under the tests' folder, which archlint counts as not serving requests. */
const settings = { archlint: { nonRuntime: [] } };

ruleTester.run("db-where-indexed with SQL migrations", rule, {
  valid: [
    {
      name: "a partial unique index created by hand in a later migration.sql, led by the filtered column",
      filename: withMigrations({
        "2_verified_host": `CREATE UNIQUE INDEX "domains_host_verified_key" ON "domains" ("host") WHERE "verified_at" IS NOT NULL;\n`,
      }),
      code: CODE,
      settings,
    },
    {
      name: "a plain index in the migrations on the @map-ped column",
      filename: withMigrations({ "2_verified_at": `CREATE INDEX ON "domains" ("verified_at", "host");\n` }),
      code: CODE,
      settings,
    },
  ],
  invalid: [
    {
      name: "no index in the schema or the migrations",
      filename: withMigrations({}),
      code: CODE,
      settings,
      errors: unindexed,
    },
    {
      name: "an index in the migrations led by another column (org_id, host) does not serve it",
      filename: withMigrations({ "2_org_host": `CREATE UNIQUE INDEX ON "domains" ("org_id", "host");\n` }),
      code: CODE,
      settings,
      errors: unindexed,
    },
    {
      name: "an index a later migration dropped does not serve it",
      filename: withMigrations({
        "2_host": `CREATE INDEX "domains_host_idx" ON "domains" ("host");\n`,
        "3_drop": `DROP INDEX "domains_host_idx";\n`,
      }),
      code: CODE,
      settings,
      errors: unindexed,
    },
    {
      name: "a GIN index (a trigram search) does not answer equality on the column",
      filename: withMigrations({ "2_trgm": `CREATE INDEX "domains_host_trgm" ON "domains" USING gin ("host" gin_trgm_ops);\n` }),
      code: CODE,
      settings,
      errors: unindexed,
    },
    {
      name: "an index on a column of the same name in another table",
      filename: withMigrations({ "2_other": `CREATE TABLE "hosts" ("host" TEXT);\nCREATE INDEX ON "hosts" ("host");\n` }),
      code: CODE,
      settings,
      errors: unindexed,
    },
  ],
});
