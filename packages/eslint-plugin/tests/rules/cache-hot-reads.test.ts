import path from "node:path";
import rule from "../../src/rules/cache-hot-reads.js";
import { ruleTester, typedFixturesDir, typedRuleTester } from "../rule-tester.js";

/**
 * A fixture file by its path under `fixtures/typed`, which the tester then uses as the working
 * directory: an absolute path would put `tests/fixtures/` in the file's path, and the rule skips
 * tests and fixtures.
 */
const typedFile = (name: string): string => name;

/** A create-t3-app router file: builders from `~/server/api/trpc`, the Prisma client from `~/server/db`. */
const T3 = `import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { prisma } from "~/server/db";
import { redis } from "~/server/redis";
`;

/** A Fastify file. */
const FASTIFY = `import Fastify, { type FastifyInstance } from "fastify";
import { prisma } from "./db";
`;

const PUBLIC = "a public query";
const GET_ROUTE = "a GET route with no auth hook";
const CONFIGURED = "named in settings.archlint.hotPaths";

/** The message's data, so that a case pins the whole message and not only its id. */
const data = (handler: string, model: string, steps: string[], reason: string) => ({
  handler,
  models: model === "the database" ? model : `\`${model}\``,
  path: [handler, ...steps].join(" -> "),
  reason,
});

/** The traffic file fixture (`{ "post.byId": 240, "post.mine": 85, "post.drafts": 0.4, "GET /v1/posts/:id": 310 }`). */
const TRAFFIC_FILE = path.join(typedFixturesDir, "hot", "traffic.json");

