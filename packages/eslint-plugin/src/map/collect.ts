import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import { resolveModule } from "@archlint/core";
import type { TSESLint } from "@typescript-eslint/utils";
import type * as ts from "typescript";
import { endpointOf, mayDeclareEndpoint, type Endpoint } from "../analysis/frameworks/endpoint.js";
import {
  autoloadExports,
  fastifyPluginFunction,
  pluginRegistrations,
  routePlugin,
  unencapsulatedPlugins,
  type Autoload,
} from "../analysis/frameworks/fastify-plugins.js";
import type { NextEndpointKind } from "../analysis/frameworks/next.js";
import { procedurePlace } from "../analysis/frameworks/trpc.js";
import { routerDeclarations, routerVariable, type RouterDeclaration } from "../analysis/frameworks/trpc-routers.js";
import { calledDeclaration, callsGlobal, localCallee } from "../analysis/flow/reach.js";
import { hasAccelerateCache, isBehindCacheCheck, isCacheWrapperCall } from "../analysis/libraries/cache.js";
import { getDbCall, getDbTemplateCall } from "../analysis/libraries/db.js";
import { effectRuns, handledBeforeRun, rejectionHandledAtRun } from "../analysis/libraries/effect.js";
import { runErrors, runKindWithTypes } from "../analysis/libraries/effect-runs.js";
import { programUsesEffect } from "../analysis/libraries/effect-types.js";
import { isFunction, memberPath, resolveBinding, staticKeyName, unwrap, walk, type Context, type Node } from "../analysis/syntax/ast.js";
import type { FunctionNode } from "../analysis/syntax/functions.js";
import { tsFunctionOf } from "../analysis/syntax/foreign.js";
import { typeInfo, typescriptModule, type TypeInfo } from "../analysis/syntax/types.js";
import { resolvedSettings } from "../analysis/project.js";

/**
 * The facts `archlint map` draws, collected per file by an internal rule that runs in the same
 * ESLint run as the archlint rules (so the findings and the facts come from one parse, one
 * project service program, one project index). Every fact is asked of the recognisers the rules
 * use: `endpointOf` (framework adapters), `getDbCall` / `getDbTemplateCall`, the cache
 * recognisers, reach's call resolution. The CLI joins files (routers into full paths, imported
 * calls into the call graph) and attaches the findings.
 */

/**
 * A function, as `<absolute file>:<line>:<column>` where its last token ends: the same from
 * ESTree (whose ranges are TypeScript's) and from a TypeScript declaration found by the type
 * checker, so a call into another file needs no second syntax tree of that file.
 */
export type FunctionKey = string;

/** An imported name a call or router entry uses: joined across files by the map. */
export interface ImportRef {
  source: string;
  /** The exported name, "default", or "*" (a namespace import: `members[0]` is the export). */
  imported: string;
  /** Members read off the import (`PostService.findById` -> `["findById"]`). */
  members: string[];
}

/** How a database access or a call is cached, when it is: by what, as written. */
export type CacheFact = { kind: "wrapper"; by: string } | { kind: "cache-aside" } | { kind: "accelerate" };

export interface DbAccessFact {
  library: "prisma" | "kysely";
  /** The Prisma client property (`post`) or the Kysely table (`posts`); null for raw SQL and unknown tables. */
  model: string | null;
  operation: string;
  kind: "read" | "write" | "transaction";
  line: number;
  cache: CacheFact | null;
}

export type CallTarget = { kind: "function"; key: FunctionKey } | { kind: "import"; ref: ImportRef };

export interface CallFact {
  /** The callee as written (`PostService.findById`). */
  callee: string;
  target: CallTarget;
  line: number;
  cache: CacheFact | null;
}

/** An Effect run (`Effect.runPromise(...)`, `runtime.runSync`, `effect.pipe(runPromise)`, the app's runners), as effect-no-escaping-errors recognises it. */
export interface EffectRunFact {
  /** The runner as written (`Effect.runPromise`, `AppRuntime.runPromise`, `runPromise`). */
  runner: string;
  line: number;
  /** How a failure leaves it; null when only the type checker could tell (a runner named in settings, without types). */
  kind: "promise" | "sync" | "fork" | "callback" | null;
  /** With type information: the error types of the Effect run, as the code names them (sorted); null without. */
  errors: string[] | null;
  /** The error type is generic or `any` (with types only). */
  opaque: boolean;
  /** Failures are removed before the run (`Effect.either`, `Effect.orDie`, ...) or the promise is caught at the call. */
  handled: boolean;
}

