import fs from "node:fs";
import path from "node:path";
import type { Schema } from "../psl/ast.js";
import { rethrowUnlessMissing } from "../fs-probe.js";

/**
 * What archlint never does with a schema: follow a symlink from inside the project to a file
 * outside it (a `schema.prisma` linked to `/proc/self/environ` or `~/.aws/credentials`), or print
 * a datasource's connection string (Prisma's messages quote the values they reject).
 */

/** Inside `dir`, or `dir` itself. */
function within(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
}

/**
 * The refusal to read `file` when it lies in the project (`root`: the folder archlint runs in) but
 * is a symlink, or lies in a symlinked folder, that leads outside it; null when it may be read.
 * A file named outside the project (`--schema ../shared/schema.prisma`) is the user's choice.
 */
export function schemaSymlinkRefusal(file: string, root: string = process.cwd()): string | null {
  const abs = path.resolve(file);
  const realRoot = realOrNull(root) ?? path.resolve(root);
  if (!within(abs, path.resolve(root)) && !within(abs, realRoot)) return null;
  const real = realOrNull(abs);
  if (real === null || within(real, realRoot)) return null;
  const shown = path.relative(root, abs).split(path.sep).join("/") || abs;
  return `refusing to read ${shown}: it is a symlink that leads outside the project (to ${real})`;
}

const LEGACY_URL_KEYS = new Set(["url", "directUrl", "shadowDatabaseUrl"]);
/** The credentials of a URL (`postgresql://user:password@host`): the part before the `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'`]+@/gi;
const REDACTED = "[redacted]";

/**
 * `message` without connection strings: the values of the datasources' `url`, `directUrl` and
 * `shadowDatabaseUrl` (a literal, or the environment variable `env("...")` names), and the
 * credentials of any URL.
 */
export function redactSecrets(message: string, asts: readonly Schema[]): string {
  const secrets: string[] = [];
  for (const ast of asts) {
    for (const block of ast.body) {
      if (block.kind !== "datasource") continue;
      for (const m of block.members) {
        if (m.type !== "Property" || !LEGACY_URL_KEYS.has(m.key.name) || !m.value) continue;
        if (m.value.type === "StringLiteral") secrets.push(m.value.value);
        else if (m.value.type === "FunctionCall" && m.value.callee.name === "env") {
          const name = m.value.args[0]?.value;
          const value = name?.type === "StringLiteral" ? process.env[name.value] : undefined;
          if (value) secrets.push(value);
        }
      }
    }
  }
  let out = message;
  // Longest first, so a value that contains another is removed whole.
  for (const s of secrets.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}
