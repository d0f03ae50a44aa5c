import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/rules/generate.mjs";
import { generateMigrations } from "../../bench/sql/generate.mjs";
import { assertBuilt, copyInto, DEMO, makeTmpDir, ROOT, runNode, type Run } from "./helpers.js";

/**
 * `archlint check` lints SQL migrations without ESLint's per-file machinery where it can
 * (packages/cli/src/sql-direct.ts). Both ways run here on the same projects, in every format and
 * with the flags that change the report, and must print the same bytes and exit the same way; the
 * migrations the direct way leaves to ESLint (inline configuration, files Postgres rejects) are
 * reported as ESLint reports them, in the same run as the migrations it lints itself.
 */

const VIA = path.join(ROOT, "tests/cli/schema-via.mjs");
type Via = "sql-eslint" | "sql-direct" | "default";
const via = (how: Via, args: string[], cwd: string): Run => runNode(VIA, [how, "check", "--no-type-check", ...args], cwd);

const FORMATS = ["stylish", "json", "sarif", "github"];

let tmp: string;
/** The SQL bench's project, smaller: 24 generated migrations beside 2 tRPC routers. */
let generated: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("sql-direct");
  generated = path.join(tmp, "generated");
  generateProject(generated, { routers: 2 });
  generateMigrations(generated, { count: 24 });
  copyInto(DEMO, path.join(tmp, "demo"));
  copyInto(path.join(ROOT, "fixtures/sql-samples"), path.join(tmp, "sql-samples"));
});

function expectSameBothWays(args: string[], cwd: string): Run {
  const eslint = via("sql-eslint", args, cwd);
  const direct = via("sql-direct", args, cwd);
  expect(direct.stderr).toBe(eslint.stderr);
  expect(direct.stdout).toBe(eslint.stdout);
  expect(direct.code).toBe(eslint.code);
  return direct;
}

const sqlMessages = (run: Run): Array<{ ruleId: string | null; fatal?: boolean }> =>
  (JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; fatal?: boolean }> }>)
    .filter((r) => r.filePath.endsWith(".sql"))
    .flatMap((r) => r.messages);

describe("archlint check's migrations without ESLint: the same report as with it", () => {
  it("the SQL bench's generated project, in every format, plain and --quiet, the whole project and the migrations folder alone", () => {
    for (const format of FORMATS) expectSameBothWays(["--format", format], generated);
    expectSameBothWays(["--format", "stylish", "--quiet"], generated);
    expectSameBothWays(["supabase/migrations", "--format", "json"], generated);
    // The case has SQL findings of all three rules, so the comparison compares something.
    const rules = new Set(sqlMessages(via("sql-direct", ["--format", "json"], generated)).map((m) => m.ruleId));
    expect([...rules].sort()).toEqual(["archlint/sql-fk-index", "archlint/sql-rls-enabled", "archlint/sql-rls-policy"]);
  });

  it("the demo app, and one migration named on the command line", () => {
    expectSameBothWays(["--format", "json"], path.join(tmp, "demo"));
    const migration = fs.readdirSync(path.join(tmp, "demo", "supabase", "migrations")).find((f) => f.endsWith(".sql"))!;
    expectSameBothWays([path.join("supabase", "migrations", migration), "--format", "json"], path.join(tmp, "demo"));
  });

  it("the SQL samples: a MySQL dump Postgres rejects (ESLint's parse error), Prisma and Supabase migrations", () => {
    const run = expectSameBothWays(["--format", "json"], path.join(tmp, "sql-samples"));
    expect(sqlMessages(run).some((m) => m.fatal)).toBe(true);
    expect(sqlMessages(run).some((m) => m.ruleId?.startsWith("archlint/sql-"))).toBe(true);
  });

  it("inline configuration in a migration (a disable directive, an unused one, a whole-file disable): left to ESLint, which applies it", () => {
    const dir = path.join(tmp, "directives");
    copyInto(generated, dir);
    const folder = path.join(dir, "supabase", "migrations");
    const results = JSON.parse(via("sql-direct", ["--format", "json"], dir).stdout) as Array<{ filePath: string; messages: unknown[] }>;
    // A migration with findings, and another.
    const first = results.find((r) => r.filePath.endsWith(".sql") && r.messages.length > 0)!.filePath;
    const second = path.join(
      folder,
      fs.readdirSync(folder).find((f) => path.join(folder, f) !== first)!,
    );
    fs.writeFileSync(first, `/* eslint-disable */\n${fs.readFileSync(first, "utf8")}`);
    fs.writeFileSync(second, `-- eslint-disable-next-line archlint/sql-rls-policy -- nothing follows to disable\n${fs.readFileSync(second, "utf8")}`);
    expectSameBothWays(["--format", "json"], dir);
    const after = JSON.parse(via("sql-direct", ["--format", "json"], dir).stdout) as Array<{
      filePath: string;
      messages: Array<{ ruleId: string | null; line: number }>;
      suppressedMessages: unknown[];
    }>;
    // ESLint applied both: the whole-file disable moved the first file's findings to suppressed, the unused directive is reported at its line.
    const of = (file: string) => after.find((r) => r.filePath === file)!;
    expect([of(first).messages, of(first).suppressedMessages.length > 0]).toEqual([[], true]);
    expect(of(second).messages.some((m) => m.ruleId === null && m.line === 1)).toBe(true);
  });

  it("the default way prints what the ESLint way prints", () => {
    for (const format of ["json", "stylish"])
      expect(via("default", ["--format", format], generated)).toEqual(via("sql-eslint", ["--format", format], generated));
  });
});
