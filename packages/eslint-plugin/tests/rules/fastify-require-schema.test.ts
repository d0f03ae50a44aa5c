import rule from "../../src/rules/fastify-require-schema.js";
import { ruleTester, typedFile, typedRuleTester } from "../rule-tester.js";

/** A route file with the imports real Fastify 5 code has. */
const HEADER = `import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { type FastifyPluginAsyncZod, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
`;

ruleTester.run("fastify-require-schema", rule, {
  valid: [
    {
      name: "auth and transport headers read by name (authorization, cookie, user-agent, x-forwarded-for) need no schema.headers",
      code: `${HEADER}
export default async function meRoutes(app: FastifyInstance) {
  app.get("/v1/me", async (request, reply) => {
    const token = request.headers.authorization?.replace(/^Bearer /, "");
    const { cookie, "user-agent": agent } = request.headers;
    const ip = request.headers["x-forwarded-for"] ?? request.ip;
    return reply.send(await currentUser(token ?? cookie, { agent, ip }));
  });
}
`,
    },
    {
      name: "a wildcard route's `params['*']` is always a string: no schema.params needed",
      code: `${HEADER}
export default async function assetRoutes(app: FastifyInstance) {
  app.get("/assets/*", async (request, reply) => {
    const file = (request.params as Record<string, string>)["*"];
    return reply.sendFile(file);
  });
  app.get("/docs/*", async (request) => render(request.params["*"]));
}
`,
    },
    {
      name: "input the code types as unknown (`as Record<string, unknown>`, `as unknown`) must be narrowed before use: checked by hand",
      code: `${HEADER}
export default async function sessionRoutes(app: FastifyInstance) {
  app.delete("/session", async (request) => close(readToken(request.query as Record<string, unknown>)));
  app.post("/rpc", async (request) => dispatch(request.body as unknown));
}
`,
    },
    {
      name: "Express: req.body on an express() app is not a Fastify route",
      code: `
import express from "express";
const app = express();
app.use(express.json());
app.post("/v1/users", async (req, res) => {
  const user = await createUser(req.body);
  res.status(201).json(user);
});
app.get("/v1/users/:id", (req, res) => res.json({ id: req.params.id, q: req.query.q }));
`,
    },
    {
      name: "Map.get, axios.get/post and a Hono app are not routes",
      code: `
import axios from "axios";
import { Hono } from "hono";
const handlers = new Map<string, () => unknown>();
const handler = handlers.get("/v1/users");
const res = await axios.get("/v1/users", { params: { page: 1 } });
await axios.post("/v1/events", { body: res.data }, { headers: { "x-id": "1" } });
const app = new Hono();
app.post("/v1/events", async (c) => c.json(await c.req.json()));
`,
    },
    {
      name: "a parameter merely named `fastify`, in a function that is not a plugin, proves nothing",
      code: `
export function mount(fastify, prefix) {
  fastify.post(prefix + "/events", async (request) => request.body);
}
`,
    },
    {
      name: "syntax-only: an imported app is not known to be Fastify (types recognise it)",
      code: `
import { app } from "./app";
app.post("/v1/events", async (request) => request.body);
`,
    },
    {
      name: "routes whose schemas validate what the handler reads",
      code: `${HEADER}
const CreateUser = z.object({ email: z.email(), name: z.string().min(1) });
const UserParams = z.object({ id: z.uuid() });
const baseSchema = { tags: ["users"], params: UserParams };

const app = Fastify({ logger: true }).withTypeProvider<ZodTypeProvider>();

app.post("/v1/users", { schema: { body: CreateUser } }, async (request, reply) => {
  const { email, name } = request.body;
  return reply.code(201).send({ email, name });
});

app.route({
  method: "PUT",
  url: "/v1/users/:id",
  schema: { ...baseSchema, body: CreateUser.partial() },
  handler: async ({ params, body }) => ({ id: params.id, ...body }),
});

app.get("/v1/users", {
  schema: {
    querystring: { type: "object", properties: { page: { type: "integer", minimum: 1 } } },
    headers: { type: "object", properties: { "x-tenant": { type: "string" } }, required: ["x-tenant"] },
  },
  handler: async (request) => ({ page: request.query.page, tenant: request.headers["x-tenant"] }),
});
`,
    },
    {
      name: "near-misses: the same shapes as the invalid cases, with the schema they need",
      code: `${HEADER}
const CreateUser = z.object({ email: z.email() });
const Paging = z.object({ cursor: z.string().optional(), limit: z.coerce.number().max(100).optional() });

async function createUser(request: FastifyRequest<{ Body: z.infer<typeof CreateUser> }>, reply: FastifyReply) {
  return reply.code(201).send(await users.create(request.body));
}

function paging(req: FastifyRequest) {
  const { cursor, limit } = req.query as z.infer<typeof Paging>;
  return { cursor, take: limit ?? 20 };
}

const userController = {
  async update(request: FastifyRequest, reply: FastifyReply) {
    return reply.send(await users.update(request.params.id, request.body));
  },
};

export default fp(async (app) => {
  app.post("/v1/users", { schema: { tags: ["users"], summary: "Create a user", body: CreateUser } }, createUser);
  app.get("/v1/posts", { schema: { querystring: Paging } }, async (request) => listPosts(paging(request)));
  app.put("/v1/users/:id", { schema: { params: z.object({ id: z.uuid() }), body: CreateUser } }, userController.update);
});
`,
    },
    {
      name: "near-misses: `register` and `require` on things that are not Fastify",
      code: `
import { createContainer } from "awilix";
const app = require("express")();
app.post("/v1/events", (req, res) => res.json(req.body));

function userRoutes(fastify) {
  fastify.post("/v1/users", async (request) => request.body);
}
const container = createContainer();
container.register(userRoutes);
`,
    },
    {
      name: "`schema.query` is Fastify's alias of `querystring`",
      code: `${HEADER}
export default async function searchRoutes(fastify: FastifyInstance) {
  fastify.get("/v1/search", { schema: { query: z.object({ q: z.string().min(2) }) } }, async (request) => {
    return search(request.query.q);
  });
}
`,
    },
    {
      name: "handlers that read no client input",
      code: `${HEADER}
const app = Fastify();
app.get("/health", async () => ({ ok: true }));
app.post("/v1/logout", async (request, reply) => {
  await request.session.destroy();
  request.log.info({ user: request.user?.id }, "logged out");
  return reply.code(204).send();
});
app.addHook("preHandler", async (request) => {
  request.log.debug({ body: request.body }, "incoming");
});
`,
    },
    {
      name: "schemas or options that cannot be read here are trusted",
      code: `${HEADER}
import { createEventSchema, commonDocs } from "./schemas";
import { routeOptions } from "./options";
import { getEvent } from "./event.handlers";

const plugin: FastifyPluginAsyncZod = async (app) => {
  app.post("/v1/events", { schema: createEventSchema }, async (request) => request.body);
  app.put("/v1/events/:id", { schema: { ...commonDocs, tags: ["events"] } }, async (request) => request.params);
  app.patch("/v1/events/:id", routeOptions, async (request) => request.body);
  app.route({ ...routeOptions, method: "DELETE", url: "/v1/events/:id", handler: async (request) => request.params });
  app.get("/v1/events/:id", getEvent);
};
export default plugin;
`,
    },
    {
      name: "half-typed routes do not crash",
      code: `${HEADER}
const app = Fastify();
app.get();
app.route();
app.route({});
app.route({ method: "GET" });
app.post("/x", {});
app.get("/x");
app.get(...args);
export default fp(async (fastify) => {
  fastify.get("/x");
  fastify.route({ url: "/y", handler: undefined });
});
`,
    },
    {
      name: "Zod-only: imported schema identifiers and Zod schemas count",
      options: [{ validators: ["zod"] }],
      code: `${HEADER}
import { ZCreateEvent } from "./event.schema";
const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.post("/v1/events", { schema: { body: ZCreateEvent, params: z.object({ id: z.string() }) } }, async (request) => ({
  ...request.body,
  id: request.params.id,
}));
`,
    },
    {
      name: "response: 2xx is satisfied by 200/201/2xx/default, all by any response schema",
      options: [{ response: "2xx" }],
      code: `${HEADER}
const Event = z.object({ id: z.string(), name: z.string() });
const app = Fastify();
app.get("/v1/events/:id", { schema: { params: z.object({ id: z.string() }), response: { 200: Event, 404: z.object({ message: z.string() }) } } }, async (request) => request.params);
app.post("/v1/events", { schema: { body: Event, response: { "2xx": Event } } }, async (request) => request.body);
app.delete("/v1/events/:id", { schema: { params: z.object({ id: z.string() }), response: { default: z.null() } } }, async () => null);
`,
    },
    {
      name: "response: off (default) asks for nothing",
      code: `${HEADER}
const app = Fastify();
app.get("/v1/events", async () => []);
`,
    },
  ],
  invalid: [
    {
      name: "near miss: a wildcard route that also reads a named parameter needs schema.params",
      code: `${HEADER}
export default async function assetRoutes(app: FastifyInstance) {
  app.get("/:tenant/assets/*", async (request) => load(request.params["*"], request.params.tenant));
}
`,
      errors: [{ messageId: "unvalidatedInput", line: 7, column: 77 }],
    },
    {
      name: "near miss: a cast to a concrete shape is not a check",
      code: `${HEADER}
export default async function sessionRoutes(app: FastifyInstance) {
  app.delete("/session", async (request) => close((request.query as { token: string }).token));
}
`,
      errors: [{ messageId: "unvalidatedInput", line: 7, column: 52 }],
    },
    {
      name: "inline handler on a Fastify() app reads request.body with no schema",
      code: `${HEADER}
const app = Fastify({ logger: true });

app.post("/v1/users", async (request, reply) => {
  const user = await prisma.user.create({ data: request.body as CreateUser });
  return reply.code(201).send(user);
});
`,
      errors: [
        {
          messageId: "unvalidatedInput",
          line: 9,
          column: 49,
          endLine: 9,
          endColumn: 61,
          data: { route: "POST /v1/users", member: "body", key: "body", part: "the body reaches", where: "" },
        },
      ],
    },
    {
      name: "plugin typed FastifyInstance reads request.query through a cast",
      code: `${HEADER}
export default async function eventRoutes(fastify: FastifyInstance) {
  fastify.get("/v1/events", async (request) => {
    const { page, limit } = request.query as { page?: string; limit?: string };
    return listEvents({ page: Number(page ?? 1), limit: Number(limit ?? 20) });
  });
}
`,
      errors: [{ messageId: "unvalidatedInput", line: 8, column: 29, endColumn: 42 }],
    },
    {
      name: "fp-wrapped plugin: a docs-only schema validates nothing",
      code: `${HEADER}
export default fp(async (app) => {
  app.post(
    "/webhooks/stripe",
    { schema: { tags: ["webhooks"], summary: "Stripe events", hide: true } },
    async (request, reply) => {
      const event = request.body as StripeEvent;
      await handleStripeEvent(event);
      return reply.send({ received: true });
    },
  );
}, { name: "stripe-webhooks" });
`,
      errors: [
        {
          messageId: "docsOnlySchema",
          line: 11,
          column: 21,
          endColumn: 33,
          data: { route: "POST /webhooks/stripe", member: "body", key: "body", part: "the body reaches", where: "", docKeys: "`tags`, `summary`, `hide`" },
        },
      ],
    },
    {
      name: "FastifyPluginAsyncZod route() with body but no params schema (destructured parameter)",
      code: `${HEADER}
const UpdateEvent = z.object({ name: z.string().min(1) });

const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.route({
    method: "PUT",
    url: "/v1/events/:id",
    schema: { body: UpdateEvent },
    handler: async ({ params, body }, reply) => {
      const event = await updateEvent(params.id, body);
      return reply.send(event);
    },
  });
};
export default eventRoutes;
`,
      errors: [
        {
          messageId: "unvalidatedInput",
          line: 13,
          column: 23,
          endColumn: 29,
          data: { route: "PUT /v1/events/:id", member: "params", key: "params", part: "the URL parameters reach", where: "" },
        },
      ],
    },
    {
      name: "withTypeProvider<ZodTypeProvider>() chain: z.any() and {} accept anything",
      code: `${HEADER}
const app = Fastify();
app.withTypeProvider<ZodTypeProvider>().get(
  "/v1/search",
  { schema: { querystring: z.any(), headers: {} } },
  async (request) => search(request.query, request.headers["x-tenant"]),
);
`,
      errors: [
        { messageId: "weakSchema", line: 9, column: 28, endColumn: 35 },
        {
          messageId: "weakSchema",
          line: 9,
          column: 46,
          endColumn: 48,
          data: { route: "GET /v1/search", member: "headers", what: "an empty JSON Schema (`{}`)", part: "the headers reach" },
        },
      ],
    },
    {
      name: "handler declared elsewhere in the file, typed FastifyRequest<{ Body }> (a type, not a check)",
      code: `${HEADER}
interface CreateUser {
  email: string;
}

async function createUser(request: FastifyRequest<{ Body: CreateUser }>, reply: FastifyReply) {
  const user = await prisma.user.create({ data: { email: request.body.email } });
  return reply.code(201).send(user);
}

export async function userRoutes(app: FastifyInstance) {
  app.post("/v1/users", { schema: { tags: ["users"], response: { 201: UserSchema } } }, createUser);
}
`,
      errors: [{ messageId: "unvalidatedInput", line: 11, column: 58, endColumn: 70 }],
    },
    {
      name: "schema constant built from a docs-only constant; method array",
      code: `${HEADER}
const docs = { tags: ["users"], description: "Create or replace a user" };
const upsertUserSchema = { ...docs, operationId: "upsertUser" };

const app = Fastify();
app.route({
  method: ["POST", "PUT"],
  url: "/v1/users",
  schema: upsertUserSchema,
  handler(request) {
    return upsertUser(request.body);
  },
});
`,
      errors: [{ messageId: "docsOnlySchema", line: 15, column: 23, endColumn: 35 }],
    },
    {
      name: "a custom header beside the auth one, or the headers passed on whole, is client input",
      code: `${HEADER}
export default async function tenantRoutes(app: FastifyInstance) {
  app.get("/v1/tenant", async (request) => {
    const { authorization, "x-tenant-id": tenant } = request.headers;
    return loadTenant(authorization, tenant);
  });
  app.get("/v1/audit", async (request) => audit(request.headers));
}
`,
      errors: [
        {
          messageId: "unvalidatedInput",
          data: { route: "GET /v1/tenant", member: "headers", key: "headers", part: "the headers reach", where: "" },
          line: 8,
          column: 54,
          endColumn: 69,
        },
        {
          messageId: "unvalidatedInput",
          data: { route: "GET /v1/audit", member: "headers", key: "headers", part: "the headers reach", where: "" },
          line: 11,
          column: 49,
          endColumn: 64,
        },
      ],
    },
    {
      name: "plugin passed by name to register; request.params and request.headers",
      code: `${HEADER}
async function sessionRoutes(fastify, opts) {
  fastify.delete("/sessions/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    const apiKey = request.headers["x-api-key"];
    await revokeSession(id, apiKey);
    return reply.code(204).send();
  });
}

const server = Fastify();
server.register(sessionRoutes, { prefix: "/v1" });
`,
      errors: [
        { messageId: "unvalidatedInput", line: 8, column: 20, endColumn: 34 },
        { messageId: "unvalidatedInput", line: 9, column: 20, endColumn: 35 },
      ],
    },
    {
      name: "inline plugin registered on the app; named `fastify` import; template URL",
      code: `${HEADER}
import { fastify } from "fastify";
const app = fastify().withTypeProvider<ZodTypeProvider>();
const version = "v2";
app.register(async (api) => {
  api.patch(\`/\${version}/events/:id\`, async (request) => patchEvent(request.body));
}, { prefix: "/api" });
`,
      errors: [
        {
          messageId: "unvalidatedInput",
          line: 10,
          column: 69,
          endColumn: 81,
          data: { route: "PATCH /${version}/events/:id", member: "body", key: "body", part: "the body reaches", where: "" },
        },
      ],
    },
    {
      name: "CommonJS: require('fastify')(...) and a plugin wrapped with require('fastify-plugin')",
      code: `
const fastify = require("fastify")({ logger: true });
const fp = require("fastify-plugin");

fastify.post("/v1/events", async function (request, reply) {
  return createEvent(request.body);
});

module.exports = fp(async function (instance) {
  instance.all("/v1/legacy", (request, reply) => reply.send(request.query));
});
`,
      errors: [
        { messageId: "unvalidatedInput", line: 6, column: 22, endColumn: 34 },
        { messageId: "unvalidatedInput", line: 10, column: 61, endColumn: 74 },
      ],
    },
    {
      name: "controllers in the same file: object method, class arrow property (bound), function with `this`",
      code: `${HEADER}
const UserParams = z.object({ id: z.uuid() });

const userController = {
  async update(request: FastifyRequest<{ Params: { id: string }; Body: UserPatch }>, reply: FastifyReply) {
    return reply.send(await users.update(request.params.id, request.body));
  },
};

class EventController {
  constructor(private readonly events: EventService) {}
  create = async (request: FastifyRequest<{ Body: NewEvent }>) => this.events.create(request.body);
}

async function ping(this: FastifyInstance, request: FastifyRequest) {
  return { pong: request.query };
}

export async function routes(app: FastifyInstance) {
  const events = new EventController(new EventService());
  app.put("/v1/users/:id", { schema: { params: UserParams } }, userController.update);
  app.post("/v1/events", events.create.bind(events));
  app.get("/v1/ping", ping);
}
`,
      errors: [
        { messageId: "unvalidatedInput", line: 10, column: 61, endColumn: 73 },
        { messageId: "unvalidatedInput", line: 16, column: 86, endColumn: 98 },
        { messageId: "unvalidatedInput", line: 20, column: 18, endColumn: 31 },
      ],
    },
    {
      name: "request handed to a local helper that reads the querystring",
      code: `${HEADER}
function paging(req: FastifyRequest) {
  const { cursor, limit } = req.query as { cursor?: string; limit?: string };
  return { cursor, take: Math.min(Number(limit ?? 20), 100) };
}

const app = Fastify();
app.get("/v1/posts", { schema: { response: { 200: PostPage } } }, async (request) => listPosts(paging(request)));
`,
      errors: [{ messageId: "unvalidatedInput", line: 7, column: 29, endColumn: 38 }],
    },
    {
      name: "validators: zod only; a JSON Schema body is reported",
      options: [{ validators: ["zod"] }],
      code: `${HEADER}
const app = Fastify();
app.post("/v1/events", {
  schema: { body: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
  handler: async (request) => createEvent(request.body),
});
`,
      errors: [
        {
          messageId: "disallowedValidator",
          line: 8,
          column: 19,
          endColumn: 99,
          data: { route: "POST /v1/events", member: "body", library: "a JSON Schema", allowed: "zod" },
        },
      ],
    },
    {
      name: "response: 2xx reports a response schema with only error statuses",
      options: [{ response: "2xx" }],
      code: `${HEADER}
const ErrorBody = z.object({ message: z.string() });
const app = Fastify();
app.get("/v1/events", { schema: { response: { 400: ErrorBody, 500: ErrorBody } } }, async () => listEvents());
app.get("/v1/status", async () => ({ ok: true }));
`,
      errors: [
        { messageId: "missingSuccessResponse", line: 8, column: 45, endColumn: 79, data: { route: "GET /v1/events" } },
        { messageId: "missingResponse", line: 9, column: 5, endColumn: 8 },
      ],
    },
    {
      name: "response: all reports a route without schema.response",
      options: [{ response: "all" }],
      code: `${HEADER}
const app = Fastify();
app.route({ method: "GET", url: "/v1/me", schema: { tags: ["me"] }, handler: async (request) => request.user });
`,
      errors: [{ messageId: "missingResponse", line: 7, column: 5, endColumn: 10, data: { route: "GET /v1/me" } }],
    },
  ],
});

