import path from "node:path";
import { nearestTsconfig, resolveModule } from "@archlint/core";
import type { Project } from "ts-morph";

/**
 * Module specifiers to files, for joining what one file imports with what another exports
 * (routers, services) when the ESLint run's type checker did not already do it: core's resolver
 * first (relative paths and tsconfig `paths`, cached, no TypeScript), then TypeScript's own module
 * resolution through a ts-morph `Project` of the nearest tsconfig.json (its `extends` chain,
 * `moduleResolution`, `baseUrl`, package.json `exports` of workspace packages): the resolution
 * the project service uses. The Project is built without its files (`skipAddingFilesFromTsConfig`),
 * so no second program is type-checked: the run's one program stays the ESLint run's.
 */

type TsMorph = typeof import("ts-morph");

export class ModuleResolver {
  private tsMorph: TsMorph | null = null;
  private readonly projects = new Map<string, Project>();
  private readonly cache = new Map<string, string | null>();

  /** The file `specifier` names from `fromFile`, or null when it resolves to no file (or only to a declaration file). */
  async resolve(fromFile: string, specifier: string): Promise<string | null> {
    const key = `${path.dirname(fromFile)}\0${specifier}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let found = resolveModule(fromFile, specifier);
    if (found === null) found = await this.resolveWithTypeScript(fromFile, specifier);
    if (found !== null && /\.d\.[cm]?ts$/.test(found)) found = null;
    this.cache.set(key, found);
    return found;
  }

  private async resolveWithTypeScript(fromFile: string, specifier: string): Promise<string | null> {
    this.tsMorph ??= await import("ts-morph");
    const { Project, ts } = this.tsMorph;
    const config = nearestTsconfig(path.dirname(fromFile))?.path ?? "";
    let project = this.projects.get(config);
    if (!project) {
      project = config
        ? new Project({ tsConfigFilePath: config, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true })
        : new Project({ compilerOptions: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true } });
      this.projects.set(config, project);
    }
    const resolved = ts.resolveModuleName(specifier, fromFile, project.getCompilerOptions(), project.getModuleResolutionHost());
    return resolved.resolvedModule?.resolvedFileName ?? null;
  }
}