ruleTester.run("cache-hot-reads", rule, {
  valid: [
    {
      name: "cache.wrap: the read runs inside the cached callback",
      code: `${T3}
import { cache } from "~/server/cache";

export const postRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.object({ id: z.string() }))
    .query(({ input }) => cache.wrap(\`post:\${input.id}\`, 60, () => prisma.post.findUnique({ where: { id: input.id } }))),
});
`,
    },
    {
      name: "unstable_cache / withCache / memoize: the handler calls the cached function, never the read itself",
      code: `${T3}
import { unstable_cache } from "next/cache";
import { withCache } from "~/server/cache";
import memoize from "p-memoize";

const getFeed = unstable_cache(async () => prisma.post.findMany({ where: { published: true }, take: 20 }), ["feed"], { revalidate: 60 });
const getAuthor = memoize(async (id: string) => prisma.user.findUnique({ where: { id } }));

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeed()),
  author: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => getAuthor(input.id)),
  count: publicProcedure.query(() => withCache("post:count", 300, async () => prisma.post.count())),
});
`,
    },
    {
      name: "cache-aside with ioredis: the read runs only on a miss",
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const key = \`post:\${input.id}\`;
    const hit = await redis.get(key);
    if (hit) return JSON.parse(hit) as { id: string; title: string };
    const post = await prisma.post.findUnique({ where: { id: input.id } });
    await redis.set(key, JSON.stringify(post), "EX", 60);
    return post;
  }),
});
`,
    },
    {
      name: "cache-aside with Upstash: `redis.get<T>(key)` on a client from @upstash/redis",
      code: `
import { Redis } from "@upstash/redis";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { prisma } from "~/server/db";

const redis = Redis.fromEnv();

export const postRouter = createTRPCRouter({
  popular: publicProcedure.query(async () => {
    const cached = await redis.get<Array<{ id: string; title: string }>>("posts:popular");
    if (cached) return cached;
    const posts = await prisma.post.findMany({ orderBy: { views: "desc" }, take: 10 });
    await redis.set("posts:popular", posts, { ex: 120 });
    return posts;
  }),
});
`,
    },
    {
      name: "a read in a public mutation: mutations are not hot",
      code: `${T3}
export const postRouter = createTRPCRouter({
  create: publicProcedure.input(z.object({ title: z.string(), slug: z.string() })).mutation(async ({ input }) => {
    const taken = await prisma.post.findFirst({ where: { slug: input.slug } });
    if (taken) throw new Error("slug taken");
    return prisma.post.create({ data: input });
  }),
});
`,
    },
    {
      name: "a read in a protected query: signed-in traffic is not hot by default",
      code: `${T3}
export const postRouter = createTRPCRouter({
  mine: protectedProcedure.query(({ ctx }) => ctx.db.post.findMany({ where: { createdById: ctx.session.user.id } })),
});
`,
    },
    {
      name: "`t.procedure` with an auth middleware, and a local builder built from it, are not public",
      code: `
import { initTRPC, TRPCError } from "@trpc/server";
import { prisma } from "./db";

const t = initTRPC.context<{ userId: string | null }>().create();
const isAuthed = t.middleware(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { userId: ctx.userId } });
});
const authedProcedure = t.procedure.use(isAuthed);

export const appRouter = t.router({
  me: t.procedure.use(isAuthed).query(({ ctx }) => prisma.user.findUnique({ where: { id: ctx.userId } })),
  settings: authedProcedure.query(({ ctx }) => prisma.settings.findUnique({ where: { userId: ctx.userId } })),
});
`,
    },
    {
      name: "/** @not-hot */ (and // @cold) on a public query",
      code: `${T3}
export const postRouter = createTRPCRouter({
  /** @not-hot: called once per build by the sitemap generator */
  sitemap: publicProcedure.query(() => prisma.post.findMany({ select: { slug: true } })),
  // @cold
  archive: publicProcedure.query(() => prisma.post.findMany({ where: { archived: true } })),
});
`,
    },
    {
      name: "hot: configured: a public query is not hot unless @hot or hotPaths names it",
      options: [{ hot: "configured" }],
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
});
`,
    },
    {
      name: "maxDepth: 1 follows the service but not the repository it calls",
      options: [{ maxDepth: 1 }],
      code: `${T3}
const postRepository = {
  findById(id: string) {
    return prisma.post.findUnique({ where: { id } });
  },
};

const PostService = {
  async getById(id: string) {
    const post = await postRepository.findById(id);
    return post && { ...post, url: \`/p/\${post.id}\` };
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => PostService.getById(input.id)),
});
`,
    },
    {
      name: "maxDepth: 0 looks only at the handler's own body",
      options: [{ maxDepth: 0 }],
      code: `${T3}
async function getPost(id: string) {
  return prisma.post.findUnique({ where: { id } });
}

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => getPost(input.id)),
});
`,
    },
    {
      name: "near-misses: a public query with no database read, a read in a function nobody calls, `pool.query` is not tRPC",
      code: `${T3}
import { Pool } from "pg";

const pool = new Pool();

async function unused() {
  return prisma.post.findMany();
}

export const healthRouter = createTRPCRouter({
  ping: publicProcedure.query(() => ({ ok: true, at: Date.now() })),
  weather: publicProcedure.input(z.object({ city: z.string() })).query(({ input }) => fetch(\`https://wttr.in/\${input.city}?format=j1\`).then((r) => r.json())),
});

export async function legacyCount() {
  return pool.query("SELECT count(*) FROM posts");
}
`,
    },
    {
      name: "settings.archlint.procedures.protected: `apiProcedure` (an API key checked in createContext) is not public",
      settings: { archlint: { procedures: { protected: ["apiProcedure"] } } },
      code: `
import { initTRPC } from "@trpc/server";
import { prisma } from "./db";

const t = initTRPC.context<{ apiKey: { orgId: string } }>().create();
export const apiProcedure = t.procedure;

export const eventsRouter = t.router({
  list: apiProcedure.query(({ ctx }) => prisma.event.findMany({ where: { orgId: ctx.apiKey.orgId } })),
});
`,
    },
    {
      name: "a caching middleware named in settings.archlint.cacheWrappers caches the whole procedure",
      settings: { archlint: { cacheWrappers: ["cache.wrap", "cacheMiddleware"] } },
      code: `${T3}
import { cacheMiddleware } from "~/server/api/middleware/cache";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.use(cacheMiddleware).query(() => prisma.post.findMany({ where: { published: true } })),
});
`,
    },
    {
      name: "hotPaths names other handlers: a protected query outside them stays cold",
      settings: { archlint: { hotPaths: ["post.*", "GET /v1/posts/:id"] } },
      code: `${T3}
export const adminRouter = createTRPCRouter({
  stats: protectedProcedure.query(() => prisma.post.count()),
});
`,
    },
    {
      name: "traffic file: a protected query below the threshold, and one the file does not list",
      settings: { archlint: { hotPaths: { trafficFile: TRAFFIC_FILE, threshold: 50 } } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  drafts: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { published: false, createdById: ctx.session.user.id } })),
  liked: protectedProcedure.query(({ ctx }) => prisma.like.findMany({ where: { userId: ctx.session.user.id } })),
});
`,
    },
    {
      name: "Fastify: GET with a route-level onRequest auth hook",
      code: `${FASTIFY}
const app = Fastify();

app.get("/v1/me", { onRequest: [app.authenticate] }, async (request) => prisma.user.findUnique({ where: { id: request.user.id } }));
app.route({
  method: "GET",
  url: "/v1/me/posts",
  preHandler: app.auth([app.verifyJWT]),
  handler: async (request) => prisma.post.findMany({ where: { authorId: request.user.id } }),
});
`,
    },
    {
      name: "Fastify: GET in a plugin that adds an onRequest hook",
      code: `${FASTIFY}
export default async function accountRoutes(fastify: FastifyInstance) {
  fastify.addHook("onRequest", async (request) => {
    await request.jwtVerify();
  });

  fastify.get("/v1/account", async (request) => prisma.user.findUnique({ where: { id: request.user.sub } }));
}
`,
    },
    {
      name: "a public query that returns unless a session exists serves signed-in traffic",
      code: `${T3}
import { auth } from "~/server/auth";
export const inboxRouter = createTRPCRouter({
  unread: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.session?.user) return [];
    return prisma.message.findMany({ where: { userId: ctx.session.user.id, read: false } });
  }),
  mine: publicProcedure.query(async () => {
    const user = await auth();
    if (!user) {
      throw new Error("UNAUTHORIZED");
    }
    return prisma.message.findMany({ where: { userId: user.id } });
  }),
});
`,
    },
    {
      name: "probes, callbacks, webhooks and cron triggers run once per probe or event, not per page view",
      code: `${FASTIFY}
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
const app = Fastify();
app.get("/healthz", async () => prisma.$queryRaw\`SELECT 1\`);
app.get("/api/auth/callback/:provider", async (request) => prisma.account.findFirst({ where: { provider: request.params.provider } }));
app.get("/v1/cron/digest", async () => prisma.user.findMany({ where: { digest: true } }));
export const opsRouter = createTRPCRouter({
  health: publicProcedure.query(() => prisma.user.count()),
});
`,
    },
    {
      name: "Fastify: POST / PUT / DELETE routes are not reads",
      code: `${FASTIFY}
const app = Fastify();

app.post("/v1/posts", async (request) => {
  const author = await prisma.user.findUniqueOrThrow({ where: { id: request.body.authorId } });
  return prisma.post.create({ data: { ...request.body, authorId: author.id } });
});
app.route({ method: ["PUT", "PATCH"], url: "/v1/posts/:id", handler: async (request) => prisma.post.findUnique({ where: { id: request.params.id } }) });
`,
    },
    {
      name: "Fastify: `/** @not-hot */` on a public GET, and a GET whose handler reads through a cache",
      code: `${FASTIFY}
import { redis } from "./redis";

const app = Fastify();

/** @not-hot -- internal health page, hit by the load balancer once a minute */
app.get("/internal/post-count", async () => prisma.post.count());

app.get("/v1/posts/:id", async (request) => {
  const hit = await redis.get(\`post:\${request.params.id}\`);
  if (hit) return JSON.parse(hit);
  return prisma.post.findUnique({ where: { id: request.params.id } });
});
`,
    },
    {
      name: "Express is not Fastify: `app.get` on an express() app is no route here",
      code: `
import express from "express";
import { prisma } from "./db";

const app = express();
app.get("/v1/posts", async (_req, res) => res.json(await prisma.post.findMany()));
`,
    },
    {
      name: "Kysely writes and a Prisma write in a public query are not reads",
      code: `${T3}
import { db } from "~/server/kysely";

export const postRouter = createTRPCRouter({
  view: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    await db.insertInto("post_views").values({ post_id: input.id }).execute();
    await prisma.post.update({ where: { id: input.id }, data: { views: { increment: 1 } } });
    return { ok: true };
  }),
});
`,
    },
    {
      name: "cache-aside in the handler in front of a service call: the service runs only on a miss",
      code: `${T3}
const PostService = {
  findById(id: string) {
    return prisma.post.findUnique({ where: { id } });
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const hit = await redis.get(\`post:\${input.id}\`);
    if (hit) return JSON.parse(hit);
    const post = await PostService.findById(input.id);
    await redis.set(\`post:\${input.id}\`, JSON.stringify(post), "EX", 60);
    return post;
  }),
});
`,
    },
    {
      name: "Prisma Accelerate: a read with `cacheStrategy: { ttl }` is cached by Accelerate",
      code: `${T3}
export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => prisma.post.findMany({ where: { published: true }, cacheStrategy: { ttl: 60, swr: 30 } })),
});
`,
    },
    {
      name: "a hotPaths glob picks among queries: a mutation it matches stays cold (its read decides a write)",
      settings: { archlint: { hotPaths: ["post.*"] } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  publish: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ ctx, input }) => {
    const post = await prisma.post.findUniqueOrThrow({ where: { id: input.id } });
    if (post.createdById !== ctx.session.user.id) throw new Error("FORBIDDEN");
    return prisma.post.update({ where: { id: post.id }, data: { published: true } });
  }),
});
`,
    },
    {
      name: "cache-aside shapes: the miss branch of `if (!cached)`, `hit ?? load()`, a check inside `try`, a ternary",
      code: `${T3}
