import path from "node:path";
import rule from "../../src/rules/effect-no-escaping-errors.js";
import { effectVersionTesters, lintWithoutTypes } from "../rule-tester.js";

/**
 * Each case names its file relative to the version's fixture project, which the tester then uses
 * as the working directory: an absolute path would put `tests/fixtures/` in the file's path, and
 * the rule skips tests and fixtures.
 */
const versions = effectVersionTesters().map((v) => ({ ...v, filename: path.basename(v.filename) }));

/** Where the two versions spell things differently. */
const V = {
  3: { catchAll: "catchAll", either: "either" },
  4: { catchAll: "catch", either: "result" },
} as const;

const PROGRAM = `import { Effect, pipe } from "effect";
import { AppLayer, UserRepo } from "./services";
import { AppRuntime, runExit, runPromise } from "./runtime";

const loadUser = (id: string) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    return yield* repo.byId(id);
  });
const createUser = (email: string) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    return yield* repo.create(email);
  });
`;

describe("effect-no-escaping-errors (no type information)", () => {
  it("fails with typescript-eslint's setup error instead of passing silently", () => {
    const code = `
import { Effect } from "effect";
import { program } from "./program";
await Effect.runPromise(program);
`;
    expect(() => lintWithoutTypes(rule, code)).toThrow(/You have used a rule which requires type information/);
  });
});

