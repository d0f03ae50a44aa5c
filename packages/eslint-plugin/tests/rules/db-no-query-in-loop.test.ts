import rule from "../../src/rules/db-no-query-in-loop.js";
import { ruleTester, typedRuleTester } from "../rule-tester.js";

/**
 * A fixture file by its path under `fixtures/typed`, which the tester then uses as the working
 * directory: an absolute path would put `tests/fixtures/` in the file's path, and the rule skips
 * tests and fixtures.
 */
const typedFile = (name: string): string => name;

const HEADER = `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
`;

const READ_FIX = (model: string): string =>
  `Load every row in one query before the loop (\`${model}.findMany({ where: { id: { in: ids } } })\`) or with \`include\` on the query that produced the list`;

ruleTester.run("db-no-query-in-loop", rule, {
  valid: [
    {
      name: "a fixed list: a literal tuple, a const array of literals and an enum's values bound the loop (one query per value, not per row)",
      code: `${HEADER}
import { Role } from "@prisma/client";
const STATUSES = ["DRAFT", "PUBLISHED"] as const;
enum Plan { Free = "FREE", Pro = "PRO" }
export async function countByStatus() {
  const counts: Record<string, number> = {};
  for (const status of ["DRAFT", "PUBLISHED"] as const) {
    counts[status] = await prisma.post.count({ where: { status } });
  }
  await Promise.all(STATUSES.map((status) => prisma.post.count({ where: { status } })));
  for (const role of Object.values(Role)) await prisma.user.count({ where: { role } });
  for (const plan of Object.values(Plan)) await prisma.subscription.count({ where: { plan } });
  return counts;
}
`,
    },
    {
      name: "writes on the failure path: in a catch clause, in a block that ends the loop with throw, and in one that logs an error then continues",
      code: `${HEADER}
declare const logger: { error(message: string, data?: object): void };
export async function sendInvites(invites: Array<{ id: string; email: string }>, send: (to: string) => Promise<void>) {
  for (const invite of invites) {
    try {
      await send(invite.email);
    } catch (error) {
      await prisma.inviteFailure.create({ data: { inviteId: invite.id, reason: String(error) } });
    }
  }
  for (const invite of invites) {
    const sent = await send(invite.email).then(() => true, () => false);
    if (!sent) {
      await prisma.run.update({ where: { id: invite.id }, data: { status: "FAILED" } });
      throw new Error("invite run failed");
    }
  }
  for (const invite of invites) {
    if (!invite.email) {
      logger.error("invite without an address", { id: invite.id });
      await prisma.invite.update({ where: { id: invite.id }, data: { status: "FAILED" } });
      continue;
    }
    await send(invite.email);
  }
}
`,
    },
    {
      name: "a retry loop bounded by an attempt limit, a polling loop that sleeps, and a drain loop that deletes until nothing is left",
      code: `${HEADER}
const MAX_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function claimSlug(base: string) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const taken = await prisma.team.findUnique({ where: { slug: base + attempt } });
    if (!taken) return base + attempt;
  }
  throw new Error("no free slug");
}
export async function waitForExport(id: string) {
  while (true) {
    const job = await prisma.exportJob.findUnique({ where: { id } });
    if (job?.done) return job;
    await sleep(500);
  }
}
export async function purgeOld(cutoff: Date) {
  let deleted = 0;
  do {
    deleted = await prisma.$executeRaw\`DELETE FROM "Event" WHERE "id" IN (SELECT "id" FROM "Event" WHERE "createdAt" < \${cutoff} LIMIT 1000)\`;
  } while (deleted > 0);
}
`,
    },
    {
      name: "one statement per page or chunk: a list built from the page read in the same iteration, or the chunk itself",
      code: `${HEADER}
export async function deleteStale(cutoff: Date, chunks: string[][]) {
  for (;;) {
    const page = await prisma.session.findMany({ where: { expiresAt: { lt: cutoff } }, select: { id: true }, take: 500 });
    if (page.length === 0) break;
    const ids = page.map((s) => s.id);
    await prisma.sessionLog.deleteMany({ where: { sessionId: { in: ids } } });
    await prisma.session.deleteMany({ where: { id: { in: page.map((s) => s.id) } } });
  }
  for (const chunk of chunks) {
    await prisma.archive.deleteMany({ where: { id: { in: chunk } } });
  }
}
`,
    },
    {
      name: "one statement per group: entries of a grouping object, of a Map, and an entries callback that maps the group's keys",
      code: `${HEADER}
export async function retarget(moves: Array<{ id: string; slug: string; target: string }>) {
  const idsByTarget: Record<string, string[]> = {};
  for (const move of moves) (idsByTarget[move.target] ??= []).push(move.id);
  for (const [target, ids] of Object.entries(idsByTarget)) {
    await prisma.link.updateMany({ where: { id: { in: ids } }, data: { target } });
  }
  const membersByTeam = new Map<string, string[]>();
  for (const [teamId, memberIds] of membersByTeam) {
    await prisma.member.updateMany({ where: { id: { in: memberIds } }, data: { teamId } });
  }
  await Promise.all(
    Object.entries(idsByTarget).map(([target, slugs]) => prisma.link.updateMany({ where: { slug: { in: slugs.map((s) => s.toLowerCase()) } }, data: { target } })),
  );
}
`,
    },
    {
      name: "a limited write repeated until a pass comes back short, and a retry loop bounded by a local camelCase constant",
      code: `${HEADER}
const BATCH = 500;
export async function unarchive(projectId: string) {
  while (true) {
    const { count } = await prisma.link.updateMany({ where: { projectId, archived: true }, data: { archived: false }, limit: BATCH });
    if (count < BATCH) break;
  }
}
export async function freeHandle(base: string) {
  const maxTries = 3;
  let tries = 0;
  while (tries <= maxTries) {
    const clash = await prisma.account.findUnique({ where: { handle: base + tries } });
    if (!clash) return base + tries;
    tries++;
  }
  return null;
}
`,
    },
    {
      name: "one statement per chunk or page: rows built from the chunk in one createMany, a groupBy over a chunk, a groupBy over a page",
      code: `${HEADER}
import { chunk } from "../lib/arrays";
declare function scanIds(offset: number): Promise<string[]>;
export async function notify(enrollments: Array<{ userId: string; email: string | null }>, campaignId: string, payoutIds: string[]) {
  for (const slice of chunk(enrollments, 100)) {
    const recipients = slice.filter((e) => e.email);
    await prisma.notification.createMany({ data: recipients.map((r) => ({ userId: r.userId, campaignId })) });
  }
  for (const ids of chunk(payoutIds, 10)) {
    await prisma.commission.groupBy({ by: ["payoutId"], where: { payoutId: { in: ids } }, _sum: { earnings: true } });
  }
  let offset = 0;
  while (true) {
    const page = await scanIds(offset);
    if (page.length === 0) break;
    await prisma.link.groupBy({ by: ["partnerId"], where: { partnerId: { in: page } }, _sum: { leads: true } });
    offset += page.length;
  }
}
`,
    },
    {
      name: "an inline list of a few fields, filtered then mapped: as many statements as the code writes",
      code: `${HEADER}
export async function syncBranding(groupId: string, logo?: string, colour?: string) {
  await Promise.all(
    [
      { field: "logo", value: logo },
      { field: "colour", value: colour },
    ]
      .filter(({ value }) => value !== undefined)
      .map(({ field, value }) => prisma.group.updateMany({ where: { parentId: groupId }, data: { [field]: value } })),
  );
}
`,
    },
    {
      name: "lists written out in the code: distinct values of two thresholds, a pair of names; a chunk's values bound to one raw statement",
      code: `${HEADER}
const DEFAULT_THRESHOLD = 4000;
export async function alerts(orgId: string, planThreshold: number, owner: string, admin: string) {
  for (const threshold of [...new Set([planThreshold, DEFAULT_THRESHOLD])]) {
    await prisma.spendAlert.create({ data: { orgId, threshold } });
  }
  await Promise.all([owner, admin].map((userId) => prisma.member.create({ data: { orgId, userId } })));
}
export async function setUsage(updates: Array<{ orgId: string; usage: number }>, size: number) {
  for (let i = 0; i < updates.length; i += size) {
    const slice = updates.slice(i, i + size);
    const rows = slice.map((_, j) => \`($\${j * 2 + 1}, $\${j * 2 + 2}::integer)\`).join(", ");
    const params = slice.flatMap((u) => [u.orgId, u.usage]);
    await prisma.$executeRawUnsafe(\`UPDATE "Org" AS o SET usage = v.usage FROM (VALUES \${rows}) AS v(id, usage) WHERE o.id = v.id\`, ...params);
  }
}
`,
    },
    {
      name: "one statement sends the whole chunk: = ANY(...), unnest(...), Prisma.join, Kysely .values(chunk) and .values(page rows)",
      code: `
import { Kysely } from "kysely";
import { Prisma } from "@prisma/client";
import { prisma } from "../db";
import { chunk } from "../lib/arrays";
declare const db: Kysely<any>;
export async function archive(ids: string[], rows: { id: string }[]) {
  for (const batch of chunk(ids, 500)) {
    await prisma.$executeRaw\`UPDATE "Post" SET archived = true WHERE id = ANY(\${batch})\`;
    await prisma.$executeRaw\`INSERT INTO "Archive" (id) SELECT * FROM unnest(\${batch}::text[])\`;
    await prisma.$executeRaw\`DELETE FROM "Draft" WHERE id IN (\${Prisma.join(batch)})\`;
  }
  const groups = chunk(rows, 1000);
  await Promise.all(groups.map((group) => db.insertInto("archive").values(group).execute()));
  let cursor: string | undefined;
  while (true) {
    const page = await prisma.post.findMany({ take: 100, cursor: cursor ? { id: cursor } : undefined });
    if (page.length === 0) break;
    await db.insertInto("archive").values(page.map((p) => ({ id: p.id }))).execute();
    cursor = page.at(-1)?.id;
  }
}
`,
    },
    {
      name: "the batched twin: one findMany with `in`, then a Map lookup in the loop",
      code: `${HEADER}
export async function listWithAuthors(organizationId: string) {
  const posts = await prisma.post.findMany({ where: { organizationId }, take: 20 });
  const authorIds = [...new Set(posts.map((p) => p.authorId))];
  const authors = await prisma.user.findMany({ where: { id: { in: authorIds } } });
  const byId = new Map(authors.map((a) => [a.id, a]));
  return posts.map((p) => ({ ...p, author: byId.get(p.authorId) ?? null }));
}
`,
    },
    {
      name: "include instead of a query per row; loops with no query; Promise.all over different queries",
      code: `${HEADER}
export async function feed(ids: string[]) {
  const posts = await prisma.post.findMany({ where: { id: { in: ids } }, include: { author: true, tags: true } });
  for (const post of posts) post.title = post.title.trim();
  const [users, count] = await Promise.all([prisma.user.findMany({ take: 10 }), prisma.post.count()]);
  return { posts, users, count };
}
`,
    },
    {
      name: "a function defined in a loop but called elsewhere is not the loop's query",
      code: `${HEADER}
export function makeLoaders(models: string[]) {
  const loaders: Record<string, (id: string) => Promise<unknown>> = {};
  for (const model of models) {
    loaders[model] = (id) => prisma.user.findUnique({ where: { id } });
  }
  return loaders;
}
export const handlers = ["a", "b"].map((name) => ({ name, run: async () => prisma.user.count() }));
`,
    },
    {
      name: "a retry loop returns the query's result: it runs once per call",
      code: `${HEADER}
export async function createWithRetry(data: { title: string }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.post.create({ data });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
`,
    },
    {
      name: "paging through a table in a while loop (take / cursor), and a chunked batch per iteration",
      code: `${HEADER}
import { chunk } from "lodash-es";
export async function reindexAll(index: (rows: unknown[]) => Promise<void>, ids: string[], rows: Array<{ title: string }>) {
  let cursor: string | undefined;
  while (true) {
    const page = await prisma.post.findMany({ take: 500, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}), orderBy: { id: "asc" } });
    if (page.length === 0) break;
    await index(page);
    cursor = page[page.length - 1]!.id;
  }
  for (const ids500 of chunk(ids, 500)) {
    await prisma.post.deleteMany({ where: { id: { in: ids500 } } });
  }
  for (const batch of chunk(rows, 1000)) {
    await prisma.post.createMany({ data: batch });
  }
}
`,
    },
    {
      name: "Effect.map / Option.map take a function but do not iterate; a cache wrapper callback is a boundary",
      code: `${HEADER}
import { Effect } from "effect";
import { cache } from "./cache";
export const getUser = (id: string) => Effect.promise(() => prisma.user.findUnique({ where: { id } })).pipe(Effect.map((u) => u));
export const mapped = Effect.map(() => prisma.user.count());
export async function cachedAuthors(ids: string[]) {
  for (const id of ids) {
    await cache.wrap(\`user:\${id}\`, 60, () => prisma.user.findUnique({ where: { id } }));
  }
}
`,
    },
    {
      name: "the loop's own iterable and condition run once / are not the body",
      code: `${HEADER}
export async function drain() {
  for (const user of await prisma.user.findMany({ take: 100 })) console.log(user.id);
  while ((await prisma.job.count({ where: { status: "queued" } })) > 0) await new Promise((r) => setTimeout(r, 1000));
}
`,
    },
    {
      name: "writes in a transaction batch with allowInTransaction",
      options: [{ allowInTransaction: true }],
      code: `${HEADER}
export async function reorder(items: Array<{ id: string; position: number }>) {
  await prisma.$transaction(items.map((i) => prisma.menuItem.update({ where: { id: i.id }, data: { position: i.position } })));
}
`,
    },
    {
      name: "receivers that are not database clients",
      code: `
export async function f(items: string[], client: { user: { findUnique(a: object): Promise<unknown> } }, map: Map<string, string>) {
  for (const id of items) {
    await client.user.findUnique({ where: { id } });
    map.delete(id);
    await fetch(\`/api/users/\${id}\`);
  }
}
`,
    },
  ],
  invalid: [
    {
      name: "near misses: an entry's member is not its group, a spread list is not written out, a limited write whose loop ends on a clock, a bound read from a list",
      code: `${HEADER}
export async function tagsOf(postsById: Record<string, { tagIds: string[] }>, groups: Array<{ id: string }>, ids: string[], deadline: number) {
  for (const [id, post] of Object.entries(postsById)) {
    await prisma.tag.findMany({ where: { id: { in: post.tagIds } } });
  }
  await Promise.all([...groups].map((g) => prisma.group.update({ where: { id: g.id }, data: { seen: true } })));
  while (true) {
    await prisma.link.updateMany({ where: { archived: true }, data: { archived: false }, limit: 500 });
    if (Date.now() > deadline) break;
  }
  const total = ids.length;
  let i = 0;
  while (i < total) {
    const row = await prisma.row.findUnique({ where: { id: ids[i] } });
    if (!row) return;
    i++;
  }
}
`,
      errors: [
        { messageId: "readInLoop", line: 6, column: 11 },
        { messageId: "writeInLoop", line: 8, column: 44 },
        { messageId: "writeInLoop", line: 10, column: 11 },
        { messageId: "readInLoop", line: 16, column: 23 },
      ],
    },
    {
      name: "near misses: a list literal that the code grows, and one raw statement per row's values",
      code: `${HEADER}
export async function replay(events: Array<{ id: string; values: string[] }>) {
  const ids: string[] = [];
  for (const e of events) ids.push(e.id);
  for (const id of ids) await prisma.event.update({ where: { id }, data: { replayed: true } });
  for (const values of events.map((e) => e.values)) {
    await prisma.$executeRawUnsafe('INSERT INTO "Log" (a, b) VALUES ($1, $2)', ...values);
  }
}
`,
      errors: [
        { messageId: "writeInLoop", line: 7, column: 31 },
        { messageId: "writeInLoop", line: 9, column: 11 },
      ],
    },
    {
      name: "near misses: a `continue` guard runs per skipped item, a counted loop with no exit walks the list, a list from outside the loop is not a page",
      code: `${HEADER}
export async function importRows(rows: Array<{ id: string; ok: boolean }>, ids: string[]) {
  for (const row of rows) {
    if (!row.ok) {
      await prisma.importError.create({ data: { rowId: row.id } });
      continue;
    }
  }
  for (let i = 0; i < 100; i++) {
    await prisma.slot.create({ data: { index: i } });
  }
  for (const row of rows) {
    await prisma.tag.deleteMany({ where: { id: { in: ids } } });
  }
}
`,
      errors: [
        { messageId: "writeInLoop", line: 7, column: 13 },
        { messageId: "writeInLoop", line: 12, column: 11 },
        { messageId: "writeInLoop", line: 15, column: 11 },
      ],
    },
    {
      name: "near misses: in an array callback, a block ending in `return` runs for every item that takes it; a list built from one item is not a batch",
      code: `${HEADER}
export async function withTargets(steps: Array<{ id: string; targetId: string | null }>) {
  return Promise.all(
    steps.map(async (step) => {
      if (step.targetId) {
        const target = await prisma.link.findUnique({ where: { id: step.targetId } });
        return { ...step, target };
      }
      return step;
    }),
  );
}
export async function folderTrails(docs: Array<{ path: string }>) {
  for (const doc of docs) {
    const segments = doc.path.split("/");
    await prisma.folder.findMany({ where: { path: { in: segments } } });
  }
}
`,
      errors: [
        { messageId: "readInLoop", line: 8, column: 30 },
        { messageId: "readInLoop", line: 18, column: 11 },
      ],
    },
    {
      name: "near misses: a loop over a parameter's values, and over a while loop with no sleep, counter or drain",
      code: `${HEADER}
export async function refresh(byKey: Record<string, string>, queue: { next(): string | null }) {
  for (const id of Object.values(byKey)) await prisma.user.findUnique({ where: { id } });
  let next = queue.next();
  while (next !== null) {
    await prisma.job.update({ where: { id: next }, data: { seen: true } });
    next = queue.next();
  }
}
`,
      errors: [
        { messageId: "readInLoop", line: 5, column: 48 },
        { messageId: "writeInLoop", line: 8, column: 11 },
      ],
    },
    {
      name: "Promise.all(posts.map(async ...)) with a findUnique per post (the demo's listWithAuthors)",
      code: `${HEADER}
export const postRouter = router({
  listWithAuthors: protectedProcedure.input(ZListPostsSchema).query(async ({ ctx, input }) => {
    const posts = await ctx.prisma.post.findMany({ where: { organizationId: input.organizationId }, take: input.limit });
    const authors = await Promise.all(
      posts.map(async (p) => ctx.prisma.user.findUnique({ where: { id: p.authorId } })),
    );
    return posts.map((p, i) => ({ ...p, author: authors[i] ?? null }));
  }),
});
`,
      errors: [
        {
          messageId: "readInLoop",
          line: 8,
          column: 30,
          data: { call: "ctx.prisma.user.findUnique", loop: "`posts.map(...)`", fix: READ_FIX("user") },
        },
      ],
    },
    {
      name: "for...of, for, while and forEach / reduce bodies, in a service class",
      code: `${HEADER}
export class NotificationService {
  constructor(private readonly prisma: PrismaClient) {}

  async notifyFollowers(authorId: string, postId: string) {
    const followers = await this.prisma.follow.findMany({ where: { followingId: authorId } });
    for (const follow of followers) {
      await this.prisma.notification.create({ data: { userId: follow.followerId, postId } });
    }
    for (let i = 0; i < followers.length; i++) {
      const user = await this.prisma.user.findUnique({ where: { id: followers[i]!.followerId } });
      if (user?.email) console.log(user.email);
    }
    let n = 0;
    while (n < 3) {
      await this.prisma.auditLog.create({ data: { action: "notify", n } });
      n++;
    }
    followers.forEach(async (f) => {
      await this.prisma.user.update({ where: { id: f.followerId }, data: { unread: { increment: 1 } } });
    });
    await followers.reduce(async (prev, f) => {
      await prev;
      await this.prisma.follow.delete({ where: { id: f.id } });
    }, Promise.resolve());
  }
}
`,
      errors: [
        {
          messageId: "writeInLoop",
          line: 10,
          column: 13,
          data: {
            call: "this.prisma.notification.create",
            loop: "the `for...of` loop over `followers`",
            fix: "Write every row in one statement (`notification.createMany({ data: rows })`)",
          },
        },
        { messageId: "readInLoop", line: 13, column: 26, data: { call: "this.prisma.user.findUnique", loop: "a `for` loop", fix: READ_FIX("user") } },
        {
          messageId: "writeInLoop",
          line: 18,
          column: 13,
          data: {
            call: "this.prisma.auditLog.create",
            loop: "a `while` loop",
            fix: "Write every row in one statement (`auditLog.createMany({ data: rows })`)",
          },
        },
        {
          messageId: "writeInLoop",
          line: 22,
          column: 13,
          data: {
            call: "this.prisma.user.update",
            loop: "`followers.forEach(...)`",
            fix: "Update every row in one statement when they share the change (`user.updateMany({ where: { id: { in: ids } }, data })`)",
          },
        },
        {
          messageId: "writeInLoop",
          line: 26,
          column: 13,
          data: {
            call: "this.prisma.follow.delete",
            loop: "`followers.reduce(...)`",
            fix: "Delete every row in one statement (`follow.deleteMany({ where: { id: { in: ids } } })`)",
          },
        },
      ],
    },
    {
      name: "writes in a $transaction batch built by map (inline and through a const), and in an interactive transaction's loop",
      code: `${HEADER}
export async function reorder(items: Array<{ id: string; position: number }>) {
  await prisma.$transaction(items.map((i) => prisma.menuItem.update({ where: { id: i.id }, data: { position: i.position } })));
  const ops = items.map((i) => prisma.menuItem.delete({ where: { id: i.id } }));
  await prisma.$transaction(ops);
  await prisma.$transaction(async (tx) => {
    for (const item of items) {
      await tx.menuItem.upsert({ where: { id: item.id }, create: item, update: item });
      const parent = await tx.menu.findFirst({ where: { items: { some: { id: item.id } } } });
    }
  });
}
`,
      errors: [
        { messageId: "writeInTransaction", line: 5, column: 46 },
        { messageId: "writeInTransaction", line: 6, column: 32 },
        {
          messageId: "writeInTransaction",
          line: 10,
          column: 13,
          data: {
            call: "tx.menuItem.upsert",
            loop: "the `for...of` loop over `items`",
            fix: "Write every row in one statement (`menuItem.createMany({ data: rows, skipDuplicates: true })` then one `updateMany`, or one `INSERT ... ON CONFLICT` with `$executeRaw`)",
          },
        },
        { messageId: "readInLoop", line: 11, column: 28 },
      ],
    },
    {
      name: "a $transaction per item: the writes inside run once per iteration",
      code: `${HEADER}
export async function importUsers(rows: Array<{ email: string }>) {
  for (const row of rows) {
    await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: row });
      await tx.auditLog.create({ data: { action: "import", userId: user.id } });
    });
  }
}
`,
      errors: [
        { messageId: "writeInLoop", line: 7, column: 26 },
        { messageId: "writeInLoop", line: 8, column: 13 },
      ],
    },
    {
      name: "a Kysely builder kept in a constant and run in the loop; a row per item is not a batch, nor is one id in ANY()",
      code: `
import { Kysely } from "kysely";
import { prisma } from "../db";
declare const db: Kysely<any>;
export async function sync(users: { id: string; email: string }[]) {
  const byEmail = db.selectFrom("users").select(["id"]);
  for (const user of users) {
    const found = await byEmail.where("email", "=", user.email).executeTakeFirst();
    await db.insertInto("audit").values(user).execute();
    await prisma.$executeRaw\`UPDATE "User" SET seen = now() WHERE id = ANY(\${user.id})\`;
  }
}
`,
      errors: [
        { messageId: "readInLoop", line: 8, column: 25 },
        { messageId: "writeInLoop", line: 9, column: 11 },
        { messageId: "writeInLoop", line: 10, column: 11 },
      ],
    },
    {
      name: "raw queries and Kysely chains in loops",
      code: `
import { Kysely } from "kysely";
import { prisma } from "../db";
declare const db: Kysely<any>;
export async function sync(ids: string[]) {
  for (const id of ids) {
    await prisma.$executeRaw\`UPDATE "Post" SET views = views + 1 WHERE id = \${id}\`;
    const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    await db.insertInto("audit").values({ id }).execute();
  }
}
`,
      errors: [
        {
          messageId: "writeInLoop",
          line: 7,
          column: 11,
          data: {
            call: "prisma.$executeRaw",
            loop: "the `for...of` loop over `ids`",
            fix: "Write every row in one statement (`Prisma.join` the rows into one `INSERT` / `UPDATE`)",
          },
        },
        {
          messageId: "readInLoop",
          line: 8,
          column: 23,
          data: {
            call: 'db.selectFrom("users")',
            loop: "the `for...of` loop over `ids`",
            fix: 'Load every row in one query before the loop (`.where("id", "in", ids)`) or join the table into the query that produced the list',
          },
        },
        { messageId: "writeInLoop", line: 9, column: 11 },
      ],
    },
    {
      name: "a paged read in a for...of is still one query per item; a findFirst in a while loop is not paging",
      code: `${HEADER}
export async function latestComments(postIds: string[]) {
  const out = [];
  for (const postId of postIds) out.push(await prisma.comment.findMany({ where: { postId }, take: 3 }));
  let job;
  while ((job = await next())) {
    await prisma.job.findFirst({ where: { id: job.id } });
  }
  return out;
}
`,
      errors: [
        { messageId: "readInLoop", line: 6, column: 48 },
        { messageId: "readInLoop", line: 9, column: 11 },
      ],
    },
    {
      name: "an IIFE in a loop runs in the loop",
      code: `${HEADER}
export async function f(ids: string[]) {
  for (const id of ids) {
    await (async () => {
      await prisma.user.delete({ where: { id } });
    })();
  }
}
`,
      errors: [{ messageId: "writeInLoop", line: 7, column: 13 }],
    },
  ],
});

