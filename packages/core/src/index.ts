export * from "./psl/ast.js";
export { parseSchemaText, tokenize } from "./psl/parser.js";
export { LineIndex } from "./psl/line-index.js";
export * from "./schema/locate.js";
export * from "./schema/workspace.js";
export * from "./schema/model.js";
export * from "./schema/loader.js";
export { schemaMigrationHistories } from "./schema/migrations.js";
export { redactSecrets, schemaSymlinkRefusal } from "./schema/guard.js";
export { prismaEngine, prismaValidate, prismaEngineLoadError, type PrismaDiagnostic, type PrismaEngineInfo } from "./schema/prisma-engine.js";
export * from "./settings.js";
export {
  CODE_FILE,
  LINTABLE_FILE,
  findExportedValue,
  findModuleValue,
  readModule,
  resolveModule,
  type ExportedValue,
  type ParsedModule,
} from "./project/modules.js";
export {
  BUILDER_LINKS,
  BUILDER_NAME,
  BUILDER_NAME_STEM,
  MIDDLEWARE_LINKS,
  builderChain,
  classifyBuilder,
  importedBuilderFacts,
  isBuilderShaped,
  isInitTrpc,
  isTrpcInstance,
  namedPublic,
  projectBuilders,
  type BuilderAccess,
  type BuilderFacts,
  type ProcedureSettings,
} from "./project/builders.js";
export { IndexCache, indexCache } from "./project/cache.js";
export { sourceFiles } from "./project/files.js";
export { loadTypeScript } from "./project/typescript.js";
export { nearestTsconfig, readTsconfig, tsconfigFiles, tsconfigForTargets, type TsconfigInfo } from "./project/tsconfig.js";
export {
  detectSchema,
  projectSchema,
  schemaFingerprint,
  schemaForCode,
  schemaForPrismaFile,
  schemasInWorkspace,
  type SchemaDetection,
} from "./project/schema.js";
export { ProjectIndex, clearIndex, invalidateIndex } from "./project/index.js";
export { readTrafficFile } from "./modules/traffic.js";
export { isMissingPath, rethrowUnlessMissing, rethrowUnlessMissingOrMalformed, statOrNull } from "./fs-probe.js";
export { sqlVisitorKeys, type SqlNode, type SqlProgram, type SqlStatement } from "./sql/ast.js";
export { SqlText, sqlComments, type SqlComment } from "./sql/text.js";
export { parseSql, type ParsedSql, type SqlSyntaxError } from "./sql/parse.js";
export type { DdlEvent, ForeignKeyDef, IndexDef, KeyDef, PolicyCommand, PolicyDef, Site, TableName } from "./sql/ddl.js";
export {
  clearMigrationCache,
  folderHistory,
  inMigrationRun,
  migrationFiles,
  migrationHistory,
  migrationRunForProcess,
  migrationsFolder,
  notPostgres,
  parseMigration,
  supabaseProject,
  type ForeignKeyFact,
  type HistoryOptions,
  type IndexFact,
  type MigrationHistory,
  type PolicyFact,
  type TableFact,
} from "./sql/history.js";
export {
  analysisGeneration,
  captureReads,
  contentHash,
  isRecordingReads,
  lintingFile,
  noteFileRead,
  noteFolderRead,
  notePathProbe,
  readFingerprint,
  ReadMemo,
  readsOf,
  recordReads,
  replayReads,
} from "./reads.js";
export * from "./map-schema.js";
