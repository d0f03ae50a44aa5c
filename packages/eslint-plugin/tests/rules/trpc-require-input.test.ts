import path from "node:path";
import rule from "../../src/rules/trpc-require-input.js";
import { ruleTester, typedFile, typedRuleTester } from "../rule-tester.js";

/**
 * Syntax-only cases that import builders are linted as files of `fixtures/syntax/trpc`, a small
 * project whose `server/trpc.ts` and `server/procedures/` the rule reads as text (with its
 * tsconfig's `~/*` alias), the way it does in an editor without type information.
 */
const SYNTAX_PROJECT = path.join(import.meta.dirname, "..", "fixtures", "syntax", "trpc");
const routerFile = (name: string): string => path.join(SYNTAX_PROJECT, "routers", name);

const ADD_INPUT = ".input(z.object({}))";

ruleTester.run("trpc-require-input", rule, {
  valid: [
    {
      name: "create-t3-app's post router: inputs where input is read, none where it is not",
      filename: routerFile("post.ts"),
      code: `
import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/trpc";

export const postRouter = createTRPCRouter({
  hello: publicProcedure
    .input(z.object({ text: z.string() }))
    .query(({ input }) => ({ greeting: \`Hello \${input.text}\` })),

  create: protectedProcedure
    .input(z.object({ name: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      return ctx.prisma.post.create({ data: { name: input.name, createdById: ctx.session.user.id } });
    }),

  getLatest: protectedProcedure.query(async ({ ctx }) => {
    return ctx.prisma.post.findFirst({ orderBy: { createdAt: "desc" }, where: { createdById: ctx.session.user.id } });
  }),

  getSecretMessage: protectedProcedure.query(() => "you can now see this secret message!"),
});
`,
    },
    {
      name: "`me` reads only ctx: nothing to validate; `ZCreateUserSchema` imported from the project is trusted",
      filename: routerFile("viewer.ts"),
      code: `
import { ZCreateUserSchema } from "~/server/schemas";
import { createTRPCRouter, protectedProcedure } from "~/server/trpc";

export const viewerRouter = createTRPCRouter({
  me: protectedProcedure.query(({ ctx }) => ctx.session.user),
  session: protectedProcedure.query((opts) => opts.ctx.session),
  invite: protectedProcedure.input(ZCreateUserSchema).mutation(({ ctx, input }) => ctx.prisma.user.create({ data: input })),
});
`,
    },
    {
      name: "builders defined in the same file: `.use()` then `.input()`, the input is inherited",
      code: `
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create();

const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { session: ctx.session } });
});
const orgProcedure = authedProcedure.input(z.object({ orgId: z.string().uuid() }));
const orgAdminProcedure = orgProcedure.use(async ({ ctx, input, next }) => next({ ctx: { orgId: input.orgId } }));

export const orgRouter = t.router({
  members: orgProcedure.query(({ ctx, input }) => ctx.prisma.membership.findMany({ where: { orgId: input.orgId } })),
  rename: orgAdminProcedure
    .input(z.object({ name: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.prisma.org.update({ where: { id: input.orgId }, data: { name: input.name } })),
  archive: orgAdminProcedure.mutation(({ ctx, input }) => ctx.prisma.org.delete({ where: { id: input.orgId } })),
});
`,
    },
    {
      name: "imported builders whose module adds `.input()` (alias and relative imports, a re-export, a multi-line chain)",
      filename: routerFile("project.ts"),
      code: `
import { createTRPCRouter, projectProcedure, protectedProjectProcedure } from "~/server/trpc";
import { orgProcedure } from "../server/procedures";

export const projectRouter = createTRPCRouter({
  byId: projectProcedure.query(({ ctx, input }) => ctx.prisma.project.findUnique({ where: { id: input.projectId } })),
  traces: protectedProjectProcedure.query(async ({ ctx, input }) => ctx.prisma.trace.findMany({ where: { projectId: input.projectId } })),
  members: orgProcedure.query(({ ctx, input }) => ctx.prisma.membership.findMany({ where: { orgId: input.orgId } })),
});
`,
    },
    {
      name: "a builder imported from a module that cannot be resolved is not judged",
      filename: routerFile("workspace.ts"),
      code: `
import { workspaceProcedure } from "@acme/api/trpc";
import { createTRPCRouter } from "~/server/trpc";
import { teamProcedure } from "~/server/nowhere";

export const workspaceRouter = createTRPCRouter({
  byId: workspaceProcedure.query(({ ctx, input }) => ctx.prisma.workspace.findUnique({ where: { id: input.workspaceId } })),
  team: teamProcedure.query(({ input }) => input.teamId),
});
`,
    },
    {
      name: "merged inputs: `.input(a).input(b)`",
      code: `
import { z } from "zod";
import { protectedProcedure, router } from "../trpc";

const paginated = z.object({ cursor: z.string().nullish(), limit: z.number().int().max(100).default(20) });

export const commentRouter = router({
  list: protectedProcedure
    .input(z.object({ postId: z.string() }))
    .input(paginated)
    .query(({ ctx, input }) => ctx.prisma.comment.findMany({ where: { postId: input.postId }, take: input.limit })),
});
`,
    },
    {
      name: "schemas imported from the project are trusted (documenso's `*.types.ts`)",
      code: `
import { authenticatedProcedure, router } from "../trpc";
import { ZCreateDocumentMutationSchema, ZGetDocumentByIdQuerySchema } from "./schema";
import * as schemas from "./schemas";

export const documentRouter = router({
  getDocumentById: authenticatedProcedure
    .meta({ openapi: { method: "GET", path: "/document/{documentId}" } })
    .input(ZGetDocumentByIdQuerySchema)
    .query(async ({ input, ctx }) => getDocumentById({ id: input.documentId, userId: ctx.user.id })),
  createDocument: authenticatedProcedure
    .input(ZCreateDocumentMutationSchema)
    .mutation(async ({ input, ctx }) => createDocument({ ...input, userId: ctx.user.id })),
  search: authenticatedProcedure.input(schemas.ZSearchSchema).query(({ input }) => search(input.query)),
});
`,
    },
    {
      name: "`z.custom()` with a check function, refined and transformed schemas, and a custom validator that checks",
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

type Slug = string & { __brand: "Slug" };

function parseSlug(raw: unknown): { slug: Slug } {
  if (typeof raw !== "object" || raw === null || typeof (raw as { slug?: unknown }).slug !== "string") {
    throw new Error("slug must be a string");
  }
  return raw as { slug: Slug };
}

export const pageRouter = router({
  bySlug: publicProcedure.input(z.custom<Slug>((v) => typeof v === "string" && /^[a-z-]+$/.test(v))).query(({ input }) => input),
  parsed: publicProcedure.input(parseSlug).query(({ input }) => input.slug),
  refined: publicProcedure.input(z.any().refine((v) => typeof v === "number")).query(({ input }) => input),
  record: publicProcedure.input(z.record(z.string(), z.unknown())).mutation(({ input }) => Object.keys(input)),
  parser: publicProcedure.input({ parse: (v: unknown) => String(v) }).query(({ input }) => input),
});
`,
    },
    {
      name: "Valibot when `validators` allows it",
      options: [{ validators: ["zod", "valibot"] }],
      code: `
import * as v from "valibot";
import { publicProcedure, router } from "../trpc";

export const userRouter = router({
  byEmail: publicProcedure.input(v.object({ email: v.pipe(v.string(), v.email()) })).query(({ input }) => input.email),
});
`,
    },
    {
      name: "`.passthrough()` / `.loose()` are accepted unless `forbidUnknownKeys` is set",
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const eventRouter = router({
  track: publicProcedure.input(z.object({ name: z.string() }).passthrough()).mutation(({ input }) => input.name),
  trackLoose: publicProcedure.input(z.looseObject({ name: z.string() })).mutation(({ input }) => input.name),
});
`,
    },
    {
      name: "`forbidUnknownKeys`: strict and plain object schemas pass",
      options: [{ forbidUnknownKeys: true }],
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const eventRouter = router({
  track: publicProcedure.input(z.object({ name: z.string() }).strict()).mutation(({ input }) => input.name),
  page: publicProcedure.input(z.object({ url: z.url() })).mutation(({ input }) => input.url),
});
`,
    },
    {
      name: "syntax-only: a handler loaded with a dynamic import cannot be read (types follow it)",
      filename: routerFile("viewer/teams.ts"),
      code: `
import { authedProcedure } from "../../server/procedures";
import { router } from "../../server/trpc";

export const viewerTeamsRouter = router({
  get: authedProcedure.query(async (opts) => (await import("./get.handler")).getHandler(opts)),
  list: authedProcedure.query(async (opts) => {
    const { listHandler } = await import("./list.handler");
    return listHandler(opts);
  }),
});
`,
    },
    {
      name: "near-misses: `.query()` and `.input()` on database clients, tRPC clients and query hooks",
      code: `
import { useQuery } from "@tanstack/react-query";
import sql from "mssql";
import { Pool } from "pg";
import { db } from "./db";
import { trpc } from "./utils/trpc";

const pool = new Pool();
export const users = await pool.query("select * from users where id = $1", [1]);
export const rows = await db.selectFrom("user").selectAll().where("id", "=", 1).execute();
export const one = await new sql.Request().input("id", sql.Int, 1).query("select * from users where id = @id");
export const post = await trpc.post.byId.query({ id: "1" });
export const client = { query: (opts: { input: string }) => opts.input };
client.query({ input: "x" });

const jobs = { procedure: { query: (run: (opts: { input: string }) => string) => run({ input: "job" }) } };
jobs.procedure.query(({ input }) => input);

export function usePost(id: string) {
  return useQuery({ queryKey: ["post", id], queryFn: () => trpc.post.byId.query({ id }) });
}
`,
    },
    {
      name: "a builder that is a parameter, or a global, is not judged",
      code: `
export function makeByIdProcedure(baseProcedure: any) {
  return baseProcedure.query(({ input }: { input: { id: string } }) => input.id);
}
export const byId = publicProcedure.query(({ input }) => input);
`,
    },
    {
      name: "half-typed chains do not crash",
      filename: routerFile("draft.ts"),
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../server/trpc";

const kind = "query";
export const draftRouter = router({
  a: publicProcedure.input(),
  b: publicProcedure.query(),
  c: publicProcedure.query(undefined),
  d: publicProcedure[kind](({ input }) => input),
  e: publicProcedure.input().query(({ input }) => input),
  f: publicProcedure.input(z.object({})).query,
  g: publicProcedure.query(...handlers),
  h: publicProcedure.mutation(async function () {}),
});
`,
    },
  ],
  invalid: [
    {
      name: "`t.procedure` from `initTRPC.context<Context>().create()`, input destructured",
      code: `
import { initTRPC } from "@trpc/server";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create();

export const postRouter = t.router({
  byId: t.procedure.query(({ ctx, input }) => ctx.prisma.post.findUnique({ where: { id: input.id } })),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `post.byId`", kind: "query" },
          line: 8,
          column: 21,
          endLine: 8,
          endColumn: 26,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `import { z } from "zod";

import { initTRPC } from "@trpc/server";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create();

export const postRouter = t.router({
  byId: t.procedure${ADD_INPUT}.query(({ ctx, input }) => ctx.prisma.post.findUnique({ where: { id: input.id } })),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "nested routers give the path; `opts.input`; the file's zod import is reused",
      filename: routerFile("_app.ts"),
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../server/trpc";

export const appRouter = router({
  health: publicProcedure.query(() => "ok"),
  post: router({
    byId: publicProcedure.query((opts) => opts.ctx.prisma.post.findUnique({ where: { id: opts.input.id } })),
    list: publicProcedure.input(z.object({ limit: z.number() })).query(({ input }) => input.limit),
  }),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `post.byId`", kind: "query" },
          line: 8,
          column: 27,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `
import { z } from "zod";
import { publicProcedure, router } from "../server/trpc";

export const appRouter = router({
  health: publicProcedure.query(() => "ok"),
  post: router({
    byId: publicProcedure${ADD_INPUT}.query((opts) => opts.ctx.prisma.post.findUnique({ where: { id: opts.input.id } })),
    list: publicProcedure.input(z.object({ limit: z.number() })).query(({ input }) => input.limit),
  }),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "`const { input } = opts` in a block body, a mutation",
      filename: routerFile("user.ts"),
      code: `
import { z } from "zod";
import { protectedProcedure, createTRPCRouter } from "~/server/trpc";

export const userRouter = createTRPCRouter({
  update: protectedProcedure.mutation(async (opts) => {
    const { ctx, input } = opts;
    return ctx.db.user.update({ where: { id: ctx.session.user.id }, data: input });
  }),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `user.update`", kind: "mutation" },
          line: 6,
          column: 30,
          endColumn: 38,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "mutation" },
              output: `
import { z } from "zod";
import { protectedProcedure, createTRPCRouter } from "~/server/trpc";

export const userRouter = createTRPCRouter({
  update: protectedProcedure${ADD_INPUT}.mutation(async (opts) => {
    const { ctx, input } = opts;
    return ctx.db.user.update({ where: { id: ctx.session.user.id }, data: input });
  }),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "`opts` passed whole to a handler in the same file that reads `input`",
      filename: routerFile("bookings.ts"),
      code: `
import { z } from "zod";
import type { Context } from "../server/context";
import { authedProcedure } from "../server/procedures";
import { router } from "../server/trpc";

type DeleteOptions = { ctx: Context; input: { id: string } };

async function deleteHandler({ ctx, input }: DeleteOptions) {
  await ctx.prisma.booking.delete({ where: { id: input.id, userId: ctx.user.id } });
}

export const bookingsRouter = router({
  delete: authedProcedure.mutation((opts) => deleteHandler(opts)),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `bookings.delete`", kind: "mutation" },
          line: 14,
          column: 27,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "mutation" },
              output: `
import { z } from "zod";
import type { Context } from "../server/context";
import { authedProcedure } from "../server/procedures";
import { router } from "../server/trpc";

type DeleteOptions = { ctx: Context; input: { id: string } };

async function deleteHandler({ ctx, input }: DeleteOptions) {
  await ctx.prisma.booking.delete({ where: { id: input.id, userId: ctx.user.id } });
}

export const bookingsRouter = router({
  delete: authedProcedure${ADD_INPUT}.mutation((opts) => deleteHandler(opts)),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a subscription (async generator); the suggestion adds the zod import",
      filename: routerFile("chat.ts"),
      code: `
import { tracked } from "@trpc/server";
import { protectedProcedure, router } from "../server/trpc";
import { ee } from "../server/events";

export const chatRouter = router({
  onMessage: protectedProcedure.subscription(async function* ({ input, signal }) {
    for await (const [message] of ee.toIterable("message", { signal })) {
      if (message.channelId === input.channelId) yield tracked(message.id, message);
    }
  }),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `chat.onMessage`", kind: "subscription" },
          line: 7,
          column: 33,
          endColumn: 45,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "subscription" },
              output: `import { z } from "zod";

import { tracked } from "@trpc/server";
import { protectedProcedure, router } from "../server/trpc";
import { ee } from "../server/events";

export const chatRouter = router({
  onMessage: protectedProcedure${ADD_INPUT}.subscription(async function* ({ input, signal }) {
    for await (const [message] of ee.toIterable("message", { signal })) {
      if (message.channelId === input.channelId) yield tracked(message.id, message);
    }
  }),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "imported builders whose modules add no `.input()`: `adminProcedure` (alias), `protectedProcedure` (relative), `authedProcedure` (re-export)",
      filename: routerFile("admin.ts"),
      code: `
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "~/server/trpc";
import { protectedProcedure } from "../server/trpc";
import { authedProcedure } from "../server/procedures";

export const adminRouter = createTRPCRouter({
  banUser: adminProcedure.mutation(({ ctx, input }) => ctx.prisma.user.update({ where: { id: input.userId }, data: { banned: true } })),
  invite: protectedProcedure.mutation(({ input }) => input.email),
  profile: authedProcedure.query(({ input }) => input.username),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `admin.banUser`", kind: "mutation" },
          line: 8,
          column: 27,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "mutation" },
              output: `
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "~/server/trpc";
import { protectedProcedure } from "../server/trpc";
import { authedProcedure } from "../server/procedures";

export const adminRouter = createTRPCRouter({
  banUser: adminProcedure${ADD_INPUT}.mutation(({ ctx, input }) => ctx.prisma.user.update({ where: { id: input.userId }, data: { banned: true } })),
  invite: protectedProcedure.mutation(({ input }) => input.email),
  profile: authedProcedure.query(({ input }) => input.username),
});
`,
            },
          ],
        },
        {
          messageId: "missingInput",
          data: { label: "Procedure `admin.invite`", kind: "mutation" },
          line: 9,
          column: 30,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "mutation" },
              output: `
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "~/server/trpc";
import { protectedProcedure } from "../server/trpc";
import { authedProcedure } from "../server/procedures";

export const adminRouter = createTRPCRouter({
  banUser: adminProcedure.mutation(({ ctx, input }) => ctx.prisma.user.update({ where: { id: input.userId }, data: { banned: true } })),
  invite: protectedProcedure${ADD_INPUT}.mutation(({ input }) => input.email),
  profile: authedProcedure.query(({ input }) => input.username),
});
`,
            },
          ],
        },
        {
          messageId: "missingInput",
          data: { label: "Procedure `admin.profile`", kind: "query" },
          line: 10,
          column: 28,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "~/server/trpc";
import { protectedProcedure } from "../server/trpc";
import { authedProcedure } from "../server/procedures";

export const adminRouter = createTRPCRouter({
  banUser: adminProcedure.mutation(({ ctx, input }) => ctx.prisma.user.update({ where: { id: input.userId }, data: { banned: true } })),
  invite: protectedProcedure.mutation(({ input }) => input.email),
  profile: authedProcedure${ADD_INPUT}.query(({ input }) => input.username),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "the suggestion uses a `z` the file already has from elsewhere, and imports `z` when zod is imported without it",
      filename: routerFile("suggest.ts"),
      code: `
import { z } from "@acme/validators";
import { publicProcedure, router } from "../server/trpc";
export const a = router({ get: publicProcedure.query(({ input }) => input.id) });
`,
      errors: [
        {
          messageId: "missingInput",
          line: 4,
          column: 48,
          suggestions: [
            {
              messageId: "addInput",
              output: `
import { z } from "@acme/validators";
import { publicProcedure, router } from "../server/trpc";
export const a = router({ get: publicProcedure${ADD_INPUT}.query(({ input }) => input.id) });
`,
            },
          ],
        },
      ],
    },
    {
      name: "zod imported without `z`: the suggestion adds `import { z }`",
      filename: routerFile("suggest.ts"),
      code: `
import { object, string } from "zod";
import { publicProcedure, router } from "../server/trpc";
export const schema = object({ id: string() });
export const a = router({ get: publicProcedure.query(({ input }) => input.id) });
`,
      errors: [
        {
          messageId: "missingInput",
          line: 5,
          column: 48,
          suggestions: [
            {
              messageId: "addInput",
              output: `import { z } from "zod";

import { object, string } from "zod";
import { publicProcedure, router } from "../server/trpc";
export const schema = object({ id: string() });
export const a = router({ get: publicProcedure${ADD_INPUT}.query(({ input }) => input.id) });
`,
            },
          ],
        },
      ],
    },
    {
      name: "builders imported through an `export * from` barrel: `authedProcedure` adds no `.input()`",
      filename: routerFile("barrel.ts"),
      code: `
import { authedProcedure, orgProcedure, router } from "../server";

export const teamRouter = router({
  members: orgProcedure.query(({ ctx, input }) => ctx.prisma.membership.findMany({ where: { orgId: input.orgId } })),
  rename: authedProcedure.mutation(({ input }) => input.name),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `team.rename`", kind: "mutation" },
          line: 6,
          column: 27,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "mutation" },
              // No `z` in the file: the suggestion imports it too.
              output: `import { z } from "zod";

import { authedProcedure, orgProcedure, router } from "../server";

export const teamRouter = router({
  members: orgProcedure.query(({ ctx, input }) => ctx.prisma.membership.findMany({ where: { orgId: input.orgId } })),
  rename: authedProcedure${ADD_INPUT}.mutation(({ input }) => input.name),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "a procedure declared as a const and listed in the router (`{ byId }`)",
      filename: routerFile("post.ts"),
      code: `
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "~/server/trpc";

const byId = publicProcedure.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } }));

export const postRouter = createTRPCRouter({ byId });
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `post.byId`", kind: "query" },
          line: 5,
          column: 30,
          suggestions: [
            {
              messageId: "addInput",
              output: `
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "~/server/trpc";

const byId = publicProcedure${ADD_INPUT}.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } }));

export const postRouter = createTRPCRouter({ byId });
`,
            },
          ],
        },
      ],
    },
    {
      name: "a builder defined in the file with `.use()` only passes no input on",
      code: `
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create();
const protectedProjectProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next();
});

export const traceRouter = t.router({
  byId: protectedProjectProcedure.query(({ ctx, input }) => ctx.prisma.trace.findFirst({ where: { id: input.traceId, projectId: input.projectId } })),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `trace.byId`", kind: "query" },
          line: 13,
          column: 35,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create();
const protectedProjectProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next();
});

export const traceRouter = t.router({
  byId: protectedProjectProcedure${ADD_INPUT}.query(({ ctx, input }) => ctx.prisma.trace.findFirst({ where: { id: input.traceId, projectId: input.projectId } })),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "inputs that accept anything: `z.any()`, `z.unknown().optional()`, `z.custom<T>()`, a cast, `(v: unknown) => v as any`, a local identity function",
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

type Settings = { theme: "light" | "dark" };
const asSettings = (value: unknown) => value as Settings;

export const settingsRouter = router({
  save: publicProcedure.input(z.any()).mutation(({ input }) => input),
  patch: publicProcedure.input(z.unknown().optional()).mutation(({ input }) => input),
  replace: publicProcedure.input(z.custom<Settings>()).mutation(({ input }) => input),
  cast: publicProcedure.input((v) => v as Settings).mutation(({ input }) => input),
  raw: publicProcedure.input((v: unknown) => v as any).mutation(({ input }) => input),
  local: publicProcedure.input(asSettings).mutation(({ input }) => input),
});
`,
      errors: [
        { messageId: "weakInput", data: { label: "Procedure `settings.save`", what: "`z.any()`" }, line: 9, column: 31, endColumn: 38 },
        { messageId: "weakInput", data: { label: "Procedure `settings.patch`", what: "`z.unknown()`" }, line: 10, column: 32, endColumn: 54 },
        { messageId: "weakInput", line: 11, column: 34, endColumn: 54 },
        { messageId: "weakInput", data: { label: "Procedure `settings.cast`", what: "an identity/cast function" }, line: 12, column: 31, endColumn: 51 },
        { messageId: "weakInput", data: { label: "Procedure `settings.raw`", what: "an identity/cast function" }, line: 13, column: 30, endColumn: 54 },
        { messageId: "weakInput", data: { label: "Procedure `settings.local`", what: "an identity/cast function" }, line: 14, column: 32, endColumn: 42 },
      ],
    },
    {
      name: "a weak schema held in a local constant",
      code: `
import { z } from "zod";
import { protectedProcedure, router } from "../trpc";

const webhookPayload = z.unknown();

export const webhookRouter = router({
  receive: protectedProcedure.input(webhookPayload).mutation(({ input }) => input),
});
`,
      errors: [{ messageId: "weakInput", data: { label: "Procedure `webhook.receive`", what: "`z.unknown()`" }, line: 8, column: 37, endColumn: 51 }],
    },
    {
      name: 'Valibot by default: `validators` is ["zod"]',
      code: `
import * as v from "valibot";
import { publicProcedure, router } from "../trpc";

export const userRouter = router({
  byEmail: publicProcedure.input(v.object({ email: v.pipe(v.string(), v.email()) })).query(({ input }) => input.email),
});
`,
      errors: [
        {
          messageId: "disallowedValidator",
          data: { label: "Procedure `user.byEmail`", library: "valibot", allowed: "zod" },
          line: 6,
          column: 34,
          endColumn: 84,
        },
      ],
    },
    {
      name: "Zod when only Valibot is allowed",
      options: [{ validators: ["valibot"] }],
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const userRouter = router({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => input.id),
});
`,
      errors: [{ messageId: "disallowedValidator", data: { label: "Procedure `user.byId`", library: "zod", allowed: "valibot" }, line: 6, column: 31 }],
    },
    {
      name: "`forbidUnknownKeys`: `.passthrough()`, `.loose()`, `z.looseObject()` and `.catchall()`",
      options: [{ forbidUnknownKeys: true }],
      code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const eventRouter = router({
  track: publicProcedure.input(z.object({ name: z.string() }).passthrough()).mutation(({ input }) => input.name),
  page: publicProcedure.input(z.object({ url: z.string() }).loose()).mutation(({ input }) => input.url),
  identify: publicProcedure.input(z.looseObject({ userId: z.string() })).mutation(({ input }) => input.userId),
  tag: publicProcedure.input(z.object({ id: z.string() }).catchall(z.string())).mutation(({ input }) => input.id),
});
`,
      errors: [
        { messageId: "weakInput", data: { label: "Procedure `event.track`", what: "`.passthrough()`" }, line: 6, column: 32, endColumn: 76 },
        { messageId: "weakInput", data: { label: "Procedure `event.page`", what: "`.loose()`" }, line: 7, column: 31, endColumn: 68 },
        { messageId: "weakInput", data: { label: "Procedure `event.identify`", what: "`z.looseObject()`" }, line: 8, column: 35, endColumn: 72 },
        { messageId: "weakInput", data: { label: "Procedure `event.tag`", what: "`.catchall(...)`" }, line: 9, column: 30, endColumn: 79 },
      ],
    },
    {
      name: "a builder imported under the plain name `procedure` is traced like the others",
      filename: routerFile("plain.ts"),
      code: `
import { procedure, router } from "../server/plain";

export const searchRouter = router({
  find: procedure.query(({ input }) => input.q),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `search.find`", kind: "query" },
          line: 5,
          column: 19,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `import { z } from "zod";

import { procedure, router } from "../server/plain";

export const searchRouter = router({
  find: procedure${ADD_INPUT}.query(({ input }) => input.q),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "raw input in the middleware of a builder constant: reported once, where the builder is declared",
      code: `
import { z } from "zod";
import { protectedProcedure, router } from "../trpc";

export const chartProcedure = protectedProcedure.use(async ({ ctx, getRawInput, next }) => {
  const raw = (await getRawInput()) as { chartId?: string };
  return next({ ctx: { ...ctx, chartId: raw.chartId } });
});

export const chartRouter = router({
  data: chartProcedure.input(z.object({ chartId: z.string() })).query(({ input }) => input.chartId),
  title: chartProcedure.input(z.object({ chartId: z.string() })).query(({ input }) => input.chartId),
});
`,
      errors: [
        { messageId: "rawInput", data: { label: "The middleware of builder `chartProcedure`", what: "getRawInput()" }, line: 6, column: 22, endColumn: 35 },
      ],
    },
    {
      name: "raw input: `getRawInput()` in the chain's middleware, `rawInput` and `ctx.req.body` in resolvers",
      code: `
import { z } from "zod";
import { protectedProcedure, publicProcedure, router } from "../trpc";

export const billingRouter = router({
  audit: protectedProcedure
    .use(async ({ ctx, getRawInput, next }) => {
      const raw = await getRawInput();
      await ctx.audit.log({ userId: ctx.session.user.id, payload: raw });
      return next();
    })
    .input(z.object({ invoiceId: z.string() }))
    .mutation(({ input }) => input.invoiceId),
  legacy: publicProcedure.input(z.object({})).mutation(({ rawInput }) => rawInput),
  webhook: publicProcedure.input(z.object({ id: z.string() })).mutation(({ ctx }) => handleStripeEvent(ctx.req.body)),
});
`,
      errors: [
        { messageId: "rawInput", data: { label: "Procedure `billing.audit`", what: "getRawInput()" }, line: 8, column: 25, endColumn: 38 },
        { messageId: "rawInput", data: { label: "Procedure `billing.legacy`", what: "rawInput" }, line: 14, column: 59, endColumn: 67 },
        { messageId: "rawInput", data: { label: "Procedure `billing.webhook`", what: "ctx.req.body" }, line: 15, column: 104, endColumn: 116 },
      ],
    },
    {
      name: "`t` imported from the project: `t.procedure` is the base builder",
      code: `
import { z } from "zod";
import { t } from "../trpc";

export const searchRouter = t.router({
  search: t.procedure.query(({ input }) => input.q),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `search.search`", kind: "query" },
          line: 6,
          column: 23,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `
import { z } from "zod";
import { t } from "../trpc";

export const searchRouter = t.router({
  search: t.procedure${ADD_INPUT}.query(({ input }) => input.q),
});
`,
            },
          ],
        },
      ],
    },
  ],
});

/**
 * Type-aware: the router files are `fixtures/typed/trpc/routers/*.ts` (stand-ins on disk), with
 * real `@trpc/server` and `zod` types; builders come from `fixtures/typed/trpc/trpc.ts`.
 */
const typedRouter = typedFile("trpc/routers/post.ts");

typedRuleTester.run("trpc-require-input (type-aware)", rule, {
  valid: [
    {
      name: "builders from another file that add `.input()` (an object and a TypeScript enum)",
      filename: typedRouter,
      code: `
import { createTRPCRouter, protectedProjectProcedure, roleProcedure } from "../trpc";

export const postRouter = createTRPCRouter({
  list: protectedProjectProcedure.query(({ input }) => input.projectId),
  byRole: roleProcedure.query(({ input }) => input),
});
`,
    },
    {
      name: "imported schema and handlers: one that reads input behind `.input()`, one that reads only ctx",
      filename: typedRouter,
      code: `
import { ZGetPostSchema } from "../schemas";
import { authedProcedure, createTRPCRouter } from "../trpc";
import { getHandler } from "./get.handler";
import { meHandler } from "./me.handler";

export const postRouter = createTRPCRouter({
  get: authedProcedure.input(ZGetPostSchema).query(getHandler),
  lazyGet: authedProcedure.input(ZGetPostSchema).query(async (opts) => (await import("./get.handler")).getHandler(opts)),
  me: authedProcedure.query(meHandler),
  lazyMe: authedProcedure.query(async (opts) => (await import("./me.handler")).meHandler(opts)),
});
`,
    },
    {
      name: "`something.procedure` whose type is not a tRPC builder, with a handler that reads `input`",
      filename: typedRouter,
      code: `
import { jobs, runJob } from "../not-trpc";

export const job = jobs.procedure.query(runJob);
export const inline = jobs.procedure.query(({ input }) => input.toUpperCase());
`,
    },
    {
      name: "half-typed chains do not crash",
      filename: typedRouter,
      code: `
import { createTRPCRouter, publicProcedure } from "../trpc";
import { missingProcedure } from "./nowhere";

export const postRouter = createTRPCRouter({
  a: publicProcedure.input(),
  b: publicProcedure.query(),
  c: publicProcedure.query(undefined),
  d: missingProcedure.query(({ input }) => input),
});
`,
    },
  ],
  invalid: [
    {
      name: "a handler imported from a `*.handler.ts` file that reads input",
      filename: typedRouter,
      code: `
import { authedProcedure, createTRPCRouter } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  get: authedProcedure.query(getHandler),
});
`,
      errors: [
        {
          messageId: "missingInput",
          data: { label: "Procedure `post.get`", kind: "query" },
          line: 6,
          column: 24,
          suggestions: [
            {
              messageId: "addInput",
              data: { kind: "query" },
              output: `import { z } from "zod";

import { authedProcedure, createTRPCRouter } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  get: authedProcedure${ADD_INPUT}.query(getHandler),
});
`,
            },
          ],
        },
      ],
    },
    {
      name: "`z.any()` with types",
      filename: typedRouter,
      code: `
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc";

export const postRouter = createTRPCRouter({
  upsert: publicProcedure.input(z.any()).mutation(({ input }) => input),
});
`,
      errors: [{ messageId: "weakInput", data: { label: "Procedure `post.upsert`", what: "`z.any()`" }, line: 6, column: 33, endColumn: 40 }],
    },
  ],
});

/**
 * Known gaps, each with a proposed src patch (see the review of this rule). Enable this block
 * when the patches land:
 * - with TypeScript 6 the resolver's `input: undefined` is read as "some input" (the TypeFlags
 *   values changed), so the type-aware rule never reports a missing `.input()` on a resolver
 *   written in the router;
 * - a handler destructured from a dynamic import, or held in a local (`await importHandler(...)`),
 *   is not followed;
 * - cal.com's builder modules (`export default authedProcedure`) are not read;
 * - a weak input on a builder is reported once per procedure built on it;
 * - Valibot and ArkType functions imported by name are not recognised;
 * - `({ getRawInput }) => getRawInput()` is reported twice, and any `.rawInput` (a database
 *   column) counts as raw input.
 */
describe("fixed gaps (regressions)", () => {
  typedRuleTester.run("trpc-require-input (type-aware, TypeScript 6 flags)", rule, {
    valid: [],
    invalid: [
      {
        name: "resolvers written in the router: inline, `opts` handed to an imported handler, and a dynamic import",
        filename: typedRouter,
        code: `
import { z } from "zod";
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } })),
  remove: adminProcedure.mutation((opts) => getHandler(opts)),
  get: authedProcedure.query(async (opts) => (await import("./get.handler")).getHandler(opts)),
});
`,
        errors: [
          {
            messageId: "missingInput",
            data: { label: "Procedure `post.byId`", kind: "query" },
            line: 7,
            column: 25,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  byId: publicProcedure${ADD_INPUT}.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } })),
  remove: adminProcedure.mutation((opts) => getHandler(opts)),
  get: authedProcedure.query(async (opts) => (await import("./get.handler")).getHandler(opts)),
});
`,
              },
            ],
          },
          {
            messageId: "missingInput",
            data: { label: "Procedure `post.remove`", kind: "mutation" },
            line: 8,
            column: 26,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } })),
  remove: adminProcedure${ADD_INPUT}.mutation((opts) => getHandler(opts)),
  get: authedProcedure.query(async (opts) => (await import("./get.handler")).getHandler(opts)),
});
`,
              },
            ],
          },
          {
            messageId: "missingInput",
            data: { label: "Procedure `post.get`", kind: "query" },
            line: 9,
            column: 24,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from "../trpc";
import { getHandler } from "./get.handler";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.query(({ ctx, input }) => ctx.db.post.findUnique({ where: { id: input.id } })),
  remove: adminProcedure.mutation((opts) => getHandler(opts)),
  get: authedProcedure${ADD_INPUT}.query(async (opts) => (await import("./get.handler")).getHandler(opts)),
});
`,
              },
            ],
          },
        ],
      },
      {
        name: "cal.com: the handler destructured from a dynamic import",
        filename: typedRouter,
        code: `
import { z } from "zod";
import { authedProcedure, createTRPCRouter } from "../trpc";

export const postRouter = createTRPCRouter({
  get: authedProcedure.query(async (opts) => {
    const { getHandler } = await import("./get.handler");
    return getHandler(opts);
  }),
});
`,
        errors: [
          {
            messageId: "missingInput",
            data: { label: "Procedure `post.get`", kind: "query" },
            line: 6,
            column: 24,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import { authedProcedure, createTRPCRouter } from "../trpc";

export const postRouter = createTRPCRouter({
  get: authedProcedure${ADD_INPUT}.query(async (opts) => {
    const { getHandler } = await import("./get.handler");
    return getHandler(opts);
  }),
});
`,
              },
            ],
          },
        ],
      },
      {
        name: "cal.com: the handler loaded through `importHandler()` into a local",
        filename: typedRouter,
        code: `
import { z } from "zod";
import { authedProcedure, createTRPCRouter, importHandler } from "../trpc";

export const postRouter = createTRPCRouter({
  get: authedProcedure.query(async (opts) => {
    const handler = await importHandler("post.get", () => import("./get.handler"));
    return handler(opts);
  }),
});
`,
        errors: [
          {
            messageId: "missingInput",
            data: { label: "Procedure `post.get`", kind: "query" },
            line: 6,
            column: 24,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import { authedProcedure, createTRPCRouter, importHandler } from "../trpc";

export const postRouter = createTRPCRouter({
  get: authedProcedure${ADD_INPUT}.query(async (opts) => {
    const handler = await importHandler("post.get", () => import("./get.handler"));
    return handler(opts);
  }),
});
`,
              },
            ],
          },
        ],
      },
    ],
  });

  ruleTester.run("trpc-require-input (syntax-only gaps)", rule, {
    valid: [
      {
        name: "a `rawInput` column on a database row is not tRPC's raw input",
        code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const webhookRouter = router({
  replay: publicProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => {
    const event = await ctx.prisma.webhookEvent.findUniqueOrThrow({ where: { id: input.id } });
    return processEvent(event.rawInput);
  }),
  submission: publicProcedure.input(z.object({ id: z.string() })).query(async ({ ctx, input }) => {
    const { rawInput, parsed } = await ctx.prisma.submission.findUniqueOrThrow({ where: { id: input.id } });
    return { rawInput, parsed };
  }),
});
`,
      },
    ],
    invalid: [
      {
        name: "cal.com: a builder module that ends in `export default authedProcedure`",
        filename: routerFile("bookings.ts"),
        code: `
import { z } from "zod";
import authedProcedure from "../server/procedures/authedProcedure";
import { router } from "../server/trpc";

export const bookingsRouter = router({
  confirm: authedProcedure.mutation(({ ctx, input }) => ctx.prisma.booking.update({ where: { id: input.bookingId }, data: { status: "ACCEPTED" } })),
});
`,
        errors: [
          {
            messageId: "missingInput",
            data: { label: "Procedure `bookings.confirm`", kind: "mutation" },
            line: 7,
            column: 28,
            suggestions: [
              {
                messageId: "addInput",
                output: `
import { z } from "zod";
import authedProcedure from "../server/procedures/authedProcedure";
import { router } from "../server/trpc";

export const bookingsRouter = router({
  confirm: authedProcedure${ADD_INPUT}.mutation(({ ctx, input }) => ctx.prisma.booking.update({ where: { id: input.bookingId }, data: { status: "ACCEPTED" } })),
});
`,
              },
            ],
          },
        ],
      },
      {
        name: "a weak input on a builder is reported once, not once per procedure built on it",
        code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

const anyInputProcedure = publicProcedure.input(z.any());

export const importRouter = router({
  csv: anyInputProcedure.mutation(({ input }) => input),
  json: anyInputProcedure.mutation(({ input }) => input),
});
`,
        errors: [{ messageId: "weakInput", line: 5, column: 49, endColumn: 56 }],
      },
      {
        name: "Valibot and ArkType functions imported by name",
        code: `
import { type } from "arktype";
import { email, object, pipe, string } from "valibot";
import { publicProcedure, router } from "../trpc";

export const userRouter = router({
  byEmail: publicProcedure.input(object({ email: pipe(string(), email()) })).query(({ input }) => input.email),
  byName: publicProcedure.input(type({ name: "string" })).query(({ input }) => input.name),
});
`,
        errors: [
          { messageId: "disallowedValidator", data: { label: "Procedure `user.byEmail`", library: "valibot", allowed: "zod" }, line: 7, column: 34 },
          { messageId: "disallowedValidator", data: { label: "Procedure `user.byName`", library: "arktype", allowed: "zod" }, line: 8, column: 33 },
        ],
      },
      {
        name: "`({ getRawInput }) => getRawInput()` is one raw read",
        code: `
import { z } from "zod";
import { publicProcedure, router } from "../trpc";

export const webhookRouter = router({
  stripe: publicProcedure.input(z.object({})).mutation(async ({ getRawInput }) => verifyStripeEvent(await getRawInput())),
});
`,
        errors: [{ messageId: "rawInput", data: { label: "Procedure `webhook.stripe`", what: "getRawInput()" }, line: 6, column: 107 }],
      },
    ],
  });
});
