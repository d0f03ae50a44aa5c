import { prismaValidate, type PrismaDiagnostic } from "@archlint/core";
import { Linter, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * prisma-redundant-index removes indexes; these cases check each removal against Prisma's own
 * validator. For every schema: Prisma accepts it; archlint reports exactly the lines marked
 * `// redundant` (so "both say nothing" cannot pass); after every fix and suggestion is applied,
 * Prisma still accepts the schema with no new warning (under relationMode = "prisma" Prisma warns
 * about every relation left without an index, so a removed index that a relation needed would
 * show here), and archlint has nothing more to say.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const RULE = "archlint/prisma-redundant-index";
const config = [{ files: ["**/*.prisma"], plugins: { archlint: eslintPlugin }, language: "archlint/prisma", rules: { [RULE]: "error" } }];

function diagnostics(text: string): PrismaDiagnostic[] {
  const found = prismaValidate([["schema.prisma", text]]);
  if (found === null) throw new Error("Prisma's validator did not run");
  return found;
}

function errors(text: string): string[] {
  return diagnostics(text)
    .filter((d) => !d.isWarning)
    .map((d) => d.message);
}

function warnings(text: string): string[] {
  return diagnostics(text)
    .filter((d) => d.isWarning)
    .map((d) => d.message)
    .sort();
}

/** archlint's findings; Prisma's own errors come back as fatal messages, and only `prismaErrorsExpected` lets them through. */
function findings(text: string, prismaErrorsExpected = false): Linter.LintMessage[] {
  const messages = new Linter().verify(text, config, "schema.prisma");
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0 && !prismaErrorsExpected) throw new Error(`archlint could not read the case: ${fatal.map((m) => m.message).join("; ")}`);
  return messages.filter((m) => m.ruleId === RULE);
}

/** Applies the first finding's fix (or its one suggestion) until none is left, as a user accepting each would. */
function removeAll(text: string, prismaErrorsExpected = false): string {
  let current = text;
  for (let pass = 0; pass < 20; pass++) {
    const [first] = findings(current, prismaErrorsExpected);
    if (!first) return current;
    const fix = first.fix ?? first.suggestions?.[0]?.fix;
    if (!fix) throw new Error(`a finding with neither fix nor suggestion: ${first.message}`);
    current = current.slice(0, fix.range[0]) + fix.text + current.slice(fix.range[1]);
  }
  throw new Error("fixes did not settle in 20 passes");
}

function markedLines(text: string): number[] {
  return text.split(/\r\n|\n/).flatMap((line, i) => (line.includes("// redundant") ? [i + 1] : []));
}

