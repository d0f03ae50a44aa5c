import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, DEMO, assertBuilt, makeTmpDir } from "./helpers.js";

/**
 * `archlint --version` and `--help` answer from the CLI's usage module alone: they must not load
 * ESLint, TypeScript, the parser or Prisma (issue #17: start-up near the floor), and `archlint
 * schema` does not load TypeScript. A module resolve hook records every specifier the process
 * imports, and a CommonJS loader hook every `require`.
 */
function importedBy(args: string[]): { status: number | null; stdout: string; specifiers: string[] } {
  const dir = makeTmpDir("startup");
  const trace = path.join(dir, "trace.txt");
  fs.writeFileSync(
    path.join(dir, "hooks.mjs"),
    `import fs from "node:fs";
export async function resolve(specifier, context, next) {
  fs.appendFileSync(${JSON.stringify(trace)}, specifier + "\\n");
  return next(specifier, context);
}
`,
  );
  fs.writeFileSync(
    path.join(dir, "register.mjs"),
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});\n`,
  );
  fs.writeFileSync(
    path.join(dir, "require.cjs"),
    `const fs = require("node:fs");
const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  fs.appendFileSync(${JSON.stringify(trace)}, request + "\\n");
  return load.call(this, request, ...rest);
};
`,
  );
  const hooks = ["--require", path.join(dir, "require.cjs"), "--import", pathToFileURL(path.join(dir, "register.mjs")).href];
  const r = spawnSync(process.execPath, [...hooks, BIN, ...args], { cwd: DEMO, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, specifiers: fs.existsSync(trace) ? fs.readFileSync(trace, "utf8").split("\n").filter(Boolean) : [] };
}

const HEAVY = /^(?:eslint|eslint-plugin-archlint|@archlint\/core|typescript|@typescript-eslint\/|@prisma\/|zod)(?:\/|$)|\/cli\.js$/;

describe("start-up", () => {
  beforeAll(assertBuilt);

  it.each([[["--version"]], [["-h"]], [["check", "--help"]], [["help", "schema"]]])("%j loads no linter, parser or validator", (args) => {
    const { status, stdout, specifiers } = importedBy(args);
    expect(status).toBe(0);
    expect(stdout.length).toBeGreaterThan(0);
    // The hook saw the CLI's own entry: the trace is live.
    expect(specifiers.some((s) => s.endsWith("usage.js"))).toBe(true);
    expect(specifiers.filter((s) => HEAVY.test(s))).toEqual([]);
  });

  it("archlint schema loads neither ESLint nor TypeScript nor typescript-estree (the Prisma rules run without ESLint)", () => {
    const { status, stdout, specifiers } = importedBy(["schema", "--format", "json"]);
    expect(status).toBe(1);
    expect(JSON.parse(stdout)).not.toEqual([]);
    // The hook saw the plugin's Prisma entry: the trace is live.
    expect(specifiers).toContain("eslint-plugin-archlint/prisma");
    expect(specifiers).not.toContain("eslint");
    expect(specifiers).not.toContain("eslint-plugin-archlint");
    expect(specifiers.filter((s) => /^typescript$|typescript-estree|@typescript-eslint\/parser/.test(s))).toEqual([]);
  });

  it("a command still loads ESLint (the hook sees it)", () => {
    const { status, specifiers } = importedBy(["check", "--no-type-check", "--format", "json", "src/server/trpc.ts"]);
    expect([0, 1]).toContain(status);
    expect(specifiers.filter((s) => HEAVY.test(s))).toEqual(expect.arrayContaining(["./cli.js", "eslint", "typescript"]));
  });
});
