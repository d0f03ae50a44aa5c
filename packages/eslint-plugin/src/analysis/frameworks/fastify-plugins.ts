import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { isFunction, propertyName, readObject, resolveBinding, resolveValue, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import type { FunctionNode } from "../syntax/functions.js";
import { isFastifyInstance, isFastifyPluginWrapper, type FastifyRoute } from "./fastify.js";

/**
 * Fastify plugin composition: which plugin a route is declared in, and which plugins a file
 * registers under which `prefix` (`app.register(routes, { prefix: "/v1" })`), so `archlint map`
 * can give a route its full URL across files. Fastify's rules, as its `override` applies them: a
 * registered plugin gets a child instance whose prefix is the parent's followed by its own
 * `prefix` option, so nested registers compound; a plugin wrapped in `fastify-plugin` (`fp`) is
 * not encapsulated (it runs on the parent's instance), so it keeps the parent's prefix and its own
 * `prefix` option is ignored. The map joins these facts across files (`packages/cli/src/map/build.ts`).
 */

export type PluginRef = { kind: "function"; fn: FunctionNode } | { kind: "import"; source: string; imported: string } | { kind: "unknown"; text: string };

export interface PluginRegistration {
  /** The plugin whose instance calls `register`; null for an app made in this file (`Fastify()`) or an instance archlint cannot place. */
  parent: FunctionNode | null;
  plugin: PluginRef;
  /** The `prefix` option ("" without one), or null when it cannot be read (a variable from elsewhere, an options function). */
  prefix: string | null;
  /** False when the plugin is wrapped in `fp(...)` at the registration or where it is declared in this file. */
  encapsulated: boolean;
  line: number;
  /** The plugin argument as written, for notes. */
  text: string;
}

const MAX_DEPTH = 6;

/**
 * The plugin function whose instance `node` is (its first parameter, or an instance derived from
 * it by `withTypeProvider()` or a const); null for an app made with `Fastify()` or anything else.
 */
function instanceScope(context: Context, node: Node, depth = 0): FunctionNode | null {
  if (depth > MAX_DEPTH) return null;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(n.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === "withTypeProvider") return instanceScope(context, callee.object, depth + 1);
    return null;
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return null;
  const binding = resolveBinding(context, n);
  if (binding?.kind === "parameter" && isFunction(binding.fn)) return binding.fn;
  if (binding?.kind === "local" && binding.value) return instanceScope(context, binding.value, depth + 1);
  return null;
}

/** The plugin a route is declared in: the function whose instance registers it; null for a route on an app made in this file. */
export function routePlugin(context: Context, route: FastifyRoute): FunctionNode | null {
  const callee = unwrap(route.call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? instanceScope(context, callee.object) : null;
}

/** `fp(plugin)` -> the plugin argument; null for anything else. */
function unwrapFp(context: Context, node: Node): Node | null {
  const n = unwrap(node);
  return n.type === AST_NODE_TYPES.CallExpression && n.arguments[0] && isFastifyPluginWrapper(context, n.callee) ? (n.arguments[0] as Node) : null;
}

/** What a plugin argument names, and whether `fp` wraps it on the way (through local consts). */
function pluginRefOf(context: Context, node: Node): { ref: PluginRef; wrapped: boolean } {
  let current = unwrap(node);
  let wrapped = false;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const inner = unwrapFp(context, current);
    if (inner) {
      wrapped = true;
      current = unwrap(inner);
      continue;
    }
    if (isFunction(current)) return { ref: { kind: "function", fn: current }, wrapped };
    // `app.register(import("./routes"))`: Fastify registers the module's default export.
    if (current.type === AST_NODE_TYPES.ImportExpression && current.source.type === AST_NODE_TYPES.Literal && typeof current.source.value === "string")
      return { ref: { kind: "import", source: current.source.value, imported: "default" }, wrapped };
    if (current.type !== AST_NODE_TYPES.Identifier) break;
    const binding = resolveBinding(context, current);
    if (binding?.kind === "import") return { ref: { kind: "import", source: binding.source, imported: binding.imported }, wrapped };
    if (binding?.kind !== "local" || !binding.value) break;
    current = unwrap(binding.value);
  }
  return { ref: { kind: "unknown", text: context.sourceCode.getText(node).replace(/\s+/g, " ").slice(0, 60) }, wrapped };
}

function prefixOf(context: Context, options: Node | undefined): string | null {
  if (!options) return "";
  const shape = readObject(context, options);
  if (!shape) return null;
  const prop = shape.properties.get("prefix");
  if (!prop) return shape.complete ? "" : null;
  const value = resolveValue(context, prop.value);
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") return value.value;
  if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) return value.quasis[0]!.value.cooked ?? null;
  return null;
}

/** Every `register(plugin, options)` on a Fastify instance in the file. */
export function pluginRegistrations(context: Context): PluginRegistration[] {
  const out: PluginRegistration[] = [];
  // A file that never says `register` registers nothing: no walk.
  if (!context.sourceCode.text.includes("register")) return out;
  walk(context.sourceCode.ast, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    const callee = unwrap(n.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== "register") return;
    const [pluginArg, options] = n.arguments as Node[];
    if (!pluginArg || pluginArg.type === AST_NODE_TYPES.SpreadElement || !isFastifyInstance(context, callee.object)) return;
    const { ref, wrapped } = pluginRefOf(context, pluginArg);
    out.push({
      parent: instanceScope(context, callee.object),
      plugin: ref,
      prefix: prefixOf(context, options),
      encapsulated: !wrapped,
      line: n.loc.start.line,
      text: context.sourceCode.getText(pluginArg).replace(/\s+/g, " ").slice(0, 60),
    });
  });
  return out;
}

/** The functions of the file wrapped in `fp(...)` (`export default fp(routes)`): registered anywhere, they are not encapsulated. */
export function unencapsulatedPlugins(context: Context): FunctionNode[] {
  const out: FunctionNode[] = [];
  // `fp` comes from an import or a `require` of "fastify-plugin".
  if (!context.sourceCode.text.includes("fastify-plugin")) return out;
  walk(context.sourceCode.ast, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression) return;
    const inner = unwrapFp(context, n);
    const ref = inner ? pluginRefOf(context, inner).ref : null;
    if (ref?.kind === "function") out.push(ref.fn);
  });
  return out;
}

/** The function `fp(fn)` wraps, for a module's exports (`export default fp(async (app) => ...)`); null when `node` is no such call. */
export function fastifyPluginFunction(context: Context, node: Node): FunctionNode | null {
  const inner = unwrapFp(context, node);
  const ref = inner ? pluginRefOf(context, inner).ref : null;
  return ref?.kind === "function" ? ref.fn : null;
}

/** A prefix followed by a route's URL (or another prefix), as Fastify joins them: one `/` between, none added for `/`. */
export function joinPrefix(prefix: string, url: string): string {
  if (prefix === "") return url;
  if (url === "" || url === "/") return prefix;
  return prefix.endsWith("/") && url.startsWith("/") ? prefix + url.slice(1) : prefix + url;
}
