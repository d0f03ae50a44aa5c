import { createRequire } from "node:module";

/**
 * Prisma's own validator: `@prisma/internals`' `lintSchema`, which is one call into the wasm build
 * of Prisma's schema engine (`@prisma/prisma-schema-wasm`, the module `prisma validate` uses).
 * We make that same call on the wasm module that `@prisma/internals` depends on, resolved from
 * `@prisma/internals` itself so the version is the one it pins: loading all of `@prisma/internals`
 * costs ~170 ms (engine download and platform detection code we never use), the wasm module
 * ~11 ms. If the wasm module cannot be resolved that way, `@prisma/internals`' `lintSchema` is
 * used. Both are CommonJS, loaded through `require` (named ESM imports of them fail in plain Node).
 */

export interface PrismaDiagnostic {
  fileName: string;
  /** UTF-16 offsets into that file's text. */
  start: number;
  end: number;
  message: string;
  isWarning: boolean;
}

interface Internals {
  lintSchema(params: { schemas: Array<[string, string]> }): Array<{
    file_name?: string;
    start: number;
    end: number;
    text: string;
    is_warning: boolean;
  }>;
}

interface SchemaWasm {
  lint(schemasJson: string): string;
}

let internals: Internals | null | undefined;
let loadError: string | null = null;

function load(): Internals | null {
  if (internals !== undefined) return internals;
  const require = createRequire(import.meta.url);
  try {
    const fromInternals = createRequire(require.resolve("@prisma/internals/package.json"));
    const wasm = fromInternals("@prisma/prisma-schema-wasm") as SchemaWasm;
    internals = { lintSchema: ({ schemas }) => JSON.parse(wasm.lint(JSON.stringify(schemas))) as ReturnType<Internals["lintSchema"]> };
  } catch {
    try {
      internals = require("@prisma/internals") as Internals;
    } catch (error) {
      internals = null;
      loadError = error instanceof Error ? error.message : String(error);
    }
  }
  return internals;
}

/** Why Prisma's validator is unavailable, or null when it loaded. */
export function prismaEngineLoadError(): string | null {
  load();
  return loadError;
}

/**
 * Validate a (possibly multi-file) schema the way Prisma does. Returns null when the validator
 * could not run at all (not installed, or a wasm panic), so callers fall back to the parser's
 * own syntax errors instead of crashing.
 */
export function prismaValidate(files: Array<[string, string]>): PrismaDiagnostic[] | null {
  const engine = load();
  if (!engine) return null;
  try {
    return engine.lintSchema({ schemas: files }).map((d) => ({
      fileName: d.file_name ?? files[0]?.[0] ?? "",
      start: d.start,
      end: d.end,
      message: d.text.trim(),
      isWarning: d.is_warning,
    }));
  } catch {
    return null;
  }
}
