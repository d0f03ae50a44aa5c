import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ESLint } from "eslint";
import { LINTABLE_FILE, migrationFiles, migrationsFolder, schemaFiles, schemaForPrismaFile } from "@archlint/core";
import { UsageError } from "./cli.js";
import type { LintResult } from "./formatters/types.js";

/**
 * `archlint check --staged`: the files a commit is about to record, for a pre-commit hook.
 *
 * - The list comes from the index (`git diff --cached`), so files that are not staged never block a
 *   commit. Git hooks run with `GIT_INDEX_FILE` set, and git reads it here too, so
 *   `git commit -a` and `git commit <paths>` lint what they commit.
 * - A file whose working-tree copy differs from its staged copy (partly staged, or deleted after
 *   staging) is linted from the index: the commit records the staged content, not the edits next
 *   to it.
 * - A staged `.prisma` file brings in the schema it belongs to (a folder of `.prisma` files is one
 *   schema), as a change in one file can break another; so does a staged SQL migration its
 *   migrations folder (a `DROP INDEX` in a new migration is reported at the foreign key of an old
 *   one). Files that are not in the index (untracked) are left out.
 * - Only files under the working directory are linted (ESLint lints nothing outside its `cwd`), and
 *   paths given with `--staged` narrow the list to the staged files inside them.
 */

const GLOB = /[*?[\]{}]/;

export interface StagedFile {
  /** Absolute path in the working tree. */
  path: string;
  /** The staged content, when the working tree's copy is not the same. */
  indexText?: string;
}

interface GitRepo {
  top: string;
  run(args: string[]): string;
}

function openRepo(cwd: string): GitRepo {
  const run = (args: string[], dir: string): { status: number | null; stdout: string } => {
    // Never run the repository's own programs: `core.fsmonitor` names a command git would execute.
    const r = spawnSync("git", ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", ...args], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      throw new UsageError(code === "ENOENT" ? "--staged needs git, and git is not on PATH." : `--staged could not run git: ${r.error.message}`);
    }
    return { status: r.status, stdout: r.stdout };
  };
  const top = run(["rev-parse", "--show-toplevel"], cwd);
  if (top.status !== 0 || top.stdout.trim() === "") throw new UsageError("--staged needs a git repository, and this directory is not in one.");
  const root = top.stdout.trim();
  return {
    top: root,
    run(args) {
      const r = run(args, root);
      if (r.status !== 0) throw new UsageError(`git ${args[0]} failed (exit code ${r.status}).`);
      return r.stdout;
    },
  };
}

function nulList(out: string): string[] {
  return out.split("\0").filter((s) => s !== "");
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The files `archlint check --staged [paths]` lints, in code-unit order; empty when nothing lintable is staged. */
export function stagedFiles(cwd: string, paths: string[], options: { fix: boolean; schema?: string }): StagedFile[] {
  if (options.fix)
    throw new UsageError("--fix cannot be used with --staged: fixes would land after the files were staged. Run archlint check --fix, then git add.");
  const globbed = paths.find((p) => GLOB.test(p));
  if (globbed !== undefined) throw new UsageError(`--staged takes files and folders, not glob patterns: ${globbed}`);
  const repo = openRepo(cwd);
  // git prints real paths; `cwd` may reach the same folder through a symlink.
  const realCwd = fs.realpathSync(cwd);
  const toCwd = (fromTop: string): string => path.resolve(cwd, path.relative(realCwd, path.join(repo.top, fromTop)));
  const scopes = paths.map((p) => path.resolve(cwd, p));
  const inScope = (abs: string): boolean => isInside(abs, cwd) && (scopes.length === 0 || scopes.some((s) => isInside(abs, s)));

  // Working-tree path -> path from the top of the repository, as git names it.
  const fromTop = new Map<string, string>();
  for (const p of nulList(repo.run(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", "--no-renames"]))) {
    const abs = toCwd(p);
    if (LINTABLE_FILE.test(p) && inScope(abs)) fromTop.set(abs, p);
  }
  if (fromTop.size === 0) return [];

  const schemaOption = options.schema === undefined ? undefined : path.resolve(cwd, options.schema);
  for (const prisma of [...fromTop.keys()].filter((f) => f.endsWith(".prisma"))) {
    const location = schemaForPrismaFile(prisma, schemaOption);
    if (!location.isFolder) continue;
    const tracked = new Map<string, string>();
    const folder = path.relative(repo.top, fs.realpathSync(location.path)) || ".";
    for (const p of nulList(repo.run(["ls-files", "--cached", "-z", "--", folder]))) tracked.set(toCwd(p), p);
    for (const f of schemaFiles(location)) {
      const p = tracked.get(f);
      if (p !== undefined && isInside(f, cwd)) fromTop.set(f, p);
    }
  }

  const folders = new Set([...fromTop.keys()].filter((f) => f.endsWith(".sql")).map((f) => migrationsFolder(f, { cwd })));
  for (const folder of folders) {
    if (folder === null || !fs.existsSync(folder)) continue;
    const tracked = new Map<string, string>();
    for (const p of nulList(repo.run(["ls-files", "--cached", "-z", "--", path.relative(repo.top, fs.realpathSync(folder)) || "."]))) tracked.set(toCwd(p), p);
    for (const f of migrationFiles(folder)) {
      const p = tracked.get(f);
      if (p !== undefined && isInside(f, cwd)) fromTop.set(f, p);
    }
  }

  const changedSinceStaged = new Set(nulList(repo.run(["diff", "--name-only", "-z", "--no-renames"])));
  return [...fromTop.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, p]) => (changedSinceStaged.has(p) ? { path: file, indexText: repo.run(["cat-file", "blob", `:${p}`]) } : { path: file }));
}

/** Lints the staged files: ignored ones are skipped silently (a hook must not warn about them). */
export async function lintStaged(eslint: ESLint, files: StagedFile[]): Promise<LintResult[]> {
  const kept: StagedFile[] = [];
  for (const f of files) if (!(await eslint.isPathIgnored(f.path))) kept.push(f);
  const onDisk = kept.filter((f) => f.indexText === undefined).map((f) => f.path);
  const results = (onDisk.length > 0 ? await eslint.lintFiles(onDisk) : []) as unknown as LintResult[];
  for (const f of kept) {
    if (f.indexText === undefined) continue;
    results.push(...((await eslint.lintText(f.indexText, { filePath: f.path, warnIgnored: false })) as unknown as LintResult[]));
  }
  return results;
}
