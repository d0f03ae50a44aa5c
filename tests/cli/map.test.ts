import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { architectureMapJsonSchema, architectureMapSchema, type ArchitectureMap, type MapEndpoint } from "@archlint/core";
import { archlint, archlintShared, assertBuilt, copyInto, DEMO, makeTmpDir, ROOT, type Run } from "./helpers.js";

/**
 * `archlint map`: the demo app's architecture (tRPC + Fastify + Prisma + Effect) pinned endpoint by
 * endpoint, the JSON checked against the published JSON Schema, the Mermaid output parsed by
 * Mermaid's own parser, and reduced projects for what the demo does not show: routers and services
 * joined across files without type information, a workspace package resolved by TypeScript's
 * module resolution, and input the map cannot follow (which it lists, exiting 0).
 */

const MAP_FIXTURES = path.join(ROOT, "fixtures/map");

beforeAll(() => assertBuilt());

function mapOf(run: Run): ArchitectureMap {
  expect(run.stderr).not.toMatch(/Error|at .*\.js/);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ArchitectureMap;
}

function endpoint(map: ArchitectureMap, name: string): MapEndpoint {
  const found = map.endpoints.find((e) => e.name === name);
  if (!found) throw new Error(`no endpoint ${name} in ${map.endpoints.map((e) => e.name).join(", ")}`);
  return found;
}

/** Mermaid's parser needs a DOM for its sanitizer: jsdom's window, set before Mermaid loads. */
async function mermaidParser(): Promise<(text: string) => Promise<unknown>> {
  const { JSDOM } = await import("jsdom");
  const dom = new JSDOM("");
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const { default: mermaid } = await import("mermaid");
  return (text) => mermaid.parse(text);
}

