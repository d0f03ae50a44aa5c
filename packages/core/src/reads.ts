import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { rethrowUnlessMissing } from "./fs-probe.js";

/**
 * What the analysis of each linted file read of the file system, for a result cache that is never
 * stale (`archlint check --cache`): a file's findings depend on its own text, its config, and every
 * file, folder listing and path probe its analysis looked at (the schema, the migrations, imported
 * services and builders, a traffic file, a prisma.config.ts). The places that read the file system
 * (core's loaders and walks, the plugin's type-aware reach) note each read here; a cached value
 * (the index's facts, a schema location) keeps the reads it was computed from and notes them again
 * whenever it is used, so the file that uses it depends on them too.
 *
 * Off unless `recordReads(true)`: then each linted file's reads are collected under the file being
 * linted (`lintingFile`, called by the languages and the rules as ESLint starts on a file; ESLint
 * lints one file at a time, synchronously, from parse to the last rule).
 *
 * A read is a key: `f:<path>` (the file's content), `d:<path>` (a folder's entries), `p:<path>`
 * (what is at a path: a file, a folder or nothing).
 */

let log: Map<string, Set<string>> | null = null;
let current: Set<string> | null = null;

export function recordReads(on: boolean): void {
  log = on ? new Map() : null;
  current = null;
}

export function isRecordingReads(): boolean {
  return log !== null;
}

let generation = 0;
let lastRun: object | undefined;

/**
 * Which lint of a file the analysis is in: a new number each time ESLint starts on a file (a new
 * `run` object: the file's SourceCode; none from a language's parse, which starts every lint). A
 * fact about the file system that is remembered to save repeating it (a module's `stat`) holds
 * for one generation only, so an editor's next lint of a router sees a service saved since.
 */
export function analysisGeneration(): number {
  return generation;
}

/**
 * ESLint starts on `file` (absolute), for `run` (the file's SourceCode, the same for every rule of
 * one lint of it): reads go to the file's set until another file starts.
 */
export function lintingFile(file: string, run?: object): void {
  if (run === undefined || run !== lastRun) generation++;
  lastRun = run;
  if (!log) return;
  const abs = path.resolve(file);
  let reads = log.get(abs);
  if (!reads) log.set(abs, (reads = new Set()));
  current = reads;
}

/** The reads noted for a linted file; null when the analysis never started on it (or nothing is recorded). */
export function readsOf(file: string): string[] | null {
  const reads = log?.get(path.resolve(file));
  return reads ? [...reads].sort() : null;
}

export function noteFileRead(file: string): void {
  current?.add(`f:${path.resolve(file)}`);
}

export function noteFolderRead(dir: string): void {
  current?.add(`d:${path.resolve(dir)}`);
}

export function notePathProbe(p: string): void {
  current?.add(`p:${path.resolve(p)}`);
}

/** Note reads again (a remembered value is used by another linted file). */
export function replayReads(reads: readonly string[]): void {
  if (current) for (const r of reads) current.add(r);
}

/** `compute()`, with the reads it made (also noted for the current file). Not recording: no reads. */
export function captureReads<T>(compute: () => T): { value: T; reads: readonly string[] } {
  if (!log) return { value: compute(), reads: [] };
  const outer = current;
  const inner = new Set<string>();
  current = inner;
  try {
    return { value: compute(), reads: [...inner] };
  } finally {
    current = outer;
    if (outer) for (const r of inner) outer.add(r);
  }
}

/**
 * A `Map` cache whose values remember the reads they were computed from: `get` notes them again.
 * For per-process caches of facts read from files (a folder's schema location, a package root).
 */
export class ReadMemo<T> {
  private readonly entries = new Map<string, { value: T; reads: readonly string[] }>();

  get(key: string, compute: () => T): T {
    const hit = this.entries.get(key);
    if (hit) {
      replayReads(hit.reads);
      return hit.value;
    }
    const entry = captureReads(compute);
    this.entries.set(key, entry);
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }
}

function sha1(data: string | Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

/**
 * What a read saw, as it is on disk now: a file's content hash, a folder's entries, a path's kind;
 * "-" for nothing there. Compared with what was recorded, it says whether a cached result still holds.
 */
export function readFingerprint(read: string): string {
  const kind = read.slice(0, 2);
  const p = read.slice(2);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(p, { throwIfNoEntry: false });
  } catch (error) {
    // Unreadable (EACCES, ELOOP): not what was read before, whatever it was.
    rethrowUnlessMissing(error);
    return "?";
  }
  if (!st) return "-";
  const what = st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
  if (kind === "p:") return what;
  try {
    if (kind === "f:") return st.isFile() ? sha1(fs.readFileSync(p)) : what;
    if (kind === "d:") {
      if (!st.isDirectory()) return what;
      const entries = fs
        .readdirSync(p, { withFileTypes: true })
        .map((e) => `${e.name}${e.isDirectory() ? "/" : ""}`)
        .sort();
      return sha1(entries.join("\n"));
    }
  } catch (error) {
    rethrowUnlessMissing(error);
    return "?";
  }
  return "?";
}

/** Content hash of a buffer or string, the one the cache keys files on. */
export function contentHash(data: string | Buffer): string {
  return sha1(data);
}
