import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import {
  calleeName,
  isFunction,
  memberPath,
  outermostCast,
  propertyName,
  resolveBinding,
  thisMember,
  unwrap,
  walk,
  type Context,
  type Node,
} from "../syntax/ast.js";
import { estreeFunctionOf } from "../syntax/foreign.js";
import { declarationOf, typeInfo, typescriptModule } from "../syntax/types.js";
import { isPlainValue } from "./effect-types.js";
import { resolvedSettings } from "../project.js";
import { endpointOfHandler, type Endpoint } from "../frameworks/endpoint.js";
import { isProcedureBuilder } from "../frameworks/trpc.js";

/**
 * Recognising Effect (3.x and 4.x) by import, not by spelling: `import { Effect } from "effect"`,
 * `import * as Effect from "effect/Effect"`, `import { runPromise } from "effect/Effect"`, aliases
 * and local constants, `pipe(...)` / `.pipe(...)`; the generators of `Effect.gen` / `Effect.fn`;
 * the callbacks of Effect combinators; and the places where an Effect is run (`Effect.run*`,
 * `Runtime.run*`, a runtime's `run*`, v4's `run*With`, the app's own runners), as a call or as a
 * pipe step. The type-aware half (error types, runner signatures) is in effect-types.ts.
 */

export type { FunctionNode } from "../syntax/functions.js";
import type { FunctionNode } from "../syntax/functions.js";

/**
 * What an expression refers to in the `effect` package: a module namespace (`Effect`, `Layer`;
 * `name` null) or one of its exports (`Effect.runPromise`). `module` "" is the package root.
 */
export interface EffectRef {
  module: string;
  name: string | null;
}

/** `effect` -> "" (the root), `effect/Effect` -> "Effect"; null for other packages. */
export const EFFECT_PACKAGE = "effect";

function moduleOfSource(source: string): string | null {
  if (source === EFFECT_PACKAGE) return "";
  if (source.startsWith(`${EFFECT_PACKAGE}/`)) return source.slice(EFFECT_PACKAGE.length + 1);
  return null;
}

/** A name exported by the package root: `Effect`, `Layer` are namespaces; `pipe`, `flow` come from `effect/Function`. */
function rootExport(name: string): EffectRef {
  return /^[A-Z]/.test(name) ? { module: name, name: null } : { module: "Function", name };
}

/** What `node` refers to in the `effect` package, through imports, aliases and local constants; else null. */
export function effectRef(context: Context, node: Node, depth = 0): EffectRef | null {
  const n = unwrap(node);
  if (depth > 4) return null;
  if (n.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, n);
    if (binding?.kind === "local" && binding.value) return effectRef(context, binding.value, depth + 1);
    if (binding?.kind !== "import") return null;
    const module = moduleOfSource(binding.source);
    if (module === null) return null;
    if (binding.imported === "*" || binding.imported === "default") return { module, name: null };
    return module === "" ? rootExport(binding.imported) : { module, name: binding.imported };
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const object = unwrap(n.object);
    // Only identifiers and member chains can name a namespace; skip calls and the rest cheaply.
    if (object.type !== AST_NODE_TYPES.Identifier && object.type !== AST_NODE_TYPES.MemberExpression) return null;
    const prop = propertyName(n);
    if (prop === null) return null;
    const owner = effectRef(context, object, depth + 1);
    if (!owner || owner.name !== null) return null;
    return owner.module === "" ? rootExport(prop) : { module: owner.module, name: prop };
  }
  return null;
}

/** The export of module `module` that `node` refers to, when it is one of `names`. */
export function effectExport(context: Context, node: Node, module: string, names: ReadonlySet<string>): string | null {
  const n = unwrap(node);
  // Cheap syntactic pre-check before following bindings.
  const last = n.type === AST_NODE_TYPES.Identifier ? n.name : n.type === AST_NODE_TYPES.MemberExpression ? propertyName(n) : null;
  if (last === null) return null;
  if (n.type === AST_NODE_TYPES.MemberExpression && !names.has(last)) return null;
  const ref = effectRef(context, n);
  return ref && ref.module === module && ref.name !== null && names.has(ref.name) ? ref.name : null;
}

/** How the code spells an Effect API, for messages: `Effect.map` as written, or `Effect.<name>`. */
export function apiLabel(context: Context, node: Node, fallback: string): string {
  const path = memberPath(node);
  return path !== null && path.length <= 40 ? path : fallback;
}

/** The innermost function around `node` (not `node` itself). */
export function enclosingFunction(node: Node): FunctionNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return null;
}

const GENERATOR_APIS = new Set(["gen", "fn", "fnUntraced"]);

/**
 * When `fn` is the generator of `Effect.gen(function* () {...})`, `Effect.fn(function* ...)`,
 * `Effect.fn("name")(function* ...)` or `Effect.gen({ self }, function* ...)`: the API as written
 * (`Effect.gen`). Else null.
 */
export function effectGeneratorApi(context: Context, fn: FunctionNode): string | null {
  if (!fn.generator) return null;
  let call: Node | undefined = fn.parent;
  while (call && (call.type === AST_NODE_TYPES.TSAsExpression || call.type === AST_NODE_TYPES.TSSatisfiesExpression)) call = call.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.some((a) => unwrap(a) === fn)) return null;
  const direct = effectExport(context, call.callee, "Effect", GENERATOR_APIS);
  if (direct) return apiLabel(context, call.callee, `Effect.${direct}`);
  const callee = unwrap(call.callee);
  // `Effect.fn("UserService.byId")(function* (id) {...})`
  if (callee.type === AST_NODE_TYPES.CallExpression) {
    const named = effectExport(context, callee.callee, "Effect", GENERATOR_APIS);
    if (named && named !== "gen") return apiLabel(context, callee.callee, `Effect.${named}`);
  }
  return null;
}