describe("archlint map on the demo app", () => {
  const run = (): Run => archlintShared(["map"], DEMO);

  it("lists every endpoint with its full path: tRPC procedures through the routers they are mounted in, Fastify routes by method and URL", () => {
    const map = mapOf(run());
    expect(map.files).toEqual({ code: 18, typed: 18 });
    expect(map.endpoints.map((e) => e.id)).toEqual([
      "fastify:GET /v1/invoices/:invoiceId",
      "fastify:GET /v1/invoices/:invoiceId/status",
      "fastify:POST /webhooks/resend",
      "fastify:POST /webhooks/stripe",
      "trpc:billing.invoice",
      "trpc:billing.invoiceHandled",
      "trpc:billing.pay",
      "trpc:org.auditLog",
      "trpc:org.create",
      "trpc:org.members",
      "trpc:org.mine",
      "trpc:org.publicProfile",
      "trpc:org.transferOwnership",
      "trpc:org.updateMemberRole",
      "trpc:post.addComment",
      "trpc:post.byId",
      "trpc:post.bySlug",
      "trpc:post.comments",
      "trpc:post.create",
      "trpc:post.deleteComment",
      "trpc:post.latest",
      "trpc:post.list",
      "trpc:post.listWithAuthors",
      "trpc:post.publish",
      "trpc:post.search",
      "trpc:post.searchTitles",
      "trpc:post.stats",
      "trpc:post.update",
      "trpc:user.me",
      "trpc:user.profile",
      "trpc:user.revokeSession",
      "trpc:user.sessions",
      "trpc:user.updatePreferences",
      "trpc:user.updateProfile",
    ]);
  });

  it("gives each endpoint its auth, input validation and hotness with the reason", () => {
    const map = mapOf(run());
    const byId = endpoint(map, "post.byId");
    expect(byId).toMatchObject({ kind: "query", operation: "read", location: { file: "src/server/routers/post.ts", line: 47 } });
    expect(byId.auth).toEqual({ access: "protected", why: "built on `protectedProcedure`" });
    expect(byId.input).toEqual({ validation: "validated", how: "`.input(ZPostIdSchema)`" });
    expect(byId.hot).toEqual({ hot: false, why: "" });
    expect(endpoint(map, "post.bySlug").hot).toEqual({ hot: true, why: "a public query" });
    expect(endpoint(map, "post.deleteComment")).toMatchObject({ kind: "mutation", auth: { access: "public" } });
    const stripe = endpoint(map, "POST /webhooks/stripe");
    expect(stripe).toMatchObject({ kind: "POST", operation: "write", auth: { access: "protected" }, input: { validation: "unvalidated" } });
    expect(endpoint(map, "org.mine").input.validation).toBe("unvalidated");
  });

  it("follows the handler through services in other files to the models it reads and writes", () => {
    const map = mapOf(run());
    const byId = endpoint(map, "post.byId");
    expect(byId.services).toEqual([
      { id: "src/server/routers/post.ts#post.byId", depth: 0, cachedBy: null },
      { id: "src/server/services/post.service.ts#PostService.findById", depth: 1, cachedBy: null },
      { id: "src/server/services/user.service.ts#assertMembership", depth: 1, cachedBy: null },
      { id: "src/server/services/user.service.ts#getMembership", depth: 2, cachedBy: null },
    ]);
    expect(byId.reads.map((r) => `${r.model}.${r.operation} in ${r.service.split("#")[1]}`)).toEqual([
      "Post.findUnique in PostService.findById",
      "Membership.findUnique in getMembership",
    ]);
    expect(byId.writes).toEqual([]);
    expect(byId.models).toEqual(["Membership", "Post"]);
    const publish = endpoint(map, "post.publish");
    expect(publish.writes.map((w) => `${w.model}.${w.operation}`)).toEqual(["Post.update"]);
    expect(endpoint(map, "POST /webhooks/stripe").writes.map((w) => `${w.model}.${w.operation}`)).toEqual(["AuditLog.create"]);
  });

  it("marks the cache in front of a read: on the call into the service and on the read it leads to", () => {
    const bySlug = endpoint(mapOf(run()), "post.bySlug");
    const wrapper = { kind: "wrapper", by: "cache.wrap" };
    expect(bySlug.services[1]).toEqual({ id: "src/server/services/post.service.ts#PostService.findBySlug", depth: 1, cachedBy: wrapper });
    expect(bySlug.reads).toEqual([
      {
        library: "prisma",
        model: "Post",
        operation: "findFirst",
        kind: "read",
        service: "src/server/services/post.service.ts#PostService.findBySlug",
        line: 41,
        cache: wrapper,
      },
    ]);
    expect(bySlug.caches).toEqual([{ by: "cache.wrap", service: "src/server/routers/post.ts#post.bySlug", line: 21 }]);
    // The uncached twin: the same public query shape reads the database directly.
    expect(endpoint(mapOf(run()), "post.latest").reads[0]!.cache).toBeNull();
  });

  it("lists the Effect runs on each endpoint's path with the error types effect-no-escaping-errors computes", () => {
    const map = mapOf(run());
    const effects = (name: string) => endpoint(map, name).effects.map((r) => [r.runner, `${r.location.file}:${r.location.line}`, r.kind, r.errors, r.handled]);
    // A runtime's runner in a Fastify route, and the app's own runner (found by its signature) in tRPC procedures.
    expect(effects("GET /v1/invoices/:invoiceId")).toEqual([
      ["AppRuntime.runPromise", "src/server/effect/billing.routes.ts:13", "promise", ["InvoiceNotFound", "LedgerError"], false],
    ]);
    expect(effects("billing.invoice")).toEqual([
      ["runPromise", "src/server/effect/billing.router.ts:13", "promise", ["InvoiceNotFound", "LedgerError"], false],
    ]);
    // The handled twins: `Effect.either` before the run, and `catchTags` of every error.
    expect(effects("billing.invoiceHandled")).toEqual([["runPromise", "src/server/effect/billing.router.ts:17", "promise", [], true]]);
    expect(effects("billing.pay")).toEqual([["runPromise", "src/server/effect/billing.router.ts:34", "promise", [], false]]);
    // `runPromiseExit` keeps the failure typed: not a run whose errors escape, so not listed.
    expect(endpoint(map, "GET /v1/invoices/:invoiceId/status").effects).toEqual([]);
    expect(map.services.find((s) => s.id === "src/server/effect/billing.router.ts#billing.invoice")!.effects).toEqual(endpoint(map, "billing.invoice").effects);
  });

  it("without type information lists the runs known by name, marked untyped, with no error types", () => {
    const map = mapOf(archlintShared(["map", "--no-type-check"], DEMO));
    expect(endpoint(map, "GET /v1/invoices/:invoiceId").effects).toEqual([
      {
        runner: "AppRuntime.runPromise",
        service: "src/server/effect/billing.routes.ts#GET /v1/invoices/:invoiceId",
        location: { file: "src/server/effect/billing.routes.ts", line: 13 },
        kind: "promise",
        typed: false,
        errors: null,
        opaque: false,
        handled: false,
      },
    ]);
    // The app's `runPromise` is a runner by its signature only: without types it is not recognised.
    expect(endpoint(map, "billing.invoice").effects).toEqual([]);
  });

  it("reads the models from the Prisma schema with relations and indexes, and who reads and writes them", () => {
    const comment = mapOf(run()).models.find((m) => m.name === "Comment");
    expect(comment).toEqual({
      name: "Comment",
      table: "Comment",
      location: { file: "prisma/schema.prisma", line: 118 },
      sources: ["prisma"],
      relations: [
        { field: "author", model: "User", fields: ["authorId"], references: ["id"] },
        { field: "post", model: "Post", fields: ["postId"], references: ["id"] },
      ],
      indexes: [
        { kind: "id", fields: ["id"] },
        { kind: "index", fields: ["postId"] },
      ],
      sql: null,
      readBy: ["trpc:post.comments"],
      writtenBy: ["trpc:post.addComment", "trpc:post.deleteComment"],
      findings: ["prisma/schema.prisma:126:22:archlint/prisma-relation-index"],
    });
  });

  it("attaches each finding to the endpoint, service or model it is written in", () => {
    const map = mapOf(run());
    const attached = (id: string) => map.findings.find((f) => f.id === id)?.attachedTo;
    expect(attached("src/server/routers/post.ts:79:30:archlint/db-no-query-in-loop")).toEqual({ kind: "endpoint", id: "trpc:post.listWithAuthors" });
    expect(endpoint(map, "post.listWithAuthors").findings).toEqual(["src/server/routers/post.ts:79:30:archlint/db-no-query-in-loop"]);
    expect(attached("src/server/cache.ts:30:9:archlint/cache-require-ttl")).toEqual({ kind: "service", id: "src/server/cache.ts#touchLastSeen" });
    expect(attached("prisma/schema.prisma:150:3:archlint/prisma-redundant-index")).toEqual({ kind: "model", id: "AuditLog" });
    // The SQL migrations' tables are models too: a finding on a table attaches to it.
    expect(attached("supabase/migrations/20250301090000_public_feed.sql:26:1:archlint/sql-rls-enabled")).toEqual({ kind: "model", id: "feed_reads" });
    expect(attached("supabase/migrations/20250301090000_public_feed.sql:23:1:archlint/sql-rls-policy")).toEqual({ kind: "model", id: "feed_reactions" });
  });

  it("lists what it could not follow, with the reason, and still exits 0", () => {
    const map = mapOf(run());
    expect(map.unresolved).toContainEqual({
      what: "InvoiceService.byId",
      location: { file: "src/server/effect/billing.routes.ts", line: 13 },
      reason: "`byId` is not a method written in `InvoiceService`'s class or object literal (src/server/effect/invoice.service.ts)",
    });
    expect(map.unresolved).toContainEqual({
      what: "billingRouter",
      location: { file: "src/server/effect/billing.router.ts", line: 9 },
      reason: "a router mounted in no other router the map can see: its procedures are named after its variable",
    });
  });

  it("matches its JSON Schema and its zod schema", () => {
    const map = mapOf(run());
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(architectureMapJsonSchema());
    expect(validate(map), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(architectureMapSchema.safeParse(map).success).toBe(true);
    // A map missing a required field is rejected: the schema checks something.
    const { unresolved: _dropped, ...broken } = map;
    expect(validate(broken)).toBe(false);
  });

  it("prints the same bytes on every run", () => {
    const first = run();
    const second = archlint(["map"], DEMO);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it("--format mermaid is a flowchart Mermaid's parser accepts", async () => {
    const r = archlintShared(["map", "--format", "mermaid"], DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("flowchart LR\n")).toBe(true);
    expect(r.stdout).toContain('(["post.bySlug<br/><small>query · public · validated · hot</small>"])');
    expect(r.stdout).toMatch(/ e\d+ -- "cached: cache.wrap" --> s\d+\n/);
    expect(r.stdout).toMatch(/ e\d+ -- "read, cached: cache.wrap" --> m\d+\n/);
    expect(r.stdout).toContain('{{"db-no-query-in-loop"}}');
    const parse = await mermaidParser();
    await expect(parse(r.stdout)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    // The parser is a real check: the same text with one bracket lost is rejected.
    await expect(parse(r.stdout.replace('"])', '"'))).rejects.toThrow(/Parse error/);
  });

  it("--focus cuts the graph to one model's neighbourhood, as the README shows it", async () => {
    const r = archlintShared(["map", "--format", "mermaid", "--focus", "Post"], DEMO);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"post.byId<br/>');
    expect(r.stdout).toContain('"PostService.findById<br/>');
    expect(r.stdout).toContain('[("Membership")]');
    // Endpoints that never touch Post are cut, and so are the models only they touch.
    expect(r.stdout).not.toContain("user.sessions");
    expect(r.stdout).not.toContain('[("Session")]');
    const parse = await mermaidParser();
    await expect(parse(r.stdout)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /\n```mermaid\n([\s\S]*?)```\n/.exec(readme)?.[1];
    expect(block, "README.md's demo map is `archlint map --format mermaid --focus Post` in fixtures/demo-app").toBe(r.stdout);
  });

  it("--format html is one self-contained page: search an endpoint, open it, click through to its model", async () => {
    const r = archlintShared(["map", "--format", "html"], DEMO);
    expect(r.code).toBe(0);
    // Nothing from the network: no external script, style or link; the SVG namespace is the only URL.
    expect(r.stdout).not.toMatch(/<(?:link|img|iframe)\b|\ssrc=/);
    expect(r.stdout.match(/https?:\/\/[^"\s]+/g)).toEqual(["http://www.w3.org/2000/svg"]);
    // jsdom runs the page's own script here (quick, no browser); map-browser.test.ts drives the same page in Chromium.
    const { JSDOM } = await import("jsdom");
    const dom = new JSDOM(r.stdout, { runScripts: "dangerously" });
    const doc = dom.window.document;
    const rows = (): string[] => [...doc.querySelectorAll("tr.row")].map((tr) => tr.getAttribute("data-id")!);
    expect(rows()).toHaveLength(34);
    const search = doc.getElementById("search") as HTMLInputElement;
    search.value = "post.by";
    search.dispatchEvent(new dom.window.Event("input"));
    expect(rows()).toEqual(["trpc:post.byId", "trpc:post.bySlug"]);
    expect(doc.getElementById("count")!.textContent).toBe("2 of 34 endpoints");
    (doc.querySelector('tr.row[data-id="trpc:post.byId"]') as HTMLElement).click();
    const detail = doc.getElementById("detail")!;
    expect(detail.querySelector("h2")!.textContent).toBe("post.byId");
    expect(detail.textContent).toContain("PostService.findById (depth 1) src/server/services/post.service.ts:");
    expect(detail.querySelectorAll("svg rect")).toHaveLength(6);
    (detail.querySelector('a.model[data-model="Post"]') as HTMLElement).click();
    expect(detail.querySelector("h2")!.textContent).toBe("Post");
    expect(detail.textContent).toContain("author -> User (authorId)");
    // The filters: public and hot endpoints with a finding.
    search.value = "";
    for (const [id, value] of [
      ["auth", "public"],
      ["hot", "hot"],
      ["rule", "*"],
    ] as const) {
      const select = doc.getElementById(id) as HTMLSelectElement;
      select.value = value;
      select.dispatchEvent(new dom.window.Event("change"));
    }
    expect(rows()).toEqual(["fastify:GET /v1/invoices/:invoiceId", "trpc:org.publicProfile", "trpc:post.latest"]);
  });
});

describe("archlint map on reduced projects", () => {
  it("joins routers and services across files by their imports when there is no type information (export * included)", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "untyped")));
    expect(map.files).toEqual({ code: 7, typed: 0 });
    expect(
      map.endpoints.map((e) => [e.id, e.auth.access, e.services.map((s) => s.id).slice(1), e.reads.concat(e.writes).map((a) => `${a.model}.${a.operation}`)]),
    ).toEqual([
      ["trpc:shop.items.byId", "public", ["src/services/items.ts#ItemRepo.find"], ["Item.findUnique"]],
      ["trpc:shop.items.list", "public", ["src/services/items.ts#listItems"], ["Item.findMany"]],
      ["trpc:shop.items.remove", "protected", ["src/services/items.ts#ItemRepo.remove"], ["Item.delete"]],
    ]);
    expect(map.models.find((m) => m.name === "Item")).toMatchObject({
      readBy: ["trpc:shop.items.byId", "trpc:shop.items.list"],
      writtenBy: ["trpc:shop.items.remove"],
      indexes: [
        { kind: "id", fields: ["id"] },
        { kind: "index", fields: ["ownerId"] },
      ],
    });
    expect(map.unresolved).toEqual([]);
  });

  it("shows Next.js route handlers, API routes and server actions with their URL from the folder, auth, reads and writes", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "next-app")));
    expect(map.version).toBe(2);
    expect(
      map.endpoints.map((e) => [
        e.id,
        e.framework,
        e.kind,
        e.operation,
        e.auth.access,
        e.hot.hot,
        e.reads.map((a) => `${a.model}.${a.operation}`),
        e.writes.map((a) => `${a.model}.${a.operation}`),
      ]),
    ).toEqual([
      ["next:GET /api/products/[productId]", "next", "GET", "read", "public", true, ["Product.findUnique"], []],
      ["next:GET /api/stock", "next", "GET", "read", "public", true, ["Product.findMany"], []],
      ["next:POST /api/orders", "next", "POST", "write", "protected", false, [], ["Order.create"]],
      ["next:action cancelOrder (src/app/account/actions.ts)", "next", "action", "write", "public", false, [], ["Order.delete"]],
    ]);
    expect(endpoint(map, "POST /api/orders").auth.why).toBe("its handler returns before anything else unless a session exists");
    expect(endpoint(map, "GET /api/products/[productId]").location).toEqual({ file: "src/app/(shop)/api/products/[productId]/route.ts", line: 3 });
    expect(map.models.find((m) => m.name === "Order")).toMatchObject({
      writtenBy: ["next:POST /api/orders", "next:action cancelOrder (src/app/account/actions.ts)"],
    });
    expect(map.unresolved).toEqual([]);
  });

  it("--format mermaid keeps Next.js names with brackets and parentheses parseable", async () => {
    const run = archlint(["map", "--format", "mermaid"], path.join(MAP_FIXTURES, "next-app"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("GET /api/products/[productId]");
    const parse = await mermaidParser();
    await expect(parse(run.stdout)).resolves.toBeTruthy();
  });

  it("gives Fastify routes the prefix of the plugins they are registered in, across files: nested registers compound, fp plugins keep the parent's", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "fastify-prefix")));
    expect(map.endpoints.map((e) => [e.id, e.location.file, e.handler])).toEqual([
      // Registered by nothing the map sees: the URL as written, and a note.
      ["fastify:DELETE /cache", "src/routes/orphan.ts", "src/routes/orphan.ts#DELETE /cache"],
      ["fastify:GET /", "src/server.ts", "src/server.ts#GET /"],
      // `fp(...)`: `{ prefix: "/ignored" }` is ignored, the parent's `/api` stays.
      ["fastify:GET /api/health", "src/routes/health.ts", "src/routes/health.ts#GET /health"],
      // An inline plugin whose prefix is read from the environment: the known part only, and a note.
      ["fastify:GET /api/stats", "src/api.ts", "src/api.ts#GET /stats"],
      // /api (server.ts) + /v1 (a const in api.ts, on an inline plugin) + /users; `/` under a prefix is the prefix.
      ["fastify:GET /api/v1/users", "src/routes/users.ts", "src/routes/users.ts#GET /"],
      ["fastify:GET /api/v1/users/:id", "src/routes/users.ts", "src/routes/users.ts#GET /:id"],
      // `register(import("./routes/docs"), { prefix })`: the module's default export.
      ["fastify:GET /docs/openapi.json", "src/routes/docs.ts", "src/routes/docs.ts#GET /openapi.json"],
    ]);
    expect(endpoint(map, "GET /api/v1/users/:id").reads.map((r) => `${r.model}.${r.operation}`)).toEqual(["User.findUnique"]);
    expect(map.unresolved).toEqual([
      {
        what: 'register(async (admin) => { admin.get("/stats", async () => ({ users:)',
        location: { file: "src/api.ts", line: 18 },
        reason: "a `prefix` option that cannot be read: the routes under it are shown without it",
      },
      {
        what: "DELETE /cache",
        location: { file: "src/routes/orphan.ts", line: 5 },
        reason: "declared in a plugin registered nowhere the map can see: its routes are shown without the prefix it may be registered under",
      },
    ]);
  });

  it("gives the routes of @fastify/autoload's plugin files their prefix: options.prefix, the folders' path, autoPrefix, routeParams", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "fastify-autoload")));
    expect(map.endpoints.map((e) => [e.id, e.location.file])).toEqual([
      // routes/root.ts: a file at the top of the folder, `{ prefix: "/api/" }` without its trailing slash.
      ["fastify:GET /api", "src/routes/root.ts"],
      // `export const autoPrefix = "/status"`.
      ["fastify:GET /api/status/live", "src/routes/health.ts"],
      ["fastify:GET /api/users", "src/routes/users/index.ts"],
      // routes/users/_id/index.ts with `routeParams: true`.
      ["fastify:GET /api/users/:id", "src/routes/users/_id/index.ts"],
      // Matched by `ignorePattern`, and beside an index file: autoload loads neither.
      ["fastify:GET /fake", "src/routes/health.test.ts"],
      ["fastify:GET /helpers", "src/routes/users/helpers.ts"],
      // Wrapped in fastify-plugin: registered on the app's instance, its /api/admin prefix ignored.
      ["fastify:GET /stats", "src/routes/admin/stats.ts"],
      ["fastify:POST /api/users", "src/routes/users/index.ts"],
    ]);
    expect(endpoint(map, "GET /api/users/:id").reads.map((r) => `${r.model}.${r.operation}`)).toEqual(["User.findUnique"]);
    expect(map.unresolved.map((u) => `${u.location.file}:${u.location.line} ${u.what}`)).toEqual([
      "src/routes/health.test.ts:5 GET /fake",
      "src/routes/users/helpers.ts:5 GET /helpers",
    ]);
  });

  it("reads the SQL migrations' tables as models (foreign keys, indexes, RLS, policies), merged into the Prisma model that maps to the table", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "sql-models")));
    expect(map.models.map((m) => [m.name, m.table, m.sources])).toEqual([
      ["Post", "posts", ["prisma", "sql"]],
      ["User", "users", ["prisma", "sql"]],
      ["audit_events", "audit_events", ["sql"]],
    ]);
    const post = map.models.find((m) => m.name === "Post")!;
    // The Prisma half as before (the schema's location, relations, indexes); the table's in `sql`.
    expect(post.location).toEqual({ file: "prisma/schema.prisma", line: 17 });
    expect(post.sql).toEqual({
      schema: "public",
      table: "posts",
      location: { file: "supabase/migrations/20250101000000_init.sql", line: 6 },
      columns: ["id", "title", "author_id"],
      foreignKeys: [{ name: null, columns: ["author_id"], references: "users", location: { file: "supabase/migrations/20250101000000_init.sql", line: 9 } }],
      indexes: [
        {
          name: "posts_author_id_idx",
          kind: "index",
          columns: ["author_id"],
          partial: false,
          location: { file: "supabase/migrations/20250101000000_init.sql", line: 11 },
        },
        { name: "posts_pkey", kind: "primary", columns: ["id"], partial: false, location: { file: "supabase/migrations/20250101000000_init.sql", line: 7 } },
      ],
      rls: { enabled: true, location: { file: "supabase/migrations/20250101000000_init.sql", line: 12 } },
      policies: [
        {
          name: "authors read their posts",
          command: "select",
          roles: ["authenticated"],
          permissive: true,
          using: "expression",
          withCheck: "none",
          location: { file: "supabase/migrations/20250101000000_init.sql", line: 13 },
        },
      ],
    });
    expect(post.readBy).toEqual(["fastify:GET /posts"]);
    // RLS never enabled on `users`: sql-rls-enabled attaches to the Prisma model that maps to it.
    const user = map.models.find((m) => m.name === "User")!;
    expect(user.sql!.rls).toEqual({ enabled: false, location: null });
    expect(user.findings).toEqual(["supabase/migrations/20250101000000_init.sql:1:1:archlint/sql-rls-enabled"]);
    // A table no Prisma model maps to: a model of its own, its foreign key a relation to the merged model, read and written through Kysely.
    const audit = map.models.find((m) => m.name === "audit_events")!;
    expect(audit).toMatchObject({
      location: { file: "supabase/migrations/20250201000000_audit.sql", line: 2 },
      relations: [{ field: "post_id", model: "Post", fields: ["post_id"], references: [] }],
      indexes: [{ kind: "id", fields: ["id"] }],
      readBy: ["fastify:POST /posts/:id/audit"],
      writtenBy: ["fastify:POST /posts/:id/audit"],
      findings: ["supabase/migrations/20250201000000_audit.sql:4:25:archlint/sql-fk-index"],
    });
    expect(audit.sql!.rls.enabled).toBe(true);
  });

  it("reads the folders of settings.archlint.migrations, whatever their name, as the SQL rules do", () => {
    const dir = makeTmpDir("map-sql-settings");
    copyInto(path.join(MAP_FIXTURES, "sql-models"), dir);
    fs.renameSync(path.join(dir, "supabase/migrations"), path.join(dir, "db-changes"));
    fs.rmSync(path.join(dir, "supabase"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "eslint.config.mjs"),
      `import archlint from "eslint-plugin-archlint";\nexport default [...archlint.configs.recommended, { settings: { archlint: { migrations: "db-changes" } } }];\n`,
    );
    const map = mapOf(archlint(["map"], dir));
    expect(map.models.map((m) => [m.name, m.table, m.sources])).toEqual([
      ["Post", "posts", ["prisma", "sql"]],
      ["User", "users", ["prisma", "sql"]],
      ["audit_events", "audit_events", ["sql"]],
    ]);
    expect(map.models.find((m) => m.name === "audit_events")!.location).toEqual({ file: "db-changes/20250201000000_audit.sql", line: 2 });
  });

  it("--focus on an endpoint keeps it and what it reaches", () => {
    const map = mapOf(archlint(["map", "--focus", "shop.items.byId"], path.join(MAP_FIXTURES, "untyped")));
    expect(map.endpoints.map((e) => e.id)).toEqual(["trpc:shop.items.byId"]);
    expect(map.services.map((s) => s.id)).toEqual(["src/routers/items.ts#items.byId", "src/services/items.ts#ItemRepo.find"]);
    expect(map.models.map((m) => m.name)).toEqual(["Item"]);
  });

  it("resolves a workspace package through its package.json exports (TypeScript's resolution, via ts-morph)", () => {
    const dir = makeTmpDir("map-workspace");
    copyInto(path.join(MAP_FIXTURES, "workspace"), dir);
    fs.mkdirSync(path.join(dir, "apps/api/node_modules/@acme"), { recursive: true });
    fs.symlinkSync(path.join("..", "..", "..", "..", "packages", "db"), path.join(dir, "apps/api/node_modules/@acme/db"));
    const map = mapOf(archlint(["map"], dir));
    const orders = endpoint(map, "GET /orders");
    expect(orders.services.map((s) => s.id)).toEqual(["apps/api/src/server.ts#GET /orders", "packages/db/src/orders.ts#listOrders"]);
    expect(orders.reads.map((r) => `${r.model}.${r.operation}`)).toEqual(["Order.findMany"]);
    expect(map.unresolved).toEqual([]);
  });

  it("lists unresolvable imports, handlers it cannot follow and files that do not parse, and exits 0 with the rest of the map", () => {
    const map = mapOf(archlint(["map"], path.join(MAP_FIXTURES, "bad-input")));
    expect(map.endpoints.map((e) => [e.id, e.handler])).toEqual([
      ["trpc:health", "src/app.ts#health"],
      ["trpc:ping", null],
    ]);
    expect(map.unresolved).toEqual([
      { what: "gone", location: { file: "src/app.ts", line: 8 }, reason: 'cannot resolve the import "./missing"' },
      { what: "appRouter.generated", location: { file: "src/app.ts", line: 9 }, reason: 'cannot resolve the import "./generated/router"' },
      {
        what: "handler of ping",
        location: { file: "src/app.ts", line: 10 },
        reason: 'handler `handlers[process.env.NAME as "ping"]` is not a function archlint can follow',
      },
      { what: "src/broken.ts", location: { file: "src/broken.ts", line: 2 }, reason: "cannot be parsed: Parsing error: '}' expected." },
    ]);
  });
});

