import { Linter, RuleTester, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * prisma-redundant-index through ESLint's own RuleTester on the `archlint/prisma` language: every
 * invalid case pins message id, start and end, and the autofix output (or the suggestion's, for an
 * index with a name of its own); near misses sit among the valid cases. That the fixed schemas
 * are still valid for Prisma is checked in prisma-redundant-index.prisma-agreement.test.ts.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const rule = plugin.rules["prisma-redundant-index"] as unknown as Parameters<RuleTester["run"]>[1];
const ruleTester = new RuleTester({ plugins: { archlint: eslintPlugin }, language: "archlint/prisma" });

const crlf = (text: string): string => text.replace(/\n/g, "\r\n");

const POSTGRES = `datasource db {
  provider = "postgresql"
}
`;

/** A NextAuth-style Account table; `indexes` are its block attributes (lines 21 on). */
const ACCOUNT = (indexes: string): string => `${POSTGRES}
model User {
  id       String    @id @default(cuid())
  email    String    @unique
  accounts Account[]
}

model Account {
  id                String  @id @default(cuid())
  userId            String
  provider          String
  providerAccountId String
  type              String
  createdAt         DateTime @default(now())
  user              User    @relation(fields: [userId], references: [id], onDelete: Cascade)

${indexes}
}
`;

/** Partial indexes (`where:`) are a preview feature of Prisma 7. */
const PARTIAL = `generator client {
  provider        = "prisma-client"
  output          = "../src/generated"
  previewFeatures = ["partialIndexes"]
}

`;

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "each index leads with different columns",
    code: ACCOUNT("  @@unique([provider, providerAccountId])\n  @@index([userId])"),
  },
  {
    name: "near miss: the index's column is the second column of the unique constraint, not its first",
    code: ACCOUNT("  @@unique([provider, userId])\n  @@index([userId])"),
  },
  {
    name: "near miss: the same columns in another order are another index (it serves other range scans and sorts)",
    code: ACCOUNT("  @@index([userId, createdAt])\n  @@index([createdAt, userId])"),
  },
  {
    name: "near miss: a prefix in another order is not a prefix",
    code: ACCOUNT("  @@index([userId, provider])\n  @@index([provider, userId, createdAt])"),
  },
  {
    name: "near miss: the same column sorted the other way (an index kept for ORDER BY ... DESC)",
    code: ACCOUNT('  @@index([userId, createdAt])\n  @@index([userId(sort: Desc)], map: "account_user_desc_idx")'),
  },
  {
    name: "near miss: a sorted column that the longer index sorts the other way",
    code: ACCOUNT("  @@index([createdAt(sort: Desc)])\n  @@index([createdAt, userId])"),
  },
  {
    name: "near miss: a hash index is another structure than the B-tree that starts with its column",
    code: ACCOUNT("  @@index([userId, createdAt])\n  @@index([userId], type: Hash)"),
  },
  {
    name: "near miss: a B-tree index is not served by a hash index on more columns",
    code: ACCOUNT("  @@index([userId, provider], type: Hash)\n  @@index([userId])"),
  },
  {
    name: "near miss: two GIN indexes on the same column with different operator classes",
    code: `${POSTGRES}
model Event {
  id      String @id
  payload Json

  @@index([payload(ops: JsonbPathOps)], type: Gin)
  @@index([payload(ops: JsonbOps)], type: Gin, map: "event_payload_keys_idx")
}
`,
  },
  {
    name: "near miss: a GIN index on the first of the columns of another GIN index (no prefix rule outside B-trees)",
    code: `${POSTGRES}
model Document {
  id   String   @id
  tags String[]
  refs String[]

  @@index([tags, refs], type: Gin)
  @@index([tags], type: Gin)
}
`,
  },
  {
    name: "near miss: a MySQL prefix index (length:) is smaller than the full-column unique index",
    code: `datasource db {
  provider = "mysql"
}

model Article {
  id   Int    @id @default(autoincrement())
  slug String @unique @db.VarChar(255)

  @@index([slug(length: 16)])
}
`,
  },
  {
    name: "near miss: a full-text index serves no equality lookup",
    code: `datasource db {
  provider = "mysql"
}

model Article {
  id    Int    @id @default(autoincrement())
  title String @db.VarChar(255)

  @@fulltext([title], map: "article_title_search")
  @@index([title])
}
`,
  },
  {
    name: "near miss: a partial index (where:) covers other rows than the full index that starts with its column",
    code: PARTIAL + ACCOUNT('  @@index([userId, createdAt])\n  @@index([userId], where: raw("\\"type\\" = \'oauth\'"))'),
  },
  {
    name: "near miss: a partial index is no cover for a full one",
    code: PARTIAL + ACCOUNT('  @@index([userId, createdAt], where: raw("\\"type\\" = \'oauth\'"))\n  @@index([userId])'),
  },
  {
    name: "near miss: a clustered index decides how SQL Server stores the table",
    code: `datasource db {
  provider = "sqlserver"
}

model Reading {
  id       Int      @id(clustered: false) @default(autoincrement())
  sensorId Int
  takenAt  DateTime

  @@unique([sensorId, takenAt])
  @@index([sensorId], clustered: true)
}
`,
  },
  {
    name: "a unique constraint that leads another one is a constraint, not an index to drop",
    code: ACCOUNT("  @@unique([userId])\n  @@unique([userId, provider])"),
  },
  {
    name: "the same columns indexed in another model",
    code: `${POSTGRES}
model Invoice {
  id         String @id
  customerId String

  @@index([customerId])
}

model Payment {
  id         String @id
  customerId String

  @@index([customerId, id])
}
`,
  },
  {
    name: "ignoreModels leaves the named model alone",
    code: ACCOUNT("  @@unique([userId, provider])\n  @@index([userId])"),
    options: [{ ignoreModels: ["Account"] }],
  },
];

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "NextAuth: @@index([userId]) beside @@unique([userId, provider])",
    code: ACCOUNT("  @@unique([userId, provider])\n  @@index([userId])"),
    errors: [{ messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 20 }],
    output: ACCOUNT("  @@unique([userId, provider])"),
  },
  {
    name: "a single-column index that leads a longer index",
    code: ACCOUNT("  @@index([userId])\n  @@index([userId, createdAt])"),
    errors: [{ messageId: "prefixIndex", line: 20, column: 3, endLine: 20, endColumn: 20 }],
    output: ACCOUNT("  @@index([userId, createdAt])"),
  },
  {
    name: "a two-column index that leads a three-column one",
    code: ACCOUNT("  @@index([userId, provider, createdAt])\n  @@index([userId, provider])"),
    errors: [{ messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 30 }],
    output: ACCOUNT("  @@index([userId, provider, createdAt])"),
  },
  {
    name: "@@index(userId) without brackets leads the composite primary key",
    code: `${POSTGRES}
model Membership {
  userId String
  teamId String
  role   String

  @@id([userId, teamId])
  @@index(userId)
}
`,
    errors: [{ messageId: "prefixIndex", line: 11, column: 3, endLine: 11, endColumn: 18 }],
    output: `${POSTGRES}
model Membership {
  userId String
  teamId String
  role   String

  @@id([userId, teamId])
}
`,
  },
  {
    name: "an index on a column that is already @unique repeats it",
    code: `${POSTGRES}
model User {
  id    String @id
  email String @unique

  @@index([email])
}
`,
    errors: [{ messageId: "duplicateIndex", line: 9, column: 3, endLine: 9, endColumn: 19 }],
    // The blank line above it goes too: nothing but the closing brace would follow it.
    output: `${POSTGRES}
model User {
  id    String @id
  email String @unique
}
`,
  },
  {
    name: "an index on the primary key repeats it",
    code: `${POSTGRES}
model Post {
  id    String @id
  title String

  @@index([id])
  @@index([title])
}
`,
    errors: [{ messageId: "duplicateIndex", line: 9, column: 3, endLine: 9, endColumn: 16 }],
    output: `${POSTGRES}
model Post {
  id    String @id
  title String

  @@index([title])
}
`,
  },
  {
    name: "a sorted index that leads a longer index sorted the same way",
    code: ACCOUNT("  @@index([createdAt(sort: Desc), userId])\n  @@index([createdAt(sort: Desc)])"),
    errors: [{ messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 35 }],
    output: ACCOUNT("  @@index([createdAt(sort: Desc), userId])"),
  },
  {
    name: "sort: Asc written out is the default sort",
    code: ACCOUNT("  @@index([userId, createdAt])\n  @@index([userId(sort: Asc)])"),
    errors: [{ messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 31 }],
    output: ACCOUNT("  @@index([userId, createdAt])"),
  },
  {
    name: "type: BTree written out is the default type",
    code: ACCOUNT("  @@index([userId, createdAt])\n  @@index([userId], type: BTree)"),
    errors: [{ messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 33 }],
    output: ACCOUNT("  @@index([userId, createdAt])"),
  },
  {
    name: "two identical hash indexes: the later one is reported",
    code: ACCOUNT('  @@index([userId], type: Hash, map: "account_user_hash")\n  @@index([userId], type: Hash)'),
    errors: [{ messageId: "duplicateIndex", line: 21, column: 3, endLine: 21, endColumn: 32 }],
    output: ACCOUNT('  @@index([userId], type: Hash, map: "account_user_hash")'),
  },
  {
    name: "an index with a name of its own: a suggestion, not an autofix",
    code: ACCOUNT('  @@unique([userId, provider])\n  @@index([userId], map: "account_user_idx")'),
    errors: [
      {
        messageId: "prefixIndex",
        line: 21,
        column: 3,
        endLine: 21,
        endColumn: 45,
        suggestions: [{ messageId: "removeNamedIndex", output: ACCOUNT("  @@unique([userId, provider])") }],
      },
    ],
    output: null,
  },
  {
    // ESLint applies touching fixes in separate passes (the CLI's --fix repeats them; the agreement test checks the end result).
    name: "two redundant indexes in one model: the first pass removes the first",
    code: ACCOUNT("  @@index([userId])\n  @@index([userId, provider])\n  @@index([userId, provider, createdAt])"),
    errors: [
      { messageId: "prefixIndex", line: 20, column: 3, endLine: 20, endColumn: 20 },
      { messageId: "prefixIndex", line: 21, column: 3, endLine: 21, endColumn: 30 },
    ],
    output: ACCOUNT("  @@index([userId, provider])\n  @@index([userId, provider, createdAt])"),
  },
  {
    name: "a trailing comment on the index's line goes with it; a comment line above stays",
    code: ACCOUNT("  @@index([userId, createdAt])\n  // lookups by user\n  @@index([userId]) // added for the sign-in query"),
    errors: [{ messageId: "prefixIndex", line: 22, column: 3, endLine: 22, endColumn: 20 }],
    output: ACCOUNT("  @@index([userId, createdAt])\n  // lookups by user"),
  },
  {
    name: "CRLF line endings are kept",
    code: crlf(ACCOUNT("  @@index([userId])\n  @@index([userId, createdAt])")),
    errors: [{ messageId: "prefixIndex", line: 20, column: 3, endLine: 20, endColumn: 20 }],
    output: crlf(ACCOUNT("  @@index([userId, createdAt])")),
  },
  {
    name: "CRLF: the blank line before a last index goes with it",
    code: crlf(`${POSTGRES}
model User {
  id    String @id
  email String @unique

  @@index([email])
}
`),
    errors: [{ messageId: "duplicateIndex", line: 9, column: 3, endLine: 9, endColumn: 19 }],
    output: crlf(`${POSTGRES}
model User {
  id    String @id
  email String @unique
}
`),
  },
  {
    name: "tab indentation",
    code: `${POSTGRES}
model Order {
\tid         String   @id
\tcustomerId String
\tplacedAt   DateTime

\t@@index([customerId])
\t@@index([customerId, placedAt])
}
`,
    errors: [{ messageId: "prefixIndex", line: 10, column: 2, endLine: 10, endColumn: 23 }],
    output: `${POSTGRES}
model Order {
\tid         String   @id
\tcustomerId String
\tplacedAt   DateTime

\t@@index([customerId, placedAt])
}
`,
  },
];

