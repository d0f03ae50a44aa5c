import { describe, expect, it } from "vitest";
import { Linter } from "eslint";
import plugin from "eslint-plugin-archlint";

type Config = { files?: string[]; language?: string; rules?: Record<string, string>; languageOptions?: { parserOptions?: { projectService?: boolean } } };
const rules = plugin.rules as Record<string, { meta: { docs: { recommended: string; requiresTypeChecking?: boolean }; languages?: string[] } }>;
const presets = plugin.configs as Record<string, Config[]>;

function enabled(preset: string): string[] {
  return presets[preset]!.flatMap((c) => Object.keys(c.rules ?? {})).sort();
}

describe("presets follow rule meta", () => {
  it("recommended = rules marked recommended that need no types", () => {
    const expected = Object.entries(rules)
      .filter(([, r]) => r.meta.docs.recommended === "recommended" && !r.meta.docs.requiresTypeChecking)
      .map(([id]) => `archlint/${id}`)
      .sort();
    expect(enabled("recommended")).toEqual(expected);
    expect(expected).toContain("archlint/prisma-relation-index");
  });

  it("all = every rule; strict and recommended-type-checked sit between", () => {
    const all = Object.keys(rules)
      .map((id) => `archlint/${id}`)
      .sort();
    expect(enabled("all")).toEqual(all);
    for (const id of enabled("recommended")) expect(enabled("recommended-type-checked")).toContain(id);
    for (const id of enabled("recommended-type-checked")) expect(enabled("strict")).toContain(id);
  });

  it("prisma rules run only on .prisma files through archlint/prisma, SQL rules only on migrations through archlint/sql, the others only on code", () => {
    for (const preset of Object.keys(presets)) {
      for (const config of presets[preset]!) {
        for (const id of Object.keys(config.rules ?? {})) {
          const languages = rules[id.replace("archlint/", "")]!.meta.languages ?? [];
          const isPrisma = languages.includes("archlint/prisma");
          const isSql = languages.includes("archlint/sql");
          expect(config.language === "archlint/prisma", `${preset}: ${id}`).toBe(isPrisma);
          expect(config.language === "archlint/sql", `${preset}: ${id}`).toBe(isSql);
          expect(
            config.files?.every((f) => f.endsWith(".prisma")),
            `${preset}: ${id}`,
          ).toBe(isPrisma);
          expect(
            config.files?.every((f) => f.endsWith(".sql") && f.includes("migrations")),
            `${preset}: ${id}`,
          ).toBe(isSql);
        }
      }
    }
  });

  it("the SQL rules are in recommended, on Supabase's and Prisma's migration layouts and not on other .sql files", () => {
    const sql = presets.recommended!.find((c) => c.language === "archlint/sql")!;
    expect(Object.keys(sql.rules ?? {}).sort()).toEqual(["archlint/sql-fk-index", "archlint/sql-rls-enabled", "archlint/sql-rls-policy"]);
    const linter = new Linter({ configType: "flat" });
    const configFor = (file: string) =>
      linter.verify("create table public.t (id int, org_id int references public.orgs);", presets.recommended as never, file).map((m) => m.ruleId ?? m.message);
    expect(configFor("supabase/migrations/20240101000000_init.sql")).toEqual(["archlint/sql-rls-enabled", "archlint/sql-fk-index"]);
    // Not a Supabase project: no schema is exposed, so row level security is not asked for.
    expect(configFor("prisma/migrations/20240101000000_init/migration.sql")).toEqual(["archlint/sql-fk-index"]);
    expect(configFor("supabase/seed.sql")).toEqual(["No matching configuration found for supabase/seed.sql."]);
  });

  it("type-checked presets turn on the project service; recommended does not", () => {
    const service = (p: string) => presets[p]!.some((c) => c.languageOptions?.parserOptions?.projectService === true);
    expect(service("recommended")).toBe(false);
    expect(service("recommended-type-checked")).toBe(true);
  });
});

