import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseSettings } from "@archlint/core";
import { archlint, assertBuilt, copyInto, ESLINT10, makeTmpDir, parseJson, ROOT, runNode, STACK_LINE, type JsonResult } from "./helpers.js";

/**
 * `archlint init` end to end: the built CLI on copies of fixtures/init/*, then the files it wrote
 * loaded by ESLint's own binary in the copy (eslint and eslint-plugin-archlint resolve from the
 * workspace's node_modules, as from a project's own), with findings that only its settings produce.
 */

const FIXTURES = path.join(ROOT, "fixtures/init");
const PRE_COMMIT_DOC = path.join(ROOT, "rules-docs/pre-commit.md");

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("init");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

let counter = 0;
/** A fresh copy of a fixture (or an empty folder) with extra files. */
function project(fixture: string | null, files: Record<string, string> = {}): string {
  const dir = path.join(tmp, `${fixture ?? "empty"}-${++counter}`);
  fs.mkdirSync(dir, { recursive: true });
  if (fixture) copyInto(path.join(FIXTURES, fixture), dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Every file under `dir` with its content: what "wrote nothing" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, abs)] = fs.readFileSync(abs, "utf8");
  }
  return out;
}

function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), "utf8");
}

/** `eslint -f json .` in `dir` (ESLint 10's own binary): the findings as "file rule line:column". */
function eslintFindings(dir: string, args: string[] = ["."]): string[] {
  const r = runNode(ESLINT10, ["-f", "json", ...args], dir);
  expect(r.stderr).toBe("");
  expect([0, 1]).toContain(r.code);
  const results = parseJson(r.stdout);
  const fatal = results.flatMap((res) => res.messages.filter((m) => m.fatal || m.ruleId === null).map((m) => `${res.filePath}: ${m.message}`));
  expect(fatal).toEqual([]);
  return findings(results, dir);
}

function findings(results: JsonResult[], dir: string): string[] {
  return results.flatMap((res) => res.messages.map((m) => `${path.relative(dir, res.filePath).split(path.sep).join("/")} ${m.ruleId} ${m.line}:${m.column}`));
}

/** The `settings.archlint` ESLint computes for `file` from the project's config. */
function computedSettings(dir: string, file: string): unknown {
  const r = runNode(ESLINT10, ["--print-config", file], dir);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { settings?: { archlint?: unknown } }).settings?.archlint;
}

/** The fenced block of rules-docs/pre-commit.md that follows `marker`. */
function docBlock(marker: string): string {
  const doc = fs.readFileSync(PRE_COMMIT_DOC, "utf8");
  const at = doc.indexOf(marker);
  expect(at, `${marker} in rules-docs/pre-commit.md`).toBeGreaterThanOrEqual(0);
  const open = doc.lastIndexOf("```", at);
  const close = doc.indexOf("```", at);
  return doc.slice(doc.indexOf("\n", open) + 1, close);
}

