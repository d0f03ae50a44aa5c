import { createRequire } from "node:module";

/**
 * Prisma's own validator, from `@prisma/internals` (the same wasm build of Prisma's schema engine
 * that `prisma validate` uses). `@prisma/internals` is CommonJS; loading it through `require`
 * works from ESM in plain Node (named ESM imports of it do not), and keeps its ~150 ms start-up
 * cost off every run that has no schema to check.
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

let internals: Internals | null | undefined;
let loadError: string | null = null;

function load(): Internals | null {
  if (internals !== undefined) return internals;
  try {
    const require = createRequire(import.meta.url);
    internals = require("@prisma/internals") as Internals;
  } catch (error) {
    internals = null;
    loadError = error instanceof Error ? error.message : String(error);
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
