import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  archlint,
  assertBuilt,
  CLI_FIXTURES,
  copyInto,
  DEMO,
  DEMO_LINES,
  DEMO_REDUNDANT_LINE,
  DEMO_SCHEMA_FINDINGS,
  makeTmpDir,
  messagesOf,
  parseJson,
  ROOT,
  REDUNDANT_RULE,
  RULE,
  STACK_LINE,
  type JsonMessage,
  type Run,
  archlintShared,
  withoutNote,
} from "./helpers.js";

/**
 * End-to-end tests of the built `archlint` binary: every case spawns `node packages/cli/dist/bin.js`
 * in a real process and checks what a user (or CI) sees: exit code, stdout, stderr.
 */

const MULTI = path.join(CLI_FIXTURES, "multi-file");
const CLEAN = path.join(CLI_FIXTURES, "clean");
const INVALID = path.join(CLI_FIXTURES, "invalid-schema");
const DEMO_SCHEMA = path.join(DEMO, "prisma/schema.prisma");

const WARN_CONFIG = `import archlint from "eslint-plugin-archlint";

export default [
  ...archlint.configs.recommended,
  { files: ["**/*.prisma"], rules: { "archlint/prisma-relation-index": "warn", "archlint/prisma-redundant-index": "warn" } },
];
`;

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("cli");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A new project directory under this file's temp dir. */
function project(name: string, files: Record<string, string> = {}, copyFrom?: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  if (copyFrom) copyInto(copyFrom, dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function json(run: Run): ReturnType<typeof parseJson> {
  expect(withoutNote(run).stderr).toBe("");
  return parseJson(run.stdout);
}

function positions(messages: JsonMessage[]): string[] {
  return messages.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn}`);
}

/** Prisma's own validator (as `prisma validate` runs it), in a separate node process. */
function prismaErrors(schemaFile: string): string[] {
  const script = `
    const { createRequire } = require("node:module");
    const fs = require("node:fs");
    const internals = createRequire(${JSON.stringify(path.join(ROOT, "packages/core/package.json"))})("@prisma/internals");
    const file = process.argv[1];
    // Prisma 7 no longer accepts connection URLs in the schema; drop them as Prisma 7 users would.
    const text = fs.readFileSync(file, "utf8").replace(/^\\s*(url|directUrl|shadowDatabaseUrl)\\s*=.*$/gm, "");
    const diagnostics = internals.lintSchema({ schemas: [[file, text]] }).filter((d) => !d.is_warning);
    process.stdout.write(JSON.stringify(diagnostics.map((d) => d.text)));
  `;
  const r = spawnSync(process.execPath, ["-e", script, schemaFile], { encoding: "utf8" });
  expect(withoutNote(r).stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as string[];
}

describe("archlint check on fixtures/demo-app", () => {
  it("stylish: exit 1, the 5 schema findings with line:col and the rule id", () => {
    const r = archlintShared(["check"], DEMO);
    expect(r.code).toBe(1);
    expect(withoutNote(r).stderr).toBe("");
    const lines = r.stdout.split("\n");
    // The block of the schema file: its header (the absolute path), then one line per finding.
    const header = lines.indexOf(DEMO_SCHEMA);
    expect(header).toBeGreaterThanOrEqual(0);
    const block = lines.slice(header + 1, lines.indexOf("", header + 1));
    const findings = block.map((l) => /^\s+(\d+):(\d+)\s+error\s+(.+?)\s+(\S+)$/.exec(l));
    expect(
      findings.every((m) => m !== null),
      block.join("\n"),
    ).toBe(true);
    expect(findings.map((m) => [m![4], Number(m![1])])).toEqual(DEMO_SCHEMA_FINDINGS);
    for (const m of findings) {
      expect(Number(m![2])).toBeGreaterThan(0);
      expect(m![3]).toContain(m![4] === RULE ? "Add `@@index([" : "Remove `@@index([userId])`");
    }
    // The summary counts them (and whatever code rules report on src/, which is not this test's business).
    const summary = /✖ (\d+) problems? \((\d+) errors?, 0 warnings\)/.exec(r.stdout);
    expect(summary).not.toBeNull();
    expect(Number(summary![2])).toBeGreaterThanOrEqual(5);
    expect(r.stdout).toMatch(/\d+ errors? and 0 warnings potentially fixable with the `--fix` option\./);
    // Same positions as the json output.
    const fromJson = messagesOf(parseJson(archlintShared(["check", "--format", "json"], DEMO).stdout), ".prisma");
    expect(findings.map((m) => `${m![1]}:${m![2]}`)).toEqual(fromJson.map((m) => `${m.line}:${m.column}`));
  });

  it("json: exactly the 5 schema messages, with full positions, sorted, byte-identical across runs", () => {
    const first = archlintShared(["check", "--format", "json"], DEMO);
    expect(first.code).toBe(1);
    const results = json(first);
    const all = results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
    const schemaMessages = all.filter((m) => m.file === DEMO_SCHEMA);
    // Exactly the 4 relation findings and the redundant index in the schema, and those rules report
    // nowhere else. (Code rules may report on src/; they are tested elsewhere.)
    expect(schemaMessages.map((m) => [m.ruleId, m.line])).toEqual(DEMO_SCHEMA_FINDINGS);
    expect(all.filter((m) => m.ruleId === RULE || m.ruleId === REDUNDANT_RULE)).toEqual(schemaMessages);
    for (const m of schemaMessages) {
      expect(m.severity).toBe(2);
      expect(m.fatal).toBeUndefined();
      expect(m.column).toBeGreaterThan(0);
      expect(m.endLine).toBe(m.line);
      expect(m.endColumn).toBeGreaterThan(m.column);
    }
    // TS files are parsed by the TypeScript parser in zero-config mode: no parse errors anywhere.
    expect(results.filter((r) => r.filePath.endsWith(".ts")).length).toBeGreaterThan(0);
    expect(all.filter((m) => m.fatal || m.ruleId === null)).toEqual([]);
    // Sorted: files by path, messages by line then column.
    const paths = results.map((r) => r.filePath);
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const r of results) {
      const keys = r.messages.map((m) => [m.line, m.column] as const);
      expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    }
    const second = archlint(["check", "--format", "json"], DEMO); // a fresh run: byte-identical
    expect(second.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
  });

  it("sarif: 2.1.0, the rule with its help link, 4 results matching the json positions", () => {
    const r = archlintShared(["check", "--format", "sarif"], DEMO);
    expect(r.code).toBe(1);
    expect(withoutNote(r).stderr).toBe("");
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { name: string; version: string; rules: Array<{ id: string; helpUri?: string; shortDescription: { text: string } }> } };
        results: Array<{
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }>;
        }>;
      }>;
    };
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0]!.tool;
    expect(driver.name).toBe("archlint");
    const ruleIndex = driver.rules.findIndex((rule) => rule.id === RULE);
    expect(ruleIndex).toBeGreaterThanOrEqual(0);
    const rule = driver.rules[ruleIndex]!;
    expect(rule.helpUri).toMatch(/rules-docs\/prisma-relation-index\.md$/);
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(ROOT, "rules-docs/prisma-relation-index.md"))).toBe(true);

    const expected = messagesOf(parseJson(archlintShared(["check", "--format", "json"], DEMO).stdout), ".prisma").filter((m) => m.ruleId === RULE);
    const results = log.runs[0]!.results.filter((res) => res.ruleId === RULE);
    expect(results).toHaveLength(4);
    // Every result's ruleIndex points at its own rule.
    for (const res of log.runs[0]!.results) expect(driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    results.forEach((res, i) => {
      expect(res.ruleId).toBe(RULE);
      expect(res.ruleIndex).toBe(ruleIndex);
      expect(res.level).toBe("error");
      expect(res.message.text).toBe(expected[i]!.message);
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uri).toBe("prisma/schema.prisma");
      expect(loc.region).toEqual({
        startLine: expected[i]!.line,
        startColumn: expected[i]!.column,
        endLine: expected[i]!.endLine,
        endColumn: expected[i]!.endColumn,
      });
    });
  });

  it("github: one workflow command per finding, positions matching the json output", () => {
    const r = archlintShared(["check", "--format", "github"], DEMO);
    expect(r.code).toBe(1);
    expect(withoutNote(r).stderr).toBe("");
    expect(r.stdout.endsWith("\n")).toBe(true);
    const all = r.stdout.trimEnd().split("\n");
    for (const line of all) expect(line).toMatch(/^::(error|warning) file=[^,]+,line=\d+,col=\d+.*,title=[^:]+::./);
    const lines = all.filter((l) => l.startsWith("::error file=prisma/schema.prisma,"));
    expect(lines).toHaveLength(5);
    const expected = messagesOf(parseJson(archlintShared(["check", "--format", "json"], DEMO).stdout), ".prisma");
    lines.forEach((line, i) => {
      const m =
        /^::error file=prisma\/schema\.prisma,line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=archlint\/prisma-(?:relation|redundant)-index::(.+)$/.exec(
          line,
        );
      expect(m, line).not.toBeNull();
      const e = expected[i]!;
      expect(m!.slice(1, 5).map(Number)).toEqual([e.line, e.column, e.endLine, e.endColumn]);
      expect(m![5]).toBe(e.message);
    });
  });
});