typedRuleTester.run("fastify-require-schema (type-aware)", rule, {
  valid: [
    {
      name: "controller handlers with the schemas they need, and one that reads nothing",
      filename: typedFile("fastify/routes.ts"),
      code: `
import { app } from "./app";
import * as controller from "./controllers/event.controller";
import { CreateEventSchema } from "./schemas";

app.route({ method: "POST", url: "/v1/events", schema: { tags: ["Event"], body: CreateEventSchema }, handler: controller.postEvent });
app.get("/health", controller.health);
`,
    },
    {
      name: "an in-house router with get/post/route/register is not Fastify by type",
      filename: typedFile("fastify/routes.ts"),
      code: `
import { miniRouter } from "./app";
miniRouter.post("/v1/events", (request) => request.body);
miniRouter.route({ method: "PUT", url: "/v1/events", handler: (request) => request.body });
`,
    },
    {
      name: "half-typed routes on a typed receiver do not crash",
      filename: typedFile("fastify/routes.ts"),
      code: `
import { app } from "./app";
app.get();
app.route();
app.route({});
app.get("/x");
app.post("/x", {});
app.route({ method: "GET", url: "/y", handler: undefined });
`,
    },
    {
      name: "validators: zod only: an imported Zod schema counts (its type has safeParse)",
      filename: typedFile("fastify/routes.ts"),
      options: [{ validators: ["zod"] }],
      code: `
import { app } from "./app";
import { CreateEventSchema } from "./schemas";
app.post("/v1/events", { schema: { body: CreateEventSchema } }, async (request) => request.body);
`,
    },
  ],
  invalid: [
    {
      name: "an imported controller handler (namespace import) behind a docs-only schema",
      filename: typedFile("fastify/routes.ts"),
      code: `
import { app } from "./app";
import * as controller from "./controllers/event.controller";

app.route({
  method: "POST",
  url: "/v1/events",
  schema: { tags: ["Event"], description: "Create an event" },
  handler: controller.postEvent,
});
`,
      errors: [
        {
          messageId: "docsOnlySchema",
          line: 9,
          column: 12,
          endColumn: 32,
          data: {
            route: "POST /v1/events",
            member: "body",
            key: "body",
            part: "the body reaches",
            where: " (in `event.controller.ts`)",
            docKeys: "`tags`, `description`",
          },
        },
      ],
    },
    {
      name: "named imports: a const arrow handler and a class method bound to its instance",
      filename: typedFile("fastify/routes.ts"),
      code: `
import { app } from "./app";
import { EventController, listEvents } from "./controllers/event.controller";

const events = new EventController();
app.get("/v1/events", listEvents);
app.get("/v1/events/:id", events.getEvent.bind(events));
`,
      errors: [
        { messageId: "unvalidatedInput", line: 6, column: 23, endColumn: 33 },
        { messageId: "unvalidatedInput", line: 7, column: 27, endColumn: 55 },
      ],
    },
    {
      name: "a receiver recognised only by its type: a FastifyInstance class member",
      filename: typedFile("fastify/routes.ts"),
      code: `
import type { FastifyInstance } from "fastify";

export class HttpApi {
  constructor(private readonly server: FastifyInstance) {}

  mount() {
    this.server.post("/v1/events", async (request) => createEvent(request.body));
  }
}
declare function createEvent(input: unknown): Promise<unknown>;
`,
      errors: [{ messageId: "unvalidatedInput", line: 8, column: 67, endColumn: 79 }],
    },
    {
      name: "validators: zod only: an imported JSON Schema constant is not Zod (by its type)",
      filename: typedFile("fastify/routes.ts"),
      options: [{ validators: ["zod"] }],
      code: `
import { app } from "./app";
import { createEventJsonSchema } from "./schemas";
app.post("/v1/events", { schema: { body: createEventJsonSchema } }, async (request) => request.body);
`,
      errors: [{ messageId: "disallowedValidator", line: 4, column: 42, endColumn: 63 }],
    },
  ],
});
