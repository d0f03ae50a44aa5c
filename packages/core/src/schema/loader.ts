import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import type { Schema, SourceLocation } from "../psl/ast.js";
import { LineIndex } from "../psl/line-index.js";
import { parseSchemaText } from "../psl/parser.js";
import { buildModel, type SchemaModel } from "./model.js";
import { prismaEngine, prismaValidate, type PrismaEngineInfo } from "./prisma-engine.js";
import { schemaFiles, type SchemaLocation } from "./locate.js";
import { redactSecrets, schemaSymlinkRefusal } from "./guard.js";
import { rethrowUnlessMissing } from "../fs-probe.js";
import { captureReads, noteFileRead, replayReads } from "../reads.js";

/**
 * Loading a schema: every file parsed once per process and reused while its path, size and mtime
 * stay the same (or, for text handed in by an editor, while the text is the same); the files of a
 * schema validated together by Prisma; the model built from the files' ASTs.
 */

export interface SchemaProblem {
  filePath: string;
  message: string;
  range: [number, number];
  loc: SourceLocation;
  /** "prisma": Prisma's validator said so; "parser": archlint's parser (Prisma unavailable). */
  origin: "prisma" | "parser";
}

export interface SchemaFile {
  path: string;
  text: string;
  ast: Schema;
  lines: LineIndex;
}

export interface LoadedSchema {
  location: SchemaLocation;
  files: SchemaFile[];
  /** Errors that make the schema invalid, in file order. Empty for a valid schema. */
  errors: SchemaProblem[];
  /**
   * Built whenever archlint's own parser read every file cleanly, even when Prisma rejects the
   * schema: an unknown type or a referential action the provider lacks leaves every model, field,
   * relation and index as written, and rules reason about what is written (Prisma's errors are
   * reported alongside). null when the parser failed on some file (and Prisma, when it ran, agrees
   * the schema is invalid): rules must not reason about a half-understood schema.
   */
  model: SchemaModel | null;
  /** A changing value: same files, same contents => same key. For ESLint cache keys. */
  fingerprint: string;
  /** Whether Prisma validated the files (else only archlint's parser checked them: `validate: false`). */
  validated: boolean;
  /** The Prisma validator that checked the files (the project's own or the bundled one); null when none ran. */
  validator: PrismaEngineInfo | null;
}

interface CachedFile extends SchemaFile {
  size: number;
  mtimeMs: number;
  version: number;
  /** Text handed in (an editor's buffer, a --fix pass) that is not what the disk holds. */
  edited: boolean;
}

/** The files as on disk; text handed in that differs is kept apart, so the disk's entries (and the schema validated from them) stay valid for the other files. */
const fileCache = new Map<string, CachedFile>();
const editedCache = new Map<string, CachedFile>();
const unitCache = new Map<string, LoadedSchema>();
const editedUnitCache = new Map<string, LoadedSchema>();

let validateEdits = true;

/**
 * Whether a schema holding text that differs from the disk (an editor's unsaved buffer, the text a
 * --fix pass produced) is validated by Prisma (default) or only parsed. The CLI's --fix turns it off:
 * it writes the fixes and lints the files again, which validates the schema as written, once,
 * instead of once per fixed file and pass.
 */
export function validateEditedSchemas(on: boolean): void {
  validateEdits = on;
}
let nextVersion = 1;

export class SchemaReadError extends Error {
  override name = "SchemaReadError";
  constructor(
    message: string,
    readonly filePath: string,
  ) {
    super(message);
  }
}

/** A schema file that is a symlink from inside the project to outside it: never read (see schemaSymlinkRefusal). */
export class SchemaSymlinkError extends SchemaReadError {
  override name = "SchemaSymlinkError";
}

function makeFile(filePath: string, text: string, size: number, mtimeMs: number, edited = false): CachedFile {
  const lines = new LineIndex(text);
  return { path: filePath, text, ast: parseSchemaText(text, lines), lines, size, mtimeMs, version: nextVersion++, edited };
}

