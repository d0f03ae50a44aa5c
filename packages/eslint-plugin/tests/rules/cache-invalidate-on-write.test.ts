import path from "node:path";
import rule from "../../src/rules/cache-invalidate-on-write.js";
import { ruleTester } from "../rule-tester.js";

/**
 * The fixture project (`fixtures/syntax/cache`) caches reads in other files: `Post` through
 * `unstable_cache` (an hour), `User` behind a cache-aside check through a helper (ten minutes),
 * `Team` behind a cache-aside check (thirty seconds), `Setting` with Accelerate (a day) and `Flag`
 * with Accelerate (five seconds), `License` through `unstable_cache` (written by a repository function
 * whose caller in `licenses/admin.ts` calls `updateTag`), and `Mailbox`'s address and owner behind
 * a cache-aside check (an hour). Each case is linted as a new file of that project.
 */
const PROJECT = path.join(import.meta.dirname, "..", "fixtures", "syntax", "cache");
const file = (name: string): string => path.join(PROJECT, "src", name);
/** How the message names a cache in the fixture: by its path in the project. */
const at = (name: string, line: number): string => `src/${name}:${line}`;
const FEED = `\`unstable_cache\` at ${at("posts/queries.ts", 6)}, TTL 3600 s`;
const USER = `a cache-aside check at ${at("users/cache.ts", 12)}, TTL 600 s`;
const MAILBOX = `a cache-aside check at ${at("accounts/owner-check.ts", 9)}, TTL 3600 s`;
const SETTING = `Accelerate \`cacheStrategy\` at ${at("settings/read.ts", 5)}, TTL 86400 s`;

const IMPORTS = `import { revalidateTag } from "next/cache";
import { prisma } from "../lib/db";
import { redis } from "../lib/redis";
`;

