import path from "node:path";
import rule from "../../src/rules/db-bounded-reads.js";
import { ruleTester } from "../rule-tester.js";

/** A project folder with prisma/schema.prisma (User.email @unique, Post.slug @unique, Membership @@id([organizationId, userId])). */
const PROJECT = path.join(import.meta.dirname, "..", "fixtures", "syntax", "db");
const file = (name: string): string => path.join(PROJECT, "src", name);

const T3 = `import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { prisma } from "~/server/db";
`;

const FASTIFY = `import Fastify, { type FastifyInstance } from "fastify";
import { Kysely } from "kysely";
import { prisma } from "./db";
declare const db: Kysely<Database>;
`;

/** The message's data, so that a case pins the whole message. */
const prismaData = (read: string, model: string, endpoints: string, steps: string[]) => ({
  read,
  model,
  endpoints,
  path: [endpoints.replace(/^`([^`]+)`.*$/, "$1"), ...steps, read].join(" -> "),
  bound: "`take`",
  fix: "`take: n` (and `cursor` / `skip` for the next page)",
});
const kyselyData = (read: string, table: string, endpoint: string) => ({
  read,
  model: table,
  endpoints: `\`${endpoint}\``,
  path: `${endpoint} -> ${read}`,
  bound: "`.limit()`",
  fix: "`.limit(n)` (and a cursor for the next page)",
});