describe("github formatter escaping", () => {
  it("escapes % in a real Prisma message (end to end)", () => {
    const dir = project("percent", {
      "prisma/schema.prisma": ["datasource db {", '  provider = "postgresql"', "}", "", "model Counter {", '  id Int @id @default("100%")', "}", ""].join("\n"),
    });
    const r = archlint(["schema", "--format", "github"], dir);
    expect(r.code).toBe(1);
    expect(withoutNote(r).stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error file=prisma\/schema\.prisma,line=6,col=\d+,(?:endLine=6,endColumn=\d+,)?title=Parsing error::Parsing error: /);
    expect(lines[0]).toContain("100%25");
    // Every % left in the line is the start of an escape sequence.
    expect(lines[0]!.replace(/%(25|0A|0D|3A|2C)/g, "")).not.toContain("%");
  });

  it("escapes newlines, carriage returns and % in data, and : , in properties (formatGithub)", async () => {
    const { formatGithub } = (await import(pathToFileURL(path.join(ROOT, "packages/cli/dist/formatters/github.js")).href)) as {
      formatGithub: (results: unknown[], cwd: string) => string;
    };
    const cwd = path.join(tmp, "virtual");
    const out = formatGithub(
      [
        {
          filePath: path.join(cwd, "db", "a,b:c.prisma"),
          messages: [
            { ruleId: "x:y,z", severity: 2, message: "line one\nline two 50%\r\nend", line: 1, column: 2, endLine: 3, endColumn: 4 },
            { ruleId: RULE, severity: 1, message: "a warning", line: 5, column: 1 },
            { ruleId: null, fatal: true, severity: 2, message: "Parsing error: bad", line: 7, column: 3 },
          ],
          errorCount: 2,
          warningCount: 1,
          fixableErrorCount: 0,
          fixableWarningCount: 0,
        },
      ],
      cwd,
    );
    expect(out).toBe(
      [
        "::error file=db/a%2Cb%3Ac.prisma,line=1,col=2,endLine=3,endColumn=4,title=x%3Ay%2Cz::line one%0Aline two 50%25%0D%0Aend",
        `::warning file=db/a%2Cb%3Ac.prisma,line=5,col=1,title=archlint/prisma-relation-index::a warning`,
        "::error file=db/a%2Cb%3Ac.prisma,line=7,col=3,title=Parsing error::Parsing error: bad",
        "",
      ].join("\n"),
    );
    expect(formatGithub([], cwd)).toBe("");
  });
});

