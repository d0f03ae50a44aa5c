import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/types";
import path from "node:path";
import { CODE_FILE } from "@archlint/core";
import { decomposeChain, isFunction, memberPath, propertyName, resolveValue, unwrap, walk, type Context, type Node } from "../syntax/ast.js";
import type { FunctionNode } from "../syntax/functions.js";
import { packageRootOf } from "../flow/non-runtime.js";
import type { EndpointFacts, EndpointGuards, EndpointInputs } from "./endpoint.js";
import { methodsOperation } from "./http.js";

/**
 * Recognising Next.js endpoints, which are declared by where code is and what it exports rather
 * than by a call:
 * - App Router route handlers: the exported `GET` / `POST` / ... of `app/**\/route.ts`, whose URL
 *   is the folder path (`(group)` folders and `@slot`s dropped, `_private` folders not routed);
 * - server actions: the exports of a file whose first statement is the `"use server"` directive,
 *   and functions whose body starts with it; each is a POST anyone can send;
 * - Pages Router API routes: the default export of `pages/api/**`, whose method is whatever the
 *   handler compares `req.method` with.
 * An endpoint's node is what declares it: the exported function, the `export const` declarator,
 * the `export { x as GET }` specifier, the `export default` (for an expression), or the property
 * of `export const { GET, POST } = handlers`.
 */

export type NextEndpointKind = "route-handler" | "server-action" | "api-route";

export interface NextHandler {
  kind: NextEndpointKind;
  /** The export's name (`GET`, `updateProfile`, `default`), or the function's own for an inline action. */
  name: string;
  /** Upper-case methods: the route handler's export name, an API route's narrowed `req.method`s, `POST` for an action. */
  methods: string[];
  /** `/api/users/[id]` for routes; null for server actions. */
  path: string | null;
  /** What the handler is wrapped in, as written (`withAuth`, `authActionClient.action`), or null. */
  wrapper: string | null;
  /** Links of a wrapper's method chain (`.inputSchema(schema)` of next-safe-action). */
  wrapperLinks: string[];
}

const ROUTE_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const ROUTE_FILE = new RegExp(`^route${CODE_FILE.source}`);

/** Where a file sits in a Next.js app: a route handler file, an API route, or neither. */
/** The directive of a server action's module or function body. */
export const USE_SERVER = "use server";

type FileRole = { kind: "route"; path: string } | { kind: "api"; path: string } | null;

const roles = new Map<string, FileRole>();

/** The index of the `app` or `pages` folder in `segments`, preferring one in `src/` (a monorepo package may itself be called `app`). */
function routerRoot(segments: string[], folder: string, end: number, accept: (i: number) => boolean): number {
  let first = -1;
  for (let i = 0; i < end; i++) {
    if (segments[i] !== folder || !accept(i)) continue;
    if (segments[i - 1] === "src") return i;
    if (first < 0) first = i;
  }
  return first;
}

/** A folder of the App Router as it shows in the URL: null for one that adds nothing (`(group)`, `@slot`). */
function urlSegment(folder: string): string | null {
  if (folder.startsWith("@")) return null;
  // Intercepting routes `(.)photo`, `(..)(..)photo` are reached at the folder's own name.
  const intercepted = folder.replace(/^(?:\(\.{1,3}\))+/, "");
  if (intercepted !== folder) return intercepted;
  if (folder.startsWith("(") && folder.endsWith(")")) return null;
  return folder;
}

/** Is `file` a route handler file (`app/**\/route.ts`) or an API route (`pages/api/**`), and at which URL? */
export function nextFileRole(file: string): FileRole {
  const known = roles.get(file);
  if (known !== undefined) return known;
  const role = computeRole(file);
  roles.set(file, role);
  return role;
}

function computeRole(file: string): FileRole {
  const segments = file.split(/[\\/]+/);
  const base = segments.at(-1) ?? "";
  if (segments.includes("node_modules") || !CODE_FILE.test(base) || base.endsWith(".d.ts")) return null;
  const last = segments.length - 1;
  if (ROUTE_FILE.test(base)) {
    const root = routerRoot(segments, "app", last, () => true);
    if (root >= 0) {
      const folders = segments.slice(root + 1, last);
      // A `_private` folder and everything under it is not routed.
      if (folders.some((f) => f.startsWith("_"))) return null;
      const url = folders.map(urlSegment).filter((s): s is string => s !== null);
      return { kind: "route", path: `/${url.join("/")}` };
    }
  }
  const root = routerRoot(segments, "pages", last, (i) => segments[i + 1] === "api");
  if (root < 0) return null;
  const parts = [...segments.slice(root + 1, last), base.replace(CODE_FILE, "")];
  if (parts.at(-1) === "index") parts.pop();
  return { kind: "api", path: `/${parts.join("/")}` };
}

