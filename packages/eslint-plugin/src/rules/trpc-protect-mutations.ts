import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { z } from "zod";
import { memberPath, type Context, type Node } from "../analysis/syntax/ast.js";
import { endpointOf, type Endpoint } from "../analysis/frameworks/endpoint.js";
import { isNonRuntimeFile } from "../analysis/flow/non-runtime.js";
import { createRule, optionsJsonSchema, parseOptions } from "../utils/create-rule.js";

/**
 * Sign-in flows, callbacks and links from emails: open by nature, the caller has no session yet (or
 * is another service, or follows a signed link).
 */
export const DEFAULT_AUTH_NAMES = [
  "signIn",
  "signUp",
  "signOut",
  "login",
  "logout",
  "register",
  "resetPassword",
  "passwordReset",
  "forgotPassword",
  "verifyEmail",
  "magicLink",
  "oauth",
  "callback",
  "webhook",
  "unsubscribe",
];

const optionsSchema = z
  .object({
    authNames: z
      .array(z.string().min(1))
      .default(DEFAULT_AUTH_NAMES)
      .describe(
        "Names of endpoints that must stay open (sign-in flows, callbacks, webhooks): a procedure path or route URL segment containing one (case and separators ignored) is not reported. Replaces the default list.",
      ),
    publicPrefixes: z
      .array(z.string().min(1))
      .default([])
      .describe("Route URL prefixes (`/public`, `/webhooks`) and router path prefixes (`public`, `marketing.leads`) whose endpoints are open on purpose."),
  })
  .strict();

type MessageIds = "publicMutation" | "unguardedRoute";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const PUBLIC_TAG = /(^|\s)@public\b/;

/** Lower case, letters and digits only: `signIn`, `sign-in` and `sign_in` are one name. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * What the endpoint is called: its router path or URL, else the variable it is assigned to
 * (`export const signIn = ...`), and its handler's name (`controller.polarWebhook`, a route under
 * a prefix that only the plugin's registration spells out).
 */
function endpointNames(endpoint: Endpoint): string[] {
  const names: string[] = [];
  const parent = endpoint.node.parent;
  if (endpoint.path !== null) names.push(endpoint.path);
  else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) names.push(parent.id.name);
  const handler = endpoint.handlerArg ? memberPath(endpoint.handlerArg) : null;
  if (handler !== null) names.push(handler);
  if (endpoint.handler?.id) names.push(endpoint.handler.id.name);
  return names;
}

function isAuthEndpoint(names: string[], authNames: readonly string[]): boolean {
  const wanted = authNames.map(squash).filter((n) => n !== "");
  return names.some((name) => name.split(/[/.:\s]+/).some((segment) => wanted.some((w) => squash(segment).includes(w))));
}

function underPrefix(names: string[], prefixes: readonly string[]): boolean {
  return names.some((name) =>
    prefixes.some((raw) => {
      const prefix = raw.replace(/[/.]+$/, "");
      return prefix !== "" && (name === prefix || name.startsWith(`${prefix}/`) || name.startsWith(`${prefix}.`));
    }),
  );
}

/**
 * `/** @public *\/` before the endpoint, or before the property, variable or statement that holds it
 * (and its `export`). Not further: a tag on the enclosing plugin or router says nothing of each route.
 */
function markedPublic(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node; current; current = current.parent) {
    if (context.sourceCode.getCommentsBefore(current).some((c) => PUBLIC_TAG.test(c.value))) return true;
    const exported = current.type === AST_NODE_TYPES.VariableDeclaration && current.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration;
    if (!exported && (current.type === AST_NODE_TYPES.Property || /(Statement|Declaration)$/.test(current.type))) return false;
  }
  return false;
}

export default createRule<[z.input<typeof optionsSchema>], MessageIds>({
  name: "trpc-protect-mutations",
  meta: {
    type: "problem",
    docs: {
      description: "Require tRPC mutations and Fastify POST/PUT/PATCH/DELETE routes to run behind an auth check",
      recommended: "strict",
    },
    schema: optionsJsonSchema(optionsSchema) as never,
    messages: {
      publicMutation:
        "Mutation `{{label}}` is public ({{why}}): anyone can call it without signing in, and it writes. Build it on a procedure whose middleware checks the session, or mark it `/** @public */` if it is meant to be open.",
      unguardedRoute:
        "Route `{{label}}` writes with no auth check in front ({{why}}): anyone can call it without signing in. Add an `onRequest` / `preHandler` hook that checks the caller, or mark it `/** @public */` if it is meant to be open.",
    },
  },
  defaultOptions: [{}],
  create(context, [rawOptions]) {
    if (isNonRuntimeFile(context)) return {};
    const options = parseOptions(optionsSchema, rawOptions);
    return {
      CallExpression(node) {
        const endpoint = endpointOf(context, node);
        // Next.js route handlers and server actions are declared by exports, not calls, and a
        // project's `middleware.ts` often guards them where this rule cannot see: not reported.
        if (!endpoint || endpoint.kind === "read" || endpoint.framework === "next") return;
        const writes = endpoint.framework === "trpc" ? endpoint.procedure.kind === "mutation" : endpoint.route.methods.some((m) => WRITE_METHODS.has(m));
        if (!writes || endpoint.guards.access !== "public") return;
        const names = endpointNames(endpoint);
        if (isAuthEndpoint(names, options.authNames) || underPrefix(names, options.publicPrefixes) || markedPublic(context, node)) return;
        const data = { label: endpoint.label, why: endpoint.guards.why };
        if (endpoint.framework === "trpc") context.report({ node: endpoint.procedure.terminalMember.property, messageId: "publicMutation", data });
        else context.report({ node: endpoint.route.call.callee, messageId: "unguardedRoute", data });
      },
    };
  },
});