typedRuleTester.run("db-no-query-in-loop (type-aware)", rule, {
  valid: [
    {
      name: "with types, .map on something that is not a collection (a Promise-like result type) is not a loop",
      filename: typedFile("db/file.ts"),
      code: `
import { prisma } from "./prisma";
declare const maybe: { map<U>(f: (v: string) => U): U };
export const user = maybe.map((id) => prisma.user.findUnique({ where: { id } }));
`,
    },
  ],
  invalid: [
    {
      name: "with types, a client under any name (a repository's `client` field) in a loop",
      filename: typedFile("db/file.ts"),
      code: `
import type { PrismaClient } from "./prisma";
export class UserRepository {
  constructor(private readonly client: PrismaClient) {}
  async touchAll(ids: string[]) {
    for (const id of ids) await this.client.user.update({ where: { id }, data: { name: null } });
  }
}
`,
      errors: [{ messageId: "writeInLoop", line: 6, column: 33 }],
    },
  ],
});

/** Tests, seeds, scripts, migrations, fixtures, mocks and generated files serve no request. */
const AUTHOR_PER_POST = `${HEADER}
export async function authorsOf(posts: Array<{ authorId: string }>) {
  return Promise.all(posts.map(async (p) => prisma.user.findUnique({ where: { id: p.authorId } })));
}
`;

