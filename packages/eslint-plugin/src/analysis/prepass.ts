import fs from "node:fs";
import path from "node:path";
import { BUILDER_NAME_STEM, resolveSettings, type ArchlintSettings } from "@archlint/core";
import { isNonRuntimePath } from "./flow/non-runtime.js";
import { FASTIFY_MENTION, SHORTHAND_METHODS } from "./frameworks/fastify.js";
import { nextFileRole, USE_SERVER } from "./frameworks/next.js";
import { configuredBuilders, TERMINALS } from "./frameworks/trpc.js";
import { REDIS_MODULES, REDIS_NAME, TTL_COMMANDS } from "./libraries/cache.js";
import {
  KYSELY_TERMINALS,
  KYSELY_TRANSACTION,
  PRISMA_RAW,
  PRISMA_READS,
  PRISMA_WRITES,
  RAW_FRAGMENT_METHODS,
  RAW_FRAGMENT_RECEIVERS,
  UNSAFE_STATEMENTS,
} from "./libraries/db.js";
import { EFFECT_PACKAGE } from "./libraries/effect.js";
import { EFFECT_MODULE_FILE } from "./libraries/effect-types.js";

/**
 * The CLI's pre-pass (issue #17): before a syntax-only run parses a code file, its text is asked
 * whether any enabled rule could report in it. Each condition is necessary, read off the rule's
 * recognisers and built from the word lists they use (imported here, never copied): a file for
 * which every condition fails provably has no finding of these rules. Rule options only narrow
 * what a rule reports (safe functions, ignored models, validators, hotness among endpoints), so the
 * conditions hold for any options; settings that widen a recogniser (`dbClients`, `procedures`,
 * `nonRuntime`) are read. Typed runs widen the conditions where a typed recogniser knows a thing by
 * its type, whatever its name (see PrepassOptions).
 */
export interface PrepassFile {
  /** ESLint's working directory (where non-runtime globs are matched). */
  cwd: string;
  filename: string;
  text: string;
}

type Condition = (file: PrepassFile, words: Words) => boolean;

/** An identifier or property name as a whole word (not inside a longer identifier). */
function wordsRegExp(list: Iterable<string>, flags = ""): RegExp {
  const alternatives = [...list].map((w) => w.replace(/[$.*+?^()[\]{}|\\]/g, "\\$&"));
  return new RegExp(`(?<![\\w$])(?:${alternatives.join("|")})(?![\\w$])`, flags);
}

interface Words {
  db: (text: string) => boolean;
  /** A Redis client: a `cacheClients` name, a Redis module or a Redis-like constructor, type or factory name; (typed) any receiver shaped like one. */
  cacheClient: (text: string) => boolean;
  /** A Fastify route: the word "fastify", or (typed, Fastify installed) any route method call on a value typed as an instance. */
  fastify: (text: string) => boolean;
  /** An Effect: an import from "effect", or (typed, Effect installed) anything, since an Effect value may come from any import. */
  effect: (text: string) => boolean;
  builder: (text: string) => boolean;
  nonRuntime: (file: PrepassFile) => boolean;
}

const DB_OPERATIONS = wordsRegExp([...PRISMA_READS, ...PRISMA_WRITES, ...KYSELY_TERMINALS, ...Object.keys(PRISMA_RAW)]);
const TRPC_TERMINALS = wordsRegExp(TERMINALS);
const CACHE_WRITES = wordsRegExp(TTL_COMMANDS, "i");
const UNSAFE_STATEMENT = wordsRegExp(UNSAFE_STATEMENTS);
const RAW_FRAGMENT = wordsRegExp(RAW_FRAGMENT_METHODS);
/** A fragment's receiver is imported under its library's name (`import { sql as s }` still names `sql`). */
const RAW_RECEIVER = wordsRegExp(Object.values(RAW_FRAGMENT_RECEIVERS));
const EFFECT_IMPORT = new RegExp(`["'\`]${EFFECT_PACKAGE}(?:/|["'\`])`);
const REDIS_MODULE_NAMES = Object.keys(REDIS_MODULES);
/**
 * A module specifier (`from "@prisma/client"`, `import("./db")`, `require("kv")`): a string, never
 * a receiver, so a client name in it (`prisma` of `@prisma/client`) names no client. Whatever the
 * match starts in, a name it removes is followed by specifier characters up to a quote, never by
 * the `(`, `[`, `?` or `!` of a call on it: a client of a call stays.
 */