/** Does this program or function body start with the `"use server"` directive (not a string somewhere later)? */
function hasUseServer(body: TSESTree.ProgramStatement[] | TSESTree.Statement[]): boolean {
  for (const statement of body) {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.directive === undefined) return false;
    if (statement.directive === USE_SERVER) return true;
  }
  return false;
}

interface Declared {
  name: string;
  node: Node;
  handlerArg: Node | null;
}

/** The exports of a module, with the node declaring each: see the file comment. */
function exportsOf(program: TSESTree.Program): Declared[] {
  const out: Declared[] = [];
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const decl = statement.declaration;
      if (decl.type === AST_NODE_TYPES.FunctionDeclaration) out.push({ name: "default", node: decl, handlerArg: decl });
      else if (decl.type !== AST_NODE_TYPES.ClassDeclaration && decl.type !== AST_NODE_TYPES.TSInterfaceDeclaration)
        out.push({ name: "default", node: statement, handlerArg: decl as Node });
      continue;
    }
    if (statement.type !== AST_NODE_TYPES.ExportNamedDeclaration || statement.exportKind === "type") continue;
    const decl = statement.declaration;
    if (decl?.type === AST_NODE_TYPES.FunctionDeclaration && decl.id) out.push({ name: decl.id.name, node: decl, handlerArg: decl });
    else if (decl?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of decl.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.init) out.push({ name: d.id.name, node: d, handlerArg: d.init });
        else if (d.id.type === AST_NODE_TYPES.ObjectPattern && d.init) {
          // `export const { GET, POST } = handlers`: each method is a member of a value built elsewhere.
          const from = unwrap(d.init);
          const handlerArg = from.type === AST_NODE_TYPES.Identifier || from.type === AST_NODE_TYPES.MemberExpression ? from : null;
          for (const p of d.id.properties) {
            if (p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier)
              out.push({ name: p.key.name, node: p, handlerArg });
          }
        }
      }
    } else if (!decl) {
      for (const s of statement.specifiers) {
        if (s.exportKind === "type") continue;
        const exported = s.exported.type === AST_NODE_TYPES.Identifier ? s.exported.name : String(s.exported.value);
        // Re-exported from another module (`export { GET } from "@/auth"`): declared there.
        out.push({ name: exported, node: s, handlerArg: statement.source || s.local.type !== AST_NODE_TYPES.Identifier ? null : s.local });
      }
    }
  }
  return out;
}

/** The Next.js endpoints a module declares by its exports, by declaring node; computed once per file. */
const byProgram = new WeakMap<TSESTree.Program, Map<Node, Declared & { kind: NextEndpointKind; role: FileRole }>>();

function declaredEndpoints(context: Context): Map<Node, Declared & { kind: NextEndpointKind; role: FileRole }> {
  const program = context.sourceCode.ast;
  let table = byProgram.get(program);
  if (table) return table;
  table = new Map();
  const role = nextFileRole(path.resolve(context.cwd, context.physicalFilename));
  const useServer = hasUseServer(program.body);
  if (role || useServer) {
    for (const d of exportsOf(program)) {
      if (role?.kind === "route") {
        if (ROUTE_METHODS.has(d.name)) table.set(d.node, { ...d, kind: "route-handler", role });
      } else if (role?.kind === "api") {
        if (d.name === "default") table.set(d.node, { ...d, kind: "api-route", role });
      } else if (isActionValue(d)) table.set(d.node, { ...d, kind: "server-action", role: null });
    }
  }
  byProgram.set(program, table);
  return table;
}

/** A `"use server"` module exports only async functions; a constant that is neither a function nor a call (a wrapped action) is a mistake Next reports, not an endpoint. */
function isActionValue(d: Declared): boolean {
  if (!d.handlerArg) return true;
  const v = unwrap(d.handlerArg);
  return isFunction(v) || v.type === AST_NODE_TYPES.CallExpression || v.type === AST_NODE_TYPES.Identifier;
}

