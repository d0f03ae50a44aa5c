import path from "node:path";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
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

export type PluginRef =
  | { kind: "function"; fn: FunctionNode }
  | { kind: "import"; source: string; imported: string }
  | { kind: "autoload"; autoload: Autoload }
  | { kind: "unknown"; text: string };

/**
 * `register(autoload, { dir, options, ... })` of `@fastify/autoload`: every plugin file under
 * `dir` is registered on the instance that registers autoload (autoload itself is not
 * encapsulated), each under `options.prefix` followed by its folder's path (`dirNameRoutePrefix`),
 * or by the file's `autoPrefix` export.
 */
export interface Autoload {
  /** The folder, absolute; null when it cannot be read (`dir: process.env.X`). */
  dir: string | null;
  /** `options.prefix` ("" without one), or null when it cannot be read. */
  prefix: string | null;
  /** `dirNameRoutePrefix` (default true); null for a function. */
  dirNames: boolean | null;
  /** `routeParams`: folders `_id` become `:id`. */
  routeParams: boolean;
  /** `ignorePattern` as a regular expression's source and flags; null without one. */
  ignorePattern: { source: string; flags: string } | null;
  /** `maxDepth`, or null without one. */
  maxDepth: number | null;
  /** Options that choose files in a way the map does not follow (`matchFilter`, `ignoreFilter`, `indexPattern`, `scriptPattern`, an unreadable `ignorePattern`). */
  unread: string[];
}

const AUTOLOAD_PACKAGES = new Set(["@fastify/autoload", "fastify-autoload"]);

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
  return staticString(context, prop.value as Node);
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
    const autoload = ref.kind === "import" && AUTOLOAD_PACKAGES.has(ref.source) ? autoloadOf(context, options) : null;
    out.push({
      parent: instanceScope(context, callee.object),
      plugin: autoload ? { kind: "autoload", autoload } : ref,
      // Autoload is not encapsulated: a `prefix` beside `dir` is ignored by Fastify; `options.prefix` is what it applies.
      prefix: autoload ? "" : prefixOf(context, options),
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

/** A string the code spells out: a literal, a template without expressions, or a const holding one. */
function staticString(context: Context, node: Node): string | null {
  const value = resolveValue(context, node);
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string") return value.value;
  if (value.type === AST_NODE_TYPES.TemplateLiteral && value.expressions.length === 0) return value.quasis[0]!.value.cooked ?? null;
  return null;
}

const isImportMeta = (n: Node): boolean => n.type === AST_NODE_TYPES.MetaProperty && n.meta.name === "import";

/** `import.meta.url`. */
function isModuleUrl(n: Node): boolean {
  return n.type === AST_NODE_TYPES.MemberExpression && isImportMeta(unwrap(n.object)) && propertyName(n) === "url";
}

/** The callee's name for `path.join(...)` and `join(...)` alike. */
function calleeName(call: TSESTree.CallExpression): string | null {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  return callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : null;
}

/**
 * The absolute path an expression names, as Node computes it when the module runs from its
 * source folder: `__dirname`, `import.meta.dirname`, `dirname(fileURLToPath(import.meta.url))`,
 * `fileURLToPath(new URL("routes", import.meta.url))`, `join`/`resolve` of those and literals,
 * through local consts. Null for anything else (an environment variable, a parameter).
 */
export function staticPath(context: Context, node: Node, depth = 0): string | null {
  if (depth > MAX_DEPTH) return null;
  const file = context.filename;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) {
    const binding = resolveBinding(context, n);
    if (!binding) return n.name === "__dirname" ? path.dirname(file) : n.name === "__filename" ? file : null;
    return binding.kind === "local" && binding.value ? staticPath(context, binding.value, depth + 1) : null;
  }
  if (n.type === AST_NODE_TYPES.MemberExpression && isImportMeta(unwrap(n.object))) {
    const name = propertyName(n);
    return name === "dirname" ? path.dirname(file) : name === "filename" ? file : null;
  }
  if (n.type === AST_NODE_TYPES.Literal || n.type === AST_NODE_TYPES.TemplateLiteral) return staticString(context, n);
  if (n.type !== AST_NODE_TYPES.CallExpression) return null;
  const name = calleeName(n);
  const args = n.arguments as Node[];
  if (name === "fileURLToPath" && args[0]) {
    const url = unwrap(args[0]);
    if (isModuleUrl(url)) return file;
    if (url.type === AST_NODE_TYPES.NewExpression && url.callee.type === AST_NODE_TYPES.Identifier && url.callee.name === "URL") {
      const [spec, base] = url.arguments as Node[];
      const relative = spec ? staticString(context, spec) : null;
      return relative !== null && base && isModuleUrl(unwrap(base)) ? path.resolve(path.dirname(file), relative) : null;
    }
    return null;
  }
  if (name === "dirname" && args.length === 1) {
    const inner = staticPath(context, args[0]!, depth + 1);
    return inner === null ? null : path.dirname(inner);
  }
  if ((name === "join" || name === "resolve") && args.length > 0) {
    const parts = args.map((a) => (a.type === AST_NODE_TYPES.SpreadElement ? null : staticPath(context, a, depth + 1)));
    if (parts.some((p) => p === null) || !path.isAbsolute(parts[0]!)) return null;
    return name === "join" ? path.join(...(parts as string[])) : path.resolve(...(parts as string[]));
  }
  return null;
}

const AUTOLOAD_FILTERS = ["matchFilter", "ignoreFilter", "indexPattern", "scriptPattern"];

/** A parameter: the options an app plugin is started with (fastify-cli passes the server's), which hold no route prefix. */
function isParameter(context: Context, node: Node): boolean {
  const n = unwrap(node);
  return n.type === AST_NODE_TYPES.Identifier && resolveBinding(context, n)?.kind === "parameter";
}

/**
 * The `prefix` of autoload's `options`: "" without one; null when it cannot be read. The app
 * plugin's own options passed on (`options: opts`, `Object.assign({}, opts)`, `{ ...opts }`, as
 * fastify-cli's template does) add no prefix.
 */
function pluginOptionsPrefix(context: Context, node: Node): string | null {
  const n = unwrap(node);
  if (isParameter(context, n)) return "";
  if (n.type === AST_NODE_TYPES.CallExpression && context.sourceCode.getText(n.callee) === "Object.assign") {
    let prefix: string | null = "";
    for (const arg of n.arguments as Node[]) {
      const own = arg.type === AST_NODE_TYPES.SpreadElement ? null : pluginOptionsPrefix(context, arg);
      if (own === null) return null;
      if (own !== "") prefix = own;
    }
    return prefix;
  }
  if (n.type === AST_NODE_TYPES.ObjectExpression && n.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement && isParameter(context, p.argument))) {
    const rest = { ...n, properties: n.properties.filter((p) => !(p.type === AST_NODE_TYPES.SpreadElement && isParameter(context, p.argument))) };
    return prefixOf(context, rest);
  }
  return prefixOf(context, n);
}

