import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { prepassFor, PREPASS_RULES, type PrepassFile } from "../../src/analysis/prepass.js";

/**
 * The CLI's pre-pass (issue #17 goal 3): a file it skips must hold no finding. Checked two ways:
 * every syntax-only invalid case of the rules' own tests is kept (the conditions are necessary on
 * all the code the rules are pinned to report), and near misses beside each condition are skipped
 * (the conditions skip something).
 */

interface Case {
  code: string;
  filename?: string;
  settings?: { archlint?: Record<string, unknown> };
}
const captured: Array<{ name: string; invalid: Case[] }> = [];

vi.mock("../rule-tester.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../rule-tester.js")>();
  // Typed cases are not the pre-pass's (it runs without types); a skipped entry keeps a suite that holds only them valid.
  const ignore = { run: (name: string) => it.skip(`${name}: typed, not run here`, () => undefined) };
  return {
    ...actual,
    ruleTester: { run: (name: string, _rule: unknown, cases: { invalid: Case[] }) => void captured.push({ name, invalid: cases.invalid }) },
    typedRuleTester: ignore,
    effectVersionTesters: () => actual.effectVersionTesters().map((t) => ({ ...t, tester: ignore })),
  };
});

const cwd = path.resolve(import.meta.dirname, "../..");
const file = (text: string, filename = "src/server/service.ts"): PrepassFile => ({ cwd, filename: path.join(cwd, filename), text });
const recommended = prepassFor(PREPASS_RULES, undefined)!;

// The rules' test files, loaded at collection time (a test file may open a suite of its own).
for (const id of PREPASS_RULES) await import(`../rules/${id}.test.ts`);

describe("pre-pass conditions, on every syntax-only invalid case of the rules' tests", () => {
  it.each(PREPASS_RULES)("%s: each invalid case is kept", (id) => {
    const invalid = captured.filter((c) => c.name === id).flatMap((c) => c.invalid);
    // Each of these rules has syntax-only invalid cases; none may be skipped.
    expect(invalid.length).toBeGreaterThan(0);
    const only = prepassFor([id], undefined)!;
    for (const c of invalid) {
      const settings = c.settings?.archlint;
      const may = settings ? prepassFor([id], settings)! : only;
      const f = { cwd: process.cwd(), filename: path.resolve(process.cwd(), c.filename ?? "file.ts"), text: c.code };
      expect({ code: c.code, kept: may(f) }).toEqual({ code: c.code, kept: true });
    }
  });
});

describe("pre-pass conditions and their near misses", () => {
  it("is off (null) when a rule has no condition", () => {
    expect(prepassFor([...PREPASS_RULES, "archlint/db-bounded-reads"], undefined)).toBeNull();
    expect(prepassFor(["other/rule"], undefined)).toBeNull();
  });

  it("database calls need an operation and a client word", () => {
    expect(recommended(file("export const f = () => prisma.user.findMany();"))).toBe(true);
    expect(recommended(file("export const f = () => ctx.db.user.count();"))).toBe(true);
    expect(recommended(file('export const f = () => db.selectFrom("u").selectAll().execute();'))).toBe(true);
    expect(recommended(file("await client.$transaction(async (t) => t.user.create({ data }));"))).toBe(true);
    expect(recommended(file("await k.transaction().execute(async (trx) => trx.insertInto('u').execute());"))).toBe(true);
    // Near misses: a client word inside a longer name, an operation without a client, a client without an operation.
    expect(recommended(file("export const f = () => dbx.user.findMany();"))).toBe(false);
    expect(recommended(file("export const f = () => client.user.findMany();"))).toBe(false);
    expect(recommended(file("export const f = () => prisma.user.findManyish();"))).toBe(false);
    expect(recommended(file("export const f = () => prisma.user;"))).toBe(false);
  });

  it("a project's dbClients setting adds its last name", () => {
    const code = "export const f = () => ctx.repo.user.findMany();";
    expect(recommended(file(code))).toBe(false);
    expect(prepassFor(PREPASS_RULES, { dbClients: ["ctx.repo"] })!(file(code))).toBe(true);
  });

  it("runtime-only rules skip non-runtime files; the endpoint rules do not", () => {
    const loop = "for (const id of ids) await prisma.user.findUnique({ where: { id } });";
    expect(recommended(file(loop))).toBe(true);
    expect(recommended(file(loop, "src/server/service.test.ts"))).toBe(false);
    expect(recommended(file("export const r = publicProcedure.query(() => 1);", "src/server/router.test.ts"))).toBe(true);
  });

  it("tRPC needs a terminal and a builder; a settings builder counts", () => {
    expect(recommended(file("export const r = publicProcedure.mutation(() => 1);"))).toBe(true);
    expect(recommended(file("export const r = t.procedure.subscription(() => 1);"))).toBe(true);
    expect(recommended(file("const { data } = useQuery(publicProcedureKey);"))).toBe(false);
    expect(recommended(file("export const r = authed.query(() => 1);"))).toBe(false);
    expect(prepassFor(PREPASS_RULES, { procedures: { protected: ["authed"] } })!(file("export const r = authed.query(() => 1);"))).toBe(true);
  });

  it("Fastify, Next.js route files and server actions", () => {
    expect(recommended(file('import type { FastifyInstance } from "fastify";'))).toBe(true);
    expect(recommended(file("export async function GET() { return Response.json(1); }", "src/app/api/users/route.ts"))).toBe(true);
    expect(recommended(file("export default function handler(req, res) { res.json(1); }", "src/pages/api/users.ts"))).toBe(true);
    expect(recommended(file('"use server";\nexport async function save() {}'))).toBe(true);
    expect(recommended(file("export async function GET() { return Response.json(1); }", "src/app/api/users/routes.ts"))).toBe(false);
  });

  it("Effect needs an import from effect", () => {
    expect(recommended(file('import { Effect } from "effect";'))).toBe(true);
    expect(recommended(file('import * as Effect from "effect/Effect";'))).toBe(true);
    expect(recommended(file('import { run } from "effectful";'))).toBe(false);
  });

  it("cache writes (any case) and unsafe raw SQL", () => {
    expect(recommended(file("await redis.SET(key, value);"))).toBe(true);
    expect(recommended(file("await redis.hset(key, field, value);"))).toBe(true);
    expect(recommended(file("await redis.settle(key);"))).toBe(false);
    expect(recommended(file("const q = sql.raw(text);"))).toBe(true);
    expect(recommended(file("const q = sql.rawText(text);"))).toBe(false);
  });

  it("keeps files that mention archlint or hold \\u escapes", () => {
    expect(recommended(file("// eslint-disable-next-line archlint/db-no-query-in-loop\nexport const x = 1;"))).toBe(true);
    expect(recommended(file("export const \\u0061 = 1;"))).toBe(true);
    expect(recommended(file("export const a = 1;"))).toBe(false);
  });
});
