import path from "node:path";
import { DEFAULT_NON_RUNTIME } from "@archlint/core";
import { Minimatch } from "minimatch";
import { archlintSettings, type Context } from "./ast.js";

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

/**
 * Does the linted file serve no request (a test, seed, script, migration, fixture, mock or generated
 * file)? Matched against `settings.archlint.nonRuntime`, else core's default list, on the path
 * relative to the working directory as ESLint matches `files`. The runtime rules return no
 * visitors for such a file.
 */
export function isNonRuntimeFile(context: Context): boolean {
  const relative = path.relative(context.cwd, path.resolve(context.cwd, context.filename));
  return matcherFor(archlintSettings(context).nonRuntime)(relative.split(path.sep).join("/"));
}
