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
const RETHROWING =
  "a runner that rethrows the failure itself (`AppRuntime.runPromiseExit`, then `throw Cause.squash(exit.cause)` on failure, in one helper the handlers share)";
const V = {
  3: {
    catchAll: "catchAll",
    either: "either",
    untyped: "the caller sees an untyped FiberFailure",
    handleUntagged: "`Effect.catchAll`",
    // Effect 3's runners reject with a FiberFailure: the error a framework understands arrives wrapped.
    rethrowTrpc: `; \`AppRuntime.runPromise\` would then reject with a FiberFailure that hides the \`TRPCError\` from tRPC, so run it with ${RETHROWING}`,
    rethrowFastify: `; \`AppRuntime.runPromise\` would then reject with a FiberFailure that hides the error from Fastify, so run it with ${RETHROWING}`,
  },
  4: {
    catchAll: "catch",
    either: "result",
    untyped: "the caller sees an untyped error",
    handleUntagged: "`Effect.catch`",
    // Effect 4's runners reject with the failure itself.
    rethrowTrpc: "",
    rethrowFastify: "",
  },
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
        name: "best-effort runs whose rejection is handled at the call: .catch, or .then's second callback, that do not rethrow",
        filename,
        code: `${PROGRAM}
export function recordSignup(email: string): void {
  AppRuntime.runPromise(createUser(email)).catch((error) => {
    console.warn("signup record skipped", error);
  });
  void runPromise(loadUser("u_1")).then(
    (user) => console.info(user.email),
    () => undefined,
  );
}
`,
      },
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
              layer: "",
              how: "as a rejected Promise",
              consequence: v.untyped,
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
        name: "near miss: a .catch at the call that logs and rethrows lets the failure reach the caller",
        filename,
        code: `${PROGRAM}
export async function shutdown(): Promise<void> {
  await AppRuntime.runPromise(loadUser("u_1")).catch((error) => {
    console.error("shutdown failed", error);
    throw error;
  });
}
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 17,
            column: 9,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              layer: "",
              how: "as a rejected Promise",
              consequence: v.untyped,
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
              alternative: ", or use `runPromiseExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runPromiseExit" },
                output: `${PROGRAM}
export async function shutdown(): Promise<void> {
  await AppRuntime.runPromiseExit(loadUser("u_1")).catch((error) => {
    console.error("shutdown failed", error);
    throw error;
  });
}
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
              layer: "",
              how: "as a rejected Promise",
              consequence: v.untyped,
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
              layer: "",
              how: "as a thrown exception",
              consequence: v.untyped,
              handle: v.handleUntagged,
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
              layer: "",
              how: "into a fiber nobody observes",
              consequence: "the failure is lost unless the fiber is joined",
              handle: "`Effect.catchTags({ DbError: (e) => ..., InvalidEmail: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ DbError: (e) => ..., InvalidEmail: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ DbError: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ ApiError: (e) => ... })`",
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
              layer: "",
              how: "as a rejected Promise",
              consequence: "the caller sees an untyped error",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "runPromise",
              layer: "",
              boundary: "user.byId",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
              rethrow: "",
            },
          },
          {
            messageId: "escapingErrorsTrpc",
            line: 22,
            column: 27,
            data: {
              errors: "`DbError | InvalidEmail`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              layer: "",
              boundary: "user.create",
              handle: "`Effect.catchTags({ DbError: (e) => ..., InvalidEmail: (e) => ... })`",
              rethrow: v.rethrowTrpc,
            },
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
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              layer: "",
              boundary: "GET /users/:id",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
              rethrow: v.rethrowFastify,
            },
          },
          {
            messageId: "escapingErrors",
            line: 22,
            column: 18,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runPromise",
              layer: "",
              how: "as a rejected Promise",
              consequence: v.untyped,
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
            layer: "",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped FiberFailure",
            handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
            layer: "",
            how: "as a thrown exception",
            consequence: "the caller sees an untyped FiberFailure",
            handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
            layer: "",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped FiberFailure",
            handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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
            layer: "",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped error",
            handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
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

/** The data of a run that is not at a framework boundary, for the app's own runners (no Exit twin). */
function projectRun(errors: string, runner: string, how: "promise" | "sync", handle: string) {
  return {
    errors,
    verb: errors.includes(" | ") || errors.includes(" more") ? "escape" : "escapes",
    runner,
    layer: "",
    how: how === "promise" ? "as a rejected Promise" : "as a thrown exception",
    consequence: "the caller sees an untyped error",
    handle,
    alternative: "",
  };
}

for (const { version, filename, tester } of versions) {
  const v = V[version as 3 | 4];
  tester.run(`effect-no-escaping-errors (Effect ${version}): what runs an Effect`, rule, {
    valid: [
      {
        name: "a curried combinator (takes an Effect, returns a function) runs nothing, as a pipe step or applied",
        filename,
        code: `${PROGRAM}
