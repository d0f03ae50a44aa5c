import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The packages as a user gets them: `scripts/pack-all.mjs` packs the three workspace packages, a
 * fresh project in the OS temp folder (outside the workspace, so nothing resolves from the repo's
 * node_modules) installs the tarballs with plain npm, and `archlint check`, `archlint schema` and
 * `eslint .` run there as installed bins. Needs the npm registry (eslint, typescript-eslint,
 * @prisma/internals); skipped, with the reason printed, when it cannot be reached.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
const PACK_SCRIPT = path.join(ROOT, "scripts/pack-all.mjs");
const WIN = process.platform === "win32";
const INSTALL_TIMEOUT = 7 * 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without what pnpm/vitest set for the repo (npm would read npm_* as its config). */
function cleanEnv(): NodeJS.ProcessEnv {
  const drop = new Set(["FORCE_COLOR", "ARCHLINT_DEBUG", "ESLINT_USE_FLAT_CONFIG", "NODE_OPTIONS", "NODE_PATH"]);
  const pnpmVariable = /^(npm_(lifecycle_|package_)|npm_config_user_agent$|npm_execpath$|npm_node_execpath$|npm_command$|pnpm_|init_cwd$)/i;
  return Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1" }).filter(([k]) => !drop.has(k) && !pnpmVariable.test(k)));
}

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): Run {
  // npm and npx are .cmd files on Windows, which only a shell runs (so quote paths with spaces).
  const shell = WIN && cmd !== process.execPath;
  const argv = shell ? args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)) : args;
  const r = spawnSync(cmd, argv, { cwd, encoding: "utf8", env: cleanEnv(), timeout, shell });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function show(r: Run): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Why the registry cannot be used, or null when it answers (a quick `npm ping`). */
function registryProblem(): string | null {
  try {
    const r = run("npm", ["ping", "--fetch-retries=0", "--fetch-timeout=10000"], os.tmpdir(), 15_000);
    if (r.code === 0) return null;
    const lines = `${r.stdout}\n${r.stderr}`.split("\n").map((l) => l.trim());
    const why = lines.find((l) => l.includes("FetchError")) ?? lines.find((l) => /^npm error (code|\d{3})/.test(l)) ?? lines.filter(Boolean).slice(-1)[0] ?? "";
    return `\`npm ping\` exited with ${r.code}: ${why}`;
  } catch (e) {
    return `\`npm ping\` failed: ${(e as Error).message}`;
  }
}

const OFFLINE = registryProblem();
if (OFFLINE) {
  console.warn(`[tests/pack] SKIPPED: the npm registry is unreachable, so the packed tarballs cannot be installed (${OFFLINE}).`);
}

const SCHEMA = `datasource db {
  provider = "postgresql"
}

generator client {
  provider = "prisma-client-js"
}

model User {
  id    String @id @default(cuid())
  email String @unique
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}
`;

// Like fixtures/demo-app/src/server/cache.ts: a Redis key written with no expiry.
const CACHE_TS = `import { Redis } from "ioredis";

export const redis = new Redis(process.env.REDIS_URL!);

export async function touchLastSeen(userId: string): Promise<void> {
  await redis.set(\`user:last-seen:\${userId}\`, new Date().toISOString());
}
`;

// Like fixtures/demo-app's org router: a public procedure that reads input with no .input().
const ROUTER_TS = `import { initTRPC } from "@trpc/server";

const t = initTRPC.create();

export const publicProcedure = t.procedure;

export const appRouter = t.router({
  byId: publicProcedure.query(({ input }) => {
    // @ts-expect-error -- the client sends an id
    return { id: input.id as string };
  }),
});
`;

const ESLINT_CONFIG = `import archlint from "eslint-plugin-archlint";

export default [...archlint.configs.recommended];
`;

/** file:line rule, sorted. */
const EXPECTED = [
  "prisma/schema.prisma:19 archlint/prisma-relation-index",
  "src/cache.ts:6 archlint/cache-require-ttl",
  "src/router.ts:8 archlint/trpc-require-input",
];

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; message: string; fatal?: boolean }>;
}

function findings(stdout: string, project: string): string[] {
  const results = JSON.parse(stdout) as JsonResult[];
  return results
    .flatMap((r) => r.messages.map((m) => `${path.relative(project, r.filePath).split(path.sep).join("/")}:${m.line} ${m.ruleId ?? `(fatal) ${m.message}`}`))
    .sort();
}

