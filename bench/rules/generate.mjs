/**
 * A generated tRPC + Fastify project of N router files, written like real apps: builders defined
 * once and imported, procedures with and without `.input()`, handlers in services, Fastify route
 * plugins. Deterministic (seeded), so every run lints the same code.
 */
import fs from "node:fs";
import path from "node:path";
import { prng } from "../lib/prng.mjs";

const TRPC = `import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Context } from "./context";

const t = initTRPC.context<Context>().create({ transformer: superjson });

export const router = t.router;
export const createTRPCRouter = t.router;
export const publicProcedure = t.procedure;

const isAuthed = t.middleware(({ ctx, next }) => {
  if (!ctx.session?.user) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { ...ctx, user: ctx.session.user } });
});

export const protectedProcedure = t.procedure.use(isAuthed);
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "ADMIN") throw new TRPCError({ code: "FORBIDDEN" });
  return next();
});
export const orgProcedure = protectedProcedure.input(z.object({ orgId: z.string().cuid() }));
`;

function routerFile(i, rnd) {
  const entity = `entity${i}`;
  const Entity = `Entity${i}`;
  const lines = [
    `import { z } from "zod";`,
    `import { TRPCError } from "@trpc/server";`,
    `import { createTRPCRouter, publicProcedure, protectedProcedure, adminProcedure, orgProcedure } from "~/server/trpc";`,
    `import { ${Entity}Service } from "~/server/services/${entity}.service";`,
    `import { Z${Entity}CreateSchema } from "~/server/schemas/${entity}.schema";`,
    ``,
    `const byIdInput = z.object({ id: z.string().cuid() });`,
    ``,
    `async function listHandler({ ctx, input }: { ctx: any; input: { cursor?: string; take: number } }) {`,
    `  const items = await ctx.prisma.${entity}.findMany({ take: input.take + 1, cursor: input.cursor ? { id: input.cursor } : undefined });`,
    `  return { items: items.slice(0, input.take), nextCursor: items[input.take]?.id };`,
    `}`,
    ``,
    `export const ${entity}Router = createTRPCRouter({`,
    `  byId: publicProcedure.input(byIdInput).query(async ({ ctx, input }) => {`,
    `    const row = await ${Entity}Service.findById(ctx.prisma, input.id);`,
    `    if (!row) throw new TRPCError({ code: "NOT_FOUND" });`,
    `    return row;`,
    `  }),`,
    `  list: protectedProcedure`,
    `    .input(z.object({ cursor: z.string().optional(), take: z.number().int().min(1).max(100).default(20) }))`,
    `    .query((opts) => listHandler(opts)),`,
    `  bySlug: publicProcedure.input(z.object({ slug: z.string() })).query(({ ctx, input }) => ${Entity}Service.cachedBySlug(ctx.prisma, input.slug)),`,
    `  create: protectedProcedure.input(Z${Entity}CreateSchema).mutation(async ({ ctx, input }) => {`,
    `    return ctx.prisma.${entity}.create({ data: { ...input, ownerId: ctx.user.id } });`,
    `  }),`,
    `  me: protectedProcedure.query(({ ctx }) => ctx.user),`,
    `  stats: orgProcedure.query(async ({ ctx, input }) => ctx.prisma.${entity}.count({ where: { orgId: input.orgId } })),`,
  ];
  if (rnd() < 0.3) {
    lines.push(`  remove: adminProcedure.input(z.any()).mutation(async ({ ctx, input }) => ctx.prisma.${entity}.delete({ where: { id: input.id } })),`);
  }
  if (rnd() < 0.2) {
    lines.push(`  // @ts-expect-error -- legacy client sends { slug }`);
    lines.push(`  legacyBySlug: publicProcedure.query(async ({ ctx, input }) => ctx.prisma.${entity}.findUnique({ where: { slug: input.slug } })),`);
  }
  lines.push(`  onChange: protectedProcedure.input(byIdInput).subscription(async function* ({ input }) {`);
  lines.push(`    yield { id: input.id };`);
  lines.push(`  }),`);
  lines.push(`});`, ``);
  return lines.join("\n");
}

function fastifyFile(i) {
  return `import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";

const createBody = z.object({ name: z.string().min(1), price: z.number().positive() });

export default async function routes${i}(fastify: FastifyInstance) {
  fastify.get("/v1/items${i}/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
    const { id } = request.params as { id: string };
    return fastify.prisma.item.findUnique({ where: { id } });
  });
  fastify.post("/v1/items${i}", { schema: { body: createBody } }, async (request, reply) => {
    const item = await fastify.prisma.item.create({ data: request.body as z.infer<typeof createBody> });
    return reply.code(201).send(item);
  });
  fastify.route({
    method: "PUT",
    url: "/v1/items${i}/:id",
    schema: { tags: ["items"], description: "Replace an item" },
    handler: async (request: FastifyRequest<{ Body: { name: string } }>) => request.body,
  });
}
`;
}

