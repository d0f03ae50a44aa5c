import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { archlint, assertBuilt, makeTmpDir } from "./helpers.js";

/**
 * `archlint check --cache` is never stale: after an edit, a cached run prints exactly what a fresh
 * run (no cache) prints. Each case edits a file other than the one whose finding changes (or keeps
 * size and mtime), which is where a cache keyed on the linted file and its config goes wrong: the
 * six ways ESLint's own `--cache` serves stale results with archlint's presets (issue #18).
 */

beforeAll(assertBuilt);

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

/** The findings of a `--format json` run, as `file:line rule`, relative to `dir`. */
function findings(stdout: string, dir: string): string[] {
  const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number }> }>;
  return results.flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath).split(path.sep).join("/")}:${m.line} ${m.ruleId}`)).sort();
}

/**
 * Primes the cache, applies `edit`, then runs with the cache and without: the two reports must be
 * identical, and must differ from the one before the edit (the edit changes a finding).
 */
function expectFreshAfter(dir: string, edit: () => void, cwd = dir): { before: string[]; after: string[] } {
  const args = ["check", "--format", "json", "--cache", "--cache-location", path.join(dir, ".cache", "archlint")];
  const primed = archlint(args, cwd);
  expect(primed.stderr).not.toMatch(/Unknown option|Error/);
  const again = archlint(args, cwd);
  expect(again.stdout).toBe(primed.stdout);
  edit();
  const cached = archlint(args, cwd);
  const fresh = archlint(["check", "--format", "json"], cwd);
  expect(fresh.stderr).toBe(cached.stderr);
  expect(cached.stdout).toBe(fresh.stdout);
  expect(cached.code).toBe(fresh.code);
  const before = findings(primed.stdout, cwd);
  const after = findings(fresh.stdout, cwd);
  expect(after).not.toEqual(before);
  return { before, after };
}

const USERS_TS = `import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function usersByEmail(email: string) {
  return prisma.user.findMany({ where: { email } });
}
`;

/** A schema whose User has an index on `indexed` (same length for "email" and "nameX"). */
const schema = (indexed: "email" | "nameX" | null): string => `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  email String
  nameX String