ruleTester.run("cache-invalidate-on-write", rule, {
  valid: [
    {
      name: "the write revalidates the tag of the cached read in the same function",
      filename: file("posts/actions.ts"),
      code: `${IMPORTS}
export async function publishPost(id: string) {
  await prisma.post.update({ where: { id }, data: { published: true } });
  revalidateTag("posts");
}`,
    },
    {
      name: "the write deletes the cached key",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
  await redis.del(\`user:\${id}\`);
}`,
    },
    {
      name: "the write overwrites the cached key with the fresh row",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
export async function renameUser(id: string, name: string) {
  const user = await prisma.user.update({ where: { id }, data: { name } });
  await redis.set(\`user:\${id}\`, JSON.stringify(user), "EX", 600);
}`,
    },
    {
      name: "the invalidation is in a helper of the same file the writer calls",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
async function forgetUser(id: string) {
  await redis.unlink(\`user:\${id}\`);
}

export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
  await forgetUser(id);
}`,
    },
    {
      name: "an imported helper named as an invalidation (`invalidate*`)",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
import { invalidateUser } from "./invalidate";

export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
  await invalidateUser(id);
}`,
    },
    {
      name: "a configured invalidation helper",
      filename: file("users/service.ts"),
      options: [{ invalidationHelpers: ["cacheKeys.forget"] }],
      code: `${IMPORTS}
import { cacheKeys } from "./keys";

export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
  await cacheKeys.forget(id);
}`,
    },
    {
      name: "the write inside a transaction callback, the revalidation after it in the function around it",
      filename: file("posts/actions.ts"),
      code: `${IMPORTS}
export async function archive(ids: string[]) {
  await prisma.$transaction(async (tx) => {
    await tx.post.updateMany({ where: { id: { in: ids } }, data: { archived: true } });
  });
  revalidateTag("posts");
}`,
    },
    {
      name: "Next.js revalidatePath counts as an invalidation",
      filename: file("posts/actions.ts"),
      code: `"use server";
import { revalidatePath } from "next/cache";
import { prisma } from "../lib/db";

export async function deletePost(id: string) {
  await prisma.post.delete({ where: { id } });
  revalidatePath("/");
}`,
    },
    {
      name: "the cached read's TTL (30 s) is within the staleness budget",
      filename: file("teams/service.ts"),
      code: `${IMPORTS}
export async function renameTeam(id: string, name: string) {
  await prisma.team.update({ where: { id }, data: { name } });
}`,
    },
    {
      name: "an Accelerate TTL of 5 s is within the budget",
      filename: file("settings/service.ts"),
      code: `${IMPORTS}
export async function toggle(id: string, on: boolean) {
  await prisma.flag.update({ where: { id }, data: { on } });
}`,
    },
    {
      name: "a larger budget covers the ten-minute user cache",
      filename: file("users/service.ts"),
      options: [{ stalenessBudget: 600 }],
      code: `${IMPORTS}
export async function renameUser(id: string, name: string) {
  await prisma.user.update({ where: { id }, data: { name } });
}`,
    },
    {
      name: "a write to a model nobody caches",
      filename: file("comments/service.ts"),
      code: `${IMPORTS}
export async function addComment(postId: string, body: string) {
  await prisma.comment.create({ data: { postId, body } });
  await prisma.comment.update({ where: { id: postId }, data: { body } });
}`,
    },
    {
      name: "a create does not make a cached single-row lookup stale (only lists and counts)",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
export async function signUp(email: string) {
  return prisma.user.create({ data: { email } });
}`,
    },
    {
      name: "reads are not writes",
      filename: file("posts/list.ts"),
      code: `${IMPORTS}
export async function drafts() {
  return prisma.post.findMany({ where: { published: false } });
}`,
    },
    {
      name: "a repository function whose caller in another file invalidates after calling it",
      filename: file("licenses/repository.ts"),
      code: `${IMPORTS}
export async function saveLicense(key: string) {
  await prisma.license.deleteMany();
  await prisma.license.create({ data: { key } });
}`,
    },
    {
      name: "an update that sets none of the fields the cached read selects or filters on",
      filename: file("accounts/settings.ts"),
      code: `${IMPORTS}
export async function saveTheme(id: string, theme: string, compact: boolean) {
  await prisma.mailbox.update({ where: { id }, data: { theme, ...(compact ? { density: "compact" } : {}) } });
  await prisma.mailbox.update({ where: { id }, data: compact ? { density: "compact" } : { theme } });
}`,
    },
    {
      name: "a cache wrapper whose callback also writes is a throttle, not a cached read",
      filename: file("settings/quota.ts"),
      code: `${IMPORTS}
export async function resetQuota(id: string) {
  await prisma.quota.update({ where: { id }, data: { used: 0 } });
}`,
    },
    {
      name: "a seed script is not request code",
      filename: path.join(PROJECT, "prisma", "seed.ts"),
      code: `import { prisma } from "../src/lib/db";
await prisma.post.create({ data: { title: "hello" } });`,
    },
  ],
  invalid: [
    {
      name: "a write to a model cached through unstable_cache in another file, with no revalidation",
      filename: file("posts/actions.ts"),
      code: `${IMPORTS}
export async function publishPost(id: string) {
  await prisma.post.update({ where: { id }, data: { published: true } });
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 6,
          column: 9,
          data: { write: "prisma.post.update", model: "Post", where: FEED, owner: "`publishPost`" },
        },
      ],
    },
    {
      name: "a create makes a cached list stale",
      filename: file("posts/actions.ts"),
      code: `${IMPORTS}
export const createPost = async (title: string) => {
  return prisma.post.create({ data: { title, published: true } });
};`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 6,
          column: 10,
          data: { write: "prisma.post.create", model: "Post", where: FEED, owner: "`createPost`" },
        },
      ],
    },
    {
      name: "a write to a model read through a cache-aside helper, deleting another key",
      filename: file("users/service.ts"),
      code: `${IMPORTS}
export class UserService {
  async rename(id: string, name: string) {
    await prisma.user.update({ where: { id }, data: { name } });
    await prisma.auditLog.create({ data: { userId: id } });
  }
}`,
      errors: [
        { messageId: "writeWithoutInvalidation", line: 7, column: 11, data: { write: "prisma.user.update", model: "User", where: USER, owner: "`rename`" } },
      ],
    },
    {
      name: "an Accelerate-cached model written in a transaction with no invalidation",
      filename: file("settings/service.ts"),
      code: `${IMPORTS}
export async function saveSettings(theme: string) {
  await prisma.$transaction(async (tx) => {
    await tx.setting.updateMany({ data: { theme } });
  });
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 7,
          column: 11,
          data: { write: "tx.setting.updateMany", model: "Setting", where: SETTING, owner: "`saveSettings`" },
        },
      ],
    },
    {
      name: "a cached read in the same file (unsaved) is found as well",
      filename: file("tags/service.ts"),
      code: `${IMPORTS}
import { unstable_cache } from "next/cache";

export const allTags = unstable_cache(() => prisma.tag.findMany(), ["tags"]);

export async function addTag(name: string) {
  await prisma.tag.create({ data: { name } });
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 10,
          column: 9,
          data: { write: "prisma.tag.create", model: "Tag", where: `\`unstable_cache\` at ${at("tags/service.ts", 7)}`, owner: "`addTag`" },
        },
      ],
    },
    {
      name: "the revalidation is in another request handler, not in the writer",
      filename: file("posts/actions.ts"),
      code: `${IMPORTS}
export async function refresh() {
  revalidateTag("posts");
}

export async function unpublish(id: string) {
  await prisma.post.update({ where: { id }, data: { published: false } });
}`,
      errors: [
        { messageId: "writeWithoutInvalidation", line: 10, column: 9, data: { write: "prisma.post.update", model: "Post", where: FEED, owner: "`unpublish`" } },
      ],
    },
    {
      name: "a repository function no invalidating caller calls",
      filename: file("licenses/repository.ts"),
      code: `${IMPORTS}
export async function clearLicenses() {
  await prisma.license.deleteMany();
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 6,
          column: 9,
          data: {
            write: "prisma.license.deleteMany",
            model: "License",
            where: `\`unstable_cache\` at ${at("licenses/cached.ts", 4)}`,
            owner: "`clearLicenses`",
          },
        },
      ],
    },
    {
      name: "an update of a field the cached read selects, a data object it cannot read, and a delete",
      filename: file("accounts/settings.ts"),
      code: `${IMPORTS}
export async function moveMailbox(id: string, ownerId: string, patch: object) {
  await prisma.mailbox.update({ where: { id }, data: { ownerId } });
  await prisma.mailbox.update({ where: { id }, data: patch });
  await prisma.mailbox.delete({ where: { id } });
}`,
      errors: [6, 7, 8].map((line) => ({
        messageId: "writeWithoutInvalidation" as const,
        line,
        column: 9,
        data: { write: line === 8 ? "prisma.mailbox.delete" : "prisma.mailbox.update", model: "Mailbox", where: MAILBOX, owner: "`moveMailbox`" },
      })),
    },
    {
      name: "an upsert of a field the cache filters on is reported even when a guard keeps its value (the rule does not read guards)",
      filename: file("accounts/link.ts"),
      code: `${IMPORTS}
export async function link(address: string, ownerId: string) {
  const existing = await prisma.mailbox.findUnique({ where: { address } });
  if (existing && existing.ownerId !== ownerId) throw new Error("taken");
  await prisma.mailbox.upsert({ where: { address }, update: { ownerId }, create: { address, ownerId } });
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 8,
          column: 9,
          data: { write: "prisma.mailbox.upsert", model: "Mailbox", where: MAILBOX, owner: "`link`" },
        },
      ],
    },
    {
      name: "a first-run create after the cached list read failed is reported though nothing was cached (the rule does not read why it runs)",
      filename: file("posts/bootstrap.ts"),
      code: `${IMPORTS}
import { getFeed } from "./queries";

export async function ensureWelcomePost() {
  try {
    await getFeed();
  } catch {
    await prisma.post.create({ data: { title: "Welcome", published: true } });
  }
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 11,
          column: 11,
          data: { write: "prisma.post.create", model: "Post", where: FEED, owner: "`ensureWelcomePost`" },
        },
      ],
    },
    {
      name: "a budget under the cached TTL still reports",
      filename: file("teams/service.ts"),
      options: [{ stalenessBudget: 10 }],
      code: `${IMPORTS}
export async function renameTeam(id: string, name: string) {
  await prisma.team.update({ where: { id }, data: { name } });
}`,
      errors: [
        {
          messageId: "writeWithoutInvalidation",
          line: 6,
          column: 9,
          data: { write: "prisma.team.update", model: "Team", where: `a cache-aside check at ${at("teams/cache.ts", 8)}, TTL 30 s`, owner: "`renameTeam`" },
        },
      ],
    },
  ],
});