describe("preset options", () => {
  type Entry = string | [string, Record<string, unknown>];
  const entry = (preset: string, id: string): Entry | undefined =>
    presets[preset]!.map((c) => (c.rules as Record<string, Entry> | undefined)?.[id]).find((e) => e !== undefined);

  it("strict and all pass each rule's strictOptions; recommended presets use the defaults", () => {
    const withOptions = Object.entries(rules).filter(([, r]) => (r.meta.docs as { strictOptions?: object }).strictOptions);
    expect(withOptions.map(([id]) => id)).toEqual(expect.arrayContaining(["cache-hot-reads", "fastify-require-schema"]));
    for (const [id, rule] of withOptions) {
      const options = (rule.meta.docs as { strictOptions?: object }).strictOptions;
      expect(entry("strict", `archlint/${id}`)).toEqual(["error", options]);
      expect(entry("all", `archlint/${id}`)).toEqual(["error", options]);
      expect(entry("recommended-type-checked", `archlint/${id}`)).toBe("error");
    }
    expect(entry("strict", "archlint/cache-hot-reads")).toEqual(["error", { hot: "all-reads" }]);
    expect(entry("strict", "archlint/fastify-require-schema")).toEqual(["error", { response: "2xx" }]);
  });

  it("ESLint accepts every preset's options against the rules' schemas, and strict's options take effect", () => {
    // A protected query: not hot by default, hot under `hot: "all-reads"`.
    const code = [
      'import { protectedProcedure, router } from "./trpc";',
      'import { prisma } from "./db";',
      "export const postRouter = router({",
      "  mine: protectedProcedure.query(({ ctx }) => prisma.post.findMany({ where: { authorId: ctx.user.id } })),",
      "});",
    ].join("\n");
    const lint = (preset: string) => {
      const linter = new Linter({ configType: "flat" });
      // Without a project here, the type-aware rules would throw typescript-eslint's setup error: they are turned off, the rest keep the preset's options.
      const typed = Object.entries(rules)
        .filter(([, r]) => r.meta.docs.requiresTypeChecking)
        .map(([id]) => `archlint/${id}`);
      const withoutTyped = (c: (typeof presets)[string][number]) =>
        c.rules ? { ...c, rules: { ...c.rules, ...Object.fromEntries(typed.filter((id) => id in c.rules!).map((id) => [id, "off"])) } } : c;
      const configs = presets[preset]!.map((c) =>
        withoutTyped(c.languageOptions?.parserOptions ? { ...c, languageOptions: { ...c.languageOptions, parserOptions: {} } } : c),
      );
      return linter.verify(code, configs as never, "src/post.router.ts").map((m) => `${m.ruleId}:${m.line}`);
    };
    expect(lint("recommended")).toEqual([]);
    expect(lint("recommended-type-checked")).toEqual([]);
    expect(lint("strict")).toEqual(["archlint/cache-hot-reads:4", "archlint/db-bounded-reads:4"]);
    expect(lint("all")).toEqual(["archlint/cache-hot-reads:4", "archlint/db-bounded-reads:4"]);
  });
});

describe("presets beside a typed typescript-eslint setup", () => {
  const schema =
    'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    String @id\n  posts Post[]\n}\n\nmodel Post {\n  id       String @id\n  authorId String\n  author   User   @relation(fields: [authorId], references: [id])\n}\n';
  const lint = (extra: object) =>
    new Linter({ configType: "flat" })
      .verify(schema, [...(presets.recommended as never[]), extra as never], "prisma/schema.prisma")
      .map((m) => `${m.ruleId}:${m.line}:${m.message.slice(0, 40)}`);

  it("a languageOptions block without `files` (parserOptions.projectService, tsconfigRootDir) does not break .prisma files", () => {
    expect(lint({ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: "/repo" }, sourceType: "module" } })).toEqual([
      "archlint/prisma-relation-index:13:`Post.authorId` (relation `author` -> `U",
    ]);
  });

  it("a key neither language knows is still an error", () => {
    expect(() => lint({ files: ["**/*.prisma"], languageOptions: { schemaPath: "db" } })).toThrow(/Unknown languageOptions key "schemaPath"/);
  });
});