/** A function whose own body starts with `"use server"`: an action defined inside a component or another module. */
function inlineAction(node: Node): node is FunctionNode {
  return isFunction(node) && node.body?.type === AST_NODE_TYPES.BlockStatement && hasUseServer(node.body.body);
}

/** `withAuth(async (req) => ...)`, `client.inputSchema(s).action(async (...) => ...)`: the function inside, and the wrapper as written. */
function unwrapHandler(context: Context, arg: Node): { handler: FunctionNode | null; wrapper: string | null; links: string[] } {
  let value = resolveValue(context, arg);
  if (isFunction(value)) return { handler: value, wrapper: null, links: [] };
  let wrapper: string | null = null;
  const links: string[] = [];
  for (let depth = 0; depth < 4 && value.type === AST_NODE_TYPES.CallExpression; depth++) {
    const call: TSESTree.CallExpression = value;
    wrapper ??= wrapperName(call);
    const chain = decomposeChain(call);
    links.push(...chain.links.map((l) => l.name));
    const inner = [...call.arguments].reverse().find((a) => a.type !== AST_NODE_TYPES.SpreadElement && isFunction(resolveValue(context, a)));
    if (inner) {
      const fn = resolveValue(context, inner);
      return { handler: isFunction(fn) ? fn : null, wrapper, links };
    }
    // `withA(withB(async () => ...))`: the innermost call that takes the handler.
    const nested = [...call.arguments].reverse().find((a) => unwrap(a).type === AST_NODE_TYPES.CallExpression);
    if (!nested) break;
    value = unwrap(nested);
  }
  return { handler: null, wrapper, links };
}

/** `withAuth`, `authActionClient.action` (the chain's root and its last link). */
function wrapperName(call: TSESTree.CallExpression): string {
  const direct = memberPath(call.callee);
  if (direct) return direct;
  const { base, links } = decomposeChain(call);
  const root = memberPath(base) ?? "(...)";
  return links.length > 0 ? `${root}.${links.at(-1)!.name}` : root;
}

/** The endpoint `node` declares when it is a Next.js route handler, server action or API route. */
export function nextEndpoint(context: Context, node: Node): EndpointFacts | null {
  const declared = declaredEndpoints(context).get(node);
  if (declared) return makeEndpoint(context, node, declared.kind, declared.name, declared.role, declared.handlerArg);
  // In a module that is itself `"use server"`, its exports are the actions.
  if (!inlineAction(node) || hasUseServer(context.sourceCode.ast.body)) return null;
  return makeEndpoint(context, node, "server-action", inlineName(node), null, node);
}

function inlineName(fn: FunctionNode): string {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  return `(inline, line ${fn.loc.start.line})`;
}

function makeEndpoint(context: Context, node: Node, kind: NextEndpointKind, name: string, role: FileRole, handlerArg: Node | null): EndpointFacts {
  const { handler, wrapper, links } = handlerArg ? unwrapHandler(context, handlerArg) : { handler: null, wrapper: null, links: [] };
  const routePath = role?.path ?? null;
  const methods = kind === "route-handler" ? [name] : kind === "server-action" ? ["POST"] : handler ? narrowedMethods(handler) : [];
  const next: NextHandler = { kind, name, methods, path: routePath, wrapper, wrapperLinks: links };
  // A server action is named by its file inside its package (`app/actions.ts`), as short in a monorepo as in an app.
  const absolute = path.resolve(context.cwd, context.physicalFilename);
  const file = path
    .relative(packageRootOf(path.dirname(absolute)), absolute)
    .split(path.sep)
    .join("/");
  const label = kind === "server-action" ? `action ${name} (${file})` : `${methods.length > 0 ? methods.join("|") : "API"} ${routePath ?? "(unknown path)"}`;
  return {
    framework: "next",
    next,
    label,
    path: routePath,
    kind: methodsOperation(methods, "OPTIONS"),
    node,
    handlerArg: handler ?? handlerArg,
    handler,
    names: kind === "server-action" ? [name] : routePath === null ? [] : methods.map((m) => `${m} ${routePath}`),
    middleware: [],
    phrases:
      kind === "route-handler"
        ? { read: "a GET route handler", publicRead: "a GET route handler with no auth check" }
        : kind === "api-route"
          ? { read: "a GET API route", publicRead: "a GET API route with no auth check" }
          : { read: "a server action", publicRead: "a server action anyone can call" },
    // Next.js answers any error a handler throws with a 500: nothing carries its own status.
    understandsError: () => false,
    findInputs: () => handlerInputs(context, next, handler),
    findGuards: () => handlerGuards(next),
  };
}

