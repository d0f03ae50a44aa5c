import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSchema } from "@archlint/core";
import { Linter, RuleTester, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * prisma-relation-index through ESLint's own RuleTester on the `archlint/prisma` language: every
 * invalid case pins message id, start and end position and the exact autofix output, and every
 * fixed output is checked again by Prisma's validator.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const rule = plugin.rules["prisma-relation-index"] as unknown as Parameters<RuleTester["run"]>[1];

const ruleTester = new RuleTester({
  plugins: { archlint: eslintPlugin },
  language: "archlint/prisma",
});

const crlf = (text: string): string => text.replace(/\n/g, "\r\n");

/**
 * Runs a RuleTester suite inside the current test, so a test can assert that it throws. Kept near
 * the top of the file: on failure RuleTester reads the source line that called `run()`, and under
 * vitest's transform that line number is only roughly right.
 */
function runSynchronously(tests: Parameters<RuleTester["run"]>[2]): void {
  const tester = new RuleTester({ plugins: { archlint: eslintPlugin }, language: "archlint/prisma" });
  RuleTester.describe = (_name: string, fn: () => void) => fn();
  RuleTester.it = (_name: string, fn: () => void) => fn();
  try {
    tester.run("prisma-relation-index", rule, tests);
  } finally {
    RuleTester.describe = null as unknown as typeof RuleTester.describe;
    RuleTester.it = null as unknown as typeof RuleTester.it;
  }
}

const SHIPMENT_SCHEMA = (indexes: string): string => `datasource db {
  provider = "postgresql"
}

model Warehouse {
  tenantId  String
  code      String
  shipments Shipment[]

  @@id([tenantId, code])
}

model Shipment {
  id            String    @id @default(cuid())
  tenantId      String
  warehouseCode String
  createdAt     DateTime  @default(now())
  warehouse     Warehouse @relation(fields: [tenantId, warehouseCode], references: [tenantId, code])

${indexes}
}
`;

const RULE_ACTION_SCHEMA = (index: string): string => `datasource db {
  provider = "postgresql"
}

model Automation {
  id        String   @id @default(cuid())
  accountId String
  steps     Step[]

  @@unique([id, accountId])
}

model Step {
  id           String     @id @default(cuid())
  automationId String
  accountId    String
  automation   Automation @relation(fields: [automationId, accountId], references: [id, accountId], onDelete: Cascade)

${index}
}
`;

const valid: RuleTester.ValidTestCase[] = [
  {
    name: "a composite relation that references the parent's @id is served by an index on the column mapped to it",
    code: RULE_ACTION_SCHEMA("  @@index([automationId])"),
  },
  {
    name: "NextAuth Account/Session with @@index([userId]) on both",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  email    String    @unique
  accounts Account[]
  sessions Session[]
}

model Account {
  id                String  @id @default(cuid())
  userId            String
  type              String
  provider          String
  providerAccountId String
  refresh_token     String? @db.Text
  access_token      String? @db.Text
  expires_at        Int?
  user              User    @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([provider, providerAccountId])
  @@index([userId])
}

model Session {
  id           String   @id @default(cuid())
  sessionToken String   @unique
  userId       String
  expires      DateTime
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
`,
  },
  {
    name: "@@index(userId) written without brackets",
    code: `datasource db {
  provider = "postgresql"
}

model Post {
  id       String    @id @default(cuid())
  comments Comment[]
}

model Comment {
  id     String @id @default(cuid())
  body   String
  postId String
  post   Post   @relation(fields: [postId], references: [id], onDelete: Cascade)

  @@index(postId)
}
`,
  },
  {
    name: "@@index([organizationId, createdAt(sort: Desc)]) leads with the FK",
    code: `datasource db {
  provider = "postgresql"
}

model Organization {
  id    String @id @default(cuid())
  posts Post[]
}

model Post {
  id             String       @id @default(cuid())
  title          String
  organizationId String
  createdAt      DateTime     @default(now())
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)

  @@index([organizationId, createdAt(sort: Desc)])
}
`,
  },
  {
    name: "@@index([authorId(sort: Desc), publishedAt]): a sort argument on the FK field itself",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Post {
  id          String    @id @default(cuid())
  authorId    String
  publishedAt DateTime?
  author      User      @relation(fields: [authorId], references: [id])

  @@index([authorId(sort: Desc), publishedAt])
}
`,
  },
  {
    name: "@@index([authorId(length: 10)]) on MySQL with relationMode prisma (PlanetScale)",
    code: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    String @id @db.VarChar(191)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId String @db.VarChar(191)
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId(length: 10)])
}
`,
  },
  {
    name: "one-to-one: the FK is @unique",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id      String   @id @default(cuid())
  profile Profile?
}

model Profile {
  id     String @id @default(cuid())
  bio    String?
  userId String @unique
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
  },
  {
    name: "one-to-one: the FK is the model's own @id",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  settings Settings?
}

model Settings {
  userId String @id
  theme  String @default("system")
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
  },
  {
    name: "SaaS membership: @@id([organizationId, userId]) covers organizationId, @@index([userId]) covers userId",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id          String       @id @default(cuid())
  memberships Membership[]
}

model Organization {
  id      String       @id @default(cuid())
  members Membership[]
}

model Membership {
  organizationId String
  userId         String
  role           String       @default("MEMBER")
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)
  user           User         @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([organizationId, userId])
  @@index([userId])
}
`,
  },
  {
    name: "@@unique([postId, tagId]) covers postId, @@index([tagId]) covers tagId",
    code: `datasource db {
  provider = "postgresql"
}

model Post {
  id   String    @id @default(cuid())
  tags PostTag[]
}

model Tag {
  id    String    @id @default(cuid())
  posts PostTag[]
}

model PostTag {
  id     String @id @default(cuid())
  postId String
  tagId  String
  post   Post   @relation(fields: [postId], references: [id], onDelete: Cascade)
  tag    Tag    @relation(fields: [tagId], references: [id], onDelete: Cascade)

  @@unique([postId, tagId])
  @@index([tagId])
}
`,
  },
  {
    name: "composite FK covered by an index whose leading fields are the FK fields in order",
    code: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  action         String
  organizationId String
  userId         String
  createdAt      DateTime   @default(now())
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([organizationId, userId, createdAt(sort: Desc)])
}
`,
  },
  {
    name: "an index with an explicit type: BTree covers like the default",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id     String @id @default(cuid())
  userId String
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId], type: BTree)
}
`,
  },
  {
    name: "@@index(fields: [...]) with the named fields argument",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id     String @id @default(cuid())
  userId String
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index(fields: [userId], map: "session_user_idx")
}
`,
  },
  {
    name: "a hash index covers lookups on exactly its own field list",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id     String @id @default(cuid())
  userId String
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId], type: Hash)
}
`,
  },
  {
    name: "self relation covered by @@index([parentId])",
    code: `datasource db {
  provider = "postgresql"
}

model Category {
  id       String     @id @default(cuid())
  name     String
  parentId String?
  parent   Category?  @relation("CategoryTree", fields: [parentId], references: [id])
  children Category[] @relation("CategoryTree")

  @@index([parentId])
}
`,
  },
  {
    name: "MySQL with real foreign keys: InnoDB indexes FK columns itself, so the rule is skipped",
    code: `datasource db {
  provider = "mysql"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`,
  },
  {
    name: "MySQL with relationMode foreignKeys spelled out: skipped as well",
    code: `datasource db {
  provider     = "mysql"
  relationMode = "foreignKeys"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`,
  },
  {
    name: "MongoDB: no foreign keys and no index advice, so the rule is skipped",
    code: `datasource db {
  provider = "mongodb"
}

model User {
  id    String @id @default(auto()) @map("_id") @db.ObjectId
  posts Post[]
}

model Post {
  id       String @id @default(auto()) @map("_id") @db.ObjectId
  authorId String @db.ObjectId
  author   User   @relation(fields: [authorId], references: [id])
}
`,
  },
  {
    name: "ignoreModels skips the listed model",
    options: [{ ignoreModels: ["Session"] }],
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
  },
  {
    name: "eslint-disable-next-line directly above the relation line",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  // eslint-disable-next-line rule-to-test/prisma-relation-index -- sessions are only read by token
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
  },
  {
    name: "only the back-relation side (list field, no fields:) and an implicit many-to-many",
    code: `datasource db {
  provider = "postgresql"
}

model Post {
  id   String @id @default(cuid())
  tags Tag[]
}

model Tag {
  id    String @id @default(cuid())
  posts Post[]
}
`,
  },
  {
    name: "any order (default): @@unique([warehouseCode, tenantId, createdAt]) leads with the composite FK's columns",
    code: SHIPMENT_SCHEMA("  @@unique([warehouseCode, tenantId, createdAt])"),
  },
  {
    name: "any order (default): @@index([warehouseCode, tenantId]) serves the FK [tenantId, warehouseCode]",
    code: SHIPMENT_SCHEMA("  @@index([warehouseCode, tenantId])"),
  },
  {
    name: "any order (default): a sorted, named @@index([warehouseCode(sort: Desc), tenantId]) serves it",
    code: SHIPMENT_SCHEMA('  @@index([warehouseCode(sort: Desc), tenantId], map: "shipment_wh")'),
  },
  {
    name: 'order: "exact": an index in the relation\'s order still covers it',
    code: SHIPMENT_SCHEMA("  @@index([tenantId, warehouseCode, createdAt])"),
    options: [{ order: "exact" }],
  },
];

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "near miss: an index on the composite relation's other column, which is not unique in the parent, does not serve it",
    code: RULE_ACTION_SCHEMA("  @@index([accountId])"),
    errors: [{ messageId: "missingIndex", line: 17, column: 27, endLine: 17, endColumn: 119 }],
    output: RULE_ACTION_SCHEMA("  @@index([accountId])\n  @@index([automationId, accountId])"),
  },
  {
    name: "any order (default): the FK's columns split by another column ([warehouseCode, createdAt, tenantId]) are not a lead",
    code: SHIPMENT_SCHEMA("  @@index([warehouseCode, createdAt, tenantId])"),
    errors: [{ messageId: "missingIndex", line: 18, column: 27, endLine: 18, endColumn: 101 }],
    output: SHIPMENT_SCHEMA("  @@index([warehouseCode, createdAt, tenantId])\n  @@index([tenantId, warehouseCode])"),
  },
  {
    name: "any order (default): one of the FK's columns alone (@@index([warehouseCode])) is not a lead",
    code: SHIPMENT_SCHEMA("  @@index([warehouseCode])"),
    errors: [{ messageId: "missingIndex", line: 18, column: 27, endLine: 18, endColumn: 101 }],
    output: SHIPMENT_SCHEMA("  @@index([warehouseCode])\n  @@index([tenantId, warehouseCode])"),
  },
  {
    name: "any order (default): a hash index on the FK's columns plus one more serves no lookup by the FK",
    code: SHIPMENT_SCHEMA("  @@index([warehouseCode, tenantId, createdAt], type: Hash)"),
    errors: [{ messageId: "missingIndex", line: 18, column: 27, endLine: 18, endColumn: 101 }],
    output: SHIPMENT_SCHEMA("  @@index([warehouseCode, tenantId, createdAt], type: Hash)\n  @@index([tenantId, warehouseCode])"),
  },
  {
    name: 'order: "exact": @@unique([warehouseCode, tenantId, createdAt]) has the FK\'s columns in another order (wrongOrder)',
    code: SHIPMENT_SCHEMA("  @@unique([warehouseCode, tenantId, createdAt])"),
    options: [{ order: "exact" }],
    errors: [{ messageId: "wrongOrder", line: 18, column: 27, endLine: 18, endColumn: 101 }],
    output: SHIPMENT_SCHEMA("  @@unique([warehouseCode, tenantId, createdAt])\n  @@index([tenantId, warehouseCode])"),
  },
  {
    name: "NextAuth Account and Session without @@index([userId])",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  email    String    @unique
  accounts Account[]
  sessions Session[]
}