/**
 * Combinators whose callbacks Effect calls for you: a `throw` inside one becomes a defect (not a
 * typed failure). `try`, `tryPromise`, `tryMap` and `tryMapPromise` are absent on purpose: they
 * catch. `catch`/`catchCause`/`catchFilter`/`catchIf` are the v4 names, `catchAll`/`catchAllCause`/
 * `catchSome` the v3 ones.
 */
const CALLBACK_APIS = new Set([
  "sync",
  "suspend",
  "map",
  "flatMap",
  "andThen",
  "tap",
  "tapError",
  "tapErrorCause",
  "tapBoth",
  "mapError",
  "mapBoth",
  "forEach",
  "filterOrFail",
  "filterOrElse",
  "zipWith",
  "orElse",
  "catch",
  "catchAll",
  "catchTag",
  "catchTags",
  "catchIf",
  "catchSome",
  "catchFilter",
  "catchCause",
  "catchAllCause",
  "matchEffect",
  "match",
]);

/**
 * When `fn` is a callback of an Effect combinator (`Effect.map(eff, (x) => ...)`,
 * `Effect.map((x) => ...)` in a pipe, `Effect.catchTags({ NotFound: (e) => ... })`): the API as
 * written (`Effect.map`). Else null.
 */
export function effectCallbackApi(context: Context, fn: FunctionNode): string | null {
  let arg: Node = fn;
  let parent = fn.parent;
  // `{ onFailure: (e) => ..., onSuccess: ... }` and `catchTags({ NotFound: (e) => ... })`
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === fn && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    arg = parent.parent;
    parent = parent.parent.parent;
  }
  if (parent?.type !== AST_NODE_TYPES.CallExpression || !parent.arguments.includes(arg as TSESTree.CallExpressionArgument)) return null;
  const name = effectExport(context, parent.callee, "Effect", CALLBACK_APIS);
  return name ? apiLabel(context, parent.callee, `Effect.${name}`) : null;
}

/** Is `node` inside the `block` of a `try` that has a `catch`, before reaching `stop`? */
export function caughtBefore(node: Node, stop: Node | null): boolean {
  let child: Node = node;
  for (let current = node.parent; current && current !== stop; child = current, current = current.parent) {
    if (current.type === AST_NODE_TYPES.TryStatement && current.block === child && current.handler) return true;
  }
  return false;
}

/** Short source text for messages: `fetch(...)` for long calls. */
export function shortText(context: Context, node: Node, max = 48): string {
  const text = context.sourceCode.getText(node).replace(/\s+/g, " ");
  if (text.length <= max) return text;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression) {
    const callee = context.sourceCode.getText(n.callee).replace(/\s+/g, " ");
    const prefix = n.type === AST_NODE_TYPES.NewExpression ? "new " : "";
    if (callee.length + prefix.length + 5 <= max) return `${prefix}${callee}(...)`;
  }
  return `${text.slice(0, max - 3)}...`;
}

// ---------------------------------------------------------------------------------------------
// Running an Effect

/** How a failure leaves a runner: a rejected promise, a thrown exception, a fiber nobody observes. */
export type RunKind = "promise" | "sync" | "fork" | "callback";

export interface RunnerRef {
  /** The runner as written, for messages: `Effect.runPromise`, `AppRuntime.runPromise`, `runPromise`. */
  label: string;
  /**
   * "effect": one of Effect's own runners (a failure leaves as Effect 3's FiberFailure, or as
   * itself in Effect 4); "micro": `Micro.run*` (as a MicroCause); "project": the app's helper,
   * named in settings or (with types) by its signature.
   */
  origin: "effect" | "micro" | "project";
  /** null when only the type checker can tell (a project runner found by its signature). */
  kind: RunKind | null;
  /** The identifier to rename for the Exit-returning twin, and that name (`runPromiseExit`). */
  exitTwin: { node: TSESTree.Identifier; name: string } | null;
  /** Not recognised by name: a runner only if its signature says so (types). */
  bySignature: boolean;
  /** The runtime value whose method this is (`AppRuntime` in `AppRuntime.runPromise`), else null. */
  runtime: Node | null;
}

export interface EffectRun {
  runner: RunnerRef;
  /** Where to report: the callee of a run call, or the runner passed as a pipe step. */
  node: Node;
  /** The run call, or the pipe call whose step runs the Effect. */
  call: TSESTree.CallExpression;
  /** The Effect run: an argument (its type is the Effect), or a pipe step (the type of its parameter is). */
  effect: { arg: Node } | { step: Node };
}

const RUNNERS: Record<string, RunKind> = { runPromise: "promise", runSync: "sync", runFork: "fork", runCallback: "callback" };
const RUNNER_NAMES = new Set(Object.keys(RUNNERS));
const RUNNER_WITH_NAMES = new Set(Object.keys(RUNNERS).map((n) => `${n}With`));
/** Runners whose Exit-returning twin has the same shape (so the suggestion is a rename). */
const EXIT_TWINS: Record<string, string> = {
  runPromise: "runPromiseExit",
  runSync: "runSyncExit",
  runPromiseWith: "runPromiseExitWith",
  runSyncWith: "runSyncExitWith",
};

