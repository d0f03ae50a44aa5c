import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import {
  BUILDER_NAME,
  importedBuilderFacts,
  isTrpcInstance as isTrpcInstanceNode,
  MIDDLEWARE_LINKS,
  type ArchlintSettings,
  type BuilderAccess,
} from "@archlint/core";
import { archlintSettings, decomposeChain, isFunction, propertyName, resolveBinding, unwrap, type ChainLink, type Context, type Node } from "../syntax/ast.js";
import type { FunctionNode } from "../syntax/functions.js";

import { projectIndex } from "../project.js";
import type * as ts from "typescript";
import { classLineage, declaredIn, typeHasProperties, typeInfo, type TypeInfo } from "../syntax/types.js";
import { isPublicProcedure } from "../flow/hot-paths.js";
import type { EndpointFacts, EndpointGuards, EndpointInputs } from "./endpoint.js";
import { middlewareRequiresSession } from "./session.js";
import { inheritedInputState } from "./trpc-input.js";

/**
 * Recognising tRPC procedures: a chain that ends in `.query(...)`, `.mutation(...)` or
 * `.subscription(...)` and starts at a procedure builder, with everything the chain and the
 * builders it comes from add (`.input()`, `.output()`, `.use()`, `.meta()`), its resolver, and its
 * path in the router where it can be known.
 */

export type ProcedureKind = "query" | "mutation" | "subscription";

export interface Builder {
  /** `publicProcedure`, `t.procedure`, `orgProcedure` ... as written at the base of the chain. */
  name: string;
  /** Links inherited from local builder declarations (`const orgProcedure = authed.input(...)`). */
  inherited: ChainLink[];
  /**
   * The builders whose own definitions are not in this file (imported, or a parameter): they may
   * add `.input()`s or middleware that the chain here does not show. `source` is the import's
   * module specifier, when imported.
   */
  opaque: Array<{ name: string; source: string | null }>;
  /** The root builder names met on the way, outermost first (`orgProcedure`, `authedProcedure`, `t.procedure`). */
  lineage: string[];
}

export interface Procedure {
  kind: ProcedureKind;
  /** The `.query(...)` call. */
  terminal: TSESTree.CallExpression;
  /** The `.query` member expression (where a missing `.input()` would go). */
  terminalMember: TSESTree.MemberExpression;
  builder: Builder;
  /** Links of this chain (after the builder), in order. */
  links: ChainLink[];
  /** Inherited + own links. */
  allLinks: ChainLink[];
  inputs: ChainLink[];
  middlewares: ChainLink[];
  /** The resolver function as written (may be an identifier or a call). */
  resolverArg: Node | null;
  /** `post.byId`, or null when the procedure is not in a router object literal. */
  path: string | null;
}

export const TERMINALS = new Set<string>(["query", "mutation", "subscription"]);
const ROUTER_FACTORIES = new Set(["router", "createTRPCRouter", "createRouter", "mergeRouters"]);

function builderNames(context: Context): Set<string> {
  return configuredBuilders(archlintSettings(context));
}

/** The builders `settings.archlint.procedures` names. */
export function configuredBuilders(settings: ArchlintSettings): Set<string> {
  const s = settings.procedures;
  return new Set([...(s?.public ?? []), ...(s?.protected ?? [])]);
}

/** `<node>.procedure` is tRPC's root builder: core's rule, with this file's scope for the bindings. */
function isTrpcInstance(context: Context, node: Node): boolean {
  return isTrpcInstanceNode(node, (name) => {
    const id = unwrap(node);
    if (id.type !== AST_NODE_TYPES.Identifier || id.name !== name) return null;
    const binding = resolveBinding(context, id);
    if (binding?.kind === "import") return { imported: true, value: null };
    return binding?.kind === "local" ? { imported: false, value: binding.value } : null;
  });
}

/**
 * Resolve the base of a chain to a procedure builder, or null when it is not one.
 * `seen` guards against cycles through local declarations.
 */