model Account {
  id                String  @id @default(cuid())
  userId            String
  type              String
  provider          String
  providerAccountId String
  refresh_token     String? @db.Text
  access_token      String? @db.Text
  expires_at        Int?
  user              User    @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([provider, providerAccountId])
}

model Session {
  id           String   @id @default(cuid())
  sessionToken String   @unique
  userId       String
  expires      DateTime
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
    errors: [
      { messageId: "missingIndex", line: 21, column: 29, endLine: 21, endColumn: 93 },
      { messageId: "missingIndex", line: 31, column: 25, endLine: 31, endColumn: 89 },
    ],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  email    String    @unique
  accounts Account[]
  sessions Session[]
}

model Account {
  id                String  @id @default(cuid())
  userId            String
  type              String
  provider          String
  providerAccountId String
  refresh_token     String? @db.Text
  access_token      String? @db.Text
  expires_at        Int?
  user              User    @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([provider, providerAccountId])
  @@index([userId])
}

model Session {
  id           String   @id @default(cuid())
  sessionToken String   @unique
  userId       String
  expires      DateTime
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
`,
  },
  {
    name: "SaaS membership: @@id([organizationId, userId]) covers organizationId but not userId",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id          String       @id @default(cuid())
  memberships Membership[]
}

model Organization {
  id      String       @id @default(cuid())
  members Membership[]
}

model Membership {
  organizationId String
  userId         String
  role           String       @default("MEMBER")
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)
  user           User         @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([organizationId, userId])
}
`,
    errors: [{ messageId: "missingIndex", line: 20, column: 31, endLine: 20, endColumn: 95 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id          String       @id @default(cuid())
  memberships Membership[]
}

model Organization {
  id      String       @id @default(cuid())
  members Membership[]
}

model Membership {
  organizationId String
  userId         String
  role           String       @default("MEMBER")
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)
  user           User         @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@id([organizationId, userId])
  @@index([userId])
}
`,
  },
  {
    name: "blog: Post.authorId unindexed next to a covered organizationId, @@map and /// docs kept",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Organization {
  id    String @id @default(cuid())
  posts Post[]
}

/// A blog post, scoped to one organization.
model Post {
  id             String       @id @default(cuid())
  title          String       @db.VarChar(255)
  authorId       String       @map("author_id")
  organizationId String       @map("organization_id")
  createdAt      DateTime     @default(now()) @map("created_at")
  author         User         @relation(fields: [authorId], references: [id])
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)

  @@index([organizationId, createdAt(sort: Desc)])
  @@map("posts")
}
`,
    errors: [{ messageId: "missingIndex", line: 22, column: 31, endLine: 22, endColumn: 78 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Organization {
  id    String @id @default(cuid())
  posts Post[]
}

/// A blog post, scoped to one organization.
model Post {
  id             String       @id @default(cuid())
  title          String       @db.VarChar(255)
  authorId       String       @map("author_id")
  organizationId String       @map("organization_id")
  createdAt      DateTime     @default(now()) @map("created_at")
  author         User         @relation(fields: [authorId], references: [id])
  organization   Organization @relation(fields: [organizationId], references: [id], onDelete: Cascade)

  @@index([organizationId, createdAt(sort: Desc)])
  @@map("posts")
  @@index([authorId])
}
`,
  },
  {
    name: "two unindexed relations in one model: one fix per pass, the first one applied",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  comments Comment[]
}

model Post {
  id       String    @id @default(cuid())
  comments Comment[]
}

model Comment {
  id       String @id @default(cuid())
  body     String
  postId   String
  authorId String
  post     Post   @relation(fields: [postId], references: [id], onDelete: Cascade)
  author   User   @relation(fields: [authorId], references: [id])
}
`,
    errors: [
      { messageId: "missingIndex", line: 20, column: 19, endLine: 20, endColumn: 83 },
      { messageId: "missingIndex", line: 21, column: 19, endLine: 21, endColumn: 66 },
    ],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  comments Comment[]
}

model Post {
  id       String    @id @default(cuid())
  comments Comment[]
}

model Comment {
  id       String @id @default(cuid())
  body     String
  postId   String
  authorId String
  post     Post   @relation(fields: [postId], references: [id], onDelete: Cascade)
  author   User   @relation(fields: [authorId], references: [id])

  @@index([postId])
}
`,
  },
  {
    name: 'order: "exact": composite FK with an index on the same fields in the other order (wrongOrder)',
    options: [{ order: "exact" }],
    code: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  action         String
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([userId, organizationId])
  @@map("audit_logs")
}
`,
    errors: [{ messageId: "wrongOrder", line: 18, column: 29, endLine: 18, endColumn: 110 }],
    output: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  action         String
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([userId, organizationId])
  @@map("audit_logs")
  @@index([organizationId, userId])
}
`,
  },
  {
    name: 'order: "exact": composite FK with a @@unique on the same fields in the other order (wrongOrder)',
    options: [{ order: "exact" }],
    code: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  invites        Invite[]

  @@id([organizationId, userId])
}

model Invite {
  id             String     @id @default(cuid())
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@unique([userId, organizationId])
}
`,
    errors: [{ messageId: "wrongOrder", line: 17, column: 29, endLine: 17, endColumn: 110 }],
    output: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  invites        Invite[]

  @@id([organizationId, userId])
}