import { ApiError } from "./errors";
const requireAdmin = (role: string) => (role === "admin" ? Effect.void : Effect.fail(new ApiError({ status: 403, message: "admins only" })));
const withPolicy =
  <E>(policy: Effect.Effect<void, E>) =>
  <A, E2, R>(self: Effect.Effect<A, E2, R>) =>
    Effect.andThen(policy, self);
export const adminView = (role: string) => loadUser("u_1").pipe(withPolicy(requireAdmin(role)));
export const adminCount = (role: string) => withPolicy(requireAdmin(role))(UserRepo.pipe(Effect.andThen((repo) => repo.count)));
`,
      },
      {
        name: "functions of an Effect that return a Stream, a Layer or a Fiber keep the failure typed",
        filename,
        code: `
import { Effect, Fiber, Layer, Stream } from "effect";
import { ApiError } from "./errors";
const ping = Effect.fail(new ApiError({ status: 503, message: "down" }));
declare function poll<A, E, R>(effect: Effect.Effect<A, E, R>): Stream.Stream<A, E, R>;
declare function asLayer<E, R>(effect: Effect.Effect<void, E, R>): Layer.Layer<never, E, R>;
declare function inBackground<A, E>(effect: Effect.Effect<A, E>): Fiber.Fiber<A, E>;
export const polled = poll(ping);
export const layer = asLayer(ping);
export const fiber = inBackground(ping);
`,
      },
      {
        name: "a tagged error handed to a function declared to take an error (not an Effect) is not a run",
        filename,
        code: `
import { Data } from "effect";
import { ApiError, UserNotFound } from "./errors";
class UploadError extends Data.TaggedError("UploadError")<{ readonly file: string }> {
  static toObject(error: UploadError) {
    return { tag: error._tag, file: error.file };
  }
}
const statusOf = (error: ApiError) => error.status;
const isApiError = (error: UserNotFound | ApiError): error is ApiError => error._tag === "ApiError";
const upload = new UploadError({ file: "avatar.png" });
const unavailable = new ApiError({ status: 503, message: "down" });
export const status = statusOf(unavailable);
export const logged = UploadError.toObject(upload);
export const known = isApiError(unavailable);
`,
      },
      {
        name: "through this: a method that returns an Effect, a runner given an Effect that cannot fail, this of a plain function",
        filename,
        code: `${PROGRAM}
export class UserClient {
  private execute = <A, E>(program: Effect.Effect<A, E, UserRepo>): Promise<A> => Effect.runPromise(program.pipe(Effect.provide(AppLayer)));
  private traced<A, E, R>(program: Effect.Effect<A, E, R>) {
    return program.pipe(Effect.withSpan("UserClient"));
  }
  count() {
    return this.execute(UserRepo.pipe(Effect.andThen((repo) => repo.count)));
  }
  user(id: string) {
    return this.traced(loadUser(id));
  }
  strictUser(id: string) {
    return this.execute(loadUser(id).pipe(Effect.orDie));
  }
}
export function legacyClient(this: { execute: (effect: unknown) => Promise<unknown> }) {
  return this.execute(loadUser("u_1"));
}
`,
      },
    ],
    invalid: [
      {
        name: "a function that takes an Effect and returns a Promise is a runner, even when it takes a policy",
        filename,
        code: `${PROGRAM}