export function resolveBuilder(context: Context, node: Node, seen = new Set<Node>()): Builder | null {
  const n = unwrap(node);
  if (seen.has(n) || seen.size > 8) return null;
  seen.add(n);
  if (n.type === AST_NODE_TYPES.MemberExpression && propertyName(n) === "procedure") {
    return isTrpcInstance(context, n.object) ? { name: sourceName(context, n), inherited: [], opaque: [], lineage: [sourceName(context, n)] } : null;
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const { base, links } = decomposeChain(n);
    if (links.length === 0) return null;
    const inner = resolveBuilder(context, base, seen);
    if (!inner) return null;
    return { ...inner, inherited: [...inner.inherited, ...links] };
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return null;
  const named = BUILDER_NAME.test(n.name) || builderNames(context).has(n.name);
  const binding = resolveBinding(context, n);
  if (binding?.kind === "local" && binding.value) {
    const inner = resolveBuilder(context, binding.value, seen);
    if (inner) return { ...inner, name: n.name, lineage: [n.name, ...inner.lineage] };
    return null;
  }
  if (!named) return null;
  // Imported, or a parameter / global: a builder by name whose definition is elsewhere.
  const source = binding?.kind === "import" ? binding.source : null;
  return { name: n.name, inherited: [], opaque: [{ name: binding?.kind === "import" ? binding.imported : n.name, source }], lineage: [n.name] };
}

function sourceName(context: Context, node: Node): string {
  return context.sourceCode.getText(node);
}

/** The procedure whose terminal call is `call`, or null when `call` is not one. */
export function getProcedure(context: Context, call: TSESTree.CallExpression): Procedure | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const kind = propertyName(callee);
  if (kind === null || !TERMINALS.has(kind)) return null;
  const { base, links: allOwn } = decomposeChain(call);
  const links = allOwn.slice(0, -1);
  const builder = resolveBuilder(context, base);
  if (!builder) return null;
  if (!confirmBuilderType(context, base, builder)) return null;
  const allLinks = [...builder.inherited, ...links];
  return {
    kind: kind as ProcedureKind,
    terminal: call,
    terminalMember: callee,
    builder,
    links,
    allLinks,
    inputs: allLinks.filter((l) => l.name === "input"),
    middlewares: allLinks.filter((l) => l.name === "use"),
    resolverArg: (call.arguments[0] as Node | undefined) ?? null,
    path: procedurePath(context, call),
  };
}

/**
 * An imported builder traced through the text of the modules that define it to `t.procedure` is
 * tRPC's. Otherwise (a builder known only by its name, or `.procedure` on a value this file does
 * not create with `initTRPC`), with type information
 * the base must be typed as tRPC's procedure builder (it has `input`, `use` and `query`); without
 * it, the recognition by name stands. The text comes first: the type question costs the
 * inference of tRPC's builder types, in every file, since each file's program has its own checker.
 */
function confirmBuilderType(context: Context, base: Node, builder: Builder): boolean {
  if (builder.opaque.length > 0 && tracedToProcedure(context, builder)) return true;
  const info = typeInfo(context);
  if (!info) return true;
  const result = typeHasProperties(info, base, ["input", "use", "query", "mutation"]);
  return result !== false;
}

/** Every builder the chain comes from that this file does not define is traced, in the text of its module, to `<t>.procedure`. */
function tracedToProcedure(context: Context, builder: Builder): boolean {
  return builder.opaque.every((o) => o.source !== null && traceImportedBuilder(context.physicalFilename, o.source, o.name)?.procedure);
}

/**
 * Is `node` a tRPC procedure builder (`protectedProcedure`, `t.procedure.use(auth)`), known from
 * the code alone: this file's chain to `<t>.procedure`, and the text of the modules it imports
 * builders from? Never asks the checker, whose answer costs the inference of tRPC's builder types.
 */
export function isProcedureBuilder(context: Context, node: Node): boolean {
  const builder = resolveBuilder(context, node);
  return builder !== null && tracedToProcedure(context, builder);
}

/**
 * Follows an imported builder through the modules that define it (read as ESTree by the core
 * index): does its chain add an `.input()`, and does it reach `<t>.procedure`? null when a
 * definition cannot be read.
 */
