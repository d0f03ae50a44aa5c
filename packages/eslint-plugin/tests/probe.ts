import tsParser from "@typescript-eslint/parser";
import { TSESLint } from "@typescript-eslint/utils";

/**
 * Lints `code` as the file `filename` with a probe rule whose visitors `create` returns: how the
 * analysis tests ask a recogniser on real nodes. A parse error or a throw in the probe fails the
 * test instead of passing silently.
 */
export function lintWithProbe(
  code: string,
  filename: string,
  create: (context: Readonly<TSESLint.RuleContext<never, []>>) => TSESLint.RuleListener,
  settings: Record<string, unknown> = {},
): void {
  const rule: TSESLint.RuleModule<never> = { meta: { type: "problem", messages: {}, schema: [] }, defaultOptions: [], create };
  const messages = new TSESLint.Linter({ configType: "flat" }).verify(
    code,
    [
      {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: "latest", sourceType: "module", ecmaFeatures: { jsx: true } } },
        plugins: { probe: { rules: { probe: rule } } },
        rules: { "probe/probe": "error" },
        settings: { archlint: settings },
      },
    ],
    filename,
  );
  const fatal = messages.filter((m) => m.fatal || m.ruleId === "probe/probe");
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join("; "));
}
