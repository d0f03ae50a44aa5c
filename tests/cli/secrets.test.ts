import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { archlint, assertBuilt, makeTmpDir } from "./helpers.js";

/**
 * archlint never reads a schema through a symlink that leads out of the project, and never prints
 * a datasource's connection string, though Prisma's messages quote the values they reject (#18, 9b).
 */

beforeAll(assertBuilt);

const SECRET = "postgres://admin:hunter2-not-a-schema@db.internal:5432/app";

/** A project whose prisma/schema.prisma (or prisma/schema folder) is a symlink to a file (folder) in another folder. */
function linkedOut(kind: "file" | "folder"): { dir: string; real: string } {
  const dir = makeTmpDir(`symlink-${kind}`);
  const outside = makeTmpDir("outside");
  fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "linked", "private": true }\n`);
  fs.mkdirSync(path.join(dir, "prisma"));
  fs.writeFileSync(path.join(outside, "secrets.env"), `DATABASE_URL=${SECRET}\n`);
  if (kind === "file") {
    fs.symlinkSync(path.join(outside, "secrets.env"), path.join(dir, "prisma", "schema.prisma"));
    return { dir, real: fs.realpathSync(path.join(outside, "secrets.env")) };
  }
  fs.renameSync(path.join(outside, "secrets.env"), path.join(outside, "main.prisma"));
  fs.symlinkSync(outside, path.join(dir, "prisma", "schema"), "dir");
  return { dir, real: fs.realpathSync(path.join(outside, "main.prisma")) };
}

describe("a schema symlinked to outside the project", () => {
  it.each(["schema", "check"])("archlint %s refuses it: exit 2, one line naming the link and its target, nothing of its text", (command) => {
    const { dir, real } = linkedOut("file");
    for (const format of ["stylish", "json"]) {
      const r = archlint([command, "--format", format], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`archlint: refusing to read prisma/schema.prisma: it is a symlink that leads outside the project (to ${real})\n`);
    }
  });

  it("a schema folder that is a symlink to outside the project: refused too", () => {
    const { dir, real } = linkedOut("folder");
    const r = archlint(["schema"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`archlint: refusing to read prisma/schema/main.prisma: it is a symlink that leads outside the project (to ${real})\n`);
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });

  it("a schema named outside the project (--schema ../shared), not through a symlink, is still read", () => {
    const root = makeTmpDir("named-outside");
    fs.mkdirSync(path.join(root, "shared"));
    fs.mkdirSync(path.join(root, "app"));
    fs.writeFileSync(path.join(root, "app", "package.json"), `{ "name": "app", "private": true }\n`);
    fs.writeFileSync(
      path.join(root, "shared", "schema.prisma"),
      `datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n`,
    );
    const r = archlint(["schema", "--schema", "../shared/schema.prisma", "--format", "json"], path.join(root, "app"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("archlint/prisma-relation-index");
  });
});

describe("Prisma's messages never carry a connection string", () => {
  const ENV = "ARCHLINT_TEST_DATABASE_URL";
  afterEach(() => {
    delete process.env.ARCHLINT_TEST_DATABASE_URL;
  });

  /** A schema whose `relationMode` holds `value`: Prisma rejects it and quotes it. */
  const rejected = (value: string, url = ""): string => `datasource db {\n  provider = "postgresql"\n${url}  relationMode = "${value}"\n}\n`;

  it.each(["stylish", "json", "sarif", "github"])("%s: the credentials of a URL Prisma quotes are redacted", (format) => {
    const dir = makeTmpDir("redact-url");
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), rejected("postgresql://admin:hunter2@db.internal/app"));
    const r = archlint(["schema", "--format", format], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("postgresql://[redacted]@db.internal/app");
    expect(r.stdout + r.stderr).not.toContain("hunter2");
  });

  it("the value of the environment variable a datasource's url names is redacted wherever Prisma quotes it", () => {
    process.env[ENV] = "s3cr3t-token-value";
    const dir = makeTmpDir("redact-env");
    fs.mkdirSync(path.join(dir, "prisma"));
    fs.writeFileSync(path.join(dir, "prisma", "schema.prisma"), rejected("s3cr3t-token-value", `  url = env("${ENV}")\n`));
    const r = archlint(["schema", "--format", "json"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Invalid relation mode setting: \\"[redacted]\\"');
    expect(r.stdout + r.stderr).not.toContain("s3cr3t");
  });
});