const PostService = {
  findById(id: string) {
    return prisma.post.findUnique({ where: { id } });
  },
  popular() {
    return prisma.post.findMany({ orderBy: { views: "desc" }, take: 10 });
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const cached = await redis.get(\`post:\${input.id}\`);
    if (!cached) {
      const post = await PostService.findById(input.id);
      await redis.set(\`post:\${input.id}\`, JSON.stringify(post), "EX", 60);
      return post;
    }
    return JSON.parse(cached);
  }),
  popular: publicProcedure.query(async () => (await redis.get("posts:popular")) ?? PostService.popular()),
  bySlug: publicProcedure.input(z.object({ slug: z.string() })).query(async ({ input }) => {
    try {
      const hit = await redis.get(\`post:slug:\${input.slug}\`);
      if (hit !== null) return JSON.parse(hit);
    } catch {
      // Redis down: fall through to the database.
    }
    return prisma.post.findFirst({ where: { slug: input.slug } });
  }),
  count: publicProcedure.query(async () => {
    const hit = await redis.get("posts:count");
    return hit ? Number(hit) : prisma.post.count();
  }),
});
`,
    },
    {
      name: "Prisma Accelerate: `cacheStrategy` from a shared constant the file cannot see into is trusted",
      code: `${T3}
import { FEED_CACHE } from "~/server/cache-strategies";

const args = { where: { published: true }, cacheStrategy: FEED_CACHE };

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => prisma.post.findMany(args)),
});
`,
    },
    {
      name: "`$executeRaw` as a tagged template in a query is a write, and `$queryRaw` in a mutation is not hot",
      code: `${T3}
export const postRouter = createTRPCRouter({
  view: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    await prisma.$executeRaw\`UPDATE "Post" SET views = views + 1 WHERE id = \${input.id}\`;
    return { ok: true };
  }),
  reindex: publicProcedure.mutation(() => prisma.$queryRaw\`SELECT id FROM "Post" WHERE "searchVector" IS NULL\`),
});
`,
    },
    {
      name: "Fastify: hooks added in a child plugin wrapped in `fp(...)` apply to the parent's routes",
      code: `${FASTIFY}
import fp from "fastify-plugin";

export async function buildApp() {
  const app = Fastify();
  await app.register(
    fp(async (instance) => {
      instance.addHook("onRequest", instance.authenticate);
    }),
  );
  app.get("/v1/me/posts", async (request) => prisma.post.findMany({ where: { authorId: request.user.id } }));
  return app;
}
`,
    },
    {
      name: "Fastify: a glob in hotPaths does not make a POST route hot",
      settings: { archlint: { hotPaths: ["* /v1/posts/**"] } },
      code: `${FASTIFY}
const app = Fastify();

app.post("/v1/posts/:id/like", { onRequest: [app.authenticate] }, async (request) => {
  const post = await prisma.post.findUniqueOrThrow({ where: { id: request.params.id } });
  return prisma.like.create({ data: { postId: post.id, userId: request.user.id } });
});
`,
    },
  ],
  invalid: [
    {
      name: "public query reads prisma directly: reported at the read",
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.object({ id: z.string() }))
    .query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 9,
          column: 27,
          endLine: 9,
          endColumn: 78,
          data: data("post.byId", "Post", ["prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "create-t3-app: `ctx.db` in a block-bodied resolver, two reads, two reports",
      code: `${T3}
export const postRouter = createTRPCRouter({
  getLatest: publicProcedure.query(async ({ ctx }) => {
    const post = await ctx.db.post.findFirst({ orderBy: { createdAt: "desc" } });
    const total = await ctx.db.post.count();
    return { post, total };
  }),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 8, column: 24, data: data("post.getLatest", "Post", ["ctx.db.post.findFirst"], PUBLIC) },
        { messageId: "uncachedRead", line: 9, column: 25, data: data("post.getLatest", "Post", ["ctx.db.post.count"], PUBLIC) },
      ],
    },
    {
      name: "a local service function: reported at the handler's call, with the path",
      code: `${T3}
async function getPostBySlug(slug: string) {
  return prisma.post.findFirst({ where: { slug, published: true } });
}

export const postRouter = createTRPCRouter({
  bySlug: publicProcedure.input(z.object({ slug: z.string() })).query(({ input }) => getPostBySlug(input.slug)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 11,
          column: 86,
          endColumn: 111,
          data: data("post.bySlug", "Post", ["getPostBySlug", "prisma.post.findFirst"], PUBLIC),
        },
      ],
    },
    {
      name: "an object-literal service: `post.byId -> PostService.findById -> prisma.post.findUnique`",
      code: `${T3}
export const PostService = {
  async findById(id: string) {
    return prisma.post.findUnique({ where: { id }, include: { author: true } });
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => PostService.findById(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 13,
          column: 82,
          endColumn: 112,
          data: data("post.byId", "Post", ["PostService.findById", "prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "a class with static methods (cal.com style), through `this.` to a private helper",
      code: `${T3}
export class PostService {
  static async findById(id: string) {
    const post = await this.load(id);
    return post ? { ...post, excerpt: post.body.slice(0, 140) } : null;
  }

  private static load(id: string) {
    return prisma.post.findUnique({ where: { id } });
  }
}

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => PostService.findById(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 18,
          column: 82,
          data: data("post.byId", "Post", ["PostService.findById", "this.load", "prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "router -> service -> repository, two calls deep: found with the default maxDepth and with maxDepth: 2",
      options: [{ maxDepth: 2 }],
      code: `${T3}
const postRepository = {
  findById(id: string) {
    return prisma.post.findUnique({ where: { id } });
  },
};

const PostService = {
  async getById(id: string) {
    const post = await postRepository.findById(id);
    return post && { ...post, url: \`/p/\${post.id}\` };
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => PostService.getById(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 20,
          column: 82,
          data: data("post.byId", "Post", ["PostService.getById", "postRepository.findById", "prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "one call reaching two reads is reported once, at the call, naming both",
      code: `${T3}
async function getPostPage(id: string) {
  const [post, comments] = await Promise.all([
    prisma.post.findUnique({ where: { id } }),
    prisma.comment.findMany({ where: { postId: id }, take: 50 }),
  ]);
  return { post, comments };
}

export const postRouter = createTRPCRouter({
  page: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => getPostPage(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 15,
          column: 82,
          data: {
            handler: "post.page",
            models: "`Post` and `Comment`",
            path: "post.page -> getPostPage -> prisma.post.findUnique; post.page -> getPostPage -> prisma.comment.findMany",
            reason: PUBLIC,
          },
        },
      ],
    },
    {
      name: "a second read after `const ids = await firstRead()` in the service is named too, with the path through the helper",
      code: `${T3}
async function followedIds(userId: string) {
  const rows = await prisma.follow.findMany({ where: { followerId: userId }, select: { followeeId: true } });
  return rows.map((r) => r.followeeId);
}
async function feed(userId: string) {
  const ids = await followedIds(userId);
  return prisma.post.findMany({ where: { authorId: { in: ids } }, take: 20 });
}

export const feedRouter = createTRPCRouter({
  latest: publicProcedure.input(z.object({ userId: z.string() })).query(({ input }) => feed(input.userId)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 16,
          column: 88,
          data: {
            handler: "feed.latest",
            models: "`Follow` and `Post`",
            path: "feed.latest -> feed -> followedIds -> prisma.follow.findMany; feed.latest -> feed -> prisma.post.findMany",
            reason: PUBLIC,
          },
        },
      ],
    },
    {
      name: "a read in a $transaction callback (through `tx`) and a `$queryRaw(...)` call",
      code: `${T3}
import { Prisma } from "@prisma/client";

export const statsRouter = createTRPCRouter({
  summary: publicProcedure.query(() =>
    prisma.$transaction(async (tx) => {
      const posts = await tx.post.count();
      const users = await tx.user.count();
      return { posts, users };
    }),
  ),
  top: publicProcedure.query(() => prisma.$queryRaw(Prisma.sql\`SELECT id, title FROM "Post" ORDER BY views DESC LIMIT 10\`)),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 11, column: 27, data: data("stats.summary", "Post", ["tx.post.count"], PUBLIC) },
        { messageId: "uncachedRead", line: 12, column: 27, data: data("stats.summary", "User", ["tx.user.count"], PUBLIC) },
        { messageId: "uncachedRead", line: 16, column: 36, data: data("stats.top", "the database", ["prisma.$queryRaw"], PUBLIC) },
      ],
    },
    {
      name: 'Kysely: `db.selectFrom("posts").selectAll().execute()` in a public query',
      code: `
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { db } from "~/server/db";

export const postRouter = createTRPCRouter({
  list: publicProcedure.query(() => db.selectFrom("posts").selectAll().where("published", "=", true).execute()),
});
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 37, endColumn: 111, data: data("post.list", "posts", ["db.selectFrom(posts)"], PUBLIC) }],
    },
    {
      name: "a cached read next to an uncached one: only the uncached one is reported",
      code: `${T3}
import { cache } from "~/server/cache";

export const postRouter = createTRPCRouter({
  page: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const post = await cache.wrap(\`post:\${input.id}\`, 60, () => prisma.post.findUnique({ where: { id: input.id } }));
    const comments = await prisma.comment.findMany({ where: { postId: input.id } });
    return { post, comments };
  }),
});
`,
      errors: [{ messageId: "uncachedRead", line: 11, column: 28, data: data("post.page", "Comment", ["prisma.comment.findMany"], PUBLIC) }],
    },
    {
      name: "`t.procedure` with no middleware is open to anyone",
      code: `
import { initTRPC } from "@trpc/server";
import { prisma } from "./db";

const t = initTRPC.create();

export const appRouter = t.router({
  posts: t.procedure.query(() => prisma.post.findMany({ take: 20 })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 8, column: 34, data: data("posts", "Post", ["prisma.post.findMany"], PUBLIC) }],
    },
    {
      name: "hot: all-reads: a protected query is hot too",
      options: [{ hot: "all-reads" }],
      code: `${T3}
export const postRouter = createTRPCRouter({
  mine: protectedProcedure.query(({ ctx }) => ctx.db.post.findMany({ where: { createdById: ctx.session.user.id } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 7, column: 47, data: data("post.mine", "Post", ["ctx.db.post.findMany"], "a query (hot: all-reads)") }],
    },
    {
      name: "/** @hot */ on a protected query",
      code: `${T3}
export const dashboardRouter = createTRPCRouter({
  /** @hot -- polled every 5 s by every open dashboard */
  overview: protectedProcedure.query(({ ctx }) => prisma.project.findMany({ where: { ownerId: ctx.session.user.id } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 8, column: 51, data: data("dashboard.overview", "Project", ["prisma.project.findMany"], "marked @hot") }],
    },
    {
      name: "hot: configured still reports @hot handlers",
      options: [{ hot: "configured" }],
      code: `${T3}
export const postRouter = createTRPCRouter({
  // @hot
  trending: publicProcedure.query(() => prisma.post.findMany({ orderBy: { views: "desc" }, take: 10 })),
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 8, column: 41, data: data("post.trending", "Post", ["prisma.post.findMany"], "marked @hot") }],
    },
    {
      name: 'settings.archlint.hotPaths ["post.*"] makes protected queries hot',
      settings: { archlint: { hotPaths: ["post.*"] } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { createdById: ctx.session.user.id } })),
  liked: protectedProcedure.query(({ ctx }) => prisma.like.findMany({ where: { userId: ctx.session.user.id } })),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 7, column: 47, data: data("post.mine", "Post", ["prisma.post.findMany"], CONFIGURED) },
        { messageId: "uncachedRead", line: 8, column: 48, data: data("post.liked", "Like", ["prisma.like.findMany"], CONFIGURED) },
      ],
    },
    {
      name: "hotPaths with hot: configured: only the named handler, not the other public query",
      options: [{ hot: "configured" }],
      settings: { archlint: { hotPaths: ["post.byId"] } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
  bySlug: publicProcedure.input(z.object({ slug: z.string() })).query(({ input }) => prisma.post.findFirst({ where: { slug: input.slug } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 7, column: 82, data: data("post.byId", "Post", ["prisma.post.findUnique"], CONFIGURED) }],
    },
    {
      name: "traffic file: protected queries at or above the threshold are hot",
      settings: { archlint: { hotPaths: { trafficFile: TRAFFIC_FILE, threshold: 50 } } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: protectedProcedure.input(z.object({ id: z.string() })).query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { createdById: ctx.session.user.id } })),
  drafts: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { published: false, createdById: ctx.session.user.id } })),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 7, column: 85, data: data("post.byId", "Post", ["prisma.post.findUnique"], CONFIGURED) },
        { messageId: "uncachedRead", line: 8, column: 47, data: data("post.mine", "Post", ["prisma.post.findMany"], CONFIGURED) },
      ],
    },
    {
      // The syntax-only tester gives ESLint no cwd, so context.cwd is the process's working directory:
      // a relative trafficFile resolves from there, as it does from the project root in a real run.
      name: "traffic file given relative to the working directory",
      settings: { archlint: { hotPaths: { trafficFile: path.relative(process.cwd(), TRAFFIC_FILE), threshold: 200 } } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  byId: protectedProcedure.input(z.object({ id: z.string() })).query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { createdById: ctx.session.user.id } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 7, column: 85, data: data("post.byId", "Post", ["prisma.post.findUnique"], CONFIGURED) }],
    },
    {
      name: "settings.archlint.procedures.public: `teamProcedure` (whose name reads as protected) is declared public",
      settings: { archlint: { procedures: { public: ["teamProcedure"] } } },
      code: `
import { teamProcedure, createTRPCRouter } from "@calcom/trpc/server/procedures";
import { prisma } from "@calcom/prisma";

export const teamRouter = createTRPCRouter({
  publicPage: teamProcedure.query(({ ctx }) => prisma.team.findUnique({ where: { slug: ctx.slug } })),
});
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 48, data: data("team.publicPage", "Team", ["prisma.team.findUnique"], PUBLIC) }],
    },
    {
      name: "near misses: a check on the input is not a session, a session check after the read is too late, a status page is hot",
      code: `${T3}
export const profileRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ userId: z.string() })).query(async ({ input }) => {
    if (!input.userId) return null;
    return prisma.profile.findUnique({ where: { userId: input.userId } });
  }),
  card: publicProcedure.query(async ({ ctx }) => {
    const count = await prisma.profile.count();
    if (!ctx.session) return { count };
    return { count, me: ctx.session.user };
  }),
  status: publicProcedure.query(() => prisma.incident.findMany({ where: { open: true } })),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 9, column: 12, data: data("profile.byId", "Profile", ["prisma.profile.findUnique"], PUBLIC) },
        { messageId: "uncachedRead", line: 12, column: 25, data: data("profile.card", "Profile", ["prisma.profile.count"], PUBLIC) },
        { messageId: "uncachedRead", line: 16, column: 39, data: data("profile.status", "Incident", ["prisma.incident.findMany"], PUBLIC) },
      ],
    },
    {
      name: "Fastify: a public GET route reads the database",
      code: `${FASTIFY}
const app = Fastify({ logger: true });

app.get<{ Params: { id: string } }>("/v1/posts/:id", async (request, reply) => {
  const post = await prisma.post.findUnique({ where: { id: request.params.id } });
  if (!post) return reply.code(404).send({ message: "not found" });
  return post;
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 22,
          data: data("GET /v1/posts/:id", "Post", ["prisma.post.findUnique"], GET_ROUTE),
        },
      ],
    },
    {
      name: 'Fastify: `route({ method: "GET" })` in a plugin, through a local service',
      code: `${FASTIFY}
async function listPublished() {
  return prisma.post.findMany({ where: { published: true }, take: 20 });
}

export default async function postRoutes(fastify: FastifyInstance) {
  fastify.route({
    method: "GET",
    url: "/v1/posts",
    handler: async () => listPublished(),
  });
}
`,
      errors: [{ messageId: "uncachedRead", line: 12, column: 26, data: data("GET /v1/posts", "Post", ["listPublished", "prisma.post.findMany"], GET_ROUTE) }],
    },
    {
      name: "Fastify: hot: all-reads reports an authenticated GET too",
      options: [{ hot: "all-reads" }],
      code: `${FASTIFY}
const app = Fastify();

app.get("/v1/me", { onRequest: [app.authenticate] }, async (request) => prisma.user.findUnique({ where: { id: request.user.id } }));
`,
      errors: [
        { messageId: "uncachedRead", line: 6, column: 73, data: data("GET /v1/me", "User", ["prisma.user.findUnique"], "a GET route (hot: all-reads)") },
      ],
    },
    {
      name: "Fastify: the traffic file names `GET /v1/posts/:id`",
      options: [{ hot: "configured" }],
      settings: { archlint: { hotPaths: { trafficFile: TRAFFIC_FILE, threshold: 100 } } },
      code: `${FASTIFY}
const app = Fastify();

app.get("/v1/posts/:id", { onRequest: [app.authenticate] }, async (request) => prisma.post.findUnique({ where: { id: request.params.id } }));
app.get("/v1/posts", async () => prisma.post.findMany());
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 80, data: data("GET /v1/posts/:id", "Post", ["prisma.post.findUnique"], CONFIGURED) }],
    },
    {
      name: "without types: a method of a local `new PostRepository(prisma)` instance is followed",
      code: `${T3}
import type { PrismaClient } from "@prisma/client";

class PostRepository {
  constructor(private readonly prisma: PrismaClient) {}
  findById(id: string) {
    return this.prisma.post.findUnique({ where: { id } });
  }
}
const postRepository = new PostRepository(prisma);

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postRepository.findById(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 17,
          column: 82,
          data: data("post.byId", "Post", ["postRepository.findById", "this.prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "`prisma.$queryRaw` as a tagged template (its usual form) is a read",
      code: `${T3}
export const postRouter = createTRPCRouter({
  top: publicProcedure.query(() => prisma.$queryRaw\`SELECT id, title FROM "Post" ORDER BY views DESC LIMIT 10\`),
});
`,
      errors: [{ messageId: "uncachedRead", line: 7, column: 36, endColumn: 111, data: data("post.top", "the database", ["prisma.$queryRaw"], PUBLIC) }],
    },
    {
      name: "Fastify: an addHook in a child plugin guards only that plugin's routes, not its public siblings",
      code: `${FASTIFY}
export async function buildApp() {
  const app = Fastify();
  await app.register(async (admin) => {
    admin.addHook("onRequest", admin.authenticate);
    admin.get("/admin/posts", async () => prisma.post.findMany());
  });
  app.get("/v1/posts", async () => prisma.post.findMany({ where: { published: true } }));
  return app;
}
`,
      errors: [{ messageId: "uncachedRead", line: 10, column: 36, data: data("GET /v1/posts", "Post", ["prisma.post.findMany"], GET_ROUTE) }],
    },
    {
      name: "near-misses of cache-aside: a cache read after the service call, and a session lookup that guards nothing",
      code: `${T3}
const PostService = {
  findById(id: string) {
    return prisma.post.findUnique({ where: { id } });
  },
};

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const post = await PostService.findById(input.id);
    const views = await redis.get(\`views:\${input.id}\`);
    if (views) return { ...post, views: Number(views) };
    return post;
  }),
  preview: publicProcedure.input(z.object({ id: z.string(), token: z.string() })).query(async ({ input }) => {
    const session = await redis.get(\`preview:\${input.token}\`);
    if (!session) throw new Error("invalid preview token");
    return PostService.findById(input.id);
  }),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 14, column: 24, data: data("post.byId", "Post", ["PostService.findById", "prisma.post.findUnique"], PUBLIC) },
        { messageId: "uncachedRead", line: 22, column: 12, data: data("post.preview", "Post", ["PostService.findById", "prisma.post.findUnique"], PUBLIC) },
      ],
    },
    {
      name: "near-misses of Prisma Accelerate: `swr` alone, `ttl: 0`, and a read without `cacheStrategy` next to a cached one",
      code: `${T3}
export const postRouter = createTRPCRouter({
  page: publicProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => {
    const post = await prisma.post.findUnique({ where: { id: input.id }, cacheStrategy: { ttl: 60 } });
    const comments = await prisma.comment.findMany({ where: { postId: input.id } });
    return { post, comments };
  }),
  feed: publicProcedure.query(() => prisma.post.findMany({ where: { published: true }, cacheStrategy: { swr: 60 } })),
  latest: publicProcedure.query(() => prisma.post.findFirst({ orderBy: { createdAt: "desc" }, cacheStrategy: { ttl: 0 } })),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 9, column: 28, data: data("post.page", "Comment", ["prisma.comment.findMany"], PUBLIC) },
        { messageId: "uncachedRead", line: 12, column: 37, data: data("post.feed", "Post", ["prisma.post.findMany"], PUBLIC) },
        { messageId: "uncachedRead", line: 13, column: 39, data: data("post.latest", "Post", ["prisma.post.findFirst"], PUBLIC) },
      ],
    },
    {
      name: "hotPaths: a glob still makes the queries it matches hot, and a mutation named in full is hot",
      settings: { archlint: { hotPaths: ["post.*", "post.vote"] } },
      code: `${T3}
export const postRouter = createTRPCRouter({
  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { createdById: ctx.session.user.id } })),
  publish: protectedProcedure.input(z.object({ id: z.string() })).mutation(({ input }) => prisma.post.findUniqueOrThrow({ where: { id: input.id } })),
  vote: protectedProcedure.input(z.object({ id: z.string() })).mutation(({ input }) => prisma.post.findUniqueOrThrow({ where: { id: input.id } })),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 7, column: 47, data: data("post.mine", "Post", ["prisma.post.findMany"], CONFIGURED) },
        { messageId: "uncachedRead", line: 9, column: 88, data: data("post.vote", "Post", ["prisma.post.findUniqueOrThrow"], CONFIGURED) },
      ],
    },
    {
      name: "Fastify: a glob in hotPaths makes an authenticated GET hot",
      settings: { archlint: { hotPaths: ["* /v1/posts/**"] } },
      code: `${FASTIFY}
const app = Fastify();

app.get("/v1/posts/:id/likes", { onRequest: [app.authenticate] }, async (request) => prisma.like.count({ where: { postId: request.params.id } }));
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 86, data: data("GET /v1/posts/:id/likes", "Like", ["prisma.like.count"], CONFIGURED) }],
    },
    {
      name: "without types: `this.repo` holding a local repository class (field initialiser or constructor parameter type)",
      code: `${T3}
import type { PrismaClient } from "@prisma/client";

export class PostRepository {
  constructor(private readonly db: PrismaClient) {}
  findById(id: string) {
    return this.db.post.findUnique({ where: { id } });
  }
}

class PostService {
  private readonly repo = new PostRepository(prisma);
  getById(id: string) {
    return this.repo.findById(id);
  }
}

class FeedService {
  constructor(private readonly posts: PostRepository) {}
  get(id: string) {
    return this.posts.findById(id);
  }
}

const postService = new PostService();
const feedService = new FeedService(new PostRepository(prisma));

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getById(input.id)),
  feedItem: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => feedService.get(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 33,
          column: 82,
          data: data("post.byId", "Post", ["postService.getById", "this.repo.findById", "this.db.post.findUnique"], PUBLIC),
        },
        {
          messageId: "uncachedRead",
          line: 34,
          column: 86,
          data: data("post.feedItem", "Post", ["feedService.get", "this.posts.findById", "this.db.post.findUnique"], PUBLIC),
        },
      ],
    },
  ],
});

typedRuleTester.run("cache-hot-reads (type-aware)", rule, {
  valid: [
    {
      name: "cross-file: the service method wraps the repository call in cache.wrap",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getByIdCached(input.id)),
});
`,
    },
    {
      name: "cross-file: a function made by unstable_cache has no body to follow",
      filename: typedFile("hot/router.ts"),
      code: `
import { getFeedCached } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeedCached()),
});
`,
    },
    {
      name: "cross-file: protected queries and mutations through the same service are not hot",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byIdForEditor: protectedProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getById(input.id)),
  touch: publicProcedure.input(z.object({ id: z.string() })).mutation(({ input }) => postService.getById(input.id)),
});
`,
    },
    {
      name: "cross-file: maxDepth: 1 reaches the service but not the repository behind it",
      filename: typedFile("hot/router.ts"),
      options: [{ maxDepth: 1 }],
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getById(input.id)),
});
`,
    },
    {
      name: "Fastify plugin with a preHandler hook calling the service",
      filename: typedFile("hot/routes.ts"),
      code: `
import type { FastifyInstance } from "fastify";
import { getFeed } from "./post.service";

export async function memberRoutes(fastify: FastifyInstance) {
  fastify.addHook("preHandler", async (request, reply) => {
    if (!request.headers.authorization) return reply.code(401).send();
  });
  fastify.get("/v1/member/feed", async () => getFeed());
}
`,
    },
    {
      name: "half-typed code: unresolved imports, an `any` context, a client no setting names",
      filename: typedFile("hot/router.ts"),
      code: `
import { publicProcedure, createTRPCRouter } from "~/server/api/trpc";
import { legacyDb } from "~/server/legacy";
import { loadPost } from "~/server/services/post";

export const postRouter = createTRPCRouter({
  legacy: publicProcedure.query(() => legacyDb.post.findMany()),
  viaUnknown: publicProcedure.query(({ input }: any) => loadPost(input.id)),
  broken: publicProcedure.query(({ ctx }: any) => ctx.services?.[name]?.load()),
});
`,
    },
    {
      name: "cross-file: cache-aside in the service in front of the repository call",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getByIdCacheAside(input.id)),
});
`,
    },
    {
      name: "cross-file: `unstable_cache(fn)()` (a wrapper called by its bare name) is not followed into",
      filename: typedFile("hot/router.ts"),
      code: `