const SPECIFIER = /(?<![\w$])(?:from|import|require)\s*\(?\s*(["'])[\w@/.~:-]*\1/g;
const withoutSpecifiers = (text: string): string => text.replace(SPECIFIER, "");
const ROUTE_METHODS = wordsRegExp(["route", ...SHORTHAND_METHODS]);

/** A tRPC procedure, a Fastify route or a Next.js route handler, API route or server action (frameworks/endpoint.ts). */
const endpoint: Condition = (file, w) =>
  (TRPC_TERMINALS.test(file.text) && w.builder(file.text)) || w.fastify(file.text) || nextFileRole(file.filename) !== null || file.text.includes(USE_SERVER);
const db: Condition = (file, w) => w.db(file.text);
const effect: Condition = (file, w) => w.effect(file.text);

/** Per code rule: whether it returns no visitors on non-runtime files, and its necessary condition. */
const CONDITIONS: Record<string, { runtimeOnly: boolean; may: Condition }> = {
  "cache-hot-reads": { runtimeOnly: true, may: endpoint },
  "cache-require-ttl": { runtimeOnly: true, may: (file, w) => CACHE_WRITES.test(file.text) && w.cacheClient(file.text) },
  "db-no-query-in-loop": { runtimeOnly: true, may: db },
  "db-no-unsafe-raw": { runtimeOnly: true, may: (file) => UNSAFE_STATEMENT.test(file.text) || (RAW_FRAGMENT.test(file.text) && RAW_RECEIVER.test(file.text)) },
  "db-where-indexed": { runtimeOnly: true, may: db },
  "effect-no-escaping-errors": { runtimeOnly: true, may: effect },
  "effect-no-floating": { runtimeOnly: false, may: effect },
  "effect-no-throw": { runtimeOnly: true, may: effect },
  "effect-try-promise": { runtimeOnly: true, may: effect },
  "effect-yield-star": { runtimeOnly: false, may: effect },
  "fastify-require-schema": { runtimeOnly: false, may: endpoint },
  "trpc-require-input": { runtimeOnly: false, may: endpoint },
};

/** The rules (ids without `archlint/`) the pre-pass has a condition for. */
export const PREPASS_RULES: readonly string[] = Object.keys(CONDITIONS);

/** Packages whose types a typed recogniser knows by shape or declaration file, whatever the names in the text. */
export type TypedPackage = "effect" | "fastify";

export interface PrepassOptions {
  /**
   * A run with type information. Then a database client is known by its type (any receiver of a
   * Prisma or Kysely operation), a Fastify instance by its shape, and an Effect value by its type
   * wherever it comes from; the two typed Effect rules report nothing in a program without Effect.
   */
  typed?: boolean;
  /** Whether a package's types can be in the program at all (see packageInstalled); typed runs only. Default: yes. */
  installed?: (pkg: TypedPackage) => boolean;
}

/**
 * A pre-pass for a set of enabled rules and `settings.archlint`, or null when some rule has no
 * condition (then every file is linted). The returned function says whether `file` may hold a
 * finding; false only when none of the rules can report in it.
 */
export function prepassFor(
  ruleIds: Iterable<string>,
  raw: ArchlintSettings | undefined,
  options: PrepassOptions = {},
): ((file: PrepassFile) => boolean) | null {
  const rules = [...ruleIds].map((id) => CONDITIONS[id.replace(/^archlint\//, "")]);
  if (rules.some((r) => r === undefined)) return null;
  const settings = resolveSettings(raw);
  // A receiver is a member path ending in a `dbClients` name, or a transaction callback's parameter.
  const clients = wordsRegExp([...settings.dbClients.map((c) => c.split(".").pop()!), KYSELY_TRANSACTION, "$transaction"]);
  const cacheClients = wordsRegExp(settings.cacheClients.map((c) => c.split(".").pop()!));
  const builders = [...configuredBuilders(raw ?? {})];
  const builderWords = builders.length > 0 ? wordsRegExp(builders) : null;
  const typed = options.typed === true;
  const typedFastify = typed && (options.installed?.("fastify") ?? true);
  const typedEffect = typed && (options.installed?.("effect") ?? true);
  const words: Words = {
    db: (text) => DB_OPERATIONS.test(text) && (typed || clients.test(withoutSpecifiers(text))),
    cacheClient: (text) => typed || REDIS_NAME.test(text) || REDIS_MODULE_NAMES.some((m) => text.includes(m)) || cacheClients.test(withoutSpecifiers(text)),
    fastify: (text) => FASTIFY_MENTION.test(text) || (typedFastify && ROUTE_METHODS.test(text)),
    effect: (text) => typedEffect || EFFECT_IMPORT.test(text),
    builder: (text) => text.includes(BUILDER_NAME_STEM) || (builderWords?.test(text) ?? false),
    nonRuntime: (file) => isNonRuntimePath(file.cwd, file.filename, raw?.nonRuntime),
  };
  const may = (file: PrepassFile): boolean => {
    // A directive naming an archlint rule.
    if (file.text.includes("archlint")) return true;
    let nonRuntime: boolean | undefined;
    for (const rule of rules) {
      if (rule!.runtimeOnly && (nonRuntime ??= words.nonRuntime(file))) continue;
      if (rule!.may(file, words)) return true;
    }
    return false;
  };
  // Escapes (`\u0070risma`, `x["find\x4dany"]`) name what the words cannot see: the text is asked again with them decoded.
  return (file) => may(file) || (ESCAPE.test(file.text) && may({ ...file, text: unescaped(file.text) }));
}

const ESCAPE = /\\[ux]/;

/** `text` with its `\uXXXX`, `\u{X...}` and `\xXX` escapes replaced by the characters they stand for. */
function unescaped(text: string): string {
  return text.replace(/\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (escape, braced?: string, four?: string, two?: string) => {
    const code = parseInt(braced ?? four ?? two!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
  });
}

/** Folders named like an installed copy of `pkg`: its own, a scope's (`@effect/...`), pnpm's store entry. */
const INSTALLED_NAMES: Record<TypedPackage, (name: string) => boolean> = {
  effect: (name) => name === "effect" || name === "@effect" || name.startsWith("effect@") || name.startsWith("@effect+"),
  fastify: (name) => name === "fastify" || name.startsWith("fastify@"),
};

/**
 * Whether `pkg`'s types can reach a typed run of `files` (under `root`): a copy of it in a
 * node_modules folder of the files' folders or above (directly, in pnpm's `.pnpm` store, or nested
 * one package deep as npm does), or for Effect a project file named like its module (`Effect.ts`,
 * which the typed Effect recognisers accept as Effect's own). Yarn Plug'n'Play keeps packages in
 * archives: then it says yes.
 */
export function packageInstalled(root: string, files: readonly string[], pkg: TypedPackage): boolean {
  const named = INSTALLED_NAMES[pkg];
  if (pkg === "effect" && files.some((f) => EFFECT_MODULE_FILE.test(f))) return true;
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.dirname(file); !folders.has(dir); dir = path.dirname(dir)) {
      folders.add(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  const holds = (modules: string, depth: number): boolean => {
    let entries: string[];
    try {
      entries = fs.readdirSync(modules);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return false;
      throw error;
    }
    if (entries.some(named)) return true;
    if (entries.includes(".pnpm") && fs.readdirSync(path.join(modules, ".pnpm")).some(named)) return true;
    if (depth > 0) return false;
    const packages = entries.flatMap((e) =>
      e.startsWith("@") ? (fs.statSync(path.join(modules, e)).isDirectory() ? fs.readdirSync(path.join(modules, e)).map((p) => `${e}/${p}`) : []) : [e],
    );
    return packages.some((p) => holds(path.join(modules, p, "node_modules"), depth + 1));
  };
  return (
    [...folders].some((dir) => fs.existsSync(path.join(dir, ".pnp.cjs")) || holds(path.join(dir, "node_modules"), 0)) ||
    fs.existsSync(path.join(root, ".pnp.cjs"))
  );
}
