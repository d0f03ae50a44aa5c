import rule from "../../src/rules/effect-try-promise.js";
import { effectVersionTesters, ruleTester } from "../rule-tester.js";

const versions = effectVersionTesters();

ruleTester.run("effect-try-promise", rule, {
  valid: [
    {
      name: "promises that cannot reject: Promise.resolve, timers, a resolve-only executor, allSettled, a handled rejection",
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

for (const { version, filename, tester } of versions) {
  tester.run(`effect-try-promise (Effect ${version}, typed)`, rule, {
    valid: [
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