export interface FunctionFact {
  key: FunctionKey;
  /** `PostService.findById`, `assertMembership`, or the endpoint's label for an inline handler. */
  name: string;
  line: number;
  endLine: number;
  handler: boolean;
  db: DbAccessFact[];
  calls: CallFact[];
  /** Cache wrappers called in the function (`cache.wrap`): the layers in front of what they wrap. */
  caches: Array<{ by: string; line: number }>;
  effects: EffectRunFact[];
}

export interface EndpointFact {
  framework: Endpoint["framework"];
  label: string;
  /** tRPC: the keys inside its file's router (`["byId"]`) and that router's variable. */
  keys: string[] | null;
  router: string | null;
  /** tRPC: query / mutation / subscription. */
  procedureKind: string | null;
  /** Fastify and Next.js: upper-case methods, and the URL as written or (Next.js) from the file's folder. */
  methods: string[];
  url: string | null;
  /** Next.js: a route handler, a server action or a Pages Router API route, and its export's name (`GET`, `updateProfile`). */
  next: { kind: NextEndpointKind; name: string } | null;
  /** Fastify: the plugin the route is declared in (its registrations give the prefix); null on an app made in the file. */
  plugin: FunctionKey | null;
  kind: Endpoint["kind"];
  line: number;
  endLine: number;
  access: "public" | "protected";
  accessWhy: string;
  validation: "validated" | "unvalidated" | "unknown";
  validationHow: string;
  hot: boolean;
  hotWhy: string;
  handler: CallTarget | null;
  /** Why the handler could not be followed, when it could not. */
  handlerUnresolved: string | null;
}

export type ExportFact =
  | { kind: "function"; key: FunctionKey }
  /** A class's or object literal's members: a function's key, or null for a member that holds something else (a schema, a constant). */
  | { kind: "members"; members: Record<string, FunctionKey | null> }
  | { kind: "reexport"; ref: ImportRef }
  /** Any other value (a client, a runtime, a config): calls on it lead to no function of the project. */
  | { kind: "value" };

/** Fastify: `register(plugin, { prefix })` on an instance of the plugin `parent` (null: an app made in the file). */
export interface RegistrationFact {
  parent: FunctionKey | null;
  plugin: CallTarget | null;
  /** `register(autoload, ...)` of `@fastify/autoload` (then `plugin` is null): the plugin files under its folder. */
  autoload?: Autoload;
  prefix: string | null;
  encapsulated: boolean;
  line: number;
  text: string;
}

export interface FileFacts {
  file: string;
  typed: boolean;
  endpoints: EndpointFact[];
  functions: FunctionFact[];
  routers: RouterDeclaration[];
  exports: Record<string, ExportFact>;
  /** `export * from "./x"` sources. */
  starExports: string[];
  /** Fastify plugin registrations, and the plugins of the file wrapped in `fp(...)` (never encapsulated). */
  registrations: RegistrationFact[];
  unencapsulated: FunctionKey[];
  /** `export const autoPrefix` / `prefixOverride`, which `@fastify/autoload` reads from a plugin file. */
  autoload: { autoPrefix?: string | null; prefixOverride?: string | null };
}

let sink: ((facts: FileFacts) => void) | null = null;

/** Hand every file's facts to `receive` until the returned function is called. */
export function collectMapFacts(receive: (facts: FileFacts) => void): () => void {
  sink = receive;
  return () => {
    if (sink === receive) sink = null;
  };
}

/** The internal rule: reports nothing, hands each file's facts to the current collector. */
export const mapCollectorRule: TSESLint.RuleModule<"none", []> = {
  meta: { type: "suggestion", messages: { none: "" }, schema: [], docs: { description: "internal: collects the facts of archlint map" } },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        if (sink) sink(collectFile(context as unknown as Context));
      },
    };
  },
};

export function keyOf(file: string, fn: FunctionNode): FunctionKey {
  return `${file}:${fn.loc.end.line}:${fn.loc.end.column + 1}`;
}

