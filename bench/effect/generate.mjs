/**
 * A generated backend built on Effect: per domain a tagged-error module, a repository service with
 * its Layer, a domain service (generators, pipes, `Effect.fn`), a tRPC router that runs Effects
 * through the app's ManagedRuntime and its `runPromise` helper, and a plain TypeScript utility
 * module. Written for Effect 4 (`Context.Service`) or Effect 3 (`Context.Tag`, `Effect.Service`).
 * Deterministic (seeded): a few domains carry the violations the Effect rules report.
 */
import fs from "node:fs";
import path from "node:path";
import { prng } from "../lib/prng.mjs";

const BASES = ["order", "invoice", "payment", "product", "cart", "shipment", "refund", "coupon", "review", "ticket", "project", "task"];
const FILES_PER_DOMAIN = 5;
const SHARED_FILES = 3;

const pascal = (s) => s[0].toUpperCase() + s.slice(1);

const DB = `/** The app's SQL client (a pool in production). */
export const db = {
  async query<A>(sql: string, params: ReadonlyArray<unknown>): Promise<A> {
    const res = await fetch("http://sql.internal/query", {
      method: "POST",
      body: JSON.stringify({ sql, params }),
    });
    if (!res.ok) throw new Error(\`query failed: \${res.status}\`);
    return (await res.json()) as A;
  },
};
`;

const TRPC = `import { initTRPC } from "@trpc/server";

const t = initTRPC.create();
export const router = t.router;
export const publicProcedure = t.procedure;
`;

function runtimeFile(domains, v) {
  const layer = v === 3 ? "Default" : "layer";
  return [
    `import { Cause, Exit, Layer, ManagedRuntime, type Effect } from "effect";`,
    ...domains.map((d) => `import { ${pascal(d)}Service } from "./domains/${d}/${d}.service";`),
    ``,
    `export const AppLayer = Layer.mergeAll(${domains.map((d) => `${pascal(d)}Service.${layer}`).join(", ")});`,
    `export const AppRuntime = ManagedRuntime.make(AppLayer);`,
    `type AppServices = ${v === 3 ? "Layer.Layer.Success" : "Layer.Success"}<typeof AppLayer>;`,
    ``,
    `/** Failures are rethrown as the original error. */`,
    `export const runPromise = <A, E>(effect: Effect.Effect<A, E, AppServices>): Promise<A> =>`,
    `  AppRuntime.runPromiseExit(effect).then((exit) => {`,
    `    if (Exit.isFailure(exit)) throw Cause.squash(exit.cause);`,
    `    return exit.value;`,
    `  });`,
    ``,
  ].join("\n");
}

function errorsFile(D) {
  return `import { Data, Schema } from "effect";

export class ${D}NotFound extends Data.TaggedError("${D}NotFound")<{ readonly id: string }> {}
export class ${D}Invalid extends Schema.TaggedError<${D}Invalid>()("${D}Invalid", { field: Schema.String }) {}
export class ${D}DbError extends Data.TaggedError("${D}DbError")<{ readonly cause: unknown }> {}
`;
}

function repoFile(d, D, v, bad) {
  const shape = `{
  readonly findById: (id: string) => Effect.Effect<${D}Row | undefined, ${D}DbError>;
  readonly list: (ownerId: string, limit: number) => Effect.Effect<ReadonlyArray<${D}Row>, ${D}DbError>;
  readonly insert: (row: Omit<${D}Row, "id" | "createdAt">) => Effect.Effect<${D}Row, ${D}DbError>;
}`;
  const tag =
    v === 3
      ? `export class ${D}Repo extends Context.Tag("${D}Repo")<${D}Repo, ${shape}>() {}`
      : `export class ${D}Repo extends Context.Service<${D}Repo, ${shape}>()("${D}Repo") {}`;
  return `import { Context, Effect, Layer } from "effect";
import { db } from "../../db";
import { ${D}DbError } from "./${d}.errors";

export interface ${D}Row {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  readonly amount: number;
  readonly createdAt: Date;
}

${tag}

const query = <A>(sql: string, params: ReadonlyArray<unknown>) =>
  Effect.tryPromise({ try: () => db.query<A>(sql, params), catch: (cause) => new ${D}DbError({ cause }) });

export const ${D}RepoLive = Layer.succeed(${D}Repo, {
  findById: (id) => query<${D}Row[]>("select * from ${d} where id = $1", [id]).pipe(Effect.map((rows) => rows[0])),
  list: (ownerId, limit) =>
    query<${D}Row[]>("select * from ${d} where owner_id = $1 order by created_at desc limit $2", [ownerId, limit]).pipe(
      Effect.tap((rows) => Effect.annotateCurrentSpan("rows", rows.length)),
    ),
  insert: (row) =>
    ${bad ? `Effect.promise(() => db.query<${D}Row[]>("insert into ${d} (name, owner_id, amount) values ($1, $2, $3) returning *", [row.name, row.ownerId, row.amount])).pipe(Effect.map((rows) => rows[0]!))` : `query<${D}Row[]>("insert into ${d} (name, owner_id, amount) values ($1, $2, $3) returning *", [row.name, row.ownerId, row.amount]).pipe(Effect.map((rows) => rows[0]!))`},
});
`;
}

