import type { TSESTree } from "@typescript-eslint/utils";
import { z } from "zod";
import type { Context } from "../analysis/syntax/ast.js";
import type { Endpoint, Framework } from "../analysis/frameworks/endpoint.js";
import {
  effectRuns,
  failureWrapper,
  handledBeforeRun,
  managedRuntimeMake,
  rejectionHandledAtRun,
  runBoundary,
  runInput,
  type EffectRun,
  type RunKind,
} from "../analysis/libraries/effect.js";
import {
  effectErrors,
  layerErrors,
  resultRunKind,
  signatureRunKind,
  stepInputType,
  type EffectError,
  type EffectErrors,
  programUsesEffect,
} from "../analysis/libraries/effect-types.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { typeOf, type TypeInfo } from "../analysis/syntax/types.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";
import { requireTypeInfo } from "../utils/require-types.js";

const optionsSchema = z
  .object({
    allow: z.array(z.string().min(1)).default([]).describe("Error type names that may escape a run (a team's own boundary error that a framework maps)."),
  })
  .strict();

type MessageIds =
  "layerErrors" | "escapingErrors" | "escapingErrorsTrpc" | "escapingErrorsFastify" | "wrappedErrorsTrpc" | "wrappedErrorsFastify" | "useExitRunner";

const HOW: Record<RunKind, string> = {
  promise: "as a rejected Promise",
  sync: "as a thrown exception",
  fork: "into a fiber nobody observes",
  callback: "into the run callback",
};

function consequence(kind: RunKind, wrapper: string | null): string {
  if (kind === "fork") return "the failure is lost unless the fiber is joined";
  if (kind === "callback") return "only an `Exit` that the callback must inspect carries them";
  return wrapper ? `the caller sees an untyped ${wrapper}` : "the caller sees an untyped error";
}

function isAllowed(name: string, allow: readonly string[]): boolean {
  return allow.some((a) => name === a || name.startsWith(`${a}<`));
}

/** The errors found that the `allow` option does not accept (none when nothing was found). */
function notAllowed(found: EffectErrors | null, allow: readonly string[]): EffectError[] {
  return found?.errors.filter((e) => !isAllowed(e.name, allow)) ?? [];
}

const SHOWN = 4;

/** `` `DbError | UserNotFound` ``, or the first four and "and N more". */
function errorList(errors: readonly EffectError[]): string {
  const names = errors.map((e) => e.name);
  const shown = `\`${names.slice(0, SHOWN).join(" | ")}\``;
  return names.length > SHOWN ? `${shown} and ${names.length - SHOWN} more` : shown;
}

/**
 * How to handle exactly these errors: `Effect.catchTags` naming each tag that escapes (Micro has
 * only `Micro.catchTag`), and for errors without a `_tag`, a catch-all (generic runs) or
 * `mapError` (at a framework, which wants one error type it understands).
 */
function handling(run: EffectRun, errors: readonly EffectError[], version: EffectErrors["version"], atBoundary: boolean): string {
  const micro = run.runner.origin === "micro";
  const tags = [...new Set(errors.flatMap((e) => e.tags))];
  const steps: string[] = [];
  if (tags.length > 0 && micro) steps.push(tags.map((tag) => `\`Micro.catchTag("${tag}", (e) => ...)\``).join(", "));
  else if (tags.length > 0) steps.push(`\`Effect.catchTags({ ${tags.map((tag) => `${tag}: (e) => ...`).join(", ")} })\``);
  if (errors.some((e) => e.untagged)) {
    const catchAll = micro || version === 3 ? "catchAll" : version === 4 ? "catch" : null;
    const module = micro ? "Micro" : "Effect";
    if (atBoundary) steps.push(`\`${module}.mapError((e) => ...)\``);
    else steps.push(catchAll ? `\`${module}.${catchAll}\`` : "`Effect.catchAll` (Effect 3) / `Effect.catch` (Effect 4)");
  }
  return steps.join(tags.length > 0 ? " and, for the untagged ones, " : "");
}

