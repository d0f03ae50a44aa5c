import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { assertBuilt, BIN, ROOT } from "../cli/helpers.js";
import { git, head, makeRepo, read, removeTmpDirs, repoEnv, ROUTER_WITH_INPUT, ROUTER_WITHOUT_INPUT, RULE_INPUT, run, write } from "./git.js";

/**
 * The hook recipes of rules-docs/pre-commit.md, run as written there: each test installs a hook in
 * a real git repository holding fixtures/demo-app (committed with its findings, as a project that
 * adopts archlint would be) and makes real commits. archlint is "installed" in the repository the
 * way npm would: node_modules/.bin/archlint, here a link to the built CLI, found by `npx --no`.
 */

const DOC = fs.readFileSync(path.join(ROOT, "rules-docs/pre-commit.md"), "utf8");
const MANIFEST = fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8");

/** The one fenced code block of the docs that starts with `first`. */
function recipe(first: string): string {
  const blocks = [...DOC.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).filter((b) => b.startsWith(first));
  expect(blocks, `one block starting with ${first}`).toHaveLength(1);
  return blocks[0]!;
}

const TAG_ROUTER = "src/server/routers/tag.ts";

const PRE_COMMIT_MISSING =
  spawnSync("pre-commit", ["--version"], { encoding: "utf8" }).status === 0
    ? null
    : "`pre-commit --version` fails: the pre-commit framework is not installed (`.ci/run` installs Debian's pre-commit package when it runs as root with apt-get)";
const withPreCommit = (ctx: { skip: (note?: string) => void }): void => {
  if (PRE_COMMIT_MISSING) {
    console.warn(`tests/pre-commit: skipped: ${PRE_COMMIT_MISSING}`);
    ctx.skip(PRE_COMMIT_MISSING);
  }
};

/** The demo committed (before any hook), with archlint installed and node_modules ignored. */
function project(prefix: string, extra: Record<string, string> = {}): string {
  const repo = makeRepo(prefix, { demo: "untyped" });
  write(repo, ".gitignore", "node_modules/\n");
  for (const [file, text] of Object.entries(extra)) write(repo, file, text);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "demo app");
  fs.mkdirSync(path.join(repo, "node_modules/.bin"), { recursive: true });
  fs.symlinkSync(BIN, path.join(repo, "node_modules/.bin/archlint"));
  return repo;
}

function commit(repo: string, ...args: string[]): { code: number | null; output: string } {
  const r = run("git", ["commit", ...args], repo, repoEnv(repo));
  return { code: r.code, output: r.stdout + r.stderr };
}

/** A violating file is refused with archlint's finding; once fixed it is committed. */
function refusesThenAccepts(repo: string): void {
  const before = head(repo);
  write(repo, TAG_ROUTER, ROUTER_WITHOUT_INPUT);
  git(repo, "add", TAG_ROUTER);
  const refused = commit(repo, "-m", "tag router");
  expect(refused.output).toContain(RULE_INPUT);
  expect(refused.output).toMatch(/routers[\\/]tag\.ts/);
  expect(refused.code).not.toBe(0);
  expect(head(repo)).toBe(before);

  write(repo, TAG_ROUTER, ROUTER_WITH_INPUT);
  git(repo, "add", TAG_ROUTER);
  const accepted = commit(repo, "-m", "tag router");
  expect(accepted.output).not.toContain("archlint/");
  expect(accepted.code).toBe(0);
  expect(git(repo, "show", `HEAD:${TAG_ROUTER}`)).toBe(ROUTER_WITH_INPUT);
}

/** Files that are not staged (untracked, or changed and not added) do not block a commit. */
function ignoresUnstaged(repo: string): void {
  write(repo, "src/server/routers/draft.ts", ROUTER_WITHOUT_INPUT);
  const org = `${read(repo, "src/server/routers/org.ts")}\nexport const broken = ;\n`;
  write(repo, "src/server/routers/org.ts", org);
  write(repo, "src/server/services/tag.service.ts", "export const tagLimit = 20;\n");
  git(repo, "add", "src/server/services/tag.service.ts");
  const r = commit(repo, "-m", "tag service");
  expect(r.output).not.toContain("archlint/");
  expect(r.code).toBe(0);
  expect(git(repo, "show", "--name-only", "--format=", "HEAD").trim()).toBe("src/server/services/tag.service.ts");
  // The unstaged work is still there, untouched.
  expect(read(repo, "src/server/routers/draft.ts")).toBe(ROUTER_WITHOUT_INPUT);
  expect(read(repo, "src/server/routers/org.ts")).toBe(org);
}

