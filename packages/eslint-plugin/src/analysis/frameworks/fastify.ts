import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import {
  annotationTypeName,
  calleeName,
  isFunction,
  propertyName,
  readObject,
  resolveBinding,
  resolveValue,
  staticKeyName,
  unwrap,
  type Context,
  type Node,
  type ObjectShape,
  walk,
} from "../syntax/ast.js";
import type { EndpointFacts, EndpointGuards, EndpointInputs } from "./endpoint.js";
import { methodsOperation } from "./http.js";
import { crossFileReads, paramMemberReads, type MemberRead } from "../syntax/param-reads.js";
import type * as ts from "typescript";
import { askChecker, typeHasProperties, typeInfo, typescriptModule, type TypeInfo } from "../syntax/types.js";

/**
 * Recognising Fastify routes: `app.get/post/...(url, [options], handler)`, `app.get(url, { schema,
 * handler })` and `app.route({ method, url, schema, handler })`, on a receiver that is a Fastify
 * instance. Precision first: `x.get(url, handler)` is also Express, Hono, axios and `Map.get`, so
 * the receiver must be proven a Fastify instance, by its origin or, with type information, by
 * its type; a name (`fastify`, `app`) proves nothing.
 */

export type { FunctionNode } from "../syntax/functions.js";
import type { FunctionNode } from "../syntax/functions.js";

export const SHORTHAND_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "all"] as const;
const SHORTHANDS = new Set<string>(SHORTHAND_METHODS);

/** What a route's `schema` is: absent, an object we can read (through consts and spreads), or something we cannot see. */
export type RouteSchema = { kind: "none" } | { kind: "opaque" } | { kind: "object"; shape: ObjectShape };

export interface FastifyRoute {
  call: TSESTree.CallExpression;
  /** Upper-case methods (`["GET", "POST"]` for `method: ["GET", "POST"]`); empty when not known. */
  methods: string[];
  /** The URL when it is a literal (or a template, with `${...}` parts as written); null otherwise. */
  url: string | null;
  /** `POST /v1/users`, for messages. The prefix a plugin is registered under is not included (the map adds it: fastify-plugins.ts). */
  label: string;
  schema: RouteSchema;
  /** The handler as written (an inline function, an identifier, `controller.postEvent`). */
  handlerArg: Node | null;
  /** The handler's function when it is in this file. */
  handler: FunctionNode | null;
}

/** The members of `request` that carry client input. */
export const REQUEST_INPUTS = ["body", "query", "params", "headers"] as const;
export type RequestInput = (typeof REQUEST_INPUTS)[number];

/** Properties only a Fastify instance has together (Express, Hono and axios have none of `register`, `decorate`, `addHook`). */
const INSTANCE_SHAPE = ["route", "register", "decorate", "addHook", "withTypeProvider"];
/**
 * Without types, every way this file knows a Fastify instance names Fastify: the "fastify" and
 * "fastify-plugin" modules, `FastifyInstance`, the `FastifyPlugin*` types (the CLI's pre-pass).
 */
export const FASTIFY_MENTION = /fastify/i;

/** `FastifyPluginAsync`, `FastifyPluginCallback`, and the type providers' `FastifyPluginAsyncZod`, `FastifyPluginAsyncTypebox`, ... */
const PLUGIN_TYPE = /^FastifyPlugin(?:Async|Callback)?(?!Options)[A-Za-z0-9]*$/;
const INSTANCE_TYPE = "FastifyInstance";
const MAX_DEPTH = 6;

/** The route `call` registers, or null when it is not a route on a Fastify instance. */
export function getFastifyRoute(context: Context, call: TSESTree.CallExpression): FastifyRoute | null {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = propertyName(callee);
  if (name === null || (name !== "route" && !SHORTHANDS.has(name))) return null;
  // A shorthand route takes a URL and a handler (or options holding it): `cache.get(key)` is never one.
  if (call.arguments.length < (name === "route" ? 1 : 2) || call.arguments.some((a) => a.type === AST_NODE_TYPES.SpreadElement)) return null;
  if (!isFastifyInstance(context, callee.object)) return null;
  return name === "route" ? fullRoute(context, call) : shorthandRoute(context, call, name);
}

