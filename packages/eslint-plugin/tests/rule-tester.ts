import path from "node:path";
import { RuleTester } from "@typescript-eslint/rule-tester";
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
