/**
 * The `archlint/prisma` language and the rules on `.prisma` files, without the rest of the plugin:
 * `archlint schema` runs these alone (see the CLI's `schema-direct.ts`), so it loads neither the code
 * rules nor ESLint. The plugin's `rules` holds the same rule objects (a test checks that every rule
 * of the language is here).
 */
import prismaExplicitOnDelete from "./rules/prisma-explicit-on-delete.js";
import prismaRedundantIndex from "./rules/prisma-redundant-index.js";
import prismaRelationIndex from "./rules/prisma-relation-index.js";

export { prismaLanguage } from "./languages/prisma-language.js";
export { PrismaSourceCode } from "./languages/prisma-source-code.js";
export { presetRules } from "./configs/index.js";

export const prismaRules = {
  "prisma-explicit-on-delete": prismaExplicitOnDelete,
  "prisma-redundant-index": prismaRedundantIndex,
  "prisma-relation-index": prismaRelationIndex,
};
