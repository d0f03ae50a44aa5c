import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { archlintSettings, endsWithName, memberPath, type Node } from "../analysis/syntax/ast.js";
import { DEFAULT_CACHE_WRAPPERS } from "../analysis/libraries/cache.js";
import { getFastifyRoute } from "../analysis/frameworks/fastify.js";
import { procedureHotness, routeHotness } from "../analysis/flow/hot-paths.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedReads, findReachedReadsFrom, type ReachedRead } from "../analysis/flow/reach.js";
import { getProcedure, localFunction, type Procedure } from "../analysis/frameworks/trpc.js";
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

/** A `.use(cacheMiddleware)` named in `settings.archlint.cacheWrappers` caches the whole procedure. */
function hasCachingMiddleware(context: Parameters<typeof archlintSettings>[0], procedure: Procedure): boolean {
  const wrappers = archlintSettings(context).cacheWrappers ?? DEFAULT_CACHE_WRAPPERS;
  return procedure.middlewares.some((mw) => {
    const arg = mw.args[0];
    const path = arg ? memberPath(arg as Node) : null;
    return path !== null && endsWithName(path, wrappers);
  });
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
        "`{{handler}}` reads `{{model}}` on every request ({{path}}) with no cache in front; it is hot ({{reason}}), so each request costs a database round trip. Wrap the read in `cache.wrap(key, ttl, ...)` (or check the cache first), or mark the handler `/** @not-hot */`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    const report = (handler: string, reason: string, reads: ReachedRead[]): void => {
      const reported = new Set<Node>();
      for (const r of reads) {
        if (reported.has(r.reportNode)) continue;
        reported.add(r.reportNode);
        context.report({
          node: r.reportNode,
          messageId: "uncachedRead",
          data: { handler, model: r.model ?? "the database", path: [handler, ...r.path, r.read].join(" -> "), reason },
        });
      }
    };
    return {
      CallExpression(node) {
        const procedure = getProcedure(context, node);
        if (procedure) {
          const verdict = procedureHotness(context, procedure, options.hot);
          if (!verdict.hot || hasCachingMiddleware(context, procedure)) return;
          const label = procedure.path ?? `${procedure.builder.name}.${procedure.kind}()`;
          const resolver = localFunction(context, procedure.resolverArg);
          if (resolver) report(label, verdict.reason, findReachedReads(context, resolver, options.maxDepth));
          else if (procedure.resolverArg && procedure.resolverArg.type !== AST_NODE_TYPES.SpreadElement) {
            report(label, verdict.reason, findReachedReadsFrom(context, procedure.resolverArg, options.maxDepth));
          }
          return;
        }
        const route = getFastifyRoute(context, node);
        if (!route) return;
        const verdict = routeHotness(context, route, options.hot);
        if (!verdict.hot) return;
        if (route.handler) report(route.label, verdict.reason, findReachedReads(context, route.handler, options.maxDepth));
        else if (route.handlerArg) report(route.label, verdict.reason, findReachedReadsFrom(context, route.handlerArg, options.maxDepth));
      },
    };
  },
});
