import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/rules/generate.mjs";
import { archlint, assertBuilt, CLI_FIXTURES, DEMO, makeTmpDir, parseJson } from "./helpers.js";

/**
 * The pre-pass of syntax-only zero-config runs (issue #17 goal 3): `archlint check` parses only
 * the code files a recommended rule could report in. Its findings must be ESLint's without it,
 * byte for byte: on the demo app, the zero-config fixture and the benchmark's generated project.
 * That it skips anything shows in its documented trade-off: a parse error in a skipped file is not
 * reported, unless the file is named on the command line.
 */

let generated: string;
/** A file no rule could report in, which does not parse. */
const BROKEN = "src/lib/format-note.ts";

beforeAll(() => {
  assertBuilt();
  generated = makeTmpDir("prepass");
  generateProject(generated, { routers: 40 });
});

afterAll(() => {
  fs.rmSync(generated, { recursive: true, force: true });
});

const check = (cwd: string, ...args: string[]) => archlint(["check", "--no-type-check", "--format", "json", ...args], cwd);

describe("archlint check with and without the pre-pass", () => {
  it.each([
    ["the demo app", () => DEMO],
    ["the zero-config fixture", () => path.join(CLI_FIXTURES, "zero-untyped")],
    ["the generated benchmark project", () => generated],
  ])("%s: the same JSON output and exit code", (_name, dir) => {
    const withPrepass = check(dir());
    const without = check(dir(), "--no-prepass");
    expect(withPrepass.stderr).not.toMatch(/\n\s+at /);
    // Every project here has findings (a test of nothing would pass too).
    expect(parseJson(without.stdout).some((r) => r.messages.length > 0)).toBe(true);
    expect({ code: withPrepass.code, stdout: withPrepass.stdout }).toEqual({ code: without.code, stdout: without.stdout });
  });

  it("skips files: a parse error in a file no rule could report in is not reported, unless the file is named", () => {
    fs.mkdirSync(path.join(generated, path.dirname(BROKEN)), { recursive: true });
    fs.writeFileSync(path.join(generated, BROKEN), "export function formatNote(text: string) {\n  return text.trim(;\n}\n");
    try {
      const fatalIn = (stdout: string) =>
        parseJson(stdout)
          .filter((r) => r.messages.some((m) => m.fatal))
          .map((r) => path.relative(generated, r.filePath).split(path.sep).join("/"));
      const withPrepass = check(generated);
      const without = check(generated, "--no-prepass");
      expect(fatalIn(without.stdout)).toEqual([BROKEN]);
      expect(fatalIn(withPrepass.stdout)).toEqual([]);
      // The file is still in the report, as linted with no findings.
      const entry = parseJson(withPrepass.stdout).find((r) => r.filePath === path.join(generated, BROKEN));
      expect(entry?.messages).toEqual([]);
      // Everything else is the same.
      const others = (stdout: string) => parseJson(stdout).filter((r) => r.filePath !== path.join(generated, BROKEN));
      expect(others(withPrepass.stdout)).toEqual(others(without.stdout));
      // Named on the command line, it is linted.
      expect(fatalIn(check(generated, BROKEN).stdout)).toEqual([BROKEN]);
    } finally {
      fs.rmSync(path.join(generated, BROKEN));
    }
  });
});
