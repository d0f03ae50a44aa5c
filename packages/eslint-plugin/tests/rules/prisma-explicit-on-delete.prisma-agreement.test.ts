import { prismaValidate } from "@archlint/core";
import { Linter, type ESLint } from "eslint";
import plugin from "../../src/index.js";

/**
 * prisma-explicit-on-delete offers one suggestion per referential action that can work for the
 * relation. Which actions that is depends on the provider, the relation mode, whether the FK
 * fields are optional and whether they have a `@default`; Prisma's validator knows the first
 * three. For every combination, each of the five actions is written into the schema and given to
 * Prisma: the actions archlint offers must be exactly those Prisma accepts with neither an error
 * nor a warning (a warning marks one that fails at run time: SetNull on a required relation on
 * PostgreSQL, SetDefault on MySQL), less SetDefault where an FK field has no `@default` (Prisma
 * does not check that; the database fails when the action runs). Each suggestion is then applied
 * to the text and the result validated, so the inserted text is checked too.
 */

const eslintPlugin = plugin as unknown as ESLint.Plugin;
const RULE = "archlint/prisma-explicit-on-delete";
const ACTIONS = ["Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"];

function schema(provider: string, relationMode: string | null, optional: boolean, fkDefault: boolean, action: string | null): string {
  const mongo = provider === "mongodb";
  const id = mongo ? 'String @id @map("_id")' : "Int    @id";
  const type = mongo ? "String" : "Int";
  const fk = `${type}${optional ? "?" : ""}${fkDefault ? (mongo ? ' @default("none")' : " @default(0)") : ""}`;
  return `datasource db {
  provider = "${provider}"${relationMode ? `\n  relationMode = "${relationMode}"` : ""}
}

model Customer {
  id     ${id}
  orders Order[]
}

model Order {
  id         ${id}
  customerId ${fk}
  customer   Customer${optional ? "?" : ""} @relation(fields: [customerId], references: [id]${action ? `, onDelete: ${action}` : ""})

  @@index([customerId])
}
`;
}

/** Accepted by Prisma: no error and no warning about the relation. */
function prismaAccepts(text: string): boolean {
  const diagnostics = prismaValidate([["schema.prisma", text]]);
  if (diagnostics === null) throw new Error("Prisma's validator did not run");
  return diagnostics.length === 0;
}

function suggestions(text: string): Array<{ desc: string; output: string }> {
  const messages = new Linter().verify(
    text,
    [{ files: ["**/*.prisma"], plugins: { archlint: eslintPlugin }, language: "archlint/prisma", rules: { [RULE]: "error" } }],
    "schema.prisma",
  );
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join("; "));
  const relationLine = text.split("\n").findIndex((l) => l.includes("@relation(")) + 1;
  expect(messages.map((m) => [m.ruleId, m.line])).toEqual([[RULE, relationLine]]);
  return (messages[0]!.suggestions ?? []).map((s) => ({ desc: s.desc, output: text.slice(0, s.fix.range[0]) + s.fix.text + text.slice(s.fix.range[1]) }));
}

const combinations = ["postgresql", "mysql", "sqlserver", "sqlite", "cockroachdb", "mongodb"].flatMap((provider) =>
  (provider === "mongodb" ? [null] : [null, "prisma"]).flatMap((relationMode) =>
    [true, false].flatMap((optional) => [true, false].map((fkDefault) => ({ provider, relationMode, optional, fkDefault }))),
  ),
);

/** The distinct answers met: the matrix is only a test if Prisma's answers differ across it. */
const seen = new Set<string>();

describe("prisma-explicit-on-delete offers exactly the actions Prisma accepts without complaint", () => {
  it.each(combinations)(
    "$provider, relationMode $relationMode, optional $optional, FK @default $fkDefault",
    ({ provider, relationMode, optional, fkDefault }) => {
      expect(prismaAccepts(schema(provider, relationMode, optional, fkDefault, null))).toBe(true);
      const accepted = ACTIONS.filter((a) => prismaAccepts(schema(provider, relationMode, optional, fkDefault, a)));
      const expected = accepted.filter((a) => a !== "SetDefault" || fkDefault);
      expect(expected).toContain("Cascade");
      seen.add(expected.join(","));
      const offered = suggestions(schema(provider, relationMode, optional, fkDefault, null));
      expect(offered.map((s) => /onDelete: (\w+)/.exec(s.desc)![1])).toEqual(expected);
      for (const [i, s] of offered.entries()) expect(s.output).toBe(schema(provider, relationMode, optional, fkDefault, expected[i]!));
    },
  );

  it("the combinations are not alike: Prisma accepts different actions across them", () => {
    expect(seen.size).toBeGreaterThanOrEqual(6);
  });
});