/** The methods an API route's handler compares `req.method` with (`if (req.method !== "POST") return ...`, `switch (req.method)`). */
function narrowedMethods(handler: FunctionNode): string[] {
  const request = handler.params[0];
  if (request?.type !== AST_NODE_TYPES.Identifier) return [];
  const methods = new Set<string>();
  const isMethod = (n: Node): boolean => memberPath(n) === `${request.name}.method`;
  const literal = (n: Node): string | null => (n.type === AST_NODE_TYPES.Literal && typeof n.value === "string" ? n.value.toUpperCase() : null);
  walk(handler.body, (n) => {
    if (n !== handler.body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.BinaryExpression && ["===", "==", "!==", "!="].includes(n.operator)) {
      const value = isMethod(n.left) ? literal(n.right) : isMethod(n.right) ? literal(n.left) : null;
      if (value) methods.add(value);
    } else if (n.type === AST_NODE_TYPES.SwitchStatement && isMethod(n.discriminant)) {
      for (const c of n.cases) {
        const value = c.test ? literal(c.test) : null;
        if (value) methods.add(value);
      }
    }
    return true;
  });
  return [...methods].filter((m) => ROUTE_METHODS.has(m));
}

const PARSE_METHODS = new Set(["parse", "safeParse", "parseAsync", "safeParseAsync"]);
const SCHEMA_LINKS = new Set(["schema", "inputSchema", "input"]);
/** What a handler reads its client input with, off its request: `await req.json()`, `req.nextUrl.searchParams`, `await request.formData()`, `req.query`. */
const INPUT_READS = new Set(["json", "formData", "text", "searchParams", "body", "query"]);

function handlerInputs(context: Context, next: NextHandler, handler: FunctionNode | null): EndpointInputs {
  const link = next.wrapperLinks.find((l) => SCHEMA_LINKS.has(l));
  if (link) return { validation: "validated", how: `\`.${link}()\` in its \`${next.wrapper}\` chain` };
  if (!handler) return { validation: "unknown", how: "a handler archlint cannot read here" };
  const request = handler.params[0]?.type === AST_NODE_TYPES.Identifier ? handler.params[0].name : null;
  let parse: string | null = null;
  let reads = false;
  walk(handler.body, (n) => {
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(n);
      const on = memberPath(n)?.split(".") ?? [];
      if (request !== null && on[0] === request && on.slice(1).some((m) => INPUT_READS.has(m))) reads = true;
      if (name !== null && PARSE_METHODS.has(name) && n.parent?.type === AST_NODE_TYPES.CallExpression && n.parent.callee === n)
        parse ??= context.sourceCode.getText(n).slice(0, 40);
    }
    return parse === null;
  });
  if (parse !== null) return { validation: "validated", how: `\`${parse}(...)\` in the handler` };
  if (next.kind === "server-action" && handler.params.length > 0)
    return { validation: "unvalidated", how: "its arguments come from the client and no schema parses them" };
  if (reads) return { validation: "unvalidated", how: "the handler reads the request with no schema `.parse()`" };
  return { validation: "unknown", how: "no request input read in the handler" };
}

/** Wrapper names that say they check the caller (`withAuth`, `authActionClient`, `withSession`, `adminAction`). */
const AUTH_WRAPPER = /auth|session|user|admin|protect|private|signed|logged|account|member|permission|role/i;

/**
 * A route or action wrapped in another function (`withAuth(handler)`, a next-safe-action client)
 * runs whatever the wrapper does first, which archlint does not read: it counts as protected, as a
 * Fastify route whose options cannot be read in full does. An unwrapped one is public unless its
 * own body turns anonymous callers away (the session gate, asked by endpoint.ts).
 */
function handlerGuards(next: NextHandler): EndpointGuards {
  if (next.wrapper) {
    const root = next.wrapper.split(".")[0]!;
    return AUTH_WRAPPER.test(root)
      ? { access: "protected", why: `wrapped in \`${next.wrapper}(...)\`` }
      : { access: "protected", why: `wrapped in \`${next.wrapper}(...)\`, which archlint does not read: it may check the caller` };
  }
  const what = next.kind === "server-action" ? "a server action: any client can POST to it" : "no auth wrapper";
  return { access: "public", why: `${what}, and no session check at the start of the handler` };
}