ruleTester.run("db-bounded-reads", rule, {
  valid: [
    {
      name: "take bounds the page, whatever its value (a constant, the caller's page size from a capped input)",
      filename: file("post.router.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => prisma.post.findMany({ where: { status: "PUBLISHED" }, orderBy: { publishedAt: "desc" }, take: 20 })),
  list: protectedProcedure
    .input(z.object({ limit: z.number().max(100), cursor: z.string().nullish() }))
    .query(({ input }) =>
      prisma.post.findMany({ take: input.limit + 1, cursor: input.cursor ? { id: input.cursor } : undefined }),
    ),
});
`,
    },
    {
      name: "a where on a unique column, or on every column of a compound id, returns at most one row",
      filename: file("user.router.ts"),
      code: `${T3}
export const userRouter = createTRPCRouter({
  byEmail: protectedProcedure.input(z.object({ email: z.string() })).query(({ input }) => prisma.user.findMany({ where: { email: input.email } })),
  membership: protectedProcedure
    .input(z.object({ organizationId: z.string() }))
    .query(({ ctx, input }) =>
      prisma.membership.findMany({ where: { AND: [{ organizationId: input.organizationId }, { userId: { equals: ctx.session.user.id } }] } }),
    ),
});
`,
    },
    {
      name: "an in: list on a unique column whose length the input schema caps, or that the code computed",
      filename: file("post.router.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  byIds: protectedProcedure
    .input(z.object({ ids: z.array(z.string()).max(50) }))
    .query(({ input }) => prisma.post.findMany({ where: { id: { in: input.ids } } })),
  pinned: protectedProcedure.query(async ({ ctx }) => {
    const pins = await prisma.membership.findFirst({ where: { userId: ctx.session.user.id }, select: { organizationId: true } });
    const slugs = [pins?.organizationId ?? "", "welcome"];
    return prisma.post.findMany({ where: { slug: { in: slugs } } });
  }),
});
`,
    },
    {
      name: "reads that return one row or a number: findFirst, findUnique, count, aggregate; Kysely executeTakeFirst, .limit(), an aggregate",
      filename: file("stats.ts"),
      code: `${FASTIFY}
const app = Fastify();
app.get("/v1/stats", async () => {
  const latest = await prisma.post.findFirst({ orderBy: { createdAt: "desc" } });
  const total = await prisma.post.count();
  const views = await prisma.post.aggregate({ _sum: { views: true } });
  const top = await db.selectFrom("Post").selectAll().orderBy("views", "desc").limit(10).execute();
  const one = await db.selectFrom("Post").selectAll().where("authorId", "=", "x").executeTakeFirst();
  const n = await db.selectFrom("Post").select((eb) => eb.fn.countAll().as("n")).execute();
  return { latest, total, views, top, one, n };
});
`,
    },
    {
      name: "smallModels: a lookup table stays small",
      filename: file("org.router.ts"),
      options: [{ smallModels: ["Organization"] }],
      code: `${T3}
export const orgRouter = createTRPCRouter({
  all: publicProcedure.query(() => prisma.organization.findMany()),
});
`,
    },
    {
      name: "no endpoint reaches it: a service function on its own, a script, a test",
      filename: file("post.service.ts"),
      code: `${T3}
export async function allPosts() {
  return prisma.post.findMany();
}
`,
    },
    {
      name: "a script serves no request (nonRuntime files)",
      filename: file("scripts/export-posts.ts"),
      code: `${T3}
export const exportRouter = createTRPCRouter({
  all: publicProcedure.query(() => prisma.post.findMany()),
});
`,
    },
    {
      name: "arguments this file cannot read (a spread of an imported object may carry take)",
      filename: file("post.router.ts"),
      code: `${T3}
import { pageArgs } from "./paging";
export const postRouter = createTRPCRouter({
  list: publicProcedure.query(() => prisma.post.findMany({ ...pageArgs, where: { status: "PUBLISHED" } })),
  page: publicProcedure.query(() => prisma.post.findMany(pageArgs)),
});
`,
    },
    {
      name: "a where built by a helper (from the caller's id list) is not this file's to judge",
      filename: file("document.router.ts"),
      code: `${T3}
import { documentsWhere } from "./documents.where";
export const documentRouter = createTRPCRouter({
  byIds: protectedProcedure.input(z.object({ ids: z.array(z.string()) })).query(async ({ ctx, input }) => {
    const where = documentsWhere({ ids: input.ids, userId: ctx.session.user.id });
    return prisma.post.findMany({ where, select: { id: true, title: true } });
  }),
});
`,
    },
    {
      name: "in: lists over every column of a compound unique return at most one row per combination",
      filename: file("membership.router.ts"),
      code: `${T3}
export const membershipRouter = createTRPCRouter({
  existing: protectedProcedure.input(z.object({ organizationId: z.string() })).mutation(async ({ ctx, input }) => {
    const invited = await prisma.user.findFirst({ where: { email: "x@example.com" }, select: { id: true } });
    const userIds = [ctx.session.user.id, invited?.id ?? ""];
    return prisma.membership.findMany({ where: { organizationId: { in: [input.organizationId] }, userId: { in: userIds } } });
  }),
});
`,
    },
  ],
  invalid: [
    {
      name: "findMany with no arguments in a tRPC query: every row of the table",
      filename: file("post.router.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  all: publicProcedure.query(() => prisma.post.findMany()),
});
`,
      errors: [{ messageId: "unboundedRead", line: 6, column: 36, data: prismaData("prisma.post.findMany", "Post", "`post.all`", []) }],
    },
    {
      name: "a where on a non-unique column (a relation's foreign key) still returns every match; cursor and distinct do not bound it",
      filename: file("comment.router.ts"),
      code: `${T3}
export const commentRouter = createTRPCRouter({
  forPost: protectedProcedure
    .input(z.object({ postId: z.string(), after: z.string() }))
    .query(({ input }) =>
      prisma.comment.findMany({ where: { postId: input.postId }, cursor: { id: input.after }, distinct: ["authorId"], orderBy: { createdAt: "asc" } }),
    ),
});
`,
      errors: [{ messageId: "unboundedRead", line: 9, column: 7, data: prismaData("prisma.comment.findMany", "Comment", "`comment.forPost`", []) }],
    },
    {
      name: "an in: list straight from the client, with no .max() on its schema; an in: on a non-unique column",
      filename: file("post.router.ts"),
      code: `${T3}
export const postRouter = createTRPCRouter({
  byIds: protectedProcedure
    .input(z.object({ ids: z.array(z.string()) }))
    .query(({ input }) => prisma.post.findMany({ where: { id: { in: input.ids } } })),
  byAuthors: protectedProcedure
    .input(z.object({ authors: z.array(z.string()).max(5) }))
    .query(({ input }) => prisma.post.findMany({ where: { authorId: { in: input.authors } } })),
});
`,
      errors: [
        { messageId: "unboundedRead", line: 8, column: 27, data: prismaData("prisma.post.findMany", "Post", "`post.byIds`", []) },
        { messageId: "unboundedRead", line: 11, column: 27, data: prismaData("prisma.post.findMany", "Post", "`post.byAuthors`", []) },
      ],
    },
    {
      name: "through a service in the same file, reached from two endpoints: reported once at the read, naming both",
      filename: file("post.router.ts"),
      code: `${T3}
const postService = {
  async byOrganization(organizationId: string) {
    return prisma.post.findMany({ where: { organizationId }, orderBy: { createdAt: "desc" } });
  },
};

export const postRouter = createTRPCRouter({
  forOrg: protectedProcedure.input(z.object({ organizationId: z.string() })).query(({ input }) => postService.byOrganization(input.organizationId)),
  exportOrg: protectedProcedure.input(z.object({ organizationId: z.string() })).mutation(({ input }) => postService.byOrganization(input.organizationId)),
});
`,
      errors: [
        {
          messageId: "unboundedRead",
          line: 7,
          column: 12,
          data: prismaData("prisma.post.findMany", "Post", "`post.forOrg` (and 1 more)", ["postService.byOrganization"]),
        },
      ],
    },
    {
      name: "a where kept in a local constant is read: on a non-unique column it does not bound the list; an in: list on one column of a compound key neither",
      filename: file("membership.router.ts"),
      code: `${T3}
export const membershipRouter = createTRPCRouter({
  members: protectedProcedure.input(z.object({ organizationId: z.string() })).query(({ input }) => {
    const where = { organizationId: input.organizationId, accepted: true };
    return prisma.membership.findMany({ where });
  }),
  some: protectedProcedure.input(z.object({ userIds: z.array(z.string()).max(10) })).query(({ input }) => prisma.membership.findMany({ where: { userId: { in: input.userIds } } })),
});
`,
      errors: [
        { messageId: "unboundedRead", line: 8, column: 12, data: prismaData("prisma.membership.findMany", "Membership", "`membership.members`", []) },
        { messageId: "unboundedRead", line: 10, column: 107, data: prismaData("prisma.membership.findMany", "Membership", "`membership.some`", []) },
      ],
    },
    {
      name: "Kysely selectFrom(...).execute() in a Fastify route, with no .limit(); a where on a non-unique column",
      filename: file("routes.ts"),
      code: `${FASTIFY}
export default async function routes(app: FastifyInstance) {
  app.get("/v1/posts", async () => db.selectFrom("Post").selectAll().where("status", "=", "PUBLISHED").execute());
}
`,
      errors: [{ messageId: "unboundedRead", line: 7, column: 36, data: kyselyData("db.selectFrom(Post)", "Post", "GET /v1/posts") }],
    },
  ],
});

const NEXT = `import { prisma } from "~/server/db";
`;

ruleTester.run("db-bounded-reads (Next.js)", rule, {
  valid: [
    {
      name: "a route handler that pages its list",
      filename: file("app/api/posts/route.ts"),
      code: `${NEXT}export async function GET() {
  return Response.json(await prisma.post.findMany({ take: 20, orderBy: { id: "desc" } }));
}
`,
    },
    {
      name: "the same read in a module Next does not route",
      filename: file("app/posts/queries.ts"),
      code: `${NEXT}export async function GET() {
  return prisma.post.findMany();
}
`,
    },
  ],
  invalid: [
    {
      name: "a route handler and a wrapped one, each returning the whole table",
      filename: file("app/(blog)/api/posts/route.ts"),
      code: `${NEXT}import { withAuth } from "~/server/auth";
export async function GET() {
  return Response.json(await prisma.post.findMany());
}
export const POST = withAuth(async () => Response.json(await prisma.comment.findMany()));
`,
      errors: [
        { messageId: "unboundedRead", line: 4, column: 30, data: prismaData("prisma.post.findMany", "Post", "`GET /api/posts`", []) },
        { messageId: "unboundedRead", line: 6, column: 62, data: prismaData("prisma.comment.findMany", "Comment", "`POST /api/posts`", []) },
      ],
    },
    {
      name: "a server action in a `use server` module",
      filename: file("app/posts/actions.ts"),
      code: `"use server";
${NEXT}export async function exportPosts() {
  return prisma.post.findMany();
}
`,
      errors: [
        {
          messageId: "unboundedRead",
          line: 4,
          column: 10,
          data: prismaData("prisma.post.findMany", "Post", "`action exportPosts (src/app/posts/actions.ts)`", []),
        },
      ],
    },
  ],
});