/** The block printed under `header` (a file's text or a snippet, indented by four), undented. */
function block(stdout: string, header: string): string {
  const at = stdout.indexOf(`${header}\n`);
  expect(at, header).toBeGreaterThanOrEqual(0);
  const lines: string[] = [];
  for (const line of stdout.slice(at + header.length + 1).split("\n")) {
    if (line !== "" && !line.startsWith("    ")) break;
    lines.push(line.slice(4));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** Output lines after "Detected:" up to the first blank line. */
function detected(stdout: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf("Detected:");
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end).map((l) => l.trim().replace(/\s{2,}/, ": "));
}

describe("archlint init on a tRPC + Prisma app (pnpm, tsconfig.json)", () => {
  let dir: string;
  let run: ReturnType<typeof archlint>;
  beforeAll(() => {
    dir = project("trpc-app");
    run = archlint(["init", "--hook", "pre-commit"], dir);
  });

  it("reports what it detected and what it wrote, exit 0", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(detected(run.stdout)).toEqual([
      "package manager: pnpm (pnpm-lock.yaml)",
      "Prisma schema: prisma/schema.prisma (found as Prisma finds it: default)",
      // staffOnly is defined in another file, from authedProcedure plus its own middleware.
      "tRPC builders: public: publicProcedure; protected: adminProcedure, authedProcedure, staffOnly",
      "Fastify: no",
      "Effect: no",
      "TypeScript: tsconfig.json: the recommended-type-checked preset",
    ]);
    expect(run.stdout).toContain("\nwrote eslint.config.mjs\nwrote .vscode/settings.json\nwrote .pre-commit-config.yaml\n");
    expect(run.stdout).toContain("  pnpm add -D eslint eslint-plugin-archlint archlint\n");
    expect(run.stdout).toContain("  pre-commit install\n");
    expect(run.stdout).toContain("rules-docs/pre-commit.md");
  });

  it("the config uses the type-checked preset and names the builders; ESLint accepts the settings", () => {
    const config = read(dir, "eslint.config.mjs");
    expect(config).toContain(`...archlint.configs["recommended-type-checked"],`);
    // The schema is where Prisma looks anyway: no setting for it.
    expect(config).not.toMatch(/schema/);
    const settings = computedSettings(dir, "src/server/routers/post.ts");
    expect(parseSettings(settings)).toEqual({
      procedures: { public: ["publicProcedure"], protected: ["adminProcedure", "authedProcedure", "staffOnly"] },
    });
  });

  it("ESLint lints the project with it: staffOnly is a builder only through the settings", () => {
    // No parsing error anywhere, eslint.config.mjs included (it is outside tsconfig's `include`).
    const withInit = eslintFindings(dir);
    expect(withInit).toEqual(["src/server/routers/post.ts archlint/cache-hot-reads 7:82", "src/server/routers/post.ts archlint/trpc-require-input 15:24"]);
    // The same project with the bare preset: `staffOnly.mutation(...)` is not recognised.
    const bare = project("trpc-app", {
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended];\n`,
    });
    expect(eslintFindings(bare, ["src"])).toEqual(["src/server/routers/post.ts archlint/cache-hot-reads 7:82"]);
  });

  it("VS Code settings lint .prisma files; the hook is the documented repo: local hook with pnpm exec", () => {
    expect(JSON.parse(read(dir, ".vscode/settings.json"))).toEqual({
      "eslint.validate": ["javascript", "javascriptreact", "typescript", "typescriptreact", "prisma"],
    });
    const documented = docBlock("# .pre-commit-config.yaml").replace(/^# .*\n/, "");
    expect(read(dir, ".pre-commit-config.yaml")).toBe(documented.replace("entry: npx --no archlint check", "entry: pnpm exec archlint check"));
  });

  it("a second run keeps every file; --force replaces what init wrote", () => {
    const before = snapshot(dir);
    fs.writeFileSync(path.join(dir, "eslint.config.mjs"), "export default [];\n");
    const again = archlint(["init", "--hook", "pre-commit"], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("kept eslint.config.mjs: it exists (--force replaces it); add archlint to it:\n");
    expect(again.stdout).toContain("kept .vscode/settings.json: already lints prisma files\n");
    expect(again.stdout).toContain("kept .pre-commit-config.yaml: already runs archlint\n");
    expect(read(dir, "eslint.config.mjs")).toBe("export default [];\n");
    const forced = archlint(["init", "--hook", "pre-commit", "--force"], dir);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("\nreplaced eslint.config.mjs\n");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("archlint init on a Fastify app in JavaScript (yarn, schema outside Prisma's default places)", () => {
  let dir: string;
  let run: ReturnType<typeof archlint>;
  beforeAll(() => {
    dir = project("fastify-app");
    run = archlint(["init", "--hook", "husky"], dir);
  });

  it("detects yarn, Fastify, Effect and the schema in db/; the recommended preset", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(detected(run.stdout)).toEqual([
      "package manager: yarn (yarn.lock)",
      "Prisma schema: db/schema.prisma (outside Prisma's default places: set in settings.archlint.schema)",
      "tRPC builders: none",
      "Fastify: yes",
      "Effect: yes",
      "TypeScript: no tsconfig.json: the recommended preset",
    ]);
    const config = read(dir, "eslint.config.mjs");
    expect(config).toContain("...archlint.configs.recommended,");
    expect(config).toContain('// effectRunners: ["runPromise"],');
    expect(read(dir, ".husky/pre-commit")).toBe("yarn archlint check --staged\n");
  });

  it("the schema setting is absolute and valid, and db-where-indexed reads that schema", () => {
    expect(parseSettings(computedSettings(dir, "src/routes/customers.js"))).toEqual({ schema: path.join(dir, "db/schema.prisma") });
    expect(eslintFindings(dir)).toEqual(["src/routes/customers.js archlint/db-where-indexed 8:51"]);
    // Without the setting the schema is not found, and nothing is checked against it.
    const bare = project("fastify-app", {
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended];\n`,
    });
    expect(eslintFindings(bare)).toEqual([]);
  });

  it("archlint check uses the written config too", () => {
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(findings(parseJson(r.stdout), dir)).toEqual(["src/routes/customers.js archlint/db-where-indexed 8:51"]);
  });
});

