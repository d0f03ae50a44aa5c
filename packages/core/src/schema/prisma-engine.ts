import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { rethrowUnlessMissingOrMalformed } from "../fs-probe.js";

/**
 * Prisma's own validator: the `lint` entry of Prisma's schema wasm module
 * (`prisma_schema_build_bg.wasm`, the module `prisma validate` and `@prisma/internals`' `lintSchema`
 * call). Which one:
 *
 * - the linted project's own Prisma when it is installed, found from the schema's folder the way
 *   Node resolves packages (`node_modules` of that folder and every parent): the `prisma` CLI ships
 *   the module as `prisma/build/prisma_schema_build_bg.wasm` (5.x to 7.x); a project that depends on
 *   `@prisma/prisma-schema-wasm` or `@prisma/internals` has it as `@prisma/prisma-schema-wasm`. A
 *   schema valid for the project's Prisma is then valid here, whatever Prisma archlint bundles.
 * - else the one archlint bundles (`@prisma/internals` 7.10.0's `@prisma/prisma-schema-wasm`).
 *
 * The module is instantiated here with our own four wasm-bindgen imports (an error constructor,
 * throw, the panic message, the externref table), never through the package's JavaScript glue: no
 * JavaScript of the linted project runs, and the wasm module can do nothing but compute. Both
 * wasm-bindgen ABIs Prisma has shipped are handled: results through a stack return pointer
 * (Prisma 5) and as multi-value returns (Prisma 6, 7). One instance per wasm file per process.
 * If the bundled wasm cannot be instantiated this way, `@prisma/internals`' `lintSchema` is used.
 */

export interface PrismaDiagnostic {
  fileName: string;
  /** UTF-16 offsets into that file's text. */
  start: number;
  end: number;
  message: string;
  isWarning: boolean;
}

export interface PrismaEngineInfo {
  /** "project": the linted project's own Prisma; "bundled": the one archlint ships with. */
  source: "project" | "bundled";
  /** Prisma version of the validator ("6.19.0"), or null when unknown. */
  version: string | null;
  /** The wasm file (real path), or null for `@prisma/internals`' `lintSchema`. */
  wasmPath: string | null;
}

interface Engine extends PrismaEngineInfo {
  lint(input: string): string;
}

interface RawDiagnostic {
  file_name?: string;
  start: number;
  end: number;
  text: string;
  is_warning: boolean;
}

/**
 * The oldest Prisma whose `lint` takes a list of `[path, text]` files (multi-file schemas came in
 * 5.15); an older project's Prisma would read that list as schema text, so the bundled one is used.
 */
const OLDEST_PROJECT_PRISMA = [5, 15] as const;

/** One engine per wasm file and source (null: it could not be instantiated). */
const engines = new Map<string, Engine | null>();
/** The project engine's wasm file per folder (null: none installed there). */
const projectWasmByDir = new Map<string, { wasmPath: string; version: string | null } | null>();
let bundled: Engine | null | undefined;
let loadError: string | null = null;

const decoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
const encoder = new TextEncoder();

/** wasm-bindgen's generated exports, the ones `lint` needs. */
interface WasmExports {
  memory: WebAssembly.Memory;
  lint: (...args: number[]) => number | number[];
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __wbindgen_add_to_stack_pointer?: (delta: number) => number;
  __wbindgen_externrefs?: WebAssembly.Table;
  __wbindgen_start?: () => void;
}