/** Is `node` a Fastify instance: by its origin, or (with type information) by its type's shape? */
export function isFastifyInstance(context: Context, node: Node): boolean {
  if (instanceBySyntax(context, node, 0)) return true;
  const info = typeInfo(context);
  return info !== null && typeHasProperties(info, unwrap(node), INSTANCE_SHAPE) === true;
}

function instanceBySyntax(context: Context, node: Node, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(n.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "withTypeProvider") {
      return instanceBySyntax(context, callee.object, depth + 1);
    }
    return isFactory(context, callee);
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, n);
  if (binding?.kind === "local") {
    const def = binding.definition;
    if (
      def.type === AST_NODE_TYPES.VariableDeclarator &&
      def.id.type === AST_NODE_TYPES.Identifier &&
      annotationTypeName(def.id.typeAnnotation) === INSTANCE_TYPE
    ) {
      return true;
    }
    return binding.value !== null && instanceBySyntax(context, binding.value, depth + 1);
  }
  if (binding?.kind === "parameter" && isFunction(binding.fn)) {
    const param = binding.fn.params[binding.index];
    if (param && annotationTypeName(parameterAnnotation(param)) === INSTANCE_TYPE) return true;
    return binding.index === 0 && isPlugin(context, binding.fn, depth + 1);
  }
  return false;
}

function parameterAnnotation(param: TSESTree.Parameter): TSESTree.TSTypeAnnotation | undefined {
  const p = param.type === AST_NODE_TYPES.TSParameterProperty ? param.parameter : param;
  const target = p.type === AST_NODE_TYPES.AssignmentPattern ? p.left : p;
  return "typeAnnotation" in target ? target.typeAnnotation : undefined;
}

/** `Fastify(...)` / `fastify(...)` from "fastify" (default, named or namespace import, or `require`). */
function isFactory(context: Context, callee: Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, callee);
    if (binding?.kind === "import") return binding.source === "fastify" && (binding.imported === "default" || binding.imported === "fastify");
    return binding?.kind === "local" && binding.value !== null && isRequireOf(binding.value, "fastify");
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, callee.object);
    const name = propertyName(callee);
    return binding?.kind === "import" && binding.source === "fastify" && binding.imported === "*" && (name === "fastify" || name === "default");
  }
  return isRequireOf(callee, "fastify");
}

function isRequireOf(node: Node, source: string): boolean {
  const n = unwrap(node);
  return (
    n.type === AST_NODE_TYPES.CallExpression &&
    n.callee.type === AST_NODE_TYPES.Identifier &&
    n.callee.name === "require" &&
    n.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    n.arguments[0].value === source
  );
}

/**
 * Is `fn` a plugin (so its first parameter is a Fastify instance)? Typed as one
 * (`const routes: FastifyPluginAsyncZod = async (app) => ...`, `satisfies FastifyPluginAsync`),
 * wrapped in `fp(...)`, or passed to `register` on a Fastify instance, inline or by name.
 */
function isPlugin(context: Context, fn: FunctionNode, depth: number): boolean {
  let outer: Node = fn;
  while (outer.parent && (outer.parent.type === AST_NODE_TYPES.TSAsExpression || outer.parent.type === AST_NODE_TYPES.TSSatisfiesExpression)) {
    if (PLUGIN_TYPE.test(annotationTypeName(outer.parent.typeAnnotation) ?? "")) return true;
    outer = outer.parent;
  }
  const parent = outer.parent;
  const declarator =
    parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer && parent.id.type === AST_NODE_TYPES.Identifier ? parent : null;
  if (declarator && PLUGIN_TYPE.test(annotationTypeName((declarator.id as TSESTree.Identifier).typeAnnotation) ?? "")) return true;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === outer && registersPlugin(context, parent, depth)) return true;

  // Passed by name: `app.register(routes)`, `export default fp(routes)`.
  const named = fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id ? fn : declarator;
  if (!named) return false;
  const name = fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id ? fn.id.name : (declarator!.id as TSESTree.Identifier).name;
  for (const variable of context.sourceCode.getDeclaredVariables(named)) {
    if (variable.name !== name) continue;
    for (const ref of variable.references) {
      const use = ref.identifier.parent;
      if (use?.type === AST_NODE_TYPES.CallExpression && use.arguments[0] === ref.identifier && registersPlugin(context, use, depth)) return true;
    }
  }
  return false;
}

