import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { archlint, assertBuilt, BIN, makeTmpDir, parseJson } from "./helpers.js";

/**
 * `--fix` never loses a byte (issue #18): fixes land by rename, so a kill leaves each file old or
 * new; nothing is written when one file cannot be; a file that changed or vanished while archlint
 * ran is left alone; and the report is of the files after the fixes.
 */

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("fix");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const MAIN = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
}
`;

/** File `i` of a generated multi-file schema: even files a user and its posts, odd files notes of the previous file's user. */
function schemaFile(i: number): string {
  return i % 2 === 0
    ? `model User${i} {\n  id    Int @id\n  posts Post${i}[]\n  notes Note${i + 1}[]\n}\n\nmodel Post${i} {\n  id       Int @id\n  authorId Int\n  author   User${i} @relation(fields: [authorId], references: [id])\n}\n`
    : `model Note${i} {\n  id     Int @id\n  userId Int\n  user   User${i - 1} @relation(fields: [userId], references: [id])\n}\n`;
}

/** A project whose prisma/schema/ holds main.prisma and `count` (even) files, each with one unindexed relation. */
function generatedProject(name: string, count: number): { dir: string; schemaDir: string; before: Map<string, string> } {
  const dir = path.join(tmp, name);
  const schemaDir = path.join(dir, "prisma/schema");
  fs.mkdirSync(schemaDir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "${name}", "private": true }\n`);
  const before = new Map<string, string>([["main.prisma", MAIN]]);
  for (let i = 0; i < count; i++) before.set(`m${String(i).padStart(3, "0")}.prisma`, schemaFile(i));
  writeAll(schemaDir, before);
  return { dir, schemaDir, before };
}

function writeAll(dir: string, files: Map<string, string>): void {
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
}

function readAll(dir: string): Map<string, string> {
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

/** stderr lines about fixes left unwritten. */
function unwritten(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.includes("its fixes were not written"));
}

function cleanEnv(): NodeJS.ProcessEnv {
  const drop = new Set(["FORCE_COLOR", "ARCHLINT_DEBUG", "NODE_OPTIONS"]);
  return Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1" }).filter(([key]) => !drop.has(key)));
}

/**
 * Runs `archlint schema --fix` and SIGKILLs it `delayMs` after the first change in `watchDir` (the
 * first temporary file, or with in-place writes the first truncation): the kill lands in or just
 * after the writes, not in the seconds of linting before them.
 */
function runAndKill(dir: string, watchDir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "schema", "--fix"], { cwd: dir, env: cleanEnv(), stdio: "ignore" });
    const watcher = fs.watch(watchDir, () => {
      watcher.close();
      if (delayMs === 0) child.kill("SIGKILL");
      else setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("error", reject);
    child.on("exit", () => {
      watcher.close();
      resolve();
    });
  });
}