describe("archlint schema", () => {
  const demoFindings = (r: Run): string[] => {
    expect(r.code).toBe(1);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.every((m) => m.file === DEMO_SCHEMA)).toBe(true);
    expect(msgs.map((m) => [m.ruleId, m.line])).toEqual(DEMO_SCHEMA_FINDINGS);
    return positions(msgs);
  };

  it("with no path, finds prisma/schema.prisma in the project", () => {
    const found = demoFindings(archlint(["schema", "--format", "json"], DEMO));
    expect(found.map((p) => Number(p.split(":")[0]))).toEqual([...DEMO_LINES, DEMO_REDUNDANT_LINE]);
  });

  it("with a file path, a project path, or --schema gives the same findings", () => {
    const expected = demoFindings(archlint(["schema", "--format", "json"], DEMO));
    expect(demoFindings(archlint(["schema", "prisma/schema.prisma", "--format", "json"], DEMO))).toEqual(expected);
    expect(demoFindings(archlint(["schema", "fixtures/demo-app/prisma/schema.prisma", "--format", "json"], ROOT))).toEqual(expected);
    expect(demoFindings(archlint(["schema", "fixtures/demo-app", "--format", "json"], ROOT))).toEqual(expected);
    expect(demoFindings(archlint(["schema", "--schema", "prisma/schema.prisma", "--format", "json"], DEMO))).toEqual(expected);
  });

  it("only lints the schema: TS files are not in the output", () => {
    const results = json(archlint(["schema", "--format", "json"], DEMO));
    expect(results.map((r) => r.filePath)).toEqual([DEMO_SCHEMA]);
  });

  it("a multi-file schema folder is one schema: findings in post.prisma only", () => {
    const expectMulti = (r: Run): void => {
      expect(r.code).toBe(1);
      const results = json(r);
      expect(results.map((x) => path.basename(x.filePath))).toEqual(["main.prisma", "post.prisma", "user.prisma"]);
      const msgs = messagesOf(results, ".prisma");
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.file).toBe(path.join(MULTI, "prisma/schema/post.prisma"));
      expect(msgs[0]!.ruleId).toBe(RULE);
      expect(msgs[0]!.fatal).toBeUndefined();
      expect(msgs[0]!.line).toBe(5);
      expect(msgs[0]!.message).toContain("`Post.authorId`");
    };
    expectMulti(archlint(["schema", "prisma/schema", "--format", "json"], MULTI));
    expectMulti(archlint(["schema", "--format", "json"], MULTI));
    expectMulti(archlint(["schema", "fixtures/cli/multi-file", "--format", "json"], ROOT));
    expectMulti(archlint(["schema", "fixtures/cli/multi-file/prisma/schema", "--format", "json"], ROOT));
    expectMulti(archlint(["check", "--format", "json"], MULTI));

    const stylish = archlint(["schema", "prisma/schema"], MULTI);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain(path.join(MULTI, "prisma/schema/post.prisma"));
    expect(stylish.stdout).not.toContain("user.prisma");
    expect(stylish.stdout).not.toContain("main.prisma");
    expect(stylish.stdout).toMatch(/^\s+5:\d+\s+error\s+.*archlint\/prisma-relation-index$/m);
  });

  // Regression: one file of a multi-file schema must be validated with the rest of its schema
  // (it used to be validated alone, so Prisma reported the sibling files' models as unknown types).
  it("with one file of a multi-file schema, validates it together with its schema", () => {
    const r = archlint(["schema", "prisma/schema/post.prisma", "--format", "json"], MULTI);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.filter((m) => m.fatal)).toEqual([]);
    expect(msgs.map((m) => m.ruleId)).toEqual([RULE]);
    expect(r.code).toBe(1);
  });

  it("check on one file of a multi-file schema validates it together with its schema", () => {
    const r = archlint(["check", "prisma/schema/post.prisma", "--format", "json"], MULTI);
    expect(r.code).toBe(1);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.map((m) => [m.ruleId, m.line, m.fatal])).toEqual([[RULE, 5, undefined]]);
  });
});

