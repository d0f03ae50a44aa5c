import { z } from "zod";
import { effectGeneratorApi, enclosingFunction, shortText } from "../analysis/libraries/effect.js";
import { createRule, optionsJsonSchema } from "../utils/create-rule.js";

const optionsSchema = z.object({}).strict();

export default createRule<[z.input<typeof optionsSchema>], "missingStar">({
  name: "effect-yield-star",
  meta: {
    type: "problem",
    docs: {
      description: "Require `yield*` (not `yield`) inside `Effect.gen` and `Effect.fn` generators",
      recommended: "recommended",
      headline: "effect-errors-escape",
    },
    fixable: "code",
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      missingStar:
        "`yield {{value}}` in `{{api}}` has no `*`: the generator does not delegate to the Effect, so its result is typed `never` (and Effect 3 fails the fiber with a defect). Write `yield* {{value}}`.",
    },
  },
  defaultOptions: [{}],
  create(context) {
    return {
      YieldExpression(node) {
        if (node.delegate) return;
        const fn = enclosingFunction(node);
        const api = fn && effectGeneratorApi(context, fn);
        if (!api) return;
        const argument = node.argument;
        context.report({
          node,
          messageId: "missingStar",
          data: { api, value: argument ? shortText(context, argument) : "" },
          fix: argument ? (fixer) => fixer.insertTextAfterRange([node.range[0], node.range[0] + "yield".length], "*") : null,
        });
      },
    };
  },
});
