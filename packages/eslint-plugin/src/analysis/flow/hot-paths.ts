import { AST_NODE_TYPES } from "@typescript-eslint/types";
import { readTrafficFile } from "@archlint/core";
import path from "node:path";
import { archlintSettings, type Context, type Node } from "../syntax/ast.js";
import type { Endpoint } from "../frameworks/endpoint.js";
import { builderAccess, type Procedure } from "../frameworks/trpc.js";

/**
 * Which endpoints are hot. Flagging every read endpoint would bury the real ones, so by default an
 * endpoint is hot when it is a read open to anonymous traffic (its adapter's guards say public: a
 * tRPC `.query()` on a public builder; a Fastify GET/HEAD route with no hook in `onRequest`/`preValidation`/`preHandler`;
 * a Next.js GET route handler that is not wrapped and checks no session),
 * when it is marked `/** @hot *\/`, or when `settings.archlint.hotPaths` names it (procedure paths,
 * `GET /v1/posts/:id`, globs, or a traffic file with a requests-per-second threshold; globs and
 * traffic counts pick among reads only).
 */

export type HotMode = "default" | "all-reads" | "configured";

export interface HotVerdict {
  hot: boolean;
  /** Why, for messages: "a public query", "marked @hot", "named in settings.archlint.hotPaths". */
  reason: string;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^ ]*")
    .replace(/\u0000/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * Is a handler named in `settings.archlint.hotPaths`? A name written out in full makes any handler
 * hot, since someone chose it. A glob or a traffic count picks only among reads (queries, GET/HEAD
 * routes): the reads in a mutation or a POST decide a write and must see the database, not a cache.
 */
function configuredHot(context: Context, names: string[], isRead: boolean): boolean {
  const hotPaths = archlintSettings(context).hotPaths;
  if (!hotPaths) return false;
  if (Array.isArray(hotPaths)) {
    return hotPaths.some((raw) => {
      const pattern = raw.trim();
      if (!pattern.includes("*")) return names.includes(pattern);
      const re = globToRegExp(pattern);
      return isRead && names.some((n) => re.test(n));
    });
  }
  if (!isRead) return false;
  const file = path.resolve(context.cwd, hotPaths.trafficFile);
  const traffic = readTrafficFile(file);
  return names.some((n) => (traffic.get(n) ?? 0) >= hotPaths.threshold);
}

/** `/** @hot *\/` (or `@hot` in a line comment) right before the node or the statement holding it. */
export function markedHot(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node, i = 0; current && i < 4; current = current.parent, i++) {
    const comments = context.sourceCode.getCommentsBefore(current);
    if (comments.some((c) => /(^|\s)@hot\b/.test(c.value))) return true;
    if (current.type === AST_NODE_TYPES.Property || current.type === AST_NODE_TYPES.ExpressionStatement || current.type === AST_NODE_TYPES.VariableDeclaration)
      break;
  }
  return false;
}

function markedNotHot(context: Context, node: Node): boolean {
  for (let current: Node | undefined = node, i = 0; current && i < 4; current = current.parent, i++) {
    const comments = context.sourceCode.getCommentsBefore(current);
    if (comments.some((c) => /(^|\s)@(not-hot|cold)\b/.test(c.value))) return true;
    if (current.type === AST_NODE_TYPES.Property || current.type === AST_NODE_TYPES.ExpressionStatement) break;
  }
  return false;
}

/** Is the procedure's builder open to anonymous traffic? (core's builder classifier, as `archlint init`; the tRPC adapter's guards ask it) */
export function isPublicProcedure(context: Context, procedure: Procedure): boolean {
  return builderAccess(context, procedure) === "public";
}

/**
 * Endpoints that run once per probe, login or event rather than per page view: health and
 * readiness probes (where a cached answer would be a lie), OAuth and payment callbacks, webhooks
 * and cron triggers. A path segment names them: `/healthz`, `/api/auth/callback/:provider`,
 * `webhook.stripe`.
 */
const PROBE_OR_CALLBACK =
  /^(?:health|healthz|healthcheck|health-check|healthy|ready|readyz|readiness|live|livez|liveness|alive|ping|callback|callbacks|oauth|oauth2|webhook|webhooks|cron|crons)$/i;

function probeOrCallback(endpoint: Endpoint): boolean {
  const names = endpoint.path !== null ? [endpoint.path, ...endpoint.names] : endpoint.names;
  return names.some((name) => name.split(/[/.\s]+/).some((segment) => PROBE_OR_CALLBACK.test(segment)));
}

/** Is it hot under `mode`, and why: from the endpoint's comments, names, kind and guards. */
export function endpointHotness(context: Context, endpoint: Endpoint, mode: HotMode): HotVerdict {
  if (markedNotHot(context, endpoint.node)) return { hot: false, reason: "" };
  if (markedHot(context, endpoint.node)) return { hot: true, reason: "marked @hot" };
  const isRead = endpoint.kind === "read";
  if (endpoint.names.length > 0 && configuredHot(context, endpoint.names, isRead)) return { hot: true, reason: "named in settings.archlint.hotPaths" };
  if (mode === "configured" || !isRead) return { hot: false, reason: "" };
  if (mode === "all-reads") return { hot: true, reason: `${endpoint.phrases.read} (hot: all-reads)` };
  if (probeOrCallback(endpoint)) return { hot: false, reason: "" };
  return endpoint.guards.access === "public" ? { hot: true, reason: endpoint.phrases.publicRead } : { hot: false, reason: "" };
}