describe("schema location: a nested multi-file schema outside prisma/", () => {
  let dir: string;
  beforeAll(() => {
    dir = project("nested-schema", {
      "package.json": '{ "name": "nested-schema", "private": true }\n',
      "db/schema/main.prisma": fs.readFileSync(path.join(MULTI, "prisma/schema/main.prisma"), "utf8"),
      "db/schema/users/user.prisma": fs.readFileSync(path.join(MULTI, "prisma/schema/user.prisma"), "utf8"),
      "db/schema/content/post.prisma": fs.readFileSync(path.join(MULTI, "prisma/schema/post.prisma"), "utf8"),
    });
  });
  const onlyPostFinding = (r: Run, cwd: string): void => {
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.map((m) => [path.relative(cwd, m.file).split(path.sep).join("/"), m.ruleId, m.line])).toEqual([["db/schema/content/post.prisma", RULE, 5]]);
    expect(r.code).toBe(1);
  };

  it("archlint schema <folder> and archlint check --schema <folder> see one schema", () => {
    onlyPostFinding(archlint(["schema", "db/schema", "--format", "json"], dir), dir);
    onlyPostFinding(archlint(["check", "--schema", "db/schema", "--format", "json"], dir), dir);
  });

  it("package.json#prisma.schema is honoured", () => {
    const withPkg = project("nested-schema-pkg", {}, dir);
    fs.writeFileSync(path.join(withPkg, "package.json"), '{ "name": "nested", "private": true, "prisma": { "schema": "db/schema" } }\n');
    const r = archlint(["check", "--format", "json"], withPkg);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.map((m) => [path.basename(m.file), m.ruleId])).toEqual([["post.prisma", RULE]]);
    expect(archlint(["schema", "--format", "json"], withPkg).code).toBe(1);
  });

  // Regression: with the project's own eslint.config, `check --schema <path>` must reach the
  // archlint/prisma language (it used to be checked for existence only).
  it("check --schema <folder> is honoured when the project has its own eslint.config", () => {
    const withConfig = project("nested-schema-own-config", {}, dir);
    fs.writeFileSync(
      path.join(withConfig, "eslint.config.mjs"),
      `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended];\n`,
    );
    onlyPostFinding(archlint(["check", "--schema", "db/schema", "--format", "json"], withConfig), withConfig);
  });

  // Regression: `settings.archlint.schema` in the project's config must reach the archlint/prisma
  // language (it used to be validated and then ignored).
  it("settings.archlint.schema in the project's eslint.config is honoured", () => {
    const withSetting = project("nested-schema-setting", {}, dir);
    fs.writeFileSync(
      path.join(withSetting, "eslint.config.mjs"),
      `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { schema: "db/schema" } } }];\n`,
    );
    const r = archlint(["check", "--format", "json"], withSetting);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.map((m) => [path.basename(m.file), m.ruleId])).toEqual([["post.prisma", RULE]]);
  });
});

