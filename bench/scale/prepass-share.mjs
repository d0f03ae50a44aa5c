/**
 * Issue #17 goal 3, a measurement, not the pre-pass: on each review repository
 * (bench/precision/.repos), the share of code files that a syntax-only pre-pass could skip, if
 * each of `recommended`'s code rules is given the necessary condition read off its recognisers
 * below (a rule that returns no visitors on non-runtime files, plus words without which its
 * recogniser cannot match), and which rules keep the files that stay. The conditions are derived
 * by reading the recognisers and are NOT yet checked by an identity test (findings with and
 * without the pre-pass): that test comes with the pre-pass itself.
 *
 *   node bench/scale/prepass-share.mjs [repo ...]     (default: inbox-zero documenso openpanel papermark)
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = path.dirname(fileURLToPath(import.meta.url));
const repos = path.resolve(here, "../precision/.repos");
// The plugin's own minimatch, as isNonRuntimeFile matches with it.
const { Minimatch } = createRequire(path.resolve(here, "../../packages/eslint-plugin/package.json"))("minimatch");
const { DEFAULT_NON_RUNTIME } = await import(path.resolve(here, "../../packages/core/dist/index.js"));
const nonRuntimeGlobs = DEFAULT_NON_RUNTIME.map((g) => new Minimatch(g, { dot: true }));
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "build", ".next", ".turbo", "coverage", "out"]);
const CODE = /\.(?:[cm]?[jt]sx?)$/;

/** A word as a JS identifier or property name: not inside a longer identifier. */
const words = (list) => new RegExp(`(?<![\\w$])(?:${list.map((w) => w.replace(/\$/g, "\\$")).join("|")})(?![\\w$])`);
const ENDPOINT = (t) => words(["query", "mutation", "subscription"]).test(t) || /fastify/i.test(t);
const DB_OPS = words([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "execute",
  "executeTakeFirst",
  "executeTakeFirstOrThrow",
  "stream",
]);
const DB = (t) => DB_OPS.test(t) || /Raw|\$transaction/.test(t);
const EFFECT = (t) => /["'`]effect(?:\/|["'`])/.test(t);
/** Per rule: does it skip non-runtime files, and the words without which it cannot report. */
const RULES = {
  "cache-hot-reads": { runtime: true, may: ENDPOINT },
  "cache-require-ttl": { runtime: true, may: (t) => /(?<![\w$])(?:set|mset|hset|hmset|hsetnx|sadd|lpush|rpush|zadd|setnx)(?![\w$])/i.test(t) },
  "db-no-query-in-loop": { runtime: true, may: DB },
  "db-no-unsafe-raw": { runtime: true, may: (t) => /Unsafe/.test(t) || words(["raw", "lit"]).test(t) },
  "db-where-indexed": { runtime: true, may: DB },
  "effect-no-throw": { runtime: true, may: EFFECT },
  "effect-try-promise": { runtime: true, may: EFFECT },
  "effect-yield-star": { runtime: false, may: EFFECT },
  "fastify-require-schema": { runtime: false, may: ENDPOINT },
  "trpc-require-input": { runtime: false, may: ENDPOINT },
};

function* codeFiles(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) yield* codeFiles(path.join(dir, e.name));
    } else if (e.isFile() && CODE.test(e.name) && !e.name.endsWith(".d.ts")) yield path.join(dir, e.name);
  }
}

/** The nearest package.json folder (as isNonRuntimeFile matches core's defaults inside the file's package). */
const pkgRoots = new Map();
function packageRoot(dir, top) {
  if (pkgRoots.has(dir)) return pkgRoots.get(dir);
  const r = fs.existsSync(path.join(dir, "package.json")) || dir === top ? dir : packageRoot(path.dirname(dir), top);
  pkgRoots.set(dir, r);
  return r;
}

for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ["inbox-zero", "documenso", "openpanel", "papermark"]) {
  const top = path.join(repos, name);
  if (!fs.existsSync(top)) {
    console.log(`${name}: not extracted (bench/precision/.repos)`);
    continue;
  }
  let files = 0;
  let kept = 0;
  let nonRuntime = 0;
  const keptBy = Object.fromEntries(Object.keys(RULES).map((r) => [r, 0]));
  for (const file of codeFiles(top)) {
    files++;
    const text = fs.readFileSync(file, "utf8");
    const rel = path
      .relative(packageRoot(path.dirname(file), top), file)
      .split(path.sep)
      .join("/");
    const runtimeFile = !nonRuntimeGlobs.some((g) => g.match(rel));
    if (!runtimeFile) nonRuntime++;
    // A directive naming an archlint rule, or escaped identifiers the words cannot see: always linted.
    let keep = /archlint|\\u/.test(text);
    for (const [id, rule] of Object.entries(RULES)) {
      if ((rule.runtime && !runtimeFile) || !rule.may(text)) continue;
      keptBy[id]++;
      keep = true;
    }
    if (keep) kept++;
  }
  const pct = (n) => `${((n / files) * 100).toFixed(0)}%`;
  console.log(
    `${name}: ${files} code files, ${files - kept} skippable (${pct(files - kept)}), ${nonRuntime} non-runtime; kept by: ` +
      Object.entries(keptBy)
        .sort((a, b) => b[1] - a[1])
        .map(([id, n]) => `${id} ${pct(n)}`)
        .join(", "),
  );
}
