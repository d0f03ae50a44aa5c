import fs from "node:fs";
import path from "node:path";
import { CODE_FILE, loadTypeScript } from "@archlint/core";
import type * as ts from "typescript";
import type { StagedFile } from "./staged.js";

/**
 * `archlint check --staged` with types: one TypeScript program per tsconfig.json of the staged
 * files, holding those files (their staged text), what they import, and every file of the tsconfig
 * that can change a type elsewhere (declaration files, scripts that declare globals, modules that
 * augment another module or the global scope), instead of typescript-eslint's project service,
 * which builds the tsconfig's whole program (4,000 files parsed and bound for one staged file).
 * A type in a staged file is decided by the declarations it reaches through its imports and by the
 * global ones, all of which are here, so the type-aware rules answer as in the whole program.
 *
 * Null (the project service is used, as before) when a staged code file is not among the root
 * files of the nearest tsconfig.json, which is the one the project service would pick for it,
 * or when TypeScript is not installed.
 */

const DECLARATION = /\.d\.[cm]?ts$/;
/** A file that changes types outside itself when it is in the program: a global script, `declare global`, `declare module`. */
const AUGMENTS = /\bdeclare\s+(?:global|module|namespace)\b/;
const MODULE_SYNTAX = /^\s*(?:import|export)\b/m;

function nearestTsconfigFile(file: string): string | null {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function changesOtherTypes(file: string): boolean {
  if (DECLARATION.test(file)) return true;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    // A root file the tsconfig lists that vanished since: TypeScript cannot read it either.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  return AUGMENTS.test(text) || !MODULE_SYNTAX.test(text);
}

export function stagedPrograms(staged: StagedFile[]): ts.Program[] | null {
  const code = staged.filter((f) => CODE_FILE.test(f.path));
  if (code.length === 0) return null;
  const typescript = loadTypeScript();
  if (!typescript) return null;
  const byConfig = new Map<string, StagedFile[]>();
  for (const f of code) {
    const config = nearestTsconfigFile(f.path);
    if (!config) return null;
    byConfig.set(config, [...(byConfig.get(config) ?? []), f]);
  }
  const programs: ts.Program[] = [];
  for (const [config, files] of byConfig) {
    const parsed = typescript.getParsedCommandLineOfConfigFile(config, {}, { ...typescript.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    // Errors in the config (an `extends` not installed) are the project service's too: it goes on with what it read, and so does this.
    if (!parsed) return null;
    const roots = new Set(parsed.fileNames.map((f) => path.resolve(f)));
    if (!files.every((f) => roots.has(f.path))) return null;
    const staged = new Map(files.map((f) => [f.path, f.indexText]));
    const rootNames = [...files.map((f) => f.path), ...[...roots].filter((f) => !staged.has(f) && changesOtherTypes(f))];
    // Parent pointers only for the staged files, which typescript-estree converts: the checker's
    // binder sets them in every other file as it binds it, and setting them at parse time too was
    // ~6% of a typed run (inbox-zero: 360 files parsed for one staged file).
    const host = typescript.createCompilerHost(parsed.options, false);
    const { getSourceFile, readFile } = host;
    host.getSourceFile = (fileName, language, ...rest) => {
      const file = path.resolve(fileName);
      if (!staged.has(file)) return getSourceFile.call(host, fileName, language, ...rest);
      // The staged text of a file whose working-tree copy differs, as ESLint lints it.
      const text = staged.get(file) ?? readFile.call(host, fileName);
      return text === undefined ? undefined : typescript.createSourceFile(fileName, text, language, true);
    };
    host.readFile = (fileName) => staged.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
    programs.push(typescript.createProgram({ rootNames, options: parsed.options, host, projectReferences: parsed.projectReferences }));
  }
  return programs;
}
