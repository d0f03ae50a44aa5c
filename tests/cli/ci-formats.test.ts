import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { archlint, archlintShared, assertBuilt, CLI_FIXTURES, DEMO, makeTmpDir, parseJson, ROOT, type Run } from "./helpers.js";

/**
 * What CI reads: SARIF checked against the official SARIF 2.1.0 JSON Schema (the copy published
 * with Microsoft's @microsoft/jest-sarif), GitHub workflow commands, and byte-identical output for
 * the same input in every format.
 */

const require = createRequire(import.meta.url);
const SCHEMA_FILE = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const CLEAN = path.join(CLI_FIXTURES, "clean");
const INVALID = path.join(CLI_FIXTURES, "invalid-schema");
const MONOREPO = path.join(CLI_FIXTURES, "monorepo");

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Record<string, unknown>;
  // The schema's `language` pattern is not valid with the `u` flag, so patterns are compiled without it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

beforeAll(() => assertBuilt());

/** Each distinct run of the CLI is made once and shared by the assertions that read it. */
const run = (args: string[], cwd = DEMO): Run => archlintShared(args, cwd);
const demo = (format: string): Run => run(["check", "--format", format, "src", "prisma"]);

describe("--format sarif is valid SARIF 2.1.0", () => {
  const validate = sarifValidator();
  const cases: Array<[string, string, string[], number]> = [
    ["the demo app (code and schema findings)", DEMO, ["check", "--format", "sarif", "src", "prisma"], 1],
    ["a clean project (no results)", CLEAN, ["check", "--format", "sarif"], 0],
    ["a schema Prisma rejects (parse errors, no rule)", INVALID, ["schema", "--format", "sarif"], 1],
    ["a monorepo in zero-config (what it chose, in the invocation's notes)", MONOREPO, ["check", "--format", "sarif"], 1],
  ];
  it.each(cases)("%s", (_name, cwd, args, code) => {
    const r = run(args, cwd);
    expect(r.code).toBe(code);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: unknown[] }> };
    const valid = validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
    expect(log.runs[0]!.results.length > 0).toBe(code === 1);
  });

  it("zero-config's choice is in the run's notes, as on stderr", () => {
    const r = run(["check", "--format", "sarif"], MONOREPO);
    const log = JSON.parse(r.stdout) as { runs: Array<{ invocations?: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications.map((n) => `archlint: ${n.message.text}\n`);
    expect(notes.join("")).toBe(r.stderr);
    expect(notes.join("")).toContain("zero-config (no ESLint config): recommended-type-checked");
  });

  it("the validator rejects a log that breaks the schema (so the checks above can fail)", () => {
    type Log = { runs: Array<{ results: Array<{ level: string; locations: Array<{ physicalLocation: { region?: { startLine: number } } }> }> }> };
    const log = JSON.parse(demo("sarif").stdout) as Log;
    log.runs[0]!.results[0]!.level = "fatal";
    expect(validate(log)).toBe(false);
    const again = JSON.parse(demo("sarif").stdout) as Log;
    again.runs[0]!.results[0]!.locations[0]!.physicalLocation.region!.startLine = 0;
    expect(validate(again)).toBe(false);
  });

  it("every rule in the log has a help URI to its docs page in this repository", () => {
    const log = JSON.parse(demo("sarif").stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; helpUri?: string }> } } }>;
    };
    const rules = log.runs[0]!.tool.driver.rules;
    expect(rules.length).toBeGreaterThan(1);
    for (const rule of rules) {
      const id = rule.id.replace(/^archlint\//, "");
      expect(rule.helpUri, rule.id).toMatch(new RegExp(`/rules-docs/${id}\\.md$`));
      expect(fs.existsSync(path.join(ROOT, "rules-docs", `${id}.md`)), rule.id).toBe(true);
    }
  });
});

describe("--format github", () => {
  it("one workflow command per finding, with file, positions and the rule as title", () => {
    const json = parseJson(demo("json").stdout);
    const expected = json.flatMap((f) =>
      f.messages.map((m) => {
        const file = path.relative(DEMO, f.filePath).split(path.sep).join("/");
        return `::error file=${file},line=${m.line},col=${m.column},endLine=${m.endLine},endColumn=${m.endColumn},title=${m.ruleId}::`;
      }),
    );
    const r = demo("github");
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.map((l) => l.slice(0, l.indexOf("::", 2) + 2))).toEqual(expected);
    for (const line of lines) expect(line).not.toMatch(/\n|\r/);
  });
});

describe("the same input gives byte-identical output", () => {
  // The formatters are pure functions of the sorted results: a second run proves the results are
  // stable, the reversed paths that they are sorted, and each format is then compared once.
  it("json: two runs, and the paths given in the opposite order", () => {
    const first = demo("json");
    expect(first.code).toBe(1);
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(archlint(["check", "--format", "json", "src", "prisma"], DEMO).stdout).toBe(first.stdout);
    expect(run(["check", "--format", "json", "prisma", "src"]).stdout).toBe(first.stdout);
  });

  it.each(["stylish", "sarif", "github"])("%s: the paths given in the opposite order", (format) => {
    const first = demo(format);
    expect(first.code).toBe(1);
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(run(["check", "--format", format, "prisma", "src"]).stdout).toBe(first.stdout);
  });
});

describe("--format json never copies a file's text", () => {
  it("a schema file that is a symlink to a secrets file: the parse error is reported, the secret is not printed", () => {
    const dir = makeTmpDir("json-source");
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.writeFileSync(path.join(dir, "secrets.env"), "DATABASE_URL=postgres://admin:hunter2-not-a-schema@db.internal:5432/app\n");
    fs.symlinkSync(path.join(dir, "secrets.env"), path.join(dir, "prisma", "schema.prisma"));
    const r = archlint(["schema", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const results = parseJson(r.stdout);
    expect(results).toHaveLength(1);
    expect(results[0]!.messages.length).toBeGreaterThan(0);
    expect(results[0]).not.toHaveProperty("source");
    expect(r.stdout).not.toContain("hunter2");
  });
});
