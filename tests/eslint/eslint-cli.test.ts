import fs from "node:fs";
import path from "node:path";
import {
  assertBuilt,
  BIN,
  CLI_FIXTURES,
  copyInto,
  DEMO,
  DEMO_LINES,
  DEMO_REDUNDANT_LINE,
  DEMO_SCHEMA_FINDINGS,
  ESLINT10,
  ESLINT9,
  makeTmpDir,
  messagesOf,
  parseJson,
  RULE,
  runNode,
  STACK_LINE,
  type JsonMessage,
  type Run,
} from "../cli/helpers.js";

/**
 * The README's one-line setup, run through the real ESLint binaries (10, and 9 through the
 * `eslint9` alias) in real processes: `.prisma` files are linted through the plugin's
 * `archlint/prisma` language, disable directives work in schemas, `--cache` notices schema edits,
 * and `--concurrency` gives the same findings.
 */

const CONFIG = `import archlint from "eslint-plugin-archlint";
export default [...archlint.configs.recommended];
`;

let tmp: string;

/** A copy of demo-app's prisma/ and src/ with the README's eslint.config.mjs. */
function demoProject(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  copyInto(path.join(DEMO, "prisma"), path.join(dir, "prisma"));
  copyInto(path.join(DEMO, "src"), path.join(dir, "src"));
  copyInto(path.join(DEMO, "package.json"), path.join(dir, "package.json"));
  fs.writeFileSync(path.join(dir, "eslint.config.mjs"), CONFIG);
  return dir;
}

function eslint(bin: string, args: string[], cwd: string): Run {
  const r = runNode(bin, [".", "--format", "json", ...args], cwd);
  // 1: lint errors found. Anything else (2: crash or config error) is a failure of the setup.
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return r;
}

type Finding = Pick<JsonMessage, "ruleId" | "line" | "column" | "endLine" | "endColumn" | "message" | "severity"> & { file: string };

function prismaFindings(r: Run, cwd: string): Finding[] {
  return messagesOf(parseJson(r.stdout), ".prisma").map((m) => ({
    file: path.relative(cwd, m.file).split(path.sep).join("/"),
    ruleId: m.ruleId,
    severity: m.severity,
    line: m.line,
    column: m.column,
    endLine: m.endLine,
    endColumn: m.endColumn,
    message: m.message,
  }));
}

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("eslint");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("eslint . with ...archlint.configs.recommended", () => {
  let dir: string;
  let baseline: Finding[];
  beforeAll(() => {
    dir = demoProject("plain");
    baseline = prismaFindings(eslint(ESLINT10, [], dir), dir);
  });

  it("ESLint 10 reports the 4 unindexed relations and the redundant index of prisma/schema.prisma", () => {
    expect(baseline.map((f) => [f.file, f.ruleId, f.severity, f.line])).toEqual(
      DEMO_SCHEMA_FINDINGS.map(([rule, line]) => ["prisma/schema.prisma", rule, 2, line]),
    );
    for (const f of baseline) {
      expect(f.column).toBeGreaterThan(0);
      expect(f.endLine).toBe(f.line);
      expect(f.endColumn).toBeGreaterThan(f.column);
    }
  });

  it("ESLint 10 and the archlint CLI agree on positions and messages", () => {
    const cli = runNode(BIN, ["schema", "--format", "json"], dir);
    expect(cli.code).toBe(1);
    expect(prismaFindings(cli, dir)).toEqual(baseline);
  });

  it("ESLint 9 gives the same 5 findings", () => {
    const v9 = runNode(ESLINT9, ["--version"], dir).stdout.trim();
    expect(v9).toMatch(/^v9\./);
    expect(prismaFindings(eslint(ESLINT9, [], dir), dir)).toEqual(baseline);
  });

  it("ESLint 10 --concurrency 2 gives the same findings as without", () => {
    const v10 = runNode(ESLINT10, ["--version"], dir).stdout.trim();
    expect(v10).toMatch(/^v10\./);
    const concurrent = eslint(ESLINT10, ["--concurrency", "2"], dir);
    expect(prismaFindings(concurrent, dir)).toEqual(baseline);
    // Whole-result equality, file by file (the order of results may differ between threads).
    const byFile = (r: Run) => Object.fromEntries(parseJson(r.stdout).map((x) => [x.filePath, x.messages.map((m) => [m.ruleId, m.line, m.column, m.message])]));
    expect(byFile(concurrent)).toEqual(byFile(eslint(ESLINT10, [], dir)));
  });
});

