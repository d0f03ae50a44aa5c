import { z } from "zod";
import { callbackReturn, droppedValue, effectGeneratorApi, enclosingFunction, shortText } from "../analysis/libraries/effect.js";
import { callbackResultDiscarded, isPlainEffect, isStream, programUsesEffect } from "../analysis/libraries/effect-types.js";
import { createRule, optionsJsonSchema } from "../utils/create-rule.js";
import { requireTypeInfo } from "../utils/require-types.js";

const optionsSchema = z.object({}).strict();

export default createRule<[z.input<typeof optionsSchema>], "floatingEffect" | "floatingInGenerator" | "floatingStream" | "discardedByCallback">({
  name: "effect-no-floating",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow Effects that are created and dropped: an Effect that is not yielded, returned, composed or run never runs",
      recommended: "recommended",
      requiresTypeChecking: true,
      headline: "effect-errors-escape",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      floatingEffect:
        "Effect `{{value}}` is created and dropped: an Effect only describes work, so this one never runs (nor do its failures surface). Yield it with `yield*` inside `Effect.gen`, compose it with the Effect around it (`Effect.andThen`), or run it at the edge.",
      floatingInGenerator:
        "Effect `{{value}}` is created and dropped in `{{api}}`: without `yield*` it never runs, and its failures are not in the generator's error type. Write `yield* {{value}}`.",
      floatingStream:
        "Stream `{{value}}` is created and dropped: a Stream only describes work, so this one never emits (nor do its failures surface). Run it into an Effect (`Stream.runDrain`, `Stream.runCollect`, `Stream.runForEach`) and yield or compose that Effect.",
      discardedByCallback:
        "Effect `{{value}}` is returned to a callback of `{{callee}}`, which ignores what its callback returns: the Effect never runs. Use `Effect.forEach(items, (item) => ...)` and yield or run that Effect, or run the Effect inside the callback.",
    },
  },
  defaultOptions: [{}],
  create(context) {
    const info = requireTypeInfo(context);
    if (!programUsesEffect(info)) return {};
    return {
      ExpressionStatement(node) {
        const value = droppedValue(node);
        if (!value) return;
        if (isStream(info, value)) {
          context.report({ node: value, messageId: "floatingStream", data: { value: shortText(context, value) } });
          return;
        }
        if (!isPlainEffect(info, value)) return;
        const fn = enclosingFunction(node);
        const api = fn && effectGeneratorApi(context, fn);
        context.report({ node: value, messageId: api ? "floatingInGenerator" : "floatingEffect", data: { value: shortText(context, value), api } });
      },
      ArrowFunctionExpression(node) {
        const returned = callbackReturn(node);
        if (!returned || !isPlainEffect(info, returned.value) || !callbackResultDiscarded(info, node)) return;
        context.report({
          node: returned.value,
          messageId: "discardedByCallback",
          data: { value: shortText(context, returned.value), callee: shortText(context, returned.callee, 32) },
        });
      },
    };
  },
});
