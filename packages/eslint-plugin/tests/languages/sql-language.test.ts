import fs from "node:fs";
import path from "node:path";
import { ESLint, Linter } from "eslint";
import { eslintPlugin, project } from "../sql-tester.js";

/**
 * The `archlint/sql` language through ESLint's Linter: parse errors (one, at Postgres's position,
 * never a crash), the inputs that are not plain Postgres (empty, BOM, CRLF, lone CR, MySQL), and
 * inline configuration in SQL comments with the real rule ids.
 */

const ALL = { "archlint/sql-rls-enabled": "error", "archlint/sql-rls-policy": "error", "archlint/sql-fk-index": "error" } as const;

function lint(code: string, filename: string, options: { rules?: Linter.RulesRecord; linterOptions?: Linter.Config["linterOptions"] } = {}): string[] {
  const config = {
    files: ["**/*.sql"],
    plugins: { archlint: eslintPlugin },
    language: "archlint/sql",
    rules: options.rules ?? ALL,
    linterOptions: options.linterOptions ?? {},
  };
  // Parse errors with their message; findings by rule id (their messages are the rule tests' business).
  return new Linter({ configType: "flat" })
    .verify(code, [config], filename)
    .map((m) => `${m.line}:${m.column} ${m.ruleId ?? (m.fatal ? `fatal ${m.message}` : m.message.split(" (")[0])}`);
}

const file = (name: string): string => project({}, `supabase/migrations/${name}`);

describe("archlint/sql parsing", () => {
  it("a syntax error is one fatal message at the parser's position; no rule runs", () => {
    expect(lint("create table a (id int);\nalter table a\n  add column b int,\n  add colum c int;\n", file("1.sql"))).toEqual([
      // `colum` is read as the column's name and `c` as its type.
      '4:15 fatal Parsing error: syntax error at or near "int"',
    ]);
  });

  it("a MySQL dump: one parse error at its first backtick", () => {
    const dump =
      "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8 */;\nDROP TABLE IF EXISTS `users`;\nCREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n";
    expect(lint(dump, file("2.sql"))).toEqual(['3:22 fatal Parsing error: syntax error at or near "`"']);
  });

  it("empty, blank and comment-only files lint clean", () => {
    for (const code of ["", "\n\n", "-- nothing to migrate\n", "/* TODO */"]) expect(lint(code, file("3.sql"))).toEqual([]);
  });

  it("a BOM (ESLint drops it), CRLF and lone CR line breaks keep positions exact", () => {
    const code = "\uFEFFselect 1;\r\ncreate table public.a (id int);\rselect 2;\r\n";
    expect(lint(code, file("4.sql"))).toEqual(["2:1 archlint/sql-rls-enabled"]);
  });

  it("NUL: the error Postgres gives, where it is", () => {
    expect(lint("select 1;\n\0", file("5.sql"))).toEqual(['2:1 fatal Parsing error: invalid byte sequence for encoding "UTF8": 0x00']);
  });

  it("an unknown languageOptions key is a configuration error; JavaScript's are ignored", () => {
    const verify = (languageOptions: object) =>
      new Linter({ configType: "flat" }).verify(
        "select 1;",
        [{ files: ["**/*.sql"], plugins: { archlint: eslintPlugin }, language: "archlint/sql", languageOptions } as Linter.Config],
        file("6.sql"),
      );
    expect(() => verify({ migrations: "db" })).toThrow(/Unknown languageOptions key "migrations" for archlint\/sql/);
    expect(verify({ parserOptions: { projectService: true }, sourceType: "module" })).toEqual([]);
  });
});

describe("archlint/sql inline configuration", () => {
  const code = (directive: string): string =>
    `create table public.orgs (id uuid primary key);\nalter table public.orgs enable row level security;\ncreate policy "read" on public.orgs for select using (true);\n${directive}create table public.members (id uuid primary key, org_id uuid references public.orgs (id));\nalter table public.members enable row level security;\ncreate policy "own" on public.members for select using (auth.uid() = id);\n`;

  it("without a directive: the finding", () => {
    expect(lint(code(""), file("7.sql"))).toEqual(["4:63 archlint/sql-fk-index"]);
  });

  it("-- eslint-disable-next-line with the rule id, with a justification", () => {
    expect(lint(code("-- eslint-disable-next-line archlint/sql-fk-index -- two orgs, never deleted\n"), file("8.sql"))).toEqual([]);
  });

  it("/* eslint-disable */ for the file, and a rule configuration comment", () => {
    expect(lint(`/* eslint-disable archlint/sql-fk-index */\n${code("")}`, file("9.sql"))).toEqual([]);
    expect(lint(`/* eslint archlint/sql-fk-index: "off" */\n${code("")}`, file("10.sql"))).toEqual([]);
  });

  it("a directive that suppresses nothing is reported as unused", () => {
    expect(
      lint(code("-- eslint-disable-next-line archlint/sql-rls-enabled\n"), file("11.sql"), { linterOptions: { reportUnusedDisableDirectives: "error" } }),
    ).toEqual(["4:1 Unused eslint-disable directive", "5:63 archlint/sql-fk-index"]);
  });
});

describe("archlint/sql in a long-lived process (an editor)", () => {
  it("the same text linted again by the same ESLint sees a neighbour changed on disk since (one parse, shared, but a fresh look at the folder)", async () => {
    const linted = project({ "supabase/migrations/002_index.sql": "create index on public.members (org_id);\n" }, "supabase/migrations/001_members.sql");
    const code = `create table public.orgs (id uuid primary key);\ncreate table public.members (id uuid primary key, org_id uuid references public.orgs (id));\n`;
    const config = { files: ["**/*.sql"], plugins: { archlint: eslintPlugin }, language: "archlint/sql", rules: { "archlint/sql-fk-index": "error" as const } };
    const eslint = new ESLint({ cwd: path.dirname(linted), overrideConfigFile: true, overrideConfig: config });
    const findings = async (): Promise<string[]> =>
      (await eslint.lintText(code, { filePath: linted }))[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`);
    expect(await findings()).toEqual([]);
    fs.writeFileSync(path.join(path.dirname(linted), "002_index.sql"), "-- dropped\n");
    expect(await findings()).toEqual(["2:63 archlint/sql-fk-index"]);
  });
});
