import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { effectRuns } from "../../src/analysis/libraries/effect.js";
import { lintWithProbe } from "../probe.js";

/** The runs `effectRuns` finds in `code`, as `line: runner (by signature)`, from a probe rule asking it on every call. */
function runs(code: string): string[] {
  const seen: string[] = [];
  lintWithProbe(code, "src/server/routers/billing.ts", (context) => ({
    CallExpression(call: TSESTree.CallExpression) {
      for (const run of effectRuns(context, call)) {
        seen.push(`${run.node.loc.start.line}: ${context.sourceCode.getText(run.node)}${run.runner.bySignature ? " (by signature)" : ""}`);
      }
    },
  }));
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
