import rule from "../../src/rules/cache-require-ttl.js";
import { ruleTester, typedRuleTester } from "../rule-tester.js";

/**
 * A fixture file by its path under `fixtures/typed`, which the tester then uses as the working
 * directory: an absolute path would put `tests/fixtures/` in the file's path, and the rule skips
 * tests and fixtures.
 */
const typedFile = (name: string): string => name;

const IOREDIS = `import Redis from "ioredis";
export const redis = new Redis(process.env.REDIS_URL!);
`;
const UPSTASH = `import { Redis } from "@upstash/redis";
const redis = Redis.fromEnv();
`;

ruleTester.run("cache-require-ttl", rule, {
  valid: [
    {
      name: "fixed keys cannot pile up: a heartbeat, a job cursor, a key from a constant template, a zero-argument key getter",
      code: `${IOREDIS}
const PREFIX = "jobs:";
export class JobStore {
  private pendingKey() {
    return \`\${PREFIX}pending\`;
  }
  async beat(cursor: string) {
    await redis.set("worker:heartbeat", Date.now());
    await redis.set(\`\${PREFIX}cursor\`, cursor);
    await redis.zadd(this.pendingKey(), Date.now(), cursor);
  }
}
`,
    },
    {
      name: "a write-through store with its own invalidation: the key is deleted in this module",
      code: `${UPSTASH}
export async function saveLogo(teamId: string, logo: string | null) {
  if (logo) await redis.set(\`brand:logo:\${teamId}\`, logo);
  else await redis.del(\`brand:logo:\${teamId}\`);
}
export async function removeTeam(id: string) {
  await redis.del(\`brand:logo:\${id}\`);
}
`,
    },
    {
      name: "a module that deletes or expires its keys in a Lua script run by eval",
      code: `${IOREDIS}
const REAP = \`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], 0, ARGV[1])
for _, id in ipairs(ids) do
  redis.call('DEL', 'visit:' .. id)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
\`;
export async function track(projectId: string, visitId: string, state: string) {
  await redis.set(\`visit:\${visitId}\`, state);
  await redis.zadd(\`visits:\${projectId}\`, Date.now(), visitId);
}
export async function reap(projectId: string, before: number) {
  await redis.eval(REAP, 1, \`visits:\${projectId}\`, before);
}
`,
    },
    {
      name: "a one-time completion marker (`...:done`, `...:migrated`), written directly or by a key function",
      code: `${IOREDIS}
function migrationDoneKey(name: string) {
  return \`usage-migration:\${name}:done\`;
}
export async function migrateUsage(accountId: string) {
  await redis.set(migrationDoneKey(\`account:\${accountId}\`), "1");
  await redis.set(\`legacy-import:\${accountId}:migrated\`, Date.now());
}
`,
    },
    {
      name: "a storage adapter whose caller may give a TTL: the no-TTL branch writes the same key the TTL branch expires",
      code: `${UPSTASH}
export const storage = {
  set: async (key: string, value: string, ttl?: number) => {
    if (ttl) await redis.set(key, value, { ex: ttl });
    else await redis.set(key, value);
  },
};
`,
    },
    {
      name: "ioredis cache-aside with EX / PX / EXAT / KEEPTTL, setex and psetex",
      code: `${IOREDIS}
export async function getPost(id: string, load: () => Promise<unknown>) {
  const key = \`post:\${id}\`;
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit);
  const post = await load();
  await redis.set(key, JSON.stringify(post), "EX", 300);
  await redis.set(\`\${key}:etag\`, "1", "PX", 300_000, "NX");
  await redis.set(\`\${key}:lock\`, "1", "NX", "EXAT", Math.floor(Date.now() / 1000) + 30);
  await redis.set(key, JSON.stringify(post), "KEEPTTL");
  await redis.setex(\`\${key}:views\`, 60, "0");
  await redis.psetex(\`\${key}:ping\`, 500, "1");
  await redis.set(key, "x", "ex", 10, (err) => err && console.error(err));
  return post;
}
`,
    },
    {
      name: "Upstash and node-redis option objects with an expiry",
      code: `${UPSTASH}
import { createClient } from "redis";
const client = createClient({ url: process.env.REDIS_URL });
const SESSION_OPTIONS = { ex: 3600 };
export async function save(id: string, session: object) {
  await redis.set(\`session:\${id}\`, session, { ex: 3600 });
  await redis.set(\`session:\${id}:seen\`, Date.now(), { px: 60_000, nx: true });
  await redis.set(\`session:\${id}:keep\`, 1, { keepTtl: true });
  await redis.set(\`session:\${id}:copy\`, session, SESSION_OPTIONS);
  await client.set(\`session:\${id}\`, JSON.stringify(session), { EX: 3600 });
  await client.set(\`session:\${id}:v5\`, "1", { expiration: { type: "EX", value: 60 } });
}
`,
    },
    {
      name: "hset / sadd / zadd / lpush followed by expire on the same key (also inside multi() chains)",
      code: `${IOREDIS}
export async function trackView(postId: string, userId: string) {
  const viewers = \`post:\${postId}:viewers\`;
  await redis.sadd(viewers, userId);
  await redis.expire(viewers, 86_400);

  await redis.multi().hset(\`post:\${postId}:stats\`, { views: 1 }).expire(\`post:\${postId}:stats\`, 3600).exec();

  const pipeline = redis.pipeline();
  pipeline.zadd("leaderboard:daily", 1, userId);
  pipeline.pexpireat("leaderboard:daily", Date.now() + 86_400_000);
  pipeline.lpush(\`feed:\${userId}\`, postId);
  pipeline.expire(\`feed:\${userId}\`, 600);
  await pipeline.exec();
}
`,
    },
    {
      name: "a Map, an LRU, a plain wrapper object or a cache-manager TTL argument named `cache` are not Redis",
      code: `
import { LRUCache } from "lru-cache";
const cache = new Map<string, unknown>();
export function remember(key: string, value: unknown) {
  cache.set(key, value);
}
export class ProfileService {
  private readonly cache = new LRUCache<string, object>({ max: 500 });
  constructor(private readonly kv: Map<string, string>) {}
  put(id: string, profile: object) {
    this.cache.set(id, profile);
    this.kv.set(id, JSON.stringify(profile));
  }
}
export function withTtl(store: { set(k: string, v: unknown, ttl: number): void }, redis: { set(k: string, v: unknown, ttl: number): void }) {
  const ttl = 60_000;
  redis.set("k", 1, ttl);
}
const kv = { set: (k: string, v: string) => localStorage.setItem(k, v) };
kv.set("theme", "dark");
function ContentTypeParser() {
  this.cache = new Fifo(100);
}
ContentTypeParser.prototype.add = function (ct, parser) {
  this.cache.set(ct, parser);
};
`,
    },
    {
      name: "a `cache` member this file declares as a Map (an interface, a type literal, a typed or destructured local or parameter) is in-process",
      code: `
interface Memo<R> {
  cache: Map<string, R>;
  hits: number;
}
export function createMemo<R>(): Memo<R> {
  return { cache: new Map(), hits: 0 };
}
export function remember<R>(memo: Memo<R>, key: string, value: R) {
  memo.cache.set(\`entry:\${key}\`, value);
}
export function keep(state: { cache: WeakMap<object, string> }, owner: object, id: string) {
  state.cache.set(owner, id);
}
const local: Memo<number> = createMemo();
local.cache.set("answer", 42);
interface ToolArgs {
  memo: Memo<string>;
}
export function buildTool(args: ToolArgs) {
  const { memo } = args;
  return (key: string) => memo.cache.set(\`lookup:\${key}\`, key);
}
export function buildOther({ memo }: ToolArgs) {
  return (key: string) => memo.cache.set(\`other:\${key}\`, key);
}
`,
    },
    {
      name: "receivers that are not cache clients, and calls that are not key writes",
      code: `${IOREDIS}
const params = new URLSearchParams();
params.set("page", "2");
export async function f(headers: Headers, res: { set(k: string, v: string): void }) {
  headers.set("x-cache", "miss");
  res.set("cache-control", "no-store");
  await redis.get("k");
  await redis.set("only-key");
  await redis.set(...(["k", "v"] as const));
  await redis.hset(...(["h", "f", "v"] as const));
  await redis.mset([["a", "1"]], 60);
}
`,
    },
    {
      name: "fixed keys are one structure each (Redis as a store: registries, leaderboards, queues)",
      code: `
import { redis } from "@/lib/upstash";
import { WEBHOOK_REDIS_KEY } from "./constants";
const USERS_DB = "users";
export async function register(user: string, hash: string, webhook: { id: string }) {
  await redis.hset(USERS_DB, { [user]: hash });
  await redis.hset(WEBHOOK_REDIS_KEY, { [webhook.id]: JSON.stringify(webhook) });
  await redis.zadd("trending", { score: Date.now(), member: user });
  await redis.lpush("jobs", JSON.stringify({ user }));
}
`,
    },
    {
      name: "persistent key prefixes from the options",
      options: [{ persistentKeyPrefixes: ["queue:", "flags:"] }],
      code: `${IOREDIS}
export async function enqueue(job: object, name: string) {
  await redis.lpush("queue:emails", JSON.stringify(job));
  await redis.set(\`flags:\${name}\`, "on");
}
`,
    },
  ],
  invalid: [
    {
      name: "near misses: a key getter that takes the entity, a delete of another key, both branches without a TTL, a hash that grows between deletes",
      code: `${UPSTASH}
const keyFor = (id: string) => \`session:\${id}\`;
export async function save(id: string, value: string, remember: boolean) {
  await redis.set(keyFor(id), value);
  await redis.set(\`profile:\${id}\`, value);
  await redis.del(\`profile-old:\${id}\`);
  if (remember) await redis.set(\`pref:\${id}\`, value);
  else await redis.set(\`pref:\${id}\`, "");
  await redis.hset(\`seen:\${id}\`, { [value]: 1 });
  await redis.del(\`seen:\${id}\`);
}
`,
      errors: [
        { messageId: "setWithoutTtl", line: 6, column: 9 },
        { messageId: "setWithoutTtl", line: 7, column: 9 },
        { messageId: "setWithoutTtl", line: 9, column: 23 },
        { messageId: "setWithoutTtl", line: 10, column: 14 },
        { messageId: "collectionWithoutTtl", line: 11, column: 9 },
      ],
    },
    {
      name: "near misses: a `cache` member declared as a Redis client, or as a project type that may wrap one",
      code: `
import type { Redis } from "@upstash/redis";
import type { CacheClient } from "./cache-client";
interface Deps {
  cache: Redis;
}
export async function save(deps: Deps, other: { cache: CacheClient }, id: string) {
  await deps.cache.set(\`user:\${id}\`, "1");
  await other.cache.set(\`user:\${id}\`, "1");
}
`,
      errors: [
        { messageId: "setWithoutTtl", line: 8, column: 9 },
        { messageId: "setWithoutTtl", line: 9, column: 9 },
      ],
    },
    {
      name: "near miss: a Lua script that only counts manages no key's lifetime",
      code: `${IOREDIS}
const BUMP = "return redis.call('INCR', KEYS[1])";
export async function visit(pageId: string, visitor: string) {
  await redis.eval(BUMP, 1, \`views:\${pageId}\`);
  await redis.set(\`last-visitor:\${pageId}\`, visitor);
}
`,
      errors: [{ messageId: "setWithoutTtl", line: 7, column: 9 }],
    },
    {
      name: "near miss: a status key whose value says done is not a completion marker",
      code: `${IOREDIS}
export async function finish(jobId: string) {
  await redis.set(\`job:\${jobId}:status\`, "done");
}
`,
      errors: [{ messageId: "setWithoutTtl", line: 5, column: 9 }],
    },
    {
      name: "the demo's last-seen marker: ioredis set with no EX",
      code: `${IOREDIS}
/** Records when a user was last active; read by the admin dashboard. */
export async function touchLastSeen(userId: string): Promise<void> {
  await redis.set(\`user:last-seen:\${userId}\`, new Date().toISOString());
}
`,
      errors: [
        {
          messageId: "setWithoutTtl",
          line: 6,
          column: 9,
          data: { call: "redis.set", key: "`user:last-seen:${userId}`", fix: '`redis.set(key, value, "EX", seconds)`' },
        },
      ],
    },
    {
      name: "Upstash set without options, with options that set no expiry, and a Vercel KV client",
      code: `${UPSTASH}
import { kv } from "@vercel/kv";
export async function cacheProfile(id: string, profile: object) {
  await redis.set(\`profile:\${id}\`, profile);
  await redis.set(\`profile:\${id}:lock\`, 1, { nx: true });
  await kv.set(\`home:\${id}\`, profile);
}
`,
      errors: [
        {
          messageId: "setWithoutTtl",
          line: 6,
          column: 9,
          data: { call: "redis.set", key: "`profile:${id}`", fix: "`redis.set(key, value, { ex: seconds })`" },
        },
        {
          messageId: "setWithoutTtl",
          line: 7,
          column: 9,
          data: { call: "redis.set", key: "`profile:${id}:lock`", fix: "`redis.set(key, value, { ex: seconds })`" },
        },
        { messageId: "setWithoutTtl", line: 8, column: 9, data: { call: "kv.set", key: "`home:${id}`", fix: "`kv.set(key, value, { ex: seconds })`" } },
      ],
    },
    {
      name: "clients reached as this.redis, ctx.redis, a parameter typed Redis, and NX/GET flags that set no expiry",
      code: `
import type { Redis } from "ioredis";
export class RateLimiter {
  constructor(private readonly redis: Redis) {}
  async mark(ip: string) {
    await this.redis.set(\`rl:\${ip}\`, "1", "NX", "GET");
  }
}
export async function handler(ctx: { redis: unknown }, client: Redis, id: string) {
  await ctx.redis.set(\`seen:\${id}\`, "1");
  await client.set(\`seen:\${id}\`, "1");
}
`,
      errors: [
        {
          messageId: "setWithoutTtl",
          line: 6,
          column: 11,
          data: {
            call: "this.redis.set",
            key: "`rl:${ip}`",
            fix: '`this.redis.set(key, value, "EX", seconds)` (ioredis) or `this.redis.set(key, value, { ex: seconds })` (Upstash)',
          },
        },
        { messageId: "setWithoutTtl", line: 10, column: 9 },
        { messageId: "setWithoutTtl", line: 11, column: 9 },
      ],
    },
    {
      name: "hset / sadd / rpush on per-entity keys with no expire on that key; an expire on another key does not count",
      code: `${IOREDIS}
export async function recordVisit(userId: string, postId: string) {
  await redis.hset(\`user:\${userId}:profile\`, { lastPostId: postId });
  await redis.sadd(\`post:\${postId}:readers\`, userId);
  await redis.expire(\`post:\${userId}:readers\`, 3600);
  await redis.zadd("trending", Date.now(), postId);
  await redis.multi().rpush(\`history:\${userId}\`, postId).exec();
}
export async function expireElsewhere(userId: string) {
  await redis.expire(\`user:\${userId}:profile\`, 60);
}
`,
      errors: [
        { messageId: "collectionWithoutTtl", line: 5, column: 9, data: { call: "redis.hset", key: "`user:${userId}:profile`", receiver: "redis" } },
        { messageId: "collectionWithoutTtl", line: 6, column: 9, data: { call: "redis.sadd", key: "`post:${postId}:readers`", receiver: "redis" } },
        { messageId: "collectionWithoutTtl", line: 9, column: 9, data: { call: "redis.multi().rpush", key: "`history:${userId}`", receiver: "redis.multi()" } },
      ],
    },
    {
      name: "mset, in both its forms",
      code: `${IOREDIS}
export async function warm(posts: Array<{ id: string; title: string }>) {
  await redis.mset(Object.fromEntries(posts.map((p) => [\`post:\${p.id}:title\`, p.title])));
  await redis.mset("a", "1", "b", "2");
}
`,
      errors: [
        { messageId: "msetWithoutTtl", line: 5, column: 9, data: { call: "redis.mset", receiver: "redis" } },
        { messageId: "msetWithoutTtl", line: 6, column: 9, data: { call: "redis.mset", receiver: "redis" } },
      ],
    },
    {
      name: "cacheClients from settings: a project name is a client, and a default name no longer is",
      settings: { archlint: { cacheClients: ["store"] } },
      code: `
import { store, cache } from "../infra";
export async function f(id: string) {
  await store.set(\`a:\${id}\`, "1");
  await cache.set(\`b:\${id}\`, "2");
}
`,
      errors: [{ messageId: "setWithoutTtl", line: 4, column: 9 }],
    },
  ],
});

