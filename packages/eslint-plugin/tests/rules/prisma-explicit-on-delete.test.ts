import { Linter, RuleTester, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * prisma-explicit-on-delete through ESLint's own RuleTester on the `archlint/prisma` language: every
 * invalid case pins message id, start and end, and the output of each suggestion, in order. Which
 * actions are offered per provider is checked against Prisma's validator in
 * prisma-explicit-on-delete.prisma-agreement.test.ts.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const rule = plugin.rules["prisma-explicit-on-delete"] as unknown as Parameters<RuleTester["run"]>[1];
const ruleTester = new RuleTester({ plugins: { archlint: eslintPlugin }, language: "archlint/prisma" });

const datasource = (provider: string, relationMode?: string): string =>
  `datasource db {\n  provider = "${provider}"${relationMode ? `\n  relationMode = "${relationMode}"` : ""}\n}\n`;

/** A blog: `Post.author` is the relation under test, written as `relation` (line 15 with a one-line provider). */
const BLOG = (relation: string, provider = "postgresql", authorId = "String"): string => `${datasource(provider)}
model User {
  id    String @id @default(cuid())
  email String @unique
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId ${authorId}
  author   ${relation}

  @@index([authorId])
}
`;

const REQUIRED = "User   @relation(fields: [authorId], references: [id])";
const OPTIONAL = "User?  @relation(fields: [authorId], references: [id])";
const withAction = (relation: string, action: string): string => relation.replace("references: [id])", `references: [id], onDelete: ${action})`);

/** One suggestion per action, each inserting `onDelete: <action>` into `code`'s relation. */
function suggestionsFor(actions: string[], make: (relation: string) => string, relation: string) {
  return actions.map((action) => ({ messageId: "setOnDelete", output: make(withAction(relation, action)) }));
}

const valid: RuleTester.ValidTestCase[] = [
  { name: "onDelete: Cascade written out", code: BLOG(withAction(REQUIRED, "Cascade")) },
  { name: "onDelete: Restrict written out (the default, but said)", code: BLOG(withAction(REQUIRED, "Restrict")) },
  { name: "onDelete: SetNull on an optional relation", code: BLOG(withAction(OPTIONAL, "SetNull"), "postgresql", "String?") },
  {
    name: "the back-relation side has no FK fields and nothing to decide",
    code: `${datasource("postgresql")}
model Team {
  id      String   @id
  members Member[]
}

model Member {
  id     String @id
  teamId String
  team   Team   @relation(fields: [teamId], references: [id], onDelete: Cascade)

  @@index([teamId])
}
`,
  },
  {
    name: "an implicit many-to-many relation has no FK fields in the schema",
    code: `${datasource("postgresql")}
model Post {
  id   String @id
  tags Tag[]
}

model Tag {
  id    String @id
  posts Post[]
}
`,
  },
  {
    name: "a comment at the end of the FK field's line says what happens when the parent is deleted",
    code: BLOG(OPTIONAL, "postgresql", "String? // cleared when the author account is deleted; posts stay"),
  },
  {
    name: "a comment line above the relation says what happens on delete",
    code: `${datasource("postgresql")}
model User {
  id    String @id
  posts Post[]
}

model Post {
  id       String  @id
  authorId String?
  // posts outlive their author: deleting the user keeps them, anonymous
  author   User?   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
`,
  },
  {
    name: "a /// doc comment on the relation that talks about deletion",
    code: `${datasource("postgresql")}
model User {
  id    String @id
  posts Post[]
}

model Post {
  id       String  @id
  authorId String?
  /// Null after the author deletes their account.
  author   User?   @relation(fields: [authorId], references: [id])

  @@index([authorId])
}
`,
  },
  { name: "ignoreModels leaves the model alone", code: BLOG(REQUIRED), options: [{ ignoreModels: ["Post"] }] },
];

const invalid: RuleTester.InvalidTestCase[] = [
  {
    name: "PostgreSQL, required relation: the implicit Restrict; Cascade, Restrict, NoAction offered",
    code: BLOG(REQUIRED),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        endLine: 15,
        endColumn: 66,
        suggestions: suggestionsFor(["Cascade", "Restrict", "NoAction"], (r) => BLOG(r), REQUIRED),
      },
    ],
  },
  {
    name: "PostgreSQL, optional relation: the implicit SetNull; SetNull offered too",
    code: BLOG(OPTIONAL, "postgresql", "String?"),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        endLine: 15,
        endColumn: 66,
        suggestions: suggestionsFor(["Cascade", "Restrict", "NoAction", "SetNull"], (r) => BLOG(r, "postgresql", "String?"), OPTIONAL),
      },
    ],
  },
  {
    name: "an FK field with a @default: SetDefault offered on PostgreSQL",
    code: BLOG(REQUIRED, "postgresql", 'String @default("deleted-user")'),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        suggestions: suggestionsFor(
          ["Cascade", "Restrict", "NoAction", "SetDefault"],
          (r) => BLOG(r, "postgresql", 'String @default("deleted-user")'),
          REQUIRED,
        ),
      },
    ],
  },
  {
    name: "near miss: a comment above the relation that does not talk about deletion",
    code: BLOG(REQUIRED, "postgresql", "String // the author's id"),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        suggestions: suggestionsFor(["Cascade", "Restrict", "NoAction"], (r) => BLOG(r, "postgresql", "String // the author's id"), REQUIRED),
      },
    ],
  },
  {
    name: "SQL Server has no Restrict: the implicit NoAction, and no Restrict offered",
    code: BLOG(REQUIRED, "sqlserver"),
    errors: [
      { messageId: "implicitOnDelete", line: 15, column: 19, suggestions: suggestionsFor(["Cascade", "NoAction"], (r) => BLOG(r, "sqlserver"), REQUIRED) },
    ],
  },
  {
    name: "MySQL: no SetDefault (InnoDB has none), even with a @default",
    code: BLOG(OPTIONAL, "mysql", 'String? @default("x")'),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        suggestions: suggestionsFor(["Cascade", "Restrict", "NoAction", "SetNull"], (r) => BLOG(r, "mysql", 'String? @default("x")'), OPTIONAL),
      },
    ],
  },
  {
    name: "MongoDB (Prisma emulates the actions): no SetDefault",
    code: `${datasource("mongodb")}
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
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 13,
        column: 19,
        endLine: 13,
        endColumn: 66,
        suggestions: ["Cascade", "Restrict", "NoAction"].map((action) => ({
          messageId: "setOnDelete",
          output: `${datasource("mongodb")}
model User {
  id    String @id @default(auto()) @map("_id") @db.ObjectId
  posts Post[]
}

model Post {
  id       String @id @default(auto()) @map("_id") @db.ObjectId
  authorId String @db.ObjectId
  author   User   @relation(fields: [authorId], references: [id], onDelete: ${action})
}
`,
        })),
      },
    ],
  },
  {
    name: "relationMode prisma on PostgreSQL: reported (Prisma Client emulates the default), NoAction not offered",
    code: `${datasource("postgresql", "prisma")}
model Org {
  id       String    @id
  projects Project[]
}

model Project {
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id])

  @@index([orgId])
}
`,
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 14,
        column: 16,
        suggestions: ["Cascade", "Restrict"].map((action) => ({
          messageId: "setOnDelete",
          output: `${datasource("postgresql", "prisma")}