/** The Prisma schema: one model per router; about half index `orgId`, so some `where` filters are unindexed. */
function schemaFile(routers, rnd) {
  const out = [`datasource db {\n  provider = "postgresql"\n}\n`, `generator client {\n  provider = "prisma-client-js"\n}\n`];
  out.push(`model Item {\n  id    String @id @default(cuid())\n  name  String\n  price Float\n}\n`);
  for (let i = 0; i < routers; i++) {
    const indexed = rnd() < 0.5;
    out.push(
      [
        `model Entity${i} {`,
        `  id        String   @id @default(cuid())`,
        `  slug      String   @unique`,
        `  name      String`,
        `  orgId     String`,
        `  ownerId   String`,
        `  createdAt DateTime @default(now())`,
        ``,
        `  @@index([ownerId, createdAt])`,
        ...(indexed ? [`  @@index([orgId])`] : []),
        `}`,
        ``,
      ].join("\n"),
    );
  }
  return out.join("\n");
}

/** A service as real apps write them: a cache-aside read, a plain read, and sometimes an N+1 loop. */
function serviceFile(i, rnd) {
  const lines = [
    `import { redis } from "~/server/redis";`,
    ``,
    `export const Entity${i}Service = {`,
    `  findById: (prisma: any, id: string) => prisma.entity${i}.findUnique({ where: { id } }),`,
    `  async cachedBySlug(prisma: any, slug: string) {`,
    `    const hit = await redis.get(\`entity${i}:\${slug}\`);`,
    `    if (hit) return JSON.parse(hit);`,
    `    const row = await prisma.entity${i}.findUnique({ where: { slug } });`,
    `    await redis.set(\`entity${i}:\${slug}\`, JSON.stringify(row), "EX", 60);`,
    `    return row;`,
    `  },`,
  ];
  if (rnd() < 0.2) {
    lines.push(
      `  async owners(prisma: any, ids: string[]) {`,
      `    const rows = [];`,
      `    for (const id of ids) rows.push(await prisma.entity${i}.findUnique({ where: { id } }));`,
      `    return rows;`,
      `  },`,
    );
  }
  lines.push(`};`, ``);
  return lines.join("\n");
}

export function generateProject(dir, { routers = 1000, seed = 1, nodeModules } = {}) {
  const rnd = prng(seed);
  fs.rmSync(dir, { recursive: true, force: true });
  const src = path.join(dir, "src", "server");
  for (const sub of ["routers", "services", "schemas", "http"]) fs.mkdirSync(path.join(src, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-app", private: true, type: "module" }, null, 2));
  // For the typed run, tRPC, Zod and Fastify resolve to the versions installed for the plugin's tests.
  const paths = { "~/*": ["./src/*"] };
  if (nodeModules) for (const pkg of ["@trpc/server", "zod", "fastify"]) paths[pkg] = [path.relative(dir, path.join(nodeModules, pkg))];
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: { strict: true, target: "es2022", module: "esnext", moduleResolution: "bundler", skipLibCheck: true, baseUrl: ".", paths },
        include: ["src"],
      },
      null,
      2,
    ),
  );
  fs.mkdirSync(path.join(dir, "prisma"), { recursive: true });
  fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), schemaFile(routers, rnd));
  fs.writeFileSync(
    path.join(src, "redis.ts"),
    `export const redis = { get: async (key: string): Promise<string | null> => null, set: async (...args: unknown[]) => "OK" };\n`,
  );
  fs.writeFileSync(path.join(src, "trpc.ts"), TRPC);
  fs.writeFileSync(path.join(src, "context.ts"), `export type Context = { prisma: any; session: { user: { id: string; role: string } } | null };\n`);
  for (let i = 0; i < routers; i++) {
    fs.writeFileSync(path.join(src, "routers", `entity${i}.ts`), routerFile(i, rnd));
    fs.writeFileSync(
      path.join(src, "schemas", `entity${i}.schema.ts`),
      `import { z } from "zod";\nexport const ZEntity${i}CreateSchema = z.object({ name: z.string().min(1) });\n`,
    );
    fs.writeFileSync(path.join(src, "services", `entity${i}.service.ts`), serviceFile(i, rnd));
    if (i % 5 === 0) fs.writeFileSync(path.join(src, "http", `items${i}.ts`), fastifyFile(i));
  }
  return { files: routers * 3 + Math.ceil(routers / 5) + 3 };
}
