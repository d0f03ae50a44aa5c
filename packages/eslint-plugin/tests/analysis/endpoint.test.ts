import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { endpointOf, type Endpoint } from "../../src/analysis/frameworks/endpoint.js";
import { runBoundary } from "../../src/analysis/libraries/effect.js";
import { lintWithProbe } from "../probe.js";

/** What a rule sees of each endpoint in the file, by the line of `.query` / `.get` in the call that declares it. */
interface Seen {
  line: number;
  framework: Endpoint["framework"];
  label: string;
  path: string | null;
  kind: Endpoint["kind"];
  handler: boolean;
  access: Endpoint["guards"]["access"];
  guardsWhy: string;
  validation: Endpoint["inputs"]["validation"];
  hot: string | null;
  allReads: string | null;
}

/** Lints `code` with a probe rule that asks `endpointOf` on every call (and `runBoundary` on every `runPromise` call). */
function probe(
  code: string,
  settings: Record<string, unknown> = {},
): { endpoints: Seen[]; boundaries: Array<{ line: number; label: string | null; same: boolean }> } {
  const endpoints: Seen[] = [];
  const boundaries: Array<{ line: number; label: string | null; same: boolean }> = [];
  lintWithProbe(
    code,
    "src/server/router.ts",
    (context) => ({
      CallExpression(call: TSESTree.CallExpression) {
        const endpoint = endpointOf(context, call);
        if (endpoint) {
          const hot = endpoint.hotness("default");
          const allReads = endpoint.hotness("all-reads");
          endpoints.push({
            line: (call.callee.type === "MemberExpression" ? call.callee.property : call).loc.start.line,
            framework: endpoint.framework,
            label: endpoint.label,
            path: endpoint.path,
            kind: endpoint.kind,
            handler: endpoint.handler !== null,
            access: endpoint.guards.access,
            guardsWhy: endpoint.guards.why,
            validation: endpoint.inputs.validation,
            hot: hot.hot ? hot.reason : null,
            allReads: allReads.hot ? allReads.reason : null,
          });
        }
        if (call.callee.type === "Identifier" && call.callee.name === "runPromise") {
          const boundary = runBoundary(context, call);
          // The boundary is the adapter's endpoint itself (memoised), not a copy built for Effect.
          const declaring = boundary ? endpointOf(context, boundary.node) : null;
          boundaries.push({ line: call.loc.start.line, label: boundary?.label ?? null, same: boundary !== null && declaring === boundary });
        }
      },
    }),
    settings,
  );
  return { endpoints, boundaries };
}

const TRPC = `import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import { prisma } from "./db";

const t = initTRPC.context<{ userId: string | null }>().create();
export const publicProcedure = t.procedure;
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { userId: ctx.userId } });
});

export const postRouter = t.router({
  byId: publicProcedure
    .input(z.object({ id: z.string() }))
    .query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
  mine: authedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { authorId: ctx.userId } })),
  create: authedProcedure
    .input(z.object({ title: z.string().min(1) }))
    .mutation(({ ctx, input }) => prisma.post.create({ data: { title: input.title, authorId: ctx.userId } })),
  /** @not-hot */
  stats: publicProcedure.query(() => prisma.post.count()),
});

const feed = publicProcedure.query(() => prisma.post.findMany({ take: 20 }));
export const feedRouter = t.router({ feed });
const orphan = publicProcedure.query(() => prisma.post.count());
`;

const FASTIFY = `import Fastify from "fastify";
import { prisma } from "./db";

const app = Fastify();

app.get("/posts/:id", { schema: { params: { type: "object", properties: { id: { type: "string" } } } } }, async (request) => {
  const { id } = request.params as { id: string };
  return prisma.post.findUnique({ where: { id } });
});

app.get("/me", { onRequest: [app.authenticate] }, async (request) => prisma.user.findUnique({ where: { id: request.user.id } }));

app.post("/posts", async (request) => prisma.post.create({ data: request.body as { title: string } }));

app.register(async (admin) => {
  admin.addHook("preHandler", admin.verifyAdmin);
  admin.route({ method: "GET", url: "/admin/users", handler: async () => prisma.user.findMany() });
});
`;

describe("endpointOf on tRPC procedures", () => {
  const { endpoints } = probe(TRPC);
  const at = (line: number): Seen | undefined => endpoints.find((e) => e.line === line);

  it("finds every procedure and nothing else (not the builders, not the middleware's calls)", () => {
    expect(endpoints.map((e) => [e.line, e.label])).toEqual([
      [15, "post.byId"],
      [16, "post.mine"],
      [19, "post.create"],
      [21, "post.stats"],
      [24, "feed.feed"],
      [26, "publicProcedure.query()"],
    ]);
  });

  it("a public query with an .input(): a read, public, validated, hot", () => {
    expect(at(15)).toEqual({
      line: 15,
      framework: "trpc",
      label: "post.byId",
      path: "post.byId",
      kind: "read",
      handler: true,
      access: "public",
      guardsWhy: "built on `publicProcedure` <- `t.procedure`",
      validation: "validated",
      hot: "a public query",
      allReads: "a query (hot: all-reads)",
    });
  });

  it("a query on a builder with middleware: protected, so hot only when every read is", () => {
    expect(at(16)).toMatchObject({
      kind: "read",
      access: "protected",
      guardsWhy: "built on `authedProcedure` <- `t.procedure`, with 1 `.use()`",
      validation: "unvalidated",
      hot: null,
      allReads: "a query (hot: all-reads)",
    });
  });

  it("a mutation is a write and never hot by default", () => {
    expect(at(19)).toMatchObject({ kind: "write", access: "protected", validation: "validated", hot: null, allReads: null });
  });

  it("@not-hot wins over a public read; a procedure listed by name takes its router path", () => {
    expect(at(21)).toMatchObject({ access: "public", hot: null, allReads: null });
    expect(at(24)).toMatchObject({ path: "feed.feed", hot: "a public query" });
  });

  it("a procedure in no router is labelled by its builder; hotPaths names it by path", () => {
    expect(at(26)).toMatchObject({ label: "publicProcedure.query()", path: null });
    const configured = probe(TRPC, { hotPaths: ["post.mine"] }).endpoints.find((e) => e.line === 16);
    expect(configured?.hot).toBe("named in settings.archlint.hotPaths");
  });
});