describe("eslint-disable-next-line in a .prisma file", () => {
  it("removes that finding (3 relations and the index left) and records it as suppressed, with ESLint 10 and 9", () => {
    const dir = demoProject("disable");
    const file = path.join(dir, "prisma/schema.prisma");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const target = DEMO_LINES[1]!; // Post.author (109)
    expect(lines[target - 1]).toMatch(/^\s+author\s+User\s+@relation\(fields: \[authorId\]/);
    lines.splice(target - 1, 0, "  // eslint-disable-next-line archlint/prisma-relation-index");
    fs.writeFileSync(file, lines.join("\n"));

    for (const bin of [ESLINT10, ESLINT9]) {
      const r = eslint(bin, [], dir);
      const findings = prismaFindings(r, dir);
      expect(findings).toHaveLength(4);
      expect(findings.map((f) => f.message).join("\n")).not.toContain("`Post.authorId`");
      // Later lines moved down by one.
      expect(findings.map((f) => f.line)).toEqual([DEMO_LINES[0], DEMO_LINES[2]! + 1, DEMO_LINES[3]! + 1, DEMO_REDUNDANT_LINE + 1]);
      const result = parseJson(r.stdout).find((x) => x.filePath === file)!;
      expect(result.suppressedMessages?.map((m) => [m.ruleId, m.line])).toEqual([[RULE, target + 1]]);
    }
  });
});

describe("eslint --cache", () => {
  it("a second cached run prints the same; an edit of the schema drops the stale result", () => {
    const dir = demoProject("cache");
    const cacheLocation = path.join(dir, ".cache", "eslint");
    const args = ["--cache", "--cache-location", cacheLocation];

    const first = eslint(ESLINT10, args, dir);
    expect(fs.existsSync(cacheLocation)).toBe(true);
    expect(prismaFindings(first, dir).map((f) => f.line)).toEqual([...DEMO_LINES, DEMO_REDUNDANT_LINE]);

    const second = eslint(ESLINT10, args, dir);
    expect(second.stdout).toBe(first.stdout);

    // Add the missing index to Post (after its last block attribute).
    const file = path.join(dir, "prisma/schema.prisma");
    const text = fs.readFileSync(file, "utf8");
    const edited = text.replace("  @@index([status, publishedAt])\n", "  @@index([status, publishedAt])\n  @@index([authorId])\n");
    expect(edited).not.toBe(text);
    fs.writeFileSync(file, edited);

    const third = eslint(ESLINT10, args, dir);
    const findings = prismaFindings(third, dir);
    expect(findings).toHaveLength(4);
    expect(findings.map((f) => f.message).join("\n")).not.toContain("`Post.authorId`");
    expect(findings.map((f) => f.line)).toEqual([DEMO_LINES[0], DEMO_LINES[2]! + 1, DEMO_LINES[3]! + 1, DEMO_REDUNDANT_LINE + 1]);
  });

  it("an edit of ANOTHER file of a multi-file schema drops the cached results of its siblings", () => {
    const dir = path.join(tmp, "cache-multi");
    copyInto(path.join(CLI_FIXTURES, "multi-file"), dir);
    fs.writeFileSync(path.join(dir, "eslint.config.mjs"), CONFIG);
    const args = ["--cache", "--cache-location", path.join(dir, ".cache", "eslint")];

    const first = prismaFindings(eslint(ESLINT10, args, dir), dir);
    expect(first.map((f) => [f.file, f.ruleId, f.line])).toEqual([["prisma/schema/post.prisma", RULE, 5]]);

    // Rename User in user.prisma: post.prisma (unchanged on disk) now refers to an unknown type.
    const user = path.join(dir, "prisma/schema/user.prisma");
    fs.writeFileSync(user, fs.readFileSync(user, "utf8").replace("model User {", "model Person {"));
    const after = prismaFindings(eslint(ESLINT10, args, dir), dir);
    // Prisma's error and the schema rules together, as Prisma prints errors and warnings together.
    expect(after.map((f) => [f.file, f.ruleId, f.line])).toEqual([
      ["prisma/schema/post.prisma", null, 5],
      ["prisma/schema/post.prisma", RULE, 5],
    ]);
    expect(after[0]!.message).toMatch(/^Parsing error: Type "User" is neither a built-in type/);
  });

  // Regression: the cache must also be invalidated when ESLint runs from a monorepo root (the
  // schema state used to cover only the schema located from the working directory).
  it("…also when ESLint runs from a parent folder (monorepo root)", () => {
    const root = path.join(tmp, "cache-monorepo");
    const app = path.join(root, "packages/api");
    copyInto(path.join(CLI_FIXTURES, "multi-file"), app);
    fs.writeFileSync(path.join(root, "eslint.config.mjs"), CONFIG);
    const args = ["--cache", "--cache-location", path.join(root, ".cache", "eslint")];

    const first = prismaFindings(eslint(ESLINT10, args, root), root);
    expect(first.map((f) => [f.file, f.ruleId, f.line])).toEqual([["packages/api/prisma/schema/post.prisma", RULE, 5]]);

    const user = path.join(app, "prisma/schema/user.prisma");
    fs.writeFileSync(user, fs.readFileSync(user, "utf8").replace("model User {", "model Person {"));
    const uncached = prismaFindings(eslint(ESLINT10, [], root), root);
    expect(uncached.map((f) => [f.file, f.ruleId])).toEqual([
      ["packages/api/prisma/schema/post.prisma", null],
      ["packages/api/prisma/schema/post.prisma", RULE],
    ]);
    const cached = prismaFindings(eslint(ESLINT10, args, root), root);
    expect(cached).toEqual(uncached);
  });
});
