import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  loadSchema,
  locateSchema,
  neutraliseLegacyDatasource,
  prismaEngine,
  prismaValidate,
  SchemaLocateError,
  SchemaReadError,
  schemaLocationForFile,
  type SchemaLocation,
} from "../src/index.js";

/**
 * Locating and loading schemas from real directories: single files, multi-file folders, Prisma 5/6
 * datasources, Prisma's errors at exact positions (UTF-16 columns, CRLF), the per-file cache, and
 * Prisma's lookup order.
 */

const dirs: string[] = [];

/** A fresh project directory holding `files` (relative path -> content). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archlint-core-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const fileAt = (p: string): SchemaLocation => ({ path: p, isFolder: false, source: "explicit" });

const SINGLE = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(cuid())
  email String @unique
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId])
}
`;

describe("loadSchema: a single file", () => {
  it("loads, validates with Prisma and models a valid schema", () => {
    const dir = project({ "prisma/schema.prisma": SINGLE });
    const location = locateSchema(dir)!;
    expect(location).toEqual({ path: path.join(dir, "prisma", "schema.prisma"), isFolder: false, source: "default" });
    const loaded = loadSchema(location);
    expect(loaded.errors).toEqual([]);
    expect(loaded.files.map((f) => f.path)).toEqual([location.path]);
    expect(loaded.files[0]!.text).toBe(SINGLE);
    expect(loaded.model!.provider).toBe("postgresql");
    expect(loaded.model!.relationMode).toBe("foreignKeys");
    expect([...loaded.model!.models.keys()]).toEqual(["User", "Post"]);
    const post = loaded.model!.models.get("Post")!;
    expect(post.relations.map((r) => [r.fieldName, r.targetModel, r.fields, r.references])).toEqual([["author", "User", ["authorId"], ["id"]]]);
    expect(post.indexes.map((i) => [i.kind, i.fields])).toEqual([
      ["id", ["id"]],
      ["index", ["authorId"]],
    ]);
  });

  it("throws SchemaReadError for a file that does not exist", () => {
    const dir = project({});
    expect(() => loadSchema(fileAt(path.join(dir, "missing.prisma")))).toThrow(SchemaReadError);
  });
});

describe("loadSchema: a multi-file schema folder", () => {
  const files = {
    "prisma/schema/schema.prisma": `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}
`,
    "prisma/schema/user.prisma": `model User {
  id       String    @id @default(cuid())
  email    String    @unique
  posts    Post[]
  comments Comment[]
}
`,
    "prisma/schema/blog/post.prisma": `model Post {
  id       String    @id @default(cuid())
  authorId String
  author   User      @relation(fields: [authorId], references: [id])
  comments Comment[]

  @@index([authorId])
}
`,
    "prisma/schema/blog/comment.prisma": `model Comment {
  id       String @id @default(cuid())
  postId   String
  authorId String
  post     Post   @relation(fields: [postId], references: [id])
  author   User   @relation(fields: [authorId], references: [id])

  @@index([postId])
  @@index([authorId])
}
`,
    // Migrations are not part of the schema: this file would not even validate.
    "prisma/schema/migrations/20240101000000_init/not-a-schema.prisma": "this is not prisma\n",
  };

  it("finds the folder, loads every file but migrations, and resolves relations across files", () => {
    const dir = project(files);
    const location = locateSchema(dir)!;
    expect(location).toEqual({ path: path.join(dir, "prisma", "schema"), isFolder: true, source: "default" });
    const loaded = loadSchema(location);
    expect(loaded.errors).toEqual([]);
    expect(loaded.files.map((f) => path.relative(location.path, f.path))).toEqual([
      path.join("blog", "comment.prisma"),
      path.join("blog", "post.prisma"),
      "schema.prisma",
      "user.prisma",
    ]);
    const model = loaded.model!;
    expect(model.provider).toBe("mysql");
    expect(model.relationMode).toBe("prisma");
    expect(model.models.get("Post")!.filePath).toBe(path.join(location.path, "blog", "post.prisma"));
    expect(model.models.get("User")!.filePath).toBe(path.join(location.path, "user.prisma"));
    expect(model.models.get("Comment")!.relations.map((r) => r.targetModel)).toEqual(["Post", "User"]);
  });

  it("reports an error in one file of the folder with that file's path and position", () => {
    const dir = project({
      ...files,
      "prisma/schema/user.prisma": files["prisma/schema/user.prisma"].replace("email    String    @unique", "email    Strin     @unique"),
    });
    const loaded = loadSchema(locateSchema(dir)!);
    // archlint's parser reads the file: the model is what is written, Prisma's error beside it.
    expect(loaded.model!.models.get("User")!.fields.map((f) => f.fieldType?.name)).toContain("Strin");
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({
      filePath: path.join(dir, "prisma", "schema", "user.prisma"),
      origin: "prisma",
      message: 'Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.',
      loc: { start: { line: 3, column: 11 }, end: { line: 3, column: 16 } },
    });
  });

  it("schemaLocationForFile puts a file of the folder in the folder's schema", () => {
    const dir = project({ ...files, "package.json": "{}" });
    const post = path.join(dir, "prisma", "schema", "blog", "post.prisma");
    expect(schemaLocationForFile(post)).toEqual({ path: path.join(dir, "prisma", "schema"), isFolder: true, source: "default" });
  });
});

const LEGACY_DATASOURCE = `datasource db {
  provider          = "postgresql"
  url               = env("DATABASE_URL")
  directUrl         = env("DIRECT_URL")
  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")
}

model User {
  id String @id @default(cuid())
}
`;

describe("Prisma 5/6 datasources (url, directUrl, shadowDatabaseUrl)", () => {
  it("Prisma 7's validator rejects them as written", () => {
    const diagnostics = prismaValidate([["schema.prisma", LEGACY_DATASOURCE]])!;
    expect(diagnostics.filter((d) => !d.isWarning).map((d) => d.message.split(" is no longer supported")[0])).toEqual(
      expect.arrayContaining(["The datasource property `url`", "The datasource property `directUrl`", "The datasource property `shadowDatabaseUrl`"]),
    );
  });

  it("loadSchema accepts them: no errors, and the model is built", () => {
    const dir = project({ "prisma/schema.prisma": LEGACY_DATASOURCE });
    const loaded = loadSchema(locateSchema(dir)!);
    expect(loaded.errors).toEqual([]);
    expect(loaded.model!.provider).toBe("postgresql");
  });

  it("neutraliseLegacyDatasource blanks them keeping the length and every line break", () => {
    for (const text of [LEGACY_DATASOURCE, LEGACY_DATASOURCE.replace(/\n/g, "\r\n")]) {
      const dir = project({ "schema.prisma": text });
      const [file] = loadSchema(fileAt(path.join(dir, "schema.prisma"))).files;
      const blanked = neutraliseLegacyDatasource(file!);
      expect(blanked).toHaveLength(text.length);
      const breaks = (s: string) => [...s.matchAll(/\r|\n/g)].map((m) => m.index);
      expect(breaks(blanked)).toEqual(breaks(text));
      expect(blanked).not.toMatch(/url|env\(/i);
      expect(blanked).toContain('provider          = "postgresql"');
      expect(blanked.slice(blanked.indexOf("model User"))).toBe(text.slice(text.indexOf("model User")));
      expect(prismaValidate([["schema.prisma", blanked]])!.filter((d) => !d.isWarning)).toEqual([]);
    }
  });

  it("leaves a datasource it could not read for Prisma to reject (a broken url line is not blanked)", () => {
    const broken = LEGACY_DATASOURCE.replace('env("DATABASE_URL")', 'env("DATABASE_URL)');
    expect(broken).not.toBe(LEGACY_DATASOURCE);
    const dir = project({ "schema.prisma": broken });
    const loaded = loadSchema(fileAt(path.join(dir, "schema.prisma")));
    expect(loaded.errors.length).toBeGreaterThan(0);
    expect(loaded.model).toBeNull();
  });

  it("leaves a Prisma 7 datasource untouched", () => {
    const text = 'datasource db {\n  provider = "sqlite"\n}\n';
    const dir = project({ "schema.prisma": text });
    const [file] = loadSchema(fileAt(path.join(dir, "schema.prisma"))).files;
    expect(neutraliseLegacyDatasource(file!)).toBe(text);
  });
});

describe("Prisma's errors at exact positions", () => {
  const INVALID = `datasource db {
  provider = "postgresql"
}

model User {
  id    String @id @default(cuid())
  email String @unique
  name  Strin
}
`;

  function loadText(text: string) {
    const dir = project({ "schema.prisma": text });
    return loadSchema(fileAt(path.join(dir, "schema.prisma")));
  }

  it("reports an unknown type with Prisma's message at its line and column", () => {
    const loaded = loadText(INVALID);
    expect([...loaded.model!.models.keys()]).toEqual(["User"]);
    expect(loaded.errors).toEqual([
      {
        filePath: loaded.files[0]!.path,
        message: 'Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.',
        range: [INVALID.lastIndexOf("Strin"), INVALID.lastIndexOf("Strin") + 5],
        loc: { start: { line: 8, column: 8 }, end: { line: 8, column: 13 } },
        origin: "prisma",
      },
    ]);
  });

  it("counts columns in UTF-16 units after é and emoji, earlier in the file and on the same line", () => {
    const text = `datasource db {
  provider = "postgresql"
}

/// Café ☕ owners 😀
model User {
  id    String @id @default(cuid())
  name  String @default("José 😀") @map("display_name") @unknownThing
}
`;
    const loaded = loadText(text);
    expect(loaded.errors).toHaveLength(1);
    const [error] = loaded.errors;
    expect(text.slice(...error!.range)).toBe("@unknownThing");
    const line = text.split("\n")[7]!;
    expect(error!.loc.start).toEqual({ line: 8, column: line.indexOf("@unknownThing") });
    expect(error!.loc.start.column).toBe(56);
  });

  it("reports the same line and column with CRLF line endings", () => {
    const loaded = loadText(INVALID.replace(/\n/g, "\r\n"));
    expect(loaded.errors.map((e) => [e.message, e.loc])).toEqual([
      [
        'Type "Strin" is neither a built-in type, nor refers to another model, composite type, or enum.',
        { start: { line: 8, column: 8 }, end: { line: 8, column: 13 } },
      ],
    ]);
  });

  it("loads a valid CRLF schema with no errors and the same model", () => {
    const loaded = loadText(SINGLE.replace(/\n/g, "\r\n"));
    expect(loaded.errors).toEqual([]);
    expect(loaded.model!.models.get("Post")!.relations[0]!.attribute.loc.start).toEqual({ line: 19, column: 18 });
  });

  it("reports errors in file order, then offset order", () => {
    const text = INVALID.replace("email String @unique", "email Strng  @unique");
    const loaded = loadText(text);
    expect(loaded.errors.map((e) => [e.loc.start.line, text.slice(...e.range)])).toEqual([
      [7, "Strng"],
      [8, "Strin"],
    ]);
  });
});

describe("loadSchema caching", () => {
  it("returns the same file object (and the same result) while the file is unchanged", () => {
    const dir = project({ "prisma/schema.prisma": SINGLE });
    const location = locateSchema(dir)!;
    const first = loadSchema(location);
    const second = loadSchema(location);
    expect(second.files[0]).toBe(first.files[0]);
    expect(second).toBe(first);
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it("reparses after the file is rewritten with different content", () => {
    const dir = project({ "prisma/schema.prisma": SINGLE });
    const location = locateSchema(dir)!;
    const first = loadSchema(location);
    const changed = SINGLE.replace("  title    String\n", "  title    String\n  body     String?\n");
    fs.writeFileSync(location.path, changed);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(location.path, later, later);
    const second = loadSchema(location);
    expect(second.files[0]).not.toBe(first.files[0]);
    expect(second.files[0]!.text).toBe(changed);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.model!.models.get("Post")!.fields.map((f) => f.name.name)).toContain("body");
  });

  it("keeps the parsed file when only the mtime changes", () => {
    const dir = project({ "prisma/schema.prisma": SINGLE });
    const location = locateSchema(dir)!;
    const first = loadSchema(location);
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(location.path, later, later);
    expect(loadSchema(location).files[0]).toBe(first.files[0]);
  });

  it("in a folder, reparses only the file that changed", () => {
    const dir = project({
      "prisma/schema/schema.prisma": 'datasource db {\n  provider = "sqlite"\n}\n',
      "prisma/schema/user.prisma": "model User {\n  id Int @id\n}\n",
      "prisma/schema/post.prisma": "model Post {\n  id Int @id\n}\n",
    });
    const location = locateSchema(dir)!;
    const first = loadSchema(location);
    const userPath = path.join(location.path, "user.prisma");
    fs.writeFileSync(userPath, "model User {\n  id   Int    @id\n  name String\n}\n");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(userPath, later, later);
    const second = loadSchema(location);
    const byName = (files: typeof first.files) => new Map(files.map((f) => [path.basename(f.path), f]));
    expect(byName(second.files).get("user.prisma")).not.toBe(byName(first.files).get("user.prisma"));
    expect(byName(second.files).get("post.prisma")).toBe(byName(first.files).get("post.prisma"));
    expect(byName(second.files).get("schema.prisma")).toBe(byName(first.files).get("schema.prisma"));
  });

  it("uses an editor's unsaved text instead of the disk copy", () => {
    const dir = project({ "prisma/schema.prisma": SINGLE });
    const location = locateSchema(dir)!;
    const unsaved = SINGLE.replace("  title    String\n", "  title    Strin\n");
    const loaded = loadSchema(location, { override: { path: location.path, text: unsaved } });
    expect(loaded.files[0]!.text).toBe(unsaved);
    expect(loaded.errors.map((e) => e.loc.start)).toEqual([{ line: 17, column: 11 }]);
    expect(fs.readFileSync(location.path, "utf8")).toBe(SINGLE);
  });
});

describe("locateSchema: Prisma's lookup order", () => {
  const schema = 'datasource db {\n  provider = "sqlite"\n}\n';

  function everyCandidate(): string {
    return project({
      "custom/explicit.prisma": schema,
      "prisma.config.ts": `import path from "node:path";
import { defineConfig, env } from "prisma/config";

export default defineConfig({
  schema: "db/schema.prisma",
  migrations: { path: "db/migrations" },
  datasource: { url: env("DATABASE_URL") },
});
`,
      "db/schema.prisma": schema,
      "package.json": JSON.stringify({ name: "app", prisma: { schema: "pkg/schema.prisma" } }),
      "pkg/schema.prisma": schema,
      "prisma/schema.prisma": schema,
      "prisma/schema/main.prisma": schema,
    });
  }

  it("1. an explicit path wins over everything", () => {
    const dir = everyCandidate();
    expect(locateSchema(dir, "custom/explicit.prisma")).toEqual({
      path: path.join(dir, "custom", "explicit.prisma"),
      isFolder: false,
      source: "explicit",
    });
  });

  it("an explicit folder is a folder location", () => {
    const dir = everyCandidate();
    expect(locateSchema(dir, "prisma/schema")).toEqual({ path: path.join(dir, "prisma", "schema"), isFolder: true, source: "explicit" });
  });

  it("an explicit path that does not exist is a SchemaLocateError naming it", () => {
    const dir = everyCandidate();
    let error: unknown;
    try {
      locateSchema(dir, "nope/schema.prisma");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaLocateError);
    expect((error as Error).name).toBe("SchemaLocateError");
    expect((error as Error).message).toBe(`Prisma schema not found: ${path.join(dir, "nope", "schema.prisma")}`);
  });

  it("2. then prisma.config.ts's schema entry, relative to the config file", () => {
    const dir = everyCandidate();
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "db", "schema.prisma"), isFolder: false, source: "prisma.config" });
  });

  it("3. then package.json#prisma.schema", () => {
    const dir = everyCandidate();
    fs.rmSync(path.join(dir, "prisma.config.ts"));
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "pkg", "schema.prisma"), isFolder: false, source: "package.json" });
  });

  it("4. then prisma/schema.prisma", () => {
    const dir = everyCandidate();
    fs.rmSync(path.join(dir, "prisma.config.ts"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app" }));
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "prisma", "schema.prisma"), isFolder: false, source: "default" });
  });

  it("5. then the prisma/schema/ folder", () => {
    const dir = everyCandidate();
    fs.rmSync(path.join(dir, "prisma.config.ts"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "app" }));
    fs.rmSync(path.join(dir, "prisma", "schema.prisma"));
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "prisma", "schema"), isFolder: true, source: "default" });
  });

  it("6. nothing: null", () => {
    expect(locateSchema(project({ "package.json": "{}" }))).toBeNull();
  });

  it("a config entry that points nowhere falls through to the next candidate", () => {
    const dir = everyCandidate();
    fs.rmSync(path.join(dir, "db", "schema.prisma"));
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "pkg", "schema.prisma"), isFolder: false, source: "package.json" });
  });

  it("reads schema: path.join(...) in prisma.config.ts, and .config/prisma.ts", () => {
    const joined = project({
      "prisma.config.ts": 'import path from "node:path";\nexport default { schema: path.join("db", "schema") };\n',
      "db/schema/main.prisma": schema,
    });
    expect(locateSchema(joined)).toEqual({ path: path.join(joined, "db", "schema"), isFolder: true, source: "prisma.config" });

    const dotConfig = project({ ".config/prisma.ts": 'export default { schema: "db/schema.prisma" };\n', "db/schema.prisma": schema });
    expect(locateSchema(dotConfig)).toEqual({ path: path.join(dotConfig, "db", "schema.prisma"), isFolder: false, source: "prisma.config" });
  });

  it("an unparsable package.json is skipped, not an error", () => {
    const dir = project({ "package.json": "{ not json", "prisma/schema.prisma": schema });
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "prisma", "schema.prisma"), isFolder: false, source: "default" });
  });

  // Regression: Prisma's default lookup (getDefaultSchema in @prisma/internals) checks `./schema.prisma`
  // before `./prisma/schema.prisma`; locateSchema never looks at the project root.
  it("finds ./schema.prisma at the project root, as Prisma does", () => {
    const dir = project({ "package.json": "{}", "schema.prisma": schema });
    expect(locateSchema(dir)).toEqual({ path: path.join(dir, "schema.prisma"), isFolder: false, source: "default" });
  });
});

describe("loading without Prisma's validation (validate: false, for code rules)", () => {
  const schema = [
    'datasource db {\n  provider = "postgresql"\n}',
    "model Post {\n  id       String @id\n  authorId String\n  author   Author @relation(fields: [authorId], references: [id])\n\n  @@index([authorId])\n}",
    "",
  ].join("\n\n");

  it("models a schema Prisma would reject (unknown model `Author`) and leaves the rejection to a validating load", () => {
    const location = fileAt(path.join(project({ "schema.prisma": schema }), "schema.prisma"));
    const quick = loadSchema(location, { validate: false });
    expect(quick.validated).toBe(false);
    expect(quick.errors).toEqual([]);
    expect(quick.model!.models.get("Post")!.indexes.map((i) => i.fields)).toContainEqual(["authorId"]);
    // The unvalidated entry is not served to a caller that needs Prisma's verdict.
    const full = loadSchema(location);
    expect(full.validated).toBe(true);
    expect(full.model!.models.get("Post")!.relations.map((r) => r.targetModel)).toEqual(["Author"]);
    expect(full.errors.map((e) => e.origin)).toEqual(["prisma"]);
    expect(full.errors[0]!.message).toMatch(/Author/);
  });

  it("still refuses a schema archlint's own parser cannot read, and reuses a validated load", () => {
    const broken = fileAt(path.join(project({ "schema.prisma": "model Post {\n  id String @id\n" }), "schema.prisma"));
    const quick = loadSchema(broken, { validate: false });
    expect(quick.model).toBeNull();
    expect(quick.errors.map((e) => e.origin)).toEqual(["parser"]);

    const valid = fileAt(
      path.join(project({ "schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Post {\n  id String @id\n}\n' }), "schema.prisma"),
    );
    const full = loadSchema(valid);
    expect(full.errors).toEqual([]);
    expect(loadSchema(valid, { validate: false })).toBe(full);
  });
});

/** A Prisma 6.19 schema: `metrics` is a preview feature Prisma 6 knows and Prisma 7 retired. */
const PRISMA6 = `generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views", "relationJoins", "metrics"]
  binaryTargets   = ["native", "debian-openssl-3.0.x"]
}

datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

model User {
  id    String @id @default(cuid())
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}

view PostCount {
  authorId String @unique
  count    Int
}
`;

