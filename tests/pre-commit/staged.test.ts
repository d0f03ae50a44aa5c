import fs from "node:fs";
import path from "node:path";
import { assertBuilt, parseJson, STACK_LINE, TMP_ROOT } from "../cli/helpers.js";
import { archlintIn, git, makeRepo, read, removeTmpDirs, ROUTER_WITH_INPUT, ROUTER_WITHOUT_INPUT, RULE_INPUT, tmpDir, write } from "./git.js";

/**
 * `archlint check --staged` on the built CLI, in real git repositories holding a copy of
 * fixtures/demo-app. The demo has findings in many files (committed as the baseline), so a run
 * that lints more than the staged files shows up as extra files in the output.
 */

const USER_ROUTER = "src/server/routers/user.ts";
const TAG_ROUTER = "src/server/routers/tag.ts";

/** The demo, committed: its findings are in the history, not staged. */
function demoRepo(prefix: string, demo: "typed" | "untyped" = "untyped"): string {
  const repo = makeRepo(prefix, { demo });
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "demo");
  return repo;
}

/** Linted files (relative to `repo`) mapped to their findings as "rule@line". */
function findings(repo: string, stdout: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of parseJson(stdout)) {
    out[path.relative(repo, r.filePath).split(path.sep).join("/")] = r.messages.map((m) => `${m.ruleId}@${m.line}`);
  }
  return out;
}

beforeAll(() => {
  assertBuilt();
});

afterAll(() => {
  removeTmpDirs();
});