function nameNode(node: Node): TSESTree.Identifier | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n;
  if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed && n.property.type === AST_NODE_TYPES.Identifier) return n.property;
  return null;
}

function twin(node: Node, name: string): RunnerRef["exitTwin"] {
  const id = nameNode(node);
  const exit = EXIT_TWINS[name];
  return id && exit && id.name === name ? { node: id, name: exit } : null;
}

function effectRunner(
  context: Context,
  labelNode: Node,
  renameNode: Node,
  name: string,
  label: string,
  origin: "effect" | "micro" = "effect",
  runtime: Node | null = null,
): RunnerRef {
  const base = name.replace(/With$/, "");
  return {
    label: apiLabel(context, labelNode, label),
    origin,
    kind: RUNNERS[base] ?? null,
    exitTwin: twin(renameNode, name),
    bySignature: false,
    runtime,
  };
}

function settingsRunners(context: Context): readonly string[] {
  return resolvedSettings(context).effectRunners;
}

/**
 * What runs an Effect when called with it (or given it as a pipe step): `Effect.runPromise`,
 * `Runtime.runPromise(runtime)` (v3), `Effect.runPromiseWith(services)` (v4), `Micro.runPromise`
 * (v3), `runtime.runPromise` on a runtime, a helper named in `settings.archlint.effectRunners`;
 * and, flagged `bySignature`, any other plain function, `object.method` or `this.method` the type
 * checker may show to be a runner.
 * `run*Exit` keeps the failure typed, so it is not a runner here.
 */
export function runnerRef(context: Context, node: Node): RunnerRef | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    // `Runtime.runPromise(runtime)` (v3) and `Effect.runPromiseWith(services)` (v4) return the runner.
    const v3 = effectExport(context, n.callee, "Runtime", RUNNER_NAMES);
    if (v3) return effectRunner(context, n.callee, n.callee, v3, `Runtime.${v3}`);
    const v4 = effectExport(context, n.callee, "Effect", RUNNER_WITH_NAMES);
    if (v4) return effectRunner(context, n.callee, n.callee, v4, `Effect.${v4}`);
    return null;
  }
  if (n.type !== AST_NODE_TYPES.Identifier && n.type !== AST_NODE_TYPES.MemberExpression) return null;
  const path = memberPath(n);
  const configured = settingsRunners(context);
  if (path !== null && configured.includes(path)) {
    return { label: path, origin: "project", kind: null, exitTwin: null, bySignature: false, runtime: null };
  }
  const ref = effectRef(context, n);
  if (ref) {
    if (ref.name && RUNNER_NAMES.has(ref.name) && (ref.module === "Effect" || ref.module === "Runtime" || ref.module === "Micro")) {
      return effectRunner(context, n, n, ref.name, `${ref.module}.${ref.name}`, ref.module === "Micro" ? "micro" : "effect");
    }
    // Any other part of the effect package (`Effect.map`, `Layer.launch`) is not a run boundary.
    return null;
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const prop = propertyName(n);
    // A runtime's own runners: `runtime.runPromise(eff)`, `AppRuntime.runSync(eff)`.
    if (prop !== null && RUNNER_NAMES.has(prop)) return effectRunner(context, n, n, prop, prop, "effect", n.object);
  }
  return mayBeProjectRunner(context, n) ? { label: path ?? "", origin: "project", kind: null, exitTwin: null, bySignature: true, runtime: null } : null;
}

/**
 * Could `node` name one of the app's runners? Runners are shared helpers: an imported function or
 * object (`runPromise`, `Runner.run`), one declared at the top of this module, or a field or
 * method of the class around the call (`this.executeAsync`, as SDKs keep them). Parameters and
 * locals inside functions (`repo.findById`, `rows.map`) are not asked about, which keeps the
 * type checker away from most calls; nor are the methods of a tRPC procedure builder
 * (`protectedProcedure.input(schema)`), whose signature would cost the inference of tRPC's types.
 */
function mayBeProjectRunner(context: Context, node: Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.MemberExpression && unwrap(n.object).type === AST_NODE_TYPES.ThisExpression) return thisMember(n) !== null;
  if (n.type === AST_NODE_TYPES.MemberExpression && isProcedureBuilder(context, n.object)) return false;
  const id = n.type === AST_NODE_TYPES.Identifier ? n : n.type === AST_NODE_TYPES.MemberExpression && !n.computed ? unwrap(n.object) : null;
  if (id?.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, id);
  if (binding?.kind === "import") return true;
  if (binding?.kind !== "local") return false;
  const declaration = binding.definition.type === AST_NODE_TYPES.VariableDeclarator ? binding.definition.parent : binding.definition;
  const owner = declaration?.parent;
  return owner?.type === AST_NODE_TYPES.Program || (owner?.type === AST_NODE_TYPES.ExportNamedDeclaration && owner.parent?.type === AST_NODE_TYPES.Program);
}

const MAKE = new Set(["make"]);

/**
 * `ManagedRuntime.make(layer)`: the runtime's name as the code binds it (`AppRuntime` in
 * `const AppRuntime = ManagedRuntime.make(AppLayer)`, else the call as written), or null when
 * `call` builds no runtime.
 */
export function managedRuntimeMake(context: Context, call: TSESTree.CallExpression): string | null {
  if (!effectExport(context, call.callee, "ManagedRuntime", MAKE)) return null;
  const parent = outermostCast(call).parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.key.type === AST_NODE_TYPES.Identifier) return parent.key.name;
  return apiLabel(context, call.callee, "ManagedRuntime.make");
}

