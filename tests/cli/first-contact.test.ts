import fs from "node:fs";
import path from "node:path";
import {
  archlint,
  assertBuilt,
  CLI_FIXTURES,
  DEMO,
  ESLINT10,
  makeTmpDir,
  parseJson,
  runNode,
  STACK_LINE,
  zeroConfigNote,
  type JsonResult,
  type Run,
} from "./helpers.js";

/**
 * A new user's first `archlint check` on a real repository (issue #10): every path named is
 * linted wherever it is, archlint's own rules always run, a project's comments for other plugins
 * produce nothing, config mistakes get a complete line, and a monorepo without a root tsconfig is
 * seen whole. Every run is the built CLI in a real process.
 */

const MONOREPO = path.join(CLI_FIXTURES, "monorepo");
const UNINDEXED_SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Author {
  id    Int    @id
  books Book[]
}

model Book {
  id       Int    @id
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
`;

let tmp: string;

beforeAll(() => {
  assertBuilt();
  tmp = makeTmpDir("first-contact");
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** "file rule line:column severity" for every message, files relative to `base`. */
function messages(results: JsonResult[], base: string): string[] {
  return results
    .flatMap((r) =>
      r.messages.map((m) => `${path.relative(base, r.filePath).split(path.sep).join("/")} ${m.ruleId ?? m.message} ${m.line}:${m.column} ${m.severity}`),
    )
    .sort();
}

/** A usage or input error: exit 2, nothing on stdout, one line on stderr, no stack trace. */
function expectUsageError(r: Run, line: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr).not.toMatch(STACK_LINE);
}

describe("a path on the command line is always linted, or the run fails", () => {
  it("a schema and a project outside the working directory are linted (absolute and ../)", () => {
    const other = project("other-app", { "package.json": '{ "name": "other-app" }\n', "prisma/schema.prisma": UNINDEXED_SCHEMA });
    const here = project("here", { "package.json": '{ "name": "here" }\n' });
    const schema = archlint(["schema", path.join(other, "prisma/schema.prisma"), "--format", "json"], here);
    expect(schema.code, schema.stderr).toBe(1);
    expect(messages(parseJson(schema.stdout), other)).toEqual(["prisma/schema.prisma archlint/prisma-relation-index 14:19 2"]);
    const check = archlint(["check", "../other-app", "--format", "json"], here);
    expect(check.code, check.stderr).toBe(1);
    expect(messages(parseJson(check.stdout), other)).toEqual(["prisma/schema.prisma archlint/prisma-relation-index 14:19 2"]);
    expect(check.stderr).toBe(zeroConfigNote("recommended (no tsconfig.json includes these files)", "Prisma schema ../other-app/prisma/schema.prisma"));
  });

  it("a folder with nothing to lint, a folder whose files are all ignored, and a named file that is skipped: exit 2 naming it", () => {
    const dir = project("nothing", {
      "package.json": '{ "name": "nothing" }\n',
      "docs/README.md": "# docs\n",
      "dist/server.js": "export const built = 1;\n",
      "src/app.ts": "export const app = 1;\n",
    });
    fs.mkdirSync(path.join(dir, "empty"));
    expectUsageError(archlint(["check", "empty"], dir), /^archlint: Nothing to lint in empty: no files to lint \(archlint lints \.ts, /);
    expectUsageError(archlint(["check", "docs"], dir), /^archlint: Nothing to lint in docs: no files to lint/);
    expectUsageError(archlint(["check", "dist"], dir), /^archlint: Nothing to lint in dist: every file in it is ignored \(node_modules, dist, /);
    expectUsageError(
      archlint(["check", "docs/README.md"], dir),
      /^archlint: Nothing to lint in docs\/README\.md: it is ignored because no matching configuration was supplied\.$/,
    );
    expectUsageError(archlint(["check", "empty"], path.join(dir, "src")), /^archlint: No such file or directory: empty$/);
    const ok = archlint(["check", "src", "--format", "json"], dir);
    expect(ok.code).toBe(0);
  });
});

describe("archlint check always runs archlint's rules, and only those", () => {
  const CODE = `/* eslint-env node */
import Redis from "ioredis";

const redis = new Redis();

// eslint-disable-next-line react-hooks/exhaustive-deps
export async function remember(key: string) {
  await redis.set(key, "1"); // eslint-disable-line no-console
}

/* eslint no-console: "error" */
console.log("started");

// eslint-disable-next-line archlint/cache-require-ttl
export const forever = (key: string) => redis.set(key, "1");

// eslint-disable-next-line archlint/db-no-query-in-loop
export const nothing = 1;
`;

  it("a config without archlint (its plugins not even installed) is not loaded: zero-config runs, other plugins' comments produce nothing", () => {
    const dir = project("own-config-without-archlint", {
      "package.json": '{ "name": "web", "type": "module" }\n',
      "eslint.config.mjs":
        'import js from "@eslint/js-not-installed";\nimport react from "eslint-plugin-react-hooks-not-installed";\nexport default [js.configs.recommended, react.configs.recommended];\n',
      "src/cache.ts": CODE,
    });
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      zeroConfigNote("recommended (no tsconfig.json includes these files)", "no Prisma schema found", "eslint.config.mjs does not use eslint-plugin-archlint"),
    );
    const results = parseJson(r.stdout);
    // The finding, and the unused archlint directive as a warning; nothing about react-hooks,
    // no-console or eslint-env.
    expect(messages(results, dir)).toEqual([
      "src/cache.ts Unused eslint-disable directive (no problems were reported from 'archlint/db-no-query-in-loop'). 17:1 1",
      "src/cache.ts archlint/cache-require-ttl 8:9 2",
    ]);
    expect(results.find((f) => f.filePath.endsWith("cache.ts"))).toMatchObject({ errorCount: 1, warningCount: 1, fatalErrorCount: 0 });

    // --fix removes archlint's unused directive only: the other plugins' comments are the project's.
    const fixed = archlint(["check", "--fix", "--format", "json"], dir);
    expect(fixed.code).toBe(1);
    const after = fs.readFileSync(path.join(dir, "src/cache.ts"), "utf8");
    for (const kept of [
      "/* eslint-env node */",
      "react-hooks/exhaustive-deps",
      "eslint-disable-line no-console",
      '/* eslint no-console: "error" */',
      "eslint-disable-next-line archlint/cache-require-ttl",
    ]) {
      expect(after).toContain(kept);
    }
    expect(after).not.toContain("archlint/db-no-query-in-loop");
  });

  it("a config that registers archlint gives its rules their options; the config's other rules do not run", () => {
    const dir = project("own-config-with-archlint", {
      "package.json": '{ "name": "api", "type": "module" }\n',
      "eslint.config.mjs": `import archlint from "eslint-plugin-archlint";
export default [
  ...archlint.configs.recommended,
  { rules: { "no-console": "error", "no-unused-vars": "error", "archlint/cache-require-ttl": "warn" } },
];
`,
      "src/cache.ts": CODE,
    });
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(messages(parseJson(r.stdout), dir)).toEqual([
      "src/cache.ts Unused eslint-disable directive (no problems were reported from 'archlint/db-no-query-in-loop'). 17:1 1",
      "src/cache.ts archlint/cache-require-ttl 8:9 1",
    ]);
  });
});

describe("runtime rules judge runtime code", () => {
  it("tests, scripts and seeds are skipped by the runtime rules; a whole app under a fixtures/ folder is still runtime code", () => {
    const set = 'import Redis from "ioredis";\nconst redis = new Redis();\nexport const remember = (key: string) => redis.set(key, "1");\n';
    const dir = project("non-runtime", {
      "package.json": '{ "name": "examples-repo" }\n',
      "fixtures/shop/package.json": '{ "name": "shop" }\n',
      "fixtures/shop/src/cache.ts": set,
      "fixtures/shop/scripts/warm-cache.ts": set,
      "fixtures/shop/src/cache.test.ts": set,
      "fixtures/shop/prisma/seed.ts": set,
      "fixtures/loose/cache.ts": set,
    });
    const r = archlint(["check", "--format", "json"], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(messages(parseJson(r.stdout), dir)).toEqual(["fixtures/shop/src/cache.ts archlint/cache-require-ttl 3:42 2"]);
  });
});

describe("config mistakes get a complete line", () => {
  it("an unknown rule option: ESLint's whole message, with the property and the expected ones", () => {
    const dir = project("bad-option", {
      "package.json": '{ "name": "bad-option", "type": "module" }\n',
      "eslint.config.mjs":
        'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { rules: { "archlint/cache-hot-reads": ["error", { bogusOption: 1 }] } }];\n',
      "src/a.ts": "export const a = 1;\n",
    });
    expectUsageError(
      archlint(["check"], dir),
      /^archlint: Cannot load eslint\.config\.mjs: Key "rules": Key "archlint\/cache-hot-reads": .*Unexpected property "bogusOption"\. Expected properties: "hot", "maxDepth"/,
    );
  });

  it("settings.archlint.schema naming nothing: exit 2 in archlint, an error naming the key and the path in ESLint", () => {
    const dir = project("missing-schema-setting", {
      "package.json": '{ "name": "missing-schema", "type": "module" }\n',
      "eslint.config.mjs":
        'import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { schema: "db/schema.prisma" } } }];\n',
      "src/posts.ts":
        'import { PrismaClient } from "@prisma/client";\nconst prisma = new PrismaClient();\nexport const drafts = () => prisma.post.findMany({ where: { published: false } });\n',
    });
    const missing = path.join(dir, "db/schema.prisma");
    expectUsageError(
      archlint(["check"], dir),
      new RegExp(`^archlint: Invalid settings\\.archlint\\.schema: no file or folder at ${missing.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`),
    );
    const eslint = runNode(ESLINT10, ["src/posts.ts"], dir);
    expect(eslint.code).toBe(2);
    expect(eslint.stderr).toContain(`Invalid settings.archlint.schema: no file or folder at ${missing}`);
  });
});

describe("zero-config sees the whole monorepo", () => {
  it("no root tsconfig: the packages' tsconfigs type the code, and the schema in packages/db checks packages/api's queries", () => {
    const r = archlint(["check", "--format", "json"], MONOREPO);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe(
      "archlint: 1 file is in no tsconfig.json, linted without type information: apps/web/src/page.ts\n" +
        zeroConfigNote("recommended-type-checked (1 tsconfig.json below)", "Prisma schema packages/db/prisma/schema.prisma"),
    );
    expect(messages(parseJson(r.stdout), MONOREPO)).toEqual(["packages/api/src/orders.ts archlint/db-where-indexed 7:34 2"]);
    // The same from inside the package: the workspace's schema is found from there too.
    const api = path.join(MONOREPO, "packages/api");
    const inside = archlint(["check", "--format", "json"], api);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toBe(zeroConfigNote("recommended-type-checked (tsconfig.json includes them)", "Prisma schema ../db/prisma/schema.prisma"));
    expect(messages(parseJson(inside.stdout), MONOREPO)).toEqual(["packages/api/src/orders.ts archlint/db-where-indexed 7:34 2"]);
  });

  it("the demo: one line says which preset and which schema, and every rule of that preset reports (as the README says)", async () => {
    const r = archlint(["check", "--format", "json"], DEMO);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(zeroConfigNote("recommended-type-checked (tsconfig.json includes them)", "Prisma schema prisma/schema.prisma"));
    const { default: plugin } = (await import("eslint-plugin-archlint")) as {
      default: { configs: Record<string, Array<{ rules?: Record<string, unknown> }>> };
    };
    const reported = new Set(parseJson(r.stdout).flatMap((f) => f.messages.map((m) => m.ruleId)));
    const preset = plugin.configs["recommended-type-checked"]!.flatMap((c) => Object.keys(c.rules ?? {}));
    expect([...reported].sort()).toEqual([...preset].sort());
  });

  it("the demo under the strict preset: every rule of the plugin reports, the strict-only ones included", async () => {
    const config = project("strict-config", {
      "strict.config.mjs": 'import archlint from "eslint-plugin-archlint";\nexport default archlint.configs.strict;\n',
    });
    const r = archlint(["check", "--config", path.join(config, "strict.config.mjs"), "--format", "json"], DEMO);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const { default: plugin } = (await import("eslint-plugin-archlint")) as { default: { rules: Record<string, unknown> } };
    const reported = new Set(parseJson(r.stdout).flatMap((f) => f.messages.map((m) => m.ruleId)));
    expect([...reported].sort()).toEqual(
      Object.keys(plugin.rules)
        .map((id) => `archlint/${id}`)
        .sort(),
    );
    // The strict-only rules' findings: the public `post.deleteComment`, the relations left to Prisma's default,
    // the member and session lists with no page, and `org.transferOwnership`'s two writes outside a transaction.
    const strictRules = new Set([
      "archlint/trpc-protect-mutations",
      "archlint/prisma-explicit-on-delete",
      "archlint/db-bounded-reads",
      "archlint/db-transaction-for-multi-write",
    ]);
    const strictOnly = parseJson(r.stdout).flatMap((f) =>
      f.messages.filter((m) => strictRules.has(m.ruleId ?? "")).map((m) => `${path.relative(DEMO, f.filePath)} ${m.ruleId} ${m.line}`),
    );
    expect(strictOnly).toEqual([
      "prisma/schema.prisma archlint/prisma-explicit-on-delete 109",
      "prisma/schema.prisma archlint/prisma-explicit-on-delete 126",
      "prisma/schema.prisma archlint/prisma-explicit-on-delete 147",
      "src/server/routers/org.ts archlint/db-bounded-reads 38",
      "src/server/routers/org.ts archlint/db-bounded-reads 86",
      "src/server/routers/org.ts archlint/db-transaction-for-multi-write 143",
      "src/server/routers/post.ts archlint/trpc-protect-mutations 186",
      "src/server/routers/user.ts archlint/db-bounded-reads 48",
    ]);
  });
});
