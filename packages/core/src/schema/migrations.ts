import path from "node:path";
import { statOrNull } from "../fs-probe.js";
import { folderHistory, type HistoryOptions, type MigrationHistory } from "../sql/history.js";
import type { SchemaLocation } from "./locate.js";

/**
 * The SQL migration histories that build a Prisma schema's database, for rules that read the
 * schema and its SQL together: Prisma Migrate's `migrations` folder next to the schema (beside the
 * schema file; inside or beside a schema folder), and the folders of `settings.archlint.migrations`.
 * Each is core's one migration history (sql/history.ts), folded once and cached like the SQL
 * rules'. A history with a file Postgres's parser rejects (it would miss what that file does) or
 * of another database is left out: the schema alone is then what is known.
 */
export function schemaMigrationHistories(location: SchemaLocation, options: HistoryOptions): MigrationHistory[] {
  const base = location.isFolder ? location.path : path.dirname(location.path);
  const folders = [path.join(base, "migrations")];
  if (location.isFolder) folders.push(path.join(path.dirname(base), "migrations"));
  const configured = options.migrations === undefined ? [] : Array.isArray(options.migrations) ? options.migrations : [options.migrations];
  folders.push(...configured.map((m) => path.resolve(options.cwd, m)));
  const out: MigrationHistory[] = [];
  for (const folder of new Set(folders)) {
    if (!statOrNull(folder)?.isDirectory()) continue;
    const history = folderHistory(folder);
    if (history && !history.notPostgres && history.unparsed.length === 0) out.push(history);
  }
  return out;
}
