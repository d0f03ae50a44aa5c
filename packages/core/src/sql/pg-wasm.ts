import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";

/**
 * Postgres's own parser (libpg_query, PostgreSQL 18) compiled to WebAssembly, as the `libpg-query`
 * package ships it, loaded SYNCHRONOUSLY: ESLint's `Language#parse` cannot wait for a promise, and
 * the package's JavaScript only offers an async init (its `parseSync` throws until `loadModule()`
 * has resolved, and importing it starts that init at once).
 *
 * Why this package (see also rules-docs/sql-rls-enabled.md, "Parser"): measured against
 * `@supabase/pg-parser` 0.1.7 (PostgreSQL 17) on this machine, both compile in ~10 ms, but
 * libpg-query parses ~5x faster (0.13 ms for a 14-statement migration; ~0.2 s against ~1.2 s for
 * 1 MB of DDL: the Supabase build goes through protobuf and prints every default field), and its
 * PostgreSQL 18 `stmt_location` starts at the statement's first token where 17's starts after the
 * previous semicolon (leading comments included). `@pgsql/parser` bundles the same parser with a
 * 5 MB protobuf runtime.
 *
 * The wasm module is instantiated here with our own imports, never through the package's glue
 * (as the Prisma validator is, see schema/prisma-engine.ts): no JavaScript of the package runs and
 * the module can do nothing but compute. Its imports and exports have minified names; the map from
 * minified to real names is read (as text, never run) from the glue it ships with, and every name
 * must be one this file implements, else loading fails with a message naming it. The version is
 * pinned exactly in package.json, and tests parse through this path.
 *
 * The module is compiled once per process and instantiated on the first parse, by V8's baseline
 * compiler only (see `compileBaseline`). A trap or a
 * JavaScript stack overflow inside it leaves its memory in an unknown state: that instance is
 * dropped and the next parse gets a fresh one (the compiled module is kept).
 */

export interface PgParseOutput {
  /** libpg_query's JSON parse tree (`{ version, stmts: [{ stmt, stmt_location, stmt_len }] }`), locations in UTF-8 bytes. */
  json: string | null;
  /** The parser's error: its message and cursor position (0-based, in characters: Unicode code points). */
  error: { message: string; cursor: number } | null;
}

/** The module aborted (an assertion, `exit`), or its instance could not be made: not a syntax error of the SQL. */
export class PgParserFailure extends Error {
  override name = "PgParserFailure";
}

/** The real names of the exports this file calls. */
const NEEDED_EXPORTS = [
  "_malloc",
  "_free",
  "_wasm_parse_query_raw",
  "_wasm_free_parse_result",
  "_setThrew",
  "__emscripten_stack_restore",
  "_emscripten_stack_get_current",
  "wasmMemory",
  "wasmTable",
] as const;

type ExportName = (typeof NEEDED_EXPORTS)[number];

interface Instance {
  call: Record<Exclude<ExportName, "wasmMemory" | "wasmTable">, (...args: number[]) => number>;
  memory: WebAssembly.Memory;
}

interface Glue {
  module: WebAssembly.Module;
  /** Import module name ("a"), and minified import name -> real name (`_fd_write`, `invoke_vii`). */
  importModule: string;
  imports: Map<string, string>;
  /** Real export name -> minified name. */
  exports: Map<string, string>;
  /** The minified name of `__wasm_call_ctors` (the glue calls it in `initRuntime`). */
  ctor: string;
}

let glue: Glue | undefined;
let instance: Instance | null = null;

function packageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("libpg-query/package.json"));
}

function readGlue(): Glue {
  const dir = path.join(packageDir(), "wasm");
  const text = fs.readFileSync(path.join(dir, "libpg-query.js"), "utf8");
  const importList = /var wasmImports=\{([^}]*)\}/.exec(text)?.[1];
  const exportList = /function assignWasmExports\(wasmExports\)\{([^}]*)\}/.exec(text)?.[1];
  const ctor = /function initRuntime\(\)\{[^}]*?wasmExports\["(\w+)"\]\(\)/.exec(text)?.[1];
  if (importList === undefined || exportList === undefined || ctor === undefined) {
    throw new PgParserFailure(`libpg-query's wasm glue (${dir}) is not the build archlint knows: install the version archlint pins.`);
  }
  const imports = new Map(importList.split(",").map((pair) => pair.split(":") as [string, string]));
  const exports = new Map<string, string>();
  for (const m of exportList.matchAll(/(\w+)=(?:Module\["\w+"\]=)?wasmExports\["(\w+)"\]/g)) exports.set(m[1]!, m[2]!);
  const module = compileBaseline(path.join(dir, "libpg-query.wasm"));
  const importModule = WebAssembly.Module.imports(module)[0]?.module ?? "a";
  return { module, importModule, imports, exports, ctor };
}

