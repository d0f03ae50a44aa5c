import fs from "node:fs";
import path from "node:path";
import { Linter, RuleTester, type ESLint } from "eslint";
import plugin from "../../src/index.js";
import { project } from "../sql-tester.js";

/**
 * prisma-relation-index in a project that has SQL migrations too: an index created by hand in a
 * Prisma `migration.sql` (or in a folder of `settings.archlint.migrations`) and still there at the
 * end of the history serves the relation, through `@@map` / `@map` / `@@schema` names. Near misses:
 * an index on other columns, one dropped by a later migration, a partial one, one on the model's
 * name rather than its table's; and a folder with a file Postgres rejects is not trusted.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const rule = plugin.rules["prisma-relation-index"] as unknown as Parameters<RuleTester["run"]>[1];
const tester = new RuleTester({ plugins: { archlint: eslintPlugin }, language: "archlint/prisma" });

const LOCK = { "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n' };
const INIT = `CREATE TABLE "User" ("id" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" TEXT NOT NULL, "authorId" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

const SCHEMA = `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  posts Post[]
}

model Post {
  id        String   @id
  authorId  String
  createdAt DateTime
  author    User     @relation(fields: [authorId], references: [id])
}
`;

const MAPPED = `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  posts Post[]

  @@map("users")
}

model Post {
  id       String @id
  authorId String @map("author_id")
  author   User   @relation(fields: [authorId], references: [id])

  @@map("posts")
}
`;

const MAPPED_SQL = `CREATE TABLE "users" ("id" TEXT PRIMARY KEY);
CREATE TABLE "posts" ("id" TEXT PRIMARY KEY, "author_id" TEXT NOT NULL REFERENCES "users"("id"));
`;

/** The rule's fix: `@@index` on the relation's fields, at the end of the model. */
const FIXED = SCHEMA.replace("references: [id])\n}", "references: [id])\n\n  @@index([authorId])\n}");
const MAPPED_FIXED = MAPPED.replace('@@map("posts")\n}', '@@map("posts")\n  @@index([authorId])\n}');

/** A project with `files` and the schema (its text also the case's code) at prisma/schema.prisma. */
function schemaIn(files: Record<string, string>, schema: string): string {
  return project({ ...files, "prisma/schema.prisma": schema }, "prisma/schema.prisma");
}

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "an index created by hand in a later migration.sql serves the relation",
    code: SCHEMA,
    filename: schemaIn(
      {
        ...LOCK,
        "prisma/migrations/20240101000000_init/migration.sql": INIT,
        "prisma/migrations/20240201000000_post_author/migration.sql":
          'CREATE INDEX CONCURRENTLY "Post_authorId_createdAt_idx" ON "Post" ("authorId", "createdAt" DESC);\n',
      },
      SCHEMA,
    ),
  },
  {
    name: "@@map and @map: the SQL names the table and column, not the model and field",
    code: MAPPED,
    filename: schemaIn(
      { ...LOCK, "prisma/migrations/1_init/migration.sql": `${MAPPED_SQL}CREATE INDEX "posts_author_id_idx" ON "posts"("author_id");\n` },
      MAPPED,
    ),
  },
  {
    name: "a folder named in settings.archlint.migrations (SQL-first, the schema pulled from the database)",
    code: SCHEMA,
    filename: schemaIn({ "db/sql/001.sql": `${INIT}create index on public."Post" ("authorId");\n` }, SCHEMA),
    settings: { archlint: { migrations: "__FOLDER__" } },
  },
  {
    name: "@@schema: the index is looked up in the model's schema",
    code: SCHEMA.replace('provider = "postgresql"', 'provider = "postgresql"\n  schemas  = ["app"]')
      .replace("posts Post[]\n}", 'posts Post[]\n\n  @@schema("app")\n}')
      .replace("references: [id])\n}", 'references: [id])\n\n  @@schema("app")\n}'),
    filename: schemaIn(
      {
        ...LOCK,
        "prisma/migrations/1_init/migration.sql":
          'CREATE SCHEMA "app";\nCREATE TABLE "app"."User" ("id" TEXT PRIMARY KEY);\nCREATE TABLE "app"."Post" ("id" TEXT PRIMARY KEY, "authorId" TEXT NOT NULL REFERENCES "app"."User"("id"));\nCREATE INDEX ON "app"."Post" ("authorId");\n',
      },
      SCHEMA,
    ),
  },
];

