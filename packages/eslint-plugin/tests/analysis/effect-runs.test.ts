import tsParser from "@typescript-eslint/parser";
import { TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { effectRuns } from "../../src/analysis/libraries/effect.js";

/** The runs `effectRuns` finds in `code`, as `line: runner (by signature)`, from a probe rule asking it on every call. */
function runs(code: string): string[] {
  const seen: string[] = [];
  const rule: TSESLint.RuleModule<never> = {
    meta: { type: "problem", messages: {}, schema: [] },
    defaultOptions: [],
    create(context) {
      return {
        CallExpression(call: TSESTree.CallExpression) {
          for (const run of effectRuns(context, call)) {
            seen.push(`${run.node.loc.start.line}: ${context.sourceCode.getText(run.node)}${run.runner.bySignature ? " (by signature)" : ""}`);
          }
        },
      };
    },
  };
  const messages = new TSESLint.Linter({ configType: "flat" }).verify(
    code,
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: "latest", sourceType: "module" } },
        plugins: { probe: { rules: { runs: rule } } },
        rules: { "probe/runs": "error" },
      },
    ],
    "src/server/routers/billing.ts",
  );
  const fatal = messages.filter((m) => m.fatal || m.ruleId === "probe/runs");
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join("; "));
  return seen;
}

describe("effectRuns: runners known only by their signature", () => {
  it("never takes a method of a tRPC procedure builder this file builds for one (asking its signature costs tRPC's inference)", () => {
    const code = `import { initTRPC } from "@trpc/server";
import { z } from "zod";
import { helpers } from "./helpers";
import { runPromise } from "./runtime";
import { adminProcedure } from "./nowhere";

const t = initTRPC.create();
const authed = t.procedure.use(isAuthed);
const schema = z.object({ id: z.string() });

export const billing = t.router({
  byId: authed.input(schema).query(({ input }) => runPromise(load(input.id))),
  admin: adminProcedure.input(schema).query(() => helpers.run(program)),
});
`;
    expect(runs(code)).toEqual([
      // t.procedure.use(isAuthed) and authed.input(schema): tRPC's builder, from this file's code.
      "12: runPromise (by signature)",
      // A builder known by its name only (its module cannot be read) is still asked about.
      "13: adminProcedure.input (by signature)",
      "13: helpers.run (by signature)",
    ]);
  });
});
