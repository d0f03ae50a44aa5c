import { BUILDER_NAME_STEM, resolveSettings, type ArchlintSettings } from "@archlint/core";
import { isNonRuntimePath } from "./flow/non-runtime.js";
import { FASTIFY_MENTION } from "./frameworks/fastify.js";
import { nextFileRole, USE_SERVER } from "./frameworks/next.js";
import { configuredBuilders, TERMINALS } from "./frameworks/trpc.js";
import { TTL_COMMANDS } from "./libraries/cache.js";
import { KYSELY_TERMINALS, KYSELY_TRANSACTION, PRISMA_RAW, PRISMA_READS, PRISMA_WRITES, RAW_FRAGMENT_METHODS, UNSAFE_STATEMENTS } from "./libraries/db.js";
import { EFFECT_PACKAGE } from "./libraries/effect.js";

/**
 * The CLI's pre-pass (issue #17): before a syntax-only run parses a code file, its text is asked
 * whether any enabled rule could report in it. Each condition is necessary, read off the rule's
 * recognisers and built from the word lists they use (imported here, never copied): a file for
 * which every condition fails provably has no finding of these rules. Typed runs are out of scope
 * (a typed recogniser knows a client by its type, whatever its name).
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
  builder: (text: string) => boolean;
  nonRuntime: (file: PrepassFile) => boolean;
}

const DB_OPERATIONS = wordsRegExp([...PRISMA_READS, ...PRISMA_WRITES, ...KYSELY_TERMINALS, ...Object.keys(PRISMA_RAW)]);
const TRPC_TERMINALS = wordsRegExp(TERMINALS);
const CACHE_WRITES = wordsRegExp(TTL_COMMANDS, "i");
const UNSAFE_RAW = wordsRegExp([...UNSAFE_STATEMENTS, ...RAW_FRAGMENT_METHODS]);
const EFFECT_IMPORT = new RegExp(`["'\`]${EFFECT_PACKAGE}(?:/|["'\`])`);

/** A tRPC procedure, a Fastify route or a Next.js route handler, API route or server action (frameworks/endpoint.ts). */
const endpoint: Condition = (file, w) =>
  (TRPC_TERMINALS.test(file.text) && w.builder(file.text)) ||
  FASTIFY_MENTION.test(file.text) ||
  nextFileRole(file.filename) !== null ||
  file.text.includes(USE_SERVER);
const db: Condition = (file, w) => w.db(file.text);
const effect: Condition = (file) => EFFECT_IMPORT.test(file.text);

/** Per code rule: whether it returns no visitors on non-runtime files, and its necessary condition. */
const CONDITIONS: Record<string, { runtimeOnly: boolean; may: Condition }> = {
  "cache-hot-reads": { runtimeOnly: true, may: endpoint },
  "cache-require-ttl": { runtimeOnly: true, may: (file) => CACHE_WRITES.test(file.text) },
  "db-no-query-in-loop": { runtimeOnly: true, may: db },
  "db-no-unsafe-raw": { runtimeOnly: true, may: (file) => UNSAFE_RAW.test(file.text) },
  "db-where-indexed": { runtimeOnly: true, may: db },
  "effect-no-throw": { runtimeOnly: true, may: effect },
  "effect-try-promise": { runtimeOnly: true, may: effect },
  "effect-yield-star": { runtimeOnly: false, may: effect },
  "fastify-require-schema": { runtimeOnly: false, may: endpoint },
  "trpc-require-input": { runtimeOnly: false, may: endpoint },
};

/** The rules (ids without `archlint/`) the pre-pass has a condition for. */
export const PREPASS_RULES: readonly string[] = Object.keys(CONDITIONS);

/**
 * A pre-pass for a set of enabled rules and `settings.archlint`, or null when some rule has no
 * condition (then every file is linted). The returned function says whether `file` may hold a
 * finding; false only when none of the rules can report in it.
 */
export function prepassFor(ruleIds: Iterable<string>, raw: ArchlintSettings | undefined): ((file: PrepassFile) => boolean) | null {
  const rules = [...ruleIds].map((id) => CONDITIONS[id.replace(/^archlint\//, "")]);
  if (rules.some((r) => r === undefined)) return null;
  const settings = resolveSettings(raw);
  // A receiver is a member path ending in a `dbClients` name, or a transaction callback's parameter.
  const clients = wordsRegExp([...settings.dbClients.map((c) => c.split(".").pop()!), KYSELY_TRANSACTION, "$transaction"]);
  const builders = [...configuredBuilders(raw ?? {})];
  const builderWords = builders.length > 0 ? wordsRegExp(builders) : null;
  const words: Words = {
    db: (text) => DB_OPERATIONS.test(text) && clients.test(text),
    builder: (text) => text.includes(BUILDER_NAME_STEM) || (builderWords?.test(text) ?? false),
    nonRuntime: (file) => isNonRuntimePath(file.cwd, file.filename, raw?.nonRuntime),
  };
  return (file) => {
    // A directive naming an archlint rule, or escaped identifiers the words cannot see.
    if (file.text.includes("archlint") || file.text.includes("\\u")) return true;
    let nonRuntime: boolean | undefined;
    for (const rule of rules) {
      if (rule!.runtimeOnly && (nonRuntime ??= words.nonRuntime(file))) continue;
      if (rule!.may(file, words)) return true;
    }
    return false;
  };
}
