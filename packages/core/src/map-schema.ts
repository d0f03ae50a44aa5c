import { z } from "zod";

/**
 * The schema of `archlint map --format json`: the architecture of a backend as archlint reads it
 * from the code. Versioned: a field removed or changed in meaning bumps `MAP_SCHEMA_VERSION`; a
 * field added does not. Every list is sorted (documented per list) and every path is relative to
 * the mapped folder with `/` separators, so the same code gives the same bytes on every machine.
 */

export const MAP_SCHEMA_VERSION = 2;

const location = z
  .object({
    file: z.string().describe("Path relative to the mapped folder, `/`-separated."),
    line: z.number().int().positive(),
  })
  .describe("Where something is written.");

const cache = z
  .object({
    kind: z
      .enum(["wrapper", "cache-aside", "accelerate"])
      .describe("A cache wrapper's callback, behind a cache-aside check, or Prisma Accelerate's `cacheStrategy`."),
    by: z.string().nullable().describe("The wrapper as written (`cache.wrap`); null for the other kinds."),
  })
  .describe("The cache layer in front of a database access or a call.");

const access = z
  .object({
    library: z.enum(["prisma", "kysely"]),
    model: z.string().nullable().describe("The Prisma model (`Post`) or the Kysely table (`posts`); null for raw SQL."),
    operation: z.string().describe("`findMany`, `update`, `$queryRawUnsafe`, `selectFrom`..."),
    kind: z.enum(["read", "write", "transaction"]),
    service: z.string().describe("Id of the function that makes the access (see `services`)."),
    line: z.number().int().positive(),
    cache: cache.nullable().describe("The cache in front of this access, where the function itself shows one (a caller's cache is on the edge in `calls`)."),
  })
  .describe("One database access.");

const findingRef = z.string().describe("Id of a finding (see `findings`).");

export const mapEndpointSchema = z.object({
  id: z.string().describe("`trpc:post.byId`, `fastify:POST /webhooks/stripe`, `next:GET /api/users/[id]`: unique in the map."),
  framework: z.enum(["trpc", "fastify", "next"]).describe("`next` since version 2: App Router route handlers, server actions and Pages Router API routes."),
  name: z
    .string()
    .describe(
      "The full procedure path; the method and URL as written (Fastify: a prefix given by `register()` is not included); Next.js: the method and the URL from the file's folder (`GET /api/users/[id]`, `API /api/x` when the method is not known), or `action <export> (<file>)` for a server action.",
    ),
  kind: z
    .string()
    .describe(
      "tRPC: query, mutation or subscription; Fastify and Next.js routes: the upper-case methods joined by `|` (`unknown` when not known); a server action: `action`.",
    ),
  operation: z.enum(["read", "write", "unknown"]),
  location,
  auth: z.object({ access: z.enum(["public", "protected"]), why: z.string().describe("The builder and middleware, or the hook, that decides it.") }),
  input: z.object({
    validation: z.enum(["validated", "unvalidated", "unknown"]),
    how: z.string().describe("The `.input()` schema or the route schema, or why none."),
  }),
  hot: z.object({ hot: z.boolean(), why: z.string() }).describe("Hot by archlint's default rule: a public read, `@hot`, or `settings.archlint.hotPaths`."),
  handler: z.string().nullable().describe("Id of the handler's function; null when it cannot be followed (see `unresolved`)."),
  services: z
    .array(
      z.object({
        id: z.string(),
        depth: z.number().int().nonnegative(),
        cachedBy: cache.nullable().describe("A cache on the path from the handler to this function."),
      }),
    )
    .describe("The functions the handler reaches, itself at depth 0, breadth first (ties by id)."),
  reads: z.array(access).describe("Database reads reached, sorted by service, line, operation."),
  writes: z.array(access).describe("Database writes (and transactions) reached, sorted like `reads`."),
  models: z.array(z.string()).describe("Models and tables read or written, sorted."),
  caches: z.array(z.object({ by: z.string(), service: z.string(), line: z.number().int().positive() })).describe("Cache wrappers called on the way, sorted."),
  findings: z.array(findingRef).describe("Findings inside the endpoint's declaration or its inline handler, sorted."),
});

export const mapServiceSchema = z.object({
  id: z.string().describe("`<file>#<name>` (with `@<line>` when a file has two functions of that name)."),
  name: z.string(),
  location,
  handler: z.boolean().describe("An inline endpoint handler rather than a named function."),
  calls: z
    .array(z.object({ to: z.string(), line: z.number().int().positive(), cache: cache.nullable() }))
    .describe("Calls to other mapped functions, sorted by line then id."),
  reads: z.array(access),
  writes: z.array(access),
  findings: z.array(findingRef),
});

export const mapModelSchema = z.object({
  name: z.string(),
  table: z.string().describe("`@@map` name, else the model name."),
  location,
  relations: z.array(z.object({ field: z.string(), model: z.string(), fields: z.array(z.string()), references: z.array(z.string()) })),
  indexes: z.array(z.object({ kind: z.enum(["id", "unique", "index", "fulltext"]), fields: z.array(z.string()) })),
  readBy: z.array(z.string()).describe("Endpoint ids that read the model, sorted."),
  writtenBy: z.array(z.string()).describe("Endpoint ids that write the model, sorted."),
  findings: z.array(findingRef),
});

export const mapFindingSchema = z.object({
  id: z.string().describe("`<file>:<line>:<column>:<rule>`"),
  rule: z.string().describe("`archlint/...`, or `parse-error`."),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  location: location.extend({ column: z.number().int().positive() }),
  attachedTo: z
    .object({ kind: z.enum(["endpoint", "service", "model"]), id: z.string() })
    .nullable()
    .describe("The innermost endpoint, service or model it concerns; null when none."),
});

export const mapUnresolvedSchema = z.object({
  what: z.string().describe("What could not be resolved, as written."),
  location,
  reason: z.string(),
});

export const architectureMapSchema = z
  .object({
    version: z.literal(MAP_SCHEMA_VERSION),
    tool: z.object({ name: z.literal("archlint"), version: z.string() }),
    files: z
      .object({
        code: z.number().int().nonnegative().describe("Code files read."),
        typed: z
          .number()
          .int()
          .nonnegative()
          .describe(
            "Of those, the files read with type information (a tsconfig.json includes them): their calls are followed through the type checker, the others' through their imports only.",
          ),
      })
      .describe("What the map was built from."),
    endpoints: z.array(mapEndpointSchema).describe("Sorted by id."),
    services: z.array(mapServiceSchema).describe("Functions reached from some endpoint, sorted by id."),
    models: z.array(mapModelSchema).describe("Models of the Prisma schema, sorted by name."),
    findings: z.array(mapFindingSchema).describe("Every finding of the run, sorted by file, line, column, rule."),
    unresolved: z.array(mapUnresolvedSchema).describe("What the map could not follow, sorted by file, line, what."),
  })
  .describe("archlint map: endpoints -> services -> models, with auth, input validation, hotness, caches and findings.");

export type ArchitectureMap = z.infer<typeof architectureMapSchema>;
export type MapEndpoint = z.infer<typeof mapEndpointSchema>;
export type MapService = z.infer<typeof mapServiceSchema>;
export type MapModel = z.infer<typeof mapModelSchema>;
export type MapFinding = z.infer<typeof mapFindingSchema>;
export type MapUnresolved = z.infer<typeof mapUnresolvedSchema>;
export type MapAccess = z.infer<typeof access>;
export type MapCache = z.infer<typeof cache>;

/** The JSON Schema (draft 2020-12) of the map, for tools that read it without zod. */
export function architectureMapJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(architectureMapSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}
