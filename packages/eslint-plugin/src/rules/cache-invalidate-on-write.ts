import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { endpointOfHandler } from "../analysis/frameworks/endpoint.js";
import { modelKey, projectCachedReads, type CachedRead } from "../analysis/flow/cached-models.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedCalls, type CallQuestion } from "../analysis/flow/reach.js";
import { isCacheInvalidation } from "../analysis/libraries/cache.js";
import { getDbCall, PRISMA_READS } from "../analysis/libraries/db.js";
import { isFunction, memberPath, type Context, type Node } from "../analysis/syntax/ast.js";
import type { FunctionNode } from "../analysis/syntax/functions.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    stalenessBudget: z
      .number()
      .min(0)
      .default(60)
      .describe("Seconds of staleness that are acceptable: a cached read whose TTL is at or under this many seconds needs no invalidation."),
    invalidationHelpers: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "The project's own functions that invalidate a cache (`invalidatePostCache`, `cacheService.evict`), by name or dotted path, besides those named `invalidate*`, `revalidate*`, `bust*`, `purge*`, `evict*`.",
      ),
    maxDepth: z.number().int().min(0).max(10).default(3).describe("How many calls deep to follow the writing function into the helpers that may invalidate for it."),
  })
  .strict();

type MessageIds = "writeWithoutInvalidation";

/** Single-row lookups: a new row does not change what they cached (a list, a count or an aggregate it does). */
const SINGLE_ROW_READS = new Set([...PRISMA_READS].filter((op) => op.startsWith("findUnique") || op.startsWith("findFirst")));
const CREATES = new Set(["create", "createMany", "createManyAndReturn", "insertInto"]);

/**
 * The function that owns a write: its nearest function, or the one around a callback it is
 * written in (`$transaction(async (tx) => ...)`, `Effect.gen`, `.map`), up to a request handler,
 * which is its own.
 */
function owningFunction(context: Context, node: Node): FunctionNode | null {
  let owner: FunctionNode | null = null;
  for (let p: Node | undefined = node.parent; p; p = p.parent) {
    if (!isFunction(p)) continue;
    owner = p;
    const isCallback = p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.arguments.includes(p as never);
    if (!isCallback || endpointOfHandler(context, p)) break;
  }
  return owner;
}

function describeCache(read: CachedRead): string {
  const by = read.by.startsWith("a ") || read.by.includes("`") ? read.by : `\`${read.by}\``;
  return `${by} at ${read.shownFile}:${read.line}${read.ttl === null ? "" : `, TTL ${read.ttl} s`}`;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "cache-invalidate-on-write",
  meta: {
    type: "problem",
    docs: {
      description: "Require a cache invalidation where a model whose reads are cached is written",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      writeWithoutInvalidation:
        "`{{write}}` changes `{{model}}`, whose reads are cached ({{where}}), and `{{owner}}` neither deletes nor overwrites a cache key nor revalidates: readers get the old data until the cache expires. Invalidate after the write (`redis.del(key)`, `revalidateTag(tag)`), or name the helper that does in `invalidationHelpers`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    const question: CallQuestion = {
      key: `invalidation:${options.invalidationHelpers.join(",")}`,
      matches: (ctx, call) => isCacheInvalidation(ctx, call, options.invalidationHelpers),
    };
    return {
      CallExpression(node) {
        const db = getDbCall(context, node);
        if (db?.kind !== "write" || db.model === null || db.raw) return;
        const created = CREATES.has(db.operation);
        // Cached reads that outlive the budget and that this write makes stale.
        const stale = (projectCachedReads(context).get(modelKey(db.model)) ?? []).filter(
          (r) => (r.ttl === null || r.ttl > options.stalenessBudget) && !(created && SINGLE_ROW_READS.has(r.operation)),
        );
        if (stale.length === 0) return;
        const owner = owningFunction(context, node);
        if (!owner || findReachedCalls(context, owner, options.maxDepth, question).length > 0) return;
        const shown = stale.slice(0, 2).map((r) => describeCache(r));
        const where = stale.length > 2 ? `${shown.join("; ")}; and ${stale.length - 2} more` : shown.join("; ");
        const model = db.library === "prisma" ? db.model.charAt(0).toUpperCase() + db.model.slice(1) : db.model;
        const ownerName =
          owner.type !== AST_NODE_TYPES.ArrowFunctionExpression && owner.id
            ? owner.id.name
            : owner.parent?.type === AST_NODE_TYPES.VariableDeclarator && owner.parent.id.type === AST_NODE_TYPES.Identifier
              ? owner.parent.id.name
              : owner.parent?.type === AST_NODE_TYPES.MethodDefinition || owner.parent?.type === AST_NODE_TYPES.Property
                ? (memberPath(owner.parent.key) ?? "the function")
                : "the function";
        context.report({
          node,
          messageId: "writeWithoutInvalidation",
          data: { write: `${db.client}.${db.library === "prisma" ? `${db.model}.` : ""}${db.operation}`, model, where, owner: ownerName },
        });
      },
    };
  },
});