import { getFeedNextCache } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeedNextCache()),
});
`,
    },
    {
      name: "cross-file: the repository call in the miss branch of `if (!cached)`, and a read Prisma Accelerate caches",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { getFeedAccelerated, postService } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getByIdOnMiss(input.id)),
  feed: publicProcedure.query(() => getFeedAccelerated()),
});
`,
    },
    {
      name: "cross-file: Accelerate's `cacheStrategy` in a constant of the service file, read as in the router file (issue #11)",
      filename: typedFile("hot/router.ts"),
      code: `
import { getFeedFromArgs } from "./feed.service";
import { prisma } from "./db";
import { createTRPCRouter, publicProcedure } from "./trpc";

const feedArgs = { where: { published: true }, take: 20, cacheStrategy: { ttl: 60 } };

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeedFromArgs()),
  feedHere: publicProcedure.query(() => prisma.post.findMany(feedArgs)),
});
`,
    },
    {
      name: "an imported handler with maxDepth: 1 reaches the service but not the repository, as an inline one",
      filename: typedFile("hot/router.ts"),
      options: [{ maxDepth: 1 }],
      code: `
import { z } from "zod";
import { getPostViaServiceHandler } from "./post.handler";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ id: z.string() })).query(getPostViaServiceHandler),
});
`,
    },
  ],
  invalid: [
    {
      name: "cross-file: `ttl: 0` in a constant of the service file caches nothing, as in the router file",
      filename: typedFile("hot/router.ts"),
      code: `
import { getFeedFromUncachedArgs } from "./feed.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeedFromUncachedArgs()),
});
`,
      errors: [
        { messageId: "uncachedRead", line: 6, column: 37, data: data("post.feed", "Post", ["getFeedFromUncachedArgs", "prisma.post.findMany"], PUBLIC) },
      ],
    },
    {
      name: "router -> service -> repository across files: reported at the router's call, path through the other files",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getById(input.id)),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 82,
          endColumn: 111,
          data: data("post.byId", "Post", ["postService.getById", "this.repo.findById", "this.client.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "cross-file: maxDepth: 2 is enough for service -> repository",
      filename: typedFile("hot/router.ts"),
      options: [{ maxDepth: 2 }],
      code: `
import { getFeed } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(async () => {
    const posts = await getFeed();
    return posts.map((p) => ({ id: p.id, title: p.title }));
  }),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 25,
          data: data("post.feed", "Post", ["getFeed", "postRepository.listPublished", "this.client.post.findMany"], PUBLIC),
        },
      ],
    },
    {
      name: "cal.com: `.query(getPostHandler)` imported from a handler file: reported at the handler reference",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { getPostHandler } from "./post.handler";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ id: z.string() })).query(getPostHandler),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 66,
          endColumn: 80,
          data: data("post.get", "Post", ["getPostHandler", "ctx.prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "types follow a method of a local `new` instance, and recognise a client by its type (`this.client`)",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { prisma, type PrismaClient } from "./db";
import { createTRPCRouter, publicProcedure } from "./trpc";

class UserRepository {
  constructor(private readonly client: PrismaClient) {}
  byId(id: string) {
    return this.client.user.findUnique({ where: { id } });
  }
}
const users = new UserRepository(prisma);

export const userRouter = createTRPCRouter({
  profile: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => users.byId(input.id)),
});
`,
      errors: [{ messageId: "uncachedRead", line: 15, column: 85, data: data("user.profile", "User", ["users.byId", "this.client.user.findUnique"], PUBLIC) }],
    },
    {
      name: "types recognise a Kysely instance that no setting names",
      filename: typedFile("hot/router.ts"),
      code: `
import { readReplica } from "./kysely";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  titles: publicProcedure.query(() => readReplica.selectFrom("posts").select(["id", "title"]).execute()),
});
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 39 }],
    },
    {
      name: "half-typed code: an unresolved client module still counts by its name (`db`)",
      filename: typedFile("hot/router.ts"),
      code: `
import { publicProcedure, createTRPCRouter } from "~/server/api/trpc";
import { db } from "~/server/db";

export const postRouter = createTRPCRouter({
  all: publicProcedure.query(() => db.post.findMany()),
});
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 36, data: data("post.all", "Post", ["db.post.findMany"], PUBLIC) }],
    },
    {
      name: "Fastify across files: a public GET calling the service",
      filename: typedFile("hot/routes.ts"),
      code: `
import Fastify from "fastify";
import { postService } from "./post.service";

const app = Fastify();

app.get<{ Params: { id: string } }>("/v1/posts/:id", async (request) => postService.getById(request.params.id));
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 73,
          data: data("GET /v1/posts/:id", "Post", ["postService.getById", "this.repo.findById", "this.client.post.findUnique"], GET_ROUTE),
        },
      ],
    },
    {
      name: "traffic file: a protected query the traffic data calls hot, through the service in another file",
      filename: typedFile("hot/router.ts"),
      settings: { archlint: { hotPaths: { trafficFile: TRAFFIC_FILE, threshold: 50 } } },
      code: `
import { z } from "zod";
import { postService } from "./post.service";
import { createTRPCRouter, protectedProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  byId: protectedProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getById(input.id)),
  drafts: protectedProcedure.query(({ ctx }) => ctx.prisma.post.findMany({ where: { authorId: ctx.session.user.id, published: false } })),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 85,
          data: data("post.byId", "Post", ["postService.getById", "this.repo.findById", "this.client.post.findUnique"], CONFIGURED),
        },
      ],
    },
    {
      name: "cross-file: a Kysely read on a replica typed as Kysely",
      filename: typedFile("hot/router.ts"),
      code: `
import { listTitles } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  titles: publicProcedure.query(() => listTitles()),
});
`,
      errors: [{ messageId: "uncachedRead", line: 6, column: 39, data: data("post.titles", "posts", ["listTitles", "readReplica.selectFrom(posts)"], PUBLIC) }],
    },
    {
      name: "cal.com's lazy handler (`const { handler } = await import(...)`) is followed into its file",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ id: z.string() })).query(async ({ ctx, input }) => {
    const { getPostHandler } = await import("./post.handler");
    return getPostHandler({ ctx, input });
  }),
});
`,
      errors: [{ messageId: "uncachedRead", line: 8, column: 12, data: data("post.get", "Post", ["getPostHandler", "ctx.prisma.post.findUnique"], PUBLIC) }],
    },
    {
      name: "an imported handler's body is depth 0, as an inline one's: maxDepth: 2 reaches handler -> service -> repository",
      filename: typedFile("hot/router.ts"),
      options: [{ maxDepth: 2 }],
      code: `