model Invite {
  id             String     @id @default(cuid())
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@unique([userId, organizationId])
  @@index([organizationId, userId])
}
`,
  },
  {
    name: 'order: "exact": composite FK with an @@id on the same fields in the other order (wrongOrder)',
    options: [{ order: "exact" }],
    code: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  settings       MemberSetting[]

  @@id([organizationId, userId])
}

model MemberSetting {
  userId         String
  organizationId String
  key            String
  value          String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId], onDelete: Cascade)

  @@id([userId, organizationId, key])
}
`,
    errors: [{ messageId: "wrongOrder", line: 18, column: 29, endLine: 18, endColumn: 129 }],
    output: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  settings       MemberSetting[]

  @@id([organizationId, userId])
}

model MemberSetting {
  userId         String
  organizationId String
  key            String
  value          String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId], onDelete: Cascade)

  @@id([userId, organizationId, key])
  @@index([organizationId, userId])
}
`,
  },
  {
    name: "composite FK with an index on its first field only (missingIndex)",
    code: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([organizationId])
}
`,
    errors: [{ messageId: "missingIndex", line: 17, column: 29, endLine: 17, endColumn: 110 }],
    output: `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([organizationId])
  @@index([organizationId, userId])
}
`,
  },
  {
    name: "a full-text index that starts with the FK does not cover it (MySQL, relationMode prisma)",
    code: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    String @id @db.VarChar(191)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId String @db.VarChar(191)
  title    String @db.VarChar(255)
  author   User   @relation(fields: [authorId], references: [id])

  @@fulltext([authorId, title])
}
`,
    errors: [{ messageId: "missingIndex", line: 15, column: 19, endLine: 15, endColumn: 66 }],
    output: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    String @id @db.VarChar(191)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId String @db.VarChar(191)
  title    String @db.VarChar(255)
  author   User   @relation(fields: [authorId], references: [id])

  @@fulltext([authorId, title])
  @@index([authorId])
}
`,
  },
  {
    name: "MySQL with relationMode prisma (PlanetScale) is checked",
    code: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 17, endLine: 14, endColumn: 64 }],
    output: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
