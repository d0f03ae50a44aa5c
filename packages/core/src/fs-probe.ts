import fs from "node:fs";
import { notePathProbe } from "./reads.js";

/**
 * File-system errors that mean "nothing readable at this path": a probe (does the project have a
 * tsconfig, a schema folder, a package.json?) treats them as absence. Anything else (EMFILE, EIO,
 * a bug's TypeError) is not an answer and is rethrown.
 */
const ABSENT = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "ELOOP", "ENAMETOOLONG"]);

export function isMissingPath(error: unknown): boolean {
  return error instanceof Error && ABSENT.has((error as NodeJS.ErrnoException).code ?? "");
}

/** For a `catch` around a file-system probe: returns when the path is missing or unreadable, rethrows anything else. */
export function rethrowUnlessMissing(error: unknown): void {
  if (!isMissingPath(error)) throw error;
}

/** For a `catch` around reading and `JSON.parse`-ing a file: missing, unreadable or malformed returns, anything else is rethrown. */
export function rethrowUnlessMissingOrMalformed(error: unknown): void {
  if (!(error instanceof SyntaxError) && !isMissingPath(error)) throw error;
}

/** `fs.statSync`, or null when there is nothing readable at `p`. */
export function statOrNull(p: string): fs.Stats | null {
  notePathProbe(p);
  try {
    return fs.statSync(p);
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
}