function readFile(filePath: string, override?: string): CachedFile {
  if (override !== undefined) {
    let disk: CachedFile | undefined;
    try {
      disk = readFile(filePath);
    } catch (error) {
      // A buffer with no file behind it yet (a new file in an editor); never one that leads outside the project.
      if (!(error instanceof SchemaReadError) || error instanceof SchemaSymlinkError) throw error;
    }
    if (disk && disk.text === override) return disk;
    const edited = editedCache.get(filePath);
    if (edited && edited.text === override) return edited;
    const file = makeFile(filePath, override, -1, -1, true);
    editedCache.set(filePath, file);
    return file;
  }
  const cached = fileCache.get(filePath);
  let st: fs.Stats;
  noteFileRead(filePath);
  try {
    st = fs.statSync(filePath);
  } catch (error) {
    rethrowUnlessMissing(error);
    throw new SchemaReadError(`Cannot read Prisma schema file ${filePath}`, filePath);
  }
  if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached;
  const refusal = schemaSymlinkRefusal(filePath);
  if (refusal) throw new SchemaSymlinkError(refusal, filePath);
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (error) {
    rethrowUnlessMissing(error);
    throw new SchemaReadError(`Cannot read Prisma schema file ${filePath}`, filePath);
  }
  if (cached && cached.text === text) {
    cached.size = st.size;
    cached.mtimeMs = st.mtimeMs;
    return cached;
  }
  const file = makeFile(filePath, text, st.size, st.mtimeMs);
  fileCache.set(filePath, file);
  return file;
}

const LEGACY_DATASOURCE_KEYS = new Set(["url", "directUrl", "shadowDatabaseUrl"]);

/**
 * Prisma 7 rejects `url`, `directUrl` and `shadowDatabaseUrl` in the datasource block, but nearly
 * every schema written for Prisma 5 and 6 has them. Blank them out (same length, same line breaks)
 * in the text handed to the validator, so every offset Prisma reports still fits the user's file.
 */
export function neutraliseLegacyDatasource(file: SchemaFile): string {
  let text = file.text;
  for (const block of file.ast.body) {
    if (block.kind !== "datasource") continue;
    // A datasource the parser could not read cleanly is left as written, so Prisma reports it.
    if (file.ast.errors.some((e) => e.range[0] >= block.range[0] && e.range[0] <= block.range[1])) continue;
    for (const m of block.members) {
      if (m.type !== "Property" || !LEGACY_DATASOURCE_KEYS.has(m.key.name)) continue;
      const [start, end] = m.range;
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, " ") + text.slice(end);
    }
  }
  return text;
}

function parserProblems(files: SchemaFile[]): SchemaProblem[] {
  const asts = files.map((f) => f.ast);
  return files.flatMap((f) =>
    f.ast.errors.map((e) => ({ filePath: f.path, message: redactSecrets(e.message, asts), range: e.range, loc: e.loc, origin: "parser" as const })),
  );
}

/** The block (`generator`, `datasource`, ...) of `file` that holds the span, if any. */
function blockKindAt(file: SchemaFile, start: number, end: number): string | null {
  const block = file.ast.body.find((b) => b.range[0] <= start && end <= b.range[1]);
  return block ? block.kind : null;
}

const PREVIEW_FEATURE = /\bpreview feature\b/i;
const RETIRED_DATASOURCE_PROPERTY = /^The datasource property `\w+` is no longer supported/;

/**
 * Is the diagnostic about what differs between the Prisma the project uses and the bundled
 * validator, rather than about the schema? A preview feature the bundled Prisma does not know
 * (Prisma 6's `metrics`, retired in 7; a feature newer than the bundled Prisma) and a datasource
 * property Prisma 7 retired are never errors of the schema itself: the project's own Prisma decides.
 * Only inside the generator or datasource block that holds them, so the same wording elsewhere stays.
 */