describe("schemas of the project's Prisma version (5, 6, 7) load with the bundled validator", () => {
  it("the bundled validator (Prisma 7) rejects Prisma 6's `metrics` preview feature itself (control)", () => {
    const diagnostics = prismaValidate([["schema.prisma", PRISMA6]])!;
    expect(diagnostics.filter((d) => !d.isWarning).map((d) => d.message)).toContainEqual(expect.stringMatching(/^The preview feature "metrics" is not known/));
  });

  it("a Prisma 6 schema with previewFeatures views, relationJoins, metrics loads: no errors, a model", () => {
    const loaded = loadSchema(fileAt(path.join(project({ "schema.prisma": PRISMA6 }), "schema.prisma")));
    expect(loaded.validator).toMatchObject({ source: "bundled", version: "7.10.0" });
    expect(loaded.errors).toEqual([]);
    expect(loaded.model!.models.get("Post")!.relations.map((r) => r.fields)).toEqual([["authorId"]]);
  });

  it("a preview feature newer than the bundled Prisma, and Prisma 5 ones, are not errors either", () => {
    const text = PRISMA6.replace('["views", "relationJoins", "metrics"]', '["views", "fullTextIndex", "multiSchema", "tracing", "someFutureFeature"]');
    expect(loadSchema(fileAt(path.join(project({ "schema.prisma": text }), "schema.prisma"))).errors).toEqual([]);
  });

  it("generator providers of Prisma 6 and 7 (prisma-client-js, prisma-client) both load", () => {
    const text =
      PRISMA6.replace(
        'generator client {\n  provider        = "prisma-client-js"',
        'generator client {\n  provider        = "prisma-client"\n  output          = "../src/generated/prisma"',
      ) + '\ngenerator legacy {\n  provider = "prisma-client-js"\n}\n';
    expect(loadSchema(fileAt(path.join(project({ "schema.prisma": text }), "schema.prisma"))).errors).toEqual([]);
  });

  it("Prisma's real errors stay, next to the ignored preview feature: an unknown type, at its span", () => {
    const text = PRISMA6.replace("  count    Int\n", "  count    Integer\n");
    const loaded = loadSchema(fileAt(path.join(project({ "schema.prisma": text }), "schema.prisma")));
    expect(loaded.errors.map((e) => [e.message, e.loc.start])).toEqual([
      ['Type "Integer" is neither a built-in type, nor refers to another model, composite type, or enum.', { line: 26, column: 11 }],
    ]);
    // archlint's parser read every file: the model is built, so schema rules still run.
    expect(loaded.model!.models.get("Post")).toBeDefined();
  });

  it("a view without the `views` preview feature is still an error (the features list is Prisma 6's, the error is real)", () => {
    const text = PRISMA6.replace('["views", "relationJoins", "metrics"]', '["relationJoins", "metrics"]');
    const loaded = loadSchema(fileAt(path.join(project({ "schema.prisma": text }), "schema.prisma")));
    expect(loaded.errors.map((e) => [e.message, e.loc.start.line])).toEqual([
      [expect.stringMatching(/View definitions are only available with the `views` preview feature/), 24],
    ]);
  });

  it("a preview-feature error outside the generator block is Prisma's verdict on the schema and stays", () => {
    // Partial indexes need the `partialIndexes` preview feature, which this schema does not list.
    const text = PRISMA6.replace(
      "  author   User   @relation(fields: [authorId], references: [id])\n",
      '  author   User   @relation(fields: [authorId], references: [id])\n\n  @@index([authorId], where: raw("\\"authorId\\" IS NOT NULL"))\n',
    );
    const loaded = loadSchema(fileAt(path.join(project({ "schema.prisma": text }), "schema.prisma")));
    expect(loaded.errors.map((e) => [e.message, e.loc.start.line])).toEqual([[expect.stringMatching(/Partial indexes are a preview feature/), 23]]);
  });
});