/** The key of the function a declaration found by the type checker stands for (see `estreeFunctionOf`), without converting its file. */
function declarationKey(t: typeof ts, decl: ts.Node): FunctionKey | null {
  const tsFn = tsFunctionOf(t, decl);
  if (!tsFn) return null;
  const sourceFile = tsFn.getSourceFile();
  if (sourceFile.isDeclarationFile) return null;
  const end = sourceFile.getLineAndCharacterOfPosition(tsFn.getEnd());
  return `${sourceFile.fileName}:${end.line + 1}:${end.character + 1}`;
}

/** The name a function is known by in its file, or null for a callback (its facts belong to the function it is written in). */
function functionName(fn: FunctionNode): string | null {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent?.type === AST_NODE_TYPES.MethodDefinition || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.value === fn) {
    const key = staticKeyName(parent);
    const cls = parent.parent.parent;
    const clsName =
      cls.type === AST_NODE_TYPES.ClassDeclaration && cls.id
        ? cls.id.name
        : cls.parent?.type === AST_NODE_TYPES.VariableDeclarator && cls.parent.id.type === AST_NODE_TYPES.Identifier
          ? cls.parent.id.name
          : null;
    return key === null ? null : clsName ? `${clsName}.${key}` : key;
  }
  if (parent?.type === AST_NODE_TYPES.Property && parent.value === fn && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    const key = staticKeyName(parent);
    const holder = parent.parent.parent;
    if (key !== null && holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier) return `${holder.id.name}.${key}`;
  }
  return null;
}

/** An imported name at the root of a callee (`PostService.findById`, `svc.getX`, `getUsers`). */
function importRefOf(context: Context, callee: Node): ImportRef | null {
  const members: string[] = [];
  let root = unwrap(callee);
  while (root.type === AST_NODE_TYPES.MemberExpression) {
    if (root.computed || root.property.type !== AST_NODE_TYPES.Identifier) return null;
    members.unshift(root.property.name);
    root = unwrap(root.object);
  }
  if (root.type !== AST_NODE_TYPES.Identifier) return null;
  const binding = resolveBinding(context, root);
  if (binding?.kind !== "import") return null;
  return { source: binding.source, imported: binding.imported, members };
}

/** `z.string().min(1)`, `procedure.input(x).query(fn)`, `reply.code(201).send()`: a method called on a call's result. */
function onCallResult(callee: Node): boolean {
  for (let n = unwrap(callee); n.type === AST_NODE_TYPES.MemberExpression;) {
    n = unwrap(n.object);
    if (n.type === AST_NODE_TYPES.CallExpression) return true;
  }
  return false;
}

/**
 * Is the type checker worth asking where this callee goes? Not for a library's import
 * (`z.object`, `Effect.gen`: nothing of the project there) nor for a method of a call's result
 * (builder chains: tRPC procedures, zod schemas, Fastify replies), whose types are the costliest
 * the checker resolves (on 3,200 files they were most of what the map added to the check's
 * memory) and lead into libraries; a project's `makeRepo().find()` is then not followed.
 */
function worthAskingChecker(context: Context, callee: Node, ref: ImportRef | null): boolean {
  if (onCallResult(callee)) return false;
  if (!ref || ref.source.startsWith(".")) return true;
  const file = resolveModule(context.filename, ref.source);
  return file !== null && !file.split(/[\\/]/).includes("node_modules");
}

/** The function a callee runs: in this file, through the type checker in another file, else the import it names. */
function callTarget(context: Context, callee: Node): CallTarget | null {
  const local = localCallee(context, callee);
  if (local) return { kind: "function", key: keyOf(context.filename, local.fn) };
  if (callsGlobal(context, callee)) return null;
  const ref = importRefOf(context, callee);
  const info = typeInfo(context);
  const t = info ? typescriptModule() : null;
  if (info && t && worthAskingChecker(context, callee, ref)) {
    const decl = calledDeclaration(info, t, callee);
    const key = decl ? declarationKey(t, decl) : null;
    if (key) return { kind: "function", key };
  }
  return ref ? { kind: "import", ref } : null;
}

/** The cache wrapper whose callback holds `node`, by name (`cache.wrap`). */
function wrapperAround(context: Context, node: Node, stop: Node): string | null {
  for (let current: Node | undefined = node.parent; current && current !== stop; current = current.parent) {
    if (isFunction(current) && current.parent?.type === AST_NODE_TYPES.CallExpression && isCacheWrapperCall(context, current.parent)) {
      return memberPath(current.parent.callee);
    }
  }
  return null;
}

