import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/rules/generate.mjs";
import { archlint, assertBuilt, CLI_FIXTURES, DEMO, makeTmpDir, parseJson } from "./helpers.js";

/**
 * The pre-pass (issue #17 goal 3): `archlint check` parses only the code files an enabled rule
 * could report in, in zero-config runs with or without types and with a project's own config. Its
 * findings must be ESLint's without it, byte for byte: on the demo app, the zero-config fixtures
 * and the benchmark's generated project.
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

/** The files with a parse error in a run's JSON, relative to `dir`. */
const fatalIn = (dir: string, stdout: string) =>
  parseJson(stdout)
    .filter((r) => r.messages.some((m) => m.fatal))
    .map((r) => path.relative(dir, r.filePath).split(path.sep).join("/"));

/** Runs `body` with BROKEN (a file no rule could report in, which does not parse) written into `dir`. */
function withBroken<T>(dir: string, body: () => T): T {
  fs.mkdirSync(path.join(dir, path.dirname(BROKEN)), { recursive: true });
  fs.writeFileSync(path.join(dir, BROKEN), "export function formatNote(text: string) {\n  return text.trim(;\n}\n");
  try {
    return body();
  } finally {
    fs.rmSync(path.join(dir, BROKEN));
  }
}

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
    withBroken(generated, () => {
      const withPrepass = check(generated);
      const without = check(generated, "--no-prepass");
      expect(fatalIn(generated, without.stdout)).toEqual([BROKEN]);
      expect(fatalIn(generated, withPrepass.stdout)).toEqual([]);
      // The file is still in the report, as linted with no findings.
      const entry = parseJson(withPrepass.stdout).find((r) => r.filePath === path.join(generated, BROKEN));
      expect(entry?.messages).toEqual([]);
      // Everything else is the same.
      const others = (stdout: string) => parseJson(stdout).filter((r) => r.filePath !== path.join(generated, BROKEN));
      expect(others(withPrepass.stdout)).toEqual(others(without.stdout));
      // Named on the command line, it is linted.
      expect(fatalIn(generated, check(generated, BROKEN).stdout)).toEqual([BROKEN]);
    });
  });
});

describe("typed zero-config runs", () => {
  const typed = (cwd: string, ...args: string[]) => archlint(["check", "--format", "json", ...args], cwd);

  it.each([
    ["the demo app", () => DEMO],
    ["the typed zero-config fixture", () => path.join(CLI_FIXTURES, "zero-typed")],
    ["the generated benchmark project", () => generated],
  ])("%s: the same JSON output and exit code", (_name, dir) => {
    const withPrepass = typed(dir());
    const without = typed(dir(), "--no-prepass");
    expect(withPrepass.stderr).toMatch(/recommended-type-checked/);
    expect(withPrepass.stderr).not.toMatch(/\n\s+at /);
    expect(parseJson(without.stdout).some((r) => r.messages.length > 0)).toBe(true);
    expect({ code: withPrepass.code, stdout: withPrepass.stdout }).toEqual({ code: without.code, stdout: without.stdout });
  });

  it("an own typed config: skips a file no typed rule could report in, keeps a database operation on a receiver known only by its type", () => {
    // Effect is installed above the project (this repository's node_modules): a typed Effect rule may report anywhere, so only its rules are left out here.
    const config = `import archlint from "eslint-plugin-archlint";
export default [
  ...archlint.configs["recommended-type-checked"].map((c) => ({ ...c, rules: Object.fromEntries(Object.entries(c.rules ?? {}).filter(([id]) => !id.startsWith("archlint/effect-"))) })),
];
`;
    fs.writeFileSync(path.join(generated, "eslint.config.mjs"), config);
    fs.writeFileSync(
      path.join(generated, "src/server/loop.ts"),
      `type Store = { $queryRaw(): void; $executeRaw(): void; user: { update(args: object): Promise<void> } };\nexport async function touchAll(store: Store, ids: string[]) {\n  for (const id of ids) await store.user.update({ where: { id }, data: {} });\n}\n`,
    );
    try {
      withBroken(generated, () => {
        const withPrepass = archlint(["check", "--format", "json"], generated);
        const without = archlint(["check", "--format", "json", "--no-prepass"], generated);
        // The config file itself is outside the tsconfig: a parse error in both runs.
        expect(fatalIn(generated, without.stdout)).toEqual(["eslint.config.mjs", BROKEN]);
        expect(fatalIn(generated, withPrepass.stdout)).toEqual(["eslint.config.mjs"]);
        const others = (stdout: string) => parseJson(stdout).filter((r) => r.filePath !== path.join(generated, BROKEN));
        expect(others(withPrepass.stdout)).toEqual(others(without.stdout));
        expect(
          others(without.stdout)
            .find((r) => r.filePath === path.join(generated, "src/server/loop.ts"))
            ?.messages.map((m) => m.ruleId),
        ).toEqual(["archlint/db-no-query-in-loop"]);
      });
    } finally {
      fs.rmSync(path.join(generated, "eslint.config.mjs"));
      fs.rmSync(path.join(generated, "src/server/loop.ts"));
    }
  });
});

