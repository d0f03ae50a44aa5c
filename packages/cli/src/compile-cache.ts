import crypto from "node:crypto";
import fs from "node:fs";
import nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";

/**
 * V8's code cache for TypeScript's compiler on Node versions without `module.enableCompileCache`
 * (before 22.1). `typescript.js` is one 9 MB file that V8 compiles on every run before
 * typescript-eslint's parser can start: ~190 ms of CPU, a fifth of a one-file `check --staged`;
 * compiled from its cached code, ~45 ms. Nothing else is cached (the rest of ESLint's modules are
 * small), and a cache that cannot be read or written only costs the compile it would have saved.
 *
 * The cache lives in the user's own cache folder, not a shared temp folder: cached code is run as
 * is, so a file another user could plant there would run as archlint. An entry is keyed on the
 * file's path, size and mtime and on the Node version; V8 itself rejects code cached by another
 * V8 or with other flags, and such an entry is written again.
 */

const TYPESCRIPT = /[\\/]typescript[\\/]lib[\\/]typescript\.js$/;

interface InternalModule {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
}

interface ModuleInternals {
  prototype: InternalModule;
  wrap(source: string): string;
  _resolveFilename(request: string, parent: InternalModule, isMain: boolean, options?: { paths?: string[] }): string;
  _extensions: unknown;
  _cache: unknown;
}

function cacheFolder(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "archlint", "v8-code-cache");
}

/** An error of the file system (missing folder, no permission, read-only disk): the cache is skipped, the run goes on. */
function isFsError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

function entryFor(filename: string, content: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filename);
  } catch (error) {
    if (isFsError(error)) return null;
    throw error;
  }
  const key = [process.version, process.arch, filename, content.length, stat.size, stat.mtimeMs].join("\0");
  return path.join(cacheFolder(), `${crypto.createHash("sha256").update(key).digest("hex").slice(0, 32)}.bin`);
}

function readEntry(entry: string): Buffer | undefined {
  try {
    return fs.readFileSync(entry);
  } catch (error) {
    if (isFsError(error)) return undefined;
    throw error;
  }
}

function writeEntry(entry: string, data: Buffer): void {
  const temp = `${entry}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(entry), { recursive: true, mode: 0o700 });
    fs.writeFileSync(temp, data, { mode: 0o600 });
    // A rename is atomic: a run reading the entry at the same time sees the old one or the new one.
    fs.renameSync(temp, entry);
  } catch (error) {
    if (!isFsError(error)) throw error;
    fs.rmSync(temp, { force: true });
  }
}

/** Runs a CommonJS module's code as Node's loader would, from V8's code cache when the entry holds it. */
function runCached(Module: ModuleInternals, mod: InternalModule, content: string, filename: string, entry: string): unknown {
  const cachedData = readEntry(entry);
  // `import()` inside it resolves as in a module Node loaded itself.
  const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  // Written at exit, so the functions the run compiled lazily (the parser's) are in it too.
  if (cachedData === undefined || script.cachedDataRejected === true) process.once("exit", () => writeEntry(entry, script.createCachedData()));
  const require = Object.assign((id: string) => mod.require(id), {
    resolve: (request: string, options?: { paths?: string[] }) => Module._resolveFilename(request, mod, false, options),
    main: undefined,
    extensions: Module._extensions,
    cache: Module._cache,
  });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
  return wrapper.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
}

export function cacheTypeScriptCompile(): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
  const Module = nodeModule as unknown as ModuleInternals;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (this: InternalModule, content: string, filename: string): unknown {
    const entry = TYPESCRIPT.test(filename) ? entryFor(filename, content) : null;
    return entry === null ? compile.call(this, content, filename) : runCached(Module, this, content, filename, entry);
  };
}
