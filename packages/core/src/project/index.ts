import path from "node:path";
import { resolveSettings, type ResolvedSettings } from "../settings.js";
import type { SchemaLocation } from "../schema/locate.js";
import type { WorkspaceSchema } from "../schema/workspace.js";
import { classifyBuilder, importedBuilderFacts, projectBuilders, type BuilderAccess, type BuilderFacts } from "./builders.js";
import { indexCache } from "./cache.js";
import { sourceFiles } from "./files.js";
import { forgetResolutions, forgetStats } from "./modules.js";
import { detectSchema, projectSchema, schemaFingerprint, schemaForCode, schemaForPrismaFile, schemasInWorkspace, type SchemaDetection } from "./schema.js";
import { readTsconfig, tsconfigFiles, tsconfigForTargets, type TsconfigInfo } from "./tsconfig.js";

/**
 * The project index: the facts of one project (its root and settings) that rules, `archlint init`
 * and `archlint check` share, each worked out one way: resolved settings, the Prisma schema, the
 * tsconfig (through the TypeScript API), the tRPC builders and their public / protected class.
 * Facts read from files are held in one cache (`indexCache`); an editor calls `invalidate(file)`
 * when a file changes, and only the facts computed from it are dropped.
 */
export class ProjectIndex {
  readonly root: string;
  readonly settings: ResolvedSettings;

  constructor(root: string, rawSettings?: unknown) {
    this.root = path.resolve(root);
    this.settings = resolveSettings(rawSettings);
  }

  /** The schema of the project as Prisma finds it from the root, or the explicitly named one. */
  schema(explicit: string | undefined = this.settings.schema): SchemaLocation | null {
    return projectSchema(this.root, explicit === undefined ? undefined : path.resolve(this.root, explicit));
  }

  /** The schema code in a file or folder is checked against (its package's, the root's, the workspace's). */
  schemaForCode(fileOrDir: string): SchemaLocation | null {
    return schemaForCode(path.resolve(this.root, fileOrDir), this.root);
  }

  /** The schema a `.prisma` file belongs to. */
  schemaForPrismaFile(file: string, explicit: string | undefined = this.settings.schema): SchemaLocation {
    return schemaForPrismaFile(path.resolve(this.root, file), explicit === undefined ? undefined : path.resolve(this.root, explicit), this.root);
  }

  /** Every schema of the workspace the root is in. */
  workspaceSchemas(): WorkspaceSchema[] {
    return schemasInWorkspace(this.root);
  }

  /** The schema `archlint init` writes about (found, to be named in the settings, or candidates). */
  detectSchema(): SchemaDetection {
    return detectSchema(this.root);
  }

  /** The state of the project's `.prisma` files and SQL migrations, for ESLint's `--cache` key. */
  schemaFingerprint(): string {
    return schemaFingerprint(this.root);
  }

  /** The root's tsconfig.json as TypeScript reads it (`extends`, `include`, `files`, `references`). */
  tsconfig(configPath = path.join(this.root, "tsconfig.json")): TsconfigInfo | null {
    return readTsconfig(path.resolve(this.root, configPath));
  }

  /** The program's files of a tsconfig and its references; null without TypeScript or when it does not read. */
  tsconfigFiles(configPath = path.join(this.root, "tsconfig.json")): Set<string> | null {
    return tsconfigFiles(path.resolve(this.root, configPath));
  }

  /** The folder of the tsconfig.json that types the given targets (see `tsconfigForTargets`). */
  tsconfigForTargets(targets: string[]): string | null {
    return tsconfigForTargets(this.root, targets);
  }

  /** Every tRPC builder the project declares, classified (what `archlint init` writes). */
  builders(): { public: string[]; protected: string[] } {
    return projectBuilders(sourceFiles(this.root));
  }

  /** The class of a builder from its facts, with the settings' `procedures` lists. */
  builderAccess(facts: Pick<BuilderFacts, "names" | "traced" | "middleware">): BuilderAccess {
    return classifyBuilder(facts, this.settings.procedures);
  }

  /** An imported builder traced through the modules that define it. */
  importedBuilder(fromFile: string, specifier: string, name: string): BuilderFacts | null {
    return importedBuilderFacts(fromFile, specifier, name);
  }

  invalidate(file: string): void {
    invalidateIndex(file);
  }

  clear(): void {
    clearIndex();
  }
}

/** Drop every indexed fact computed from `file` (a changed, added or deleted file or folder). */
export function invalidateIndex(file: string): void {
  indexCache.invalidate(file);
  forgetStats(file);
  forgetResolutions();
}

/** Forget every indexed fact. */
export function clearIndex(): void {
  indexCache.clear();
  forgetStats();
  forgetResolutions();
}
