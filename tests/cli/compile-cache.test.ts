import { spawnSync } from "node:child_process";
import fs from "node:fs";
import nodeModule from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, DEMO, assertBuilt, makeTmpDir } from "./helpers.js";

/**
 * On Node versions without `module.enableCompileCache`, the CLI keeps V8's code cache of
 * TypeScript's compiler in the user's cache folder (packages/cli/src/compile-cache.ts). A run from
 * the cache, and a run over a broken cache entry, print what a run without one prints.
 */

const hasNodeCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
const ARGS = ["check", "--no-type-check", "--format", "json", "src/server/routers/user.ts"];

function run(cacheHome: string | null): { status: number | null; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  if (cacheHome === null) env.NODE_DISABLE_COMPILE_CACHE = "1";
  else env.XDG_CACHE_HOME = cacheHome;
  const r = spawnSync(process.execPath, [BIN, ...ARGS], { cwd: DEMO, encoding: "utf8", env, timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout };
}

function entries(cacheHome: string): string[] {
  const dir = path.join(cacheHome, "archlint", "v8-code-cache");
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

describe.skipIf(hasNodeCache)("TypeScript's code cache (Node < 22.1)", () => {
  beforeAll(assertBuilt);

  it("writes one entry on the first run, reads it on the next, and replaces a broken one; the output never changes", () => {
    const cacheHome = makeTmpDir("compile-cache");
    const plain = run(null);
    expect([0, 1]).toContain(plain.status);
    expect(entries(cacheHome)).toEqual([]);

    expect(run(cacheHome)).toEqual(plain);
    const [entry, ...more] = entries(cacheHome);
    expect(more).toEqual([]);
    expect(fs.statSync(entry!).mode & 0o777).toBe(0o600);
    const written = fs.readFileSync(entry!);
    expect(written.length).toBeGreaterThan(100_000);

    // Read, not written again: the entry's bytes stay as they were.
    fs.utimesSync(entry!, new Date(0), new Date(0));
    expect(run(cacheHome)).toEqual(plain);
    expect(fs.statSync(entry!).mtimeMs).toBe(0);

    // V8 rejects an entry that is not its code cache; the run compiles as without one and writes a good entry.
    fs.writeFileSync(entry!, "not a code cache");
    expect(run(cacheHome)).toEqual(plain);
    expect(fs.readFileSync(entry!).length).toBeGreaterThan(100_000);
  });
});