const runGuarded = <E>(policy: Effect.Effect<void, E>): Promise<void> => Effect.runPromise(policy);
export const checked = runGuarded(Effect.fail("forbidden"));
`,
        errors: [{ messageId: "escapingErrors", line: 17, column: 24, endColumn: 34, data: projectRun("`string`", "runGuarded", "promise", v.handleUntagged) }],
      },
      {
        name: "a tagged error given to a function declared to take an Effect is run: it fails with itself",
        filename,
        code: `
import { ApiError } from "./errors";
import { runSync } from "./runtime";
const unavailable = new ApiError({ status: 503, message: "down" });
export const status = runSync(unavailable);
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 5,
            column: 23,
            data: projectRun("`ApiError`", "runSync", "sync", "`Effect.catchTags({ ApiError: (e) => ... })`"),
          },
        ],
      },
      {
        name: "runners kept in a class field or method and called through this",
        filename,
        code: `${PROGRAM}
export class BillingClient {
  private executeAsync = <A, E>(program: Effect.Effect<A, E, UserRepo>): Promise<A> => Effect.runPromise(program.pipe(Effect.provide(AppLayer)));
  private settle<A, E>(program: Effect.Effect<A, E>): A {
    return Effect.runSync(program);
  }
  user(id: string) {
    return this.executeAsync(loadUser(id));
  }
  total() {
    return this.settle(Effect.fail("no ledger"));
  }
}
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 22,
            column: 12,
            endColumn: 29,
            data: projectRun(
              "`DbError | UserNotFound`",
              "this.executeAsync",
              "promise",
              "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
            ),
          },
          { messageId: "escapingErrors", line: 25, column: 12, endColumn: 23, data: projectRun("`string`", "this.settle", "sync", v.handleUntagged) },
        ],
      },
    ],
  });

  const CONFIG = `import { Data, Effect } from "effect";
import { DbError, UserNotFound } from "./errors";

class MissingKey extends Data.TaggedError("MissingKey")<{ readonly key: string }> {}
class BadValue extends Data.TaggedError("BadValue")<{ readonly key: string }> {}
type ConfigError = MissingKey | BadValue;

declare const loadConfig: Effect.Effect<string, ConfigError>;
declare const queryUsers: Effect.Effect<string[], DbError>;
const startup = Effect.gen(function* () {
  yield* loadConfig;
  return yield* queryUsers;
});
`;
  /** An `Effect.runPromise` at `line`:`column` of `code`, whose suggestion renames it to `runPromiseExit`. */
  const effectRun = (code: string, line: number, column: number, errors: string, handle: string) => {
    const lines = code.split("\n");
    const at = lines[line - 1]!;
    expect(at.slice(column - 1).startsWith("Effect.runPromise")).toBe(true);
    lines[line - 1] = `${at.slice(0, column - 1)}Effect.runPromiseExit${at.slice(column - 1 + "Effect.runPromise".length)}`;
    return {
      messageId: "escapingErrors" as const,
      line,
      column,
      data: {
        errors,
        verb: errors.includes(" | ") ? "escape" : "escapes",
        runner: "Effect.runPromise",
        layer: "",
        how: "as a rejected Promise",
        consequence: v.untyped,
        handle,
        alternative: ", or use `runPromiseExit`",
      },
      suggestions: [{ messageId: "useExitRunner" as const, data: { exit: "runPromiseExit" }, output: lines.join("\n") }],
    };
  };
  const ALIASES = `${CONFIG}
export const config = await Effect.runPromise(loadConfig);
export const started = await Effect.runPromise(startup);
export const lenient = await startup.pipe(Effect.catchTags({ MissingKey: () => Effect.succeed([]) }), Effect.runPromise);
`;
  const MANY = `${CONFIG}
class RateLimited extends Data.TaggedError("RateLimited") {}
class Timeout extends Data.TaggedError("Timeout") {}
declare const sync: Effect.Effect<void, ConfigError | DbError | UserNotFound | RateLimited | Timeout>;
export const synced = await Effect.runPromise(sync);
`;
  const UNTAGGED = `${CONFIG}
declare const exportUsers: Effect.Effect<void, Error | DbError>;
export const exported = await Effect.runPromise(exportUsers);
`;

  tester.run(`effect-no-escaping-errors (Effect ${version}): errors named as the code names them`, rule, {
    valid: [
      {
        name: "catchTags covering every member of a union alias",
        filename,
        code: `${CONFIG}
export const config = await loadConfig.pipe(Effect.catchTags({ MissingKey: () => Effect.succeed(""), BadValue: () => Effect.succeed("") }), Effect.runPromise);
`,
      },
    ],
    invalid: [
      {
        name: "a union alias keeps its name, alone or beside other errors; catchTags names the tags that still escape",
        filename,
        code: ALIASES,
        errors: [
          effectRun(ALIASES, 15, 29, "`ConfigError`", "`Effect.catchTags({ MissingKey: (e) => ..., BadValue: (e) => ... })`"),
          effectRun(ALIASES, 16, 30, "`ConfigError | DbError`", "`Effect.catchTags({ MissingKey: (e) => ..., BadValue: (e) => ..., DbError: (e) => ... })`"),
          effectRun(ALIASES, 17, 103, "`BadValue | DbError`", "`Effect.catchTags({ BadValue: (e) => ..., DbError: (e) => ... })`"),
        ],
      },
      {
        name: "more than four errors: four are named, and how many more; catchTags still names every tag",
        filename,
        code: MANY,
        errors: [
          effectRun(
            MANY,
            18,
            29,
            "`ConfigError | DbError | RateLimited | Timeout` and 1 more",
            "`Effect.catchTags({ MissingKey: (e) => ..., BadValue: (e) => ..., DbError: (e) => ..., RateLimited: (e) => ..., Timeout: (e) => ..., UserNotFound: (e) => ... })`",
          ),
        ],
      },
      {
        name: "an error without a _tag: the catch-all of the version beside catchTags",
        filename,
        code: UNTAGGED,
        errors: [
          effectRun(UNTAGGED, 16, 31, "`DbError | Error`", `\`Effect.catchTags({ DbError: (e) => ... })\` and, for the untagged ones, ${v.handleUntagged}`),
        ],
      },
    ],
  });

  const BOUNDARY = `${PROGRAM}
import { TRPCError } from "@trpc/server";
import Fastify from "fastify";
import { z } from "zod";
import { ApiError, DbError } from "./errors";
import { publicProcedure, router } from "./trpc";

const asTrpc = (id: string) =>
  loadUser(id).pipe(
    Effect.catchTags({
      UserNotFound: (e) => Effect.fail(new TRPCError({ code: "NOT_FOUND", cause: e })),
      DbError: (e) => Effect.fail(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: e })),
    }),
  );
class Forbidden extends TRPCError {
  constructor() {
    super({ code: "FORBIDDEN" });
  }
}
declare const requireOwner: Effect.Effect<void, Forbidden>;
declare const partlyMapped: (id: string) => Effect.Effect<string, TRPCError | DbError, UserRepo>;
class Conflict extends Data.TaggedError("Conflict")<{ readonly statusCode: 409; readonly message: string }> {}
class MovedTo extends Data.TaggedError("MovedTo")<{ readonly statusCode: 302; readonly location: string }> {}
declare const rename: Effect.Effect<void, Conflict | ApiError, UserRepo>;
declare const resolveLink: Effect.Effect<string, MovedTo, UserRepo>;
const app = Fastify();
`;
  const trpcData = (errors: string, runner: string, boundary: string, handle: string, rethrow = "") => ({
    errors,
    verb: errors.includes(" | ") ? "escape" : "escapes",
    runner,
    layer: "",
    boundary,
    handle,
    rethrow,
  });

  tester.run(`effect-no-escaping-errors (Effect ${version}): errors the framework understands`, rule, {
    valid: [
      {
        name: "a TRPCError (or a subclass) escaping the app's runner is what tRPC answers with its code",
        filename,
        code: `${BOUNDARY.replace('import { Effect, pipe } from "effect";', 'import { Data, Effect, pipe } from "effect";')}
export const userRouter = router({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => asTrpc(input.id).pipe(runPromise)),
  remove: publicProcedure.mutation(async () => {
    await runPromise(requireOwner);
    return { ok: true };
  }),
});
`,
      },
      {
        name: "errors with a 4xx/5xx statusCode or status escaping the app's runner in a Fastify route: Fastify answers with it",
        filename,
        code: `${BOUNDARY.replace('import { Effect, pipe } from "effect";', 'import { Data, Effect, pipe } from "effect";')}
app.put("/users/:id/name", async () => rename.pipe(runPromise));
`,
      },
    ],
    invalid: [
      {
        name: "beside a TRPCError, only the error tRPC does not understand is named",
        filename,
        code: `${BOUNDARY.replace('import { Effect, pipe } from "effect";', 'import { Data, Effect, pipe } from "effect";')}
export const userRouter = router({
  byId: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => partlyMapped(input.id).pipe(runPromise)),
  byIdRuntime: publicProcedure.input(z.object({ id: z.string() })).query(({ input }) => AppRuntime.runPromise(partlyMapped(input.id))),
});
`,
        errors: [
          {
            messageId: "escapingErrorsTrpc",
            line: 43,
            column: 110,
            data: trpcData("`DbError`", "runPromise", "user.byId", "`Effect.catchTags({ DbError: (e) => ... })`"),
          },
          {
            messageId: "escapingErrorsTrpc",
            line: 44,
            column: 89,
            data: trpcData("`DbError`", "AppRuntime.runPromise", "user.byIdRuntime", "`Effect.catchTags({ DbError: (e) => ... })`", v.rethrowTrpc),
          },
        ],
      },
      {
        name: "a redirect status is not an error status: Fastify would answer 500",
        filename,
        code: `${BOUNDARY.replace('import { Effect, pipe } from "effect";', 'import { Data, Effect, pipe } from "effect";')}
app.get("/l/:slug", async () => resolveLink.pipe(runPromise));
`,
        errors: [
          {
            messageId: "escapingErrorsFastify",
            line: 42,
            column: 50,
            data: trpcData("`MovedTo`", "runPromise", "GET /l/:slug", "`Effect.catchTags({ MovedTo: (e) => ... })`"),
          },
        ],
      },
      {
        name: "a fiber forked in a resolver: its failure never reaches tRPC, so the plain message",
        filename,
        code: `${BOUNDARY.replace('import { Effect, pipe } from "effect";', 'import { Data, Effect, pipe } from "effect";')}
export const userRouter = router({
  warm: publicProcedure.mutation(() => {
    AppRuntime.runFork(loadUser("u_1"));
    return { ok: true };
  }),
});
`,
        errors: [
          {
            messageId: "escapingErrors",
            line: 44,
            column: 5,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "AppRuntime.runFork",
              layer: "",
              how: "into a fiber nobody observes",
              consequence: "the failure is lost unless the fiber is joined",
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
              alternative: "",
            },
            suggestions: [],
          },
        ],
      },
    ],
  });
}