`,
  },
  {
    name: "SQLite is checked",
    code: `datasource db {
  provider = "sqlite"
}

model Project {
  id    Int    @id @default(autoincrement())
  tasks Task[]
}

model Task {
  id        Int     @id @default(autoincrement())
  title     String
  projectId Int
  project   Project @relation(fields: [projectId], references: [id], onDelete: Cascade)
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 21, endLine: 14, endColumn: 88 }],
    output: `datasource db {
  provider = "sqlite"
}

model Project {
  id    Int    @id @default(autoincrement())
  tasks Task[]
}

model Task {
  id        Int     @id @default(autoincrement())
  title     String
  projectId Int
  project   Project @relation(fields: [projectId], references: [id], onDelete: Cascade)

  @@index([projectId])
}
`,
  },
  {
    name: "SQL Server is checked",
    code: `datasource db {
  provider = "sqlserver"
}

model Customer {
  id     Int     @id @default(autoincrement())
  orders Order[]
}

model Order {
  id         Int      @id @default(autoincrement())
  total      Float    @db.Money
  customerId Int
  customer   Customer @relation(fields: [customerId], references: [id])
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 23, endLine: 14, endColumn: 72 }],
    output: `datasource db {
  provider = "sqlserver"
}

model Customer {
  id     Int     @id @default(autoincrement())
  orders Order[]
}

model Order {
  id         Int      @id @default(autoincrement())
  total      Float    @db.Money
  customerId Int
  customer   Customer @relation(fields: [customerId], references: [id])

  @@index([customerId])
}
`,
  },
  {
    name: "CockroachDB is checked",
    code: `datasource db {
  provider = "cockroachdb"
}

model Warehouse {
  id    BigInt @id @default(autoincrement())
  items Item[]
}

model Item {
  id          BigInt    @id @default(autoincrement())
  sku         String    @unique
  warehouseId BigInt
  warehouse   Warehouse @relation(fields: [warehouseId], references: [id])
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 25, endLine: 14, endColumn: 75 }],
    output: `datasource db {
  provider = "cockroachdb"
}

model Warehouse {
  id    BigInt @id @default(autoincrement())
  items Item[]
}

model Item {
  id          BigInt    @id @default(autoincrement())
  sku         String    @unique
  warehouseId BigInt
  warehouse   Warehouse @relation(fields: [warehouseId], references: [id])

  @@index([warehouseId])
}
`,
  },
  {
    name: "Prisma 5/6 datasource with url = env(...) and directUrl loads and is checked",
    code: `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}
`,
    errors: [{ messageId: "missingIndex", line: 20, column: 19, endLine: 20, endColumn: 66 }],
    output: `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
`,
  },
  {
    name: "CRLF line endings: the fix uses CRLF",
    code: crlf(`datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`),
    errors: [{ messageId: "missingIndex", line: 14, column: 20, endLine: 14, endColumn: 84 }],
    output: crlf(`datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
`),
  },
  {
    name: "CRLF line endings with existing block attributes",
    code: crlf(`datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id           String   @id @default(cuid())
  sessionToken String
  userId       String
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@unique([sessionToken])
}
`),
    errors: [{ messageId: "missingIndex", line: 14, column: 25, endLine: 14, endColumn: 89 }],
    output: `datasource db {\r
  provider = "postgresql"\r
}\r
\r
model User {\r
  id       String    @id @default(cuid())\r
  sessions Session[]\r
}\r
\r
model Session {\r
  id           String   @id @default(cuid())\r
  sessionToken String\r
  userId       String\r
  user         User     @relation(fields: [userId], references: [id], onDelete: Cascade)\r
\r
  @@unique([sessionToken])\r
  @@index([userId])\r
}\r
`,
  },
  {
    name: "a trailing comment on the last field stays on its line; the fix goes after it",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade) // owner of the session
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 20, endLine: 14, endColumn: 84 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade) // owner of the session

  @@index([userId])
}
`,
  },
  {
    name: "a trailing comment on a last field that is not the relation",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  expires DateTime // UTC
}
`,
    errors: [{ messageId: "missingIndex", line: 13, column: 20, endLine: 13, endColumn: 84 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
  expires DateTime // UTC

  @@index([userId])
}
`,
  },
  {
    name: "tab indentation is reused by the fix",
    code: `datasource db {
\tprovider = "postgresql"
}

model User {
\tid    String @id @default(cuid())
\tposts Post[]
}

model Post {
\tid       String @id @default(cuid())
\tauthorId String
\tauthor   User   @relation(fields: [authorId], references: [id])
}
`,
    errors: [{ messageId: "missingIndex", line: 13, column: 18, endLine: 13, endColumn: 65 }],
    output: `datasource db {
\tprovider = "postgresql"
}

model User {
\tid    String @id @default(cuid())
\tposts Post[]
}

model Post {
\tid       String @id @default(cuid())
\tauthorId String
\tauthor   User   @relation(fields: [authorId], references: [id])

\t@@index([authorId])
}
`,
  },
  {
    name: "self relation (category tree) without an index on parentId",
    code: `datasource db {
  provider = "postgresql"
}

model Category {
  id       String     @id @default(cuid())
  name     String
  parentId String?
  parent   Category?  @relation("CategoryTree", fields: [parentId], references: [id])
  children Category[] @relation("CategoryTree")
}
`,
    errors: [{ messageId: "missingIndex", line: 9, column: 23, endLine: 9, endColumn: 86 }],
    output: `datasource db {
  provider = "postgresql"
}

model Category {
  id       String     @id @default(cuid())
  name     String
  parentId String?
  parent   Category?  @relation("CategoryTree", fields: [parentId], references: [id])
  children Category[] @relation("CategoryTree")

  @@index([parentId])
}
`,
  },
  {
    name: "ignoreModels lists another model: this one is still checked",
    options: [{ ignoreModels: ["Account"] }],
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 20, endLine: 14, endColumn: 84 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
`,
  },
  {
    name: "an eslint-disable-next-line comment one line too high does not apply",
    code: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  // eslint-disable-next-line rule-to-test/prisma-relation-index
  userId  String
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`,
    errors: [{ messageId: "missingIndex", line: 14, column: 20, endLine: 14, endColumn: 84 }],
    output: `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  // eslint-disable-next-line rule-to-test/prisma-relation-index
  userId  String
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId])
}
`,
  },
];

ruleTester.run("prisma-relation-index", rule, { valid, invalid });

function lint(code: string, options?: unknown): Linter.LintMessage[] {
  return new Linter().verify(
    code,
    [
      {
        files: ["**/*.prisma"],
        plugins: { archlint: eslintPlugin },
        language: "archlint/prisma",
        rules: { "archlint/prisma-relation-index": options === undefined ? "error" : ["error", options] },
      },
    ],
    "schema.prisma",
  );
}

const SESSION_SCHEMA = `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id      String   @id @default(cuid())
  userId  String
  expires DateTime
  user    User     @relation(fields: [userId], references: [id], onDelete: Cascade)
}
`;

describe("prisma-relation-index messages", () => {
  it("names the model, FK, relation and target, and says which index to add", () => {
    const [message, ...rest] = lint(SESSION_SCHEMA);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ ruleId: "archlint/prisma-relation-index", messageId: "missingIndex", line: 14, column: 20 });
    expect(message!.message).toBe(
      "`Session.userId` (relation `user` -> `User`) has no index that starts with it: every lookup of a `User`'s `Session` rows, and every delete or update of a `User`, scans `Session`. Add `@@index([userId])`.",
    );
  });

  it('names the index in the other order for wrongOrder (order: "exact" only; by default that index covers the relation)', () => {
    const code = `datasource db {
  provider = "postgresql"
}