describe("archlint init on a monorepo (no root tsconfig, a Fastify app in apps/api, the schema in packages/db)", () => {
  let dir: string;
  let run: ReturnType<typeof archlint>;
  beforeAll(() => {
    dir = project(null);
    copyInto(path.join(ROOT, "fixtures/cli/monorepo"), dir);
    fs.writeFileSync(path.join(dir, "apps/web/package.json"), '{ "name": "@shop/web", "private": true, "dependencies": { "fastify": "^5.0.0" } }\n');
    fs.writeFileSync(
      path.join(dir, "apps/web/tsconfig.json"),
      '{ "compilerOptions": { "strict": true, "module": "nodenext", "noEmit": true }, "include": ["src"] }\n',
    );
    fs.writeFileSync(
      path.join(dir, "apps/web/src/server.ts"),
      'import Fastify from "fastify";\n\nconst app = Fastify();\n\napp.post("/orders", async (request) => request.body);\n',
    );
    run = archlint(["init"], dir);
  });

  it("detects the app's Fastify and every package's tsconfig; the schema needs no setting", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(detected(run.stdout)).toEqual([
      "package manager: pnpm (pnpm-workspace.yaml)",
      "Prisma schema: packages/db/prisma/schema.prisma (the workspace's schema, in packages/db: every package finds it)",
      "tRPC builders: none",
      "Fastify: yes",
      "Effect: no",
      "TypeScript: apps/web/tsconfig.json, packages/api/tsconfig.json: the recommended-type-checked preset",
    ]);
    const config = read(dir, "eslint.config.mjs");
    expect(config).toContain('...archlint.configs["recommended-type-checked"],');
    expect(config).not.toContain("schema,");
  });

  it("ESLint with the written config reports the app's route and the API's query against the workspace's schema", () => {
    expect(eslintFindings(dir)).toEqual([
      "apps/web/src/server.ts archlint/fastify-require-schema 5:40",
      "packages/api/src/orders.ts archlint/db-where-indexed 7:34",
    ]);
  });
});