/** V8 flags on the command line or in NODE_OPTIONS that choose how WebAssembly is compiled: the user's choice stands. */
const WASM_TIER_FLAGS = /--(?:no-)?(?:liftoff|wasm-tier|wasm-dynamic-tiering|wasm-lazy)/;

/**
 * The parser compiled by Liftoff, V8's baseline WebAssembly compiler, and never tiered up to
 * TurboFan. A lint parses a migration in well under a millisecond either way, but by default V8
 * recompiles the parser's hot functions (the grammar's one huge function first) with TurboFan,
 * and that costs more CPU than a whole run of parses saves: measured on 200 migrations (Node 20,
 * 2 cores), 30 ms of CPU for the first 200 parses against 150 ms, and an `eslint` run of the
 * folder 0.3 to 0.5 s less. V8 has no per-module switch: `--liftoff-only` is set around this one
 * synchronous compile (V8 reads it when the module is created; the module keeps it, nothing else
 * compiles in between) and cleared after. Left alone when the user chose WebAssembly compiler
 * flags, and where the runtime has no `v8.setFlagsFromString` (then the module is compiled as usual).
 */
function compileBaseline(file: string): WebAssembly.Module {
  const bytes = fs.readFileSync(file);
  const chosen = [...process.execArgv, process.env["NODE_OPTIONS"] ?? ""].some((arg) => WASM_TIER_FLAGS.test(arg));
  // Runtimes that only mimic node:v8 (Bun, Deno) may lack it.
  if (chosen || typeof v8.setFlagsFromString !== "function") return new WebAssembly.Module(bytes);
  v8.setFlagsFromString("--liftoff-only");
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    v8.setFlagsFromString("--no-liftoff-only");
  }
}

/** Thrown by `longjmp` (Postgres's `ereport(ERROR)`) and caught by the `invoke_*` frame of its `setjmp`, as in Emscripten's glue. */
const LONGJMP = { longjmp: true };

