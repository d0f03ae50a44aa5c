import path from "node:path";
import rule from "../../src/rules/effect-try-promise.js";
import { effectVersionTesters, ruleTester } from "../rule-tester.js";

/** File names relative to each version's fixture project: under `tests/fixtures/` the rule would skip them as non-runtime. */
const versions = effectVersionTesters().map((v) => ({ ...v, filename: path.basename(v.filename) }));

const PROJECT_REJECTING = `
import { Effect } from "effect";
import { readSession } from "./cache";
declare const redis: { get(key: string): Promise<string | null> };

async function readStrict(key: string) {
  try {
    return await redis.get(key);
  } catch (error) {
    throw new Error(\`cache read failed: \${key}\`, { cause: error });
  }
}
async function readUnawaited(key: string) {
  try {
    return redis.get(key);
  } catch {
    return null;
  }
}
export const strict = Effect.promise(() => readStrict("k"));
export const unawaited = Effect.promise(() => readUnawaited("k"));
export const session = Effect.promise(() => readSession("s_1"));
`;

const IGNORED = `
import { Effect } from "effect";
declare const db: { query(sql: string): Promise<unknown[]> };
export const purge = Effect.promise(() => db.query("delete from sessions")).pipe(Effect.ignore);
`;

/** A report on the `Effect.promise` call `call` at `line`:`column`, with the suggestion rewriting it in `code`. */
function rejecting(line: number, column: number, source: string, error: string, call: string, code = PROJECT_REJECTING) {
  const thunk = call.slice("Effect.promise(".length, -1);
  return {
    messageId: "rejectionBecomesDefect" as const,
    line,
    column,
    endColumn: column + "Effect.promise".length,
    data: { api: "Effect.promise", source, error },
    suggestions: [
      {
        messageId: "useTryPromise" as const,
        data: { error },
        output: code.replace(call, `Effect.tryPromise({ try: ${thunk}, catch: (cause) => new ${error}({ cause }) })`),
      },
    ],
  };
}

/** The body read of the test-file case, in code that serves requests. */
const BODY_READ = `
import { Effect } from "effect";
declare const toWeb: (response: unknown) => Response;
export const body = Effect.gen(function* () {
  return yield* Effect.promise(() => toWeb({ status: 200 }).json());
});
`;

const DIGEST_WITH = `
import { Effect } from "effect";
export const hashWith = (algorithm: string, data: Uint8Array) => Effect.promise(() => crypto.subtle.digest(algorithm, data));
`;