ruleTester.run("db-no-query-in-loop (non-runtime files)", rule, {
  valid: [
    { name: "a test", filename: "src/__tests__/x.test.ts", code: AUTHOR_PER_POST },
    { name: "a seed", filename: "prisma/seed.ts", code: AUTHOR_PER_POST },
    { name: "a seed folder of helpers the end-to-end tests import", filename: "packages/db/seed/documents.ts", code: AUTHOR_PER_POST },
    { name: "a folder of one-off data migrations", filename: "packages/db/code-migrations/2-accounts.ts", code: AUTHOR_PER_POST },
    { name: "a script", filename: "scripts/backfill.ts", code: AUTHOR_PER_POST },
    { name: "a spec file", filename: "src/posts/posts.spec.ts", code: AUTHOR_PER_POST },
    { name: "a migration script", filename: "prisma/migrations/backfill-authors.ts", code: AUTHOR_PER_POST },
    {
      name: "settings.archlint.nonRuntime names the non-runtime files",
      filename: "tools/backfill.ts",
      code: AUTHOR_PER_POST,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
    },
  ],
  invalid: [
    {
      name: "the same code in server code is reported",
      filename: "src/server/x.ts",
      code: AUTHOR_PER_POST,
      errors: [{ messageId: "readInLoop", line: 5, column: 45, data: { call: "prisma.user.findUnique", loop: "`posts.map(...)`", fix: READ_FIX("user") } }],
    },
    {
      name: "settings.archlint.nonRuntime replaces the default list: a script is reported",
      filename: "scripts/backfill.ts",
      code: AUTHOR_PER_POST,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
      errors: [{ messageId: "readInLoop", line: 5, column: 45, data: { call: "prisma.user.findUnique", loop: "`posts.map(...)`", fix: READ_FIX("user") } }],
    },
  ],
});
