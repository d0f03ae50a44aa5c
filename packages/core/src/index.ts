export * from "./psl/ast.js";
export { parseSchemaText, tokenize } from "./psl/parser.js";
export { LineIndex } from "./psl/line-index.js";
export * from "./schema/locate.js";
export * from "./schema/model.js";
export * from "./schema/loader.js";
export { prismaValidate, prismaEngineLoadError, type PrismaDiagnostic } from "./schema/prisma-engine.js";
export * from "./settings.js";
export { findExportedValue, resolveModule, type ExportedValue } from "./modules/exports.js";
