import fs from "node:fs";
import path from "node:path";
import { contentHash, readFingerprint, readsOf } from "@archlint/core";
import type { ESLint } from "eslint";
import type { LintResult } from "./formatters/types.js";

/**
 * `archlint check --cache`: each file's result is kept with what it was computed from, and reused
 * only while all of it is unchanged: the file's content (a hash, not its size and mtime), its
 * computed config, and every file, folder listing and path probe its analysis read (the schema
 * and migrations, the services and builders it imports, a traffic file, a prisma.config.ts:
 * core records them per linted file, see `recordReads`). A result with a parse error is not kept.
 *
 * The file holds a table of reads as they were seen (`[read, fingerprint]`), and per linted file
 * its content hash, its config key, the indexes of its reads in the table, and its result.
 */

const FORMAT = 1;
export const DEFAULT_CACHE_FILE = ".archlintcache";

interface Entry {
  hash: string;
  config: string;
  reads: number[];
  result: Omit<LintResult, "filePath" | "source" | "output">;
}

interface CacheFile {
  format: number;
  tool: string;
  reads: Array<[string, string]>;
  files: Record<string, Entry>;
}

/** Where the cache is: `--cache-location` (a file, or a folder to put `.archlintcache` in), else `.archlintcache` in the working directory. */
export function cacheFilePath(cwd: string, location: string | undefined): string {
  if (location === undefined) return path.join(cwd, DEFAULT_CACHE_FILE);
  const abs = path.resolve(cwd, location);
  const isFolder = /[\\/]$/.test(location) || (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false);
  return isFolder ? path.join(abs, DEFAULT_CACHE_FILE) : abs;
}

