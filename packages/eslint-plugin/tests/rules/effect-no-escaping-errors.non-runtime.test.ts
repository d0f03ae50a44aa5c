import path from "node:path";
import { RuleTester } from "@typescript-eslint/rule-tester";
import rule from "../../src/rules/effect-no-escaping-errors.js";
import { typedFixturesDir } from "../rule-tester.js";

/**
 * Tests, seeds and scripts run Effects too, and a failure there fails the test or stops the script,
 * which is what they want: the rule skips them. The files sit in folders of the Effect fixture
 * projects (`src/server/`, `scripts/`), typed through the project's tsconfig as a default project.
 * A file of its own because typescript-eslint keeps one project service per process, and the other
 * Effect tests' service has no default project.
 */
const ESCAPES = `import { Data, Effect } from "effect";

class PaymentDeclined extends Data.TaggedError("PaymentDeclined")<{ readonly orderId: string }> {}
const charge = (orderId: string) => Effect.fail(new PaymentDeclined({ orderId }));

export const settle = (orderId: string) => Effect.runPromise(charge(orderId));
`;

const escapes = {
  messageId: "escapingErrors",
  line: 6,
  column: 44,
  data: {
    errors: "`PaymentDeclined`",
    verb: "escapes",
    runner: "Effect.runPromise",
    layer: "",
    how: "as a rejected Promise",
    consequence: "the caller sees an untyped error",
    handle: "`Effect.catchTags({ PaymentDeclined: (e) => ... })`",
    alternative: ", or use `runPromiseExit`",
  },
  suggestions: [{ messageId: "useExitRunner", data: { exit: "runPromiseExit" }, output: ESCAPES.replace("Effect.runPromise(", "Effect.runPromiseExit(") }],
} as const;

const tester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: { allowDefaultProject: ["*/*.ts", "*/*/*.ts"], defaultProject: "tsconfig.json" },
      tsconfigRootDir: path.join(typedFixturesDir, "effect4"),
    },
  },
});

tester.run("effect-no-escaping-errors (non-runtime files)", rule, {
  valid: [
    { name: "a test", filename: "src/__tests__/billing.test.ts", code: ESCAPES },
    { name: "a seed", filename: "prisma/seed.ts", code: ESCAPES },
    { name: "a script", filename: "scripts/backfill.ts", code: ESCAPES },
    {
      name: "settings.archlint.nonRuntime names the non-runtime files",
      filename: "tools/backfill.ts",
      code: ESCAPES,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
    },
  ],
  invalid: [
    { name: "the same run in server code is reported", filename: "src/server/billing.ts", code: ESCAPES, errors: [escapes] },
    {
      name: "settings.archlint.nonRuntime replaces the default list: a script is reported",
      filename: "scripts/backfill.ts",
      code: ESCAPES,
      settings: { archlint: { nonRuntime: ["tools/**"] } },
      errors: [escapes],
    },
  ],
});