ruleTester.run("effect-try-promise", rule, {
  valid: [
    {
      name: "a test reads a response body with Effect.promise: a rejection fails the test as a defect, nothing is lost",
      filename: "packages/sdk/test/handler.test.ts",
      code: `
import { Effect } from "effect";
import { it } from "@effect/vitest";
declare const toWeb: (response: unknown) => Response;
it.effect("answers json", () =>
  Effect.gen(function* () {
    const body = yield* Effect.promise(() => toWeb({ status: 200 }).json());
    return body;
  }),
);
`,
    },
    {
      name: "promises that cannot reject: Promise.resolve, timers, a resolve-only executor, allSettled, a handled rejection, a SHA digest of in-memory data",
      code: `
import { Effect } from "effect";
import { setTimeout as sleep } from "node:timers/promises";
import * as timers from "timers/promises";
export const one = Effect.promise(() => Promise.resolve(1));
export const pause = Effect.promise(() => sleep(100));
export const pause2 = Effect.promise(() => timers.setTimeout(100));
export const tick = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
export const settled = Effect.promise(() => Promise.allSettled([fetch("/a"), fetch("/b")]));
export const both = Effect.promise(() => Promise.all([Promise.resolve(1), sleep(5)]));
export const maybe = Effect.promise((signal) => fetch("/health", { signal }).catch(() => null));
export const guarded = Effect.promise(async () => {
  try {
    const res = await fetch("/flags");
    return await res.json();
  } catch {
    return {};
  }
});
export const later = Effect.promise(async () => {
  await sleep(10);
  return 42;
});
export const contentHash = (text: string) =>
  Effect.promise(async () => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  });
`,
    },
    {
      name: "Effect.tryPromise, and promise() of other libraries",
      code: `
import { Data, Effect } from "effect";
import Q from "q";
import { promise } from "./promise-utils";
class FetchError extends Data.TaggedError("FetchError")<{ cause: unknown }> {}
export const user = Effect.tryPromise({ try: () => fetch("/users/1"), catch: (cause) => new FetchError({ cause }) });
export const legacy = Q.promise((resolve, reject) => reject(new Error("x")));
export const wrapped = promise(() => fetch("/users/1"));
`,
    },
    {
      name: "option safe: the team's own helpers that never reject",
      options: [{ safe: ["sleep", "queue.onIdle"] }],
      code: `
import { Effect } from "effect";
import { queue, sleep } from "./utils";
export const wait = Effect.promise(() => sleep(50));
export const idle = Effect.promise(() => queue.onIdle());
export const idle2 = Effect.promise(queue.onIdle);
`,
    },
    {
      name: "project functions that cannot reject: a whole try/catch returning a fallback, a sync function returning a plain value, a method through this",
      code: `
import { Effect } from "effect";
declare const redis: { get(key: string): Promise<string | null> };

async function readFlags(key: string) {
  try {
    const raw = await redis.get(key);
    return raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
}
function defaultLimits() {
  return { perMinute: 60, burst: 10 };
}
const retries = () => 3;
export const flags = Effect.promise(() => readFlags("flags"));
export const limits = Effect.promise(async () => defaultLimits());
export const attempts = Effect.promise(async () => retries());
export class FlagStore {
  private async load(key: string) {
    try {
      return await redis.get(key);
    } catch {
      return null;
    }
  }
  flag(key: string) {
    return Effect.promise(() => this.load(key));
  }
}
`,
    },
    {
      name: "a defect caught by the very next step: catchAllCause / ignoreLogged / catchAllDefect (v3), catchCause / ignoreCause / catchDefect (v4), piped, in pipe() or data-first",
      code: `
import { Effect, pipe } from "effect";
declare const db: { query(sql: string): Promise<unknown[]> };
export const a = Effect.promise(() => db.query("select 1")).pipe(Effect.catchAllCause(() => Effect.void));
export const b = Effect.promise(() => db.query("select 1")).pipe(Effect.ignoreLogged);
export const c = pipe(Effect.promise(() => db.query("select 1")), Effect.catchAllDefect(() => Effect.void));
export const d = Effect.promise(() => db.query("select 1")).pipe(Effect.catchCause(() => Effect.void), Effect.asVoid);
export const e = Effect.promise(() => db.query("select 1")).pipe(Effect.ignoreCause);
export const f = Effect.catchCause(Effect.promise(() => db.query("select 1")), () => Effect.void);
export const g = Effect.catchDefect(Effect.promise(() => db.query("select 1")), () => Effect.void);
`,
    },
  ],
  invalid: [
    {
      name: "fetch in Effect.promise: suggestion rewrites to tryPromise",
      code: `
import { Effect } from "effect";
export const user = (id: string) => Effect.promise(() => fetch(\`/users/\${id}\`));
`,
      errors: [
        {
          messageId: "rejectionBecomesDefect",
          line: 3,
          column: 37,
          endColumn: 51,
          data: { api: "Effect.promise", source: "fetch(`/users/${id}`)", error: "FetchError" },
          suggestions: [
            {
              messageId: "useTryPromise",
              data: { error: "FetchError" },
              output: `
import { Effect } from "effect";
export const user = (id: string) => Effect.tryPromise({ try: () => fetch(\`/users/\${id}\`), catch: (cause) => new FetchError({ cause }) });
`,
            },
          ],
        },
      ],
    },
    {
      name: "near miss of the test-file case: the same body read in a handler's module is reported",
      filename: "packages/sdk/src/handler.ts",
      code: BODY_READ,
      errors: [rejecting(5, 17, "toWeb({ status: 200 }).json()", "PromiseError", "Effect.promise(() => toWeb({ status: 200 }).json())", BODY_READ)],
    },
    {
      name: "near miss: a digest whose algorithm the caller chooses can reject (NotSupportedError)",
      code: DIGEST_WITH,
      errors: [
        rejecting(3, 66, "crypto.subtle.digest(algorithm, data)", "DigestError", "Effect.promise(() => crypto.subtle.digest(algorithm, data))", DIGEST_WITH),
      ],
    },
    {
      name: "an async thunk awaiting a Prisma call, a function reference, and a rejecting executor",
      code: `
import { Effect as E } from "effect";
import { prisma } from "./db";
import { loadConfig } from "./config";
export const byId = (id: string) =>
  E.promise(async () => {
    const user = await prisma.user.findUnique({ where: { id } });
    return user;
  });
export const config = E.promise(loadConfig);
export const timeout = E.promise(() => new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), 10)));
`,
      errors: [
        {
          messageId: "rejectionBecomesDefect",
          line: 6,
          column: 3,
          data: { api: "E.promise", source: "prisma.user.findUnique({ where: { id } })", error: "FindUniqueError" },
          suggestions: [
            {
              messageId: "useTryPromise",
              data: { error: "FindUniqueError" },
              output: `
import { Effect as E } from "effect";
import { prisma } from "./db";
import { loadConfig } from "./config";
export const byId = (id: string) =>
  E.tryPromise({ try: async () => {
    const user = await prisma.user.findUnique({ where: { id } });
    return user;
  }, catch: (cause) => new FindUniqueError({ cause }) });
export const config = E.promise(loadConfig);
export const timeout = E.promise(() => new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), 10)));
`,
            },
          ],
        },
        {
          messageId: "rejectionBecomesDefect",
          line: 10,
          column: 23,
          data: { api: "E.promise", source: "loadConfig", error: "LoadConfigError" },
          suggestions: [
            {
              messageId: "useTryPromise",
              data: { error: "LoadConfigError" },
              output: `
import { Effect as E } from "effect";
import { prisma } from "./db";
import { loadConfig } from "./config";
export const byId = (id: string) =>
  E.promise(async () => {
    const user = await prisma.user.findUnique({ where: { id } });
    return user;
  });
export const config = E.tryPromise({ try: loadConfig, catch: (cause) => new LoadConfigError({ cause }) });
export const timeout = E.promise(() => new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), 10)));
`,
            },
          ],
        },
        {
          messageId: "rejectionBecomesDefect",
          line: 11,
          column: 24,
          data: { api: "E.promise", source: "new Promise(...)", error: "PromiseError" },
          suggestions: [
            {
              messageId: "useTryPromise",
              data: { error: "PromiseError" },
              output: `
import { Effect as E } from "effect";
import { prisma } from "./db";
import { loadConfig } from "./config";
export const byId = (id: string) =>
  E.promise(async () => {
    const user = await prisma.user.findUnique({ where: { id } });
    return user;
  });
export const config = E.promise(loadConfig);
export const timeout = E.tryPromise({ try: () => new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), 10)), catch: (cause) => new PromiseError({ cause }) });
`,
            },
          ],
        },
      ],
    },
    {
      name: "project functions that can reject: a catch that rethrows, a promise returned from a try without await, an import (no types to follow it)",
      code: PROJECT_REJECTING,
      errors: [
        rejecting(20, 23, 'readStrict("k")', "ReadStrictError", 'Effect.promise(() => readStrict("k"))'),
        rejecting(21, 26, 'readUnawaited("k")', "ReadUnawaitedError", 'Effect.promise(() => readUnawaited("k"))'),
        rejecting(22, 24, 'readSession("s_1")', "ReadSessionError", 'Effect.promise(() => readSession("s_1"))'),
      ],
    },
    {
      name: "Effect.ignore handles failures only: the defect passes through it",
      code: IGNORED,
      errors: [rejecting(4, 22, 'db.query("delete from sessions")', "QueryError", 'Effect.promise(() => db.query("delete from sessions"))', IGNORED)],
    },
    {
      name: "promise imported from effect/Effect: reported without a suggestion (tryPromise may not be imported)",
      code: `
import { promise } from "effect/Effect";
export const body = (req: Request) => promise(() => req.json());
`,
      errors: [
        {
          messageId: "rejectionBecomesDefect",
          line: 3,
          column: 39,
          endColumn: 46,
          data: { api: "promise", source: "req.json()", error: "JsonError" },
          suggestions: [],
        },
      ],
    },
  ],
});