const cases: Array<{ name: string; schema: string }> = [
  {
    name: "relationMode prisma: the relation's own index leads a composite unique (Prisma's relation warning stays quiet after the removal)",
    schema: `datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model Workspace {
  id      Int      @id
  members Member[]
}

model Member {
  id          Int       @id
  workspaceId Int
  email       String    @db.VarChar(191)
  workspace   Workspace @relation(fields: [workspaceId], references: [id], onDelete: Cascade)

  @@unique([workspaceId, email])
  @@index([workspaceId]) // redundant
}
`,
  },
  {
    name: "relationMode prisma: the relation's index leads a longer plain index",
    schema: `datasource db {
  provider     = "postgresql"
  relationMode = "prisma"
}

model Project {
  id     Int     @id
  issues Issue[]
}

model Issue {
  id        Int      @id
  projectId Int
  createdAt DateTime
  project   Project  @relation(fields: [projectId], references: [id], onDelete: Cascade)

  @@index([projectId]) // redundant
  @@index([projectId, createdAt(sort: Desc)], map: "issue_project_recent_idx")
}
`,
  },
  {
    name: "MySQL with foreign keys: InnoDB needs an index that leads with the FK, and the composite one still does",
    schema: `datasource db {
  provider = "mysql"
}

model Customer {
  id     Int     @id
  orders Order[]
}

model Order {
  id         Int      @id
  customerId Int
  placedAt   DateTime
  customer   Customer @relation(fields: [customerId], references: [id])

  @@index([customerId, placedAt])
  @@index([customerId], map: "order_customer_idx") // redundant
}
`,
  },
  {
    name: "PostgreSQL: an index on an @id, one on a @unique field, and a sorted prefix",
    schema: `datasource db {
  provider = "postgresql"
}

model Account {
  id        String   @id
  email     String   @unique
  createdAt DateTime
  plan      String

  @@index([id]) // redundant
  @@index([email]) // redundant
  @@index([createdAt(sort: Desc), plan])
  @@index([createdAt(sort: Desc)], map: "account_recent_idx") // redundant
}
`,
  },
  {
    name: "two identical indexes: Prisma rejects the pair by their default name; the fix leaves one",
    schema: `datasource db {
  provider = "postgresql"
}

model Tag {
  id   Int    @id
  slug String

  @@index([slug], map: "tag_slug_idx")
  @@index([slug]) // redundant
}
`,
  },
  {
    name: "hash indexes: only the exact duplicate of another hash index",
    schema: `datasource db {
  provider = "postgresql"
}

model Session {
  id     String @id
  token  String
  userId String

  @@index([token], type: Hash)
  @@index([token], type: Hash, map: "session_token_hash_2") // redundant
  @@index([userId, token])
  @@index([userId], type: Hash)
}
`,
  },
  {
    name: "SQL Server: a non-clustered prefix of a unique constraint; the clustered one stays",
    schema: `datasource db {
  provider = "sqlserver"
}

model Reading {
  id       Int      @id(clustered: false)
  sensorId Int
  siteId   Int
  takenAt  DateTime

  @@unique([sensorId, takenAt])
  @@index([sensorId], clustered: true)
  @@index([siteId, takenAt])
  @@index([siteId], map: "reading_site_idx") // redundant
}
`,
  },
  {
    name: "SQLite and a composite primary key",
    schema: `datasource db {
  provider = "sqlite"
}

model Enrollment {
  studentId Int
  courseId  Int

  @@id([studentId, courseId])
  @@index([studentId]) // redundant
  @@index([courseId])
}
`,
  },
  {
    name: "MongoDB: a compound index serves queries on its prefix too",
    schema: `datasource db {
  provider = "mongodb"
}

model Event {
  id       String   @id @default(auto()) @map("_id") @db.ObjectId
  tenantId String
  kind     String
  at       DateTime

  @@index([tenantId, kind, at])
  @@index([tenantId, kind]) // redundant
}
`,
  },
  {
    name: "partial indexes (preview) are neither reported nor covers",
    schema: `generator client {
  provider        = "prisma-client"
  output          = "../src/generated"
  previewFeatures = ["partialIndexes"]
}

datasource db {
  provider = "postgresql"
}

model Job {
  id       Int      @id
  queue    String
  status   String
  runAfter DateTime

  @@index([queue, runAfter], where: raw("status = 'pending'"))
  @@index([queue])
  @@index([status, runAfter])
  @@index([status], map: "job_status_idx") // redundant
}
`,
  },
];

describe("prisma-redundant-index: every removal leaves a schema Prisma accepts, with no new warning", () => {
  it.each(cases)("$name", ({ schema }) => {
    expect(errors(schema)).toEqual([]);
    expect(findings(schema).map((m) => m.line)).toEqual(markedLines(schema));
    const fixed = removeAll(schema);
    expect(errors(fixed)).toEqual([]);
    // Warnings only disappear: no relation lost the index Prisma looks for.
    const before = warnings(schema);
    for (const warning of warnings(fixed)) expect(before).toContain(warning);
    expect(findings(fixed)).toEqual([]);
    expect(fixed.split("\n").length).toBeLessThan(schema.split("\n").length);
  });

  it("identical indexes without names: Prisma rejects both by their shared default name, and archlint's removal of the second is what Prisma asks for", () => {
    const schema = cases.find((c) => c.name.startsWith("two identical"))!.schema.replace(', map: "tag_slug_idx"', "");
    expect(errors(schema).filter((e) => e.includes("has to be unique"))).toHaveLength(2);
    expect(findings(schema, true).map((m) => m.line)).toEqual([10]);
    expect(errors(removeAll(schema, true))).toEqual([]);
  });

  it("CRLF: the fixed schema keeps CRLF everywhere and Prisma accepts it", () => {
    const schema = cases[0]!.schema.replace(/\n/g, "\r\n");
    const fixed = removeAll(schema);
    expect(fixed).not.toMatch(/[^\r]\n/);
    expect(errors(fixed)).toEqual([]);
    expect(fixed).toBe(removeAll(cases[0]!.schema).replace(/\n/g, "\r\n"));
  });
});