const WRAPPED = `${PROGRAM}
import { TRPCError } from "@trpc/server";
import Fastify from "fastify";
import { ApiError } from "./errors";
import { publicProcedure, router } from "./trpc";

declare const archive: Effect.Effect<void, TRPCError, UserRepo>;
declare const rename: Effect.Effect<void, ApiError, UserRepo>;
`;

v3.tester.run("effect-no-escaping-errors (Effect 3: runners that wrap the failure)", rule, {
  valid: [],
  invalid: [
    {
      name: "a TRPCError through Effect 3's own runner reaches tRPC inside a FiberFailure",
      filename: v3.filename,
      code: `${WRAPPED}
export const userRouter = router({
  archive: publicProcedure.mutation(() => AppRuntime.runPromise(archive)),
});
`,
      errors: [
        {
          messageId: "wrappedErrorsTrpc",
          line: 25,
          column: 43,
          data: {
            errors: "`TRPCError`",
            verb: "escapes",
            runner: "AppRuntime.runPromise",
            layer: "",
            boundary: "user.archive",
            wrapper: "FiberFailure",
            rethrowing:
              "a runner that rethrows the failure itself (`AppRuntime.runPromiseExit`, then `throw Cause.squash(exit.cause)` on failure, in one helper the handlers share)",
          },
        },
      ],
    },
    {
      name: "an error with a status through Effect 3's Effect.runPromise reaches Fastify inside a FiberFailure",
      filename: v3.filename,
      code: `${WRAPPED}
const app = Fastify();
app.put("/users/:id/name", async () => Effect.runPromise(rename.pipe(Effect.provide(AppLayer))));
`,
      errors: [
        {
          messageId: "wrappedErrorsFastify",
          line: 25,
          column: 40,
          endColumn: 57,
          data: {
            errors: "`ApiError`",
            verb: "escapes",
            runner: "Effect.runPromise",
            layer: "",
            boundary: "PUT /users/:id/name",
            wrapper: "FiberFailure",
            rethrowing:
              "a runner that rethrows the failure itself (`Effect.runPromiseExit`, then `throw Cause.squash(exit.cause)` on failure, in one helper the handlers share)",
          },
        },
      ],
    },
  ],
});

