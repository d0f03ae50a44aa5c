import path from "node:path";
import { captureReads, replayReads } from "../reads.js";

/**
 * The one cache behind the project index. Every fact it holds (a parsed module, a tsconfig, a
 * schema location, the builders of a project) names the files it was computed from, so an editor
 * that sees a file change calls `invalidate(file)` and only the facts that depend on that file are
 * recomputed; `clear()` forgets everything (a new lint run in the same process, a test).
 */
export class IndexCache {
  private readonly entries = new Map<string, { value: unknown; files: ReadonlySet<string>; reads: readonly string[] }>();

  /**
   * The value under `key`, computed once; `files` are the absolute paths it depends on. `fresh`,
   * when given, is asked of a remembered value first (a module read at another mtime is not).
   */
  memo<T>(key: string, compute: () => { value: T; files: readonly string[] }, fresh?: (value: T) => boolean): T {
    const hit = this.entries.get(key);
    if (hit && (fresh === undefined || fresh(hit.value as T))) {
      // The linted file that uses a remembered fact depends on what it was computed from.
      replayReads(hit.reads);
      return hit.value as T;
    }
    const {
      value: { value, files },
      reads,
    } = captureReads(compute);
    const resolved = new Set(files.map((f) => path.resolve(f)));
    this.entries.set(key, { value, files: resolved, reads: [...reads, ...[...resolved].map((f) => `f:${f}`)] });
    return value;
  }

  /**
   * Drop every fact computed from `file`, or from a file inside it when it is a folder (a
   * deleted or renamed folder takes its modules with it). Facts that depend on a file's
   * absence (a module resolution that found nothing) name the folder they looked in.
   */
  invalidate(file: string): void {
    const target = path.resolve(file);
    const inside = target + path.sep;
    for (const [key, entry] of this.entries) {
      for (const f of entry.files) {
        if (f === target || f.startsWith(inside) || target.startsWith(f + path.sep)) {
          this.entries.delete(key);
          break;
        }
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The process's index cache: the editor's file watcher and the CLI's runs share it. */
export const indexCache = new IndexCache();