function cacheFact(context: Context, node: Node, owner: FunctionNode): CacheFact | null {
  const by = wrapperAround(context, node, owner);
  if (by) return { kind: "wrapper", by };
  return isBehindCacheCheck(context, node, owner) ? { kind: "cache-aside" } : null;
}

function endpointFact(context: Context, endpoint: Endpoint): EndpointFact {
  const hot = endpoint.hotness("default");
  let keys: string[] | null = null;
  let router: string | null = null;
  let handler: CallTarget | null = endpoint.handler ? { kind: "function", key: keyOf(context.filename, endpoint.handler) } : null;
  let handlerUnresolved: string | null = null;
  if (endpoint.framework === "trpc") {
    const placed = procedurePlace(context, endpoint.node);
    keys = placed?.keys ?? null;
    router = placed ? routerVariable(placed.outerRouterCall) : null;
  }
  if (!handler && endpoint.handlerArg) {
    const arg = unwrap(endpoint.handlerArg);
    handler = arg.type === AST_NODE_TYPES.Identifier || arg.type === AST_NODE_TYPES.MemberExpression ? callTarget(context, arg) : null;
    if (!handler) handlerUnresolved = `handler \`${context.sourceCode.getText(endpoint.handlerArg).slice(0, 60)}\` is not a function archlint can follow`;
  }
  return {
    framework: endpoint.framework,
    label: endpoint.label,
    keys,
    router,
    procedureKind: endpoint.framework === "trpc" ? endpoint.procedure.kind : null,
    methods: endpoint.framework === "fastify" ? endpoint.route.methods : endpoint.framework === "next" ? endpoint.next.methods : [],
    url: endpoint.framework === "fastify" ? endpoint.route.url : endpoint.framework === "next" ? endpoint.next.path : null,
    next: endpoint.framework === "next" ? { kind: endpoint.next.kind, name: endpoint.next.name } : null,
    plugin: endpoint.framework === "fastify" ? fnKeyOrNull(context.filename, routePlugin(context, endpoint.route)) : null,
    kind: endpoint.kind,
    line: endpoint.node.loc.start.line,
    endLine: endpoint.node.loc.end.line,
    access: endpoint.guards.access,
    accessWhy: endpoint.guards.why,
    validation: endpoint.inputs.validation,
    validationHow: endpoint.inputs.how,
    hot: hot.hot,
    hotWhy: hot.reason,
    handler,
    handlerUnresolved,
  };
}

function fnKeyOrNull(file: string, fn: FunctionNode | null): FunctionKey | null {
  return fn ? keyOf(file, fn) : null;
}

/** What a top-level value exports: a function (a Fastify plugin wrapped in `fp` included), the functions of a class or object literal, or another value. */
function exportOf(context: Context, value: Node): ExportFact {
  const file = context.filename;
  const v = unwrap(value);
  if (isFunction(v)) return { kind: "function", key: keyOf(file, v) };
  const plugin = fastifyPluginFunction(context, v);
  if (plugin) return { kind: "function", key: keyOf(file, plugin) };
  const members: Record<string, FunctionKey | null> = {};
  if (v.type === AST_NODE_TYPES.ClassDeclaration || v.type === AST_NODE_TYPES.ClassExpression) {
    for (const m of v.body.body) {
      if (m.type !== AST_NODE_TYPES.MethodDefinition && m.type !== AST_NODE_TYPES.PropertyDefinition) continue;
      const name = staticKeyName(m);
      const fn = m.value ? unwrap(m.value) : null;
      if (name !== null) members[name] = fn && isFunction(fn) ? keyOf(file, fn) : null;
    }
  } else if (v.type === AST_NODE_TYPES.ObjectExpression) {
    for (const p of v.properties) {
      if (p.type !== AST_NODE_TYPES.Property) continue;
      const name = staticKeyName(p);
      const fn = unwrap(p.value);
      if (name !== null) members[name] = isFunction(fn) ? keyOf(file, fn) : null;
    }
  } else {
    return { kind: "value" };
  }
  return { kind: "members", members };
}