describe("archlint map --diff", () => {
  /** The untyped fixture committed in a fresh repository, then edited as a pull request would. */
  function changedRepo(): string {
    const dir = makeTmpDir("map-diff");
    copyInto(path.join(MAP_FIXTURES, "untyped"), dir);
    const git = (...args: string[]): void => {
      const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.email=map@example.com", "-c", "user.name=map", "commit", "-qm", "base");
    const routers = path.join(dir, "src/routers/items.ts");
    const text = fs.readFileSync(routers, "utf8");
    fs.writeFileSync(
      routers,
      text
        .replace("remove: authedProcedure", "remove: publicProcedure")
        .replace("byId: publicProcedure.input(z.object({ id: z.string() }))", "byId: publicProcedure")
        .replace(
          "list: publicProcedure.query(() => listItems()),",
          "list: publicProcedure.query(() => listItems()),\n  count: publicProcedure.query(() => countItems()),",
        )
        .replace("import { ItemRepo, listItems }", "import { countItems, ItemRepo, listItems }"),
    );
    fs.appendFileSync(path.join(dir, "src/services/items.ts"), "\nexport function countItems() {\n  return prisma.item.count();\n}\n");
    return dir;
  }

  it("says what the working tree changes against a ref, risks first, as Markdown for a pull request", () => {
    const dir = changedRepo();
    const r = archlint(["map", "--diff", "HEAD"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "### Architecture changes against `HEAD`",
        "",
        "Endpoints: 3 -> 4.",
        "",
        "#### ⚠️ Auth dropped (1)",
        "",
        "- shop.items.remove is now public: built on `publicProcedure`",
        "",
        "#### ⚠️ Endpoints added (1)",
        "",
        "- shop.items.count (query, public, input unvalidated, hot)",
        "",
        "#### ⚠️ New findings (1)",
        "",
        "- archlint/trpc-require-input on endpoint trpc:shop.items.byId",
        "",
        "#### ⚠️ New uncached reads on hot endpoints (1)",
        "",
        "- shop.items.count (hot: a public query) reads Item.count in src/services/items.ts#countItems with no cache in front",
        "",
        "#### ⚠️ Input validation dropped (1)",
        "",
        "- shop.items.byId no longer validates its input: no `.input()` in its chain or its builders",
        "",
      ].join("\n"),
    );
    // The repository is left as it was: no worktree, no stash.
    expect(spawnSync("git", ["worktree", "list"], { cwd: dir, encoding: "utf8" }).stdout.trim().split("\n")).toHaveLength(1);
  });

  it("--format json gives the same changes as data; an unknown ref is a usage error", () => {
    const dir = changedRepo();
    const r = archlint(["map", "--diff", "HEAD", "--format", "json"], dir);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as { base: string; endpoints: object; changes: Array<{ kind: string; endpoint: string | null; risk: boolean }> };
    expect(diff.base).toBe("HEAD");
    expect(diff.endpoints).toEqual({ before: 3, after: 4 });
    expect(diff.changes.map((c) => [c.kind, c.endpoint, c.risk])).toEqual([
      ["auth-dropped", "trpc:shop.items.remove", true],
      ["endpoint-added", "trpc:shop.items.count", true],
      ["finding-added", "trpc:shop.items.byId", true],
      ["uncached-hot-read", "trpc:shop.items.count", true],
      ["validation-dropped", "trpc:shop.items.byId", true],
    ]);
    const bad = archlint(["map", "--diff", "no-such-branch"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^archlint: --diff: "no-such-branch" is no commit of the git repository at .+\.\n$/);
  });
});

describe("archlint map usage", () => {
  it.each([
    [["map", "--format", "sarif"], 'archlint: Unknown --format "sarif" (use json, mermaid, html, markdown).\n'],
    [["map", "a", "b"], "archlint: archlint map takes one folder (default: .).\n"],
    [["map", "nowhere"], "archlint: No such file or directory: nowhere\n"],
    [
      ["map", "--focus", "nothing.here"],
      "archlint: --focus \"nothing.here\" names no endpoint or model of the map (try an endpoint's name, like post.byId, or a model's).\n",
    ],
    [["check", "--focus", "post.byId"], "archlint: --focus is an option of archlint map.\n"],
    [["map", "--format", "markdown"], "archlint: --format markdown is the format of --diff.\n"],
    [["map", "--diff", "HEAD", "--format", "mermaid"], "archlint: --diff prints markdown or json.\n"],
  ])("%j is a usage error (exit 2, one line)", (args, line) => {
    const r = archlint(args, path.join(MAP_FIXTURES, "untyped"));
    expect(r.code).toBe(2);
    expect(r.stderr.endsWith(line)).toBe(true);
    expect(r.stdout).toBe("");
  });

  it("--help describes the command and its options", () => {
    const r = archlint(["map", "--help"], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: archlint map \[path\] \[options\]\n/);
    expect(r.stdout).toContain("--focus <name>");
    expect(archlint(["--help"], ROOT).stdout).toContain("map [path]");
  });
});