/** Arguments that can be an Effect: not literals, object or array literals, functions or templates. */
const EFFECT_SHAPED = new Set<string>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
]);

const PIPE = new Set(["pipe"]);

/** Is `call` a pipe: `x.pipe(f, g)` or `pipe(x, f, g)` from effect? The index of its first step, else -1. */
function pipeSteps(context: Context, call: TSESTree.CallExpression): number {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "pipe") return 0;
  if (callee.type === AST_NODE_TYPES.Identifier && callee.name === "pipe") return effectExport(context, callee, "Function", PIPE) ? 1 : -1;
  if (callee.type === AST_NODE_TYPES.MemberExpression && effectExport(context, callee, "Function", PIPE)) return 1;
  return -1;
}

/**
 * The Effect runs `call` performs: `run(effect)` (or `Runtime.runPromise(runtime, effect)`), and
 * runners given as pipe steps (`effect.pipe(Effect.runPromise)`, `pipe(effect, runPromise)`).
 * Runners flagged `bySignature` still need the type checker's confirmation.
 */
export function effectRuns(context: Context, call: TSESTree.CallExpression): EffectRun[] {
  const first = pipeSteps(context, call);
  if (first >= 0) {
    const runs: EffectRun[] = [];
    for (let i = first; i < call.arguments.length; i++) {
      const step = call.arguments[i]!;
      if (step.type === AST_NODE_TYPES.SpreadElement || isFunction(step)) continue;
      const runner = runnerRef(context, step);
      if (runner) runs.push({ runner, node: step, call, effect: { step } });
    }
    return runs;
  }
  const runner = runnerRef(context, call.callee);
  if (!runner) return [];
  // v3's data-first `Runtime.runPromise(runtime, effect)`.
  const dataFirst = !runner.bySignature && call.arguments.length >= 2 && effectExport(context, call.callee, "Runtime", RUNNER_NAMES) !== null;
  const arg = call.arguments[dataFirst ? 1 : 0];
  if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return [];
  if (runner.bySignature && !EFFECT_SHAPED.has(unwrap(arg).type)) return [];
  return [{ runner, node: call.callee, call, effect: { arg } }];
}

/** Steps after which an Effect cannot fail: `Effect.orDie`, `Effect.either` (v3) / `Effect.result` (v4), `Effect.exit`, ... */
const ELIMINATORS = new Set(["orDie", "either", "result", "exit", "ignore", "ignoreLogged", "option"]);
const ELIMINATOR_CALLS = new Set(["orDieWith", "match", "ignore", "ignoreLogged"]);

function eliminatesErrors(context: Context, step: Node): boolean {
  const n = unwrap(step);
  if (n.type === AST_NODE_TYPES.CallExpression) return effectExport(context, n.callee, "Effect", ELIMINATOR_CALLS) !== null;
  return effectExport(context, n, "Effect", ELIMINATORS) !== null;
}

/**
 * Is the Effect at `node` certainly free of failures by its last step (`x.pipe(..., Effect.orDie)`,
 * `Effect.either(x)`, `pipe(x, Effect.exit)`)? Syntax only: lets the rule skip the type checker
 * for runs that handle their errors the usual ways.
 */
function handledExpression(context: Context, node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.CallExpression) return false;
  const first = pipeSteps(context, n);
  if (first >= 0) {
    const last = n.arguments[n.arguments.length - 1];
    return n.arguments.length > first && !!last && last.type !== AST_NODE_TYPES.SpreadElement && eliminatesErrors(context, last);
  }
  // Data-first: `Effect.orDie(effect)`, `Effect.either(effect)`.
  return n.arguments.length === 1 && effectExport(context, n.callee, "Effect", ELIMINATORS) !== null;
}

/** Does the run's Effect end in a step that removes its failures (so its error type is `never`)? */
export function handledBeforeRun(context: Context, run: EffectRun): boolean {
  if ("arg" in run.effect) return handledExpression(context, run.effect.arg);
  const steps = run.call.arguments;
  const index = steps.indexOf(run.effect.step as TSESTree.CallExpressionArgument);
  const first = pipeSteps(context, run.call);
  if (index > first) {
    const previous = steps[index - 1];
    return !!previous && previous.type !== AST_NODE_TYPES.SpreadElement && eliminatesErrors(context, previous);
  }
  // The runner is the first step: look at what is piped into it.
  const callee = unwrap(run.call.callee);
  const input = first === 0 && callee.type === AST_NODE_TYPES.MemberExpression ? callee.object : run.call.arguments[0];
  return !!input && input.type !== AST_NODE_TYPES.SpreadElement && handledExpression(context, input);
}

/** Handlers that cannot fail: `() => Effect.succeed(null)`, `(e) => Effect.die(e)`, `() => Effect.void`. */
const NON_FAILING = new Set([
  "succeed",
  "sync",
  "die",
  "dieMessage",
  "dieSync",
  "succeedNone",
  "succeedSome",
  "void",
  "log",
  "logDebug",
  "logInfo",
  "logWarning",
  "logError",
]);

function nonFailingHandler(context: Context, handler: Node | undefined): boolean {
  const fn = handler && unwrap(handler);
  if (!fn || !isFunction(fn)) return false;
  let body: Node | null = fn.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) {
    const only = body.body.length === 1 ? body.body[0] : undefined;
    body = only?.type === AST_NODE_TYPES.ReturnStatement ? (only.argument ?? null) : null;
  }
  if (!body) return false;
  const value = unwrap(body);
  const target = value.type === AST_NODE_TYPES.CallExpression ? value.callee : value;
  return effectExport(context, target, "Effect", NON_FAILING) !== null;
}