/** The advice for a runner that wraps failures: run to an `Exit` and rethrow the failure itself. */
function rethrowing(run: EffectRun): string {
  const twin = run.runner.exitTwin;
  const label = run.runner.label;
  // `AppRuntime.runPromise` -> `AppRuntime.runPromiseExit`
  const exit = !twin ? "runPromiseExit" : label.endsWith(twin.node.name) ? `${label.slice(0, -twin.node.name.length)}${twin.name}` : twin.name;
  const squash = run.runner.origin === "micro" ? "Micro.causeSquash" : "Cause.squash";
  return `a runner that rethrows the failure itself (\`${exit}\`, then \`throw ${squash}(exit.cause)\` on failure, in one helper the handlers share)`;
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
      layerErrors:
        "The layer of ManagedRuntime `{{runtime}}` can fail with {{errors}}: every run on `{{runtime}}` rejects with {{them}} when the layer cannot be built, whatever the program's own error type says, and the caller sees an untyped error. Handle {{them}} where the layer is built ({{handle}}), or use `Layer.orDie` so that a failed start-up is a defect.",
      escapingErrors: "{{errors}} {{verb}} `{{runner}}` {{how}}{{layer}}: {{consequence}}. Handle them before running with {{handle}}{{alternative}}.",
      escapingErrorsTrpc:
        "{{errors}} {{verb}} `{{runner}}` in tRPC procedure `{{boundary}}`{{layer}}: tRPC answers INTERNAL_SERVER_ERROR (500), with no code the client can act on. Map them to a `TRPCError` with a code before running: {{handle}}{{rethrow}}.",
      escapingErrorsFastify:
        "{{errors}} {{verb}} `{{runner}}` in Fastify route `{{boundary}}`{{layer}}: Fastify answers 500 and logs them as unexpected. Map them to HTTP errors (an error with a numeric `statusCode`, e.g. `@fastify/sensible`'s `httpErrors.notFound()`) before running: {{handle}}{{rethrow}}.",
      wrappedErrorsTrpc:
        "{{errors}} {{verb}} `{{runner}}` in tRPC procedure `{{boundary}}` wrapped in a {{wrapper}}{{layer}}: tRPC does not recognise the `TRPCError` inside it and answers INTERNAL_SERVER_ERROR (500). Run it with {{rethrowing}}.",
      wrappedErrorsFastify:
        "{{errors}} {{verb}} `{{runner}}` in Fastify route `{{boundary}}` wrapped in a {{wrapper}}{{layer}}: Fastify does not see the status of the error inside it and answers 500. Run it with {{rethrowing}}.",
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
        const runtime = managedRuntimeMake(context, node);
        if (runtime !== null) checkLayer(context, info, node, runtime, allow);
        for (const run of effectRuns(context, node)) checkRun(context, info, run, allow);
      },
    };
  },
});

/** How to handle a layer's errors where it is built, by Effect version. */
function layerHandling(version: EffectErrors["version"]): string {
  if (version === 3) return "`Layer.catchAll`";
  if (version === 4) return "`Layer.catchTag` or `Layer.catchCause`";
  return "`Layer.catchAll` (Effect 3) / `Layer.catchTag` (Effect 4)";
}

/**
 * A ManagedRuntime whose layer can fail: reported once, at `ManagedRuntime.make`. A run on it
 * whose program cannot fail is not reported again: that run's only failure is this one.
 */
function checkLayer(context: Context, info: TypeInfo, make: TSESTree.CallExpression, runtime: string, allow: readonly string[]): void {
  const found = layerErrors(info, make);
  const errors = notAllowed(found, allow);
  if (!found || errors.length === 0) return;
  context.report({
    node: make.callee,
    messageId: "layerErrors",
    data: { runtime, errors: errorList(errors), them: errors.length > 1 ? "them" : "it", handle: layerHandling(found.version) },
  });
}

/** For a run on a runtime whose layer can fail too: what to add to the run's message (the layer's own finding is at its `make`). */
function layerNote(info: TypeInfo, run: EffectRun, allow: readonly string[]): string {
  const found = run.runner.runtime ? layerErrors(info, run.runner.runtime) : null;
  const errors = notAllowed(found, allow);
  return errors.length > 0 ? ` (and the runtime's layer can fail with ${errorList(errors)}, reported at its \`ManagedRuntime.make\`)` : "";
}