model Membership {
  organizationId String
  userId         String
  auditLogs      AuditLog[]

  @@id([organizationId, userId])
}

model AuditLog {
  id             String     @id @default(cuid())
  organizationId String
  userId         String
  membership     Membership @relation(fields: [organizationId, userId], references: [organizationId, userId])

  @@index([userId, organizationId])
}
`;
    expect(lint(code)).toEqual([]);
    const messages = lint(code, { order: "exact" });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.messageId).toBe("wrongOrder");
    expect(messages[0]!.message).toBe(
      '`AuditLog(organizationId, userId)` (relation `membership` -> `Membership`) has no index that starts with it in this order (`@@index([userId, organizationId])` has its fields in another order, and `order: "exact"` asks for the relation\'s order, as Prisma does). Add `@@index([organizationId, userId])`.',
    );
  });
});

describe("prisma-relation-index inline configuration with the real rule id", () => {
  it("reports without a disable comment (control)", () => {
    expect(lint(SESSION_SCHEMA).map((m) => m.line)).toEqual([14]);
  });

  it("honours // eslint-disable-next-line archlint/prisma-relation-index directly above the relation", () => {
    const code = SESSION_SCHEMA.replace(
      "  user    User",
      "  // eslint-disable-next-line archlint/prisma-relation-index -- sessions are only read by token\n  user    User",
    );
    expect(lint(code)).toEqual([]);
  });

  it("honours // eslint-disable-line archlint/prisma-relation-index at the end of the relation line", () => {
    const code = SESSION_SCHEMA.replace("onDelete: Cascade)", "onDelete: Cascade) // eslint-disable-line archlint/prisma-relation-index");
    expect(lint(code)).toEqual([]);
  });

  it("a disable comment for another rule does not silence this one", () => {
    const code = SESSION_SCHEMA.replace("  user    User", "  // eslint-disable-next-line no-console\n  user    User");
    expect(lint(code).map((m) => [m.ruleId, m.line, m.message])).toEqual([
      [null, 14, "Unused eslint-disable directive (no problems were reported from 'no-console')."],
      ["archlint/prisma-relation-index", 15, expect.stringContaining("`Session.userId`")],
    ]);
  });
});

describe("prisma-relation-index options", () => {
  it("rejects an unknown option key (ignoreModel) through the RuleTester's schema validation", () => {
    expect(() => runSynchronously({ valid: [{ code: SESSION_SCHEMA, options: [{ ignoreModel: [] }] }], invalid: [] })).toThrow(
      /Unexpected property "ignoreModel". Expected properties: "ignoreModels"/,
    );
  });

  it("rejects an unknown option key through Linter config validation", () => {
    expect(() => lint(SESSION_SCHEMA, { ignoreModel: [] })).toThrow(/Key "archlint\/prisma-relation-index":[\s\S]*Unexpected property "ignoreModel"/);
  });

  it("rejects ignoreModels given as a string instead of a list", () => {
    expect(() => lint(SESSION_SCHEMA, { ignoreModels: "Session" })).toThrow(/Value "Session" should be array/);
  });

  it("rejects an unknown order", () => {
    expect(() => lint(SESSION_SCHEMA, { order: "sorted" })).toThrow(/should be equal to one of the allowed values/);
  });

  it("rejects an empty model name", () => {
    expect(() => lint(SESSION_SCHEMA, { ignoreModels: [""] })).toThrow(/Value "" should NOT be shorter than 1 characters/);
  });

  it("accepts no options and an empty ignoreModels list alike", () => {
    expect(lint(SESSION_SCHEMA).map((m) => m.line)).toEqual([14]);
    expect(lint(SESSION_SCHEMA, { ignoreModels: [] }).map((m) => m.line)).toEqual([14]);
  });
});

function fixAll(code: string, options?: unknown): Linter.FixReport {
  return new Linter().verifyAndFix(
    code,
    [
      {
        files: ["**/*.prisma"],
        plugins: { archlint: eslintPlugin },
        language: "archlint/prisma",
        rules: { "archlint/prisma-relation-index": options === undefined ? "error" : ["error", options] },
      },
    ],
    { filename: "schema.prisma" },
  );
}

describe("prisma-relation-index fixes produce schemas Prisma accepts", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-relation-index-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function validateText(name: string, text: string) {
    const file = path.join(dir, `${name}.prisma`);
    fs.writeFileSync(file, text);
    return loadSchema({ path: file, isFolder: false, source: "explicit" });
  }

  it.each(invalid.map((c, i) => [c.name ?? `case ${i}`, i] as const))("%s", (_name, index) => {
    const testCase = invalid[index]!;
    expect(validateText(`before-${index}`, testCase.code).errors).toEqual([]);

    const afterOnePass = validateText(`after-${index}`, testCase.output as string);
    expect(afterOnePass.errors).toEqual([]);
    expect(afterOnePass.model).not.toBeNull();

    // `eslint --fix` repeats passes: in the end every relation is indexed and Prisma still agrees.
    const fixed = fixAll(testCase.code, testCase.options?.[0]);
    expect(fixed.messages.filter((m) => m.ruleId === "archlint/prisma-relation-index")).toEqual([]);
    expect(validateText(`fixed-${index}`, fixed.output).errors).toEqual([]);
  });

  it("two relations of one model are indexed in two passes, in field order", () => {
    const twoInOneModel = invalid.find((c) => c.name?.startsWith("two unindexed relations"))!;
    const result = fixAll(twoInOneModel.code);
    expect(result.fixed).toBe(true);
    expect(result.messages).toEqual([]);
    expect(result.output).toBe(
      twoInOneModel.code.replace(
        "  author   User   @relation(fields: [authorId], references: [id])\n}\n",
        "  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([postId])\n  @@index([authorId])\n}\n",
      ),
    );
  });
});

const HASH_SCHEMA = `datasource db {
  provider = "postgresql"
}