/** A stable text for a computed config: keys sorted, parsers and plugins by name and version, functions by name. */
function configText(value: unknown, seen = new WeakSet<object>()): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") return `fn:${value.name}`;
    return value === undefined ? "undefined" : JSON.stringify(value);
  }
  if (seen.has(value)) return '"[circular]"';
  const meta = (value as { meta?: { name?: unknown; version?: unknown } }).meta;
  if (meta && typeof meta.name === "string" && ("parse" in value || "parseForESLint" in value || "rules" in value))
    return JSON.stringify(`${meta.name}@${String(meta.version)}`);
  seen.add(value);
  const text = Array.isArray(value)
    ? `[${value.map((v) => configText(v, seen)).join(",")}]`
    : `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${configText((value as Record<string, unknown>)[k], seen)}`)
        .join(",")}}`;
  seen.delete(value);
  return text;
}

/**
 * A config without the presets' `settings.archlintSchemaState` (the paths, sizes and mtimes of the
 * project's `.prisma` and `.sql` files): ESLint's own `--cache` needs it to drop results when any
 * of them changes, but here each result is kept with the reads it made, which see every change
 * to the files its analysis read (and only those). Keyed on it, editing one migration would drop
 * every file's result, code that never reads the migrations included.
 */
function withoutSchemaState(config: object): object {
  const settings = (config as { settings?: unknown }).settings;
  if (typeof settings !== "object" || settings === null || !("archlintSchemaState" in settings)) return config;
  const { archlintSchemaState: _state, ...rest } = settings as Record<string, unknown>;
  return { ...config, settings: rest };
}

export class ResultCache {
  private readonly old: CacheFile | null;
  private readonly kept = new Map<string, { hash: string; config: string; reads: Array<[string, string]>; result: Entry["result"] }>();
  private readonly seenNow = new Map<string, string>();
  private readonly configKeys = new WeakMap<object, string>();
  private readonly hashes = new Map<string, string>();
  /** Whether the kept results differ from the file's: a run that linted nothing (every result held) leaves the file as it is. */
  private changed: boolean;

  private constructor(
    readonly file: string,
    private readonly tool: string,
  ) {
    this.old = ResultCache.read(file, tool);
    this.changed = this.old === null;
    // Entries of files this run does not lint stay, with the reads they were checked against.
    for (const [f, e] of Object.entries(this.old?.files ?? {})) {
      this.kept.set(f, { hash: e.hash, config: e.config, reads: e.reads.map((i) => this.old!.reads[i]!), result: e.result });
    }
  }

  /** `tool`: what else decides every result (archlint's and ESLint's versions, --quiet). */
  static open(file: string, tool: string): ResultCache {
    return new ResultCache(file, tool);
  }

  private static read(file: string, tool: string): CacheFile | null {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      // Another version's cache, or not a cache at all: start again.
      return data?.format === FORMAT && data.tool === tool && Array.isArray(data.reads) && data.files && typeof data.files === "object" ? data : null;
    } catch (error) {
      if (error instanceof SyntaxError) return null;
      throw error;
    }
  }

  private fingerprint(read: string): string {
    let fp = this.seenNow.get(read);
    if (fp === undefined) this.seenNow.set(read, (fp = readFingerprint(read)));
    return fp;
  }

  private hashOf(file: string): string | null {
    let h = this.hashes.get(file);
    if (h === undefined) {
      try {
        h = contentHash(fs.readFileSync(file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
      this.hashes.set(file, h);
    }
    return h;
  }

  private async configKey(eslint: ESLint, file: string): Promise<string> {
    const config = (await eslint.calculateConfigForFile(file)) as object | undefined;
    if (!config) return "none";
    let key = this.configKeys.get(config);
    if (key === undefined) this.configKeys.set(config, (key = contentHash(configText(withoutSchemaState(config)))));
    return key;
  }

  /** The files whose kept result still holds (with it), and the ones to lint. */
  async partition(eslint: ESLint, files: string[]): Promise<{ fresh: LintResult[]; stale: string[] }> {
    const fresh: LintResult[] = [];
    const stale: string[] = [];
    for (const file of files) {
      const entry = this.kept.get(file);
      const holds =
        entry !== undefined &&
        entry.hash === this.hashOf(file) &&
        entry.config === (await this.configKey(eslint, file)) &&
        entry.reads.every(([read, fp]) => this.fingerprint(read) === fp);
      if (holds) fresh.push({ filePath: file, ...entry.result });
      else stale.push(file);
    }
    return { fresh, stale };
  }

  /**
   * Keep the results just linted, with what their analysis read. `rehash`: the files may have
   * changed since they were read (--fix wrote them), so hashes are taken again.
   */
  async store(eslint: ESLint, results: LintResult[], extraReads: readonly string[] = [], rehash = false): Promise<void> {
    if (rehash) {
      this.hashes.clear();
      this.seenNow.clear();
    }
    if (results.length > 0) this.changed = true;
    for (const r of results) {
      const reads = readsOf(r.filePath);
      const hash = this.hashOf(r.filePath);
      // A parse error, a file the analysis never started on (another copy of the plugin did), or a file gone: not kept.
      if (reads === null || hash === null || r.messages.some((m) => m.fatal)) {
        this.kept.delete(r.filePath);
        continue;
      }
      const { filePath: _filePath, source: _source, output: _output, ...result } = r;
      const own = `f:${path.resolve(r.filePath)}`;
      this.kept.set(r.filePath, {
        hash,
        config: await this.configKey(eslint, r.filePath),
        reads: [...new Set([...reads, ...extraReads])].filter((read) => read !== own).map((read): [string, string] => [read, this.fingerprint(read)]),
        result,
      });
    }
  }

  /**
   * Written to a temporary sibling and renamed over the cache, so a killed run leaves the old cache
   * or the new; not written when this run linted nothing (its kept results are the file's).
   */
  save(): void {
    if (!this.changed) return;
    const table: Array<[string, string]> = [];
    const index = new Map<string, number>();
    const files: Record<string, Entry> = {};
    for (const [f, e] of [...this.kept].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const reads = e.reads.map(([read, fp]) => {
        const key = `${read}\0${fp}`;
        let i = index.get(key);
        if (i === undefined) {
          index.set(key, (i = table.length));
          table.push([read, fp]);
        }
        return i;
      });
      files[f] = { hash: e.hash, config: e.config, reads, result: e.result };
    }
    const data: CacheFile = { format: FORMAT, tool: this.tool, reads: table, files };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.file);
  }
}

/**
 * The files ESLint would lint for `targets` (files and folders, no globs): a named file, and each
 * file under a named folder that some config object matches and no `ignores` removes. Folders
 * ESLint never enters (node_modules, .git) are not walked.
 */
export async function filesToLint(eslint: ESLint, targets: string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  const consider = async (file: string): Promise<void> => {
    if (!(await eslint.isPathIgnored(file)) && (await eslint.calculateConfigForFile(file)) !== undefined) out.add(file);
  };
  const walk = async (dir: string): Promise<void> => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== ".git") await walk(p);
      } else if (e.isFile()) await consider(p);
    }
  };
  for (const t of targets) {
    const abs = path.resolve(cwd, t);
    if (fs.statSync(abs).isDirectory()) await walk(abs);
    else out.add(abs);
  }
  return [...out].sort();
}