describe("archlint init in a project with its own ESLint config", () => {
  it("prints a snippet to merge, never touches eslint.config.js or a commented settings.json, even with --force", () => {
    const dir = project("has-eslint-config");
    const before = snapshot(dir);
    for (const args of [
      ["init", "--hook", "pre-commit"],
      ["init", "--force"],
    ]) {
      const r = archlint(args, dir);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("kept eslint.config.js: the project has its own ESLint config; add archlint to it:\n");
      expect(r.stdout).toContain("kept .vscode/settings.json: it exists and is not plain JSON (comments?); add:\n");
      expect(r.stdout).toContain("  npm install -D eslint-plugin-archlint archlint\n");
    }
    expect(fs.existsSync(path.join(dir, "eslint.config.mjs"))).toBe(false);
    const after = snapshot(dir);
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), ".pre-commit-config.yaml"].sort());
    for (const [file, text] of Object.entries(before)) expect(after[file], file).toBe(text);
    // npm: the hook is exactly the documented one.
    expect(after[".pre-commit-config.yaml"]).toBe(docBlock("# .pre-commit-config.yaml").replace(/^# .*\n/, ""));
  });

  it("the snippet, merged as it says, gives a config ESLint loads with valid settings", () => {
    const dir = project("has-eslint-config");
    const r = archlint(["init"], dir);
    const snippet = block(r.stdout, "kept eslint.config.js: the project has its own ESLint config; add archlint to it:");
    const [head, entries] = snippet.split("// ...and in the exported array, after your other configs:\n") as [string, string];
    expect(head.trim()).toBe('import archlint from "eslint-plugin-archlint";');
    const existing = read(dir, "eslint.config.js");
    const merged = `${head.trim()}\n${existing.replace("\n];", `\n${entries}];`)}`;
    fs.writeFileSync(path.join(dir, "eslint.config.js"), merged);
    expect(parseSettings(computedSettings(dir, "src/trpc.ts"))).toEqual({ procedures: { public: ["procedure"] } });
    // The project's own rule still applies next to archlint's.
    fs.writeFileSync(path.join(dir, "src/log.ts"), 'console.log("hi");\n');
    expect(eslintFindings(dir)).toEqual(["src/log.ts no-console 1:1"]);
  });
});

describe("--dry-run", () => {
  it("writes nothing and prints exactly the files a real run writes", () => {
    const dir = project("trpc-app");
    const before = snapshot(dir);
    const dry = archlint(["init", "--dry-run", "--hook", "pre-commit"], dir);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    const real = project("trpc-app");
    expect(archlint(["init", "--hook", "pre-commit"], real).code).toBe(0);
    for (const file of ["eslint.config.mjs", ".vscode/settings.json", ".pre-commit-config.yaml"]) {
      expect(block(dry.stdout, `would write ${file}:`), file).toBe(read(real, file));
    }
  });
});