describe("archlint --fix", () => {
  it("a SIGKILL at any instant of the writes leaves every schema file with its old or its new content", async () => {
    const FILES = 40;
    const TRIALS = 8;
    const { dir, schemaDir, before } = generatedProject("kill", FILES);
    // The fix: an @@index of the relation's field at the end of the model.
    const after = new Map(
      [...before].map(([name, text]) => [name, text.replace(/(\n {2}(\w+)Id Int\n {2}\w+ +\w+ @relation\([^\n]*\n)\}\n$/, "$1\n  @@index([$2Id])\n}\n")]),
    );
    const fixedNames = [...before.keys()].filter((f) => after.get(f) !== before.get(f));
    expect(fixedNames).toHaveLength(FILES);
    // A seeded sequence of delays: 0 ms (at the first write) up to past the last one.
    let seed = 18;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const tally = { broken: 0, mixed: 0, strayTemp: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      await runAndKill(dir, schemaDir, trial < 3 ? trial : Math.floor(random() * 40));
      const now = readAll(schemaDir);
      let fresh = 0;
      for (const [name, text] of now) {
        if (/\.archlint-\d+-[0-9a-f]+\.tmp$/.test(name)) {
          tally.strayTemp++;
          fs.rmSync(path.join(schemaDir, name));
        } else if (text === after.get(name)) {
          if (text !== before.get(name)) fresh++;
        } else if (text !== before.get(name)) {
          tally.broken++;
        }
      }
      if (fresh > 0 && fresh < FILES) tally.mixed++;
      writeAll(schemaDir, before);
    }
    // Not vacuous: some kills landed inside the writes. They are two phases: a synced temporary
    // file for every fixed file (a kill there leaves stray temporary files and every original
    // as it was), then the renames, milliseconds apart (a kill there leaves some files fixed).
    expect(tally.mixed + tally.strayTemp).toBeGreaterThan(0);
    expect(tally.broken).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)("when one file cannot be written, writes none and exits 2 naming it", () => {
    const { dir, schemaDir, before } = generatedProject("read-only", 4);
    fs.chmodSync(path.join(schemaDir, "m002.prisma"), 0o444);
    const r = archlint(["schema", "--fix"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("archlint: Cannot write prisma/schema/m002.prisma: permission denied; no fixes were written.\n");
    expect(readAll(schemaDir)).toEqual(new Map([...before].sort()));
  });

  it("leaves alone a file deleted, and a file edited, after archlint read it; fixes the rest", () => {
    const dir = path.join(tmp, "meddled");
    const schemaDir = path.join(dir, "prisma/schema");
    fs.mkdirSync(schemaDir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "meddled", "private": true }\n`);
    const model = (name: string): string =>
      `model ${name}Owner {\n  id    Int @id\n  items ${name}[]\n}\n\nmodel ${name} {\n  id      Int @id\n  ownerId Int\n  owner   ${name}Owner @relation(fields: [ownerId], references: [id])\n}\n`;
    const before = new Map([
      ["main.prisma", MAIN],
      ["kept.prisma", model("Kept")],
      ["deleted.prisma", model("Deleted")],
      ["edited.prisma", model("Edited")],
    ]);
    writeAll(schemaDir, before);
    // Fault injection: right after ESLint reads deleted.prisma or edited.prisma, someone deletes or edits it.
    const meddle = path.join(dir, "meddle.mjs");
    fs.writeFileSync(
      meddle,
      `import fs from "node:fs";
const read = fs.promises.readFile;
const done = new Set();
fs.promises.readFile = async (file, ...rest) => {
  const content = await read(file, ...rest);
  if (typeof file === "string" && !done.has(file)) {
    done.add(file);
    if (file.endsWith("deleted.prisma")) fs.rmSync(file);
    if (file.endsWith("edited.prisma")) fs.appendFileSync(file, "// edited meanwhile\\n");
  }
  return content;
};
`,
    );
    const r = spawnSync(process.execPath, ["--import", pathToFileURL(meddle).href, BIN, "schema", "--fix"], { cwd: dir, env: cleanEnv(), encoding: "utf8" });
    expect(unwritten(r.stderr).sort()).toEqual([
      "archlint: prisma/schema/deleted.prisma no longer exists; its fixes were not written.",
      "archlint: prisma/schema/edited.prisma changed while archlint was running; its fixes were not written.",
    ]);
    // The edited file still has the finding its fix was for.
    expect(r.status).toBe(1);
    const now = readAll(schemaDir);
    expect([...now.keys()]).toEqual(["edited.prisma", "kept.prisma", "main.prisma"]);
    expect(now.get("edited.prisma")).toBe(`${before.get("edited.prisma")}// edited meanwhile\n`);
    expect(now.get("kept.prisma")).toBe(before.get("kept.prisma")!.replace(/\}\n$/, "\n  @@index([ownerId])\n}\n"));
    expect(now.get("main.prisma")).toBe(MAIN);
  });

  it("check --fix reports the files after the fixes: an @@index added to the schema clears db-where-indexed in the code", () => {
    const dir = path.join(tmp, "relint");
    fs.mkdirSync(path.join(dir, "prisma"), { recursive: true });
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), `{ "name": "relint", "private": true }\n`);
    const schema = `${MAIN}
model User {
  id    String @id
  posts Post[]
}

model Post {
  id       String @id
  authorId String
  author   User   @relation(fields: [authorId], references: [id])
}
`;
    const schemaPath = path.join(dir, "prisma/schema.prisma");
    fs.writeFileSync(schemaPath, schema);
    fs.chmodSync(schemaPath, 0o640);
    fs.writeFileSync(
      path.join(dir, "src/posts.ts"),
      `import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export function postsBy(authorId: string) {
  return prisma.post.findMany({ where: { authorId } });
}
`,
    );
    const findings = (stdout: string): string[] =>
      parseJson(stdout).flatMap((res) => res.messages.map((m) => `${path.relative(dir, res.filePath)} ${m.ruleId} ${m.line}:${m.column}`));
    const first = archlint(["check", "--format", "json"], dir);
    expect(first.code).toBe(1);
    expect(findings(first.stdout)).toContain("prisma/schema.prisma archlint/prisma-relation-index 17:19");

    const fixed = archlint(["check", "--fix", "--format", "json"], dir);
    expect(findings(fixed.stdout)).toEqual([]);
    expect(fixed.code).toBe(0);
    const after = archlint(["check", "--format", "json"], dir);
    expect({ code: fixed.code, findings: findings(fixed.stdout) }).toEqual({ code: after.code, findings: findings(after.stdout) });
    expect(fs.readFileSync(schemaPath, "utf8")).toBe(schema.replace(/\}\n$/, "\n  @@index([authorId])\n}\n"));
    expect(fs.statSync(schemaPath).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.join(dir, "prisma"))).toEqual(["schema.prisma"]);
  });
});