const CATCH_TAGS = new Set(["catchTags"]);
const CATCH_TAG = new Set(["catchTag"]);

/** The tags a `Effect.catchTags({ A: ..., B: ... })` / `Effect.catchTag("A", ...)` step handles with handlers that cannot fail, else null. */
function caughtTags(context: Context, step: Node): Set<string> | null {
  const n = unwrap(step);
  if (n.type !== AST_NODE_TYPES.CallExpression) return null;
  if (effectExport(context, n.callee, "Effect", CATCH_TAGS)) {
    const handlers = n.arguments.length === 1 ? readLiteralObject(n.arguments[0]!) : null;
    if (!handlers) return null;
    for (const [, handler] of handlers) if (!nonFailingHandler(context, handler)) return null;
    return new Set(handlers.keys());
  }
  if (effectExport(context, n.callee, "Effect", CATCH_TAG)) {
    const args = n.arguments;
    const tags = args.slice(0, -1).map((a) => (a.type === AST_NODE_TYPES.Literal && typeof a.value === "string" ? a.value : null));
    if (tags.length === 0 || tags.includes(null) || !nonFailingHandler(context, args[args.length - 1])) return null;
    return new Set(tags as string[]);
  }
  return null;
}

function readLiteralObject(node: Node): Map<string, Node> | null {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return null;
  const out = new Map<string, Node>();
  for (const p of n.properties) {
    if (p.type !== AST_NODE_TYPES.Property || p.computed || p.kind !== "init") return null;
    const key = p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : p.key.type === AST_NODE_TYPES.Literal ? String(p.key.value) : null;
    if (key === null) return null;
    out.set(key, p.value);
  }
  return out;
}

/**
 * Where the type checker can read the Effect a run receives, as cheaply as possible:
 * - `expression`: the Effect is this node's value (a run's argument, or the receiver of
 *   `effect.pipe(runner)`);
 * - `caught`: this node's value minus the tags a `catchTags` step in between handles with
 *   handlers that cannot fail (`effect.pipe(Effect.catchTags({...}), runner)`);
 * - `step`: only the pipe call's resolution tells (the step's contextual parameter type), which
 *   makes the checker resolve the whole pipe, runner included.
 */
export type RunInput = { kind: "expression"; node: Node } | { kind: "caught"; node: Node; tags: ReadonlySet<string> } | { kind: "step"; step: Node };

export function runInput(context: Context, run: EffectRun): RunInput {
  if ("arg" in run.effect) return { kind: "expression", node: run.effect.arg };
  const steps = run.call.arguments;
  const index = steps.indexOf(run.effect.step as TSESTree.CallExpressionArgument);
  const first = pipeSteps(context, run.call);
  const callee = unwrap(run.call.callee);
  // Only the method form's receiver is checked without a contextual type.
  const receiver = first === 0 && callee.type === AST_NODE_TYPES.MemberExpression ? callee.object : null;
  if (receiver && index === first) return { kind: "expression", node: receiver };
  const tags = receiver && index === first + 1 ? caughtTags(context, steps[first]!) : null;
  if (receiver && tags) return { kind: "caught", node: receiver, tags };
  return { kind: "step", step: run.effect.step };
}

/**
 * What a runner throws (or rejects with) in place of the failure, hiding it from whoever catches:
 * Effect 3's runners a FiberFailure, `Micro.run*` a MicroCause; Effect 4's runners throw the
 * failure itself. The app's own runners are taken to rethrow the failure (the usual reason to
 * write one). `version` is the run Effect's major version, null when unknown.
 */
export function failureWrapper(runner: RunnerRef, version: 3 | 4 | null): string | null {
  if (runner.origin === "micro") return "MicroCause";
  return runner.origin === "effect" && version !== 4 ? "FiberFailure" : null;
}

// ---------------------------------------------------------------------------------------------
// Boundaries: where a failure that escapes the run reaches a framework

/**
 * When the run at `node` happens directly in an endpoint's handler (a tRPC resolver, a Fastify
 * route handler; not in a nested function, not inside a `try` that catches): that endpoint. Its
 * framework then turns the escaped failure into a 500.
 */
export function runBoundary(context: Context, node: Node): Endpoint | null {
  const fn = enclosingFunction(node);
  if (!fn || caughtBefore(node, fn)) return null;
  return endpointOfHandler(context, fn);
}

/**
 * Is the promise a run hands back handled where it is made: `run(effect).catch((e) => ...)` or
 * `run(effect).then(onOk, (e) => ...)`, with an inline handler that does not throw again?
 * Best-effort work (an activity log, a shutdown step) then ends there: no failure reaches a caller.
 */
export function rejectionHandledAtRun(run: EffectRun): boolean {
  const member = run.call.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== run.call) return false;
  const handled = member.parent;
  if (handled?.type !== AST_NODE_TYPES.CallExpression || handled.callee !== member) return false;
  const prop = propertyName(member);
  const handler = prop === "catch" ? handled.arguments[0] : prop === "then" ? handled.arguments[1] : undefined;
  const fn = handler && unwrap(handler);
  if (!fn || !isFunction(fn)) return false;
  let rethrows = false;
  ownNodes(fn, (node) => (rethrows ||= node.type === AST_NODE_TYPES.ThrowStatement));
  return !rethrows;
}