/** What a `register(autoload, options)` tells: the folder, the prefix and the options that change which files load under which prefix. */
function autoloadOf(context: Context, options: Node | undefined): Autoload {
  const shape = options ? readObject(context, options) : null;
  const value = (key: string): Node | null => {
    const prop = shape?.properties.get(key);
    return prop ? unwrap(prop.value as Node) : null;
  };
  const dirNode = value("dir");
  const dir = dirNode ? staticPath(context, dirNode) : null;
  const inner = value("options");
  const prefix = inner === null ? "" : pluginOptionsPrefix(context, inner);
  const dirNamesNode = value("dirNameRoutePrefix");
  const dirNames =
    dirNamesNode === null ? true : dirNamesNode.type === AST_NODE_TYPES.Literal && typeof dirNamesNode.value === "boolean" ? dirNamesNode.value : null;
  const routeParamsNode = value("routeParams");
  const ignoreNode = value("ignorePattern");
  const ignoreValue = ignoreNode ? resolveValue(context, ignoreNode) : null;
  const ignorePattern =
    ignoreValue?.type === AST_NODE_TYPES.Literal && "regex" in ignoreValue && ignoreValue.regex
      ? { source: ignoreValue.regex.pattern, flags: ignoreValue.regex.flags }
      : null;
  const maxDepthNode = value("maxDepth");
  const maxDepth = maxDepthNode?.type === AST_NODE_TYPES.Literal && typeof maxDepthNode.value === "number" ? maxDepthNode.value : null;
  const unread = AUTOLOAD_FILTERS.filter((k) => shape?.properties.has(k));
  if (ignoreNode && !ignorePattern) unread.push("ignorePattern");
  if (maxDepthNode && maxDepth === null) unread.push("maxDepth");
  if (shape && !shape.complete) unread.push("a spread");
  return {
    dir,
    prefix,
    dirNames,
    routeParams: routeParamsNode?.type === AST_NODE_TYPES.Literal && routeParamsNode.value === true,
    ignorePattern,
    maxDepth,
    unread,
  };
}

/** A file's `export const autoPrefix = "/x"` and `prefixOverride` (undefined: not exported; null: not a string the code spells out). */
export function autoloadExports(context: Context): { autoPrefix?: string | null; prefixOverride?: string | null } {
  const out: { autoPrefix?: string | null; prefixOverride?: string | null } = {};
  if (!context.sourceCode.text.includes("autoPrefix") && !context.sourceCode.text.includes("prefixOverride")) return out;
  for (const statement of context.sourceCode.ast.body) {
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.declaration?.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of statement.declaration.declarations) {
      if (d.id.type !== AST_NODE_TYPES.Identifier || (d.id.name !== "autoPrefix" && d.id.name !== "prefixOverride")) continue;
      out[d.id.name] = d.init ? staticString(context, d.init) : null;
    }
  }
  return out;
}
