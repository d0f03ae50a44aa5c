import { z } from "zod";

/**
 * Files that never serve a request: tests, seeds, scripts, migrations, fixtures, mocks and
 * generated code. The runtime rules (query in a loop, TTLs, hot reads, raw SQL, escaping Effect
 * errors) skip them: an N+1 in a seed or a key without TTL in a test costs no user anything.
 * Globs relative to the working directory, as ESLint's `files`; `nonRuntime` replaces this list.
 */
export const DEFAULT_NON_RUNTIME: readonly string[] = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/__tests__/**",
  "**/test/**",
  "**/tests/**",
  "**/e2e/**",
  "**/seed.*",
  "**/seed/**",
  "**/seeds/**",
  "**/scripts/**",
  "**/*migrations/**",
  "**/fixtures/**",
  "**/__mocks__/**",
  "**/*.gen.*",
  "**/generated/**",
];

/** Identifiers that are Prisma clients or Kysely instances, when `dbClients` is not set. */
export const DEFAULT_DB_CLIENTS: readonly string[] = ["prisma", "db", "ctx.db", "ctx.prisma", "tx"];
/** Redis / Upstash receivers, when `cacheClients` is not set. */
export const DEFAULT_CACHE_CLIENTS: readonly string[] = ["redis", "cache", "kv", "upstash"];
/** Schemas exposed through Supabase's Data API, when `exposedSchemas` is not set and the project uses Supabase. */
export const DEFAULT_EXPOSED_SCHEMAS: readonly string[] = ["public"];
/** Functions whose callback results are cached, when `cacheWrappers` is not set. */
export const DEFAULT_CACHE_WRAPPERS: readonly string[] = [
  "cache.wrap",
  "withCache",
  "cached",
  "memoize",
  "unstable_cache",
  "remember",
  "getOrSet",
  "Effect.cached",
  "Effect.cachedWithTTL",
];

/**
 * `settings.archlint` in eslint.config: one schema for every rule. Unknown keys are errors, not
 * silent defaults, so a typo is caught the first time ESLint runs.
 */
export const settingsSchema = z
  .object({
    /** Path to schema.prisma or a folder of .prisma files, relative to the working directory. */
    schema: z.string().min(1).optional(),
    procedures: z
      .object({
        public: z.array(z.string().min(1)).optional(),
        protected: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    dbClients: z.array(z.string().min(1)).optional(),
    cacheWrappers: z.array(z.string().min(1)).optional(),
    cacheClients: z.array(z.string().min(1)).optional(),
    hotPaths: z.union([z.array(z.string().min(1)), z.object({ trafficFile: z.string().min(1), threshold: z.number().positive() }).strict()]).optional(),
    effectRunners: z.array(z.string().min(1)).optional(),
    migrations: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe(
        "Folder (or folders) of SQL migrations, relative to the working directory: every .sql file in it (subfolders too, as Prisma's <name>/migration.sql), applied in path order, makes the schema the SQL rules check. Default: the nearest folder named `migrations` above the linted file (supabase/migrations, prisma/migrations).",
      ),
    exposedSchemas: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Postgres schemas whose tables clients reach through an API (Supabase\'s Data API / PostgREST), which the row level security rules check. Default: ["public"].',
      ),
    nonRuntime: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Globs (relative to the working directory) of files that serve no request, which the runtime rules skip; replaces the default list (tests, seeds, scripts, migrations, fixtures, mocks, generated files).",
      ),
  })
  .strict();

export type ArchlintSettings = z.infer<typeof settingsSchema>;

/**
 * The same schema with every default applied: what the rules read, so no rule writes its own
 * `?? DEFAULT_*`. `schema`, `hotPaths`, `migrations` and `exposedSchemas` stay optional (absent
 * means "locate it" / "none configured" / "the nearest migrations folder" / "public in a Supabase
 * project, else none"), and so does `nonRuntime`: the default list
 * is matched inside the file's own package, a configured one from the working directory, so
 * absence is itself a setting.
 */
export const resolvedSettingsSchema = settingsSchema.extend({
  procedures: settingsSchema.shape.procedures.default({}),
  dbClients: settingsSchema.shape.dbClients.default([...DEFAULT_DB_CLIENTS]),
  cacheWrappers: settingsSchema.shape.cacheWrappers.default([...DEFAULT_CACHE_WRAPPERS]),
  cacheClients: settingsSchema.shape.cacheClients.default([...DEFAULT_CACHE_CLIENTS]),
  effectRunners: settingsSchema.shape.effectRunners.default([]),
});

export type ResolvedSettings = z.output<typeof resolvedSettingsSchema>;

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Parse `settings.archlint` as written; throws SettingsError with one line naming the offending key. */
export function parseSettings(raw: unknown): ArchlintSettings {
  if (raw === undefined || raw === null) return {};
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw settingsError(result.error);
}

/** `settings.archlint` with every default applied (see `resolvedSettingsSchema`). */
export function resolveSettings(raw: unknown): ResolvedSettings {
  const result = resolvedSettingsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw settingsError(result.error);
}

function settingsError(error: z.ZodError): SettingsError {
  const issue = error.issues[0]!;
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  const where = ["settings", "archlint", ...issue.path.map(String), ...keys.slice(0, 1)].join(".");
  return new SettingsError(`Invalid ${where}: ${issue.message}`);
}