/** `fp` of fastify-plugin (default or named import, or `require`): the plugin it wraps is not encapsulated. */
export function isFastifyPluginWrapper(context: Context, callee: Node): boolean {
  const c = unwrap(callee);
  if (c.type !== AST_NODE_TYPES.Identifier) return false;
  const binding = resolveBinding(context, c);
  if (binding?.kind === "import") {
    return binding.source === "fastify-plugin" && (binding.imported === "default" || binding.imported === "fastifyPlugin");
  }
  return binding?.kind === "local" && binding.value !== null && isRequireOf(binding.value, "fastify-plugin");
}

/** `fp(plugin)` (fastify-plugin) or `<fastify instance>.register(plugin)`. */
function registersPlugin(context: Context, call: TSESTree.CallExpression, depth: number): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return isFastifyPluginWrapper(context, callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "register" && instanceBySyntax(context, callee.object, depth + 1);
}

function shorthandRoute(context: Context, call: TSESTree.CallExpression, method: string): FastifyRoute {
  const [urlArg, second, third] = call.arguments as Node[];
  let optionsArg: Node | null = null;
  let handlerArg: Node | null = null;
  if (third) {
    optionsArg = second ?? null;
    handlerArg = third;
  } else if (second) {
    // `app.get(url, { schema, handler })` or `app.get(url, handler)`; an imported identifier is a handler.
    if (readObject(context, second)) optionsArg = second;
    else handlerArg = second;
  }
  const options = optionsArg ? readObject(context, optionsArg) : null;
  if (options && !handlerArg) handlerArg = options.properties.get("handler")?.value ?? null;
  const schema: RouteSchema = !optionsArg ? { kind: "none" } : options ? schemaOf(context, options) : { kind: "opaque" };
  return makeRoute(context, call, [method.toUpperCase()], urlArg ?? null, schema, handlerArg);
}

function fullRoute(context: Context, call: TSESTree.CallExpression): FastifyRoute {
  const options = readObject(context, call.arguments[0]!);
  if (!options) return makeRoute(context, call, [], null, { kind: "opaque" }, null);
  const props = options.properties;
  return makeRoute(
    context,
    call,
    methodsOf(context, props.get("method")?.value ?? null),
    props.get("url")?.value ?? props.get("path")?.value ?? null,
    schemaOf(context, options),
    props.get("handler")?.value ?? null,
  );
}

function schemaOf(context: Context, options: ObjectShape): RouteSchema {
  const prop = options.properties.get("schema");
  if (!prop) return options.complete ? { kind: "none" } : { kind: "opaque" };
  const shape = readObject(context, prop.value);
  return shape ? { kind: "object", shape } : { kind: "opaque" };
}

function methodsOf(context: Context, node: Node | null): string[] {
  if (!node) return [];
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === "string") return [n.value.toUpperCase()];
  if (n.type === AST_NODE_TYPES.ArrayExpression) {
    return n.elements.flatMap((e) => (e?.type === AST_NODE_TYPES.Literal && typeof e.value === "string" ? [e.value.toUpperCase()] : []));
  }
  return [];
}

function urlOf(context: Context, node: Node | null): string | null {
  if (!node) return null;
  const n = resolveValue(context, node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === "string") return n.value;
  if (n.type === AST_NODE_TYPES.TemplateLiteral) {
    return n.quasis.map((q, i) => q.value.cooked + (n.expressions[i] ? `\${${context.sourceCode.getText(n.expressions[i])}}` : "")).join("");
  }
  return null;
}

/** `POST /v1/users`, `GET|HEAD /`, `ROUTE (dynamic URL)`: a route as messages and the map name it. */
export function fastifyRouteLabel(methods: string[], url: string | null): string {
  return `${methods.length > 0 ? methods.join("|") : "ROUTE"} ${url ?? "(dynamic URL)"}`;
}

function makeRoute(
  context: Context,
  call: TSESTree.CallExpression,
  methods: string[],
  urlNode: Node | null,
  schema: RouteSchema,
  handlerArg: Node | null,
): FastifyRoute {
  const url = urlOf(context, urlNode);
  return {
    call,
    methods,
    url,
    label: fastifyRouteLabel(methods, url),
    schema,
    handlerArg,
    handler: handlerArg ? localHandler(context, handlerArg) : null,
  };
}