// ---------------------------------------------------------------------------------------------
// Promises that cannot reject (for `Effect.promise`)

const TIMER_MODULES = new Set(["timers/promises", "node:timers/promises"]);
const TIMERS = new Set(["setTimeout", "setImmediate"]);
const SETTLED = new Set(["Promise.resolve", "Promise.allSettled"]);
const COMBINED = new Set(["Promise.all", "Promise.race", "Promise.any"]);

function matchesName(path: string | null, names: readonly string[]): boolean {
  if (path === null) return false;
  const last = path.slice(path.lastIndexOf(".") + 1);
  return names.some((n) => n === path || (!n.includes(".") && n === last));
}

/** `setTimeout` / `scheduler.wait` from `node:timers/promises` (named or namespace import). */
function isPromiseTimer(context: Context, callee: Node): boolean {
  const n = unwrap(callee);
  const id = n.type === AST_NODE_TYPES.Identifier ? n : n.type === AST_NODE_TYPES.MemberExpression ? unwrap(n.object) : null;
  if (id?.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, id);
  if (binding?.kind !== "import" || !TIMER_MODULES.has(binding.source)) return false;
  if (n === id) return TIMERS.has(binding.imported);
  const prop = propertyName(n as TSESTree.MemberExpression);
  if (binding.imported === "scheduler") return prop === "wait";
  return binding.imported === "*" && prop !== null && TIMERS.has(prop);
}

const PURE_FUNCTIONS = new Set([
  "Array.from",
  "Array.of",
  "Object.keys",
  "Object.values",
  "Object.entries",
  "Object.fromEntries",
  "String",
  "Number",
  "Boolean",
]);
const PURE_CONSTRUCTORS = new Set(["Uint8Array", "TextEncoder", "TextDecoder", "Map", "Set", "Date"]);
const PURE_METHODS = new Set([
  "join",
  "map",
  "filter",
  "slice",
  "concat",
  "toString",
  "padStart",
  "padEnd",
  "toLowerCase",
  "toUpperCase",
  "trim",
  "encode",
  "reverse",
]);

/**
 * `Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")`: built-ins
 * that return a plain value and do not throw on such input, with callbacks made of the same.
 */
function pureBuiltin(node: Node, depth = 0): boolean {
  const n = unwrap(node);
  if (depth > 8) return false;
  switch (n.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.BinaryExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return pureBuiltin(n.object, depth + 1);
    case AST_NODE_TYPES.NewExpression:
      return n.callee.type === AST_NODE_TYPES.Identifier && PURE_CONSTRUCTORS.has(n.callee.name) && n.arguments.every((a) => pureBuiltin(a, depth + 1));
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return n.body.type !== AST_NODE_TYPES.BlockStatement && pureBuiltin(n.body, depth + 1);
    case AST_NODE_TYPES.CallExpression: {
      const callee = unwrap(n.callee);
      const path = memberPath(callee);
      const pureCall =
        (path !== null && PURE_FUNCTIONS.has(path)) ||
        (callee.type === AST_NODE_TYPES.MemberExpression && PURE_METHODS.has(propertyName(callee) ?? "") && pureBuiltin(callee.object, depth + 1));
      return pureCall && n.arguments.every((a) => a.type !== AST_NODE_TYPES.SpreadElement && pureBuiltin(a, depth + 1));
    }
    default:
      return false;
  }
}

const DIGESTS = new Set(["SHA-1", "SHA-256", "SHA-384", "SHA-512"]);

/** `crypto.subtle.digest("SHA-256", bytes)`: WebCrypto hashes in-memory data with a supported algorithm without rejecting. */
function isFixedDigest(path: string | null, call: TSESTree.CallExpression): boolean {
  if (path !== "crypto.subtle.digest" && path !== "globalThis.crypto.subtle.digest") return false;
  const algorithm = call.arguments[0];
  return algorithm?.type === AST_NODE_TYPES.Literal && typeof algorithm.value === "string" && DIGESTS.has(algorithm.value.toUpperCase());
}

/** Statements and expressions directly in `fn` (not in nested functions). */
function ownNodes(fn: FunctionNode, visit: (node: Node) => void): void {
  walk(fn.body, (node) => {
    if (node !== fn.body && isFunction(node)) return false;
    visit(node);
  });
}

/**
 * A promise that settles without rejecting: `Promise.resolve(x)`, timers, `new Promise((resolve)
 * => ...)`, `p.catch(...)`, names in `safe`, a call of a project function that cannot reject.
 * `seen`: the project functions being followed (a guard against recursion and depth).
 */