function serviceFile(d, D, v, bad) {
  const body = `Effect.gen(function* () {
    const repo = yield* ${D}Repo;
    const byId = Effect.fn("${D}Service.byId")(function* (id: string) {
      const row = yield* repo.findById(id);
      if (!row) return yield* new ${D}NotFound({ id });
      return row;
    });
    const create = (name: string, ownerId: string, amount: number) =>
      Effect.gen(function* () {
        if (name.trim() === "") return yield* new ${D}Invalid({ field: "name" });
        ${bad ? `Effect.logDebug("creating ${d}", name);` : `yield* Effect.logDebug("creating ${d}", name);`}
        return yield* repo.insert({ name, ownerId, amount });
      });
    const listForOwner = (ownerId: string) =>
      repo.list(ownerId, 50).pipe(
        Effect.map((rows) => rows.filter((r) => r.amount >= 0)),
        Effect.withSpan("${d}.listForOwner"),
      );
    const total = (ownerId: string) => listForOwner(ownerId).pipe(Effect.map((rows) => rows.reduce((sum, r) => sum + r.amount, 0)));
    const rename = (id: string, name: string) =>
      Effect.gen(function* () {
        const row = yield* byId(id);
        if (row.name === name) return row;
        const renamed = yield* repo.insert({ name, ownerId: row.ownerId, amount: row.amount });
        yield* Effect.forEach([row.id, renamed.id], (rowId) => Effect.logInfo("${d} renamed", rowId), { discard: true });
        return renamed;
      });
    return { byId, create, listForOwner, total, rename } as const;
  })`;
  if (v === 3) {
    return `import { Effect } from "effect";
import { ${D}Invalid, ${D}NotFound } from "./${d}.errors";
import { ${D}Repo, ${D}RepoLive } from "./${d}.repo";

export class ${D}Service extends Effect.Service<${D}Service>()("${D}Service", {
  effect: ${body},
  dependencies: [${D}RepoLive],
}) {}
`;
  }
  return `import { Context, Effect, Layer } from "effect";
import { ${D}Invalid, ${D}NotFound } from "./${d}.errors";
import { ${D}Repo, ${D}RepoLive } from "./${d}.repo";

export class ${D}Service extends Context.Service<${D}Service>()("${D}Service", {
  make: ${body},
}) {
  static readonly layer = Layer.effect(this, this.make).pipe(Layer.provide(${D}RepoLive));
}
`;
}

function routerFile(d, D, v, bad) {
  const either = v === 3 ? "either" : "result";
  return `import { Effect } from "effect";
import { z } from "zod";
import { AppRuntime, runPromise } from "../../runtime";
import { publicProcedure, router } from "../../trpc";
import { ${D}Service } from "./${d}.service";

const byIdInput = z.object({ id: z.string().min(1) });
const ownerInput = z.object({ ownerId: z.string().min(1) });

export const ${d}Router = router({
  byId: publicProcedure.input(byIdInput).query(({ input }) =>
    Effect.gen(function* () {
      const service = yield* ${D}Service;
      return yield* service.byId(input.id);
    }).pipe(
      Effect.catchTags({ ${D}NotFound: () => Effect.succeed(null), ${D}DbError: (e) => Effect.die(e) }),
      runPromise,
    ),
  ),
  list: publicProcedure.input(ownerInput).query(({ input }) =>
    Effect.gen(function* () {
      const service = yield* ${D}Service;
      return yield* service.listForOwner(input.ownerId);
    }).pipe(Effect.orDie, runPromise),
  ),
  create: publicProcedure
    .input(z.object({ name: z.string(), ownerId: z.string(), amount: z.number().int() }))
    .mutation(async ({ input }) => {
      const result = await AppRuntime.runPromise(
        Effect.gen(function* () {
          const service = yield* ${D}Service;
          return yield* service.create(input.name, input.ownerId, input.amount);
        }).pipe(Effect.${either}),
      );
      return result;
    }),
  total: publicProcedure.input(ownerInput).query(({ input }) =>
    Effect.gen(function* () {
      const service = yield* ${D}Service;
      return yield* service.total(input.ownerId);
    }).pipe(${bad ? "" : "Effect.orDie, "}runPromise),
  ),
});
`;
}