/** Instantiate a `prisma_schema_build_bg.wasm` with our own imports; throws when its imports are not the known ones. */
function instantiate(wasmPath: string): (input: string) => string {
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  let wasm: WasmExports | undefined;
  const text = (ptr: number, len: number): string => decoder.decode(new Uint8Array(wasm!.memory.buffer, ptr >>> 0, len));
  // Prisma 5's ABI hands JavaScript values to the module as indices into a heap array.
  const heap: unknown[] = [];
  const imports: Record<string, (...args: number[]) => unknown> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const name = imp.name;
    if (imp.kind !== "function" || imp.module !== "__wbindgen_placeholder__") throw new Error(`unexpected wasm import ${imp.module}.${name}`);
    if (name === "__wbindgen_error_new") imports[name] = (p, l) => heap.push(new Error(text(p!, l!))) - 1;
    else if (name.startsWith("__wbg_Error_")) imports[name] = (p, l) => new Error(text(p!, l!));
    else if (/^__wbg_set_?message_/.test(name)) imports[name] = () => undefined;
    else if (name === "__wbindgen_throw" || name.startsWith("__wbg___wbindgen_throw_")) {
      imports[name] = (p, l) => {
        throw new Error(text(p!, l!));
      };
    } else if (name === "__wbindgen_init_externref_table") {
      imports[name] = () => {
        const table = wasm!.__wbindgen_externrefs!;
        const offset = table.grow(4);
        table.set(0, undefined);
        table.set(offset, undefined);
        table.set(offset + 1, null);
        table.set(offset + 2, true);
        table.set(offset + 3, false);
      };
    } else throw new Error(`unexpected wasm import ${name}`);
  }
  wasm = new WebAssembly.Instance(module, { __wbindgen_placeholder__: imports }).exports as unknown as WasmExports;
  wasm.__wbindgen_start?.();
  const exports = wasm;
  return (input) => {
    const bytes = encoder.encode(input);
    // The module takes ownership of the input buffer, as in wasm-bindgen's own glue.
    const ptr = exports.__wbindgen_malloc(bytes.length, 1) >>> 0;
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    let out: number;
    let outLen: number;
    if (exports.lint.length === 3 && exports.__wbindgen_add_to_stack_pointer) {
      const ret = exports.__wbindgen_add_to_stack_pointer(-16);
      try {
        exports.lint(ret, ptr, bytes.length);
        const view = new DataView(exports.memory.buffer);
        out = view.getInt32(ret, true);
        outLen = view.getInt32(ret + 4, true);
      } finally {
        exports.__wbindgen_add_to_stack_pointer(16);
      }
    } else {
      [out, outLen] = exports.lint(ptr, bytes.length) as number[] as [number, number];
    }
    try {
      return text(out, outLen);
    } finally {
      exports.__wbindgen_free(out, outLen, 1);
    }
  };
}

const engineKey = (source: PrismaEngineInfo["source"], wasmPath: string): string => `${source}\0${wasmPath}`;

function engineAt(wasmPath: string, info: Omit<PrismaEngineInfo, "wasmPath">): Engine | null {
  const key = engineKey(info.source, wasmPath);
  if (engines.has(key)) return engines.get(key)!;
  let engine: Engine | null;
  try {
    engine = { ...info, wasmPath, lint: instantiate(wasmPath) };
  } catch {
    // Any failure means this wasm is unusable (missing, not compilable, an ABI this loader does not know): another engine is tried.
    engine = null;
  }
  engines.set(key, engine);
  return engine;
}

/** The folder of package `name` as Node would resolve it from `fromDir` (no `exports` map needed), or null. */
function packageDir(name: string, fromDir: string): string | null {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules", name);
      if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate);
    }
    if (path.dirname(dir) === dir) return null;
  }
}

function packageVersion(dir: string): string | null {
  try {
    const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: unknown }).version;
    // `@prisma/prisma-schema-wasm` is versioned "6.19.0-26.<engine hash>".
    return typeof version === "string" ? version.replace(/-.*$/, "") : null;
  } catch (error) {
    rethrowUnlessMissingOrMalformed(error);
    return null;
  }
}

/** `@prisma/prisma-schema-wasm`'s wasm file (next to its `main`), resolved from `fromDir`. */
function schemaWasmPackage(fromDir: string): { wasmPath: string; version: string | null } | null {
  const dir = packageDir("@prisma/prisma-schema-wasm", fromDir);
  if (!dir) return null;
  let main = "src/prisma_schema_build.js";
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: unknown };
    if (typeof pkg.main === "string") main = pkg.main;
  } catch (error) {
    rethrowUnlessMissingOrMalformed(error);
    return null;
  }
  const wasmPath = path.join(dir, path.dirname(main), "prisma_schema_build_bg.wasm");
  return fs.existsSync(wasmPath) ? { wasmPath, version: packageVersion(dir) } : null;
}

function supportedProjectVersion(version: string | null): boolean {
  const m = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > OLDEST_PROJECT_PRISMA[0] || (major === OLDEST_PROJECT_PRISMA[0] && minor >= OLDEST_PROJECT_PRISMA[1]);
}