function moduleTables(context: Context): { exports: Record<string, ExportFact>; starExports: string[] } {
  const locals = new Map<string, Node>();
  const imports = new Map<string, ImportRef>();
  const exports: Record<string, ExportFact> = {};
  const starExports: string[] = [];
  const named: Array<[local: string, exported: string]> = [];
  for (const statement of context.sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      for (const s of statement.specifiers) {
        const imported =
          s.type === AST_NODE_TYPES.ImportDefaultSpecifier
            ? "default"
            : s.type === AST_NODE_TYPES.ImportNamespaceSpecifier
              ? "*"
              : s.imported.type === AST_NODE_TYPES.Identifier
                ? s.imported.name
                : String(s.imported.value);
        imports.set(s.local.name, { source: statement.source.value, imported, members: [] });
      }
      continue;
    }
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      if (!statement.exported) starExports.push(statement.source.value);
      continue;
    }
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      if (statement.declaration.type === AST_NODE_TYPES.Identifier) named.push([statement.declaration.name, "default"]);
      else exports.default = exportOf(context, statement.declaration as Node);
      continue;
    }
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration && !statement.declaration) {
      for (const s of statement.specifiers) {
        const local = s.local.type === AST_NODE_TYPES.Identifier ? s.local.name : String(s.local.value);
        const exported = s.exported.type === AST_NODE_TYPES.Identifier ? s.exported.name : String(s.exported.value);
        if (statement.source) exports[exported] = { kind: "reexport", ref: { source: statement.source.value, imported: local, members: [] } };
        else named.push([local, exported]);
      }
      continue;
    }
    const isExport = statement.type === AST_NODE_TYPES.ExportNamedDeclaration;
    const decl = isExport ? statement.declaration : statement;
    if (!decl) continue;
    const declared: Array<[string, Node]> = [];
    if ((decl.type === AST_NODE_TYPES.FunctionDeclaration || decl.type === AST_NODE_TYPES.ClassDeclaration) && decl.id) declared.push([decl.id.name, decl]);
    if (decl.type === AST_NODE_TYPES.VariableDeclaration)
      for (const d of decl.declarations) if (d.id.type === AST_NODE_TYPES.Identifier && d.init) declared.push([d.id.name, d.init]);
    for (const [name, value] of declared) {
      locals.set(name, value);
      if (isExport) exports[name] = exportOf(context, value);
    }
  }
  for (const [local, exported] of named) {
    const value = locals.get(local);
    const imported = imports.get(local);
    // `import dayjs from "dayjs"; export default dayjs`: what the import names.
    if (value) exports[exported] = exportOf(context, value);
    else if (imported) exports[exported] = { kind: "reexport", ref: imported };
  }
  return { exports, starExports };
}

/**
 * The Effect runs of a call. Without type information only the runners known by name (Effect's,
 * a runtime's, those of `settings.archlint.effectRunners`); with it, the app's runners found by
 * their signature too, and the error types (effect-no-escaping-errors' computation).
 */
function effectRunFacts(context: Context, info: TypeInfo | null, call: TSESTree.CallExpression): EffectRunFact[] {
  const out: EffectRunFact[] = [];
  for (const run of effectRuns(context, call)) {
    if (!info && run.runner.bySignature) continue;
    const kind = info ? runKindWithTypes(info, run) : run.runner.kind;
    if (info && !kind) continue;
    const found = info ? runErrors(context, info, run) : null;
    out.push({
      runner: run.runner.label || context.sourceCode.getText(run.node),
      line: run.node.loc.start.line,
      kind,
      errors: found ? found.errors.map((e) => e.name) : null,
      opaque: found?.opaque ?? false,
      handled: handledBeforeRun(context, run) || (kind === "promise" && rejectionHandledAtRun(run)),
    });
  }
  return out;
}

