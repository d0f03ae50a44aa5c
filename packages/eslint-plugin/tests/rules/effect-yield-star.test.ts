import rule from "../../src/rules/effect-yield-star.js";
import { effectVersionTesters, ruleTester } from "../rule-tester.js";

const versions = effectVersionTesters();

ruleTester.run("effect-yield-star", rule, {
  valid: [
    {
      name: "yield* in Effect.gen, Effect.fn and Effect.fn(name)",
      code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  return yield* repo.byId("u_1");
});
export const byEmail = Effect.fn(function* (email: string) {
  const repo = yield* UserRepo;
  return yield* repo.create(email);
});
export const traced = Effect.fn("UserService.byId")(function* (id: string) {
  const repo = yield* UserRepo;
  return yield* repo.byId(id);
});
`,
    },
    {
      name: "a plain generator, a redux-saga and a co-style generator may yield without *",
      code: `
import { call, put } from "redux-saga/effects";
import co from "co";
export function* ids() {
  yield 1;
  yield 2;
}
export function* fetchUserSaga(action: { id: string }) {
  const user = yield call(fetch, "/users/" + action.id);
  yield put({ type: "USER_LOADED", user });
}
co(function* () {
  const res = yield Promise.resolve(1);
  return res;
});
`,
    },
    {
      name: "a generator nested in Effect.gen is not Effect's generator",
      code: `
import { Effect } from "effect";
export const program = Effect.gen(function* () {
  const ids = function* () {
    yield 1;
  };
  return [...ids()];
});
`,
    },
    {
      name: "gen from another library with the same name",
      code: `
import { gen } from "./my-gen";
export const x = gen(function* () {
  yield 1;
});
`,
    },
  ],
  invalid: [
    {
      name: "yield without * in Effect.gen: fixed by adding *",
      code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield UserRepo;
  yield Effect.log("loading user");
  return yield* repo.byId("u_1");
});
`,
      output: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  yield* Effect.log("loading user");
  return yield* repo.byId("u_1");
});
`,
      errors: [
        { messageId: "missingStar", line: 5, column: 16, endColumn: 30, data: { api: "Effect.gen", value: "UserRepo" } },
        { messageId: "missingStar", line: 6, column: 3, endColumn: 35, data: { api: "Effect.gen", value: 'Effect.log("loading user")' } },
      ],
    },
    {
      name: "namespace import from effect/Effect, an alias, Effect.fn(name) and Effect.fnUntraced",
      code: `
import * as Eff from "effect/Effect";
import { fnUntraced } from "effect/Effect";
export const byId = Eff.fn("UserService.byId")(function* (id: string) {
  const user = yield loadUser(id);
  return user;
});
export const raw = fnUntraced(function* () {
  yield Eff.sleep("1 second");
});
`,
      output: `
import * as Eff from "effect/Effect";
import { fnUntraced } from "effect/Effect";
export const byId = Eff.fn("UserService.byId")(function* (id: string) {
  const user = yield* loadUser(id);
  return user;
});
export const raw = fnUntraced(function* () {
  yield* Eff.sleep("1 second");
});
`,
      errors: [
        { messageId: "missingStar", line: 5, column: 16, data: { api: "Eff.fn", value: "loadUser(id)" } },
        { messageId: "missingStar", line: 9, column: 3, data: { api: "fnUntraced", value: 'Eff.sleep("1 second")' } },
      ],
    },
    {
      name: "Effect.gen with a self argument (a class method) and the root namespace import",
      code: `
import * as effect from "effect";
export class UserService {
  readonly prefix = "user:";
  byId(id: string) {
    return effect.Effect.gen({ self: this }, function* () {
      return yield effect.Effect.succeed(this.prefix + id);
    });
  }
}
`,
      output: `
import * as effect from "effect";
export class UserService {
  readonly prefix = "user:";
  byId(id: string) {
    return effect.Effect.gen({ self: this }, function* () {
      return yield* effect.Effect.succeed(this.prefix + id);
    });
  }
}
`,
      errors: [{ messageId: "missingStar", line: 7, column: 14, data: { api: "effect.Effect.gen", value: "effect.Effect.succeed(this.prefix + id)" } }],
    },
    {
      name: "a bare yield is reported without a fix",
      code: `
import { Effect } from "effect";
export const tick = Effect.gen(function* () {
  yield;
});
`,
      output: null,
      errors: [{ messageId: "missingStar", line: 4, column: 3, endColumn: 8 }],
    },
  ],
});

for (const { version, filename, tester } of versions) {
  tester.run(`effect-yield-star (Effect ${version}, typed)`, rule, {
    valid: [
      {
        name: "a service built with yield*",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  const user = yield* repo.byId("u_1");
  yield* Effect.log("loaded", user.id);
  return user;
});
`,
      },
    ],
    invalid: [
      {
        name: "yield without * on a service and on a repository call",
        filename,
        code: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  const user = yield repo.byId("u_1");
  return user;
});
`,
        output: `
import { Effect } from "effect";
import { UserRepo } from "./services";
export const program = Effect.gen(function* () {
  const repo = yield* UserRepo;
  const user = yield* repo.byId("u_1");
  return user;
});
`,
        errors: [{ messageId: "missingStar", line: 6, column: 16, endColumn: 38, data: { api: "Effect.gen", value: 'repo.byId("u_1")' } }],
      },
    ],
  });
}
