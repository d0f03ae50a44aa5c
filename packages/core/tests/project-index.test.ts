import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  classifyBuilder,
  DEFAULT_CACHE_WRAPPERS,
  importedBuilderFacts,
  IndexCache,
  ProjectIndex,
  readTsconfig,
  resolveModule,
  resolveSettings,
  SettingsError,
} from "../src/index.js";

/**
 * The project index: one builder classifier, builders traced through other modules as ESTree,
 * the tsconfig with `extends`, defaulted settings, and the one cache's invalidation.
 */

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-index-"));
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

describe("classifyBuilder: one rule for init and the rules", () => {
  it("t.procedure with no middleware is public whatever its name; middleware makes it protected unless the name says public", () => {
    expect(classifyBuilder({ names: ["userProcedure", "t.procedure"], traced: true, middleware: false })).toBe("public");
    expect(classifyBuilder({ names: ["adminProcedure", "t.procedure"], traced: true, middleware: false })).toBe("public");
    expect(classifyBuilder({ names: ["authedProcedure", "t.procedure"], traced: true, middleware: true })).toBe("protected");
    expect(classifyBuilder({ names: ["publicProcedure", "t.procedure"], traced: true, middleware: true })).toBe("public");
  });

  it("a builder it cannot trace is protected unless its name says public; the settings win", () => {
    expect(classifyBuilder({ names: ["userProcedure"], traced: false, middleware: false })).toBe("protected");
    expect(classifyBuilder({ names: ["openProcedure"], traced: false, middleware: false })).toBe("public");
    expect(classifyBuilder({ names: ["userProcedure"], traced: false, middleware: false }, { public: ["userProcedure"] })).toBe("public");
    expect(classifyBuilder({ names: ["publicProcedure", "t.procedure"], traced: true, middleware: false }, { protected: ["publicProcedure"] })).toBe(
      "protected",
    );
  });
});

const TRPC = `import { initTRPC } from "@trpc/server";
const t = initTRPC.context<Ctx>().create();
export const userProcedure = t.procedure;
const authed = t.procedure.use(isAuthed);
export { authed as authedProcedure };
`;

describe("importedBuilderFacts", () => {
  it("traces a builder through renamed imports, local chains and a tsconfig `paths` alias declared in an extended base", () => {
    const dir = project({
      "tsconfig.base.json": '{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["src/*"] } } }\n',
      "tsconfig.json": '{ "extends": "./tsconfig.base.json", "include": ["src"] }\n',
      "src/server/trpc.ts": TRPC,
      "src/server/org.ts": 'import { authedProcedure as authed } from "./trpc";\nexport const orgProcedure = authed.input(orgInput).use(inOrg);\n',
      "src/routers/post.ts": "",
    });
    const from = path.join(dir, "src/routers/post.ts");
    expect(resolveModule(from, "~/server/org")).toBe(path.join(dir, "src/server/org.ts"));
    expect(importedBuilderFacts(from, "~/server/trpc", "userProcedure")).toEqual({
      names: ["userProcedure", "t.procedure"],
      traced: true,
      middleware: false,
      input: false,
    });
    expect(importedBuilderFacts(from, "~/server/org", "orgProcedure")).toEqual({
      names: ["orgProcedure", "authed", "authedProcedure", "t.procedure"],
      traced: true,
      middleware: true,
      input: true,
    });
    expect(importedBuilderFacts(from, "~/server/trpc", "missing")).toBeNull();
  });

  it("`.procedure` on a value that is not a tRPC instance is no builder", () => {
    const dir = project({ "a.ts": "const t = makeThing();\nexport const fooProcedure = t.procedure;\n", "b.ts": "" });
    expect(importedBuilderFacts(path.join(dir, "b.ts"), "./a", "fooProcedure")).toBeNull();
  });
});

describe("ProjectIndex", () => {
  it("classifies every builder of a project, as init writes them", () => {
    const dir = project({
      "src/trpc.ts": TRPC,
      "src/staff.ts": 'import { authedProcedure } from "./trpc";\nexport const staffOnly = authedProcedure.use(isStaff);\n',
    });
    expect(new ProjectIndex(dir).builders()).toEqual({ public: ["userProcedure"], protected: ["authed", "staffOnly"] });
  });

  it("reads the tsconfig with `extends`: the base's include decides the program's files", () => {
    const dir = project({
      "tsconfig.base.json": '{ "include": ["lib"] }\n',
      "tsconfig.json": '{ "extends": "./tsconfig.base.json" }\n',
      "lib/a.ts": "",
      "src/b.ts": "",
    });
    expect(readTsconfig(path.join(dir, "tsconfig.json"))?.fileNames).toEqual([path.join(dir, "lib/a.ts")]);
    expect(new ProjectIndex(dir).tsconfigForTargets(["lib"])).toBe(dir);
    expect(new ProjectIndex(dir).tsconfigForTargets(["src"])).toBeNull();
  });

  it("holds the settings with their defaults, and names a bad key", () => {
    expect(new ProjectIndex("/").settings.cacheWrappers).toEqual(DEFAULT_CACHE_WRAPPERS);
    expect(resolveSettings({ dbClients: ["database"] })).toMatchObject({
      dbClients: ["database"],
      cacheClients: ["redis", "cache", "kv", "upstash"],
      procedures: {},
    });
    expect(resolveSettings(undefined).nonRuntime).toBeUndefined();
    expect(() => new ProjectIndex("/", { dbclients: [] })).toThrow(SettingsError);
  });
});

describe("IndexCache", () => {
  it("invalidate(file) drops the facts computed from that file (or a folder holding it), and only those", () => {
    const cache = new IndexCache();
    let computed = 0;
    const fact = (key: string, files: string[]): number => cache.memo(key, () => ({ value: ++computed, files }));
    expect(fact("a", ["/p/a.ts"])).toBe(1);
    expect(fact("b", ["/p/b.ts"])).toBe(2);
    expect(fact("dir", ["/q"])).toBe(3);
    expect(fact("a", ["/p/a.ts"])).toBe(1);
    cache.invalidate("/p/a.ts");
    cache.invalidate("/q/new.ts");
    expect(fact("a", ["/p/a.ts"])).toBe(4);
    expect(fact("b", ["/p/b.ts"])).toBe(2);
    expect(fact("dir", ["/q"])).toBe(5);
    cache.invalidate("/p");
    expect(fact("b", ["/p/b.ts"])).toBe(6);
    cache.clear();
    expect(fact("b", ["/p/b.ts"])).toBe(7);
  });
});
