import fs from "node:fs";
import path from "node:path";
import type { LintMessage, LintResult } from "./formatters/types.js";

/**
 * What `archlint check` lints and what it reports.
 *
 * - Every path named on the command line is linted, wherever it is: ESLint ignores files outside
 *   its working directory, so a path outside the caller's folder is linted from its own project
 *   root (nearest package.json or .git), as if archlint had been run there.
 * - The report holds archlint's findings and real parse errors only: a project's comments for
 *   other plugins (`eslint-disable` of rules archlint does not load, `/* eslint-env *\/`) are
 *   not archlint's to report. `eslint .` stays the way to run everything together.
 */

const GLOB = /[*?[\]{}]/;

export function isGlob(target: string): boolean {
  return GLOB.test(target);
}

function isInside(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export interface LintRoot {
  /** The folder ESLint runs in (its base path). */
  root: string;
  /** The targets, as given (inside the caller's folder) or absolute (elsewhere). */
  targets: string[];
}

/** Targets grouped by the folder they are linted from: the caller's folder, or a target's own project root. */
export function lintRoots(cwd: string, targets: string[]): LintRoot[] {
  const groups = new Map<string, string[]>();
  for (const target of targets) {
    let root = cwd;
    let given = target;
    if (!isGlob(target)) {
      const abs = path.resolve(cwd, target);
      if (!isInside(cwd, abs)) {
        const dir = fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
        root = projectRootOf(dir);
        given = abs;
      }
    }
    const list = groups.get(root) ?? [];
    list.push(given);
    groups.set(root, list);
  }
  return [...groups].map(([root, list]) => ({ root, targets: list }));
}

/** The nearest folder at or above `dir` with a package.json or .git; `dir` itself when there is none. */
function projectRootOf(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return d;
    if (fs.existsSync(path.join(d, "package.json"))) return d;
    if (path.dirname(d) === d) return dir;
  }
}

const ESLINT_ENV = /^\/\* eslint-env \*\/ comments are no longer (?:supported|recognized)/;
/** A directive or inline-config message that names an archlint rule: `'archlint/x'` or `"archlint/x"`. */
const NAMES_ARCHLINT = /['"]archlint\//;

/** archlint's findings, its own directives' problems (an unused `eslint-disable` of an archlint rule) and real parse errors. */
export function isArchlintMessage(m: LintMessage): boolean {
  if (m.ruleId) return m.ruleId.startsWith("archlint/");
  if (m.fatal) return !ESLINT_ENV.test(m.message);
  return NAMES_ARCHLINT.test(m.message);
}

/** The results with every other message dropped and the counts recomputed from what is left. */
export function keepArchlint(results: LintResult[]): LintResult[] {
  return results.map(placeFatal).map((r) => {
    const messages = r.messages.filter(isArchlintMessage);
    if (messages.length === r.messages.length && !r.suppressedMessages?.some((m) => !isArchlintMessage(m))) return r;
    const count = (severity: number, extra: (m: LintMessage) => boolean = () => true): number =>
      messages.filter((m) => m.severity === severity && extra(m)).length;
    return {
      ...r,
      messages,
      ...(r.suppressedMessages ? { suppressedMessages: r.suppressedMessages.filter(isArchlintMessage) } : {}),
      errorCount: count(2),
      warningCount: count(1),
      fatalErrorCount: messages.filter((m) => m.fatal).length,
      fixableErrorCount: count(2, (m) => m.fix !== undefined),
      fixableWarningCount: count(1, (m) => m.fix !== undefined),
    };
  });
}

/**
 * A parser that gives up without a position (TypeScript's on 2,500 nested calls: "Maximum call
 * stack size exceeded") still yields one finding at the file's start that says the file was
 * skipped, so every format can point at it; the other files are reported as usual.
 */
function placeFatal(r: LintResult): LintResult {
  if (!r.messages.some((m) => m.fatal && !m.line)) return r;
  return {
    ...r,
    messages: r.messages.map((m) => {
      if (!m.fatal || m.line) return m;
      const tooDeep = /call stack size exceeded/i.test(m.message);
      return {
        ...m,
        line: 1,
        column: 1,
        message: tooDeep ? "Parsing error: the file nests deeper than the parser can follow (Maximum call stack size exceeded); it was not linted." : m.message,
      };
    }),
  };
}

/**
 * Only archlint's fixes are applied, its unused directives' removal included: a directive for a
 * rule archlint does not run is not "unused", it is the project's.
 */
export function isArchlintFix(m: { ruleId: string | null; message: string }): boolean {
  return m.ruleId === null ? NAMES_ARCHLINT.test(m.message) : m.ruleId.startsWith("archlint/");
}