typedRuleTester.run("cache-require-ttl (type-aware)", rule, {
  valid: [
    {
      name: "with types, a Map or an in-house cache named `cache` is not Redis, whatever it is called",
      filename: typedFile("db/file.ts"),
      code: `
class MemoryCache {
  private readonly entries = new Map<string, unknown>();
  get(key: string) { return this.entries.get(key); }
  set(key: string, value: unknown) { this.entries.set(key, value); }
}
declare const cache: MemoryCache;
declare const redis: Map<string, string>;
export function f(id: string) {
  cache.set(\`a:\${id}\`, 1);
  redis.set(\`b:\${id}\`, "2");
}
`,
    },
  ],
  invalid: [
    {
      name: "with types, an ioredis or Upstash client under any name, the fix in its own syntax",
      filename: typedFile("db/file.ts"),
      code: `
import type Redis from "ioredis";
import type { Redis as Upstash } from "@upstash/redis";
export async function f(client: Redis, store: Upstash, id: string) {
  await client.set(\`a:\${id}\`, "1");
  await store.set(\`b:\${id}\`, "2");
  await client.hset(\`session:\${id}\`, { a: 1 });
}
`,
      errors: [
        { messageId: "setWithoutTtl", line: 5, column: 9, data: { call: "client.set", key: "`a:${id}`", fix: '`client.set(key, value, "EX", seconds)`' } },
        { messageId: "setWithoutTtl", line: 6, column: 9, data: { call: "store.set", key: "`b:${id}`", fix: "`store.set(key, value, { ex: seconds })`" } },
        { messageId: "collectionWithoutTtl", line: 7, column: 9 },
      ],
    },
  ],
});