describe("endpointOf on Fastify routes", () => {
  const { endpoints } = probe(FASTIFY);

  it("labels, kinds, guards and hotness of each route", () => {
    expect(endpoints.map(({ line, label, path, kind, access, validation, hot }) => ({ line, label, path, kind, access, validation, hot }))).toEqual([
      { line: 6, label: "GET /posts/:id", path: "/posts/:id", kind: "read", access: "public", validation: "validated", hot: "a GET route with no auth hook" },
      { line: 11, label: "GET /me", path: "/me", kind: "read", access: "protected", validation: "unvalidated", hot: null },
      { line: 13, label: "POST /posts", path: "/posts", kind: "write", access: "public", validation: "unvalidated", hot: null },
      { line: 17, label: "GET /admin/users", path: "/admin/users", kind: "read", access: "protected", validation: "unvalidated", hot: null },
    ]);
  });

  it("says why a route is protected", () => {
    expect(endpoints.find((e) => e.line === 11)?.guardsWhy).toBe("a route-level `onRequest` hook");
    expect(endpoints.find((e) => e.line === 17)?.guardsWhy).toBe('an `addHook("preHandler")` in the plugin that registers it');
    expect(endpoints.find((e) => e.line === 17)?.allReads).toBe("a GET route (hot: all-reads)");
  });
});

describe("the Effect run boundary is the adapter's endpoint", () => {
  const code = `import { initTRPC } from "@trpc/server";
import Fastify from "fastify";
import { Effect } from "effect";
import { z } from "zod";
import { runPromise } from "./runtime";
import { UserService } from "./user.service";

const t = initTRPC.create();
export const publicProcedure = t.procedure;

export const userRouter = t.router({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => runPromise(UserService.byId(input.id))),
  list: publicProcedure.query(async () => {
    try {
      return await runPromise(UserService.list());
    } catch {
      return [];
    }
  }),
});
const orphan = publicProcedure.query(() => runPromise(UserService.list()));

const app = Fastify();
app.get("/users/:id", async (request) => runPromise(UserService.byId((request.params as { id: string }).id)));
app.get("/users", async () => {
  const load = () => runPromise(UserService.list());
  return load();
});
runPromise(Effect.void);
`;
  const { boundaries } = probe(code);

  it("names the procedure or route whose handler runs the Effect, and nothing where a try or a nested function stands between", () => {
    expect(boundaries).toEqual([
      { line: 12, label: "user.byId", same: true },
      { line: 15, label: null, same: false },
      { line: 21, label: "publicProcedure.query()", same: true },
      { line: 24, label: "GET /users/:id", same: true },
      { line: 26, label: null, same: false },
      { line: 29, label: null, same: false },
    ]);
  });
});

describe("guards: what turns anonymous callers away after a public builder", () => {
  const code = `import { initTRPC, TRPCError } from "@trpc/server";
import { prisma } from "./db";

const t = initTRPC.context<{ session: { user: { id: string } } | null }>().create();
const publicProcedure = t.procedure;
const requireUser = t.middleware(({ ctx, next }) => {
  if (!ctx.session?.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next();
});
const logCalls = t.middleware(({ next }) => next());

export const pollRouter = t.router({
  vote: publicProcedure.use(requireUser).mutation(() => prisma.vote.create({ data: {} })),
  view: publicProcedure.use(logCalls).mutation(() => prisma.view.create({ data: {} })),
  renew: publicProcedure.mutation(async ({ ctx }) => {
    if (!(ctx.session && ctx.session.user.id)) return null;
    return prisma.session.updateMany({ data: {} });
  }),
});
`;
  const { endpoints } = probe(code);

  it("a session-requiring middleware in the procedure's own chain protects it; a pass-through one does not; so does a negated conjunction on the session", () => {
    expect(endpoints.map((e) => [e.line, e.access, e.guardsWhy])).toEqual([
      [13, "protected", "built on `publicProcedure` <- `t.procedure`, with 1 `.use()`; `.use(requireUser)` rejects callers without a session"],
      [14, "public", "built on `publicProcedure` <- `t.procedure`, with 1 `.use()`"],
      [15, "protected", "its handler returns before anything else unless a session exists"],
    ]);
  });
});