describe("the project's own Prisma validates its schema", () => {
  const bundledWasm = (): string => prismaEngine()!.wasmPath!;

  /** A project with `node_modules/<name>` holding a package.json and the schema wasm at `wasmRel`. */
  function projectWithPrisma(name: string, version: string, wasmRel: string, extra: Record<string, string> = {}): string {
    const dir = project({
      [`node_modules/${name}/package.json`]: JSON.stringify({ name, version, main: "src/prisma_schema_build.js" }),
      "prisma/schema.prisma": PRISMA6,
      ...extra,
    });
    fs.copyFileSync(bundledWasm(), path.join(dir, "node_modules", name, wasmRel));
    return dir;
  }

  it("finds prisma/build/prisma_schema_build_bg.wasm from the schema's folder, walking up to the project's node_modules", () => {
    const dir = projectWithPrisma("prisma", "6.19.0", "build/prisma_schema_build_bg.wasm", { "node_modules/prisma/build/.keep": "" });
    const engine = prismaEngine(path.join(dir, "prisma"));
    expect(engine).toEqual({
      source: "project",
      version: "6.19.0",
      wasmPath: path.join(fs.realpathSync(dir), "node_modules/prisma/build/prisma_schema_build_bg.wasm"),
    });
    // The project's Prisma is the judge: nothing is filtered or blanked out for it. (This stand-in
    // carries Prisma 7's wasm under a 6.19 label, so it rejects `metrics` and `url` as Prisma 7 does;
    // a real Prisma 6 accepts both, measured with prisma@6.19.0's own wasm.)
    const loaded = loadSchema(locateSchema(dir)!);
    expect(loaded.validator).toMatchObject({ source: "project", version: "6.19.0" });
    expect(loaded.errors.map((e) => e.message.slice(0, 40))).toEqual([
      'The preview feature "metrics" is not kno',
      "The datasource property `url` is no long",
      "The datasource property `directUrl` is n",
    ]);
    expect(loaded.model).not.toBeNull();
  });

  it("finds @prisma/prisma-schema-wasm when the project depends on it (or on @prisma/internals)", () => {
    const dir = projectWithPrisma("@prisma/prisma-schema-wasm", "6.19.0-26.2ba551f319ab1df4bc874a89965d8b3641056773", "src/prisma_schema_build_bg.wasm", {
      "node_modules/@prisma/prisma-schema-wasm/src/.keep": "",
    });
    expect(prismaEngine(path.join(dir, "prisma"))).toMatchObject({ source: "project", version: "6.19.0" });
  });

  it("uses the bundled validator when the project has no Prisma, or one older than 5.15 (single-file lint input)", () => {
    expect(prismaEngine(project({ "prisma/schema.prisma": PRISMA6 }))).toMatchObject({ source: "bundled" });
    const old = projectWithPrisma("prisma", "5.10.2", "build/prisma_schema_build_bg.wasm", { "node_modules/prisma/build/.keep": "" });
    expect(prismaEngine(path.join(old, "prisma"))).toMatchObject({ source: "bundled" });
    expect(loadSchema(locateSchema(old)!).errors).toEqual([]);
  });

  it("falls back to the bundled validator when the project's wasm cannot be instantiated", () => {
    const dir = project({
      "node_modules/prisma/package.json": JSON.stringify({ name: "prisma", version: "6.19.0" }),
      "node_modules/prisma/build/prisma_schema_build_bg.wasm": "not wasm",
      "prisma/schema.prisma": PRISMA6,
    });
    expect(prismaEngine(path.join(dir, "prisma"))).toMatchObject({ source: "bundled" });
    expect(loadSchema(locateSchema(dir)!).errors).toEqual([]);
  });
});
