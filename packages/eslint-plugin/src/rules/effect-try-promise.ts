import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { defectCaughtNext, effectExport, errorClassName, rejectingExpression, shortText } from "../analysis/libraries/effect.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

const optionsSchema = z
  .object({
    safe: z.array(z.string().min(1)).default([]).describe("Functions whose promises never reject (`sleep`, `queue.drain`), by name or dotted path."),
  })
  .strict();

const PROMISE = new Set(["promise"]);

export default createRule<[z.input<typeof optionsSchema>], "rejectionBecomesDefect" | "useTryPromise">({
  name: "effect-try-promise",
  meta: {
    type: "problem",
    docs: {
      description: "Require `Effect.tryPromise` instead of `Effect.promise` around a promise that can reject",
      recommended: "recommended",
      headline: "effect-errors-escape",
    },
    hasSuggestions: true,
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      rejectionBecomesDefect:
        "`{{api}}` around `{{source}}`, which can reject: `Effect.promise` turns a rejection into a defect that is not in the Effect's error type, so error handlers never see it. Use `Effect.tryPromise({ try: ..., catch: (cause) => new {{error}}({ cause }) })`.",
      useTryPromise: "Use `Effect.tryPromise` and map the rejection to `{{error}}` (define it as a tagged error if it does not exist).",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    // In a test, a rejection that becomes a defect fails the test just as a typed failure would.
    if (isNonRuntimeFile(context)) return {};
    const { safe } = parseOptions(optionsSchema, rawOptions);
    return {
      CallExpression(node) {
        const thunk = node.arguments[0];
        if (!thunk || thunk.type === AST_NODE_TYPES.SpreadElement || !effectExport(context, node.callee, "Effect", PROMISE)) return;
        if (defectCaughtNext(context, node)) return;
        const rejecting = rejectingExpression(context, thunk, safe);
        if (!rejecting) return;
        const error = errorClassName(rejecting);
        const callee = node.callee;
        const api = context.sourceCode.getText(callee);
        context.report({
          node: callee,
          messageId: "rejectionBecomesDefect",
          data: { api, source: shortText(context, rejecting), error },
          suggest:
            callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed
              ? [
                  {
                    messageId: "useTryPromise",
                    data: { error },
                    fix: (fixer) => [
                      fixer.replaceText(callee.property, "tryPromise"),
                      fixer.replaceText(thunk, `{ try: ${context.sourceCode.getText(thunk)}, catch: (cause) => new ${error}({ cause }) }`),
                    ],
                  },
                ]
              : [],
        });
      },
    };
  },
});
