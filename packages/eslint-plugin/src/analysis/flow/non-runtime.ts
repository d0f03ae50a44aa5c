import path from "node:path";
import { DEFAULT_NON_RUNTIME, findProjectRoot, ReadMemo } from "@archlint/core";
import { Minimatch } from "minimatch";
import { archlintSettings, type Context } from "../syntax/ast.js";

type Matcher = (relativePath: string) => boolean;

function compile(globs: readonly string[]): Matcher {
  const patterns = globs.map((g) => new Minimatch(g, { dot: true }));
  return (relativePath) => patterns.some((p) => p.match(relativePath));
}

const defaultMatcher = compile(DEFAULT_NON_RUNTIME);
/** Keyed by the parsed `nonRuntime` array, which archlintSettings keeps once per settings object. */
const configured = new WeakMap<readonly string[], Matcher>();

function matcherFor(globs: readonly string[] | undefined): Matcher {
  if (!globs) return defaultMatcher;
  let matcher = configured.get(globs);
  if (!matcher) {
    matcher = compile(globs);
    configured.set(globs, matcher);
  }
  return matcher;
}

/** The file's package folder (nearest package.json), per folder: thousands of files share a few. */
const packageRoots = new ReadMemo<string>();
export function packageRootOf(dir: string): string {
  return packageRoots.get(dir, () => findProjectRoot(dir));
}

/**
 * Does the linted file serve no request (a test, seed, script, migration, fixture, mock or generated
 * file)? `settings.archlint.nonRuntime` is matched on the path relative to the working directory,
 * as ESLint matches `files`. Core's default list is matched on the path inside the file's own
 * package (nearest package.json) when that package is inside the working directory, so a folder
 * above the package (a repository's `fixtures/` or `examples/` holding whole apps) does not make
 * the app's code non-runtime; otherwise on the path relative to the working directory. The runtime rules
 * return no visitors for such a file.
 */
export function isNonRuntimeFile(context: Context): boolean {
  return isNonRuntimePath(context.cwd, context.filename, archlintSettings(context).nonRuntime);
}

/** isNonRuntimeFile for a file ESLint has not opened (the CLI's pre-pass): `cwd` is ESLint's, `globs` is `settings.archlint.nonRuntime`. */
export function isNonRuntimePath(cwd: string, filename: string, globs: readonly string[] | undefined): boolean {
  const file = path.resolve(cwd, filename);
  const packageRoot = globs ? cwd : packageRootOf(path.dirname(file));
  // The package's folder when it is inside the working directory; the working directory when the package holds it.
  const inside = path.relative(cwd, packageRoot);
  const base = inside !== "" && !inside.startsWith("..") && !path.isAbsolute(inside) ? packageRoot : cwd;
  return matcherFor(globs)(path.relative(base, file).split(path.sep).join("/"));
}