/** `controller.postEvent.bind(controller)` -> `controller.postEvent`. */
function unbind(node: Node): Node {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(n.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "bind") return unwrap(callee.object);
  }
  return n;
}

/** The handler's function in this file: inline, a function or const, a method of a local object or class. */
function localHandler(context: Context, node: Node): FunctionNode | null {
  const value = resolveValue(context, unbind(node));
  if (isFunction(value)) return value;
  if (value.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = propertyName(value);
  if (name === null) return null;
  const owner = resolveValue(context, value.object);
  if (owner.type === AST_NODE_TYPES.ObjectExpression) {
    const prop = readObject(context, owner)?.properties.get(name);
    const fn = prop ? resolveValue(context, prop.value) : null;
    return isFunction(fn) ? fn : null;
  }
  // `new Controller(...)` for instance members, the class itself for static ones.
  const instance = owner.type === AST_NODE_TYPES.NewExpression;
  const cls = instance ? resolveValue(context, owner.callee) : owner;
  if (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression) return null;
  for (const member of cls.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition && member.type !== AST_NODE_TYPES.PropertyDefinition) continue;
    if (member.static === instance || staticKeyName(member) !== name || !member.value) continue;
    const fn = unwrap(member.value);
    return isFunction(fn) ? fn : null;
  }
  return null;
}

/**
 * What the route's handler reads of `request`: `request.body`, `const { query } = request`,
 * `async ({ params }, reply) =>`, `request.body as T`, `request` handed to a local function, and
 * (with type information) a handler declared in another file.
 */
/**
 * Headers that the transport, proxies and the auth layer own: a handler that reads only these
 * (`request.headers.authorization`, `const { cookie } = request.headers`) is not taking client
 * input that a route schema would validate; auth code verifies them itself.
 */
const INFRASTRUCTURE_HEADERS = new Set([
  "authorization",
  "cookie",
  "host",
  "origin",
  "referer",
  "user-agent",
  "accept",
  "accept-language",
  "accept-encoding",
  "content-type",
  "content-length",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-real-ip",
  "x-request-id",
  "traceparent",
  "tracestate",
  "if-none-match",
  "if-modified-since",
  "range",
]);

/** Is this `request.headers` read only of infrastructure headers, by name? */
function readsInfrastructureHeaders(read: MemberRead): boolean {
  const node = read.node;
  if (read.member !== "headers" || node?.type !== AST_NODE_TYPES.MemberExpression) return false;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
    const name = propertyName(parent);
    return name !== null && INFRASTRUCTURE_HEADERS.has(name);
  }
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.ObjectPattern) {
    return parent.id.properties.every((p) => {
      if (p.type !== AST_NODE_TYPES.Property) return false;
      const key = staticKeyName(p);
      return key !== null && INFRASTRUCTURE_HEADERS.has(key);
    });
  }
  return false;
}

export function handlerInputReads(context: Context, route: FastifyRoute): MemberRead[] {
  if (route.handler) {
    // `function (this: FastifyInstance, request, reply)`: the `this` annotation is a parameter in the AST.
    const first = route.handler.params[0];
    const index = first?.type === AST_NODE_TYPES.Identifier && first.name === "this" ? 1 : 0;
    return paramMemberReads(context, route.handler, index, REQUEST_INPUTS).filter((read) => !readsInfrastructureHeaders(read));
  }
  if (!route.handlerArg) return [];
  const target = unbind(route.handlerArg);
  const named = target.type === AST_NODE_TYPES.MemberExpression ? target.property : target;
  return crossFileReads(context, named, 0, new Set(REQUEST_INPUTS));
}

// ---------------------------------------------------------------------------------------------
// The route as an endpoint

/** The endpoint `node` declares when it is a Fastify route call. */
export function fastifyEndpoint(context: Context, node: Node): EndpointFacts | null {
  if (node.type !== AST_NODE_TYPES.CallExpression) return null;
  const route = getFastifyRoute(context, node);
  if (!route) return null;
  return {
    framework: "fastify",
    route,
    label: route.label,
    path: route.url,
    kind: methodsOperation(route.methods, "ALL"),
    node,
    handlerArg: route.handlerArg,
    handler: route.handler,
    names: route.url === null ? [] : route.methods.map((m) => `${m} ${route.url}`),
    middleware: [],
    phrases: { read: "a GET route", publicRead: "a GET route with no auth hook" },
    understandsError: hasHttpStatus,
    findInputs: () => routeInputs(route),
    findGuards: () => routeGuards(context, route),
  };
}