function settlesSafely(context: Context, expr: Node, safe: readonly string[], seen: ReadonlySet<FunctionNode>): boolean {
  const n = unwrap(expr);
  if (n.type === AST_NODE_TYPES.AwaitExpression) return settlesSafely(context, n.argument, safe, seen);
  if (n.type === AST_NODE_TYPES.ConditionalExpression)
    return settlesSafely(context, n.consequent, safe, seen) && settlesSafely(context, n.alternate, safe, seen);
  if (n.type === AST_NODE_TYPES.NewExpression) {
    const executor = n.arguments[0];
    if (unwrap(n.callee).type !== AST_NODE_TYPES.Identifier || (unwrap(n.callee) as TSESTree.Identifier).name !== "Promise" || !isFunction(executor))
      return false;
    // Without a `reject` parameter (and without `throw`), the executor cannot reject.
    let throws = false;
    ownNodes(executor, (node) => (throws ||= node.type === AST_NODE_TYPES.ThrowStatement));
    return executor.params.length < 2 && !throws;
  }
  if (n.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(n.callee);
  const path = memberPath(callee);
  if (matchesName(path, safe) || (path !== null && SETTLED.has(path)) || isPromiseTimer(context, callee) || isFixedDigest(path, n)) return true;
  if (path !== null && COMBINED.has(path)) {
    const list = n.arguments[0];
    return (
      list?.type === AST_NODE_TYPES.ArrayExpression &&
      list.elements.every((e) => !!e && e.type !== AST_NODE_TYPES.SpreadElement && settlesSafely(context, e, safe, seen))
    );
  }
  // `fetch(url).catch(() => null)` and `p.then(onOk, onError)` handle the rejection.
  if (callee.type === AST_NODE_TYPES.MemberExpression) {
    const prop = propertyName(callee);
    if (prop === "catch" || (prop === "then" && n.arguments.length >= 2)) return true;
  }
  const target = projectFunction(context, callee);
  return target !== null && cannotReject(target.context, target.fn, safe, seen);
}

/** How many project functions deep `Effect.promise`'s thunk is followed. */
const MAX_FOLLOWED = 3;

/**
 * The function a call reaches when its body is in the project: a function of this file (also a
 * method or field of the class around the call, through `this`), or with type information one in
 * another file of the program (declaration files have no body). Globals (`fetch`) and parameters
 * are not followed.
 */
function projectFunction(context: Context, callee: Node): { context: Context; fn: FunctionNode } | null {
  const n = unwrap(callee);
  const member = n.type === AST_NODE_TYPES.MemberExpression ? thisMember(n) : null;
  if (member) {
    const value = member.value && unwrap(member.value);
    return isFunction(value) ? { context, fn: value } : null;
  }
  let root = n;
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrap(root.object);
  if (root.type !== AST_NODE_TYPES.Identifier) return null;
  const binding = resolveBinding(context, root);
  if (binding?.kind === "local" && root === n) {
    const value = binding.value && unwrap(binding.value);
    return isFunction(value) ? { context, fn: value } : null;
  }
  if (binding?.kind !== "import" && binding?.kind !== "local") return null;
  // An import, or a method of a local object: only the type checker knows its declaration.
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  const decl = info && t ? declarationOf(info, n) : null;
  return info && t && decl ? estreeFunctionOf(context, info, t, decl) : null;
}

/**
 * Can a call of the project function `fn` reject (or throw, which `Effect.promise` also turns into
 * a defect)? It cannot when it is async and everything it awaits, returns or throws is handled,
 * typically a whole body of `try { ... } catch { return fallback }`; or when it is not async and
 * returns only promises that cannot reject or plain values.
 */
function cannotReject(context: Context, fn: FunctionNode, safe: readonly string[], seen: ReadonlySet<FunctionNode>): boolean {
  if (fn.generator || seen.has(fn) || seen.size >= MAX_FOLLOWED) return false;
  return rejectingIn(context, fn, safe, new Set(seen).add(fn), true) === null;
}

/**
 * A value that is certainly not a promise: a literal, an object or array literal, arithmetic; with
 * type information also a name or property whose type is known and not thenable. Calls are not
 * plain values: they may throw.
 */
function plainValue(context: Context, node: Node): boolean {
  const n = unwrap(node);
  switch (n.type) {
    case AST_NODE_TYPES.ConditionalExpression:
      return plainValue(context, n.consequent) && plainValue(context, n.alternate);
    case AST_NODE_TYPES.LogicalExpression:
      return plainValue(context, n.left) && plainValue(context, n.right);
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.ObjectExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.UnaryExpression:
    case AST_NODE_TYPES.BinaryExpression:
      return true;
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.MemberExpression: {
      const info = typeInfo(context);
      return info !== null && isPlainValue(info, n);
    }
    default:
      return false;
  }
}

/**
 * The expression through which the promise `Effect.promise(thunk)` evaluates can reject, or null
 * when it cannot: the thunk's returned promise, what an async thunk awaits or returns, a `throw`.
 * A thunk that is not a function is itself the answer, unless named in `safe` or a project
 * function that cannot reject.
 */
export function rejectingExpression(context: Context, thunk: Node, safe: readonly string[]): Node | null {
  const fn = unwrap(thunk);
  if (isFunction(fn)) return rejectingIn(context, fn, safe, new Set([fn]), false);
  if (matchesName(memberPath(fn), safe)) return null;
  const target = projectFunction(context, fn);
  return target && cannotReject(target.context, target.fn, safe, new Set()) ? null : fn;
}

/**
 * What makes a call of `fn` reject, else null. `plainValuesSettle`: a returned plain value is fine
 * (a function the thunk calls; the thunk itself must return a promise).
 */
function rejectingIn(context: Context, fn: FunctionNode, safe: readonly string[], seen: ReadonlySet<FunctionNode>, plainValuesSettle: boolean): Node | null {
  const candidates: Node[] = [];
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) candidates.push(fn.body);
  ownNodes(fn, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) candidates.push(node.argument);
    else if (node.type === AST_NODE_TYPES.ThrowStatement || (fn.async && node.type === AST_NODE_TYPES.AwaitExpression)) candidates.push(node);
  });
  for (const candidate of candidates.sort((a, b) => a.range[0] - b.range[0])) {
    const value = unwrap(candidate);
    const promiseMade = value.type === AST_NODE_TYPES.CallExpression || value.type === AST_NODE_TYPES.NewExpression;
    // A `try` catches what is thrown or awaited inside it; a promise returned from it without
    // `await` rejects after the function has left the `try`.
    const returnedPromise = promiseMade && (candidate.parent?.type === AST_NODE_TYPES.ReturnStatement || candidate === fn.body);
    if (caughtBefore(candidate, fn) && !returnedPromise) continue;
    if (candidate.type === AST_NODE_TYPES.ThrowStatement) return candidate;
    if (value.type === AST_NODE_TYPES.AwaitExpression) {
      if (!settlesSafely(context, value.argument, safe, seen)) return value.argument;
      continue;
    }
    // An async function's plain return value (`return user`) is not a promise; a returned call may be.
    if (fn.async && (!promiseMade || pureBuiltin(value))) continue;
    if (plainValuesSettle && plainValue(context, value)) continue;
    if (!settlesSafely(context, value, safe, seen)) return value;
  }
  return null;
}

