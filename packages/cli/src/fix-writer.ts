import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { LintResult } from "./formatters/types.js";
import { rethrowUnlessMissing } from "@archlint/core";

/**
 * `--fix` without losing a byte: ESLint's `outputFixes` truncates each file and then writes it, so a
 * kill in between leaves an empty file. Here every fix goes to a temporary sibling that is synced
 * and renamed over the original, a file is written only if it still holds the text ESLint linted,
 * and nothing is written at all when one of the files cannot be.
 */

/** A file `--fix` has to write is read-only (or its folder is): no file was written. Exit 2, one line. */
export class FixWriteError extends Error {
  override name = "FixWriteError";
}

/** Fixes unlocked by other fixes (a schema index that lets a code fix apply) get this many more rounds. */
const MAX_WRITE_ROUNDS = 3;

/** Signals that would otherwise kill the process between two renames; they take effect once the writes are done. */
const DEFERRED_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

type Lint = () => Promise<LintResult[]>;

/**
 * The text of each file as ESLint read it (null: read twice with different texts). ESLint does not
 * return the original text of a fixed file (`source` is dropped once there is `output`), and reading
 * the file again afterwards could see someone's later edit: so the reads ESLint makes through
 * `fs.promises.readFile` are recorded while it lints.
 */
async function lintRecordingReads(lint: Lint): Promise<{ results: LintResult[]; reads: Map<string, string | null> }> {
  const reads = new Map<string, string | null>();
  const original = fs.promises.readFile;
  const recording = async (...args: Parameters<typeof original>): Promise<string | Buffer> => {
    const content = await original(...args);
    if (typeof args[0] === "string" && typeof content === "string") {
      const file = path.resolve(args[0]);
      const seen = reads.get(file);
      reads.set(file, seen === undefined || seen === content ? content : null);
    }
    return content;
  };
  fs.promises.readFile = recording as typeof original;
  try {
    return { results: await lint(), reads };
  } finally {
    fs.promises.readFile = original;
  }
}

interface Io {
  stderr: (s: string) => void;
  cwd: string;
}

/**
 * Lints, writes the fixes, and lints again until no more fixes are written, so the results (and the
 * exit code) describe the files as they are on disk. `pending`: some fixes were not written (a file
 * changed or vanished meanwhile, or fixes kept coming), so the disk still has findings the results
 * may not show.
 */
export async function lintAndFix(
  lint: Lint,
  io: Io,
  beforeWrite?: (results: LintResult[]) => Promise<void>,
): Promise<{ results: LintResult[]; pending: boolean }> {
  let { results, reads } = await lintRecordingReads(lint);
  if (beforeWrite) await beforeWrite(results);
  const leftAlone = new Set<string>();
  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    const written = await writeFixes(results, reads, leftAlone, io);
    if (written === 0) break;
    ({ results, reads } = await lintRecordingReads(lint));
  }
  return { results, pending: results.some((r) => typeof r.output === "string") };
}