describe.skipIf(OFFLINE !== null)("pack:all tarballs install with npm outside the workspace", () => {
  let tmp = "";
  let project = "";
  let tarballs: string[] = [];

  beforeAll(() => {
    for (const f of ["packages/core/dist/index.js", "packages/eslint-plugin/dist/index.js", "packages/cli/dist/bin.js"]) {
      if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`pnpm build\` before these tests.`);
    }
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "archlint-pack-")));
    project = path.join(tmp, "project");
    const rel = path.relative(ROOT, project);
    if (!rel.startsWith("..") && !path.isAbsolute(rel)) throw new Error(`${project} is inside the workspace ${ROOT}`);

    // `pnpm test` has just built; packing alone also keeps a concurrent edit of the sources from
    // failing this test at a build step it does not test.
    const outDir = path.join(tmp, "tarballs");
    const pack = run(process.execPath, [PACK_SCRIPT, "--no-build", "--out", outDir], ROOT);
    if (pack.code !== 0) throw new Error(`pack-all failed\n${show(pack)}`);
    tarballs = ["archlint-core-0.1.0.tgz", "eslint-plugin-archlint-0.1.0.tgz", "archlint-0.1.0.tgz"].map((f) => path.join(outDir, f));
    for (const t of tarballs) if (!fs.existsSync(t)) throw new Error(`pack-all wrote no ${path.basename(t)}\n${show(pack)}`);

    fs.mkdirSync(path.join(project, "prisma"), { recursive: true });
    fs.mkdirSync(path.join(project, "src"));
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pack-smoke", version: "1.0.0", private: true, type: "module" }, null, 2));
    fs.writeFileSync(path.join(project, "prisma/schema.prisma"), SCHEMA);
    fs.writeFileSync(path.join(project, "src/cache.ts"), CACHE_TS);
    fs.writeFileSync(path.join(project, "src/router.ts"), ROUTER_TS);
    fs.writeFileSync(path.join(project, "eslint.config.mjs"), ESLINT_CONFIG);

    // The README's command: all three tarballs at once, so @archlint/core comes from its tarball.
    const install = run("npm", ["i", "-D", "--no-audit", "--no-fund", "--prefer-offline", "eslint", ...tarballs], project, INSTALL_TIMEOUT);
    if (install.code !== 0) throw new Error(`npm install of the tarballs failed\n${show(install)}`);
  }, 8 * 60_000);

  afterAll(() => {
    if (tmp && !process.env.ARCHLINT_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("packs real version ranges, and npm takes @archlint/core from its tarball", () => {
    const read = (p: string) => JSON.parse(fs.readFileSync(path.join(project, "node_modules", p, "package.json"), "utf8"));
    expect(read("eslint-plugin-archlint").dependencies["@archlint/core"]).toBe("0.1.0");
    expect(read("archlint").dependencies).toMatchObject({ "@archlint/core": "0.1.0", "eslint-plugin-archlint": "0.1.0" });

    const lock = JSON.parse(fs.readFileSync(path.join(project, "package-lock.json"), "utf8"));
    const ours = Object.entries(lock.packages as Record<string, { resolved?: string }>).filter(([k]) =>
      /node_modules\/(@archlint\/core|eslint-plugin-archlint|archlint)$/.test(k),
    );
    // One copy of each, from the tarballs (none nested, none from the registry).
    expect(ours.map(([k]) => k).sort()).toEqual(["node_modules/@archlint/core", "node_modules/archlint", "node_modules/eslint-plugin-archlint"]);
    for (const [, entry] of ours) expect(entry.resolved).toMatch(/^file:/);

    // The plugin ESLint loads is the installed one, not the workspace's.
    const resolved = run(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("eslint-plugin-archlint"))'], project);
    expect(resolved.code, show(resolved)).toBe(0);
    expect(fileURLToPath(resolved.stdout.trim())).toBe(path.join(project, "node_modules/eslint-plugin-archlint/dist/index.js"));
  });

  it("npx archlint check: exit 1 with the schema and code findings", () => {
    const r = run("npx", ["--no", "archlint", "check", "--format", "json"], project);
    expect(r.code, show(r)).toBe(1);
    expect(findings(r.stdout, project)).toEqual(EXPECTED);
  });

  it("npx archlint schema: exit 1 with prisma-relation-index", () => {
    const r = run("npx", ["--no", "archlint", "schema", "--format", "json"], project);
    expect(r.code, show(r)).toBe(1);
    expect(findings(r.stdout, project)).toEqual(["prisma/schema.prisma:19 archlint/prisma-relation-index"]);
  });

  it("npx eslint . with ...archlint.configs.recommended: the same findings", () => {
    const r = run("npx", ["--no", "eslint", ".", "--format", "json"], project);
    expect(r.code, show(r)).toBe(1);
    expect(findings(r.stdout, project)).toEqual(EXPECTED);
  });
});
