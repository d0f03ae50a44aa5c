import rule from "../../src/rules/effect-no-floating.js";
import { effectVersionTesters, lintWithoutTypes } from "../rule-tester.js";

const versions = effectVersionTesters();

const LAYER = { 3: "UserRepo.Default", 4: "UserRepo.layer" } as const;

describe("effect-no-floating (no type information)", () => {
  it("fails with typescript-eslint's setup error instead of passing silently", () => {
    const code = `
import { Effect } from "effect";
Effect.log("dropped");
`;
    expect(() => lintWithoutTypes(rule, code)).toThrow(/You have used a rule which requires type information/);
  });
});

for (const { version, filename, tester } of versions) {
  const layer = LAYER[version as 3 | 4];
  tester.run(`effect-no-floating (Effect ${version})`, rule, {
    valid: [
      {
        name: "a Stream run into an Effect and yielded, kept in a const, or returned",
        filename,
        code: `
import { Effect, Stream } from "effect";

export const numbers = Stream.make(1, 2, 3);
export const drain = Effect.gen(function* () {
  yield* Stream.runDrain(numbers);
  const more = Stream.succeed(4);
  return yield* Stream.runCollect(more);
});
export const twice = () => Stream.concat(numbers, numbers);
`,
      },
      {
        name: "Effects yielded, returned, assigned, passed as arguments, and run",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
import { AppRuntime } from "./runtime";

export const syncUsers = (ids: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    yield* Effect.log("syncing", ids.length);
    const users = yield* Effect.forEach(ids, (id) => repo.byId(id), { concurrency: 4 });
    const later = repo.count;
    yield* Effect.all(ids.map((id) => repo.byId(id)));
    return { users, later };
  });

export const withLogging = syncUsers(["u_1"]).pipe(Effect.tap(() => Effect.log("done")));
Effect.runFork(syncUsers(["u_1"]).pipe(Effect.provide(${layer}), Effect.orDie));
AppRuntime.runFork(syncUsers(["u_2"]));
void AppRuntime.runPromise(Effect.log("started"));
`,
      },
      {
        name: "callbacks whose result is used: map, an Effect-returning callback, a Promise-returning listener",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
declare const queue: { on: (event: "job", listener: (id: string) => Promise<unknown> | void) => void };
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  const loads = ["a", "b"].map((id) => repo.byId(id));
  queue.on("job", (id) => Effect.runPromise(Effect.log(id)));
  return yield* Effect.all(loads);
});
`,
      },
      {
        name: "non-Effect values dropped: a promise, a plain call (other rules' business)",
        filename,
        code: `
import { Effect } from "effect";
declare function audit(event: string): Promise<void>;
declare const cache: Map<string, number>;
audit("boot");
cache.set("boot", Date.now());
["a"].forEach((id) => cache.delete(id));
export const ok = Effect.succeed(1);
`,
      },
    ],
    invalid: [
      {
        name: "a Stream created and dropped, inside Effect.gen and at the top level",
        filename,
        code: `
import { Effect, Stream } from "effect";

export const ticks = Effect.gen(function* () {
  Stream.make(1, 2, 3);
  return yield* Stream.runCollect(Stream.make(4, 5));
});
Stream.succeed(42);
`,
        errors: [
          { messageId: "floatingStream", line: 5, column: 3, endColumn: 23, data: { value: "Stream.make(1, 2, 3)" } },
          { messageId: "floatingStream", line: 8, column: 1, endColumn: 19, data: { value: "Stream.succeed(42)" } },
        ],
      },
      {
        name: "inside Effect.gen: an Effect.log and a repository call without yield*",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";

export const deactivate = (id: string) =>
  Effect.gen(function* () {
    const repo = yield* UserRepo;
    Effect.log("deactivating", id);
    repo.byId(id);
    return yield* repo.byId(id);
  });
`,
        errors: [
          { messageId: "floatingInGenerator", line: 8, column: 5, endColumn: 35, data: { value: 'Effect.log("deactivating", id)', api: "Effect.gen" } },
          { messageId: "floatingInGenerator", line: 9, column: 5, endColumn: 18, data: { value: "repo.byId(id)", api: "Effect.gen" } },
        ],
      },
      {
        name: "forEach and event-listener callbacks that throw the Effect away, and top-level dropped Effects",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
declare const events: { on: (event: "user.created", listener: (userId: string) => void) => void };

export const warmUp = Effect.gen(function* () {
  const repo = yield* UserRepo;
  ["u_1", "u_2"].forEach((id) => repo.byId(id));
  events.on("user.created", (userId) => Effect.log("created", userId));
  return yield* repo.count;
});
warmUp;
void Effect.log("boot");
`,
        errors: [
          { messageId: "discardedByCallback", line: 8, column: 34, endColumn: 47, data: { value: "repo.byId(id)", callee: '["u_1", "u_2"].forEach' } },
          { messageId: "discardedByCallback", line: 9, column: 41, endColumn: 70, data: { value: 'Effect.log("created", userId)', callee: "events.on" } },
          { messageId: "floatingEffect", line: 12, column: 1, endColumn: 7, data: { value: "warmUp" } },
          { messageId: "floatingEffect", line: 13, column: 6, endColumn: 24, data: { value: 'Effect.log("boot")' } },
        ],
      },
    ],
  });
}
