/**
 * Issue #17's reference for a type-aware run: one rule that asks the type checker the type of every
 * call's callee (`getTypeAtLocation`), reporting nothing. archlint's type-aware rules are judged
 * against it (bench/scale/run.mjs, live.mjs): a rule set that asks less than this should cost less.
 */

/** An ESLint flat config (module text) with only the reference rule, on `**\/*.ts` with `languageOptions` (source text). */
export function typeOfEveryCallConfig(languageOptions) {
  return `import tsParser from "@typescript-eslint/parser";
const rule = { meta: { schema: [] }, create(context) {
  const services = context.sourceCode.parserServices;
  const checker = services.program.getTypeChecker();
  return { CallExpression(node) { checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node.callee)); } };
} };
export default [{ files: ["**/*.ts"], plugins: { ref: { rules: { "type-of-every-call": rule } } }, rules: { "ref/type-of-every-call": "error" }, languageOptions: ${languageOptions} }];
`;
}
