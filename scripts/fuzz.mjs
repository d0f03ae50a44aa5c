#!/usr/bin/env node
/**
 * `pnpm fuzz -- --count N [--seed S]`: the no-crash suite (tests/no-crash) with N mutated variants
 * of every fixture file, for every language archlint lints (TypeScript and JavaScript, Prisma,
 * SQL), hostile mutations included (deep nesting, BOMs, lone CR, NUL bytes, truncation, lines of
 * hundreds of kilobytes). Prints the suite's summary: variants linted per kind, crashes, and hangs
 * (a variant that takes over 30 s). CI runs the seeded default (a few hundred variants); a different
 * `--seed` draws other variants of the same files. Exits non-zero on any crash or hang.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { count: { type: "string", default: "200" }, seed: { type: "string", default: "" } }, allowPositionals: true });
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) {
  console.error(`fuzz: --count must be a positive integer, not "${values.count}"`);
  process.exit(2);
}
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const r = spawnSync(process.execPath, [vitest, "run", "tests/no-crash", "--testTimeout=0", "--reporter=dot"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ARCHLINT_NO_CRASH_VARIANTS: String(count), ARCHLINT_NO_CRASH_SEED: values.seed },
});
process.exit(r.status ?? 1);
