import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { z } from "zod";
import type { Context } from "../analysis/syntax/ast.js";
import { caughtBefore, effectCallbackApi, effectGeneratorApi, enclosingFunction, shortText } from "../analysis/libraries/effect.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema } from "../utils/create-rule.js";

const optionsSchema = z.object({}).strict();

/** `new UserNotFound(...)` for messages (the arguments do not help), else the thrown expression. */
function thrownText(context: Context, node: TSESTree.ThrowStatement): string {
  const arg = node.argument;
  if (arg.type === AST_NODE_TYPES.NewExpression && arg.callee.type === AST_NODE_TYPES.Identifier) {
    return `new ${arg.callee.name}(${arg.arguments.length > 0 ? "..." : ""})`;
  }
  return shortText(context, arg, 40);
}

export default createRule<[z.input<typeof optionsSchema>], "throwInGenerator" | "throwInCallback">({
  name: "effect-no-throw",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow `throw` in `Effect.gen` / `Effect.fn` generators and in the callbacks of Effect combinators, where it becomes a defect",
      recommended: "recommended",
      headline: "effect-errors-escape",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      throwInGenerator:
        "`throw {{thrown}}` in `{{api}}` becomes a defect: it is not in the Effect's error type, so `catchTag`/`catchTags` never see it and the caller gets an untyped failure. Use `return yield* Effect.fail({{thrown}})` (a `Data.TaggedError` can be yielded directly: `return yield* {{thrown}}`).",
      throwInCallback:
        "`throw {{thrown}}` in the `{{api}}` callback becomes a defect: it is not in the Effect's error type, so `catchTag`/`catchTags` never see it and the caller gets an untyped failure. Return `Effect.fail({{thrown}})` from an `Effect.flatMap`/`andThen` callback instead, or wrap code that throws in `Effect.try`.",
    },
  },
  defaultOptions: [{}],
  create(context) {
    // A test double that throws on an unexpected call crashes the test on purpose: a defect is what it wants.
    if (isNonRuntimeFile(context)) return {};
    return {
      ThrowStatement(node) {
        const fn = enclosingFunction(node);
        if (!fn || caughtBefore(node, fn)) return;
        const generator = effectGeneratorApi(context, fn);
        const api = generator ?? (fn.generator ? null : effectCallbackApi(context, fn));
        if (!api) return;
        context.report({ node, messageId: generator ? "throwInGenerator" : "throwInCallback", data: { api, thrown: thrownText(context, node) } });
      },
    };
  },
});