${indexed ? `  @@index([${indexed}])` : ""}
}
`;

describe("archlint check --cache", () => {
  it("a router's cache-hot-reads finding appears when a service in another module starts reading the database (router unchanged)", () => {
    const dir = makeTmpDir("cache-cross");
    write(dir, {
      "package.json": `{ "name": "cross", "private": true, "type": "module" }\n`,
      "tsconfig.json": `{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler", "strict": true, "skipLibCheck": true, "noEmit": true, "types": [] }, "include": ["src"] }\n`,
      "src/server/trpc.ts": `import { initTRPC } from "@trpc/server";\n\nconst t = initTRPC.create();\nexport const router = t.router;\nexport const publicProcedure = t.procedure;\n`,
      "src/server/db.ts": `import { PrismaClient } from "@prisma/client";\n\nexport const prisma = new PrismaClient();\n`,
      "src/server/routers/stats.ts": `import { countPosts } from "../../modules/stats/stats.service";
import { publicProcedure, router } from "../trpc";

export const statsRouter = router({
  total: publicProcedure.query(() => countPosts()),
});
`,
      "src/modules/stats/stats.service.ts": `export async function countPosts(): Promise<number> {\n  return 0;\n}\n`,
    });
    const { after } = expectFreshAfter(dir, () =>
      write(dir, {
        "src/modules/stats/stats.service.ts": `import { prisma } from "../../server/db";\n\nexport async function countPosts(): Promise<number> {\n  return prisma.post.count();\n}\n`,
      }),
    );
    expect(after).toEqual(["src/server/routers/stats.ts:5 archlint/cache-hot-reads"]);
  });

  it("a write's cache-invalidate-on-write finding appears when a read of its model in another file starts being cached (writer unchanged)", () => {
    const dir = makeTmpDir("cache-invalidate");
    const queries = (cached: boolean): string => `import { unstable_cache } from "next/cache";
import { prisma } from "./db";

export const feed = ${cached ? 'unstable_cache(async () => prisma.post.findMany(), ["feed"])' : "async () => prisma.post.findMany()"};
`;
    write(dir, {
      "package.json": `{ "name": "invalidate", "private": true, "type": "module" }\n`,
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { rules: { "archlint/cache-invalidate-on-write": "error" } }];\n`,
      "src/db.ts": `import { PrismaClient } from "@prisma/client";\n\nexport const prisma = new PrismaClient();\n`,
      "src/queries.ts": queries(false),
      "src/actions.ts": `import { prisma } from "./db";\n\nexport async function publish(id: string) {\n  await prisma.post.update({ where: { id }, data: { published: true } });\n}\n`,
    });
    const { before, after } = expectFreshAfter(dir, () => write(dir, { "src/queries.ts": queries(true) }));
    expect(before).not.toContain("src/actions.ts:4 archlint/cache-invalidate-on-write");
    expect(after).toContain("src/actions.ts:4 archlint/cache-invalidate-on-write");
  });

  it("settings.archlint.schema pointing outside the working directory: an index added there clears the finding", () => {
    const root = makeTmpDir("cache-outside");
    const dir = path.join(root, "app");
    write(root, {
      "shared/schema.prisma": schema(null),
      "app/package.json": `{ "name": "app", "private": true, "type": "module" }\n`,
      "app/eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { schema: "../shared/schema.prisma" } } }];\n`,
      "app/src/users.ts": USERS_TS,
    });
    const { before, after } = expectFreshAfter(dir, () => write(root, { "shared/schema.prisma": schema("email") }));
    expect(before).toEqual(["src/users.ts:6 archlint/db-where-indexed"]);
    expect(after).toEqual([]);
  });

  it("a changed hotPaths traffic file makes a protected query hot", () => {
    const dir = makeTmpDir("cache-traffic");
    write(dir, {
      "package.json": `{ "name": "traffic", "private": true, "type": "module" }\n`,
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { hotPaths: { trafficFile: "traffic.json", threshold: 50 } } } }];\n`,
      "traffic.json": `{ "post.mine": 10 }\n`,
      "src/post.router.ts": `import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { prisma } from "~/server/db";

export const postRouter = createTRPCRouter({
  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { authorId: ctx.session.user.id } })),
});
`,
    });
    const { after } = expectFreshAfter(dir, () => write(dir, { "traffic.json": `{ "post.mine": 90 }\n` }));
    expect(after).toEqual(["src/post.router.ts:5 archlint/cache-hot-reads"]);
  });

  it("a schema found through prisma.config.ts more than 8 folders deep (14: deeper than any bounded walk)", () => {
    const dir = makeTmpDir("cache-deep");
    const deep = "db/a/b/c/d/e/f/g/h/i/j/k/l/m/schema.prisma";
    write(dir, {
      "package.json": `{ "name": "deep", "private": true }\n`,
      "prisma.config.ts": `import { defineConfig } from "prisma/config";\n\nexport default defineConfig({ schema: "${deep}" });\n`,
      [deep]: schema(null),
      "src/users.ts": USERS_TS,
    });
    const { before, after } = expectFreshAfter(dir, () => write(dir, { [deep]: schema("email") }));
    expect(before).toContain("src/users.ts:6 archlint/db-where-indexed");
    expect(after).not.toContain("src/users.ts:6 archlint/db-where-indexed");
  });

  it("more than 20,000 entries in folders that sort before prisma/", () => {
    const dir = makeTmpDir("cache-many");
    write(dir, { "package.json": `{ "name": "many", "private": true }\n`, "prisma/schema.prisma": schema(null), "src/users.ts": USERS_TS });
    // Queries, not migrations: nothing ESLint lints, but every walk of the project meets them first.
    const queries = path.join(dir, "aaa-queries");
    fs.mkdirSync(queries);
    for (let i = 0; i < 20_001; i++) fs.writeFileSync(path.join(queries, `q${String(i).padStart(5, "0")}.sql`), "");
    const { before, after } = expectFreshAfter(dir, () => write(dir, { "prisma/schema.prisma": schema("email") }));
    expect(before).toContain("src/users.ts:6 archlint/db-where-indexed");
    expect(after).not.toContain("src/users.ts:6 archlint/db-where-indexed");
  }, 120_000);

  it("a same-size edit with its mtime preserved (cp -p), of the schema and of the linted file", () => {
    const dir = makeTmpDir("cache-mtime");
    write(dir, { "package.json": `{ "name": "mtime", "private": true }\n`, "prisma/schema.prisma": schema("nameX"), "src/users.ts": USERS_TS });
    // As `cp -p` does: the new text arrives with the old file's size and exact (nanosecond) mtime.
    const keepTimes = (file: string, text: string): void => {
      const p = path.join(dir, file);
      const before = fs.statSync(p, { bigint: true });
      const tmp = `${p}.new`;
      fs.writeFileSync(tmp, text);
      expect(spawnSync("touch", ["-r", p, tmp]).status).toBe(0);
      fs.renameSync(tmp, p);
      const after = fs.statSync(p, { bigint: true });
      expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    };
    // The schema: the index moves from nameX to email, same size, same mtime.
    const first = expectFreshAfter(dir, () => keepTimes("prisma/schema.prisma", schema("email")));
    expect(first.before).toEqual(["src/users.ts:6 archlint/db-where-indexed"]);
    expect(first.after).toEqual([]);
    // The linted file: the query moves from email to nameX, same size, same mtime.
    const second = expectFreshAfter(dir, () =>
      keepTimes("src/users.ts", USERS_TS.replace("where: { email }", "where: { nameX }").replace("(email: string)", "(nameX: string)")),
    );
    expect(second.after).toEqual(["src/users.ts:6 archlint/db-where-indexed"]);
  });

  it("a run in which every result holds leaves the cache file as it was; a later migration enabling row level security clears the first one's finding", () => {
    const dir = makeTmpDir("cache-sql");
    write(dir, {
      "package.json": `{ "name": "sql", "private": true }\n`,
      "supabase/migrations/0001_items.sql": "create table public.items (id bigint primary key);\n",
      "supabase/migrations/0002_notes.sql": "create table public.notes (id bigint primary key);\nalter table public.notes enable row level security;\n",
    });
    const cacheFile = path.join(dir, ".cache", "archlint");
    const args = ["check", "--format", "json", "--cache", "--cache-location", cacheFile];
    const primed = archlint(args, dir);
    const written = fs.statSync(cacheFile, { bigint: true });
    const text = fs.readFileSync(cacheFile, "utf8");
    const again = archlint(args, dir);
    expect(again.stdout).toBe(primed.stdout);
    // Nothing linted, nothing to write: same bytes, same mtime (a rewrite would give a new one).
    expect(fs.readFileSync(cacheFile, "utf8")).toBe(text);
    expect(fs.statSync(cacheFile, { bigint: true }).mtimeNs).toBe(written.mtimeNs);
    // The finding is in 0001, the edit in 0002: the cached run must see it, and write the cache again.
    const { before, after } = expectFreshAfter(dir, () =>
      fs.appendFileSync(path.join(dir, "supabase/migrations/0002_notes.sql"), "alter table public.items enable row level security;\n"),
    );
    expect(before).toEqual(["supabase/migrations/0001_items.sql:1 archlint/sql-rls-enabled"]);
    expect(after).toEqual([]);
    expect(fs.statSync(cacheFile, { bigint: true }).mtimeNs).not.toBe(written.mtimeNs);
  });

  it("a Prisma migrations folder added beside an unchanged schema, with a migration.sql that indexes the relation, clears prisma-relation-index", () => {
    const dir = makeTmpDir("cache-prisma-sql");
    const relation = `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  posts Post[]
}

