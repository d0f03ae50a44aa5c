import type { Context } from "../syntax/ast.js";
import { typeOf, type TypeInfo } from "../syntax/types.js";
import { runInput, type EffectRun, type RunKind } from "./effect.js";
import { effectErrors, resultRunKind, signatureRunKind, stepInputType, type EffectErrors } from "./effect-types.js";

/**
 * A run of an Effect with the type checker: how its failure leaves (the runner's kind, confirmed
 * by its signature for the app's own runners) and the errors of the Effect it runs. What
 * effect-no-escaping-errors judges and `archlint map` lists per endpoint; computed here once.
 */

/** How a failure leaves the run; null when a runner known only by its signature is no runner after all. */
export function runKindWithTypes(info: TypeInfo, run: EffectRun): RunKind | null {
  return run.runner.bySignature ? signatureRunKind(info, run.node) : (run.runner.kind ?? resultRunKind(info, run.call));
}

/** The errors of the Effect the run receives, asking the type checker the cheapest question that answers it. */
export function runErrors(context: Context, info: TypeInfo, run: EffectRun): EffectErrors | null {
  const input = runInput(context, run);
  const type = input.kind === "step" ? stepInputType(info, input.step) : typeOf(info, input.node);
  return type && effectErrors(info, type, input.kind === "caught" ? input.tags : undefined);
}