export function traceImportedBuilder(fromFile: string, source: string, name: string): { input: boolean; procedure: boolean } | null {
  const facts = importedBuilderFacts(fromFile, source, name);
  return facts ? { input: facts.input, procedure: facts.traced } : null;
}

/**
 * Is the procedure's builder public or protected? Core's one classifier (the one `archlint init`
 * uses), given the builders met here and, for imported ones, in the modules that define them.
 */
export function builderAccess(context: Context, procedure: Procedure): BuilderAccess {
  const { lineage, opaque } = procedure.builder;
  const names = [...lineage];
  let traced = opaque.length === 0 && /(^|\.)procedure$/.test(lineage.at(-1) ?? "");
  let middleware = procedure.allLinks.some((l) => MIDDLEWARE_LINKS.has(l.name));
  for (const o of opaque) {
    const facts = o.source === null ? null : importedBuilderFacts(context.physicalFilename, o.source, o.name);
    if (!facts) continue;
    names.push(...facts.names.slice(1));
    traced = facts.traced;
    middleware ||= facts.middleware;
  }
  return projectIndex(context).builderAccess({ names, traced, middleware });
}

/** `post.byId` from `router({ post: router({ byId: <here> }) })`, prefixed by `postRouter`'s name. */
function procedurePath(context: Context, call: Node): string | null {
  const placed = procedurePlace(context, call);
  if (!placed) return null;
  const { keys, outerRouterCall } = placed;
  const declarator = outerRouterCall?.parent;
  if (declarator?.type === AST_NODE_TYPES.VariableDeclarator && declarator.id.type === AST_NODE_TYPES.Identifier) {
    const prefix = /^(.+?)Router$/.exec(declarator.id.name)?.[1];
    if (prefix && !["app", "_app", "root", "main", "api"].includes(prefix)) return [prefix, ...keys].join(".");
  }
  return keys.join(".");
}

/**
 * Where a procedure sits in the router object literals of its file: the keys from the outermost
 * router call down (`["byId"]`), and that call (null when the keys lead to an object that is no
 * router's, `{ byId: ... }`). The router's own name is not among the keys: `archlint map` joins
 * routers across files by their variables.
 */
export function procedurePlace(context: Context, call: Node): { keys: string[]; outerRouterCall: TSESTree.CallExpression | null } | null {
  const keys: string[] = [];
  let node: Node = call;
  let outerRouterCall: TSESTree.CallExpression | null = null;
  for (let guard = 0; guard < 32; guard++) {
    const parent = node.parent;
    if (!parent) break;
    if (parent.type === AST_NODE_TYPES.Property && parent.value === node) {
      const key =
        parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : parent.key.type === AST_NODE_TYPES.Literal ? String(parent.key.value) : null;
      if (key === null) return null;
      keys.unshift(key);
      const obj = parent.parent;
      const routerCall = obj?.parent;
      if (obj?.type !== AST_NODE_TYPES.ObjectExpression || routerCall?.type !== AST_NODE_TYPES.CallExpression || !isRouterCall(routerCall)) {
        return keys.length > 0 ? { keys, outerRouterCall: null } : null;
      }
      outerRouterCall = routerCall;
      node = routerCall;
      continue;
    }
    if (parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.TSSatisfiesExpression) {
      node = parent;
      continue;
    }
    // `const byId = publicProcedure.query(...)`, listed later as `router({ byId })`.
    if (keys.length === 0 && parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) {
      const listed = routerEntryOf(context, parent);
      if (listed) {
        node = listed;
        continue;
      }
    }
    break;
  }
  if (keys.length === 0) return null;
  return { keys, outerRouterCall };
}

