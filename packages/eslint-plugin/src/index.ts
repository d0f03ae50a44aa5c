import { createRequire } from "node:module";
import { buildPreset, type PresetName } from "./configs/index.js";
import { prismaLanguage } from "./languages/prisma-language.js";
import { sqlLanguage } from "./languages/sql-language.js";
import { rules } from "./rules/index.js";

const require = createRequire(import.meta.url);
const { version } = require("../package.json") as { version: string };

const plugin = {
  meta: { name: "eslint-plugin-archlint", version, namespace: "archlint" },
  languages: { prisma: prismaLanguage, sql: sqlLanguage },
  rules,
  configs: {} as Record<PresetName, object[]>,
};

for (const preset of ["recommended", "recommended-type-checked", "strict", "all"] as const) {
  plugin.configs[preset] = buildPreset(plugin, rules, preset);
}

export default plugin;
export { rules, prismaLanguage, sqlLanguage };
export { PrismaSourceCode } from "./languages/prisma-source-code.js";
export { SqlSourceCode } from "./languages/sql-source-code.js";
export { presetRules, type PresetName } from "./configs/index.js";
export {
  collectMapFacts,
  mapCollectorRule,
  type FileFacts,
  type FunctionFact,
  type EndpointFact,
  type ExportFact,
  type ImportRef,
  type CallTarget,
  type CacheFact,
  type RegistrationFact,
} from "./map/collect.js";
export { prepassFor, PREPASS_RULES, type PrepassFile } from "./analysis/prepass.js";
export { joinPrefix } from "./analysis/frameworks/fastify-plugins.js";
export type { Autoload } from "./analysis/frameworks/fastify-plugins.js";
export { fastifyRouteLabel } from "./analysis/frameworks/fastify.js";
export type { RouterDeclaration, RouterEntry, RouterRef } from "./analysis/frameworks/trpc-routers.js";
