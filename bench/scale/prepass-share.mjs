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
 *   node bench/scale/prepass-share.mjs --verify <archlint-check.json> <repo>
 *
 * `--verify` reads the JSON of `archlint check --no-type-check --format json` run in the repo and
 * prints every finding whose file the conditions would have skipped for its rule (a condition
 * that is not necessary): a first check, not the proof.
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
/**
 * An endpoint (frameworks/endpoint.ts) is a tRPC procedure or a Fastify route. A procedure is a
 * `.query` / `.mutation` / `.subscription` call on a builder: `<tRPC instance>.procedure`, or a
 * name matching core's BUILDER_NAME (`/(?:^p|P)rocedure$/`) or listed in `procedures` (a project's
 * setting adds its names), through local chains. Without types a Fastify instance comes from the
 * "fastify" factory, a `FastifyInstance` annotation, a `FastifyPlugin*` type, `fastify-plugin`, or
 * `register` on one of those: each has "fastify" in the file's text.
 */
const TERMINAL = words(["query", "mutation", "subscription"]);
/**
 * Next.js (frameworks/next.ts): a `route.*` file's exports, a `pages/api/` file's default export,
 * and server actions (the `"use server"` directive, in the file or a function body).
 */
const NEXT = (t, file) => /(?:^|\/)route\.[cm]?[jt]sx?$/.test(file) || /\/pages\/api\//.test(file) || /use server/.test(t);
const ENDPOINT = (t, file) => (TERMINAL.test(t) && /rocedure/.test(t)) || /fastify/i.test(t) || NEXT(t, file);
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
/**
 * Without types, a database call's receiver is a member path ending in a `dbClients` name (core's
 * defaults: prisma, db, ctx.db, ctx.prisma, tx; a project's own setting adds its names) or the
 * parameter of a `$transaction` / Kysely `transaction().execute` callback.
 */
const DB_CLIENT = words(["prisma", "db", "tx", "transaction", "\\$transaction"]);
const DB = (t) => (DB_OPS.test(t) || /Raw|\$transaction/.test(t)) && DB_CLIENT.test(t);
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

if (process.argv[2] === "--verify") {
  const [, , , json, name] = process.argv;
  const top = path.join(repos, name);
  const results = JSON.parse(fs.readFileSync(json, "utf8"));
  let findings = 0;
  const missed = [];
  for (const r of results) {
    const text = fs.readFileSync(r.filePath, "utf8");
    const rel = path
      .relative(packageRoot(path.dirname(r.filePath), top), r.filePath)
      .split(path.sep)
      .join("/");
    const runtimeFile = !nonRuntimeGlobs.some((g) => g.match(rel));
    for (const m of r.messages) {
      const id = m.ruleId?.replace(/^archlint\//, "");
      if (!id) continue;
      findings++;
      const rule = RULES[id];
      if (!rule) continue;
      if (/archlint|\\u/.test(text)) continue;
      if ((rule.runtime && !runtimeFile) || !rule.may(text, r.filePath)) missed.push(`${path.relative(top, r.filePath)}:${m.line} ${id}`);
    }
  }
  console.log(`${name}: ${findings} findings, ${missed.length} in files the conditions skip${missed.length ? ":\n  " + missed.join("\n  ") : ""}`);
  process.exit(missed.length ? 1 : 0);
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
      if ((rule.runtime && !runtimeFile) || !rule.may(text, file)) continue;
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