describe("runs with the project's own config", () => {
  const own = (config: string, body: () => void) => {
    fs.writeFileSync(path.join(generated, "eslint.config.mjs"), config);
    try {
      body();
    } finally {
      fs.rmSync(path.join(generated, "eslint.config.mjs"));
    }
  };
  const RECOMMENDED = `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended`;

  it("keyed on its settings: a dbClients name makes a file's loop a finding, with and without the pre-pass", () => {
    const loop = "src/server/repo-loop.ts";
    fs.writeFileSync(
      path.join(generated, loop),
      "export async function touchAll(ctx: any, ids: string[]) {\n  for (const id of ids) await ctx.store.user.update({ where: { id }, data: {} });\n}\n",
    );
    try {
      own(`${RECOMMENDED}, { settings: { archlint: { dbClients: ["ctx.store"] } } }];\n`, () =>
        withBroken(generated, () => {
          const withPrepass = check(generated);
          const without = check(generated, "--no-prepass");
          const loops = (stdout: string) =>
            parseJson(stdout)
              .filter((r) => r.filePath === path.join(generated, loop))
              .flatMap((r) => r.messages.map((m) => `${m.ruleId}:${m.line}`));
          expect(loops(without.stdout)).toEqual(["archlint/db-no-query-in-loop:2"]);
          expect(fatalIn(generated, withPrepass.stdout)).toEqual([]);
          const others = (stdout: string) => parseJson(stdout).filter((r) => r.filePath !== path.join(generated, BROKEN));
          expect(others(withPrepass.stdout)).toEqual(others(without.stdout));
        }),
      );
    } finally {
      fs.rmSync(path.join(generated, loop));
    }
  });

  it("keyed on its rules: a rule the pre-pass has no condition for lints every file", () => {
    own(`${RECOMMENDED}, { rules: { "archlint/db-bounded-reads": "error" } }];\n`, () =>
      withBroken(generated, () => {
        expect(fatalIn(generated, check(generated).stdout)).toEqual([BROKEN]);
      }),
    );
  });

  it("a file its config gives no archlint rule is skipped, one it gives a rule is linted", () => {
    own(
      `${RECOMMENDED}, { files: ["src/lib/**"], rules: { "archlint/db-bounded-reads": "error" } }, { files: ["src/server/**"], rules: Object.fromEntries(Object.keys(archlint.rules).map((id) => ["archlint/" + id, "off"])) }];\n`,
      () =>
        withBroken(generated, () => {
          const withPrepass = check(generated);
          expect(fatalIn(generated, withPrepass.stdout)).toEqual([BROKEN]);
          expect(withPrepass.stdout).toEqual(check(generated, "--no-prepass").stdout);
        }),
    );
  });
});
