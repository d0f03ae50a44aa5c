import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { archlint, assertBuilt, CLI_FIXTURES, copyInto, makeTmpDir, parseJson, STACK_LINE, zeroConfigNote, type Run } from "./helpers.js";

/**
 * `archlint check` without an ESLint config of the project's own, end to end on the built CLI.
 * fixtures/cli/zero-typed and zero-untyped hold the same code; only zero-typed has a tsconfig.json.
 * Which preset ran shows in the findings: `database.customer.findUnique` in a loop is a query only
 * to the type checker (the client has an app-specific name), and effect-no-floating and
 * effect-no-escaping-errors are in `recommended-type-checked` only. jobs/import-customers.ts (a
 * background job: runtime code, where a seed or a script would be skipped) is outside the
 * tsconfig's `include`, and its loop uses a client named `prisma`, found without types.
 */

const TYPED = path.join(CLI_FIXTURES, "zero-typed");
const UNTYPED = path.join(CLI_FIXTURES, "zero-untyped");

const JOB = "jobs/import-customers.ts archlint/db-no-query-in-loop 6:9";
const TYPED_ONLY = [
  "src/customers.ts archlint/db-no-query-in-loop 6:26",
  "src/reports.ts archlint/effect-no-floating 8:3",
  "src/reports.ts archlint/effect-no-escaping-errors 9:10",
].sort();
const OUTSIDE_NOTE = "archlint: 1 file is in no tsconfig.json, linted without type information: jobs/import-customers.ts\n";
const TYPED_NOTE = zeroConfigNote("recommended-type-checked (tsconfig.json includes them)");
const UNTYPED_NOTE = zeroConfigNote("recommended (no tsconfig.json includes these files)");

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("zero");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Findings as "file rule line:column", files relative to `base`; fails on any parsing error. */
function findings(run: Run, base: string): string[] {
  const results = parseJson(run.stdout);
  const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal || m.ruleId === null).map((m) => `${r.filePath}: ${m.message}`));
  expect(fatal).toEqual([]);
  return results.flatMap((r) => r.messages.map((m) => `${path.relative(base, r.filePath).split(path.sep).join("/")} ${m.ruleId} ${m.line}:${m.column}`)).sort();
}

function copy(fixture: string, name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  copyInto(fixture, dir);
  return dir;
}

describe("a tsconfig.json for the files: recommended-type-checked with the project service", () => {
  it("type-aware findings in the tsconfig's files; the file outside it is linted without types, with one note", () => {
    const r = archlint(["check", "--format", "json"], TYPED);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(OUTSIDE_NOTE + TYPED_NOTE);
    expect(findings(r, TYPED)).toEqual([JOB, ...TYPED_ONLY].sort());
  });

  it("stylish output: the findings on stdout, the note on stderr, no stack trace", () => {
    const r = archlint(["check"], TYPED);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(OUTSIDE_NOTE + TYPED_NOTE);
    expect(r.stdout).toContain("archlint/effect-no-floating");
    expect(r.stdout).not.toContain("was not found by the project service");
    expect(r.stdout + r.stderr).not.toMatch(STACK_LINE);
  });

  it("--no-type-check forces recommended: only the finding that needs no types, no note", () => {
    const r = archlint(["check", "--no-type-check", "--format", "json"], TYPED);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(zeroConfigNote("recommended (--no-type-check)"));
    expect(findings(r, TYPED)).toEqual([JOB]);
  });

  it("the tsconfig.json is found from a target folder, and from a subfolder of the project", () => {
    const fromParent = archlint(["check", "zero-typed", "--format", "json"], CLI_FIXTURES);
    expect(fromParent.code).toBe(1);
    expect(findings(fromParent, TYPED)).toEqual([JOB, ...TYPED_ONLY].sort());
    const fromSrc = archlint(["check", "--format", "json"], path.join(TYPED, "src"));
    expect(fromSrc.code).toBe(1);
    expect(fromSrc.stderr).toBe(zeroConfigNote("recommended-type-checked (../tsconfig.json includes them)"));
    expect(findings(fromSrc, TYPED)).toEqual(TYPED_ONLY);
  });

  it("a solution-style tsconfig.json (files: [], references) types the referenced project's files", () => {
    const root = path.join(tmp, "mono");
    copy(TYPED, "mono/apps/api");
    fs.writeFileSync(path.join(root, "package.json"), '{ "name": "mono", "private": true }\n');
    fs.writeFileSync(
      path.join(root, "tsconfig.json"),
      '{\n  // the solution: each app has its own\n  "files": [],\n  "references": [{ "path": "./apps/api" }]\n}\n',
    );
    const r = archlint(["check", "--format", "json"], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`archlint: 1 file is in no tsconfig.json, linted without type information: apps/api/jobs/import-customers.ts\n${TYPED_NOTE}`);
    expect(findings(r, path.join(root, "apps/api"))).toEqual([JOB, ...TYPED_ONLY].sort());
  });

  it("a tsconfig.json that extends a base holding the `include` types the base's files", () => {
    const dir = copy(TYPED, "extends");
    fs.renameSync(path.join(dir, "tsconfig.json"), path.join(dir, "tsconfig.base.json"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "extends": "./tsconfig.base.json" }\n');
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(OUTSIDE_NOTE + TYPED_NOTE);
    expect(findings(r, dir)).toEqual([JOB, ...TYPED_ONLY].sort());
  });

  it("--staged: a staged file outside the tsconfig is linted from its staged text", () => {
    const dir = copy(TYPED, "staged");
    const git = (...args: string[]): void => {
      const g = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, encoding: "utf8" });
      expect(g.status, g.stderr).toBe(0);
    };
    git("init", "-q", ".");
    git("add", ".");
    git("commit", "-q", "-m", "init");
    const job = path.join(dir, "jobs/import-customers.ts");
    // Staged: the loop moves two lines down. Working tree afterwards: the loop is gone.
    fs.writeFileSync(job, `// import\n// customers\n${fs.readFileSync(job, "utf8")}`);
    git("add", "jobs/import-customers.ts");
    fs.writeFileSync(job, 'export const nothing = "here";\n');
    const r = archlint(["check", "--staged", "--format", "json"], dir);
    expect(r.stderr).toBe(OUTSIDE_NOTE);
    expect(r.code).toBe(1);
    expect(findings(r, dir)).toEqual(["jobs/import-customers.ts archlint/db-no-query-in-loop 8:9"]);
  });
});

