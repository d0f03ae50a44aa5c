import path from "node:path";
import rule from "../../src/rules/db-where-indexed.js";
import { ruleTester, typedFile, typedRuleTester } from "../rule-tester.js";

/** A project folder with prisma/schema.prisma (PostgreSQL); code is linted as virtual files in its src/. */
const PROJECT = path.join(import.meta.dirname, "..", "fixtures", "syntax", "db");
const file = (name: string): string => path.join(PROJECT, "src", name);
const MYSQL = path.join(PROJECT, "mysql");
const BROKEN = path.join(PROJECT, "broken");
/** A schema archlint's parser reads but Prisma rejects (an unknown type): the rejection is the `.prisma` file's finding. */
const REJECTED = path.join(PROJECT, "rejected");

const HEADER = `import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
`;

ruleTester.run("db-where-indexed", rule, {
  valid: [
    {
      name: "a query in a script run by hand or in an end-to-end test serves no request (nonRuntime files)",
      filename: file("scripts/backfill-comments.ts"),
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.count({ where: { body: text } });
`,
    },
    {
      name: "filters led by the columns of an unindexed relation are prisma-relation-index's finding, not a second one (the demo's org.mine)",
      filename: file("org.router.ts"),
      code: `${HEADER}
export const orgRouter = router({
  // Membership.user (userId) has no index: the schema reports it once, at the relation.
  mine: protectedProcedure.query(({ ctx }) => {
    return ctx.prisma.membership.findMany({
      where: { userId: ctx.session.user.id, accepted: true },
      select: { role: true, organization: { select: { id: true, name: true } } },
    });
  }),
});
export async function byAuthor(authorId: string, since: Date) {
  await prisma.comment.findFirst({ where: { authorId } });
  await prisma.comment.count({ where: { authorId, createdAt: { gte: since } } });
}
`,
    },
    {
      name: "filters that some index starts with: @id, @unique, the leading field of @@index / @@id, a Hash index on exactly it",
      filename: file("post.repository.ts"),
      code: `${HEADER}
export class PostRepository {
  constructor(private readonly prisma: PrismaClient) {}
  listForOrganization(organizationId: string, cursor?: string) {
    return this.prisma.post.findMany({ where: { organizationId, status: "PUBLISHED" }, orderBy: { createdAt: "desc" }, take: 20 });
  }
  bySlug(slug: string) {
    return this.prisma.post.findFirst({ where: { slug, status: "PUBLISHED" } });
  }
  published() {
    return this.prisma.post.count({ where: { status: "PUBLISHED", publishedAt: { lte: new Date() } } });
  }
  byAuthor(authorId: string) {
    return this.prisma.post.findMany({ where: { authorId } });
  }
  byIds(ids: string[]) {
    return this.prisma.post.findMany({ where: { id: { in: ids } } });
  }
  members(organizationId: string) {
    return this.prisma.membership.findMany({ where: { organizationId, accepted: true } });
  }
  auditFor(userId: string, organizationId: string) {
    return this.prisma.auditLog.deleteMany({ where: { organizationId, userId } });
  }
  forPost(postId: string) {
    return this.prisma.comment.updateMany({ where: { postId, flagged: true }, data: { flagged: false } });
  }
}
`,
    },
    {
      name: "findUnique / update / delete / upsert take a unique key; create and no-where reads have nothing to check",
      filename: file("user.service.ts"),
      code: `${HEADER}
export async function f(email: string, id: string) {
  await prisma.user.findUnique({ where: { email } });
  await prisma.user.findUniqueOrThrow({ where: { email } });
  await prisma.user.update({ where: { email }, data: { name: null } });
  await prisma.user.delete({ where: { id } });
  await prisma.user.findMany({ take: 10 });
  await prisma.user.findMany();
  await prisma.user.count();
  await prisma.user.create({ data: { email } });
}
`,
    },
    {
      name: "skipped, never guessed: AND / OR / NOT, relation filters, a compound-unique key, a spread or a parameter as where, unknown fields",
      filename: file("search.service.ts"),
      code: `${HEADER}
import type { Prisma } from "@prisma/client";
export async function search(q: string, filter: Prisma.UserWhereInput, extra: object) {
  await prisma.user.findMany({ where: { OR: [{ name: { contains: q } }, { country: q }] } });
  await prisma.user.findMany({ where: { AND: [{ country: q }] } });
  await prisma.user.findMany({ where: { NOT: { country: q } } });
  await prisma.user.findMany({ where: { posts: { some: { title: q } } } });
  await prisma.comment.findMany({ where: { author: { country: q }, flagged: true } });
  await prisma.membership.findFirst({ where: { organizationId_userId: { organizationId: q, userId: q } } });
  await prisma.user.findMany({ where: filter });
  await prisma.user.findMany({ where: { ...extra, country: q } });
  await prisma.user.findMany({ where: { [q]: true } });
  await prisma.user.findMany({ where: { nickname: q } });
}
`,
    },
    {
      name: "unknown and @@ignore'd models, views of other clients, non-Prisma receivers",
      filename: file("misc.ts"),
      code: `${HEADER}
export async function f(repo: { comment: { findMany(a: object): unknown } }) {
  await prisma.analyticsEvent.findMany({ where: { kind: "x" } });
  await prisma.legacyEvent.findMany({ where: { kind: "x" } });
  await repo.comment.findMany({ where: { flagged: true } });
}
`,
    },
    {
      name: "Kysely: indexed columns, and chains that are skipped (joins, callback filters, whereRef, unknown tables and columns, inserts)",
      filename: file("kysely.repository.ts"),
      code: `
import { Kysely } from "kysely";
declare const db: Kysely<any>;
export async function f(postId: string, q: string) {
  await db.selectFrom("Comment").selectAll().where("postId", "=", postId).where("flagged", "=", true).execute();
  await db.selectFrom("audit_logs as a").select("a.id").where("a.userId", "=", q).execute();
  await db.selectFrom("Comment").innerJoin("User", "User.id", "Comment.authorId").selectAll().where("flagged", "=", true).execute();
  await db.selectFrom("Comment").selectAll().where((eb) => eb.or([eb("flagged", "=", true), eb("body", "like", q)])).execute();
  await db.selectFrom("Comment").selectAll().whereRef("authorId", "=", "postId").where("flagged", "=", true).execute();
  await db.selectFrom("page_views").selectAll().where("path", "=", q).execute();
  await db.selectFrom("Comment").selectAll().where("score", ">", 3).execute();
  await db.selectFrom("Comment").selectAll().where("User.flagged", "=", true).execute();
  await db.insertInto("Comment").values({ body: q }).execute();
  await db.selectFrom("Comment").selectAll().execute();
}
`,
    },
    {
      name: "a key whose value is undefined filters nothing: the rest is indexed",
      filename: file("comments.ts"),
      code: `${HEADER}
export const f = (postId: string) => prisma.comment.findMany({ where: { postId, authorId: undefined } });
`,
    },
    {
      name: "a Boolean or enum column alone, a negation (`not`, `notIn`), or only such filters together: an index on them narrows little",
      filename: file("jobs.service.ts"),
      code: `${HEADER}
export async function sweep() {
  await prisma.comment.findMany({ where: { flagged: true } });
  await prisma.user.count({ where: { role: "ADMIN" } });
  await prisma.comment.updateMany({ where: { flagged: false }, data: { flagged: true } });
  await prisma.post.findMany({ where: { status: "DRAFT" } });
  await prisma.comment.findMany({ where: { body: { not: "" } } });
  await prisma.user.findMany({ where: { country: { notIn: ["DE", "FR"] }, role: "ADMIN" } });
}
`,
    },
    {
      name: "ignoreModels",
      filename: file("comments.ts"),
      options: [{ ignoreModels: ["Comment"] }],
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.findMany({ where: { body: text } });
`,
    },
    {
      name: "MySQL with foreign keys: InnoDB indexes the foreign key columns itself",
      filename: path.join(MYSQL, "src", "comments.ts"),
      code: `${HEADER}
export const byAuthor = (authorId: number) => prisma.comment.findMany({ where: { authorId } });
`,
    },
    {
      name: "a schema that does not parse, or none at all: nothing is checked",
      filename: path.join(BROKEN, "src", "comments.ts"),
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.findMany({ where: { body: text } });
`,
    },
    {
      name: "a file outside any project with a schema (the working directory has none)",
      filename: path.join(import.meta.dirname, "nowhere.ts"),
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.findMany({ where: { body: text } });
`,
    },
  ],
  invalid: [
    {
      name: "a schema Prisma rejects for another reason (an unknown type) is still read for its indexes",
      filename: path.join(REJECTED, "src", "comments.ts"),
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.findMany({ where: { body: text } });
`,
      errors: [{ messageId: "unindexedWhere", line: 4, column: 67 }],
    },
    {
      name: "a non-relation column of a model whose relation is unindexed is still reported",
      filename: file("comment.service.ts"),
      code: `${HEADER}
export async function flaggedSince(since: Date) {
  return prisma.comment.findMany({ where: { flagged: true, createdAt: { gte: since } } });
}
`,
      errors: [
        {
          messageId: "unindexedWhere",
          line: 5,
          column: 36,
          data: { call: "prisma.comment.findMany", model: "Comment", fields: "`flagged`, `createdAt`", which: "any of them", index: "flagged, createdAt" },
        },
      ],
    },
    {
      name: "findFirst, count, updateMany, deleteMany and findFirstOrThrow on unindexed fields; range filters go last in the suggested index",
      filename: file("moderation.service.ts"),
      code: `${HEADER}
export class ModerationService {
  constructor(private readonly prisma: PrismaClient) {}
  async run(authorId: string, since: Date) {
    await this.prisma.comment.findFirst({ where: { body: "spam" } });
    await this.prisma.comment.count({ where: { createdAt: { gte: since }, flagged: true } });
    await this.prisma.comment.updateMany({ where: { body: "spam" }, data: { flagged: true } });
    await this.prisma.user.deleteMany({ where: { deletedAt: { not: null } } });
    await this.prisma.user.findFirstOrThrow({ where: { role: "ADMIN", country: "DE" } });
    await this.prisma.post.findMany({ where: { title: { contains: "prisma" }, views: { gt: 100 } } });
  }
}
`,
      errors: [
        {
          messageId: "unindexedWhere",
          line: 7,
          column: 43,
          data: { call: "this.prisma.comment.findFirst", model: "Comment", fields: "`body`", which: "it", index: "body" },
        },
        {
          messageId: "unindexedWhere",
          line: 8,
          column: 39,
          data: { call: "this.prisma.comment.count", model: "Comment", fields: "`createdAt`, `flagged`", which: "any of them", index: "flagged, createdAt" },
        },
        { messageId: "unindexedWhere", line: 9, column: 44 },
        {
          messageId: "unindexedWhere",
          line: 10,
          column: 41,
          data: { call: "this.prisma.user.deleteMany", model: "User", fields: "`deletedAt`", which: "it", index: "deletedAt" },
        },
        {
          messageId: "unindexedWhere",
          line: 11,
          column: 47,
          data: { call: "this.prisma.user.findFirstOrThrow", model: "User", fields: "`role`, `country`", which: "any of them", index: "country, role" },
        },
        {
          messageId: "unindexedWhere",
          line: 12,
          column: 39,
          data: { call: "this.prisma.post.findMany", model: "Post", fields: "`title`, `views`", which: "any of them", index: "title, views" },
        },
      ],
    },
    {
      name: "where and arguments through local constants; a @@map'd model; a transaction client",
      filename: file("audit.ts"),
      code: `${HEADER}
const recentFilter = { action: "login" };
export async function audit(since: Date) {
  const args = { where: { createdAt: { gte: since } }, take: 50 };
  await prisma.auditLog.findMany(args);
  await prisma.auditLog.count({ where: recentFilter });
  await prisma.$transaction(async (tx) => {
    await tx.auditLog.deleteMany({ where: { action: "logout" } });
  });
}
`,
      errors: [
        {
          messageId: "unindexedWhere",
          line: 7,
          column: 9,
          data: { call: "prisma.auditLog.findMany", model: "AuditLog", fields: "`createdAt`", which: "it", index: "createdAt" },
        },
        { messageId: "unindexedWhere", line: 8, column: 33 },
        { messageId: "unindexedWhere", line: 10, column: 36 },
      ],
    },
    {
      name: "Kysely: where on columns no index starts with, through @@map table names and @map column names",
      filename: file("kysely.repository.ts"),
      code: `
import { Kysely } from "kysely";
declare const db: Kysely<any>;
export async function moderate(action: string) {
  await db.selectFrom("Comment as c").selectAll().where("c.body", "=", action).execute();
  await db.deleteFrom("audit_logs").where("action", "=", action).execute();
  await db.updateTable("User").set({ name: null }).where("deleted_at", "is not", null).where("country", "=", "DE").executeTakeFirst();
}
`,
      errors: [
        {
          messageId: "unindexedWhere",
          line: 5,
          column: 51,
          data: { call: 'db.selectFrom("Comment")', model: "Comment", fields: "`body`", which: "it", index: "body" },
        },
        {
          messageId: "unindexedWhere",
          line: 6,
          column: 37,
          data: { call: 'db.deleteFrom("audit_logs")', model: "AuditLog", fields: "`action`", which: "it", index: "action" },
        },
        {
          messageId: "unindexedWhere",
          line: 7,
          column: 52,
          data: { call: 'db.updateTable("User")', model: "User", fields: "`deletedAt`, `country`", which: "any of them", index: "country, deletedAt" },
        },
      ],
    },
    {
      name: "a Hash index serves only its exact column list; MySQL does not index a plain column",
      filename: path.join(MYSQL, "src", "comments.ts"),
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.findMany({ where: { body: text } });
`,
      errors: [{ messageId: "unindexedWhere", line: 4, column: 67 }],
    },
    {
      name: "settings.archlint.schema points at the schema, wherever the file is",
      // This test file's folder is a `tests/` one: `nonRuntime: []` checks every file.
      filename: path.join(import.meta.dirname, "elsewhere.ts"),
      settings: { archlint: { schema: path.join(MYSQL, "prisma", "schema.prisma"), nonRuntime: [] } },
      code: `${HEADER}
export const byBody = (text: string) => prisma.comment.count({ where: { body: text } });
`,
      errors: [{ messageId: "unindexedWhere", line: 4, column: 64 }],
    },
  ],
});

typedRuleTester.run("db-where-indexed (type-aware)", rule, {
  valid: [],
  invalid: [
    {
      name: "with types, a Prisma client under any name (a repository's `client` field)",
      filename: typedFile("db/file.ts"),
      settings: { archlint: { schema: path.join(PROJECT, "prisma", "schema.prisma"), nonRuntime: [] } },
      code: `
import type { PrismaClient } from "./prisma";
export class PostRepository {
  constructor(private readonly client: PrismaClient) {}
  byTitle(title: string) {
    return this.client.post.findMany({ where: { title } });
  }
  byAuthor(authorId: string) {
    return this.client.post.findMany({ where: { authorId } });
  }
}
`,
      errors: [
        {
          messageId: "unindexedWhere",
          line: 6,
          column: 40,
          data: { call: "this.client.post.findMany", model: "Post", fields: "`title`", which: "it", index: "title" },
        },
      ],
    },
  ],
});
