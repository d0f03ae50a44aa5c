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
const captured: Array<{ name: string; invalid: Case[]; typed: boolean }> = [];

vi.mock("../rule-tester.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../rule-tester.js")>();
  const capture = (typed: boolean) => ({
    run: (name: string, _rule: unknown, cases: { invalid: Case[] }) => {
      captured.push({ name, invalid: cases.invalid, typed });
      // A suite that holds only typed cases stays valid.
      if (typed) it.skip(`${name}: checked by the typed pre-pass test`, () => undefined);
    },
  });
  return {
    ...actual,
    ruleTester: capture(false),
    typedRuleTester: capture(true),
    effectVersionTesters: () => actual.effectVersionTesters().map((t) => ({ ...t, tester: capture(true) })),
  };
});

const cwd = path.resolve(import.meta.dirname, "../..");
const file = (text: string, filename = "src/server/service.ts"): PrepassFile => ({ cwd, filename: path.join(cwd, filename), text });
const recommended = prepassFor(PREPASS_RULES, undefined)!;

// The rules' test files, loaded at collection time (a test file may open a suite of its own).
for (const id of PREPASS_RULES) await import(`../rules/${id}.test.ts`);

/** The rules that report without type information (the two typed Effect rules do not). */
const SYNTAX_RULES = PREPASS_RULES.filter((id) => id !== "effect-no-floating" && id !== "effect-no-escaping-errors");

describe("pre-pass conditions, on every syntax-only invalid case of the rules' tests", () => {
  it.each(SYNTAX_RULES)("%s: each invalid case is kept", (id) => {
    const invalid = captured.filter((c) => c.name === id && !c.typed).flatMap((c) => c.invalid);
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

describe("typed pre-pass conditions, on every typed invalid case of the rules' tests", () => {
  // Typed suites are named after the rule: "db-no-query-in-loop (type-aware)", "effect-no-floating (Effect 4)".
  const of = (id: string) => captured.filter((c) => c.typed && (c.name === id || c.name.startsWith(`${id} `)));
  const typedCases = PREPASS_RULES.filter((id) => of(id).some((c) => c.invalid.length > 0));
  it("the typed rules' tests are captured", () => {
    expect(typedCases).toEqual(expect.arrayContaining(["effect-no-floating", "effect-no-escaping-errors", "db-no-query-in-loop"]));
  });
  it.each(typedCases)("%s: each typed invalid case is kept by the typed pre-pass", (id) => {
    for (const c of of(id).flatMap((x) => x.invalid)) {
      const may = prepassFor([id], c.settings?.archlint, { typed: true, installed: () => true })!;
      const f = { cwd: process.cwd(), filename: path.resolve(process.cwd(), c.filename ?? "file.ts"), text: c.code };
      expect({ code: c.code, kept: may(f) }).toEqual({ code: c.code, kept: true });
    }
  });
});

describe("pre-pass conditions and their near misses", () => {
  it("is off (null) when a rule has no condition", () => {
    expect(prepassFor([...PREPASS_RULES, "archlint/db-bounded-reads"], undefined)).toBeNull();
    expect(prepassFor([...PREPASS_RULES, "archlint/db-bounded-reads"], undefined, { typed: true })).toBeNull();
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

  it("a client name in a module specifier is no client; escapes are read decoded", () => {
    expect(recommended(file('import { Role } from "@prisma/client";\nexport const f = (r: Role) => roles.create(r);'))).toBe(false);
    expect(recommended(file('import { prisma } from "@/lib/prisma";\nexport const f = () => prisma.user.create({ data });'))).toBe(true);
    // A name after a string that reads like a specifier is still seen when a call follows it.
    expect(recommended(file('const s = "rows from " + prisma.user.count();'))).toBe(true);
    expect(recommended(file("export const f = () => \\u0070risma.user.findMany();"))).toBe(true);
    expect(recommended(file('export const f = () => prisma.user["find\\x4dany"]();'))).toBe(true);
    expect(recommended(file('export const s = "caf\\u00e9";'))).toBe(false);
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
    // The client: a cacheClients name, a Redis module, a Redis-like constructor or factory; not any receiver of `set`.
    expect(recommended(file("await store.set(`user:${id}`, value);"))).toBe(false);
    expect(recommended(file('import { kv as store } from "@vercel/kv";\nawait store.set(`user:${id}`, value);'))).toBe(true);
    expect(recommended(file("const store = getValkey();\nawait store.set(`user:${id}`, value);"))).toBe(true);
    expect(prepassFor(PREPASS_RULES, { cacheClients: ["ctx.store"] })!(file("await ctx.store.set(`user:${id}`, value);"))).toBe(true);
    expect(prepassFor(PREPASS_RULES, undefined, { typed: true, installed: () => false })!(file("await store.set(`user:${id}`, value);"))).toBe(true);
    expect(recommended(file("const q = sql.raw(text);"))).toBe(true);
    expect(recommended(file("const q = sql.rawText(text);"))).toBe(false);
    // A fragment needs its receiver's imported name; an unsafe statement is Prisma's own name.
    expect(recommended(file('import { Prisma } from "@prisma/client";\nconst q = Prisma.raw(text);'))).toBe(true);
    expect(recommended(file("const q = String.raw`a${b}`; const v = json.raw(text);"))).toBe(false);
    expect(recommended(file("await anything.$queryRawUnsafe(text);"))).toBe(true);
  });

  it("typed: a database operation on any receiver (a client known by its type), still not without an operation", () => {
    const typed = prepassFor(PREPASS_RULES, undefined, { typed: true, installed: () => false })!;
    expect(recommended(file("export const f = () => client.user.findMany();"))).toBe(false);
    expect(typed(file("export const f = () => client.user.findMany();"))).toBe(true);
    expect(typed(file("export const f = () => client.user.findManyish();"))).toBe(false);
  });

  it("typed: a route method call is a Fastify route only where Fastify is installed", () => {
    const code = "export default async function routes(app: App) { app.get('/u', async () => 1); }";
    expect(prepassFor(PREPASS_RULES, undefined, { typed: true, installed: () => false })!(file(code))).toBe(false);
    expect(prepassFor(PREPASS_RULES, undefined, { typed: true, installed: (p) => p === "fastify" })!(file(code))).toBe(true);
    expect(recommended(file(code))).toBe(false);
  });

  it("typed: where Effect is installed an Effect may come from any import; where it is not, only an import from effect counts", () => {
    const code = 'import { loadUser } from "./users";\nexport const main = () => { loadUser(1); };';
    const rules = ["effect-no-floating", "effect-no-escaping-errors"];
    expect(prepassFor(rules, undefined, { typed: true, installed: (p) => p === "effect" })!(file(code))).toBe(true);
    expect(prepassFor(rules, undefined, { typed: true, installed: () => false })!(file(code))).toBe(false);
    expect(prepassFor(rules, undefined, { typed: true, installed: () => false })!(file('import { Effect } from "effect";'))).toBe(true);
  });

  it("keeps files that mention archlint", () => {
    expect(recommended(file("// eslint-disable-next-line archlint/db-no-query-in-loop\nexport const x = 1;"))).toBe(true);
    expect(recommended(file("export const \\u0061 = 1;"))).toBe(false);
    expect(recommended(file("export const a = 1;"))).toBe(false);
  });
});