v4.tester.run("effect-no-escaping-errors (Effect 4: runners throw the failure itself)", rule, {
  valid: [
    {
      name: "a TRPCError through Effect 4's own runners reaches tRPC as it is; an error with a status reaches Fastify as it is",
      filename: v4.filename,
      code: `${WRAPPED}
export const userRouter = router({
  archive: publicProcedure.mutation(() => AppRuntime.runPromise(archive)),
});
const app = Fastify();
app.put("/users/:id/name", async () => Effect.runPromise(rename.pipe(Effect.provide(AppLayer))));
`,
    },
  ],
  invalid: [],
});

const MICRO = `import { Micro } from "effect";
import * as M from "effect/Micro";

class Timeout extends Micro.TaggedError("Timeout")<{ readonly ms: number }> {}
const ping = Micro.fail(new Timeout({ ms: 500 }));
`;

v3.tester.run("effect-no-escaping-errors (Effect 3: Micro)", rule, {
  valid: [
    {
      name: "Micro's Exit runners, and a Micro whose failure is handled",
      filename: v3.filename,
      code: `${MICRO}
export const a = await Micro.runPromiseExit(ping);
export const b = Micro.runSyncExit(ping);
export const c = await Micro.runPromise(ping.pipe(Micro.orElseSucceed(() => "timed out")));
`,
    },
  ],
  invalid: [
    {
      name: "Micro.runPromise, Micro.runSync and runFork from effect/Micro, like Effect.run*",
      filename: v3.filename,
      code: `${MICRO}
export const a = await Micro.runPromise(ping);
export const b = Micro.runSync(ping);
export const c = M.runFork(ping);
`,
      errors: [
        {
          messageId: "escapingErrors",
          line: 7,
          column: 24,
          endColumn: 40,
          data: {
            errors: "`Timeout`",
            verb: "escapes",
            runner: "Micro.runPromise",
            layer: "",
            how: "as a rejected Promise",
            consequence: "the caller sees an untyped MicroCause",
            handle: '`Micro.catchTag("Timeout", (e) => ...)`',
            alternative: ", or use `runPromiseExit`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runPromiseExit" },
              output: `${MICRO}
export const a = await Micro.runPromiseExit(ping);
export const b = Micro.runSync(ping);
export const c = M.runFork(ping);
`,
            },
          ],
        },
        {
          messageId: "escapingErrors",
          line: 8,
          column: 18,
          data: {
            errors: "`Timeout`",
            verb: "escapes",
            runner: "Micro.runSync",
            layer: "",
            how: "as a thrown exception",
            consequence: "the caller sees an untyped MicroCause",
            handle: '`Micro.catchTag("Timeout", (e) => ...)`',
            alternative: ", or use `runSyncExit`",
          },
          suggestions: [
            {
              messageId: "useExitRunner",
              data: { exit: "runSyncExit" },
              output: `${MICRO}
export const a = await Micro.runPromise(ping);
export const b = Micro.runSyncExit(ping);
export const c = M.runFork(ping);
`,
            },
          ],
        },
        {
          messageId: "escapingErrors",
          line: 9,
          column: 18,
          endColumn: 27,
          data: {
            errors: "`Timeout`",
            verb: "escapes",
            runner: "M.runFork",
            layer: "",
            how: "into a fiber nobody observes",
            consequence: "the failure is lost unless the fiber is joined",
            handle: '`Micro.catchTag("Timeout", (e) => ...)`',
            alternative: "",
          },
          suggestions: [],
        },
      ],
    },
  ],
});