model Post {
  id       String @id
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}
`;
    write(dir, { "package.json": `{ "name": "prisma-sql", "private": true }\n`, "prisma/schema.prisma": relation, "src/users.ts": USERS_TS });
    // The cache keys no config on the files' sizes and mtimes: only the schema's reads (a probe for
    // prisma/migrations, then its listing and files) can see this.
    const { before, after } = expectFreshAfter(dir, () =>
      write(dir, {
        "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
        "prisma/migrations/0_init/migration.sql": `CREATE TABLE "User" ("id" TEXT PRIMARY KEY);
CREATE TABLE "Post" ("id" TEXT PRIMARY KEY, "authorId" TEXT NOT NULL REFERENCES "User"("id"));
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
`,
      }),
    );
    expect(before).toContain("prisma/schema.prisma:13 archlint/prisma-relation-index");
    expect(after.filter((f) => f.includes("prisma-relation-index"))).toEqual([]);
  });

  it("--cache-location names a file or a folder; the default is .archlintcache in the working directory", () => {
    const dir = makeTmpDir("cache-location");
    write(dir, { "package.json": `{ "name": "loc", "private": true }\n`, "prisma/schema.prisma": schema(null), "src/users.ts": USERS_TS });
    expect(archlint(["check", "--cache"], dir).code).toBe(1);
    expect(fs.existsSync(path.join(dir, ".archlintcache"))).toBe(true);
    fs.mkdirSync(path.join(dir, "cachedir"));
    expect(archlint(["check", "--cache", "--cache-location", "cachedir"], dir).code).toBe(1);
    expect(fs.existsSync(path.join(dir, "cachedir", ".archlintcache"))).toBe(true);
    // A cache that is not one (a truncated write of another tool) is started again, not trusted.
    fs.writeFileSync(path.join(dir, ".archlintcache"), "{ not json");
    const run = archlint(["check", "--cache", "--format", "json"], dir);
    expect(findings(run.stdout, dir)).toEqual(["src/users.ts:6 archlint/db-where-indexed"]);
  });
});