import { z } from "zod";
import { getPostViaServiceHandler } from "./post.handler";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ id: z.string() })).query(getPostViaServiceHandler),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 66,
          endColumn: 90,
          data: data("post.get", "Post", ["getPostViaServiceHandler", "postService.getById", "this.repo.findById", "this.client.post.findUnique"], PUBLIC),
        },
      ],
    },
    {
      name: "cross-file near-misses: a cache read after the repository call, `swr` without a ttl, and a `$queryRaw` tagged template",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { getFeedSwrOnly, postService, topTitles } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  withViews: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => postService.getWithViews(input.id)),
  feed: publicProcedure.query(() => getFeedSwrOnly()),
  top: publicProcedure.query(() => topTitles()),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 7,
          column: 87,
          data: data("post.withViews", "Post", ["postService.getWithViews", "this.repo.findById", "this.client.post.findUnique"], PUBLIC),
        },
        { messageId: "uncachedRead", line: 8, column: 37, data: data("post.feed", "Post", ["getFeedSwrOnly", "prisma.post.findMany"], PUBLIC) },
        { messageId: "uncachedRead", line: 9, column: 36, data: data("post.top", "the database", ["topTitles", "prisma.$queryRaw"], PUBLIC) },
      ],
    },
    {
      name: "cross-file: `unstable_cache` is a cache only while cacheWrappers names it",
      filename: typedFile("hot/router.ts"),
      settings: { archlint: { cacheWrappers: ["cache.wrap"] } },
      code: `
import { getFeedNextCache } from "./post.service";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  feed: publicProcedure.query(() => getFeedNextCache()),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 6,
          column: 37,
          data: data("post.feed", "Post", ["getFeedNextCache", "postRepository.listPublished", "this.client.post.findMany"], PUBLIC),
        },
      ],
    },
    {
      name: "a handler from a dynamically imported module namespace (`(await import(...)).handler`) is followed",
      filename: typedFile("hot/router.ts"),
      code: `
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "./trpc";

export const postRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ id: z.string() })).query(async ({ ctx, input }) => {
    const handlers = await import("./post.handler");
    return handlers.getPostHandler({ ctx, input });
  }),
});
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 8,
          column: 12,
          data: data("post.get", "Post", ["handlers.getPostHandler", "ctx.prisma.post.findUnique"], PUBLIC),
        },
      ],
    },
  ],
});