const IMPORTED_WRITE = `
import { Effect } from "effect";
import { writeSession } from "./cache";
export const save = (id: string, value: string) => Effect.promise(() => writeSession(id, value));
`;

for (const { version, filename, tester } of versions) {
  tester.run(`effect-try-promise (Effect ${version}, typed)`, rule, {
    valid: [
      {
        name: "an imported project function or object method that cannot reject (followed with types)",
        filename,
        code: `
import { Effect } from "effect";
import { readSession, sessionCache } from "./cache";
export const session = (id: string) => Effect.promise(() => readSession(id));
export const cached = (id: string) => Effect.promise(() => sessionCache.read(id));
`,
      },
      {
        name: "a Layer whose client call is wrapped in tryPromise",
        filename,
        code: `
import { Effect, Layer } from "effect";
import { DbError } from "./errors";
import { Db } from "./services";
declare const pool: { query: (sql: string, params: ReadonlyArray<unknown>) => Promise<{ rows: unknown[] }> };
export const DbPg = Layer.succeed(Db, {
  query: <A>(sql: string, params: ReadonlyArray<unknown>) =>
    Effect.tryPromise({ try: () => pool.query(sql, params).then((r) => r.rows as A), catch: (cause) => new DbError({ cause }) }),
});
`,
      },
    ],
    invalid: [
      {
        name: "an imported project function that can reject (its write is not caught)",
        filename,
        code: IMPORTED_WRITE,
        errors: [rejecting(4, 52, "writeSession(id, value)", "WriteSessionError", "Effect.promise(() => writeSession(id, value))", IMPORTED_WRITE)],
      },
      {
        name: "a Layer whose client call is wrapped in Effect.promise",
        filename,
        code: `
import { Effect, Layer } from "effect";
import { Db } from "./services";
declare const pool: { query: (sql: string, params: ReadonlyArray<unknown>) => Promise<{ rows: unknown[] }> };
export const DbPg = Layer.succeed(Db, {
  query: <A>(sql: string, params: ReadonlyArray<unknown>) =>
    Effect.promise(() => pool.query(sql, params).then((r) => r.rows as A)),
});
`,
        errors: [
          {
            messageId: "rejectionBecomesDefect",
            line: 7,
            column: 5,
            endColumn: 19,
            data: { api: "Effect.promise", source: "pool.query(sql, params).then((r) => r.rows as A)", error: "QueryError" },
            suggestions: [
              {
                messageId: "useTryPromise",
                data: { error: "QueryError" },
                output: `
import { Effect, Layer } from "effect";
import { Db } from "./services";
declare const pool: { query: (sql: string, params: ReadonlyArray<unknown>) => Promise<{ rows: unknown[] }> };
export const DbPg = Layer.succeed(Db, {
  query: <A>(sql: string, params: ReadonlyArray<unknown>) =>
    Effect.tryPromise({ try: () => pool.query(sql, params).then((r) => r.rows as A), catch: (cause) => new QueryError({ cause }) }),
});
`,
              },
            ],
          },
        ],
      },
    ],
  });
}