for (const { version, filename, tester } of versions) {
  const v = V[version as 3 | 4];
  tester.run(`effect-no-escaping-errors (Effect ${version})`, rule, {
    valid: [
      {
        name: "errors handled before running: catchTags, orDie, either/result, the v" + version + " catch-all",
        filename,
        code: `${PROGRAM}
export const a = await loadUser("u_1").pipe(
  Effect.catchTags({ UserNotFound: () => Effect.succeed(null), DbError: () => Effect.succeed(null) }),
  Effect.provide(AppLayer),
  Effect.runPromise,
);
export const b = await loadUser("u_1").pipe(Effect.orDie, runPromise);
export const c = await runPromise(Effect.${v.either}(loadUser("u_1")));
export const d = await AppRuntime.runPromise(loadUser("u_1").pipe(Effect.${v.catchAll}(() => Effect.succeed(null))));
export const e = Effect.runSync(Effect.succeed(42));
`,
      },
      {
        name: "Exit-returning runners keep the failure typed: runPromiseExit, runSyncExit, the app's runExit",
        filename,
        code: `${PROGRAM}
export const a = await Effect.runPromiseExit(loadUser("u_1").pipe(Effect.provide(AppLayer)));
export const b = await AppRuntime.runPromiseExit(loadUser("u_1"));
export const c = await loadUser("u_1").pipe(runExit);
export const d = Effect.runSyncExit(Effect.fail("boom"));
`,
      },
      {
        name: "catchTags right before the runner, with handlers that cannot fail, covering every tag; the app's Either/Result runner",
        filename,
        code: `${PROGRAM}
import { ${version === 3 ? "runEither" : "runResult"} } from "./runtime";
export const a = await loadUser("u_1").pipe(
  Effect.catchTags({ UserNotFound: () => Effect.succeed(null), DbError: (e) => Effect.die(e) }),
  runPromise,
);
export const b = await loadUser("u_1").pipe(Effect.catchTag("UserNotFound", "DbError", () => Effect.succeed(null)), runPromise);
export const c = await ${version === 3 ? "runEither" : "runResult"}(loadUser("u_1"));
`,
      },
      {
        name: "a generic runner helper: its callers decide, so the helper itself is not reported",
        filename,
        code: `
import { Effect } from "effect";
export const runOrThrow = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect);
`,
      },
      {
        name: "functions that take something else, or return an Effect, are not runners",
        filename,
        code: `${PROGRAM}
declare function runPromiseJob(job: { id: string }): Promise<void>;
declare function withRetry<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>;
await runPromiseJob({ id: "j_1" });
export const retried = withRetry(loadUser("u_1"));
export const named = loadUser("u_1").pipe(withRetry, Effect.withSpan("loadUser"));
`,
      },
      {
        name: "option allow: an error the boundary maps itself may escape",
        filename,
        options: [{ allow: ["ApiError"] }],
        code: `
import { Effect } from "effect";
import { ApiError } from "./errors";
export const ping = Effect.runPromise(Effect.fail(new ApiError({ status: 503, message: "down" })));
`,
      },
    ],
    invalid: [
      {
        name: "Effect.runPromise on a service call: suggestion switches to runPromiseExit",
        filename,
        code: `${PROGRAM}
export const user = await Effect.runPromise(loadUser("u_1").pipe(Effect.provide(AppLayer)));
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 16,
            column: 27,
            endColumn: 44,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "Effect.runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped FiberFailure",
              alternative: ", or use `runPromiseExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runPromiseExit" },
                output: `${PROGRAM}
export const user = await Effect.runPromiseExit(loadUser("u_1").pipe(Effect.provide(AppLayer)));
`,
              },
            ],
          },
        ],
      },
      {
        name: "ManagedRuntime runners, runSync and runFork",
        filename,
        code: `${PROGRAM}
export const a = await AppRuntime.runPromise(loadUser("u_1"));
export const b = Effect.runSync(Effect.fail("boom"));
export const fiber = AppRuntime.runFork(createUser("a@b"));
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 16,
            column: 24,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped FiberFailure",
              alternative: ", or use `runPromiseExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runPromiseExit" },
                output: `${PROGRAM}
export const a = await AppRuntime.runPromiseExit(loadUser("u_1"));
export const b = Effect.runSync(Effect.fail("boom"));
export const fiber = AppRuntime.runFork(createUser("a@b"));
`,
              },
            ],
          },
          {
            messageId: "escapingErrors",
            line: 17,
            column: 18,
            data: {
              errors: "`string`",
              verb: "escapes",
              runner: "Effect.runSync",
              how: "as a thrown exception",
              consequence: "the caller sees an untyped FiberFailure",
              alternative: ", or use `runSyncExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runSyncExit" },
                output: `${PROGRAM}
export const a = await AppRuntime.runPromise(loadUser("u_1"));
export const b = Effect.runSyncExit(Effect.fail("boom"));
export const fiber = AppRuntime.runFork(createUser("a@b"));
`,
              },
            ],
          },
          {
            messageId: "escapingErrors",
            line: 18,
            column: 22,
            data: {
              errors: "`DbError | InvalidEmail`",
              verb: "escape",
              runner: "AppRuntime.runFork",
              how: "into a fiber nobody observes",
              consequence: "the failure is lost unless the fiber is joined",
              alternative: "",
            },
            suggestions: [],
          },
        ],
      },
      {
        name: "the app's own runner (found by its signature, imported), as a pipe step and called",
        filename,
        code: `${PROGRAM}
export const a = await loadUser("u_1").pipe(runPromise);
export const b = await pipe(loadUser("u_2"), Effect.tap(() => Effect.log("loaded")), runPromise);
export const c = await runPromise(createUser("a@b"));
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 16,
            column: 45,
            endColumn: 55,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
          {
            messageId: "escapingErrors",
            line: 17,
            column: 86,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
          {
            messageId: "escapingErrors",
            line: 18,
            column: 24,
            data: {
              errors: "`DbError | InvalidEmail`",
              verb: "escape",
              runner: "runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
        ],
      },
      {
        name: "catchTags that leaves a tag unhandled, and one whose handler fails with a new error",
        filename,
        code: `${PROGRAM}
import { ApiError } from "./errors";
export const a = await loadUser("u_1").pipe(Effect.catchTags({ UserNotFound: () => Effect.succeed(null) }), runPromise);
export const b = await loadUser("u_1").pipe(
  Effect.catchTags({ UserNotFound: () => Effect.fail(new ApiError({ status: 404, message: "no user" })), DbError: (e) => Effect.die(e) }),
  runPromise,
);
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 17,
            column: 109,
            data: {
              errors: "`DbError`",
              verb: "escapes",
              runner: "runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
          {
            messageId: "escapingErrors",
            line: 20,
            column: 3,
            data: {
              errors: "`ApiError`",
              verb: "escapes",
              runner: "runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
        ],
      },
      {
        name: "a runner named in settings.archlint.effectRunners (its type says nothing)",
        filename,
        settings: { archlint: { effectRunners: ["jobs.run"] } },
        code: `${PROGRAM}
declare const jobs: { run: (effect: any) => Promise<unknown> };
export const a = await jobs.run(loadUser("u_1"));
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 17,
            column: 24,
            endColumn: 32,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "jobs.run",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              alternative: "",
            },
            suggestions: [],
          },
        ],
      },
      {
        name: "tRPC resolvers running Effects through the app's runtime: the boundary is named",
        filename,
        code: `${PROGRAM}
import { z } from "zod";
import { publicProcedure, router } from "./trpc";

export const userRouter = router({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => loadUser(input.id).pipe(runPromise)),
  create: publicProcedure.input(z.object({ email: z.string() })).mutation(async ({ input }) => {
    const created = await AppRuntime.runPromise(createUser(input.email));
    return created;
  }),
  safeById: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => loadUser(input.id).pipe(Effect.${v.either}, runPromise)),
});
`,
        errors: [
          {
            messageId: "escapingErrorsTrpc",
            line: 20,
            column: 106,
            data: { errors: "`DbError | UserNotFound`", verb: "escape", runner: "runPromise", boundary: "user.byId" },
          },
          {
            messageId: "escapingErrorsTrpc",
            line: 22,
            column: 27,
            data: { errors: "`DbError | InvalidEmail`", verb: "escape", runner: "AppRuntime.runPromise", boundary: "user.create" },
          },
        ],
      },
      {
        name: "a Fastify route running an Effect through the ManagedRuntime",
        filename,
        code: `${PROGRAM}
import Fastify from "fastify";

const app = Fastify();
app.get<{ Params: { id: string } }>("/users/:id", async (request) => AppRuntime.runPromise(loadUser(request.params.id)));
app.post("/users/:id/ping", async () => {
  try {
    return await AppRuntime.runPromise(loadUser("u_1"));
  } catch {
    return null;
  }
});
`,
        errors: [
          {
            messageId: "escapingErrorsFastify",
            line: 19,
            column: 70,
            data: { errors: "`DbError | UserNotFound`", verb: "escape", runner: "AppRuntime.runPromise", boundary: "GET /users/:id" },
          },
          {
            messageId: "escapingErrors",
            line: 22,
            column: 18,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped FiberFailure",
              alternative: ", or use `runPromiseExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runPromiseExit" },
                output: `${PROGRAM}
import Fastify from "fastify";

const app = Fastify();
app.get<{ Params: { id: string } }>("/users/:id", async (request) => AppRuntime.runPromise(loadUser(request.params.id)));
app.post("/users/:id/ping", async () => {
  try {
    return await AppRuntime.runPromiseExit(loadUser("u_1"));
  } catch {
    return null;
  }
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

const [v3, v4] = versions as [(typeof versions)[number], (typeof versions)[number]];

v3.tester.run("effect-no-escaping-errors (Effect 3: Runtime.run*)", rule, {
  valid: [
    {
      name: "Runtime.runPromiseExit and a handled Effect",
      filename: v3.filename,
      code: `
import { Effect, Runtime } from "effect";
import { AppRuntime } from "./runtime";
import { UserRepo } from "./services";
const program = UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1")), Effect.catchTag("UserNotFound", () => Effect.succeed(null)), Effect.orDie);
export const handler = async () => {
  const runtime = await AppRuntime.runtime();
  const exit = await Runtime.runPromiseExit(runtime)(UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1"))));
  return [exit, await Runtime.runPromise(runtime)(program)];
};
`,
    },
  ],
  invalid: [
    {
      name: "Runtime.runPromise(runtime)(effect), data-first, and as a pipe step; namespace import from effect/Runtime",
      filename: v3.filename,
      code: `
import { Effect } from "effect";
import * as Runtime from "effect/Runtime";
import { AppRuntime } from "./runtime";
import { UserRepo } from "./services";
const program = UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1")));
export const handler = async () => {
  const runtime = await AppRuntime.runtime();
  const a = await Runtime.runPromise(runtime)(program);
  const b = Runtime.runSync(runtime, program);
  const c = await program.pipe(Runtime.runPromise(runtime));
  return [a, b, c];
};
`,
      errors: [
        {
          messageId: "escapingErrors",
          line: 9,
          column: 19,
          endColumn: 46,
          data: {
            errors: "`DbError | UserNotFound`",
            verb: "escape",
            runner: "Runtime.runPromise",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped FiberFailure",
            alternative: ", or use `runPromiseExit`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runPromiseExit" },
              output: `
import { Effect } from "effect";
import * as Runtime from "effect/Runtime";
import { AppRuntime } from "./runtime";
import { UserRepo } from "./services";
const program = UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1")));
export const handler = async () => {
  const runtime = await AppRuntime.runtime();
  const a = await Runtime.runPromiseExit(runtime)(program);
  const b = Runtime.runSync(runtime, program);
  const c = await program.pipe(Runtime.runPromise(runtime));
  return [a, b, c];
};
`,
            },
          ],
        },
        {
          messageId: "escapingErrors",
          line: 10,
          column: 13,
          endColumn: 28,
          data: {
            errors: "`DbError | UserNotFound`",
            verb: "escape",
            runner: "Runtime.runSync",
            how: "as a thrown exception",
            consequence: "the caller sees an untyped FiberFailure",
            alternative: ", or use `runSyncExit`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runSyncExit" },
              output: `
import { Effect } from "effect";
import * as Runtime from "effect/Runtime";
import { AppRuntime } from "./runtime";
import { UserRepo } from "./services";
const program = UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1")));
export const handler = async () => {
  const runtime = await AppRuntime.runtime();
  const a = await Runtime.runPromise(runtime)(program);
  const b = Runtime.runSyncExit(runtime, program);
  const c = await program.pipe(Runtime.runPromise(runtime));
  return [a, b, c];
};
`,
            },
          ],
        },
        {
          messageId: "escapingErrors",
          line: 11,
          column: 32,
          endColumn: 59,
          data: {
            errors: "`DbError | UserNotFound`",
            verb: "escape",
            runner: "Runtime.runPromise",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped FiberFailure",
            alternative: ", or use `runPromiseExit`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runPromiseExit" },
              output: `
import { Effect } from "effect";
import * as Runtime from "effect/Runtime";
import { AppRuntime } from "./runtime";
import { UserRepo } from "./services";
const program = UserRepo.pipe(Effect.andThen((repo) => repo.byId("u_1")));
export const handler = async () => {
  const runtime = await AppRuntime.runtime();
  const a = await Runtime.runPromise(runtime)(program);
  const b = Runtime.runSync(runtime, program);
  const c = await program.pipe(Runtime.runPromiseExit(runtime));
  return [a, b, c];
};
`,
            },
          ],
        },
      ],
    },
  ],
});

v4.tester.run("effect-no-escaping-errors (Effect 4: run*With)", rule, {
  valid: [
    {
      name: "runPromiseExitWith, and runPromiseWith on a handled Effect",
      filename: v4.filename,
      code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
declare const queue: { on: (event: "job", listener: (job: { userId: string }) => Promise<unknown>) => void };
export const subscribe = Effect.gen(function* () {
  const services = yield* Effect.context<UserRepo>();
  const handle = (userId: string) => UserRepo.pipe(Effect.andThen((repo) => repo.byId(userId)));
  queue.on("job", (job) => Effect.runPromiseExitWith(services)(handle(job.userId)));
  queue.on("job", (job) => handle(job.userId).pipe(Effect.result, Effect.runPromiseWith(services)));
});
`,
    },
  ],
  invalid: [
    {
      name: "Effect.runPromiseWith(services)(effect) in an event listener",
      filename: v4.filename,
      code: `
import * as Effect from "effect/Effect";
import { UserRepo } from "./services";
declare const queue: { on: (event: "job", listener: (job: { userId: string }) => Promise<unknown>) => void };
export const subscribe = Effect.gen(function* () {
  const services = yield* Effect.context<UserRepo>();
  const handle = (userId: string) => UserRepo.pipe(Effect.andThen((repo) => repo.byId(userId)));
  queue.on("job", (job) => Effect.runPromiseWith(services)(handle(job.userId)));
});
`,
      errors: [
        {
          messageId: "escapingErrors",
          line: 8,
          column: 28,
          endColumn: 59,
          data: {
            errors: "`DbError | UserNotFound`",
            verb: "escape",
            runner: "Effect.runPromiseWith",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped FiberFailure",
            alternative: ", or use `runPromiseExitWith`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runPromiseExitWith" },
              output: `
import * as Effect from "effect/Effect";
import { UserRepo } from "./services";
declare const queue: { on: (event: "job", listener: (job: { userId: string }) => Promise<unknown>) => void };
export const subscribe = Effect.gen(function* () {
  const services = yield* Effect.context<UserRepo>();
  const handle = (userId: string) => UserRepo.pipe(Effect.andThen((repo) => repo.byId(userId)));
  queue.on("job", (job) => Effect.runPromiseExitWith(services)(handle(job.userId)));
});
`,
            },
          ],
        },
      ],
    },
  ],
});
