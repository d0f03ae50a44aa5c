import { getParserServices } from "@typescript-eslint/utils/eslint-utils";
import type { Context } from "../analysis/syntax/ast.js";
import { typeInfo, type TypeInfo } from "../analysis/syntax/types.js";

/**
 * Type information for a `requiresTypeChecking` rule, or typescript-eslint's setup error (the one
 * `getParserServices` throws) when the parser was not given a project: such a rule must not pass
 * silently because it was set up without types.
 */
export function requireTypeInfo(context: Context): TypeInfo {
  getParserServices(context);
  const info = typeInfo(context);
  // getParserServices has checked for a program; a checker that cannot be built is a TypeScript bug, not a setup problem.
  if (!info) throw new Error("archlint: typescript-eslint gave a program but its type checker could not be created.");
  return info;
}