function instantiate(g: Glue): Instance {
  let memory: WebAssembly.Memory | undefined;
  let table: WebAssembly.Table | undefined;
  let call: Instance["call"] | undefined;
  const functions: Array<((...args: unknown[]) => unknown) | undefined> = [];
  const entry = (index: number): ((...args: unknown[]) => unknown) => (functions[index] ??= table!.get(index) as (...args: unknown[]) => unknown);
  const fail = (what: string) => (): never => {
    throw new PgParserFailure(`the Postgres parser stopped (${what})`);
  };
  const implementations: Record<string, (...args: never[]) => unknown> = {
    ___assert_fail: fail("assertion failed"),
    __abort_js: fail("abort"),
    _exit: fail("exit"),
    _proc_exit: fail("exit"),
    __emscripten_runtime_keepalive_clear: () => undefined,
    __emscripten_throw_longjmp: () => {
      throw LONGJMP;
    },
    // Only a statement timeout would arm a timer; parsing never does.
    __setitimer_js: () => 0,
    // As Emscripten's: grow by 20% (less when that fails), up to the glue's 1 GiB.
    _emscripten_resize_heap: (requested: number) => {
      const max = 1073741824;
      const old = memory!.buffer.byteLength;
      requested >>>= 0;
      if (requested > max) return 0;
      for (let cutDown = 1; cutDown <= 4; cutDown *= 2) {
        const overGrown = Math.min(old * (1 + 0.2 / cutDown), requested + 100663296);
        const size = Math.min(max, Math.ceil(Math.max(requested, overGrown) / 65536) * 65536);
        try {
          memory!.grow(((size - old + 65535) / 65536) | 0);
          return 1;
        } catch (error) {
          // The engine refused this much memory: try a smaller step.
          if (!(error instanceof RangeError)) throw error;
        }
      }
      return 0;
    },
    // No files: the parser writes nothing that matters (notices), and reads nothing.
    _fd_write: (_fd: number, iov: number, count: number, written: number) => {
      const view = new DataView(memory!.buffer);
      let n = 0;
      for (let i = 0; i < count; i++) n += view.getUint32(iov + i * 8 + 4, true);
      view.setUint32(written, n, true);
      return 0;
    },
    _fd_read: () => 8,
    _fd_close: () => 8,
    _fd_seek: () => 70,
  };
  const imports: WebAssembly.ModuleImports = {};
  for (const [minified, name] of g.imports) {
    const invoke = /^invoke_([vijfd])/.exec(name);
    if (invoke) {
      const none = invoke[1] === "j" ? 0n : invoke[1] === "v" ? undefined : 0;
      imports[minified] = (index: number, ...args: unknown[]) => {
        const sp = call!._emscripten_stack_get_current();
        try {
          return entry(index)(...args);
        } catch (error) {
          call!.__emscripten_stack_restore(sp);
          if (error !== LONGJMP) throw error;
          call!._setThrew(1, 0);
          return none;
        }
      };
    } else if (implementations[name]) imports[minified] = implementations[name] as (...args: unknown[]) => unknown;
    else throw new PgParserFailure(`libpg-query's wasm module needs an import archlint does not provide (${name}): install the version archlint pins.`);
  }
  const exported = new WebAssembly.Instance(g.module, { [g.importModule]: imports }).exports;
  const get = (name: string): unknown => {
    const minified = g.exports.get(name);
    const value = minified === undefined ? undefined : exported[minified];
    if (value === undefined) throw new PgParserFailure(`libpg-query's wasm module has no export ${name}: install the version archlint pins.`);
    return value;
  };
  memory = get("wasmMemory") as WebAssembly.Memory;
  table = get("wasmTable") as WebAssembly.Table;
  call = Object.fromEntries(NEEDED_EXPORTS.filter((n) => n !== "wasmMemory" && n !== "wasmTable").map((n) => [n, get(n)])) as Instance["call"];
  (exported[g.ctor] as () => void)();
  return { call, memory };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function cString(memory: WebAssembly.Memory, ptr: number): string {
  const heap = new Uint8Array(memory.buffer);
  return decoder.decode(heap.subarray(ptr, heap.indexOf(0, ptr)));
}

/**
 * libpg_query's `pg_query_parse` on `sql` (no NUL characters: C ends the text at the first one).
 * A syntax error comes back as `error`; a failure of the module itself throws PgParserFailure,
 * or the engine's RangeError / RuntimeError (stack exhausted, trap), after which the next call
 * starts on a fresh instance.
 */
export function pgParse(sql: string): PgParseOutput {
  glue ??= readGlue();
  instance ??= instantiate(glue);
  const { call, memory } = instance;
  try {
    const bytes = encoder.encode(sql);
    const input = call._malloc(bytes.length + 1);
    if (input === 0) throw new PgParserFailure("the Postgres parser ran out of memory");
    const heap = new Uint8Array(memory.buffer);
    heap.set(bytes, input);
    heap[input + bytes.length] = 0;
    const result = call._wasm_parse_query_raw(input);
    call._free(input);
    if (result === 0) throw new PgParserFailure("the Postgres parser ran out of memory");
    // struct { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const view = new DataView(memory.buffer);
    const tree = view.getUint32(result, true);
    const error = view.getUint32(result + 8, true);
    let output: PgParseOutput;
    if (error !== 0) {
      // struct { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }, cursorpos 1-based
      const message = view.getUint32(error, true);
      const cursor = view.getInt32(error + 16, true);
      output = { json: null, error: { message: message === 0 ? "syntax error" : cString(memory, message), cursor: Math.max(0, cursor - 1) } };
    } else {
      output = { json: tree === 0 ? null : cString(memory, tree), error: null };
    }
    call._wasm_free_parse_result(result);
    return output;
  } catch (error) {
    // Whatever the module was doing is unfinished (its stack, its memory contexts): start over next time.
    instance = null;
    throw error;
  }
}
