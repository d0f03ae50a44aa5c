import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { endsWithName, memberPath, type Context, type Node } from "../analysis/syntax/ast.js";
import { resolvedSettings } from "../analysis/project.js";
import { ENDPOINT_NODES, endpointOf, type Endpoint } from "../analysis/frameworks/endpoint.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedReads, findReachedReadsFrom, type ReachedRead } from "../analysis/flow/reach.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    hot: z
      .enum(["default", "all-reads", "configured"])
      .default("default")
      .describe('"default": public reads, `@hot` and configured handlers; "all-reads": every query / GET; "configured": only `@hot` and `hotPaths`.'),
    maxDepth: z.number().int().min(0).max(10).default(3).describe("How many calls deep to follow a handler into services and repositories."),
  })
  .strict();

type MessageIds = "uncachedRead";

/** A middleware named in `settings.archlint.cacheWrappers` (`.use(cacheMiddleware)`) caches the whole endpoint. */
function hasCachingMiddleware(context: Context, endpoint: Endpoint): boolean {
  const wrappers = resolvedSettings(context).cacheWrappers;
  return endpoint.middleware.some((mw) => {
    const path = memberPath(mw);
    return path !== null && endsWithName(path, wrappers);
  });
}

/** "`Post`", "`Post` and `User`", "`Post`, `User` and `Tag`". */
function listed(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "cache-hot-reads",
  meta: {
    type: "suggestion",
    docs: {
      description: "Require a cache in front of database reads on hot request paths",
      recommended: "recommended",
      strictOptions: { hot: "all-reads" },
      headline: "uncached-hot-queries",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      uncachedRead:
        "`{{handler}}` reads {{models}} on every request ({{path}}) with no cache in front; it is hot ({{reason}}), so each request costs a database round trip. Wrap the read in `cache.wrap(key, ttl, ...)` (or check the cache first), or mark the handler `/** @not-hot */`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    // One finding per node of the handler that leads to reads (the read, or the call into a
    // service), naming every read behind it: a service reading twice is one change to make.
    const report = (handler: string, reason: string, reads: ReachedRead[]): void => {
      const byNode = new Map<Node, ReachedRead[]>();
      for (const r of reads) byNode.set(r.reportNode, [...(byNode.get(r.reportNode) ?? []), r]);
      for (const [node, behind] of byNode) {
        const models = [...new Set(behind.map((r) => r.model ?? "the database"))];
        const paths = [...new Set(behind.map((r) => [handler, ...r.path, r.read].join(" -> ")))];
        context.report({
          node,
          messageId: "uncachedRead",
          data: { handler, models: listed(models.map((m) => (m === "the database" ? m : `\`${m}\``))), path: paths.join("; "), reason },
        });
      }
    };
    return {
      [ENDPOINT_NODES](node: Node) {
        const endpoint = endpointOf(context, node);
        if (!endpoint) return;
        const verdict = endpoint.hotness(options.hot);
        if (!verdict.hot || hasCachingMiddleware(context, endpoint)) return;
        if (endpoint.handler) report(endpoint.label, verdict.reason, findReachedReads(context, endpoint.handler, options.maxDepth));
        else if (endpoint.handlerArg && endpoint.handlerArg.type !== AST_NODE_TYPES.SpreadElement) {
          report(endpoint.label, verdict.reason, findReachedReadsFrom(context, endpoint.handlerArg, options.maxDepth));
        }
      },
    };
  },
});
