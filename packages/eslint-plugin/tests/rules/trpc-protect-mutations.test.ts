import path from "node:path";
import rule from "../../src/rules/trpc-protect-mutations.js";
import { ruleTester } from "../rule-tester.js";

/**
 * Router files import builders and middleware from `fixtures/syntax/trpc` (create-t3-app's layout:
 * `~/server/trpc`, `~/server/middleware`), read as text the way the rule does without types.
 * Fastify cases create their instance in the file. Every invalid case pins line and column (the
 * `mutation` property of a procedure, the `app.post` of a route) and the message's data.
 */
const SYNTAX_PROJECT = path.join(import.meta.dirname, "..", "fixtures", "syntax", "trpc");
const routerFile = (name: string): string => path.join(SYNTAX_PROJECT, "routers", name);

const T3 = `import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/trpc";
`;

const FASTIFY = `import Fastify from "fastify";
import { prisma } from "./db";

const app = Fastify();
`;

const PUBLIC_BUILDER = "built on `publicProcedure`";
const NO_HOOK = "no `onRequest`, `preParsing`, `preValidation` or `preHandler` hook before it";

ruleTester.run("trpc-protect-mutations", rule, {
  valid: [
    {
      name: "Next.js writes are left out: a public POST route handler and a server action (middleware.ts may guard them)",
      filename: "app/api/orders/route.ts",
      code: `import { prisma } from "@/db";
export async function POST(request: Request) {
  return Response.json(await prisma.order.create({ data: await request.json() }));
}
`,
    },
    {
      name: "a server action that writes",
      filename: "app/orders/actions.ts",
      code: `"use server";
import { prisma } from "@/db";
export async function cancelOrder(id: string) {
  await prisma.order.delete({ where: { id } });
}
`,
    },
    {
      name: "mutations on a protected procedure, and a public query",
      filename: routerFile("post.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  latest: publicProcedure.query(({ ctx }) => ctx.prisma.post.findFirst({ orderBy: { createdAt: "desc" } })),
  create: protectedProcedure
    .input(z.object({ title: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.prisma.post.create({ data: { title: input.title, authorId: ctx.session.user.id } })),
});
`,
    },
    {
      name: "sign-in flows keep their public builder: signIn, signUp, requestPasswordReset, verifyEmail",
      filename: routerFile("auth.ts"),
      code: `${T3}
export const authRouter = createTRPCRouter({
  signIn: publicProcedure.input(z.object({ email: z.string().email() })).mutation(({ ctx, input }) => ctx.prisma.loginToken.create({ data: { email: input.email } })),
  signUp: publicProcedure.input(z.object({ email: z.string().email() })).mutation(({ ctx, input }) => ctx.prisma.user.create({ data: { email: input.email } })),
  requestPasswordReset: publicProcedure.input(z.object({ email: z.string() })).mutation(({ ctx, input }) => ctx.prisma.resetToken.create({ data: { email: input.email } })),
  verifyEmail: publicProcedure.input(z.object({ token: z.string() })).mutation(({ ctx, input }) => ctx.prisma.user.updateMany({ where: { token: input.token }, data: { verified: true } })),
});
`,
    },
    {
      name: "an unsubscribe link from an email, checked by its signed token",
      filename: routerFile("email.ts"),
      code: `${T3}
export const emailRouter = createTRPCRouter({
  unsubscribe: publicProcedure
    .input(z.object({ email: z.string().email(), token: z.string() }))
    .mutation(({ ctx, input }) => ctx.prisma.emailOptOut.create({ data: { email: input.email } })),
});
`,
    },
    {
      name: "/** @public */ on the router entry, and on an exported procedure",
      filename: routerFile("waitlist.ts"),
      code: `${T3}
export const waitlistRouter = createTRPCRouter({
  /** Anyone may join the waitlist from the landing page. @public */
  join: publicProcedure.input(z.object({ email: z.string().email() })).mutation(({ ctx, input }) => ctx.prisma.waitlist.create({ data: input })),
});

/** @public */
export const contactSales = publicProcedure.input(z.object({ message: z.string() })).mutation(({ ctx, input }) => ctx.prisma.lead.create({ data: input }));
`,
    },
    {
      name: "publicPrefixes: a router path prefix",
      filename: routerFile("marketing.ts"),
      options: [{ publicPrefixes: ["marketing"] }],
      code: `${T3}
export const marketingRouter = createTRPCRouter({
  subscribe: publicProcedure.input(z.object({ email: z.string().email() })).mutation(({ ctx, input }) => ctx.prisma.newsletter.create({ data: input })),
});
`,
    },
    {
      name: "a public builder whose own chain adds a middleware (imported) that throws without a session",
      filename: routerFile("comment.ts"),
      code: `${T3}
import { rateLimit, requireUser } from "~/server/middleware";

export const commentRouter = createTRPCRouter({
  add: publicProcedure
    .use(rateLimit("add_comment", 10))
    .use(requireUser)
    .input(z.object({ pollId: z.string(), body: z.string() }))
    .mutation(({ ctx, input }) => ctx.prisma.comment.create({ data: { ...input, userId: ctx.session.user.id } })),
});
`,
    },
    {
      name: "a public builder with an inline middleware that throws without a session",
      filename: routerFile("vote.ts"),
      code: `${T3}
import { TRPCError } from "@trpc/server";

export const voteRouter = createTRPCRouter({
  cast: publicProcedure
    .use(({ ctx, next }) => {
      if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED" });
      return next();
    })
    .mutation(({ ctx }) => ctx.prisma.vote.create({ data: { userId: ctx.session.user.id } })),
});
`,
    },
    {
      name: "a public builder whose resolver returns at once unless a session exists",
      filename: routerFile("session.ts"),
      code: `${T3}
export const sessionRouter = createTRPCRouter({
  touch: publicProcedure.mutation(async ({ ctx }) => {
    if (!ctx.session?.user) throw new Error("UNAUTHORIZED");
    return ctx.prisma.session.updateMany({ where: { userId: ctx.session.user.id }, data: { lastSeenAt: new Date() } });
  }),
});
`,
    },
    {
      name: "a resolver that leaves unless both the session and its cookie exist (a negated conjunction)",
      filename: routerFile("auth-session.ts"),
      code: `${T3}
export const accountRouter = createTRPCRouter({
  renew: publicProcedure.mutation(async ({ ctx }) => {
    if (!(ctx.session && ctx.req?.headers.cookie)) {
      return { renewed: false };
    }
    await ctx.prisma.session.updateMany({ where: { userId: ctx.session.user.id }, data: { expiresAt: new Date() } });
    return { renewed: true };
  }),
});
`,
    },
    {
      name: "a subscription is neither a query nor a mutation",
      filename: routerFile("live.ts"),
      code: `${T3}
export const liveRouter = createTRPCRouter({
  onPost: publicProcedure.subscription(() => ({ subscribe: () => ({ unsubscribe() {} }) })),
});
`,
    },
    {
      name: "Fastify: a route-level onRequest hook, and routes of a plugin that adds a preHandler hook",
      code: `${FASTIFY}
app.post("/v1/posts", { onRequest: [app.authenticate] }, async (request) => prisma.post.create({ data: request.body as { title: string } }));

app.register(async (admin) => {
  admin.addHook("preHandler", admin.verifyAdmin);
  admin.delete("/v1/users/:id", async (request) => prisma.user.delete({ where: { id: (request.params as { id: string }).id } }));
});
`,
    },
    {
      name: "Fastify: a login route, a webhook route, and a webhook handler under a prefix the route does not spell",
      code: `${FASTIFY}
import * as billing from "./billing.controller";

app.post("/auth/login", async (request) => prisma.loginAttempt.create({ data: { at: new Date() } }));
app.post("/webhooks/stripe", async (request) => prisma.event.create({ data: { payload: JSON.stringify(request.body) } }));
app.route({ method: "POST", url: "/polar", handler: billing.polarWebhook });
`,
    },
    {
      name: "Fastify: /** @public */ before the route, a GET route, and publicPrefixes",
      options: [{ publicPrefixes: ["/public/"] }],
      code: `${FASTIFY}
/** The contact form on the marketing site. @public */
app.post("/contact", async (request) => prisma.lead.create({ data: request.body as { email: string } }));

app.get("/v1/posts", async () => prisma.post.findMany({ take: 20 }));

app.post("/public/feedback", async (request) => prisma.feedback.create({ data: request.body as { text: string } }));
`,
    },
    {
      name: "Express is not Fastify",
      code: `import express from "express";
import { prisma } from "./db";

const app = express();
app.post("/v1/posts", async (req, res) => res.json(await prisma.post.create({ data: req.body })));
`,
    },
    {
      name: "a test file: its routes serve no request",
      filename: path.join(SYNTAX_PROJECT, "routers", "__tests__", "post.test.ts"),
      code: `${T3}
export const testRouter = createTRPCRouter({
  seed: publicProcedure.mutation(({ ctx }) => ctx.prisma.post.create({ data: { title: "fixture" } })),
});
`,
    },
  ],
  invalid: [
    {
      name: "create-t3-app: a mutation left on publicProcedure",
      filename: routerFile("post.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  create: publicProcedure
    .input(z.object({ title: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.prisma.post.create({ data: { title: input.title } })),
});
`,
      errors: [{ messageId: "publicMutation", line: 7, column: 6, endLine: 7, endColumn: 14, data: { label: "post.create", why: PUBLIC_BUILDER } }],
    },
    {
      name: "near miss: a rate-limit middleware lets anonymous callers through",
      filename: routerFile("comment.ts"),
      code: `${T3}
import { rateLimit } from "~/server/middleware";

export const commentRouter = createTRPCRouter({
  add: publicProcedure
    .use(rateLimit("add_comment", 10))
    .input(z.object({ body: z.string() }))
    .mutation(({ ctx, input }) => ctx.prisma.comment.create({ data: input })),
});
`,
      errors: [{ messageId: "publicMutation", line: 10, column: 6, data: { label: "comment.add", why: "built on `publicProcedure`, with 1 `.use()`" } }],
    },
    {
      name: "near miss: an auth router is not a sign-in flow; updateProfile there still writes for anyone",
      filename: routerFile("auth.ts"),
      code: `${T3}
export const authRouter = createTRPCRouter({
  updateProfile: publicProcedure.input(z.object({ userId: z.string(), name: z.string() })).mutation(({ ctx, input }) =>
    ctx.prisma.user.update({ where: { id: input.userId }, data: { name: input.name } }),
  ),
});
`,
      errors: [{ messageId: "publicMutation", line: 5, column: 92, data: { label: "auth.updateProfile", why: PUBLIC_BUILDER } }],
    },
    {
      name: "near miss: a plain comment is not the @public tag",
      filename: routerFile("lead.ts"),
      code: `${T3}
export const leadRouter = createTRPCRouter({
  // public: the landing page posts here
  create: publicProcedure.input(z.object({ email: z.string() })).mutation(({ ctx, input }) => ctx.prisma.lead.create({ data: input })),
});
`,
      errors: [{ messageId: "publicMutation", line: 6, column: 66, data: { label: "lead.create", why: PUBLIC_BUILDER } }],
    },
    {
      name: "a procedure outside any router, on tRPC's root builder",
      code: `import { initTRPC } from "@trpc/server";
import { prisma } from "./db";

const t = initTRPC.create();

export const deleteAll = t.procedure.mutation(() => prisma.post.deleteMany());
`,
      errors: [{ messageId: "publicMutation", line: 6, column: 38, data: { label: "t.procedure.mutation()", why: "built on `t.procedure`" } }],
    },
    {
      name: "Fastify: POST and DELETE routes with no hook, a route() with a write among its methods",
      code: `${FASTIFY}
app.post("/v1/posts", async (request) => prisma.post.create({ data: request.body as { title: string } }));

app.route({
  method: "DELETE",
  url: "/v1/posts/:id",
  handler: async (request) => prisma.post.delete({ where: { id: (request.params as { id: string }).id } }),
});

app.route({ method: ["GET", "PUT"], url: "/v1/settings", handler: async (request) => prisma.settings.upsert(request.body as never) });
`,
      errors: [
        { messageId: "unguardedRoute", line: 6, column: 1, endLine: 6, endColumn: 9, data: { label: "POST /v1/posts", why: NO_HOOK } },
        { messageId: "unguardedRoute", line: 8, column: 1, endLine: 8, endColumn: 10, data: { label: "DELETE /v1/posts/:id", why: NO_HOOK } },
        { messageId: "unguardedRoute", line: 14, column: 1, data: { label: "GET|PUT /v1/settings", why: NO_HOOK } },
      ],
    },
    {
      name: "near miss: a public prefix covers its own segment, not a longer word that starts the same",
      options: [{ publicPrefixes: ["/public"] }],
      code: `${FASTIFY}
app.post("/publications", async (request) => prisma.publication.create({ data: request.body as { title: string } }));
`,
      errors: [{ messageId: "unguardedRoute", line: 6, column: 1, data: { label: "POST /publications", why: NO_HOOK } }],
    },
    {
      name: "authNames replaces the default list",
      filename: routerFile("auth.ts"),
      options: [{ authNames: ["join"] }],
      code: `${T3}
export const authRouter = createTRPCRouter({
  joinWaitlist: publicProcedure.input(z.object({ email: z.string() })).mutation(({ ctx, input }) => ctx.prisma.waitlist.create({ data: input })),
  signIn: publicProcedure.input(z.object({ email: z.string() })).mutation(({ ctx, input }) => ctx.prisma.loginToken.create({ data: input })),
});
`,
      errors: [{ messageId: "publicMutation", line: 6, column: 66, data: { label: "auth.signIn", why: PUBLIC_BUILDER } }],
    },
  ],
});
