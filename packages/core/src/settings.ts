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
  "**/seeds/**",
  "**/scripts/**",
  "**/migrations/**",
  "**/fixtures/**",
  "**/__mocks__/**",
  "**/*.gen.*",
  "**/generated/**",
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
    hotPaths: z
      .union([
        z.array(z.string().min(1)),
        z.object({ trafficFile: z.string().min(1), threshold: z.number().positive() }).strict(),
      ])
      .optional(),
    effectRunners: z.array(z.string().min(1)).optional(),
    nonRuntime: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Globs (relative to the working directory) of files that serve no request, which the runtime rules skip; replaces the default list (tests, seeds, scripts, migrations, fixtures, mocks, generated files).",
      ),
  })
  .strict();

export type ArchlintSettings = z.infer<typeof settingsSchema>;

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Parse `settings.archlint`; throws SettingsError with one line naming the offending key. */
export function parseSettings(raw: unknown): ArchlintSettings {
  if (raw === undefined || raw === null) return {};
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  const where = ["settings", "archlint", ...issue.path.map(String), ...keys.slice(0, 1)].join(".");
  throw new SettingsError(`Invalid ${where}: ${issue.message}`);
}
