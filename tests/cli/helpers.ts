import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Shared by the end-to-end tests: every run is a real `node` process on the BUILT files (never an
 * in-process import of the CLI), so module-format problems of dependencies show up as they would
 * for a user.
 */

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
export const BIN = path.join(ROOT, "packages/cli/dist/bin.js");
export const ESLINT10 = path.join(ROOT, "node_modules/eslint/bin/eslint.js");
export const ESLINT9 = path.join(ROOT, "node_modules/eslint9/bin/eslint.js");
export const DEMO = path.join(ROOT, "fixtures/demo-app");
export const CLI_FIXTURES = path.join(ROOT, "fixtures/cli");
export const TMP_ROOT = path.join(ROOT, "tests/.tmp");

/** The rule and the four unindexed relations of fixtures/demo-app/prisma/schema.prisma. */
export const RULE = "archlint/prisma-relation-index";
export const DEMO_LINES = [92, 109, 126, 147];
/** The demo schema's redundant index (`@@index([userId])` beside `@@index([userId, createdAt])` on AuditLog). */
export const REDUNDANT_RULE = "archlint/prisma-redundant-index";
export const DEMO_REDUNDANT_LINE = 150;
/** Every finding of the demo schema under the recommended presets, in line order: the relations, then the index. */
export const DEMO_SCHEMA_FINDINGS: Array<[string, number]> = [
  ...DEMO_LINES.map((line): [string, number] => [RULE, line]),
  [REDUNDANT_RULE, DEMO_REDUNDANT_LINE],
];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.ARCHLINT_DEBUG;
  delete env.ESLINT_USE_FLAT_CONFIG;
  delete env.NODE_OPTIONS;
  return env;
}

export function runNode(script: string, args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: "utf8", env: cleanEnv(), timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `archlint <args>` in `cwd`. */
export function archlint(args: string[], cwd: string): Run {
  return runNode(BIN, args, cwd);
}

export function assertBuilt(): void {
  for (const f of [BIN, path.join(ROOT, "packages/eslint-plugin/dist/index.js"), path.join(ROOT, "packages/core/dist/index.js")]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`pnpm build\` before these tests.`);
  }
}

/** A fresh directory under tests/.tmp (gitignored, and inside the workspace so packages resolve). */
export function makeTmpDir(prefix: string): string {
  fs.mkdirSync(TMP_ROOT, { recursive: true });
  return fs.mkdtempSync(path.join(TMP_ROOT, `${prefix}-`));
}

export function copyInto(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true, filter: (s) => !s.split(path.sep).includes("node_modules") });
}

export interface JsonMessage {
  ruleId: string | null;
  severity: number;
  fatal?: boolean;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  suppressedMessages?: JsonMessage[];
  errorCount: number;
  warningCount: number;
}

export function parseJson(stdout: string): JsonResult[] {
  return JSON.parse(stdout) as JsonResult[];
}

/** Messages of the results whose file ends with `suffix` (e.g. ".prisma"), flattened. */
export function messagesOf(results: JsonResult[], suffix: string): Array<JsonMessage & { file: string }> {
  return results.filter((r) => r.filePath.endsWith(suffix)).flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
}

/** Lines of the form "    at foo (file:1:2)": a stack trace leaked to the user. */
export const STACK_LINE = /^\s+at /m;

/** The line zero-config prints on stderr: what it chose, and why. */
export function zeroConfigNote(preset: string, schema = "no Prisma schema found", why = "no ESLint config"): string {
  return `archlint: zero-config (${why}): ${preset}; ${schema}\n`;
}

/** The run with zero-config's line taken off stderr, for tests about something else. */
export function withoutNote(run: Run): Run {
  return { ...run, stderr: run.stderr.replace(/^archlint: zero-config \(.*\n/m, "") };
}

const shared = new Map<string, Run>();
/**
 * `archlint <args>` in `cwd`, made once per test file and shared by every assertion that reads it:
 * for runs that do not change anything (a type-checked run of the demo takes seconds on a loaded
 * machine). A test that needs a fresh run (determinism, --fix) calls `archlint`.
 */
export function archlintShared(args: string[], cwd: string): Run {
  const key = JSON.stringify([cwd, args]);
  if (!shared.has(key)) shared.set(key, archlint(args, cwd));
  return shared.get(key)!;
}
