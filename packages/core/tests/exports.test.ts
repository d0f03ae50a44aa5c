import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findExportedValue } from "../src/index.js";

/**
 * The text-level export lookup the rules use to follow builders and handlers into other files:
 * declarations, re-exports (renamed too), barrels (`export * from`), local export lists, and
 * cycles of barrels.
 */

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-exports-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const TRPC = `import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
export const publicProcedure = t.procedure;
const authed = t.procedure.use(isAuthed);
export { authed as authedProcedure };
`;

describe("findExportedValue", () => {
  it("reads a declaration, and a local export list that renames it", () => {
    const dir = project({ "server/trpc.ts": TRPC, "routers/post.ts": "" });
    const from = path.join(dir, "routers/post.ts");
    expect(findExportedValue(from, "../server/trpc", "publicProcedure")).toMatchObject({ file: path.join(dir, "server/trpc.ts"), text: "t.procedure" });
    expect(findExportedValue(from, "../server/trpc", "authedProcedure")?.text).toBe("t.procedure.use(isAuthed)");
  });

  it("follows `export * from` barrels, nested, and renamed re-exports; not `export * as ns`", () => {
    const dir = project({
      "server/trpc.ts": TRPC,
      "server/procedures/org.ts": 'import { authedProcedure } from "../trpc";\nexport const orgProcedure = authedProcedure.input(schema);\n',
      "server/procedures/index.ts": 'export * from "./org";\nexport * from "../trpc";\n',
      "server/index.ts":
        'export * as ns from "./ignored";\nexport * from "./procedures/index.js";\nexport { orgProcedure as teamProcedure } from "./procedures/org";\n',
      "routers/post.ts": "",
    });
    const from = path.join(dir, "routers/post.ts");
    const org = findExportedValue(from, "../server", "orgProcedure");
    expect(org).toMatchObject({ file: path.join(dir, "server/procedures/org.ts"), text: "authedProcedure.input(schema)" });
    expect(org?.imports.get("authedProcedure")).toBe("../trpc");
    expect(findExportedValue(from, "../server", "publicProcedure")?.text).toBe("t.procedure");
    expect(findExportedValue(from, "../server", "teamProcedure")?.text).toBe("authedProcedure.input(schema)");
    expect(findExportedValue(from, "../server", "ns")).toBeNull();
    expect(findExportedValue(from, "../server", "missingProcedure")).toBeNull();
  });

  it("ends a cycle of barrels instead of recursing forever", () => {
    const dir = project({
      "a.ts": 'export * from "./b";\nexport const fromA = 1;\n',
      "b.ts": 'export * from "./a";\n',
      "main.ts": "",
    });
    const from = path.join(dir, "main.ts");
    expect(findExportedValue(from, "./b", "fromA")?.text).toBe("1");
    expect(findExportedValue(from, "./a", "nowhere")).toBeNull();
  });
});