describe("--hook git", () => {
  it("writes the documented executable hook into .git/hooks", () => {
    const dir = project("has-eslint-config");
    const git = spawnSync("git", ["init", "-q", "."], { cwd: dir, encoding: "utf8" });
    expect(git.status).toBe(0);
    const r = archlint(["init", "--hook", "git"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nwrote .git/hooks/pre-commit\n");
    const hook = path.join(dir, ".git/hooks/pre-commit");
    expect(fs.readFileSync(hook, "utf8")).toBe(docBlock("#!/bin/sh"));
    expect(fs.statSync(hook).mode & 0o111).toBe(0o111);
  });

  it("without a repository: exit 2, one line, nothing written", () => {
    const dir = project("trpc-app");
    const before = snapshot(dir);
    const r = archlint(["init", "--hook", "git"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`archlint: --hook git needs a git repository: no .git folder in ${dir}\n`);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("usage errors: exit 2, one line on stderr", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["unknown --hook", ["init", "--hook", "lefthook"], /^archlint: Unknown --hook "lefthook" \(use pre-commit, husky, git, none\)\.$/],
    ["missing folder", ["init", "nope"], /^archlint: No such file or directory: nope$/],
    ["a file, not a folder", ["init", "package.json"], /^archlint: Not a directory: package\.json$/],
    ["two folders", ["init", "a", "b"], /^archlint: archlint init takes one folder \(default: \.\)\.$/],
  ];
  it.each(cases)("%s", (_name, args, message) => {
    const dir = project("trpc-app");
    const r = archlint(args, dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.endsWith("\n")).toBe(true);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe("detection", () => {
  const lineOf = (dir: string, label: string): string => detected(archlint(["init", "--dry-run"], dir).stdout).find((l) => l.startsWith(`${label}:`))!;

  it("package manager: package.json#packageManager, then lockfiles, else npm", () => {
    expect(lineOf(project(null, { "package.json": '{"packageManager":"yarn@4.5.0"}', "package-lock.json": "{}" }), "package manager")).toBe(
      "package manager: yarn (package.json#packageManager)",
    );
    expect(lineOf(project(null, { "package.json": "{}", "bun.lock": "{}" }), "package manager")).toBe("package manager: bun (bun.lock)");
    // The search stops at the repository's root (.git): here the project's own folder.
    expect(lineOf(project(null, { "package.json": "{}", ".git/HEAD": "ref: refs/heads/main\n" }), "package manager")).toBe("package manager: npm (default)");
    // A workspace package: the lockfile is at the workspace root.
    const workspace = project(null, {
      ".git/HEAD": "ref: refs/heads/main\n",
      "package.json": "{}",
      "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
      "packages/api/package.json": "{}",
    });
    expect(lineOf(path.join(workspace, "packages/api"), "package manager")).toBe("package manager: pnpm (../../pnpm-lock.yaml)");
  });

  it("tRPC builders: a public name wins over middleware; chains ending in a resolver, app.use() and node_modules are not builders", () => {
    const dir = project(null, {
      "package.json": "{}",
      // create-t3-app's layout: both builders carry a timing middleware.
      "src/server/api/trpc.ts": `import { initTRPC, TRPCError } from "@trpc/server";
const t = initTRPC.context<{ session: unknown }>().create({});
const timingMiddleware = t.middleware(async ({ next }) => next());
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure.use(timingMiddleware);
export const protectedProcedure = t.procedure.use(timingMiddleware).use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next();
});
export const health = publicProcedure.query(() => "ok");
`,
      "src/server/api/org.ts": `import { protectedProcedure } from "./trpc";
export const orgProcedure = protectedProcedure.input((v) => v as { orgId: string });
`,
      "src/http.ts": `import express from "express";
const app = express();
export const server = app.use(express.json());
export const procedure = app.procedure;
`,
      "node_modules/lib/index.ts": `import { initTRPC } from "@trpc/server";\nconst t = initTRPC.create();\nexport const vendorProcedure = t.procedure;\n`,
    });
    expect(lineOf(dir, "tRPC builders")).toBe("tRPC builders: public: publicProcedure; protected: orgProcedure, protectedProcedure");
  });

  it("schema: a folder at prisma/schema needs no setting; two schemas elsewhere are not guessed", () => {
    const datasource = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';
    const folder = project(null, {
      "package.json": "{}",
      "prisma/schema/main.prisma": datasource,
      "prisma/schema/user.prisma": "model User {\n  id Int @id\n}\n",
    });
    expect(lineOf(folder, "Prisma schema")).toBe("Prisma schema: prisma/schema (found as Prisma finds it: default)");
    const two = project(null, { "package.json": "{}", "apps/a/db.prisma": datasource, "apps/b/db.prisma": datasource });
    expect(lineOf(two, "Prisma schema")).toBe("Prisma schema: several (apps/a/db.prisma, apps/b/db.prisma): set settings.archlint.schema to one");
    expect(read(two, "package.json")).toBe("{}");
    const dry = archlint(["init", "--dry-run"], two).stdout;
    expect(dry).not.toContain("const schema");
  });
});

describe("init and the rules classify tRPC builders with one classifier", () => {
  // `userProcedure` is `t.procedure` with nothing checking the caller: public, whatever its name
  // says; `memberProcedure` carries middleware: protected. Before the core index, init called
  // userProcedure public and cache-hot-reads called it protected, so running init changed which
  // procedures were hot.
  const files = {
    "src/server/builders.ts": [
      'import { initTRPC } from "@trpc/server";',
      "const t = initTRPC.create();",
      "const isMember = t.middleware(({ next }) => next());",
      "export const userProcedure = t.procedure;",
      "export const memberProcedure = t.procedure.use(isMember);",
      "",
    ].join("\n"),
    "src/server/routers/user.ts": [
      'import { z } from "zod";',
      'import { db } from "../db";',
      'import { memberProcedure, userProcedure } from "../builders";',
      'import { router } from "../trpc";',
      "",
      "export const userRouter = router({",
      "  byId: userProcedure.input(z.object({ id: z.string() })).query(({ input }) => db.user.findUnique({ where: { id: input.id } })),",
      "  mine: memberProcedure.input(z.object({ id: z.string() })).query(({ input }) => db.user.findUnique({ where: { id: input.id } })),",
      "});",
      "",
    ].join("\n"),
  };
  const HOT_USER_READ = "src/server/routers/user.ts archlint/cache-hot-reads 7:80";

  it("init writes userProcedure as public and memberProcedure as protected", () => {
    const dir = project("trpc-app", files);
    const r = archlint(["init"], dir);
    expect(r.code).toBe(0);
    expect(detected(r.stdout)).toContain(
      "tRPC builders: public: publicProcedure, userProcedure; protected: adminProcedure, authedProcedure, memberProcedure, staffOnly",
    );
  });

  it("cache-hot-reads finds the same hot procedures before and after init", () => {
    const dir = project("trpc-app", files);
    fs.writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs["recommended-type-checked"]];\n',
    );
    const before = eslintFindings(dir, ["src"]).filter((f) => f.includes("cache-hot-reads"));
    expect(before).toEqual(["src/server/routers/post.ts archlint/cache-hot-reads 7:82", HOT_USER_READ]);
    expect(archlint(["init", "--force"], dir).code).toBe(0);
    expect(parseSettings(computedSettings(dir, "src/server/routers/user.ts"))).toMatchObject({
      procedures: { public: ["publicProcedure", "userProcedure"], protected: ["adminProcedure", "authedProcedure", "memberProcedure", "staffOnly"] },
    });
    const after = eslintFindings(dir, ["src"]).filter((f) => f.includes("cache-hot-reads"));
    expect(after).toEqual(before);
  });
});

describe("symlinks that lead out of the project", () => {
  const outside = (): string => {
    const dir = path.join(tmp, `outside-${++counter}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "keep.json"), '{ "untouched": true }\n');
    return dir;
  };

  it("a folder init writes into (.vscode) linked outside: exit 2, one line naming it, nothing written anywhere", () => {
    const dir = project("trpc-app");
    const target = outside();
    fs.symlinkSync(target, path.join(dir, ".vscode"));
    const before = snapshot(dir);
    const r = archlint(["init", "--hook", "none"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(".vscode is a symlink that leads outside the project");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.readdirSync(target)).toEqual(["keep.json"]);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a config file linked outside is not written through, even with --force", () => {
    const dir = project(null, { "package.json": '{ "name": "app" }\n' });
    const target = outside();
    fs.symlinkSync(path.join(target, "keep.json"), path.join(dir, "eslint.config.mjs"));
    const r = archlint(["init", "--hook", "none", "--force"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("eslint.config.mjs is a symlink that leads outside the project");
    expect(fs.readFileSync(path.join(target, "keep.json"), "utf8")).toBe('{ "untouched": true }\n');
  });

  it("a dangling link to a path outside is refused too; a link that stays inside the project is followed", () => {
    const dir = project("trpc-app", { "config/vscode/.keep": "" });
    fs.symlinkSync(path.join(outside(), "not-yet"), path.join(dir, ".vscode"));
    expect(archlint(["init", "--hook", "none"], dir).code).toBe(2);
    fs.rmSync(path.join(dir, ".vscode"));
    fs.symlinkSync(path.join(dir, "config", "vscode"), path.join(dir, ".vscode"));
    const r = archlint(["init", "--hook", "none"], dir);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "config", "vscode", "settings.json"))).toBe(true);
  });
});

describe("archlint init on a Supabase project (SQL migrations, no Prisma schema)", () => {
  it("says it found the migrations and makes the editor lint .sql files too", () => {
    const dir = project(null, {
      "package.json": '{ "name": "app", "dependencies": { "@supabase/supabase-js": "^2.0.0" } }\n',
      "supabase/migrations/20240101000000_init.sql": "create table public.notes (id uuid primary key, body text);\n",
    });
    const r = archlint(["init", "--hook", "none"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  SQL migrations   supabase/migrations (linted with archlint/sql; the editor setting adds "sql")');
    expect(JSON.parse(read(dir, ".vscode/settings.json"))).toEqual({
      "eslint.validate": ["javascript", "javascriptreact", "typescript", "typescriptreact", "prisma", "sql"],
    });
    // A second run keeps the file: it already lints both.
    expect(archlint(["init", "--hook", "none"], dir).stdout).toContain("kept .vscode/settings.json: already lints prisma and sql files");
  });
});