function utilFile(d, D) {
  return `import type { ${D}Row } from "./${d}.repo";

export interface ${D}Summary {
  readonly count: number;
  readonly byOwner: Map<string, number>;
  readonly names: string[];
  readonly latest: ${D}Row | undefined;
}

export function summarize(rows: ReadonlyArray<${D}Row>): ${D}Summary {
  const byOwner = new Map<string, number>();
  rows.forEach((row) => byOwner.set(row.ownerId, (byOwner.get(row.ownerId) ?? 0) + row.amount));
  const names = rows.map((row) => row.name.trim()).filter((name) => name.length > 0);
  const latest = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return { count: rows.length, byOwner, names, latest };
}

export async function exportCsv(rows: ReadonlyArray<${D}Row>, write: (line: string) => Promise<void>): Promise<number> {
  await write("id,name,owner,amount");
  for (const row of rows) {
    await write([row.id, JSON.stringify(row.name), row.ownerId, row.amount.toFixed(2)].join(","));
  }
  const failed: string[] = [];
  await Promise.all(rows.map((row) => write(row.id).catch(() => failed.push(row.id))));
  failed.forEach((id) => console.warn("${d} export failed", id));
  return rows.length - failed.length;
}

export class ${D}Formatter {
  constructor(private readonly locale: string) {}
  amount(row: ${D}Row): string {
    return new Intl.NumberFormat(this.locale, { style: "currency", currency: "USD" }).format(row.amount / 100);
  }
  line(row: ${D}Row): string {
    return \`\${row.name} (\${this.amount(row)})\`;
  }
  table(rows: ReadonlyArray<${D}Row>): string {
    return rows.map((row) => this.line(row)).join("\\n");
  }
}
`;
}

/** Writes the project into `dir`; `effectDir` is the installed effect package to map `effect` to. */
export function generateProject(dir, { files = 300, version = 4, seed = 1, effectDir, nodeModules }) {
  const rnd = prng(seed);
  fs.rmSync(dir, { recursive: true, force: true });
  const src = path.join(dir, "src");
  fs.mkdirSync(src, { recursive: true });
  const count = Math.max(1, Math.round((files - SHARED_FILES) / FILES_PER_DOMAIN));
  const domains = Array.from({ length: count }, (_, i) => `${BASES[i % BASES.length]}${Math.floor(i / BASES.length) || ""}`);
  const planted = { "effect-try-promise": 0, "effect-no-floating": 0, "effect-no-escaping-errors": 0 };
  for (const d of domains) {
    const D = pascal(d);
    const folder = path.join(src, "domains", d);
    fs.mkdirSync(folder, { recursive: true });
    const badRepo = rnd() < 0.08;
    const badService = rnd() < 0.1;
    const badRouter = rnd() < 0.12;
    planted["effect-try-promise"] += badRepo ? 1 : 0;
    planted["effect-no-floating"] += badService ? 1 : 0;
    planted["effect-no-escaping-errors"] += badRouter ? 1 : 0;
    fs.writeFileSync(path.join(folder, `${d}.errors.ts`), errorsFile(D));
    fs.writeFileSync(path.join(folder, `${d}.repo.ts`), repoFile(d, D, version, badRepo));
    fs.writeFileSync(path.join(folder, `${d}.service.ts`), serviceFile(d, D, version, badService));
    fs.writeFileSync(path.join(folder, `${d}.router.ts`), routerFile(d, D, version, badRouter));
    fs.writeFileSync(path.join(folder, `${d}.util.ts`), utilFile(d, D));
  }
  fs.writeFileSync(path.join(src, "db.ts"), DB);
  fs.writeFileSync(path.join(src, "trpc.ts"), TRPC);
  fs.writeFileSync(path.join(src, "runtime.ts"), runtimeFile(domains, version));
  const rel = (p) => path.relative(dir, p).split(path.sep).join("/");
  const types = version === 3 ? path.join(effectDir, "dist", "dts") : path.join(effectDir, "dist");
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: "ESNext",
      moduleResolution: "Bundler",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
      paths: {
        effect: [`${rel(types)}/index.d.ts`],
        "effect/*": [`${rel(types)}/*.d.ts`],
        "@trpc/server": [rel(path.join(nodeModules, "@trpc", "server"))],
        zod: [rel(path.join(nodeModules, "zod"))],
      },
    },
    include: ["src"],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return { files: domains.length * FILES_PER_DOMAIN + SHARED_FILES, domains: domains.length, planted };
}
