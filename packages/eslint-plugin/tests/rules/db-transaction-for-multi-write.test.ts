import rule from "../../src/rules/db-transaction-for-multi-write.js";
import { ruleTester } from "../rule-tester.js";

const T3 = `import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { prisma } from "~/server/db";
`;

const KYSELY = `import { Kysely } from "kysely";
declare const db: Kysely<Database>;
`;

const PRISMA_FIX = "prisma.$transaction(async (tx) => ...)";

ruleTester.run("db-transaction-for-multi-write", rule, {
  valid: [
    {
      name: "inside an interactive transaction, or as an array of a batch transaction",
      filename: "src/server/post.router.ts",
      code: `${T3}
export const postRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ title: z.string() })).mutation(({ ctx, input }) =>
    prisma.$transaction(async (tx) => {
      const post = await tx.post.create({ data: { title: input.title, authorId: ctx.session.user.id } });
      await tx.user.update({ where: { id: ctx.session.user.id }, data: { lastPostId: post.id } });
      return post;
    }),
  ),
  archive: protectedProcedure.input(z.object({ id: z.string() })).mutation(({ input }) =>
    prisma.$transaction([
      prisma.comment.updateMany({ where: { postId: input.id }, data: { hidden: true } }),
      prisma.comment.deleteMany({ where: { postId: input.id, flagged: true } }),
    ]),
  ),
});
`,
    },
    {
      name: "a service handed the transaction client (tx) runs inside the caller's transaction",
      filename: "src/server/post.service.ts",
      code: `${T3}
import type { Prisma } from "@prisma/client";
export async function movePost(tx: Prisma.TransactionClient, postId: string, organizationId: string) {
  const post = await tx.post.update({ where: { id: postId }, data: { organizationId } });
  await tx.organization.update({ where: { id: organizationId }, data: { lastPostId: post.id } });
}
`,
    },
    {
      name: "two independent writes (no result used, different models); a write and an audit-log write",
      filename: "src/server/settings.router.ts",
      code: `${T3}
export const settingsRouter = createTRPCRouter({
  save: protectedProcedure.input(z.object({ name: z.string(), theme: z.string() })).mutation(async ({ ctx, input }) => {
    const user = await prisma.user.update({ where: { id: ctx.session.user.id }, data: { name: input.name } });
    await prisma.preference.upsert({ where: { userId: ctx.session.user.id }, create: { theme: input.theme, userId: ctx.session.user.id }, update: { theme: input.theme } });
    await prisma.auditLog.create({ data: { action: "settings.save", userId: user.id } });
    return user;
  }),
});
`,
    },
    {
      name: "fire-and-forget writes nobody waits for: void, .catch(), a bare call",
      filename: "src/server/post.router.ts",
      code: `${T3}
export const postRouter = createTRPCRouter({
  view: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ input }) => {
    const post = await prisma.post.update({ where: { id: input.id }, data: { views: { increment: 1 } } });
    void prisma.post.update({ where: { id: post.id }, data: { lastViewedAt: new Date() } });
    prisma.user.update({ where: { id: post.authorId }, data: { score: { increment: 1 } } }).catch(() => undefined);
    return post;
  }),
});
`,
    },
    {
      name: "writes in branches that exclude each other",
      filename: "src/server/post.router.ts",
      code: `${T3}
export const postRouter = createTRPCRouter({
  save: protectedProcedure.input(z.object({ id: z.string().optional(), title: z.string() })).mutation(async ({ ctx, input }) => {
    if (input.id) {
      return prisma.post.update({ where: { id: input.id }, data: { title: input.title } });
    } else {
      return prisma.post.create({ data: { title: input.title, authorId: ctx.session.user.id } });
    }
  }),
});
`,
    },
    {
      name: "the first write sits in a branch that returns: the second never follows it",
      filename: "src/server/invite.service.ts",
      code: `${T3}
export async function invite(organizationId: string, email: string, role: "ADMIN" | "MEMBER") {
  const pending = await prisma.invite.findFirst({ where: { organizationId, email } });
  if (pending) {
    await prisma.invite.update({ where: { id: pending.id }, data: { role } });
    return { updated: true };
  }
  return prisma.invite.create({ data: { organizationId, email, role } });
}
`,
    },
    {
      name: "an undo in a catch after a call no transaction covers (an email): compensation, not a missing transaction",
      filename: "src/server/invite.service.ts",
      code: `${T3}
import { sendInviteEmail } from "./mail";
export async function inviteByEmail(organizationId: string, email: string) {
  const created = await prisma.invite.create({ data: { organizationId, email } });
  try {
    await sendInviteEmail(email, created.id);
  } catch {
    await prisma.invite.delete({ where: { id: created.id } });
    return null;
  }
  return created;
}
`,
    },
    {
      name: "two inserts into the same model touch none of each other's rows (a question, then its answer)",
      filename: "src/server/chat.service.ts",
      code: `${T3}
export async function saveTurn(chatId: string, question: string, answer: string) {
  await prisma.message.create({ data: { chatId, role: "user", content: question } });
  await prisma.message.create({ data: { chatId, role: "assistant", content: answer } });
}
`,
    },
    {
      name: "a claim (an optimistic lock checked before the long work) is outside a transaction on purpose; one row's status moved twice is progress",
      filename: "src/server/jobs.service.ts",
      code: `${T3}
import { render } from "./render";
export async function processExport(exportId: string) {
  const claim = await prisma.export.updateMany({ where: { id: exportId, status: "QUEUED" }, data: { status: "RUNNING" } });
  if (claim.count === 0) return;
  const url = await render(exportId);
  await prisma.export.update({ where: { id: exportId }, data: { status: "DONE", url } });
}
export async function retry(exportId: string) {
  await prisma.export.update({ where: { id: exportId }, data: { status: "QUEUED" } });
  await prisma.export.update({ where: { id: exportId }, data: { attempts: { increment: 1 } } });
}
`,
    },
    {
      name: "writes side by side in one Promise.all; a write in an iteration that continues",
      filename: "src/server/notify.service.ts",
      code: `${T3}
export async function markSent(ids: string[], primaryId: string) {
  await Promise.all([
    prisma.notification.updateMany({ where: { id: { in: ids } }, data: { sent: true } }),
    prisma.notification.update({ where: { id: primaryId }, data: { primary: true } }),
  ]);
}
export async function sweep(orgs: Array<{ id: string; done: boolean }>) {
  for (const org of orgs) {
    if (org.done) {
      await prisma.organization.updateMany({ where: { id: org.id }, data: { onboarding: "completed" } });
      continue;
    }
    await prisma.organization.update({ where: { id: org.id }, data: { onboarding: "next" } });
  }
}
`,
    },
    {
      name: "Kysely: inside db.transaction().execute(...)",
      filename: "src/server/orders.ts",
      code: `${KYSELY}
export async function placeOrder(userId: string, items: string[]) {
  return db.transaction().execute(async (trx) => {
    const order = await trx.insertInto("orders").values({ userId }).returning("id").executeTakeFirstOrThrow();
    await trx.insertInto("order_items").values(items.map((sku) => ({ orderId: order.id, sku }))).execute();
    return order;
  });
}
`,
    },
    {
      name: "a seed script writes without transactions on purpose (nonRuntime files)",
      filename: "prisma/seed.ts",
      code: `${T3}
export async function seed() {
  const user = await prisma.user.create({ data: { email: "a@example.com" } });
  await prisma.post.create({ data: { title: "Hello", authorId: user.id } });
}
`,
    },
  ],
  invalid: [
    {
      name: "the second write uses the first one's result",
      filename: "src/server/post.router.ts",
      code: `${T3}
export const postRouter = createTRPCRouter({
  create: protectedProcedure.input(z.object({ title: z.string() })).mutation(async ({ ctx, input }) => {
    const post = await prisma.post.create({ data: { title: input.title, authorId: ctx.session.user.id } });
    await prisma.user.update({ where: { id: ctx.session.user.id }, data: { lastPostId: post.id } });
    return post;
  }),
});
`,
      errors: [
        {
          messageId: "writesWithoutTransaction",
          line: 8,
          column: 11,
          data: {
            second: "prisma.user.update",
            secondModels: "`User`",
            first: "prisma.post.create",
            firstModels: "`Post`",
            line: "7",
            why: "uses its result (`post`)",
            fix: PRISMA_FIX,
          },
        },
      ],
    },
    {
      name: "a name derived from the first result, a destructured result; the same model's rows written twice",
      filename: "src/server/org.service.ts",
      code: `${T3}
export async function transferOwnership(organizationId: string, toUserId: string) {
  const { userId } = await prisma.membership.update({ where: { organizationId_userId: { organizationId, userId: toUserId } }, data: { role: "ADMIN" } });
  const ownerId = userId;
  await prisma.organization.update({ where: { id: organizationId }, data: { ownerId } });
}

export async function setDefaultAddress(userId: string, addressId: string) {
  await prisma.address.updateMany({ where: { userId }, data: { isDefault: false } });
  await prisma.address.update({ where: { id: addressId }, data: { isDefault: true } });
}
`,
      errors: [
        {
          messageId: "writesWithoutTransaction",
          line: 8,
          column: 9,
          data: {
            second: "prisma.organization.update",
            secondModels: "`Organization`",
            first: "prisma.membership.update",
            firstModels: "`Membership`",
            line: "6",
            why: "uses its result (`ownerId`)",
            fix: PRISMA_FIX,
          },
        },
        {
          messageId: "writesWithoutTransaction",
          line: 13,
          column: 9,
          data: {
            second: "prisma.address.update",
            secondModels: "`Address`",
            first: "prisma.address.updateMany",
            firstModels: "`Address`",
            line: "12",
            why: "writes the same model's rows",
            fix: PRISMA_FIX,
          },
        },
      ],
    },
    {
      name: "drop the old rows, then store the new one: the same model's rows",
      filename: "src/server/otp.service.ts",
      code: `${T3}
export async function issueCode(email: string, code: string) {
  await prisma.verificationToken.deleteMany({ where: { identifier: email } });
  await prisma.verificationToken.create({ data: { identifier: email, token: code, expires: new Date(Date.now() + 600_000) } });
}
`,
      errors: [
        {
          messageId: "writesWithoutTransaction",
          line: 7,
          column: 9,
          data: {
            second: "prisma.verificationToken.create",
            secondModels: "`VerificationToken`",
            first: "prisma.verificationToken.deleteMany",
            firstModels: "`VerificationToken`",
            line: "6",
            why: "writes the same model's rows",
            fix: PRISMA_FIX,
          },
        },
      ],
    },
    {
      name: "through service functions in the same file: reported at the handler's second call",
      filename: "src/server/invite.router.ts",
      code: `${T3}
const invites = {
  async accept(token: string) {
    return prisma.invite.update({ where: { token }, data: { acceptedAt: new Date() } });
  },
};
async function addMember(organizationId: string, userId: string) {
  return prisma.membership.create({ data: { organizationId, userId } });
}

export const inviteRouter = createTRPCRouter({
  accept: protectedProcedure.input(z.object({ token: z.string() })).mutation(async ({ ctx, input }) => {
    const invite = await invites.accept(input.token);
    return addMember(invite.organizationId, ctx.session.user.id);
  }),
});
`,
      errors: [
        {
          messageId: "writesWithoutTransaction",
          line: 17,
          column: 12,
          data: {
            second: "addMember -> prisma.membership.create",
            secondModels: "`Membership`",
            first: "invites.accept -> prisma.invite.update",
            firstModels: "`Invite`",
            line: "16",
            why: "uses its result (`invite`)",
            fix: PRISMA_FIX,
          },
        },
      ],
    },
    {
      name: "Kysely: an insert that uses the id returned by the first",
      filename: "src/server/orders.ts",
      code: `${KYSELY}
export async function placeOrder(userId: string, items: string[]) {
  const order = await db.insertInto("orders").values({ userId }).returning("id").executeTakeFirstOrThrow();
  await db.insertInto("order_items").values(items.map((sku) => ({ orderId: order.id, sku }))).execute();
  return order;
}
`,
      errors: [
        {
          messageId: "writesWithoutTransaction",
          line: 6,
          column: 9,
          data: {
            second: "db.insertInto(order_items)",
            secondModels: "`order_items`",
            first: "db.insertInto(orders)",
            firstModels: "`orders`",
            line: "5",
            why: "uses its result (`order`)",
            fix: "db.transaction().execute(async (trx) => ...)",
          },
        },
      ],
    },
  ],
});