/** Tests, seeds, scripts, migrations, fixtures, mocks and generated files serve no request. */
const PUBLIC_BY_ID = `${T3}
export const postRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.object({ id: z.string() }))
    .query(({ input }) => prisma.post.findUnique({ where: { id: input.id } })),
});
`;

ruleTester.run("cache-hot-reads (non-runtime files)", rule, {
  valid: [
    { name: "a test", filename: "src/__tests__/x.test.ts", code: PUBLIC_BY_ID },
    { name: "a seed", filename: "prisma/seed.ts", code: PUBLIC_BY_ID },
    { name: "a script", filename: "scripts/backfill.ts", code: PUBLIC_BY_ID },
    { name: "a generated router", filename: "src/server/api/root.gen.ts", code: PUBLIC_BY_ID },
    { name: "an e2e helper", filename: "apps/web/e2e/router.ts", code: PUBLIC_BY_ID },
    {
      name: "settings.archlint.nonRuntime names the non-runtime files",
      filename: "tools/backfill.ts",
      code: PUBLIC_BY_ID,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
    },
  ],
  invalid: [
    {
      name: "the same code in server code is reported",
      filename: "src/server/x.ts",
      code: PUBLIC_BY_ID,
      errors: [{ messageId: "uncachedRead", line: 9, column: 27, data: data("post.byId", "Post", ["prisma.post.findUnique"], PUBLIC) }],
    },
    {
      name: "settings.archlint.nonRuntime replaces the default list: a script is reported",
      filename: "scripts/backfill.ts",
      code: PUBLIC_BY_ID,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
      errors: [{ messageId: "uncachedRead", line: 9, column: 27, data: data("post.byId", "Post", ["prisma.post.findUnique"], PUBLIC) }],
    },
  ],
});

