import { z } from "zod";

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