model User {
  id       String    @id @default(cuid())
  sessions Session[]
}

model Session {
  id       String @id @default(cuid())
  userId   String
  deviceId String
  user     User   @relation(fields: [userId], references: [id], onDelete: Cascade)

  @@index([userId, deviceId], type: Hash)
}
`;

const FULLTEXT_ON_FK_SCHEMA = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    String @id @db.VarChar(191)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId String @db.VarChar(191)
  author   User   @relation(fields: [authorId], references: [id])

  @@fulltext([authorId])
}
`;

describe("prisma-relation-index: cases outside the RuleTester because of known src bugs", () => {
  it("a hash index on more fields than the FK does not cover it: reported, with the @@index fix", () => {
    const messages = lint(HASH_SCHEMA);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ line: 14, column: 19, endLine: 14, endColumn: 83 });
    expect(fixAll(HASH_SCHEMA).output).toBe(
      HASH_SCHEMA.replace("  @@index([userId, deviceId], type: Hash)\n", "  @@index([userId, deviceId], type: Hash)\n  @@index([userId])\n"),
    );
  });

  // Regression: sameFieldsOtherOrder() in rules/prisma-relation-index.ts also matches an index whose
  // leading fields are already in FK order (here the hash index, skipped by findCoveringIndex for
  // its algorithm), so the message claims "no index that starts with it in this order".
  it("a hash index that already starts with the FK is not called an index in the other order", () => {
    expect(lint(HASH_SCHEMA)[0]!.messageId).toBe("missingIndex");
  });

  it("a full-text index on exactly the FK fields does not cover it: reported at the relation", () => {
    const messages = lint(FULLTEXT_ON_FK_SCHEMA);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ messageId: "missingIndex", line: 14, column: 19, endLine: 14, endColumn: 66 });
  });

  // Regression: the fix adds `@@index([authorId])`, whose default name `Post_authorId_idx` is the one
  // Prisma already gives `@@fulltext([authorId])`; Prisma rejects the fixed schema ("The given
  // constraint name `Post_authorId_idx` has to be unique ...").
  it("the fix next to a full-text index on exactly the FK fields yields a schema Prisma accepts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-relation-index-fulltext-"));
    try {
      const file = path.join(dir, "schema.prisma");
      fs.writeFileSync(file, fixAll(FULLTEXT_ON_FK_SCHEMA).output);
      expect(loadSchema({ path: file, isFolder: false, source: "explicit" }).errors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("prisma-relation-index runs on schemas Prisma rejects, and on schemas of older Prisma versions", () => {
  it("a Prisma 6 schema (previewFeatures views, relationJoins, metrics; url) loads: the finding, no parsing error", () => {
    const code = `generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views", "relationJoins", "metrics"]
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
${SESSION_SCHEMA.slice(SESSION_SCHEMA.indexOf("model User"))}`;
    expect(lint(code).map((m) => [m.ruleId, m.line, m.column])).toEqual([["archlint/prisma-relation-index", 19, 20]]);
  });

  it("MySQL (relationMode prisma) with `onDelete: SetDefault`: Prisma's error at its span and the unindexed relation", () => {
    const code = `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int?
  author   User? @relation(fields: [authorId], references: [id], onDelete: SetDefault)
}
`;
    const messages = lint(code);
    expect(messages.map((m) => [m.ruleId, m.fatal ?? false, m.line, m.column, m.endLine, m.endColumn])).toEqual([
      ["archlint/prisma-relation-index", false, 14, 18, 14, 87],
      [null, true, 14, 66, undefined, undefined],
    ]);
    expect(messages[1]!.message).toMatch(/^Parsing error: .*SetDefault/);
  });

  it("PostgreSQL with an unknown type in another model: Prisma's error and the relation finding", () => {
    const code = SESSION_SCHEMA.replace("  expires DateTime\n", "  expires Timestamp\n");
    const messages = lint(code);
    expect(messages.map((m) => [m.ruleId, m.fatal ?? false, m.line, m.column])).toEqual([
      [null, true, 13, 11],
      ["archlint/prisma-relation-index", false, 14, 20],
    ]);
    expect(messages[0]!.message).toBe('Parsing error: Type "Timestamp" is neither a built-in type, nor refers to another model, composite type, or enum.');
  });

  it("a file archlint's parser cannot read is one parsing error, and no rule runs on it", () => {
    const messages = lint(SESSION_SCHEMA.replace("onDelete: Cascade)", "onDelete: Cascade"));
    expect(messages.map((m) => [m.ruleId, m.fatal])).toEqual([[null, true]]);
  });
});
