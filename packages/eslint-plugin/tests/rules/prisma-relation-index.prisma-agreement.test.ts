import { prismaValidate } from "@archlint/core";
import { Linter, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * Under `relationMode = "prisma"` Prisma's own validator warns about exactly the relations it
 * considers unindexed ("With `relationMode = "prisma"`, no foreign keys are used ... We recommend
 * adding an index manually"). These cases follow psl's missing-index-warning tests; each one runs
 * both Prisma and archlint on the same text and requires the same findings at the same spans.
 * Lines marked `// unindexed` are the ones both must report, so the two cannot agree by both
 * saying nothing.
 *
 * Prisma reads an index as covering a relation only when it lists the relation's fields in the
 * relation's order; the database does not care about the order of equality columns, so archlint's
 * default (`order: "any"`) deliberately differs there, and `order: "exact"` agrees with Prisma on
 * every case. The cases where the two readings part are listed on their own below.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;

interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** ESLint's 1-based line and column of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}

function prismaFindings(text: string): Span[] {
  const diagnostics = prismaValidate([["schema.prisma", text]]);
  if (diagnostics === null) throw new Error("Prisma's validator did not run");
  const errors = diagnostics.filter((d) => !d.isWarning);
  if (errors.length > 0) throw new Error(`Prisma rejects the case: ${errors.map((e) => e.message).join("; ")}`);
  return diagnostics
    .filter((d) => d.message.includes("relationMode"))
    .map((d) => {
      const start = position(text, d.start);
      const end = position(text, d.end);
      return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function archlintFindings(text: string, options?: { order: "any" | "exact" }): Span[] {
  const messages = new Linter().verify(
    text,
    [
      {
        files: ["**/*.prisma"],
        plugins: { archlint: eslintPlugin },
        language: "archlint/prisma",
        rules: { "archlint/prisma-relation-index": options ? ["error", options] : "error" },
      },
    ],
    "schema.prisma",
  );
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`archlint could not parse the case: ${fatal.map((m) => m.message).join("; ")}`);
  return messages
    .filter((m) => m.ruleId === "archlint/prisma-relation-index")
    .map((m) => ({ line: m.line, column: m.column, endLine: m.endLine!, endColumn: m.endColumn! }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function markedLines(text: string): number[] {
  return text.split("\n").flatMap((line, i) => (line.includes("// unindexed") ? [i + 1] : []));
}

const RELATION_MODE_PRISMA = `datasource db {
  provider     = "postgresql"
  relationMode = "prisma"
}
`;

/** The referenced side of the three-field composite key used by several cases. */
const THREE_FIELD_USER = `
model User {
  a     Int
  b     Int
  c     Int
  posts Post[]

  @@id([a, b, c])
}
`;

function threeFieldPost(extra: string, relationMarker = ""): string {
  return `${THREE_FIELD_USER}
model Post {
  id    Int  @id
  userA Int
  userB Int
  userC Int
  user  User @relation(fields: [userA, userB, userC], references: [a, b, c])${relationMarker}
${extra}}
`;
}

/** `orderOnly`: Prisma warns because the index has the fields in another order; archlint by default does not. */
const cases: Array<{ name: string; models: string; orderOnly?: true }> = [
  {
    name: "relation on one field, no index: warns",
    models: `
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id]) // unindexed
}
`,
  },
  {
    name: "relation on one field with @@index([userId]): no warning",
    models: `
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index([userId])
}
`,
  },
  {
    name: "relation on one field with @@index(userId) without brackets: no warning",
    models: `
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])

  @@index(userId)
}
`,
  },
  {
    name: "relation on one field led by a sorted index field: no warning",
    models: `
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id        Int      @id
  userId    Int
  createdAt DateTime
  user      User     @relation(fields: [userId], references: [id])

  @@index([userId(sort: Desc), createdAt])
}
`,
  },
  { name: "three-field composite FK, no index: warns", models: threeFieldPost("", " // unindexed") },
  { name: "three-field composite FK, full index: no warning", models: threeFieldPost("\n  @@index([userA, userB, userC])\n") },
  {
    name: "three-field composite FK, index on the leftmost two fields only: warns",
    models: threeFieldPost("\n  @@index([userA, userB])\n", " // unindexed"),
  },
  {
    name: "three-field composite FK, index on the rightmost two fields: warns",
    models: threeFieldPost("\n  @@index([userB, userC])\n", " // unindexed"),
  },
  {
    name: "three-field composite FK, index leading with the three fields and one more: no warning",
    models: threeFieldPost("\n  @@index([userA, userB, userC, id])\n"),
  },
  {
    name: "three-field composite FK, index on the three fields in another order: Prisma warns",
    models: threeFieldPost("\n  @@index([userC, userB, userA])\n", " // unindexed"),
    orderOnly: true,
  },
  {
    name: "three-field composite FK, @@unique leading with the three fields in another order, plus one: Prisma warns",
    models: threeFieldPost("\n  @@unique([userB, userA, userC, id])\n", " // unindexed"),
    orderOnly: true,
  },
  {
    name: "three-field composite FK, index with two of its fields in another order then an unrelated field: warns",
    models: threeFieldPost("\n  @@index([userB, userA, id, userC])\n", " // unindexed"),
  },
  {
    name: "three-field composite FK, @@unique on the three fields: no warning",
    models: threeFieldPost("\n  @@unique([userA, userB, userC])\n"),
  },
  {
    name: "FK field that is the model's @id: no warning",
    models: `
model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  userId Int  @id
  user   User @relation(fields: [userId], references: [id])
}
`,
  },
  {
    name: "FK field that is @unique (one-to-one): no warning",
    models: `
model User {
  id      Int      @id
  profile Profile?
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
`,
  },
  {
    name: "composite FK whose first field is @id and second @unique: warns",
    models: `
model User {
  a        Int
  b        Int
  profiles Profile[]

  @@id([a, b])
}

model Profile {
  userA Int  @id
  userB Int  @unique
  user  User @relation(fields: [userA, userB], references: [a, b]) // unindexed
}
`,
  },
  {
    name: "composite FK whose first field is @unique and second @id: warns",
    models: `
model User {
  a        Int
  b        Int
  profiles Profile[]

  @@id([a, b])
}

model Profile {
  userA Int  @unique
  userB Int  @id
  user  User @relation(fields: [userA, userB], references: [a, b]) // unindexed
}
`,
  },
  {
    name: "@@id leading with the FK covers it, the second relation of the key does not get covered",
    models: `
model User {
  id          Int          @id
  memberships Membership[]
}

model Team {
  id      Int          @id
  members Membership[]
}

model Membership {
  userId Int
  teamId Int
  user   User @relation(fields: [userId], references: [id])
  team   Team @relation(fields: [teamId], references: [id]) // unindexed

  @@id([userId, teamId])
}
`,
  },
  {
    name: "@@id on exactly the composite FK: no warning",
    models: `
model User {
  a       Int
  b       Int
  profile Profile?

  @@id([a, b])
}

model Profile {
  userA Int
  userB Int
  user  User @relation(fields: [userA, userB], references: [a, b])

  @@id([userA, userB])
}
`,
  },
  {
    name: "@@unique leading with the FK covers it: no warning",
    models: `
model Post {
  id   Int       @id
  tags PostTag[]
}

model Tag {
  id    Int       @id
  posts PostTag[]
}

model PostTag {
  id     Int  @id
  postId Int
  tagId  Int
  post   Post @relation(fields: [postId], references: [id])
  tag    Tag  @relation(fields: [tagId], references: [id]) // unindexed

  @@unique([postId, tagId])
}
`,
  },
  {
    name: "self relation and several relations in one model, some covered",
    models: `
model User {
  id       Int       @id
  comments Comment[]
}

model Post {
  id       Int       @id
  comments Comment[]
}

model Comment {
  id       Int       @id
  postId   Int
  authorId Int
  parentId Int?
  post     Post      @relation(fields: [postId], references: [id])
  author   User      @relation(fields: [authorId], references: [id]) // unindexed
  parent   Comment?  @relation("Thread", fields: [parentId], references: [id], onDelete: Restrict, onUpdate: Restrict) // unindexed
  replies  Comment[] @relation("Thread")

  @@index([postId, id])
}
`,
  },
];

describe('prisma-relation-index with order: "exact" agrees with Prisma\'s relationMode = "prisma" index warnings', () => {
  it.each(cases)("$name", ({ models }) => {
    const text = RELATION_MODE_PRISMA + models;
    const prisma = prismaFindings(text);
    const archlint = archlintFindings(text, { order: "exact" });
    expect(archlint).toEqual(prisma);
    expect(archlint.map((f) => f.line)).toEqual(markedLines(text));
  });
});

describe('prisma-relation-index (default order: "any") agrees with Prisma wherever the index order is not the question', () => {
  it.each(cases.filter((c) => !c.orderOnly))("$name", ({ models }) => {
    const text = RELATION_MODE_PRISMA + models;
    const prisma = prismaFindings(text);
    expect(archlintFindings(text)).toEqual(prisma);
    expect(prisma.map((f) => f.line)).toEqual(markedLines(text));
  });
});

describe("where archlint deliberately asks for less than Prisma: the relation's columns in another order", () => {
  // The database answers `userA = ? AND userB = ? AND userC = ?` from any index whose first three
  // columns are those three; Prisma's warning wants them in the relation's order.
  it.each(cases.filter((c) => c.orderOnly))("$name: Prisma warns, archlint does not", ({ models }) => {
    const text = RELATION_MODE_PRISMA + models;
    const prisma = prismaFindings(text);
    expect(prisma.map((f) => f.line)).toEqual(markedLines(text));
    expect(prisma).toHaveLength(1);
    expect(archlintFindings(text)).toEqual([]);
  });
});

const UNINDEXED_POST = `
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
`;

describe("where neither Prisma nor archlint asks for an index", () => {
  it("MongoDB", () => {
    const text = `datasource db {
  provider = "mongodb"
}

model User {
  id    String @id @default(auto()) @map("_id") @db.ObjectId
  posts Post[]
}

model Post {
  id     String @id @default(auto()) @map("_id") @db.ObjectId
  userId String @db.ObjectId
  user   User   @relation(fields: [userId], references: [id])
}
`;
    expect(prismaFindings(text)).toEqual([]);
    expect(archlintFindings(text)).toEqual([]);
  });

  it("MySQL with real foreign keys (InnoDB indexes FK columns itself)", () => {
    const text = `datasource db {
  provider = "mysql"
}
${UNINDEXED_POST}`;
    expect(prismaFindings(text)).toEqual([]);
    expect(archlintFindings(text)).toEqual([]);
  });

  it("MySQL with relationMode prisma: both report the same relation (control)", () => {
    const text = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}
${UNINDEXED_POST}`;
    const prisma = prismaFindings(text);
    expect(prisma.map((f) => f.line)).toEqual([14]);
    expect(archlintFindings(text)).toEqual(prisma);
  });
});

describe("where archlint deliberately asks for more than Prisma", () => {
  it("PostgreSQL with real foreign keys: Prisma is silent, but PostgreSQL does not index FK columns", () => {
    const text = `datasource db {
  provider = "postgresql"
}
${UNINDEXED_POST}`;
    expect(prismaFindings(text)).toEqual([]);
    expect(archlintFindings(text).map((f) => f.line)).toEqual([13]);
  });

  it("a hash index on more fields than the FK: Prisma counts it, a hash index cannot serve a prefix", () => {
    const text = `${RELATION_MODE_PRISMA}
model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  userId   Int
  deviceId Int
  user     User @relation(fields: [userId], references: [id])

  @@index([userId, deviceId], type: Hash)
}
`;
    expect(prismaFindings(text)).toEqual([]);
    expect(archlintFindings(text).map((f) => f.line)).toEqual([15]);
  });

  it("a full-text index on the FK: Prisma counts it, it serves no equality lookup", () => {
    const text = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    String @id @db.VarChar(191)
  posts Post[]
}

model Post {
  id     Int    @id
  userId String @db.VarChar(191)
  user   User   @relation(fields: [userId], references: [id])

  @@fulltext([userId])
}
`;
    expect(prismaFindings(text)).toEqual([]);
    expect(archlintFindings(text).map((f) => f.line)).toEqual([14]);
  });
});