function versionSkew(d: { start: number; end: number; message: string }, file: SchemaFile): boolean {
  const kind = blockKindAt(file, d.start, d.end);
  if (kind === "generator") return PREVIEW_FEATURE.test(d.message);
  if (kind === "datasource") return RETIRED_DATASOURCE_PROPERTY.test(d.message);
  return false;
}

function majorVersion(validator: PrismaEngineInfo): number | null {
  const m = validator.version ? /^(\d+)\./.exec(validator.version) : null;
  return m ? Number(m[1]) : null;
}

const UNKNOWN_PREVIEW_FEATURE = /preview feature "([^"]+)" is not known/i;

/**
 * `text` with the preview features `names` left out of every generator's `previewFeatures` list
 * (same length: the kept entries, then spaces, so every offset after the list is unchanged).
 */
function withoutPreviewFeatures(file: SchemaFile, text: string, names: ReadonlySet<string>): string {
  for (const block of file.ast.body) {
    if (block.kind !== "generator") continue;
    for (const m of block.members) {
      if (m.type !== "Property" || m.key.name !== "previewFeatures" || m.value?.type !== "ArrayExpression") continue;
      const elements = m.value.elements;
      const kept = elements.filter((e) => !(e.type === "StringLiteral" && names.has(e.value)));
      if (kept.length === elements.length) continue;
      const [open, close] = [m.value.range[0] + 1, m.value.range[1] - 1];
      const inner = kept.map((e) => text.slice(e.range[0], e.range[1])).join(", ");
      text = text.slice(0, open) + inner.padEnd(close - open, " ") + text.slice(close);
    }
  }
  return text;
}

function validate(files: SchemaFile[], fromDir: string): { problems: SchemaProblem[]; validator: PrismaEngineInfo | null } {
  const validator = prismaEngine(fromDir);
  // Prisma 5 and 6 require `url`; only Prisma 7 and later (or a validator of unknown version) have it blanked out.
  const major = validator ? majorVersion(validator) : null;
  let texts = files.map((f): [string, string] => [f.path, major !== null && major < 7 ? f.text : neutraliseLegacyDatasource(f)]);
  let diagnostics = validator ? prismaValidate(texts, { from: fromDir }) : null;
  // A preview feature Prisma does not know stops its validation of everything that depends on the
  // feature list (a partial index, say): validate again without the features the bundled Prisma
  // does not know, so the rest of the schema is still checked.
  const unknown = new Set(validator?.source === "bundled" ? (diagnostics ?? []).flatMap((d) => UNKNOWN_PREVIEW_FEATURE.exec(d.message)?.[1] ?? []) : []);
  if (unknown.size > 0) {
    texts = texts.map(([p, text], i) => [p, withoutPreviewFeatures(files[i]!, text, unknown)]);
    diagnostics = prismaValidate(texts, { from: fromDir }) ?? diagnostics;
  }
  if (diagnostics === null) return { problems: parserProblems(files), validator: null };
  const byPath = new Map(files.map((f) => [f.path, f]));
  const asts = files.map((f) => f.ast);
  const problems: SchemaProblem[] = [];
  for (const d of diagnostics) {
    if (d.isWarning) continue;
    const file = byPath.get(d.fileName) ?? files[0]!;
    const start = Math.max(0, Math.min(d.start, file.text.length));
    const end = Math.max(start, Math.min(d.end, file.text.length));
    // The project's own Prisma is the judge of its own version's features; the bundled one is not.
    if (validator!.source === "bundled" && versionSkew({ start, end, message: d.message }, file)) continue;
    problems.push({
      filePath: file.path,
      // Prisma quotes the values it rejects: never a connection string.
      message: redactSecrets(d.message, asts),
      range: [start, end],
      loc: { start: file.lines.position(start), end: file.lines.position(end) },
      origin: "prisma",
    });
  }
  const order = new Map(files.map((f, i) => [f.path, i]));
  problems.sort((a, b) => order.get(a.filePath)! - order.get(b.filePath)! || a.range[0] - b.range[0]);
  return { problems, validator };
}

