import { AST_NODE_TYPES } from "@typescript-eslint/types";
import type * as ts from "typescript";
import type { TypeInfo } from "../syntax/types.js";
import type { Context, Node } from "../syntax/ast.js";
import { endpointHotness, type HotMode, type HotVerdict } from "../flow/hot-paths.js";
import { fastifyEndpoint, type FastifyRoute, type FunctionNode } from "./fastify.js";
import { nextEndpoint, type NextHandler } from "./next.js";
import { sessionGated } from "./session.js";
import { trpcEndpoint, type Procedure } from "./trpc.js";

/**
 * One shape for every framework's request handler: a tRPC procedure, a Fastify route, and a
 * Next.js route handler, server action or API route. Rules ask `endpointOf(node)` and read these
 * fields; only the adapters (`trpc.ts`, `fastify.ts`, `next.ts`) know how a framework declares an
 * endpoint. Adding a framework means one adapter that returns `EndpointFacts`, listed in
 * `ADAPTERS`. An endpoint is declared by a node, not always a call: a Next.js route handler is the
 * exported `GET` function of `app/.../route.ts`, a server action a function under `"use server"`,
 * so rules visit every node in `ENDPOINT_NODES`.
 */

export type Framework = "trpc" | "fastify" | "next";

/** How the endpoint's client input is validated: `how` says by what, or why it is not known. */
export interface EndpointInputs {
  validation: "validated" | "unvalidated" | "unknown";
  how: string;
}

/** Who may call the endpoint, and what in the code says so. */
export interface EndpointGuards {
  access: "public" | "protected";
  why: string;
}

interface EndpointBase {
  framework: Framework;
  /** `post.byId`, `publicProcedure.query()` (not in a router), `GET /posts/:id`: for messages. */
  label: string;
  /** The router path or the URL, when the code spells it out. */
  path: string | null;
  /**
   * "read": a query / GET or HEAD route; "write": a mutation / a route with another method;
   * "unknown": neither can be said (a subscription, a route whose method is computed).
   */
  kind: "read" | "write" | "unknown";
  /** What declares the endpoint (`publicProcedure.query(...)`, `app.get(...)`); `@hot` comments sit before it. */
  node: Node;
  /** The handler as written (an inline function, an identifier, `controller.postEvent`). */
  handlerArg: Node | null;
  /** The handler's function when it is in this file. */
  handler: FunctionNode | null;
  /** How `settings.archlint.hotPaths` and traffic files name the endpoint (`post.byId`, `GET /posts/:id`). */
  names: string[];
  /** What runs before the handler, as written (tRPC `.use()` arguments). */
  middleware: Node[];
  /** How hotness reasons call it: `{ read: "a query", publicRead: "a public query" }`. */
  phrases: { read: string; publicRead: string };
  /**
   * Does the framework answer this error, when the handler throws it, with the code or status it
   * carries (tRPC: a `TRPCError`; Fastify: an error with a numeric `statusCode`)? Needs types.
   */
  understandsError: (info: TypeInfo, error: ts.Type) => boolean;
  /** Work the inputs and guards out, when first asked: both may follow imports or ask the type checker. */
  findInputs: () => EndpointInputs;
  findGuards: () => EndpointGuards;
}

/** What an adapter returns: the framework's own recognition is kept for framework-specific rules. */
export type EndpointFacts =
  | (EndpointBase & { framework: "trpc"; procedure: Procedure })
  | (EndpointBase & { framework: "fastify"; route: FastifyRoute })
  | (EndpointBase & { framework: "next"; next: NextHandler });

export type Endpoint = EndpointFacts & {
  readonly inputs: EndpointInputs;
  readonly guards: EndpointGuards;
  /** Is it hot under the rule's mode, and why (`flow/hot-paths.ts`); memoised per mode. */
  hotness(mode: HotMode): HotVerdict;
};

type Adapter = (context: Context, node: Node) => EndpointFacts | null;

/** Tried in turn: the first that recognises the node wins. */
const ADAPTERS: Adapter[] = [trpcEndpoint, fastifyEndpoint, nextEndpoint];

/**
 * The nodes that can declare an endpoint, as an ESLint selector: calls (tRPC, Fastify) and the
 * exported functions, declarators and specifiers of Next.js route files and `"use server"`
 * modules, and functions with their own `"use server"`. A rule that asks `endpointOf` visits these.
 */
export const ENDPOINT_NODES =
  "CallExpression, FunctionDeclaration, FunctionExpression, ArrowFunctionExpression, VariableDeclarator, ExportSpecifier, ExportDefaultDeclaration, ObjectPattern > Property";

const ENDPOINT_NODE_TYPES = new Set<string>([
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.VariableDeclarator,
  AST_NODE_TYPES.ExportSpecifier,
  AST_NODE_TYPES.ExportDefaultDeclaration,
  AST_NODE_TYPES.Property,
]);

/** Can `node` declare an endpoint (one of `ENDPOINT_NODES`)? For walks that do not go through ESLint's selectors. */
export function mayDeclareEndpoint(node: Node): boolean {
  return ENDPOINT_NODE_TYPES.has(node.type) && (node.type !== AST_NODE_TYPES.Property || node.parent.type === AST_NODE_TYPES.ObjectPattern);
}

/**
 * Shared by every rule linting the same file: the answer depends on the file and its settings,
 * never on a rule's options.
 */
const endpoints = new WeakMap<Node, Endpoint | null>();

/** The endpoint that `node` declares, or null. */
export function endpointOf(context: Context, node: Node): Endpoint | null {
  const known = endpoints.get(node);
  if (known !== undefined) return known;
  let endpoint: Endpoint | null = null;
  for (const adapter of ADAPTERS) {
    const facts = adapter(context, node);
    if (facts) {
      endpoint = complete(context, facts);
      break;
    }
  }
  endpoints.set(node, endpoint);
  return endpoint;
}

/** The facts with the parts worked out on first read: inputs, guards, and hotness per mode. */
function complete(context: Context, facts: EndpointFacts): Endpoint {
  const inputs = lazily(facts.findInputs);
  const guards = lazily((): EndpointGuards => {
    const declared = facts.findGuards();
    if (declared.access === "public" && facts.handler && sessionGated(context, facts.handler))
      return { access: "protected", why: "its handler returns before anything else unless a session exists" };
    return declared;
  });
  const verdicts = new Map<HotMode, HotVerdict>();
  const endpoint: Endpoint = {
    ...facts,
    get inputs() {
      return inputs();
    },
    get guards() {
      return guards();
    },
    hotness(mode) {
      let verdict = verdicts.get(mode);
      if (!verdict) {
        verdict = endpointHotness(context, endpoint, mode);
        verdicts.set(mode, verdict);
      }
      return verdict;
    },
  };
  return endpoint;
}

/**
 * The endpoint whose handler is `fn` itself, written inline where the endpoint is declared
 * (`.query(async () => ...)`, `app.get(url, async () => ...)`, `{ handler: async () => ... }`).
 */
export function endpointOfHandler(context: Context, fn: FunctionNode): Endpoint | null {
  const parent = fn.parent;
  const call =
    parent?.type === AST_NODE_TYPES.CallExpression
      ? parent
      : parent?.type === AST_NODE_TYPES.Property &&
          parent.parent.type === AST_NODE_TYPES.ObjectExpression &&
          parent.parent.parent.type === AST_NODE_TYPES.CallExpression
        ? parent.parent.parent
        : null;
  if (!call) return null;
  const endpoint = endpointOf(context, call);
  return endpoint?.handler === fn ? endpoint : null;
}

/** A value worked out once, on first read. */
function lazily<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