describe("no tsconfig.json for the files: recommended", () => {
  it("the same code without a tsconfig.json: only the finding that needs no types", () => {
    const r = archlint(["check", "--format", "json"], UNTYPED);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(UNTYPED_NOTE);
    expect(findings(r, UNTYPED)).toEqual([JOB]);
  });

  it("a tsconfig.json that includes none of the files does not switch types on", () => {
    const dir = copy(UNTYPED, "other-tsconfig");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), '{ "include": ["lib"] }\n');
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(UNTYPED_NOTE);
    expect(findings(r, dir)).toEqual([JOB]);
  });
});

describe("the project's own ESLint config wins", () => {
  it("its eslint.config.mjs (recommended) is used even with a tsconfig.json", () => {
    const dir = copy(TYPED, "own-config");
    fs.writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended];\n',
    );
    const r = archlint(["check", "src", "jobs", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(findings(r, dir)).toEqual([JOB]);
  });

  it("--config overrides both: here a type-checked config for a project that has its own untyped one", () => {
    const dir = copy(TYPED, "explicit-config");
    fs.writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended];\n',
    );
    fs.mkdirSync(path.join(dir, "lint"));
    fs.writeFileSync(
      path.join(dir, "lint/typed.config.mjs"),
      'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs["recommended-type-checked"]];\n',
    );
    const r = archlint(["check", "src", "--config", "lint/typed.config.mjs", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(findings(r, dir)).toEqual(TYPED_ONLY);
  });
});

describe("SQL migrations in zero-config", () => {
  it("lints .sql files in migrations folders against their folder's history, and no other .sql file", () => {
    const dir = path.join(tmp, "supabase-project");
    const files: Record<string, string> = {
      "package.json": '{ "name": "notes-app", "private": true }\n',
      "supabase/migrations/20240101000000_notes.sql":
        "create table public.notes (\n  id bigint primary key,\n  author_id uuid not null references auth.users (id),\n  body text\n);\n",
      "supabase/migrations/20240201000000_rls.sql":
        'alter table public.notes enable row level security;\ncreate policy "own notes" on public.notes for all to authenticated using ((select auth.uid()) = author_id);\n',
      // Not a migration: not linted (it would not even parse).
      "supabase/seed.sql": "\\copy notes from 'notes.csv' with csv\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(zeroConfigNote("recommended (no tsconfig.json includes these files)"));
    expect(parseJson(r.stdout).map((f) => path.relative(dir, f.filePath).split(path.sep).join("/"))).toEqual([
      "supabase/migrations/20240101000000_notes.sql",
      "supabase/migrations/20240201000000_rls.sql",
    ]);
    // Row level security comes in the second migration: only the unindexed foreign key is left.
    expect(findings(r, dir)).toEqual(["supabase/migrations/20240101000000_notes.sql archlint/sql-fk-index 3:27"]);
  });
});