/** Tests, seeds, scripts, migrations, fixtures, mocks and generated files serve no request. */
const LAST_SEEN = `${IOREDIS}
export async function touchLastSeen(userId: string): Promise<void> {
  await redis.set(\`user:last-seen:\${userId}\`, new Date().toISOString());
}
`;

ruleTester.run("cache-require-ttl (non-runtime files)", rule, {
  valid: [
    { name: "a test", filename: "src/__tests__/x.test.ts", code: LAST_SEEN },
    { name: "a seed", filename: "prisma/seed.ts", code: LAST_SEEN },
    { name: "a script", filename: "scripts/backfill.ts", code: LAST_SEEN },
    { name: "a mock", filename: "src/__mocks__/redis.ts", code: LAST_SEEN },
    { name: "an end-to-end test", filename: "e2e/session.ts", code: LAST_SEEN },
    { name: "a fixture", filename: "test/fixtures/cache.ts", code: LAST_SEEN },
    {
      name: "settings.archlint.nonRuntime names the non-runtime files",
      filename: "tools/backfill.ts",
      code: LAST_SEEN,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
    },
  ],
  invalid: [
    {
      name: "the same code in server code is reported",
      filename: "src/server/x.ts",
      code: LAST_SEEN,
      errors: [
        {
          messageId: "setWithoutTtl",
          line: 5,
          column: 9,
          data: { call: "redis.set", key: "`user:last-seen:${userId}`", fix: '`redis.set(key, value, "EX", seconds)`' },
        },
      ],
    },
    {
      name: "settings.archlint.nonRuntime replaces the default list: a script is reported",
      filename: "scripts/backfill.ts",
      code: LAST_SEEN,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
      errors: [
        {
          messageId: "setWithoutTtl",
          line: 5,
          column: 9,
          data: { call: "redis.set", key: "`user:last-seen:${userId}`", fix: '`redis.set(key, value, "EX", seconds)`' },
        },
      ],
    },
  ],
});