model Org {
  id       String    @id
  projects Project[]
}

model Project {
  id    String @id
  orgId String
  org   Org    @relation(fields: [orgId], references: [id], onDelete: ${action})

  @@index([orgId])
}
`,
        })),
      },
    ],
  },
  {
    name: "onUpdate written: onDelete goes before it; a named self-relation; a composite FK with one required field is required",
    code: `${datasource("postgresql")}
model Folder {
  tenantId String
  id       String
  parentId String?
  parent   Folder?  @relation("tree", fields: [tenantId, parentId], references: [tenantId, id], onUpdate: Cascade)
  children Folder[] @relation("tree")

  @@id([tenantId, id])
  @@index([tenantId, parentId])
}
`,
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 9,
        column: 21,
        endLine: 9,
        endColumn: 115,
        suggestions: ["Cascade", "Restrict", "NoAction"].map((action) => ({
          messageId: "setOnDelete",
          output: `${datasource("postgresql")}
model Folder {
  tenantId String
  id       String
  parentId String?
  parent   Folder?  @relation("tree", fields: [tenantId, parentId], references: [tenantId, id], onDelete: ${action}, onUpdate: Cascade)
  children Folder[] @relation("tree")

  @@id([tenantId, id])
  @@index([tenantId, parentId])
}
`,
        })),
      },
    ],
  },
  {
    name: "CRLF: the suggestion only inserts, and the file keeps its line endings",
    code: BLOG(REQUIRED).replace(/\n/g, "\r\n"),
    errors: [
      {
        messageId: "implicitOnDelete",
        line: 15,
        column: 19,
        suggestions: suggestionsFor(["Cascade", "Restrict", "NoAction"], (r) => BLOG(r).replace(/\n/g, "\r\n"), REQUIRED),
      },
    ],
  },
];

ruleTester.run("prisma-explicit-on-delete", rule, { valid, invalid });

function lint(code: string, options?: unknown): Linter.LintMessage[] {
  return new Linter().verify(
    code,
    [
      {
        files: ["**/*.prisma"],
        plugins: { archlint: eslintPlugin },
        language: "archlint/prisma",
        rules: { "archlint/prisma-explicit-on-delete": options === undefined ? "error" : ["error", options] },
      },
    ],
    "schema.prisma",
  );
}

describe("prisma-explicit-on-delete messages", () => {
  it("a required relation: the implicit Restrict, what it does, and the actions to choose from", () => {
    const [message, ...rest] = lint(BLOG(REQUIRED));
    expect(rest).toEqual([]);
    expect(message!.message).toBe(
      "`Post.author` (-> `User`) has no `onDelete`: Prisma's implicit `Restrict` for a required relation makes deleting a `User` fail while any `Post` row points at it, and nothing in the schema says it is meant. Write the action you want: `onDelete: Cascade | Restrict | NoAction`.",
    );
    expect(message!.suggestions?.map((s) => s.desc)).toEqual([
      "Add `onDelete: Cascade`: deleting a `User` deletes its `Post` rows.",
      "Add `onDelete: Restrict`: a `User` that `Post` rows point at cannot be deleted (what happens today).",
      "Add `onDelete: NoAction`: like Restrict, but the database may check at the end of the statement or transaction.",
    ]);
  });

  it("an optional relation: the implicit SetNull names the FK field", () => {
    const [message] = lint(BLOG(OPTIONAL, "postgresql", "String?"));
    expect(message!.message).toContain("Prisma's implicit `SetNull` for an optional relation sets `Post.authorId` to null when the `User` goes");
    expect(message!.suggestions?.at(-1)?.desc).toBe("Add `onDelete: SetNull`: `Post.authorId` becomes null (what happens today).");
  });

  it("emulated NoAction (relationMode prisma on MySQL) says that nothing is checked", () => {
    const code = BLOG(REQUIRED).replace('provider = "postgresql"', 'provider     = "mysql"\n  relationMode = "prisma"');
    const [message] = lint(code);
    expect(message!.suggestions?.map((s) => s.desc)).toContain(
      "Add `onDelete: NoAction`: nothing is checked under Prisma's emulated relations: `Post` rows keep pointing at a deleted `User`.",
    );
  });
});

describe("prisma-explicit-on-delete options and comments", () => {
  it("rejects an unknown option key", () => {
    expect(() => lint(BLOG(REQUIRED), { ignore: ["Post"] })).toThrow(/should NOT have additional properties/);
  });

  it("honours // eslint-disable-next-line above the relation", () => {
    const code = BLOG(REQUIRED).replace(
      "  author   User",
      "  // eslint-disable-next-line archlint/prisma-explicit-on-delete -- checked in code\n  author   User",
    );
    expect(lint(code)).toEqual([]);
  });

  it("a disable comment for another rule is no comment about deletes (its rule name says on-delete all the same)", () => {
    const code = BLOG(REQUIRED).replace(
      "  author   User",
      "  // eslint-disable-next-line archlint/prisma-relation-index -- on-delete rules checked elsewhere\n  author   User",
    );
    const findings = lint(code).filter((m) => m.ruleId === "archlint/prisma-explicit-on-delete");
    expect(findings.map((m) => m.line)).toEqual([16]);
  });
});