export interface LoadOptions {
  /** Current text of one file (an editor's unsaved buffer), used instead of the disk copy. */
  override?: { path: string; text: string };
  /**
   * false: only archlint's own parser checks the files (no Prisma validation). Code rules that read
   * models and indexes use this: validating a 1,000-model schema costs Prisma ~250 ms, and a
   * schema Prisma rejects is reported on the `.prisma` file itself. Default true.
   */
  validate?: boolean;
}

/** The schemas listed and read in the current run, with the reads that took. */
const runs = new AsyncLocalStorage<Map<string, { files: CachedFile[]; reads: readonly string[] }>>();

/**
 * Runs `fn` (and everything it awaits) as one lint run, in which schema files on disk are taken not
 * to change: each schema's folder is listed and its files checked once, not once per linted file
 * and fix pass (the CLI, which writes fixes between runs). Outside one, every load checks them again.
 */
export function inSchemaRun<T>(fn: () => T): T {
  return runs.run(new Map(), fn);
}

/** The schema's files as on disk: listed and checked once per run. */
function diskFiles(location: SchemaLocation): CachedFile[] {
  const run = runs.getStore();
  const seen = run?.get(location.path);
  if (seen) {
    replayReads(seen.reads);
    return seen.files;
  }
  const { value: files, reads } = captureReads(() => schemaFiles(location).map((p) => readFile(path.resolve(p))));
  run?.set(location.path, { files, reads });
  return files;
}

/** Load, validate (unless `validate: false`) and model the schema at `location`. Throws SchemaReadError for unreadable files. */
export function loadSchema(location: SchemaLocation, options: LoadOptions = {}): LoadedSchema {
  const overridePath = options.override ? path.resolve(options.override.path) : undefined;
  let files = diskFiles(location);
  if (overridePath) {
    const own = readFile(overridePath, options.override!.text);
    files = files.some((f) => f.path === overridePath) ? files.map((f) => (f.path === overridePath ? own : f)) : [...files, own];
  }
  if (files.length === 0) throw new SchemaReadError(`No .prisma files in ${location.path}`, location.path);
  const key = files.map((f) => `${f.path}#${f.version}`).join("|");
  const edited = files.some((f) => f.edited);
  const validated = options.validate !== false && (validateEdits || !edited);
  const units = edited ? editedUnitCache : unitCache;
  const cached = units.get(location.path);
  if (cached && cached.fingerprint === key && (cached.validated || !validated)) return cached;
  const fromDir = location.isFolder ? location.path : path.dirname(location.path);
  const { problems: errors, validator } = validated ? validate(files, fromDir) : { problems: parserProblems(files), validator: null };
  const loaded: LoadedSchema = {
    location,
    files,
    errors,
    // A parser error Prisma accepts is a gap in archlint's parser, not in the schema: the model stays.
    model: files.every((f) => f.ast.errors.length === 0) || (validator !== null && errors.length === 0) ? buildModel(files) : null,
    fingerprint: key,
    validated,
    validator,
  };
  units.set(location.path, loaded);
  return loaded;
}

/** Content fingerprint of a schema's files (path, size, mtime), cheap enough for cache keys. */
export function schemaStatFingerprint(location: SchemaLocation): string {
  return statFingerprint(schemaFiles(location));
}

/** `path:size:mtime` of each file, joined: changes whenever one of the files does. */
export function statFingerprint(files: string[]): string {
  return files
    .map((p) => {
      try {
        const st = fs.statSync(p);
        return `${p}:${st.size}:${st.mtimeMs}`;
      } catch (error) {
        rethrowUnlessMissing(error);
        return `${p}:missing`;
      }
    })
    .join("|");
}