/** The errors of the Effect the run receives, asking the type checker the cheapest question that answers it. */
function runErrors(context: Context, info: TypeInfo, run: EffectRun): EffectErrors | null {
  const input = runInput(context, run);
  const type = input.kind === "step" ? stepInputType(info, input.step) : typeOf(info, input.node);
  return type && effectErrors(info, type, input.kind === "caught" ? input.tags : undefined);
}

/** How each framework answers a failure that escapes its handler, and one it understands but receives wrapped. */
const BOUNDARY_MESSAGE = {
  trpc: { escaping: "escapingErrorsTrpc", wrapped: "wrappedErrorsTrpc", inside: "the `TRPCError`", framework: "tRPC" },
  fastify: { escaping: "escapingErrorsFastify", wrapped: "wrappedErrorsFastify", inside: "the error", framework: "Fastify" },
} as const satisfies Record<Exclude<Framework, "next">, { escaping: MessageIds; wrapped: MessageIds; inside: string; framework: string }>;

function checkRun(context: Context, info: TypeInfo, run: EffectRun, allow: readonly string[]): void {
  if (handledBeforeRun(context, run)) return;
  const kind = run.runner.bySignature ? signatureRunKind(info, run.node) : (run.runner.kind ?? resultRunKind(info, run.call));
  if (!kind || (kind === "promise" && rejectionHandledAtRun(run))) return;
  const found = runErrors(context, info, run);
  const errors = notAllowed(found, allow);
  if (!found || errors.length === 0) return;
  const wrapper = failureWrapper(run.runner, found.version);
  // Only a rejected promise or a thrown exception reaches the framework's error handler.
  const boundary = kind === "promise" || kind === "sync" ? runBoundary(context, run.call) : null;
  // A Next.js handler understands no error (any throw is a 500): the plain message says it all.
  if (boundary && boundary.framework !== "next") {
    reportAtBoundary(context, info, run, boundary, errors, found.version, wrapper, allow);
    return;
  }
  const twin = run.runner.exitTwin;
  context.report({
    node: run.node,
    messageId: "escapingErrors",
    data: {
      ...listed(errors),
      runner: runnerLabel(context, run),
      layer: layerNote(info, run, allow),
      how: HOW[kind],
      consequence: consequence(kind, wrapper),
      handle: handling(run, errors, found.version, false),
      alternative: twin ? `, or use \`${twin.name}\`` : "",
    },
    suggest: twin ? [{ messageId: "useExitRunner", data: { exit: twin.name }, fix: (fixer) => fixer.replaceText(twin.node, twin.name) }] : [],
  });
}

/**
 * A run directly in a handler: the errors the framework understands (a `TRPCError`, an error with
 * a `statusCode`) may escape, as long as the runner hands them over unwrapped; the others need
 * mapping to such an error.
 */
function reportAtBoundary(
  context: Context,
  info: TypeInfo,
  run: EffectRun,
  boundary: Endpoint & { framework: Exclude<Framework, "next"> },
  errors: readonly EffectError[],
  version: EffectErrors["version"],
  wrapper: string | null,
  allow: readonly string[],
): void {
  const understood = errors.filter((e) => e.types.every((type) => boundary.understandsError(info, type)));
  const others = errors.filter((e) => !understood.includes(e));
  const words = BOUNDARY_MESSAGE[boundary.framework];
  const runner = runnerLabel(context, run);
  const at = { runner, boundary: boundary.label, layer: layerNote(info, run, allow) };
  if (others.length > 0) {
    const rethrow = wrapper
      ? `; \`${runner}\` would then reject with a ${wrapper} that hides ${words.inside} from ${words.framework}, so run it with ${rethrowing(run)}`
      : "";
    context.report({ node: run.node, messageId: words.escaping, data: { ...at, ...listed(others), handle: handling(run, others, version, true), rethrow } });
  } else if (wrapper) {
    context.report({ node: run.node, messageId: words.wrapped, data: { ...at, ...listed(understood), wrapper, rethrowing: rethrowing(run) } });
  }
}

function runnerLabel(context: Context, run: EffectRun): string {
  return run.runner.label || context.sourceCode.getText(run.node);
}

function listed(errors: readonly EffectError[]): { errors: string; verb: string } {
  return { errors: errorList(errors), verb: errors.length > 1 ? "escape" : "escapes" };
}
