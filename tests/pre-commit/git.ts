import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BIN, copyInto, DEMO, makeTmpDir, type Run } from "../cli/helpers.js";

/**
 * Real git repositories for the pre-commit tests. Git and the hooks run with an environment cut
 * loose from the machine's: no global or system git config (a `core.hooksPath` or signing setup
 * there would change what a commit runs), no GIT_* variables of an enclosing hook, no npm_* of the
 * test runner's package manager.
 */

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("GIT_") || k.startsWith("npm_") || k.startsWith("PRE_COMMIT")) continue;
    if (["FORCE_COLOR", "NODE_OPTIONS", "ARCHLINT_DEBUG", "ESLINT_USE_FLAT_CONFIG"].includes(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...extra };
}

/** The environment of commands in `repo`: pre-commit keeps its cache in the repository's .git folder. */
export function repoEnv(repo: string): NodeJS.ProcessEnv {
  return cleanEnv({ PRE_COMMIT_HOME: path.join(repo, ".git", "pre-commit-home") });
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = repoEnv(cwd)): Run {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env, timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `git <args>` in `repo`; throws with git's message when it fails. */
export function git(repo: string, ...args: string[]): string {
  const r = run("git", args, repo, repoEnv(repo));
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `archlint <args>` (the built CLI) in `cwd`. */
export function archlintIn(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Run {
  return run(process.execPath, [BIN, ...args], cwd, cleanEnv(env));
}

export function write(repo: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text);
}

export function read(repo: string, file: string): string {
  return fs.readFileSync(path.join(repo, file), "utf8");
}

const created: string[] = [];

/** A fresh directory under tests/.tmp, removed by `removeTmpDirs`. */
export function tmpDir(prefix: string): string {
  const dir = makeTmpDir(prefix);
  created.push(dir);
  return dir;
}

export function removeTmpDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A new git repository under tests/.tmp; with `demo`, holding a copy of fixtures/demo-app (not yet
 * committed). `"untyped"` leaves out its tsconfig.json, so archlint's zero config lints without type
 * information: most of these tests are about which files and which content get linted, and a
 * commit then takes under a second instead of several.
 */
export function makeRepo(prefix: string, options: { demo?: "typed" | "untyped" } = {}): string {
  const repo = tmpDir(prefix);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.name", "archlint tests");
  git(repo, "config", "user.email", "tests@archlint.invalid");
  git(repo, "config", "commit.gpgsign", "false");
  if (options.demo) copyInto(DEMO, repo);
  if (options.demo === "untyped") fs.rmSync(path.join(repo, "tsconfig.json"));
  return repo;
}

export function head(repo: string): string {
  return git(repo, "rev-parse", "HEAD").trim();
}

/** A tRPC router whose procedure reads `input` with no `.input()`: one trpc-require-input finding. */
export const ROUTER_WITHOUT_INPUT = `import { protectedProcedure, router } from "../trpc";

export const tagRouter = router({
  rename: protectedProcedure.mutation(async ({ ctx, input }) => {
    return ctx.prisma.organization.update({ where: { id: input.id }, data: { name: input.name } });
  }),
});
`;

/** The same router, fixed. */
export const ROUTER_WITH_INPUT = `import { z } from "zod";

import { protectedProcedure, router } from "../trpc";

export const tagRouter = router({
  rename: protectedProcedure
    .input(z.object({ id: z.string().cuid(), name: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      return ctx.prisma.organization.update({ where: { id: input.id }, data: { name: input.name } });
    }),
});
`;

export const RULE_INPUT = "archlint/trpc-require-input";