/** Writes each result's `output` atomically; returns how many files were written. Files skipped are added to `leftAlone`. */
async function writeFixes(results: LintResult[], reads: Map<string, string | null>, leftAlone: Set<string>, io: Io): Promise<number> {
  const show = (file: string): string => path.relative(io.cwd, file).split(path.sep).join("/") || file;
  const skip = (file: string, why: string): void => {
    leftAlone.add(file);
    io.stderr(`archlint: ${show(file)} ${why}; its fixes were not written.\n`);
  };
  const fixed = results.filter((r) => typeof r.output === "string" && path.isAbsolute(r.filePath) && !leftAlone.has(r.filePath));
  const targets: Target[] = [];
  const readOnly: string[] = [];
  for (const r of fixed) {
    let real: string;
    try {
      // The rename replaces the file a symlink points to, not the symlink.
      real = fs.realpathSync(r.filePath);
    } catch (error) {
      rethrowUnlessMissing(error);
      skip(r.filePath, "no longer exists");
      continue;
    }
    if (!writable(real) || !writable(path.dirname(real))) readOnly.push(r.filePath);
    targets.push({ file: r.filePath, real, output: r.output!, original: reads.get(r.filePath) });
  }
  if (readOnly.length > 0) {
    const more = readOnly.length > 1 ? ` (and ${readOnly.length - 1} more)` : "";
    throw new FixWriteError(`Cannot write ${show(readOnly[0]!)}${more}: permission denied; no fixes were written.`);
  }
  if (targets.length === 0) return 0;

  // The new texts go to synced temporary siblings first, all at once (the disk syncs them together);
  // a kill meanwhile leaves every original as it was. Then each is renamed over its file.
  const prepared = await prepareAll(targets);
  let written = 0;
  const synced = new Set<string>();
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals): void => void received.push(signal);
  for (const s of DEFERRED_SIGNALS) process.on(s, hold);
  try {
    // Synchronous on purpose: with a listener installed, a signal is only handled once this loop is over.
    for (const t of prepared) {
      const outcome = t.temp === null ? "missing" : commitFile(t.real, t.temp, t.original);
      if (outcome === "written") {
        written++;
        synced.add(path.dirname(t.real));
      } else {
        skip(t.file, outcome === "missing" ? "no longer exists" : outcome === "not-utf8" ? "is not valid UTF-8" : "changed while archlint was running");
      }
    }
    for (const dir of synced) syncDirectory(dir);
  } finally {
    // One turn of the event loop delivers a signal that arrived meanwhile to `hold`.
    await new Promise((resolve) => setImmediate(resolve));
    for (const s of DEFERRED_SIGNALS) process.off(s, hold);
    if (received.length > 0) process.kill(process.pid, received[0]);
  }
  return written;
}

interface Target {
  file: string;
  real: string;
  output: string;
  original: string | null | undefined;
}

/** Syncs this many temporary files at a time. */
const PARALLEL_WRITES = 64;

/** Each target's temporary sibling, written and synced (`temp` null: the file vanished). On a failure, every temporary file is removed. */
async function prepareAll(targets: Target[]): Promise<Array<Target & { temp: string | null }>> {
  const out: Array<Target & { temp: string | null }> = targets.map((t) => ({ ...t, temp: null }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < out.length) {
      const t = out[next++]!;
      t.temp = await writeTemp(t.real, t.output);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, out.length) }, worker));
  } catch (error) {
    for (const t of out) if (t.temp !== null) fs.rmSync(t.temp, { force: true });
    throw error;
  }
  return out;
}

/** `output` in a new temporary sibling of `file` with its mode and owner, synced to disk; null when `file` is gone. */
async function writeTemp(file: string, output: string): Promise<string | null> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    rethrowUnlessMissing(error);
    return null;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.archlint-${process.pid}-${crypto.randomBytes(4).toString("hex")}.tmp`);
  const mode = stat.mode & 0o7777;
  const handle = await fs.promises.open(temp, "wx", mode);
  try {
    await handle.writeFile(output);
    // open's mode went through the umask.
    await handle.chmod(mode);
    if (stat.uid !== process.getuid?.() || stat.gid !== process.getgid?.()) {
      try {
        await handle.chown(stat.uid, stat.gid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EPERM") throw error;
        // Only root may give a file away; the file then belongs to whoever ran the fix.
      }
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    fs.rmSync(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

function writable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    // access(W_OK) throws only to say no: missing, no permission, a read-only file system (EROFS) or a busy executable (ETXTBSY).
    return false;
  }
}

/**
 * Renames the synced temporary file over `file` if `file` still holds exactly `original` (compared
 * as bytes, so a file that is not UTF-8 is never rewritten with replacement characters); otherwise
 * removes it.
 */
function commitFile(file: string, temp: string, original: string | null | undefined): "written" | "missing" | "changed" | "not-utf8" {
  let renamed = false;
  try {
    let onDisk: Buffer;
    try {
      onDisk = fs.readFileSync(file);
    } catch (error) {
      rethrowUnlessMissing(error);
      return "missing";
    }
    if (original == null || !onDisk.equals(Buffer.from(original, "utf8"))) {
      return original != null && onDisk.toString("utf8") === original ? "not-utf8" : "changed";
    }
    fs.renameSync(temp, file);
    renamed = true;
    return "written";
  } finally {
    if (!renamed) fs.rmSync(temp, { force: true });
  }
}

/** Makes the renames durable; not every platform can open a folder for syncing. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Windows (and some network file systems) cannot open or fsync a folder; the renames are still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
