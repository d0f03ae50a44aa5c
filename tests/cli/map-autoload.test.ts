import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Autoload } from "eslint-plugin-archlint";
import { autoloadedFiles, autoloadPrefix } from "../../packages/cli/src/map/autoload.js";

/** `@fastify/autoload`'s loader rules, as the map follows them (the options the fixture of map.test.ts does not use). */

const DIR = path.join(path.sep, "app", "src", "routes");
const files = (...names: string[]): string[] => names.map((n) => path.join(DIR, ...n.split("/")));
const options = (over: Partial<Autoload> = {}): Autoload & { dir: string; prefix: string } => ({
  dir: DIR,
  prefix: "",
  dirNames: true,
  routeParams: false,
  ignorePattern: null,
  maxDepth: null,
  unread: [],
  ...over,
});
const loaded = (o: Autoload & { dir: string }, names: string[]): string[] =>
  autoloadedFiles(o, files(...names)).map((f) => `${path.relative(DIR, f.file).split(path.sep).join("/")} ${f.folderPrefix ?? "-"}`);

describe("autoloadedFiles", () => {
  const tree = ["a.ts", "types.d.ts", "autohooks.ts", "page.tsx", "users/index.ts", "users/list.ts", "users/posts/index.js", "deep/x/y/z.ts"];

  it("loads scripts but not declarations, autohooks or .tsx; only the index of a folder that has one, and still its subfolders", () => {
    // A folder's index first, then its subfolders by name, then its other files by name.
    expect(loaded(options(), tree)).toEqual(["deep/x/y/z.ts /deep/x/y", "users/index.ts /users", "users/posts/index.js /users/posts", "a.ts -"]);
  });

  it("dirNameRoutePrefix: false leaves the folders out of the prefix; maxDepth stops at that depth", () => {
    expect(loaded(options({ dirNames: false }), ["users/index.ts"])).toEqual(["users/index.ts /"]);
    expect(loaded(options({ maxDepth: 1 }), tree)).toEqual(["users/index.ts /users", "a.ts -"]);
  });

  it("ignorePattern skips files and folders by name", () => {
    expect(loaded(options({ ignorePattern: { source: "^(users|a\\.ts)$", flags: "" } }), tree)).toEqual(["deep/x/y/z.ts /deep/x/y"]);
  });

  it("ignores files outside the folder", () => {
    expect(autoloadedFiles(options(), [path.join(path.sep, "app", "src", "server.ts")])).toEqual([]);
  });
});

describe("autoloadPrefix", () => {
  it("joins options.prefix and the folders' part, collapsing slashes", () => {
    expect(autoloadPrefix(options({ prefix: "/api/" }), "/users", {})).toBe("/api/users");
    expect(autoloadPrefix(options({ prefix: "/api" }), undefined, {})).toBe("/api");
    expect(autoloadPrefix(options({ dirNames: false }), "//", {})).toBe("/");
  });

  it("autoPrefix takes the folders' place, prefixOverride the whole; an unreadable export gives null", () => {
    expect(autoloadPrefix(options({ prefix: "/api" }), "/users", { autoPrefix: "/people" })).toBe("/api/people");
    expect(autoloadPrefix(options({ prefix: "/api" }), "/users", { prefixOverride: "/v2" })).toBe("/v2");
    expect(autoloadPrefix(options({ prefix: "/api" }), "/users", { autoPrefix: null })).toBeNull();
  });

  it("routeParams turns `_id` folders into `:id`, and `__` into `:`", () => {
    expect(autoloadPrefix(options({ routeParams: true }), "/users/_id/posts", {})).toBe("/users/:id/posts");
    expect(autoloadPrefix(options({ routeParams: true }), "/files/name__ext", {})).toBe("/files/name:ext");
    expect(autoloadPrefix(options(), "/users/_id", {})).toBe("/users/_id");
  });
});
