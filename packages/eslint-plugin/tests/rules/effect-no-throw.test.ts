import path from "node:path";
import rule from "../../src/rules/effect-no-throw.js";
import { effectVersionTesters, ruleTester } from "../rule-tester.js";

/**
 * Each typed case names its file relative to the version's fixture project, which the tester then
 * uses as the working directory: an absolute path would put `tests/fixtures/` in the file's path,
 * and the rule skips tests and fixtures.
 */
const versions = effectVersionTesters().map((v) => ({ ...v, filename: path.basename(v.filename) }));

ruleTester.run("effect-no-throw", rule, {
  valid: [
    {
      name: "a test double in a test file throws on an unexpected call: the crash is the point",
      filename: "src/media/__tests__/create-from-research.test.ts",
      code: `
import { Effect } from "effect";
export const fakeRepo = {
  byId: (id: string) =>
    Effect.gen(function* () {
      if (id !== "known") throw new Error("unexpected id " + id);
      return { id };
    }),
};
`,
    },
    {
      name: "failures through the error channel: Effect.fail, yielding a tagged error, Effect.try / tryPromise",
      code: `
import { Data, Effect } from "effect";
class UserNotFound extends Data.TaggedError("UserNotFound")<{ userId: string }> {}
class ParseError extends Data.TaggedError("ParseError")<{ cause: unknown }> {}
export const byId = (id: string) =>
  Effect.gen(function* () {
    const user = yield* Effect.tryPromise({
      try: async () => {
        const res = await fetch("/users/" + id);
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      },
      catch: (cause) => new ParseError({ cause }),
    });
    if (!user) return yield* Effect.fail(new UserNotFound({ userId: id }));
    if (user.deleted) return yield* new UserNotFound({ userId: id });
    return user;
  });
export const parse = (raw: string) =>
  Effect.try({
    try: () => {
      if (raw.length === 0) throw new Error("empty");
      return JSON.parse(raw);
    },
    catch: (cause) => new ParseError({ cause }),
  });
`,
    },
    {
      name: "a throw caught in the same generator, and throws in nested functions (their caller decides)",
      code: `
import { Effect } from "effect";
export const program = Effect.gen(function* () {
  let config;
  try {
    config = JSON.parse(process.env.CONFIG ?? "");
    if (!config.port) throw new Error("no port");
  } catch {
    config = { port: 3000 };
  }
  const assertPositive = (n: number) => {
    if (n < 0) throw new RangeError("negative");
    return n;
  };
  return yield* Effect.succeed(config.port);
});
`,
    },
    {
      name: "throws outside Effect: a tRPC resolver, a plain async function, another library's gen and map",
      code: `
import { TRPCError } from "@trpc/server";
import { gen, map } from "./not-effect";
import { publicProcedure } from "./trpc";
export const byId = publicProcedure.query(async ({ input }) => {
  if (!input) throw new TRPCError({ code: "BAD_REQUEST" });
  return input;
});
export async function load(id: string) {
  if (!id) throw new Error("id required");
}
gen(function* () {
  throw new Error("x");
});
map([1], () => {
  throw new Error("x");
});
`,
    },
  ],
  invalid: [
    {
      name: "throw in Effect.gen, also in a try without catch",
      code: `
import { Data, Effect } from "effect";
class UserNotFound extends Data.TaggedError("UserNotFound")<{ userId: string }> {}
export const byId = (id: string, users: Map<string, { id: string }>) =>
  Effect.gen(function* () {
    const user = users.get(id);
    if (!user) throw new UserNotFound({ userId: id });
    try {
      if (user.id !== id) throw "mismatch";
    } finally {
      yield* Effect.log("checked");
    }
    return user;
  });
`,
      errors: [
        { messageId: "throwInGenerator", line: 7, column: 16, endColumn: 55, data: { api: "Effect.gen", thrown: "new UserNotFound(...)" } },
        { messageId: "throwInGenerator", line: 9, column: 27, endColumn: 44, data: { api: "Effect.gen", thrown: '"mismatch"' } },
      ],
    },
    {
      name: "throw in Effect.fn(name), with a namespace import",
      code: `
import * as Effect from "effect/Effect";
export const charge = Effect.fn("Billing.charge")(function* (amount: number) {
  if (amount <= 0) throw new Error(\`invalid amount \${amount}\`);
  return amount;
});
`,
      errors: [{ messageId: "throwInGenerator", line: 4, column: 20, data: { api: "Effect.fn", thrown: "new Error(...)" } }],
    },
    {
      name: "throw in combinator callbacks: sync, map (data-first and in a pipe), flatMap, catchTags",
      code: `
import { Effect, pipe } from "effect";
import { loadUser } from "./users";
export const config = Effect.sync(() => {
  const raw = process.env.CONFIG;
  if (!raw) throw new Error("CONFIG missing");
  return JSON.parse(raw);
});
export const email = Effect.map(loadUser("u_1"), (user) => {
  if (!user.email) throw new Error("no email");
  return user.email;
});
export const name = loadUser("u_1").pipe(
  Effect.flatMap((user) => {
    if (!user.name) throw new TypeError("no name");
    return Effect.succeed(user.name);
  }),
  Effect.catchTags({
    UserNotFound: (e) => {
      throw e;
    },
  }),
);
export const upper = pipe(name, Effect.andThen((n) => { if (n === "") throw new Error("empty"); return n.toUpperCase(); }));
`,
      errors: [
        { messageId: "throwInCallback", line: 6, column: 13, data: { api: "Effect.sync", thrown: "new Error(...)" } },
        { messageId: "throwInCallback", line: 10, column: 20, data: { api: "Effect.map", thrown: "new Error(...)" } },
        { messageId: "throwInCallback", line: 15, column: 21, data: { api: "Effect.flatMap", thrown: "new TypeError(...)" } },
        { messageId: "throwInCallback", line: 20, column: 7, data: { api: "Effect.catchTags", thrown: "e" } },
        { messageId: "throwInCallback", line: 24, column: 71, data: { api: "Effect.andThen", thrown: "new Error(...)" } },
      ],
    },
  ],
});

const HANDLER = { 3: "catchAll", 4: "catch" } as const;

for (const { version, filename, tester } of versions) {
  tester.run(`effect-no-throw (Effect ${version}, typed)`, rule, {
    valid: [
      {
        name: "a repository that fails through the error channel",
        filename,
        code: `
import { Effect } from "effect";
import { UserNotFound } from "./errors";
import { UserRepo } from "./services";
export const requireUser = (id: string) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    const user = yield* repo.byId(id);
    if (!user.email) return yield* new UserNotFound({ userId: id });
    return user;
  });
`,
      },
    ],
    invalid: [
      {
        name: `throw in a service's generator and in the v${version} error handler (${HANDLER[version]})`,
        filename,
        code: `
import { Effect } from "effect";
import { ApiError } from "./errors";
import { UserRepo } from "./services";
export const requireEmail = (id: string) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    const user = yield* repo.byId(id);
    if (!user.email) throw new ApiError({ status: 422, message: "no email" });
    return user.email;
  }).pipe(
    Effect.${HANDLER[version]}((error) => {
      throw new ApiError({ status: 500, message: String(error) });
    }),
  );
`,
        errors: [
          { messageId: "throwInGenerator", line: 9, column: 22, data: { api: "Effect.gen", thrown: "new ApiError(...)" } },
          { messageId: "throwInCallback", line: 13, column: 7, data: { api: `Effect.${HANDLER[version]}`, thrown: "new ApiError(...)" } },
        ],
      },
    ],
  });
}
