import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { functionName, modelKey, owningFunction, projectCacheFacts, type CachedRead } from "../analysis/flow/cached-models.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedCalls, type CallQuestion } from "../analysis/flow/reach.js";
import { isCacheInvalidation } from "../analysis/libraries/cache.js";
import { getDbCall, PRISMA_READS, type DbCall } from "../analysis/libraries/db.js";
import { possibleKeys, type Context } from "../analysis/syntax/ast.js";
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
    maxDepth: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(3)
      .describe("How many calls deep to follow the writing function into the helpers that may invalidate for it."),
  })
  .strict();

type MessageIds = "writeWithoutInvalidation";

/** Single-row lookups: a new row does not change what they cached (a list, a count or an aggregate it does). */
const SINGLE_ROW_READS = new Set([...PRISMA_READS].filter((op) => op.startsWith("findUnique") || op.startsWith("findFirst")));
const CREATES = new Set(["create", "createMany", "createManyAndReturn", "insertInto"]);

/**
 * The fields a Prisma update sets (`data`, an upsert's `update` and `create`), or null when every
 * field may change: a delete, SQL, or data the file cannot read.
 */
function changedFields(context: Context, db: DbCall): string[] | null {
  const arg = db.call.arguments[0];
  if (db.library !== "prisma" || !arg || arg.type === AST_NODE_TYPES.SpreadElement || db.operation.startsWith("delete")) return null;
  const parts = db.operation === "upsert" ? ["update", "create"] : ["data"];
  const fields: string[] = [];
  for (const part of parts) {
    const keys = possibleKeys(context, arg, part);
    if (keys === null) return null;
    fields.push(...keys);
  }
  return fields;
}

/** Does the write leave the cached value as it was: it sets none of the fields the cache depends on? */
function leavesCacheAlone(written: string[] | null, read: CachedRead): boolean {
  return written !== null && read.fields !== null && !written.some((f) => read.fields!.includes(f));
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
        "`{{write}}` changes `{{model}}`, whose reads are cached ({{where}}), and {{owner}} neither deletes nor overwrites a cache key nor revalidates: readers get the old data until the cache expires. Invalidate after the write (`redis.del(key)`, `revalidateTag(tag)`), or name the helper that does in `invalidationHelpers`.",
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
        const written = created ? null : changedFields(context, db);
        // Cached reads that outlive the budget and that this write makes stale.
        const facts = projectCacheFacts(context, question);
        const stale = (facts.reads.get(modelKey(db.model)) ?? []).filter(
          (r) => (r.ttl === null || r.ttl > options.stalenessBudget) && !(created && SINGLE_ROW_READS.has(r.operation)) && !leavesCacheAlone(written, r),
        );
        if (stale.length === 0) return;
        const owner = owningFunction(context, node);
        if (!owner || findReachedCalls(context, owner, options.maxDepth, question).length > 0) return;
        // A repository function whose caller invalidates after calling it (`await save(x); updateTag(t)`).
        const ownerName = functionName(owner);
        if (ownerName !== null && facts.calledBeforeInvalidation.has(ownerName)) return;
        const shown = stale.slice(0, 2).map((r) => describeCache(r));
        const where = stale.length > 2 ? `${shown.join("; ")}; and ${stale.length - 2} more` : shown.join("; ");
        const model = db.library === "prisma" ? db.model.charAt(0).toUpperCase() + db.model.slice(1) : db.model;
        context.report({
          node,
          messageId: "writeWithoutInvalidation",
          data: {
            write: `${db.client}.${db.library === "prisma" ? `${db.model}.` : ""}${db.operation}`,
            model,
            where,
            owner: ownerName === null ? "the function that writes" : `\`${ownerName}\``,
          },
        });
      },
    };
  },
});
