import path from "node:path";
import * as tsParser from "@typescript-eslint/parser";
import { RuleTester } from "@typescript-eslint/rule-tester";
import { Linter } from "eslint";
import { afterAll, describe, it } from "vitest";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** Syntax-only: the TypeScript parser, no type information (the `recommended` preset's setting). */
export const ruleTester = new RuleTester({
  languageOptions: { parserOptions: { ecmaVersion: "latest", sourceType: "module" } },
});

/**
 * Type-aware: typescript-eslint's project service over `tests/fixtures/typed` (its own tsconfig;
 * test code is linted as a file in that folder, so it can import the folder's other modules).
 */
export const typedFixturesDir = path.join(import.meta.dirname, "fixtures", "typed");
export const typedRuleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: { allowDefaultProject: ["*.ts*"] },
      tsconfigRootDir: typedFixturesDir,
    },
  },
});

export const typedFile = (name: string): string => path.join(typedFixturesDir, name);

/**
 * Type-aware testers over the Effect 3 and Effect 4 fixture projects (`fixtures/typed/effect3`,
 * `effect4`, each with its own tsconfig): every Effect rule runs its cases against both versions.
 */
export function effectVersionTesters(): Array<{ version: 3 | 4; filename: string; tester: RuleTester }> {
  return ([3, 4] as const).map((version) => {
    const dir = path.join(typedFixturesDir, `effect${version}`);
    return {
      version,
      filename: path.join(dir, "file.ts"),
      tester: new RuleTester({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dir } } }),
    };
  });
}

/**
 * Lints `code` with `rule` and the TypeScript parser but no project (the `recommended` preset's
 * parser setting): a `requiresTypeChecking` rule must throw typescript-eslint's setup error then.
 */
export function lintWithoutTypes(rule: Parameters<typeof ruleTester.run>[1], code: string): unknown {
  const linter = new Linter({ configType: "flat" });
  return linter.verify(
    code,
    [{ files: ["**/*.ts"], languageOptions: { parser: tsParser }, plugins: { test: { rules: { rule: rule as never } } }, rules: { "test/rule": "error" } }],
    "src/file.ts",
  );
}