describe("archlint check --staged", () => {
  it("lints the staged files only: committed findings and unstaged files are left alone", () => {
    const repo = demoRepo("staged-only");
    write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
    git(repo, "add", TAG_ROUTER);
    // Not staged: a violating untracked file, and a tracked file broken in the working tree only.
    write(repo, "src/server/routers/draft.ts", ROUTER_WITHOUT_INPUT);
    fs.appendFileSync(path.join(repo, "src/server/routers/org.ts"), "\nexport const broken = ;\n");
    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(findings(repo, r.stdout)).toEqual({ [TAG_ROUTER]: [`${RULE_INPUT}@4`] });
    expect(r.code).toBe(1);
  });

  it("never runs the repository's own programs: a core.fsmonitor command is not executed", () => {
    const repo = demoRepo("staged-fsmonitor");
    const marker = path.join(repo, "fsmonitor-ran");
    write(repo, "fsmonitor.sh", `#!/bin/sh\ntouch "${marker}"\n`);
    fs.chmodSync(path.join(repo, "fsmonitor.sh"), 0o755);
    git(repo, "config", "core.fsmonitor", path.join(repo, "fsmonitor.sh"));
    write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
    git(repo, "add", TAG_ROUTER);
    fs.rmSync(marker, { force: true });
    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(findings(repo, r.stdout)).toEqual({ [TAG_ROUTER]: [`${RULE_INPUT}@4`] });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exits 0 with no output when nothing is staged, or nothing lintable", () => {
    const repo = demoRepo("staged-nothing");
    write(repo, "src/server/routers/draft.ts", ROUTER_WITHOUT_INPUT);
    expect(archlintIn(repo, ["check", "--staged"])).toEqual({ code: 0, stdout: "", stderr: "" });
    write(repo, "README.md", "# demo\n");
    git(repo, "add", "README.md");
    expect(archlintIn(repo, ["check", "--staged", "--format", "json"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("lints the staged content of a file that has unstaged edits, and skips deleted files", () => {
    const repo = demoRepo("staged-index");
    // Staged: the fix. Working tree: the fix undone (not part of the commit).
    const fixed = read(repo, USER_ROUTER).replace(".input(z.any())", '.input(z.object({ theme: z.enum(["light", "dark"]) }))');
    expect(fixed).not.toBe(read(repo, USER_ROUTER));
    const original = read(repo, USER_ROUTER);
    write(repo, USER_ROUTER, fixed);
    git(repo, "add", USER_ROUTER);
    write(repo, USER_ROUTER, original);
    // Staged: a violation. Working tree: fixed, not staged.
    write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
    git(repo, "add", TAG_ROUTER);
    write(repo, TAG_ROUTER, ROUTER_WITH_INPUT);
    // Staged deletion: nothing to lint. Staged then deleted from the working tree: its staged content.
    git(repo, "rm", "-q", "src/server/routers/org.ts");
    write(repo, "src/server/routers/gone.ts", ROUTER_WITHOUT_INPUT);
    git(repo, "add", "src/server/routers/gone.ts");
    fs.rmSync(path.join(repo, "src/server/routers/gone.ts"));

    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(findings(repo, r.stdout)).toEqual({
      "src/server/routers/gone.ts": [`${RULE_INPUT}@4`],
      [TAG_ROUTER]: [`${RULE_INPUT}@4`],
      [USER_ROUTER]: [],
    });
    expect(r.code).toBe(1);
    // The working tree is untouched.
    expect(read(repo, USER_ROUTER)).toBe(original);
    expect(read(repo, TAG_ROUTER)).toBe(ROUTER_WITH_INPUT);
  });

  it("lints the staged content with the project's tsconfig.json too", () => {
    const repo = demoRepo("staged-typed", "typed");
    const original = read(repo, USER_ROUTER);
    write(repo, USER_ROUTER, original.replace(".input(z.any())", '.input(z.object({ theme: z.enum(["light", "dark"]) }))'));
    git(repo, "add", USER_ROUTER);
    write(repo, USER_ROUTER, original);
    write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
    git(repo, "add", TAG_ROUTER);
    write(repo, TAG_ROUTER, ROUTER_WITH_INPUT);
    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(findings(repo, r.stdout)).toEqual({ [TAG_ROUTER]: [`${RULE_INPUT}@4`], [USER_ROUTER]: [] });
    expect(r.code).toBe(1);
  });

  it("types a staged file from its own imports and the project's declarations: the same findings as the whole project's program", () => {
    // --staged builds a program of the staged files and what they reach (staged-program.ts), not the tsconfig's whole program.
    const repo = demoRepo("staged-program", "typed");
    const files = [
      "src/server/effect/billing.router.ts",
      "src/server/effect/invoice.service.ts",
      "src/server/effect/runtime.ts",
      "src/server/http/webhooks.ts",
      "src/server/routers/post.ts",
      "src/server/services/post.service.ts",
    ];
    // A comment at the end of each: a change to stage that moves no finding.
    for (const f of files) write(repo, f, `${read(repo, f)}\n// staged\n`);
    const whole = archlintIn(repo, ["check", "--format", "json", ...files]);
    const expected = findings(repo, whole.stdout);
    expect(Object.values(expected).flat().length).toBeGreaterThan(0);
    expect(Object.keys(expected).some((f) => f.includes("effect/") && expected[f]!.some((m) => m.startsWith("archlint/effect-")))).toBe(true);
    for (const f of files) {
      git(repo, "add", f);
      const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
      expect(r.stderr).toBe("");
      expect(findings(repo, r.stdout)).toEqual({ [f]: expected[f] });
      git(repo, "reset", "-q", f);
    }
  });

  it("lints the whole schema a staged .prisma file belongs to, without its untracked files", () => {
    const repo = makeRepo("staged-schema");
    write(repo, "package.json", '{ "name": "schema-app", "private": true }\n');
    write(
      repo,
      "prisma/schema/main.prisma",
      'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\ngenerator client {\n  provider = "prisma-client-js"\n}\n\nmodel User {\n  id    String @id\n  posts Post[]\n}\n',
    );
    write(
      repo,
      "prisma/schema/post.prisma",
      "model Post {\n  id       String @id\n  authorId String\n  author   User   @relation(fields: [authorId], references: [id])\n}\n",
    );
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "schema");
    // An untracked schema file with a finding of its own: not part of any commit yet.
    write(
      repo,
      "prisma/schema/draft.prisma",
      "model Folder {\n  id     String  @id\n  drafts Draft[]\n}\n\nmodel Draft {\n  id       String @id\n  folderId String\n  folder   Folder @relation(fields: [folderId], references: [id])\n}\n",
    );
    fs.appendFileSync(path.join(repo, "prisma/schema/main.prisma"), "\nmodel Tag {\n  id String @id\n}\n");
    git(repo, "add", "prisma/schema/main.prisma");

    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(findings(repo, r.stdout)).toEqual({
      "prisma/schema/main.prisma": [],
      "prisma/schema/post.prisma": ["archlint/prisma-relation-index@4"],
    });
    expect(r.code).toBe(1);
  });

  it("with paths, lints the staged files inside them", () => {
    const repo = demoRepo("staged-paths");
    write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
    fs.appendFileSync(path.join(repo, "src/server/cache.ts"), "\nexport const unused = 1;\n");
    git(repo, "add", TAG_ROUTER, "src/server/cache.ts");
    const r = archlintIn(repo, ["check", "--staged", "--format", "json", "src/server/routers"]);
    expect(findings(repo, r.stdout)).toEqual({ [TAG_ROUTER]: [`${RULE_INPUT}@4`] });
    const both = archlintIn(repo, ["check", "--staged", "--format", "json", "src/server/cache.ts", TAG_ROUTER]);
    expect(Object.keys(findings(repo, both.stdout))).toEqual(["src/server/cache.ts", TAG_ROUTER]);
    // From a subfolder: only the staged files under it, with paths relative to it.
    const sub = archlintIn(path.join(repo, "src/server/routers"), ["check", "--staged"]);
    expect(sub.stdout).toContain(`${path.join(repo, TAG_ROUTER)}\n`);
    expect(sub.stdout).not.toContain("cache.ts");
    expect(sub.code).toBe(1);
  });

  it("skips staged files the ESLint config ignores, without a warning", () => {
    const repo = demoRepo("staged-ignored");
    write(repo, "dist/routers/tag.js", ROUTER_WITHOUT_INPUT);
    git(repo, "add", "-f", "dist/routers/tag.js");
    expect(archlintIn(repo, ["check", "--staged"])).toEqual({ code: 0, stdout: "", stderr: "" });
    write(repo, TAG_ROUTER, ROUTER_WITH_INPUT);
    git(repo, "add", TAG_ROUTER);
    const r = archlintIn(repo, ["check", "--staged", "--format", "json"]);
    expect(findings(repo, r.stdout)).toEqual({ [TAG_ROUTER]: [] });
    expect(r.code).toBe(0);
  });

  it.each([
    [["check", "--staged"], "outside", /^archlint: --staged needs a git repository, and this directory is not in one\.\n$/],
    [["check", "--staged", "--fix"], "repo", /^archlint: --fix cannot be used with --staged: .*\n$/],
    [["check", "--staged", "src/**/*.ts"], "repo", /^archlint: --staged takes files and folders, not glob patterns: src\/\*\*\/\*\.ts\n$/],
    [["check", "--staged", "nope"], "repo", /^archlint: No such file or directory: nope\n$/],
  ])("%j is a usage error (exit 2, one line)", (args, where, message) => {
    const dir = where === "repo" ? makeRepo("staged-usage") : tmpDir("staged-no-git");
    // Git must not find the repository this one sits in.
    const r = archlintIn(dir, args, { GIT_CEILING_DIRECTORIES: TMP_ROOT });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });
});
