import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { propertyName, unwrap, type Node } from "../analysis/syntax/ast.js";
import {
  expiresInOtherBranch,
  expiresInSameFunction,
  isCompletionMarker,
  isDeletedInModule,
  managesKeysInLua,
  isPerEntityKey,
  redisClient,
  setOptionsExpiry,
  staticKeyPrefix,
  TTL_COMMANDS,
  type RedisFlavour,
} from "../analysis/libraries/cache.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    persistentKeyPrefixes: z
      .array(z.string().min(1))
      .default([])
      .describe("Keys that are meant to live until deleted (queues, counters, feature flags), by the start of the key."),
  })
  .strict();

type MessageIds = "setWithoutTtl" | "collectionWithoutTtl" | "msetWithoutTtl";

/** The fix in the client's own syntax. */
function setFix(receiver: string, flavour: RedisFlavour | null): string {
  if (flavour === "ioredis") return `\`${receiver}.set(key, value, "EX", seconds)\``;
  if (flavour === "upstash") return `\`${receiver}.set(key, value, { ex: seconds })\``;
  if (flavour === "node-redis") return `\`${receiver}.set(key, value, { EX: seconds })\``;
  return `\`${receiver}.set(key, value, "EX", seconds)\` (ioredis) or \`${receiver}.set(key, value, { ex: seconds })\` (Upstash)`;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "cache-require-ttl",
  meta: {
    type: "problem",
    docs: {
      description: "Require an expiry on keys written to Redis (ioredis, node-redis, Upstash)",
      recommended: "recommended",
      headline: "uncached-hot-queries",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      setWithoutTtl:
        "`{{call}}` stores {{key}} with no expiry: the key stays in Redis until something deletes it, so stale values are served forever and memory grows until eviction. Add a TTL: {{fix}}.",
      collectionWithoutTtl:
        "`{{call}}` writes {{key}}, and nothing in this function gives that key an expiry: it stays in Redis until deleted, so memory grows and stale entries are served. Call `{{receiver}}.expire(key, seconds)` on the same key after it (in the same `multi()` to make it atomic).",
      msetWithoutTtl:
        '`{{call}}` cannot give its keys an expiry (MSET has no TTL option): they stay in Redis until deleted. Write each key with `set(key, value, "EX", seconds)` in one `{{receiver}}.multi()`, or `expire` each key after it.',
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const { persistentKeyPrefixes } = parseOptions(optionsSchema, rawOptions);
    const text = (n: Node): string => context.sourceCode.getText(n).replace(/\s+/g, " ");
    /** A key as the message shows it: in backticks unless it is a template literal (which has its own). */
    const shown = (n: Node): string => {
      const t = text(n);
      const short = t.length > 60 ? `${t.slice(0, 57)}...` : t;
      return t.startsWith("`") ? short : `\`${short}\``;
    };
    const persistent = (key: Node): boolean => {
      const prefix = staticKeyPrefix(context, key);
      return prefix !== null && persistentKeyPrefixes.some((p) => prefix.startsWith(p));
    };

    return {
      CallExpression(node) {
        const callee = unwrap(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const command = propertyName(callee)?.toLowerCase();
        if (command === undefined || !TTL_COMMANDS.has(command)) return;
        const key = node.arguments[0];
        if (!key || key.type === AST_NODE_TYPES.SpreadElement) return;
        // cache-manager's `mset([[key, value]], ttl)` is not Redis's MSET.
        if (command === "mset" && unwrap(key).type === AST_NODE_TYPES.ArrayExpression) return;
        if (command !== "mset" && persistent(key)) return;
        if (command === "set" && (node.arguments.length < 2 || setOptionsExpiry(context, node.arguments.slice(2)) !== "none")) return;
        // A fixed key (one heartbeat, cursor or flag) cannot pile up; a per-entity key can.
        if (command !== "mset" && (!isPerEntityKey(context, key) || expiresInSameFunction(context, node, key))) return;
        // A value stored with its own invalidation (the key is deleted in this module), a wrapper whose
        // caller chose no TTL, or a one-time completion marker that must outlive any TTL. A collection (hash, set, list) still grows between deletes of the whole key.
        if (command === "set" && (isDeletedInModule(context, key) || expiresInOtherBranch(context, node, key) || isCompletionMarker(context, key))) return;
        // Keys the module's Lua scripts delete or expire, which the rule cannot read.
        if (managesKeysInLua(context)) return;
        const client = redisClient(context, callee.object);
        if (!client) return;
        const receiver = text(callee.object);
        const call = `${receiver}.${propertyName(callee)}`;
        if (command === "set") {
          context.report({ node, messageId: "setWithoutTtl", data: { call, key: shown(key), fix: setFix(receiver, client.flavour) } });
        } else if (command === "mset") {
          context.report({ node, messageId: "msetWithoutTtl", data: { call, receiver } });
        } else {
          context.report({ node, messageId: "collectionWithoutTtl", data: { call, key: shown(key), receiver } });
        }
      },
    };
  },
});