/**
 * Steps that catch a defect as well as a failure: Effect 3's `catchAllCause`, `catchAllDefect`,
 * `ignoreLogged`; Effect 4's `catchCause`, `catchDefect`, `ignoreCause`. `Effect.ignore` is not
 * one: in both versions it handles failures only, and a defect passes through it.
 */
const DEFECT_CATCHERS = new Set(["catchAllCause", "catchCause", "catchAllDefect", "catchDefect", "ignoreLogged", "ignoreCause"]);

function catchesDefects(context: Context, step: Node | undefined): boolean {
  if (!step || step.type === AST_NODE_TYPES.SpreadElement) return false;
  const n = unwrap(step);
  return effectExport(context, n.type === AST_NODE_TYPES.CallExpression ? n.callee : n, "Effect", DEFECT_CATCHERS) !== null;
}

/**
 * Is the Effect `call` makes handed straight to a step that catches defects:
 * `Effect.promise(...).pipe(Effect.catchAllCause(...))`, `pipe(Effect.promise(...),
 * Effect.ignoreLogged)`, `Effect.catchCause(Effect.promise(...), ...)`? A rejection that becomes a
 * defect is then handled anyway.
 */
export function defectCaughtNext(context: Context, call: TSESTree.CallExpression): boolean {
  const parent = call.parent;
  if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === call && propertyName(parent) === "pipe") {
    const pipeCall = parent.parent;
    return pipeCall.type === AST_NODE_TYPES.CallExpression && pipeCall.callee === parent && catchesDefects(context, pipeCall.arguments[0]);
  }
  if (parent.type !== AST_NODE_TYPES.CallExpression || parent.arguments[0] !== call) return false;
  if (pipeSteps(context, parent) === 1) return catchesDefects(context, parent.arguments[1]);
  return effectExport(context, parent.callee, "Effect", DEFECT_CATCHERS) !== null;
}

const PROMISE_METHODS = new Set(["then", "catch", "finally"]);

/** `fetch(url)` -> `FetchError`, `db.user.findUnique(...)` -> `FindUniqueError`: a name for the suggested tagged error. */
export function errorClassName(node: Node): string {
  let n = unwrap(node);
  // `fetch(url).then((r) => r.json())` is named after `fetch`.
  while (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression && PROMISE_METHODS.has(propertyName(n.callee) ?? "")) {
    n = unwrap(n.callee.object);
  }
  if (n.type === AST_NODE_TYPES.AwaitExpression) n = unwrap(n.argument);
  const target = n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression ? n.callee : n;
  const path = memberPath(target);
  const last = path?.slice(path.lastIndexOf(".") + 1).replace(/^#/, "") ?? "";
  if (!/^[A-Za-z_$][\w$]*$/.test(last) || last === "this") return "PromiseError";
  const pascal = last[0]!.toUpperCase() + last.slice(1);
  return pascal.endsWith("Error") ? pascal : `${pascal}Error`;
}

// ---------------------------------------------------------------------------------------------
// Values dropped on the floor (for `effect-no-floating`; the type checker decides if they are Effects)

const DROPPABLE = new Set<string>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.MemberExpression,
  AST_NODE_TYPES.ConditionalExpression,
  AST_NODE_TYPES.LogicalExpression,
]);

/** The value an expression statement throws away (`Effect.log("x");`, `void eff;`), else null (assignments, awaits, yields, directives). */
export function droppedValue(statement: TSESTree.ExpressionStatement): Node | null {
  if (statement.directive !== undefined) return null;
  let value = unwrap(statement.expression);
  if (value.type === AST_NODE_TYPES.UnaryExpression && value.operator === "void") value = unwrap(value.argument);
  return DROPPABLE.has(value.type) ? value : null;
}

/**
 * Functions that call a callback and throw its result away: `Array#forEach`, event listeners,
 * timers. Only their callbacks are asked about (the type checker then confirms a `void` result).
 */
const DISCARDING = new Set([
  "forEach",
  "on",
  "once",
  "addListener",
  "prependListener",
  "prependOnceListener",
  "addEventListener",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "nextTick",
]);

/** For an arrow `(x) => value` passed to `forEach`, a listener or a timer: the returned value and the callee, else null. */
export function callbackReturn(fn: TSESTree.ArrowFunctionExpression): { value: Node; callee: Node } | null {
  if (fn.body.type === AST_NODE_TYPES.BlockStatement) return null;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn)) return null;
  const name = calleeName(call);
  if (name === null || !DISCARDING.has(name)) return null;
  const value = unwrap(fn.body);
  return DROPPABLE.has(value.type) ? { value, callee: call.callee } : null;
}
