import { ProjectIndex, type ResolvedSettings } from "@archlint/core";
import type { Context } from "./syntax/ast.js";

/**
 * The core project index for the file being linted: one per (working directory, settings object),
 * so every rule of a lint run shares it. Its facts live in core's one cache, which an editor
 * clears per changed file (`invalidateIndex`).
 */
const indexes = new WeakMap<object, Map<string, ProjectIndex>>();
const NO_SETTINGS = {};

/** What the index needs of a rule's context (a `.sql` or `.prisma` rule's context has it too). */
export type ProjectContext = Pick<Context, "settings" | "cwd">;

export function projectIndex(context: ProjectContext): ProjectIndex {
  const settings = (context.settings as Record<string, unknown> | undefined) ?? NO_SETTINGS;
  let byCwd = indexes.get(settings);
  if (!byCwd) indexes.set(settings, (byCwd = new Map()));
  let index = byCwd.get(context.cwd);
  if (!index) byCwd.set(context.cwd, (index = new ProjectIndex(context.cwd, (settings as { archlint?: unknown }).archlint)));
  return index;
}

/** `settings.archlint` with every default applied (core's schema holds the defaults). */
export function resolvedSettings(context: ProjectContext): ResolvedSettings {
  return projectIndex(context).settings;
}