/** Where the variable a declarator declares is the value of a router entry (`router({ byId })`, `{ get: byId }`) in this file. */
function routerEntryOf(context: Context, declarator: TSESTree.VariableDeclarator): Node | null {
  if (declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
  for (const variable of context.sourceCode.getDeclaredVariables(declarator)) {
    for (const ref of variable.references) {
      const id = ref.identifier as Node;
      const property = id.parent;
      const call = property?.parent?.parent;
      if (property?.type === AST_NODE_TYPES.Property && property.value === id && call?.type === AST_NODE_TYPES.CallExpression && isRouterCall(call)) return id;
    }
  }
  return null;
}

export function isRouterCall(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : null;
  return name !== null && ROUTER_FACTORIES.has(name);
}

/** The resolver as a function node in this file (inline, a local function or const), else null. */
export function localFunction(context: Context, node: Node | null): FunctionNode | null {
  if (!node) return null;
  let n = unwrap(node);
  for (let i = 0; i < 4 && n.type === AST_NODE_TYPES.Identifier; i++) {
    const binding = resolveBinding(context, n);
    if (binding?.kind !== "local" || !binding.value) return null;
    n = unwrap(binding.value);
  }
  return isFunction(n) ? n : null;
}

// ---------------------------------------------------------------------------------------------
// The procedure as an endpoint

/** The endpoint `node` declares when it is a tRPC procedure's `.query()` / `.mutation()` / `.subscription()`. */
export function trpcEndpoint(context: Context, node: Node): EndpointFacts | null {
  if (node.type !== AST_NODE_TYPES.CallExpression) return null;
  const procedure = getProcedure(context, node);
  if (!procedure) return null;
  const handler = localFunction(context, procedure.resolverArg);
  return {
    framework: "trpc",
    procedure,
    label: procedure.path ?? `${procedure.builder.name}.${procedure.kind}()`,
    path: procedure.path,
    kind: procedure.kind === "query" ? "read" : procedure.kind === "mutation" ? "write" : "unknown",
    node,
    handlerArg: procedure.resolverArg,
    handler,
    names: procedure.path ? [procedure.path] : [],
    middleware: procedure.middlewares.flatMap((mw) => (mw.args[0] ? [mw.args[0] as Node] : [])),
    phrases: { read: "a query", publicRead: "a public query" },
    understandsError: isTrpcError,
    findInputs: () => procedureInputs(context, procedure, handler),
    findGuards: () => procedureGuards(context, procedure),
  };
}

const TRPC_SERVER = /[\\/]@trpc[\\/]server[\\/]/;

/** A `TRPCError` of `@trpc/server`, or a class extending it: tRPC answers it with its code. */
export function isTrpcError(info: TypeInfo, error: ts.Type): boolean {
  return classLineage(info, error).some((c) => c.getSymbol()?.getName() === "TRPCError" && declaredIn(c.getSymbol(), TRPC_SERVER));
}

function procedureGuards(context: Context, procedure: Procedure): EndpointGuards {
  const lineage = procedure.builder.lineage.map((n) => `\`${n}\``).join(" <- ");
  const middleware = procedure.middlewares.length > 0 ? `, with ${procedure.middlewares.length} \`.use()\`` : "";
  const why = `built on ${lineage}${middleware}`;
  if (!isPublicProcedure(context, procedure)) return { access: "protected", why };
  // A public builder, then `.use(requireUser)` in the procedure's own chain: the middleware decides.
  const gate = procedure.links.find((l) => l.name === "use" && l.args[0] !== undefined && middlewareRequiresSession(context, l.args[0] as Node));
  if (gate) return { access: "protected", why: `${why}; \`.use(${sourceName(context, gate.args[0] as Node)})\` rejects callers without a session` };
  return { access: "public", why };
}

function procedureInputs(context: Context, procedure: Procedure, handler: ReturnType<typeof localFunction>): EndpointInputs {
  const own = procedure.inputs.find((i) => i.args.length > 0);
  if (own) {
    const schema = context.sourceCode.getText(own.args[0]!);
    return { validation: "validated", how: `\`.input(${schema.length <= 40 ? schema : "..."})\`` };
  }
  const inherited = inheritedInputState(context, procedure, handler);
  if (inherited === "some") return { validation: "validated", how: "an `.input()` on an imported builder" };
  if (inherited === "none") return { validation: "unvalidated", how: "no `.input()` in its chain or its builders" };
  return { validation: "unknown", how: "a builder whose definition cannot be read here" };
}
