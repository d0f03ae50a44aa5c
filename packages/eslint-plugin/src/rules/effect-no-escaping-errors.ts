import { z } from "zod";
import type { Context } from "../analysis/syntax/ast.js";
import type { Framework } from "../analysis/frameworks/endpoint.js";
import { effectRuns, handledBeforeRun, runBoundary, runInput, type EffectRun, type RunKind } from "../analysis/libraries/effect.js";
import { effectErrors, resultRunKind, signatureRunKind, stepInputType, type EffectErrors, programUsesEffect } from "../analysis/libraries/effect-types.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { typeOf, type TypeInfo } from "../analysis/syntax/types.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { requireTypeInfo } from "../utils/require-types.js";

const optionsSchema = z
  .object({
    allow: z.array(z.string().min(1)).default([]).describe("Error type names that may escape a run (a team's own boundary error that a framework maps)."),
  })
  .strict();

type MessageIds = "escapingErrors" | "escapingErrorsTrpc" | "escapingErrorsFastify" | "useExitRunner";

const HOW: Record<RunKind, string> = {
  promise: "as a rejected Promise",
  sync: "as a thrown exception",
  fork: "into a fiber nobody observes",
  callback: "into the run callback",
};

function consequence(kind: RunKind, origin: EffectRun["runner"]["origin"]): string {
  if (kind === "fork") return "the failure is lost unless the fiber is joined";
  if (kind === "callback") return "only an `Exit` that the callback must inspect carries them";
  return `the caller sees an untyped ${origin === "effect" ? "FiberFailure" : "error"}`;
}

function isAllowed(name: string, allow: readonly string[]): boolean {
  return allow.some((a) => name === a || name.startsWith(`${a}<`));
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "effect-no-escaping-errors",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow running an Effect whose error type is not `never`: its typed failures escape as untyped exceptions",
      recommended: "recommended",
      requiresTypeChecking: true,
      headline: "effect-errors-escape",
    },
    hasSuggestions: true,
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      escapingErrors:
        "{{errors}} {{verb}} `{{runner}}` {{how}}: {{consequence}}. Handle them with `Effect.catchTags` (or map them to a `TRPCError`/HTTP error) before running{{alternative}}.",
      escapingErrorsTrpc:
        '{{errors}} {{verb}} `{{runner}}` in tRPC procedure `{{boundary}}`: tRPC answers INTERNAL_SERVER_ERROR (500), with no code the client can act on. Map them to a `TRPCError` before running (`Effect.catchTags({ UserNotFound: () => Effect.fail(new TRPCError({ code: "NOT_FOUND" })) })`).',
      escapingErrorsFastify:
        "{{errors}} {{verb}} `{{runner}}` in Fastify route `{{boundary}}`: Fastify answers 500 and logs them as unexpected. Map them to HTTP errors before running (an error with a `statusCode`, e.g. `@fastify/sensible`'s `httpErrors.notFound()`, or `reply.code(404).send(...)`).",
      useExitRunner: "Run it with `{{exit}}` and handle the `Exit`.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    const info = requireTypeInfo(context);
    if (isNonRuntimeFile(context) || !programUsesEffect(info)) return {};
    const { allow } = parseOptions(optionsSchema, rawOptions);
    return {
      CallExpression(node) {
        for (const run of effectRuns(context, node)) checkRun(context, info, run, allow);
      },
    };
  },
});

/** The errors of the Effect the run receives, asking the type checker the cheapest question that answers it. */
function runErrors(context: Context, info: TypeInfo, run: EffectRun): EffectErrors | null {
  const input = runInput(context, run);
  const type = input.kind === "step" ? stepInputType(info, input.step) : typeOf(info, input.node);
  const errors = type && effectErrors(info, type);
  if (!errors || input.kind !== "caught") return errors;
  return { ...errors, errors: errors.errors.filter((e) => e.tag === null || !input.tags.has(e.tag)) };
}

/** How each framework answers a failure that escapes its handler. */
const BOUNDARY_MESSAGE = { trpc: "escapingErrorsTrpc", fastify: "escapingErrorsFastify" } as const satisfies Record<Framework, string>;

function checkRun(context: Context, info: TypeInfo, run: EffectRun, allow: readonly string[]): void {
  if (handledBeforeRun(context, run)) return;
  const kind = run.runner.bySignature ? signatureRunKind(info, run.node) : (run.runner.kind ?? resultRunKind(info, run.call));
  if (!kind) return;
  const names =
    runErrors(context, info, run)
      ?.errors.map((e) => e.name)
      .filter((n) => !isAllowed(n, allow)) ?? [];
  if (names.length === 0) return;
  const runner = run.runner.label || context.sourceCode.getText(run.node);
  const data = { errors: `\`${names.join(" | ")}\``, verb: names.length > 1 ? "escape" : "escapes", runner };
  const boundary = runBoundary(context, run.call);
  if (boundary) {
    context.report({ node: run.node, messageId: BOUNDARY_MESSAGE[boundary.framework], data: { ...data, boundary: boundary.label } });
    return;
  }
  const twin = run.runner.exitTwin;
  context.report({
    node: run.node,
    messageId: "escapingErrors",
    data: { ...data, how: HOW[kind], consequence: consequence(kind, run.runner.origin), alternative: twin ? `, or use \`${twin.name}\`` : "" },
    suggest: twin ? [{ messageId: "useExitRunner", data: { exit: twin.name }, fix: (fixer) => fixer.replaceText(twin.node, twin.name) }] : [],
  });
}