// settings.archlint.migrations is relative to the working directory, where RuleTester runs.
for (const c of valid) {
  const settings = c.settings as { archlint?: { migrations?: string } } | undefined;
  if (settings?.archlint?.migrations === "__FOLDER__")
    settings.archlint.migrations = path.relative(process.cwd(), path.join(path.dirname(c.filename!), "..", "db", "sql"));
}

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "an index in the migrations on other columns (authorId second) does not serve it",
    code: SCHEMA,
    filename: schemaIn({ ...LOCK, "prisma/migrations/1_init/migration.sql": `${INIT}CREATE INDEX ON "Post" ("createdAt", "authorId");\n` }, SCHEMA),
    errors: [{ messageId: "missingIndexWithMigrations", line: 14, column: 22 }],
    output: FIXED,
  },
  {
    name: "an index a later migration dropped does not serve it (what Prisma Migrate writes when the schema lacks it)",
    code: SCHEMA,
    filename: schemaIn(
      {
        ...LOCK,
        "prisma/migrations/1_init/migration.sql": `${INIT}CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");\n`,
        "prisma/migrations/2_drift/migration.sql": '-- DropIndex\nDROP INDEX "Post_authorId_idx";\n',
      },
      SCHEMA,
    ),
    errors: [{ messageId: "missingIndexWithMigrations", line: 14, column: 22 }],
    output: FIXED,
  },
  {
    name: "a partial index serves only its rows",
    code: SCHEMA,
    filename: schemaIn(
      { ...LOCK, "prisma/migrations/1_init/migration.sql": `${INIT}CREATE INDEX ON "Post" ("authorId") WHERE "createdAt" > '2024-01-01';\n` },
      SCHEMA,
    ),
    errors: [{ messageId: "missingIndexWithMigrations", line: 14, column: 22 }],
    output: FIXED,
  },
  {
    name: "with @@map, an index on a table named like the model is another table's",
    code: MAPPED,
    filename: schemaIn(
      { ...LOCK, "prisma/migrations/1_init/migration.sql": `${MAPPED_SQL}CREATE TABLE "Post" ("author_id" TEXT);\nCREATE INDEX ON "Post" ("author_id");\n` },
      MAPPED,
    ),
    errors: [{ messageId: "missingIndexWithMigrations", line: 15, column: 19 }],
    output: MAPPED_FIXED,
  },
  {
    name: "with @map, an index on the field's name is not on its column",
    code: MAPPED,
    filename: schemaIn(
      {
        ...LOCK,
        "prisma/migrations/1_init/migration.sql": `${MAPPED_SQL}ALTER TABLE "posts" ADD COLUMN "authorId" TEXT;\nCREATE INDEX ON "posts" ("authorId");\n`,
      },
      MAPPED,
    ),
    errors: [{ messageId: "missingIndexWithMigrations", line: 15, column: 19 }],
    output: MAPPED_FIXED,
  },
  {
    name: "a migrations folder with a file Postgres rejects is not read: the schema alone decides",
    code: SCHEMA,
    filename: schemaIn(
      {
        ...LOCK,
        "prisma/migrations/1_init/migration.sql": `${INIT}CREATE INDEX ON "Post" ("authorId");\n`,
        "prisma/migrations/2_broken/migration.sql": "CREATE INDEKS oops;\n",
      },
      SCHEMA,
    ),
    errors: [{ messageId: "missingIndex", line: 14, column: 22 }],
    output: FIXED,
  },
];

tester.run("prisma-relation-index with SQL migrations", rule, { valid, invalid });

describe("prisma-relation-index with SQL migrations: the message", () => {
  it("names the migrations folder it read, relative to the working directory", () => {
    const filename = schemaIn({ ...LOCK, "prisma/migrations/1_init/migration.sql": INIT }, SCHEMA);
    const config = {
      files: ["**/*.prisma"],
      plugins: { archlint: eslintPlugin },
      language: "archlint/prisma",
      rules: { "archlint/prisma-relation-index": "error" as const },
    };
    const messages = new Linter({ configType: "flat", cwd: process.cwd() }).verify(SCHEMA, [config], filename);
    const folder = path
      .relative(process.cwd(), path.join(path.dirname(filename), "migrations"))
      .split(path.sep)
      .join("/");
    expect(messages.map((m) => m.message)).toEqual([
      `\`Post.authorId\` (relation \`author\` -> \`User\`) has no index that starts with it, in the schema or in the SQL migrations (\`${folder}\`): every lookup of a \`User\`'s \`Post\` rows, and every delete or update of a \`User\`, scans \`Post\`. Add \`@@index([authorId])\`.`,
    ]);
  });

  it("a schema with no migrations folder keeps the schema-only message", () => {
    const filename = schemaIn({}, SCHEMA);
    expect(fs.existsSync(path.join(path.dirname(filename), "migrations"))).toBe(false);
    const config = {
      files: ["**/*.prisma"],
      plugins: { archlint: eslintPlugin },
      language: "archlint/prisma",
      rules: { "archlint/prisma-relation-index": "error" as const },
    };
    expect(new Linter({ configType: "flat" }).verify(SCHEMA, [config], filename).map((m) => m.message)).toEqual([
      "`Post.authorId` (relation `author` -> `User`) has no index that starts with it: every lookup of a `User`'s `Post` rows, and every delete or update of a `User`, scans `Post`. Add `@@index([authorId])`.",
    ]);
  });
});