/** The facts of one file. */
export function collectFile(context: Context): FileFacts {
  const file = context.filename;
  const endpoints: EndpointFact[] = [];
  const handlers = new Map<FunctionNode, string>();
  const sites: Array<TSESTree.CallExpression | TSESTree.TaggedTemplateExpression> = [];
  const info = typeInfo(context);
  // With types, only a program that uses Effect is asked about runs (the app's runners need the
  // checker); without, only a file that names a runner (`run*`, or one of the settings' runners).
  const effectInfo = info && programUsesEffect(info) ? info : null;
  const askEffect = info === null ? context.sourceCode.text.includes("run") || resolvedSettings(context).effectRunners.length > 0 : effectInfo !== null;
  const functions = new Map<FunctionNode, FunctionFact>();
  walk(context.sourceCode.ast, (n) => {
    if (n.type === AST_NODE_TYPES.TaggedTemplateExpression || n.type === AST_NODE_TYPES.CallExpression) sites.push(n);
    if (!mayDeclareEndpoint(n)) return;
    const endpoint = endpointOf(context, n);
    if (!endpoint) return;
    endpoints.push(endpointFact(context, endpoint));
    if (endpoint.handler && functionName(endpoint.handler) === null) handlers.set(endpoint.handler, endpoint.label);
  });
  /** The named function (or inline handler) a node's facts belong to. */
  const ownerOf = (node: Node): [FunctionFact, FunctionNode] | null => {
    for (let current: Node | undefined = node.parent; current; current = current.parent) {
      if (!isFunction(current)) continue;
      const name = handlers.get(current) ?? functionName(current);
      if (name === null) continue;
      let fact = functions.get(current);
      if (!fact) {
        fact = {
          key: keyOf(file, current),
          name,
          line: current.loc.start.line,
          endLine: current.loc.end.line,
          handler: handlers.has(current),
          db: [],
          calls: [],
          caches: [],
          effects: [],
        };
        functions.set(current, fact);
      }
      return [fact, current];
    }
    return null;
  };
  for (const site of sites) {
    const found = ownerOf(site);
    if (!found) continue;
    const [owner, ownerFn] = found;
    if (site.type === AST_NODE_TYPES.TaggedTemplateExpression) {
      const raw = getDbTemplateCall(context, site);
      if (raw)
        owner.db.push({
          library: "prisma",
          model: null,
          operation: raw.operation,
          kind: raw.kind === "read" ? "read" : "write",
          line: site.loc.start.line,
          cache: cacheFact(context, site, ownerFn),
        });
      continue;
    }
    if (askEffect) owner.effects.push(...effectRunFacts(context, effectInfo, site));
    if (isCacheWrapperCall(context, site)) {
      owner.caches.push({ by: memberPath(site.callee) ?? "cache", line: site.loc.start.line });
      continue;
    }
    const db = getDbCall(context, site);
    if (db) {
      const cache = db.library === "prisma" && hasAccelerateCache(context, site) ? ({ kind: "accelerate" } as const) : cacheFact(context, site, ownerFn);
      owner.db.push({ library: db.library, model: db.model, operation: db.operation, kind: db.kind, line: site.loc.start.line, cache });
      continue;
    }
    const target = callTarget(context, site.callee);
    if (!target || (target.kind === "function" && target.key === owner.key)) continue;
    owner.calls.push({
      callee: memberPath(site.callee) ?? context.sourceCode.getText(site.callee).slice(0, 60),
      target,
      line: site.loc.start.line,
      cache: cacheFact(context, site, ownerFn),
    });
  }
  // Every named function, with or without facts: a call into one ends there.
  walk(context.sourceCode.ast, (n) => {
    if (isFunction(n) && !functions.has(n)) {
      const name = handlers.get(n) ?? functionName(n);
      if (name !== null)
        functions.set(n, {
          key: keyOf(file, n),
          name,
          line: n.loc.start.line,
          endLine: n.loc.end.line,
          handler: handlers.has(n),
          db: [],
          calls: [],
          caches: [],
          effects: [],
        });
    }
  });
  return {
    file,
    typed: typeInfo(context) !== null,
    endpoints,
    functions: [...functions.values()],
    routers: routerDeclarations(context),
    ...moduleTables(context),
    registrations: pluginRegistrations(context).map((r) => ({
      parent: fnKeyOrNull(file, r.parent),
      plugin:
        r.plugin.kind === "function"
          ? { kind: "function", key: keyOf(file, r.plugin.fn) }
          : r.plugin.kind === "import"
            ? { kind: "import", ref: { source: r.plugin.source, imported: r.plugin.imported, members: [] } }
            : null,
      ...(r.plugin.kind === "autoload" ? { autoload: r.plugin.autoload } : {}),
      prefix: r.prefix,
      encapsulated: r.encapsulated,
      line: r.line,
      text: r.text,
    })),
    unencapsulated: unencapsulatedPlugins(context).map((fn) => keyOf(file, fn)),
    autoload: autoloadExports(context),
  };
}