/** The project's own Prisma schema wasm, from the `prisma` CLI, else `@prisma/prisma-schema-wasm`, else `@prisma/internals`' dependency. */
function projectWasm(fromDir: string): { wasmPath: string; version: string | null } | null {
  const key = path.resolve(fromDir);
  if (projectWasmByDir.has(key)) return projectWasmByDir.get(key)!;
  let found: { wasmPath: string; version: string | null } | null = null;
  const cli = packageDir("prisma", key);
  const cliWasm = cli ? path.join(cli, "build", "prisma_schema_build_bg.wasm") : null;
  if (cli && cliWasm && fs.existsSync(cliWasm)) found = { wasmPath: cliWasm, version: packageVersion(cli) };
  found ??= schemaWasmPackage(key);
  if (!found) {
    const internals = packageDir("@prisma/internals", key);
    found = internals ? schemaWasmPackage(internals) : null;
  }
  if (found && !supportedProjectVersion(found.version)) found = null;
  projectWasmByDir.set(key, found);
  return found;
}

function loadBundled(): Engine | null {
  if (bundled !== undefined) return bundled;
  const require = createRequire(import.meta.url);
  try {
    const internalsDir = path.dirname(require.resolve("@prisma/internals/package.json"));
    const version = packageVersion(internalsDir);
    const wasm = schemaWasmPackage(internalsDir);
    bundled = wasm ? engineAt(fs.realpathSync(wasm.wasmPath), { source: "bundled", version }) : null;
    if (!bundled) {
      // No wasm file we can instantiate ourselves: `@prisma/internals`' own `lintSchema`.
      const internals = require("@prisma/internals") as { lintSchema(params: { schemas: Array<[string, string]> }): RawDiagnostic[] };
      bundled = {
        source: "bundled",
        version,
        wasmPath: null,
        lint: (input) => JSON.stringify(internals.lintSchema({ schemas: JSON.parse(input) as Array<[string, string]> })),
      };
    }
  } catch (error) {
    bundled = null;
    loadError = error instanceof Error ? error.message : String(error);
  }
  return bundled;
}

function engineFor(fromDir: string | undefined): Engine | null {
  const own = fromDir === undefined ? null : projectWasm(fromDir);
  if (own) {
    const engine = engineAt(own.wasmPath, { source: "project", version: own.version });
    if (engine) return engine;
  }
  return loadBundled();
}

/** Why Prisma's bundled validator is unavailable, or null when it loaded. */
export function prismaEngineLoadError(): string | null {
  loadBundled();
  return loadError;
}

/**
 * Which validator checks a schema in `fromDir` (the project's own Prisma, else the bundled one),
 * or null when none can run. Without `fromDir`, the bundled one.
 */
export function prismaEngine(fromDir?: string): PrismaEngineInfo | null {
  const engine = engineFor(fromDir);
  return engine && { source: engine.source, version: engine.version, wasmPath: engine.wasmPath };
}

/**
 * Validate a (possibly multi-file) schema the way Prisma does, with the validator
 * `prismaEngine(options.from)` names. Returns null when the validator could not run at all (not
 * installed, or a wasm panic), so callers fall back to the parser's own syntax errors instead of
 * crashing.
 */
export function prismaValidate(files: Array<[string, string]>, options: { from?: string } = {}): PrismaDiagnostic[] | null {
  const engine = engineFor(options.from);
  if (!engine) return null;
  try {
    const raw = JSON.parse(engine.lint(JSON.stringify(files))) as RawDiagnostic[];
    if (!Array.isArray(raw)) return null;
    return raw.map((d) => ({
      fileName: d.file_name ?? files[0]?.[0] ?? "",
      start: d.start,
      end: d.end,
      message: d.text.trim(),
      isWarning: d.is_warning,
    }));
  } catch {
    // The validator's own failure (a panic is a RuntimeError, a reported one an Error through __wbindgen_throw, or output that is not JSON): the instance is unusable, so the next call instantiates the module again.
    if (engine.wasmPath) engines.delete(engineKey(engine.source, engine.wasmPath));
    if (engine.source === "bundled") bundled = undefined;
    return null;
  }
}