ruleTester.run("prisma-redundant-index", rule, { valid, invalid });

function lint(code: string, options?: unknown): Linter.LintMessage[] {
  return new Linter().verify(
    code,
    [
      {
        files: ["**/*.prisma"],
        plugins: { archlint: eslintPlugin },
        language: "archlint/prisma",
        rules: { "archlint/prisma-redundant-index": options === undefined ? "error" : ["error", options] },
      },
    ],
    "schema.prisma",
  );
}

describe("prisma-redundant-index messages", () => {
  it("names the index, the model and the index that covers it", () => {
    const [message, ...rest] = lint(ACCOUNT("  @@unique([userId, provider])\n  @@index([userId])"));
    expect(rest).toEqual([]);
    expect(message!.message).toBe(
      "`@@index([userId])` on `Account` is redundant: `@@unique([userId, provider])` starts with the same columns, so it answers every query this one does, while every write to `Account` keeps both up to date. Remove `@@index([userId])`.",
    );
  });

  it("names a field-level constraint by its field", () => {
    const [message] = lint(`${POSTGRES}
model User {
  id    String @id
  email String @unique

  @@index([email])
}
`);
    expect(message!.message).toContain("repeats `@unique` on `email`");
  });

  it("names the longest index that covers it", () => {
    const [message] = lint(ACCOUNT("  @@index([userId, provider])\n  @@index([userId, provider, createdAt])\n  @@index([userId])"));
    expect(message!.message).toContain("`@@index([userId, provider, createdAt])` starts with the same columns");
  });

  it("the suggestion for a named index says its name", () => {
    const [message] = lint(ACCOUNT('  @@unique([userId, provider])\n  @@index([userId], map: "account_user_idx")'));
    expect(message!.suggestions?.map((s) => s.desc)).toEqual([
      "Remove `@@index([userId])` (named `account_user_idx`: first check that no raw query or index hint names it).",
    ]);
  });
});

describe("prisma-redundant-index options", () => {
  it("rejects an unknown option key", () => {
    expect(() => lint(ACCOUNT("  @@index([userId])"), { ignoreModel: ["Account"] })).toThrow(/should NOT have additional properties/);
  });

  it("honours // eslint-disable-next-line above the index", () => {
    const code = ACCOUNT(
      "  @@unique([userId, provider])\n  // eslint-disable-next-line archlint/prisma-redundant-index -- kept for a USE INDEX hint\n  @@index([userId])",
    );
    expect(lint(code)).toEqual([]);
  });
});