/** A Next.js module reading through the Prisma client. */
const NEXT = `import { prisma } from "@/lib/db";
import { auth } from "@/auth";
`;
const NEXT_GET = "a GET route handler with no auth check";

ruleTester.run("cache-hot-reads (Next.js)", rule, {
  valid: [
    {
      name: "a GET export outside a route file is no route handler",
      filename: "src/app/catalog/queries.ts",
      code: `${NEXT}export async function GET() {
  return prisma.product.findMany({ take: 20 });
}
`,
    },
    {
      name: "a route handler that returns early without a session serves signed-in users only",
      filename: "src/app/api/orders/route.ts",
      code: `${NEXT}export async function GET() {
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await prisma.order.findMany({ where: { buyerId: session.user.id }, take: 20 }));
}
`,
    },
    {
      name: "a wrapped route handler: the wrapper runs first and may check the caller",
      filename: "app/api/orders/route.ts",
      code: `${NEXT}import { withTeam } from "@/lib/with-team";
export const GET = withTeam(async (req) => Response.json(await prisma.order.findMany({ where: { teamId: req.teamId }, take: 20 })));
`,
    },
    {
      name: "a POST route handler is a write",
      filename: "app/api/orders/route.ts",
      code: `${NEXT}export async function POST(request: Request) {
  const product = await prisma.product.findUnique({ where: { id: (await request.json()).productId } });
  return Response.json(product);
}
`,
    },
    {
      name: "an API route that serves several methods is not known to be a read",
      filename: "pages/api/products.ts",
      code: `${NEXT}export default async function handler(req, res) {
  if (req.method === "POST") return res.status(201).json(await prisma.product.create({ data: req.body }));
  res.json(await prisma.product.findMany({ take: 20 }));
}
`,
    },
    {
      name: "an API route whose GET branch checks the session inside a try",
      filename: "pages/api/teams/[teamId]/files.ts",
      code: `${NEXT}import { getServerSession } from "next-auth";
export default async function handler(req, res) {
  if (req.method === "GET") {
    try {
      const session = await getServerSession(req, res, options);
      const viewer = session?.user;
      if (!viewer) return res.status(401).end();
      return res.json(await prisma.file.findMany({ where: { teamId: req.query.teamId }, take: 50 }));
    } catch {
      return res.status(500).end();
    }
  }
  return res.status(405).end();
}
`,
    },
    {
      name: "a route handler that awaits its params, then checks the session",
      filename: "app/api/teams/[teamId]/files/route.ts",
      code: `${NEXT}export async function GET(_req: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await prisma.file.findMany({ where: { teamId }, take: 50 }));
}
`,
    },
    {
      name: "a server action is a write",
      filename: "app/products/actions.ts",
      code: `"use server";
${NEXT}export async function restock(id: string) {
  const product = await prisma.product.findUnique({ where: { id } });
  return product;
}
`,
    },
  ],
  invalid: [
    {
      name: "a public GET route handler reading on every request",
      filename: "src/app/(shop)/api/products/[productId]/route.ts",
      code: `${NEXT}export async function GET(_request: Request, { params }: { params: { productId: string } }) {
  return Response.json(await prisma.product.findUnique({ where: { id: params.productId } }));
}
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 4,
          column: 30,
          data: data("GET /api/products/[productId]", "Product", ["prisma.product.findUnique"], NEXT_GET),
        },
      ],
    },
    {
      name: "a Pages Router API route narrowed to GET",
      filename: "pages/api/products/index.ts",
      code: `${NEXT}export default async function handler(req, res) {
  if (req.method !== "GET") return res.status(405).end();
  res.json(await prisma.product.findMany({ take: 20 }));
}
`,
      errors: [
        {
          messageId: "uncachedRead",
          line: 5,
          column: 18,
          data: data("GET /api/products", "Product", ["prisma.product.findMany"], "a GET API route with no auth check"),
        },
      ],
    },
  ],
});
