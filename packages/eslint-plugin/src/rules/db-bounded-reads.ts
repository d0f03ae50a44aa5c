import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { memberPath, unwrap, type Context, type Node } from "../analysis/syntax/ast.js";
import { ENDPOINT_NODES, endpointOf, type Endpoint } from "../analysis/frameworks/endpoint.js";
import { inputFieldSchema } from "../analysis/frameworks/trpc-input.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { findReachedReads, findReachedReadsFrom, type ReachedRead } from "../analysis/flow/reach.js";
import { listReadBound, projectSchema } from "../analysis/libraries/db.js";
import { zodCapsLength } from "../analysis/libraries/validators.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    smallModels: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Models (`Plan`, `Country`) and Kysely tables (`plans`) that stay small whatever the traffic (lookup tables, settings, a fixed set of plans): their reads are not reported.",
      ),
    maxDepth: z.number().int().min(0).max(10).default(3).describe("How many calls deep to follow a handler into services and repositories."),
  })
  .strict();

type MessageIds = "unboundedRead";

interface Finding {
  read: ReachedRead;
  endpoints: string[];
}

/**
 * The `in:` list of a read in the handler's own file bounds it when it does not come straight from
 * the client (`input.ids`) or when the procedure's Zod schema caps that field (`z.array(...).max(100)`).
 * A list the code computed, or one a service was handed, is as long as what produced it.
 */
function listBoundedFor(context: Context, endpoint: Endpoint, read: ReachedRead): (list: Node) => boolean {
  return (list) => {
    if (endpoint.framework !== "trpc" || read.context.sourceCode.ast !== context.sourceCode.ast) return true;
    const parts = memberPath(unwrap(list))?.split(".") ?? [];
    if (parts.length < 2 || parts[parts.length - 2] !== "input") return true;
    const schema = inputFieldSchema(context, endpoint.procedure, parts[parts.length - 1]!);
    return schema === null || zodCapsLength(schema);
  };
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "db-bounded-reads",
  meta: {
    type: "problem",
    docs: {
      description: "Require list reads on request paths to be bounded (`take` / `.limit()` or a unique filter)",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      unboundedRead:
        "`{{read}}` returns every matching `{{model}}` row to {{endpoints}} ({{path}}): with no {{bound}} the response, memory and query time grow with the table. Add {{fix}}, or filter on a unique column.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    const small = new Set(options.smallModels.map((m) => m.toLowerCase()));
    // One finding per node, naming every endpoint that reaches it: a service read by five procedures is one fix.
    const findings = new Map<Node, Finding>();
    const collect = (endpoint: Endpoint, reads: ReachedRead[]): void => {
      for (const read of reads) {
        if (!read.db || (read.model !== null && small.has(read.model.toLowerCase()))) continue;
        if (listReadBound(read.context, read.db, projectSchema(read.context), listBoundedFor(context, endpoint, read)) !== "unbounded") continue;
        const node = read.context.sourceCode.ast === context.sourceCode.ast ? read.call : read.reportNode;
        const finding = findings.get(node) ?? { read, endpoints: [] };
        if (!finding.endpoints.includes(endpoint.label)) finding.endpoints.push(endpoint.label);
        findings.set(node, finding);
      }
    };
    return {
      [ENDPOINT_NODES](node: Node) {
        const endpoint = endpointOf(context, node);
        if (!endpoint) return;
        if (endpoint.handler) collect(endpoint, findReachedReads(context, endpoint.handler, options.maxDepth));
        else if (endpoint.handlerArg && endpoint.handlerArg.type !== AST_NODE_TYPES.SpreadElement)
          collect(endpoint, findReachedReadsFrom(context, endpoint.handlerArg, options.maxDepth));
      },
      "Program:exit"() {
        for (const [node, { read, endpoints }] of findings) {
          const kysely = read.db?.library === "kysely";
          const [first, ...rest] = endpoints;
          context.report({
            node,
            messageId: "unboundedRead",
            data: {
              read: read.read,
              model: read.model ?? "the database",
              endpoints: `\`${first}\`${rest.length > 0 ? ` (and ${rest.length} more)` : ""}`,
              path: [first, ...read.path, read.read].join(" -> "),
              bound: kysely ? "`.limit()`" : "`take`",
              fix: kysely ? "`.limit(n)` (and a cursor for the next page)" : "`take: n` (and `cursor` / `skip` for the next page)",
            },
          });
        }
      },
    };
  },
});