const STATUS_PROPERTIES = ["statusCode", "status"];

/**
 * An error Fastify's error handler answers with its own status: one with a required numeric
 * `statusCode` (or `status`, which Fastify also reads), as `@fastify/sensible`'s errors have;
 * literal statuses must be 4xx or 5xx.
 */
export function hasHttpStatus(info: TypeInfo, error: ts.Type): boolean {
  const t = typescriptModule();
  if (!t) return false;
  return askChecker(
    () =>
      STATUS_PROPERTIES.some((name) => {
        const property = error.getProperty(name);
        if (!property || property.flags & t.SymbolFlags.Optional) return false;
        const type = info.checker.getTypeOfSymbol(property);
        return (type.isUnion() ? type.types : [type]).every(
          (m) => (m.flags & t.TypeFlags.NumberLike) !== 0 && (!m.isNumberLiteral() || (m.value >= 400 && m.value <= 599)),
        );
      }),
    false,
  );
}

const VALIDATED_PARTS = ["body", "querystring", "query", "params", "headers"];

function routeInputs(route: FastifyRoute): EndpointInputs {
  if (route.schema.kind === "none") return { validation: "unvalidated", how: "no `schema`" };
  if (route.schema.kind === "opaque") return { validation: "unknown", how: "a `schema` that cannot be read here" };
  const shape = route.schema.shape;
  const parts = VALIDATED_PARTS.filter((k) => shape.properties.has(k));
  if (parts.length > 0) return { validation: "validated", how: parts.map((k) => `\`schema.${k}\``).join(", ") };
  return shape.complete
    ? { validation: "unvalidated", how: "a `schema` with no body, querystring, params or headers" }
    : { validation: "unknown", how: "a `schema` with a spread that cannot be read" };
}

const AUTH_HOOKS = ["onRequest", "preParsing", "preValidation", "preHandler"];

/** `app.register(async (child) => { ... })`: an encapsulated child context. */
function isRegisteredPlugin(fn: Node): boolean {
  const call = fn.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === fn && calleeName(call) === "register";
}

/**
 * Protected when a hook that can check the caller runs before the handler: route-level hooks
 * (`{ onRequest: [app.authenticate] }`, or route options we cannot read in full), or hooks added
 * in the plugin that registers the route.
 */
function routeGuards(context: Context, route: FastifyRoute): EndpointGuards {
  for (const arg of route.call.arguments) {
    if (arg.type !== AST_NODE_TYPES.ObjectExpression && arg.type !== AST_NODE_TYPES.Identifier) continue;
    const shape = readObject(context, arg as Node);
    if (!shape) continue;
    if (!shape.complete) return { access: "protected", why: "route options that cannot be read in full may hold a hook" };
    const hook = AUTH_HOOKS.find((h) => shape.properties.has(h));
    if (hook) return { access: "protected", why: `a route-level \`${hook}\` hook` };
  }
  for (let fn: Node | undefined = route.call.parent; fn; fn = fn.parent) {
    if (!isFunction(fn)) continue;
    let hook: string | null = null;
    walk(fn.body, (n) => {
      if (hook !== null) return false;
      // A child plugin (`app.register(async (child) => ...)`) has its own encapsulated hooks; one
      // wrapped in `fp(...)` is not a function here (its parent is the `fp` call), so it counts.
      if (isFunction(n) && isRegisteredPlugin(n)) return false;
      if (n.type !== AST_NODE_TYPES.CallExpression || calleeName(n) !== "addHook") return;
      const first = n.arguments[0];
      if (first?.type === AST_NODE_TYPES.Literal && typeof first.value === "string" && AUTH_HOOKS.includes(first.value)) hook = first.value;
    });
    if (hook !== null) return { access: "protected", why: `an \`addHook("${hook}")\` in the plugin that registers it` };
  }
  return { access: "public", why: "no `onRequest`, `preParsing`, `preValidation` or `preHandler` hook before it" };
}