describe("clean and invalid schemas", () => {
  it("a schema with every relation indexed: exit 0, no output (stylish, github), no messages (json, sarif)", () => {
    for (const args of [["schema"], ["check"]]) {
      const stylish = archlint(args, CLEAN);
      expect(withoutNote(stylish)).toEqual({ code: 0, stdout: "", stderr: "" });

      const j = archlint([...args, "--format", "json"], CLEAN);
      expect(j.code).toBe(0);
      const results = json(j);
      expect(results.map((r) => r.filePath)).toContain(path.join(CLEAN, "prisma/schema.prisma"));
      expect(results.flatMap((r) => r.messages)).toEqual([]);

      const gh = archlint([...args, "--format", "github"], CLEAN);
      expect(withoutNote(gh)).toEqual({ code: 0, stdout: "", stderr: "" });

      const sarif = archlint([...args, "--format", "sarif"], CLEAN);
      expect(sarif.code).toBe(0);
      expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toEqual([]);
    }
  });

  it("a schema Prisma rejects is a parsing error at Prisma's position, and a finding (exit 1)", () => {
    const text = fs.readFileSync(path.join(INVALID, "prisma/schema.prisma"), "utf8").split("\n");
    const line = text.findIndex((l) => /\bStrin\b/.test(l)) + 1;
    const column = text[line - 1]!.indexOf("Strin") + 1;
    expect([line, column]).toEqual([13, 9]);

    const stylish = archlint(["schema"], INVALID);
    expect(stylish.code).toBe(1);
    expect(withoutNote(stylish).stderr).toBe("");
    expect(stylish.stdout).toContain(`${line}:${column}  error  Parsing error: Type "Strin" is neither a built-in type`);
    expect(stylish.stdout).toContain("1 problem (1 error, 0 warnings)");

    for (const args of [["schema"], ["check"]]) {
      const r = archlint([...args, "--format", "json"], INVALID);
      expect(r.code).toBe(1);
      const msgs = messagesOf(json(r), ".prisma");
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({ ruleId: null, fatal: true, severity: 2, line, column });
      expect(msgs[0]!.message).toMatch(/^Parsing error: Type "Strin" is neither a built-in type, nor refers to another model/);
    }

    const gh = archlint(["schema", "--format", "github"], INVALID);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toMatch(new RegExp(`^::error file=prisma/schema\\.prisma,line=${line},col=${column},title=Parsing error::Parsing error: Type "Strin"`));

    const sarif = JSON.parse(archlint(["schema", "--format", "sarif"], INVALID).stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string }> }>;
    };
    const res = sarif.runs[0]!.results;
    expect(res).toHaveLength(1);
    expect(res[0]!.level).toBe("error");
    expect(sarif.runs[0]!.tool.driver.rules[res[0]!.ruleIndex]!.id).toBe(res[0]!.ruleId);
  });

  it("Prisma 5/6 datasources (url = env(...), directUrl, shadowDatabaseUrl) load as they are, unmodified", () => {
    const demoText = fs.readFileSync(DEMO_SCHEMA, "utf8");
    expect(demoText).toMatch(/^\s*url\s*=\s*env\("DATABASE_URL"\)/m);
    expect(demoText).toMatch(/^\s*directUrl\s*=/m);
    const msgs = messagesOf(json(archlint(["schema", "--format", "json"], DEMO)), ".prisma");
    expect(msgs.filter((m) => m.fatal || m.ruleId === null)).toEqual([]);
    expect(fs.readFileSync(DEMO_SCHEMA, "utf8")).toBe(demoText);

    const schema = [
      "datasource db {",
      '  provider          = "postgresql"',
      '  url               = env("DATABASE_URL")',
      '  directUrl         = env("DIRECT_URL")',
      '  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")',
      "}",
      "",
      "model User {",
      "  id    Int    @id @default(autoincrement())",
      "  posts Post[]",
      "}",
      "",
      "model Post {",
      "  id       Int  @id @default(autoincrement())",
      "  authorId Int",
      "  author   User @relation(fields: [authorId], references: [id])",
      "",
      "  @@index([authorId])",
      "}",
      "",
    ].join("\n");
    const dir = project("legacy-datasource", { "prisma/schema.prisma": schema });
    expect(archlint(["schema"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(withoutNote(archlint(["check"], dir))).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(fs.readFileSync(path.join(dir, "prisma/schema.prisma"), "utf8")).toBe(schema);
  });
});

describe("--fix", () => {
  it("check --fix adds the 4 indexes and removes the redundant one; the schema is then clean and valid for Prisma", () => {
    // The schema alone (with package.json): code rules' findings on src/ are not auto-fixable.
    const dir = project("fix-demo", { "package.json": fs.readFileSync(path.join(DEMO, "package.json"), "utf8") });
    copyInto(path.join(DEMO, "prisma"), path.join(dir, "prisma"));
    const file = path.join(dir, "prisma/schema.prisma");
    const before = fs.readFileSync(file, "utf8");

    const r = archlint(["check", "--fix"], dir);
    expect(withoutNote(r)).toEqual({ code: 0, stdout: "", stderr: "" });

    const after = fs.readFileSync(file, "utf8");
    // Lines added by the fix (a multiset difference). `@@index([userId])` is both: Membership gains
    // one, and AuditLog loses its own, which `@@index([userId, createdAt])` serves.
    const remaining = before.split("\n");
    const added = after.split("\n").filter((l) => {
      const i = remaining.indexOf(l);
      if (i === -1) return true;
      remaining.splice(i, 1);
      return false;
    });
    expect(remaining).toEqual([]);
    expect(added.map((l) => l.trim()).sort()).toEqual(["@@index([authorId])", "@@index([authorId])", "@@index([organizationId, userId])"].sort());
    expect(after.split("\n").length - before.split("\n").length).toBe(3);
    expect(before).toContain("  @@index([userId, createdAt])\n  @@index([userId])\n");
    expect(after).not.toContain("  @@index([userId, createdAt])\n  @@index([userId])\n");
    expect(after.match(/^ {2}@@index\(\[authorId\]\)$/gm)).toHaveLength(2);
    expect(after).toMatch(/^ {2}@@index\(\[userId\]\)$/m);
    expect(after).toMatch(/^ {2}@@index\(\[organizationId, userId\]\)$/m);

    expect(archlint(["schema"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(messagesOf(json(archlint(["check", "--format", "json"], dir)), "")).toEqual([]);
    expect(prismaErrors(file)).toEqual([]);
    // (The check is not vacuous: Prisma does reject the invalid fixture.)
    expect(prismaErrors(path.join(INVALID, "prisma/schema.prisma")).join("\n")).toContain('Type "Strin"');

    // Idempotent: a second --fix changes nothing.
    expect(archlint(["check", "--fix"], dir).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(after);
  });

  it("schema --fix on a multi-file schema fixes post.prisma only", () => {
    const dir = project("fix-multi", {}, MULTI);
    const schemaDir = path.join(dir, "prisma/schema");
    const before = Object.fromEntries(fs.readdirSync(schemaDir).map((f) => [f, fs.readFileSync(path.join(schemaDir, f), "utf8")]));
    expect(archlint(["schema", "--fix"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    for (const f of Object.keys(before)) {
      const now = fs.readFileSync(path.join(schemaDir, f), "utf8");
      if (f === "post.prisma") expect(now).toMatch(/\n\n {2}@@index\(\[authorId\]\)\n\}\n$/);
      else expect(now).toBe(before[f]);
    }
    expect(archlint(["schema"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("--max-warnings and --quiet (project with its own eslint.config.mjs)", () => {
  let dir: string;
  beforeAll(() => {
    dir = project("warn", { "eslint.config.mjs": WARN_CONFIG });
    copyInto(path.join(DEMO, "prisma"), path.join(dir, "prisma"));
  });

  it("the project's config is used: the 5 schema findings are warnings, exit 0 without --max-warnings", () => {
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code).toBe(0);
    const msgs = messagesOf(json(r), ".prisma");
    expect(msgs.map((m) => [m.ruleId, m.line, m.severity])).toEqual(DEMO_SCHEMA_FINDINGS.map(([rule, line]) => [rule, line, 1]));
  });

  it("exit 0 with --max-warnings 10, exit 1 with --max-warnings 0 (and 3)", () => {
    const ok = archlint(["check", "--max-warnings", "10"], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("5 problems (0 errors, 5 warnings)");
    expect(archlint(["check", "--max-warnings", "5"], dir).code).toBe(0);
    const over = archlint(["check", "--max-warnings", "0"], dir);
    expect(over.code).toBe(1);
    expect(over.stdout).toContain("5 problems (0 errors, 5 warnings)");
    expect(over.stderr).toMatch(/too many warnings \(maximum: 0\)/);
    expect(archlint(["check", "--max-warnings", "3", "--format", "json"], dir).code).toBe(1);
  });

  it("--quiet hides warnings: exit 0, no output", () => {
    expect(archlint(["check", "--quiet"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(archlint(["check", "--quiet", "--max-warnings", "0"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(archlint(["check", "--quiet", "--format", "github"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--config <file> uses that config (here, from a project without eslint.config.*)", () => {
    const other = project("explicit-config", { "lint/archlint.config.mjs": WARN_CONFIG });
    copyInto(path.join(DEMO, "prisma"), path.join(other, "prisma"));
    const r = archlint(["check", "prisma", "--config", "lint/archlint.config.mjs", "--format", "json"], other);
    expect(r.code).toBe(0);
    expect(messagesOf(json(r), ".prisma").map((m) => m.severity)).toEqual([1, 1, 1, 1, 1]);
    // Without --config, the zero-config preset makes them errors.
    expect(archlint(["check", "prisma"], other).code).toBe(1);
  });
});

describe("exit 2: usage and input errors are one line on stderr, never a stack trace", () => {
  let empty: string;
  let typo: string;
  let badConfig: string;
  let throwingConfig: string;
  beforeAll(() => {
    empty = project("empty", { "README.md": "no schema here\n" });
    typo = project("settings-typo", {
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { shcema: "x" } } }];\n`,
    });
    copyInto(path.join(DEMO, "prisma"), path.join(typo, "prisma"));
    // Configs that register archlint (a config that does not is never loaded: zero-config runs).
    badConfig = project("bad-config", { "eslint.config.mjs": 'import archlint from "eslint-plugin-archlint";\nexport default [ { , } ];\n' });
    throwingConfig = project("throwing-config", {
      "eslint.config.mjs": 'import archlint from "eslint-plugin-archlint";\nthrow new Error("first line\\nsecond line");\n',
    });
  });

  const cases: Array<[string, () => string, string[], RegExp]> = [
    ["missing path", () => DEMO, ["check", "nope/"], /^archlint: No such file or directory: nope\/$/],
    ["missing schema file", () => DEMO, ["schema", "missing.prisma"], /^archlint: No such file or directory: missing\.prisma$/],
    ["missing --schema", () => DEMO, ["check", "--schema", "nope.prisma"], /^archlint: Prisma schema not found: .*nope\.prisma$/],
    ["unknown option", () => DEMO, ["check", "--bogus"], /^archlint: Unknown option --bogus \(see archlint --help\)\.$/],
    ["bad --format", () => DEMO, ["check", "--format", "xml"], /^archlint: Unknown --format "xml" \(use stylish, json, sarif, github\)\.$/],
    ["--format without value", () => DEMO, ["check", "--format"], /^archlint: .*--format/],
    ["bad --max-warnings", () => DEMO, ["check", "--max-warnings", "abc"], /^archlint: --max-warnings needs a whole number, got "abc"\.$/],
    ["negative --max-warnings", () => DEMO, ["check", "--max-warnings=-1"], /^archlint: --max-warnings needs a whole number, got "-1"\.$/],
    ["fractional --max-warnings", () => DEMO, ["check", "--max-warnings", "1.5"], /^archlint: --max-warnings needs a whole number/],
    ["unknown command", () => DEMO, ["frobnicate"], /^archlint: Unknown command "frobnicate"/],
    ["schema with two paths", () => DEMO, ["schema", "a", "b"], /^archlint: archlint schema takes one path/],
    ["schema in a dir without a schema", () => empty, ["schema"], /^archlint: No Prisma schema found/],
    ["schema on a folder without .prisma files", () => empty, ["schema", "."], /^archlint: No \.prisma files in \.$/],
    ["missing --config", () => DEMO, ["check", "--config", "missing.mjs"], /^archlint: ESLint config not found: missing\.mjs$/],
    ["invalid settings.archlint key", () => typo, ["check"], /^archlint: Invalid settings\.archlint\.shcema\b/],
    [
      "invalid settings.archlint key (check <file>)",
      () => typo,
      ["check", "prisma/schema.prisma", "--format", "json"],
      /^archlint: Invalid settings\.archlint\.shcema\b/,
    ],
    [
      "eslint config with a syntax error: the file and the position",
      () => badConfig,
      ["check"],
      /^archlint: Cannot load eslint\.config\.mjs:2:20: Unexpected token\b/,
    ],
    [
      "eslint config that throws a multi-line error: every line",
      () => throwingConfig,
      ["check"],
      /^archlint: Cannot load eslint\.config\.mjs: first line second line$/,
    ],
  ];

  it.each(cases)("%s", (_name, cwd, args, message) => {
    const r = archlint(args, cwd());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.endsWith("\n")).toBe(true);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^archlint: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("no command at all: one line on stderr pointing at the commands, exit 2", () => {
    const r = archlint([], DEMO);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("archlint: Missing command: use `archlint check`, `archlint schema`, `archlint init` or `archlint map` (see archlint --help).\n");
  });

  // Regression: settings.archlint is validated for every linted file's config, not only for
  // `<target>/index.ts`, so a typo in a config scoped to `**/*.prisma` is still exit 2.
  it("invalid settings.archlint key in a config scoped to .prisma files", () => {
    const dir = project("settings-typo-scoped", {
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { files: ["**/*.prisma"], settings: { archlint: { shcema: "x" } } }];\n`,
    });
    copyInto(path.join(DEMO, "prisma"), path.join(dir, "prisma"));
    const r = archlint(["check"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^archlint: Invalid settings\.archlint\.shcema\b/);
  });
});

describe("--version and --help", () => {
  it("--version / -v print the package version, exit 0", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "packages/cli/package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      expect(archlint([flag], DEMO)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("--help / -h / help print usage on stdout, exit 0", () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = archlint(args, DEMO);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^Usage: archlint <command> \[options\]/);
      for (const word of ["check [paths...]", "schema [path]", "--format", "--fix", "--max-warnings", "--quiet", "--config", "--schema"]) {
        expect(r.stdout).toContain(word);
      }
      expect(r.stdout).toContain("Exit codes: 0 clean, 1 findings, 2 usage or input error.");
    }
  });

  it("check --help, schema -h, help init: that command's usage", () => {
    const cases: Array<[string[], string, string[]]> = [
      [["check", "--help"], "check [paths...]", ["--staged", "--config", "--no-type-check", "--schema", "--fix"]],
      [["schema", "-h"], "schema [path]", ["--schema", "--fix", "--format"]],
      [["help", "init"], "init [dir]", ["--hook", "--dry-run", "--force"]],
    ];
    for (const [args, usage, options] of cases) {
      const r = archlint(args, DEMO);
      expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(r.stdout.startsWith(`Usage: archlint ${usage} [options]\n`), r.stdout).toBe(true);
      for (const option of options) expect(r.stdout).toContain(option);
    }
    expect(archlint(["check", "--help"], DEMO).stdout).not.toContain("--hook");
  });
});

describe("line endings and byte-order marks change nothing", () => {
  const MAIN = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Tag {\n  id   String @id\n  name Strin\n}\n';
  const USER =
    "model User {\n  id    String @id\n  posts Post[]\n}\n\nmodel Post {\n  id       String @id\n  // the author\n  authorId String\n  author   User   @relation(fields: [authorId], references: [id])\n}\n";
  const variants: Record<string, (text: string) => string> = {
    LF: (t) => t,
    CRLF: (t) => t.replace(/\n/g, "\r\n"),
    CR: (t) => t.replace(/\n/g, "\r"),
    "BOM in the second file": (t) => `\uFEFF${t}`,
  };
  const findingsFor = (name: string, variant: (text: string) => string): string[] => {
    const dir = makeTmpDir(`eol-${name.replace(/\W+/g, "-")}`);
    fs.mkdirSync(path.join(dir, "prisma", "schema"), { recursive: true });
    fs.writeFileSync(path.join(dir, "prisma", "schema", "main.prisma"), name.startsWith("BOM") ? MAIN : variant(MAIN));
    fs.writeFileSync(path.join(dir, "prisma", "schema", "user.prisma"), variant(USER));
    const r = archlint(["schema", "--format", "json"], dir);
    expect(r.code).toBe(1);
    return parseJson(r.stdout).flatMap((f) => f.messages.map((m) => `${path.basename(f.filePath)}:${m.line}:${m.column} ${m.ruleId ?? "parse"} ${m.message}`));
  };
  const expected = findingsFor("LF", variants.LF!);

  it("LF: one Prisma error in main.prisma and one finding in user.prisma", () => {
    expect(expected.map((f) => f.split(" ").slice(0, 2).join(" "))).toEqual(["main.prisma:7:8 parse", "user.prisma:10:19 archlint/prisma-relation-index"]);
  });

  for (const [name, variant] of Object.entries(variants).slice(1)) {
    it(`${name}: the same files, positions and messages`, () => {
      expect(findingsFor(name, variant)).toEqual(expected);
    });
  }
});

describe("input nested deeper than any parser follows", () => {
  it("a schema and a TypeScript file nested thousands of levels deep: one finding each at a position, the other files reported as usual", () => {
    const dir = makeTmpDir("deep");
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.mkdirSync(path.join(dir, "src"));
    const brackets = 2600;
    fs.writeFileSync(
      path.join(dir, "prisma", "schema.prisma"),
      `datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id\n  @@index(${"[".repeat(brackets)}id${"]".repeat(brackets)})\n}\n`,
    );
    const calls = 2500;
    fs.writeFileSync(path.join(dir, "src", "deep.ts"), `export const x = ${"f(".repeat(calls)}1${")".repeat(calls)};\n`);
    fs.writeFileSync(
      path.join(dir, "src", "posts.ts"),
      'import { prisma } from "./db";\nexport async function all(ids: string[]) {\n  for (const id of ids) await prisma.post.delete({ where: { id } });\n}\n',
    );
    // --no-prepass: deep.ts holds nothing a rule could report, so the pre-pass would not parse it.
    const r = archlint(["check", "--no-prepass", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/call stack/i);
    const byFile = Object.fromEntries(
      parseJson(r.stdout).map((f) => [path.relative(dir, f.filePath), f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? "fatal"}`)]),
    );
    expect(byFile).toEqual({
      "prisma/schema.prisma": ["7:12 fatal"],
      "src/deep.ts": ["1:1 fatal"],
      "src/posts.ts": ["3:31 archlint/db-no-query-in-loop"],
    });
  });
});