/** What is judged is what is committed: the staged copy of a partly staged file, and `commit -a`. */
function judgesWhatIsCommitted(repo: string): void {
  const before = head(repo);
  write(repo, "src/server/routers/tags2.ts", ROUTER_WITHOUT_INPUT);
  git(repo, "add", "src/server/routers/tags2.ts");
  write(repo, "src/server/routers/tags2.ts", ROUTER_WITH_INPUT);
  const partly = commit(repo, "-m", "tags2");
  expect(partly.output).toContain(RULE_INPUT);
  expect(partly.code).not.toBe(0);
  git(repo, "add", "src/server/routers/tags2.ts");
  // org.ts is broken in the working tree (ignoresUnstaged): `commit -a` would commit it.
  const all = commit(repo, "-a", "-m", "everything");
  expect(all.output).toMatch(/routers[\\/]org\.ts/);
  expect(all.output).toContain("Parsing error");
  expect(all.code).not.toBe(0);
  expect(head(repo)).toBe(before);
}

beforeAll(() => {
  assertBuilt();
});

afterAll(() => {
  removeTmpDirs();
});

describe("a plain .git/hooks/pre-commit (rules-docs/pre-commit.md)", () => {
  const script = recipe("#!/bin/sh\n");

  it("runs archlint check --staged", () => {
    expect(script).toContain("archlint check --staged");
  });

  it("refuses a violating commit, accepts the fix, ignores unstaged files, judges what is committed", () => {
    const repo = project("hook-plain");
    fs.writeFileSync(path.join(repo, ".git/hooks/pre-commit"), script, { mode: 0o755 });
    refusesThenAccepts(repo);
    ignoresUnstaged(repo);
    judgesWhatIsCommitted(repo);
  });
});

describe("the pre-commit framework (rules-docs/pre-commit.md)", () => {
  const config = recipe("# .pre-commit-config.yaml\n");

  it("the local hook and the repository's .pre-commit-hooks.yaml run the same command on the same files", () => {
    const field = (yaml: string, key: string): string | undefined => new RegExp(`^\\s*-?\\s*${key}: (.*)$`, "m").exec(yaml)?.[1];
    for (const key of ["id", "name", "entry", "language", "files"]) expect(field(MANIFEST, key), key).toBe(field(config, key));
    expect(field(MANIFEST, "pass_filenames")).toBe("true");
  });

  it("repo: local: refuses a violating commit, accepts the fix, ignores unstaged files, judges what is committed", (ctx) => {
    withPreCommit(ctx);
    const repo = project("hook-framework", { ".pre-commit-config.yaml": config });
    const install = run("pre-commit", ["install"], repo, repoEnv(repo));
    expect(install.stderr).toBe("");
    expect(install.code).toBe(0);
    refusesThenAccepts(repo);
    ignoresUnstaged(repo);
    judgesWhatIsCommitted(repo);
  });

  it("archlint's .pre-commit-hooks.yaml, used by repository and rev as documented", (ctx) => {
    withPreCommit(ctx);
    // A stand-in for archlint's repository: a git repository holding the hook manifest.
    const hooks = makeRepo("hook-manifest");
    write(hooks, ".pre-commit-hooks.yaml", MANIFEST);
    git(hooks, "add", "-A");
    git(hooks, "commit", "-q", "-m", "hooks");
    const remote = recipe("repos:\n  - repo: https://github.com/archlint/archlint\n");
    const config = remote.replace("https://github.com/archlint/archlint", hooks).replace(/rev: .*/, `rev: ${head(hooks)}`);
    expect(config).not.toBe(remote);
    const repo = project("hook-by-repo", { ".pre-commit-config.yaml": config });
    expect(run("pre-commit", ["install"], repo, repoEnv(repo)).code).toBe(0);
    refusesThenAccepts(repo);
  });
});