/** A runtime whose layer can fail while it is built (issue #13 item 6). */
const LAYERED = `import { Config, Data, Effect, Layer, ManagedRuntime } from "effect";
import { AppLayer, UserRepo } from "./services";

class MigrationsPending extends Data.TaggedError("MigrationsPending")<{ readonly count: number }> {}
const Migrations = Layer.effectDiscard(Effect.fail(new MigrationsPending({ count: 2 })));
const lookup = (id: string) => Effect.flatMap(UserRepo, (repo) => repo.byId(id));
`;

for (const { version, filename, tester } of versions) {
  const v = V[version as 3 | 4];
  const handle = version === 3 ? "`Layer.catchAll`" : "`Layer.catchTag` or `Layer.catchCause`";
  const layerFinding = (line: number, column: number, runtime: string, errors: string) => ({
    messageId: "layerErrors" as const,
    line,
    column,
    data: { runtime, errors, them: "it", handle },
  });
  tester.run(`effect-no-escaping-errors (Effect ${version}): ManagedRuntime layers`, rule, {
    valid: [
      {
        name: "a layer that cannot fail, one whose failure is made a defect, and an allowed start-up error",
        filename,
        code: `${LAYERED}
export const Plain = ManagedRuntime.make(AppLayer);
export const Strict = ManagedRuntime.make(Layer.merge(AppLayer, Layer.orDie(Migrations)));
export const count = await Plain.runPromise(Effect.succeed(1));
`,
      },
      {
        name: "the allow option covers a layer's error too",
        filename,
        options: [{ allow: ["MigrationsPending"] }],
        code: `${LAYERED}
export const Booting = ManagedRuntime.make(Layer.merge(AppLayer, Migrations));
export const n = await Booting.runPromise(Effect.succeed(1));
`,
      },
    ],
    invalid: [
      {
        name: "reported once at ManagedRuntime.make; a run whose program cannot fail is not reported again",
        filename,
        code: `${LAYERED}
export const Booting = ManagedRuntime.make(Layer.merge(AppLayer, Migrations));
export const n = await Booting.runPromise(Effect.succeed(1));
export const m = Booting.runSync(Effect.succeed(2));
`,
        errors: [layerFinding(8, 24, "Booting", "`MigrationsPending`")],
      },
      {
        name: "a run with its own errors names them and adds the layer's",
        filename,
        code: `${LAYERED}
const Booting = ManagedRuntime.make(Layer.merge(AppLayer, Migrations));
export const user = await Booting.runPromise(lookup("u_1"));
`,
        errors: [
          layerFinding(8, 17, "Booting", "`MigrationsPending`"),
          {
            messageId: "escapingErrors",
            line: 9,
            column: 27,
            data: {
              errors: "`DbError | UserNotFound`",
              verb: "escape",
              runner: "Booting.runPromise",
              layer: " (and the runtime's layer can fail with `MigrationsPending`, reported at its `ManagedRuntime.make`)",
              how: "as a rejected Promise",
              consequence: v.untyped,
              handle: "`Effect.catchTags({ DbError: (e) => ..., UserNotFound: (e) => ... })`",
              alternative: ", or use `runPromiseExit`",
            },
            suggestions: [
              {
                messageId: "useExitRunner",
                data: { exit: "runPromiseExit" },
                output: `${LAYERED}
const Booting = ManagedRuntime.make(Layer.merge(AppLayer, Migrations));
export const user = await Booting.runPromiseExit(lookup("u_1"));
`,
              },
            ],
          },
        ],
      },
      {
        name: "Config errors are named ConfigError, and a runtime kept in a class field is named by its field",
        filename,
        code: `${LAYERED}
const Port = Layer.effectDiscard(Effect.gen(function* () {
  yield* ${version === 3 ? 'Config.number("PORT")' : 'Config.Port("PORT")'};
}));
export class Server {
  readonly runtime = ManagedRuntime.make(Layer.merge(AppLayer, Port));
}
`,
        errors: [layerFinding(12, 22, "runtime", "`ConfigError`")],
      },
    ],
  });
}
