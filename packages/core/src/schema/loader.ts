import fs from "node:fs";
import path from "node:path";
import type { Schema, SourceLocation } from "../psl/ast.js";
import { LineIndex } from "../psl/line-index.js";
import { parseSchemaText } from "../psl/parser.js";
import { buildModel, type SchemaModel } from "./model.js";
import { prismaValidate } from "./prisma-engine.js";
import { schemaFiles, type SchemaLocation } from "./locate.js";

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
  /** null when the schema is invalid: rules must not reason about a half-understood schema. */
  model: SchemaModel | null;
  /** A changing value: same files, same contents => same key. For ESLint cache keys. */
  fingerprint: string;
  /** Whether Prisma validated the files (else only archlint's parser checked them: `validate: false`). */
  validated: boolean;
}

interface CachedFile extends SchemaFile {
  size: number;
  mtimeMs: number;
  version: number;
}

const fileCache = new Map<string, CachedFile>();
const unitCache = new Map<string, LoadedSchema>();
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

function makeFile(filePath: string, text: string, size: number, mtimeMs: number): CachedFile {
  const lines = new LineIndex(text);
  return { path: filePath, text, ast: parseSchemaText(text, lines), lines, size, mtimeMs, version: nextVersion++ };
}

function readFile(filePath: string, override?: string): CachedFile {
  const cached = fileCache.get(filePath);
  if (override !== undefined) {
    if (cached && cached.text === override) return cached;
    const file = makeFile(filePath, override, -1, -1);
    fileCache.set(filePath, file);
    return file;
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch {
    throw new SchemaReadError(`Cannot read Prisma schema file ${filePath}`, filePath);
  }
  if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached;
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch {
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
  return files.flatMap((f) => f.ast.errors.map((e) => ({ filePath: f.path, message: e.message, range: e.range, loc: e.loc, origin: "parser" as const })));
}

function validate(files: SchemaFile[]): SchemaProblem[] {
  const diagnostics = prismaValidate(files.map((f) => [f.path, neutraliseLegacyDatasource(f)]));
  if (diagnostics === null) return parserProblems(files);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const problems: SchemaProblem[] = [];
  for (const d of diagnostics) {
    if (d.isWarning) continue;
    const file = byPath.get(d.fileName) ?? files[0]!;
    const start = Math.max(0, Math.min(d.start, file.text.length));
    const end = Math.max(start, Math.min(d.end, file.text.length));
    problems.push({
      filePath: file.path,
      message: d.message,
      range: [start, end],
      loc: { start: file.lines.position(start), end: file.lines.position(end) },
      origin: "prisma",
    });
  }
  const order = new Map(files.map((f, i) => [f.path, i]));
  return problems.sort((a, b) => order.get(a.filePath)! - order.get(b.filePath)! || a.range[0] - b.range[0]);
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

/** Load, validate (unless `validate: false`) and model the schema at `location`. Throws SchemaReadError for unreadable files. */
export function loadSchema(location: SchemaLocation, options: LoadOptions = {}): LoadedSchema {
  const paths = schemaFiles(location).map((p) => path.resolve(p));
  const overridePath = options.override ? path.resolve(options.override.path) : undefined;
  if (overridePath && !paths.includes(overridePath)) paths.push(overridePath);
  if (paths.length === 0) throw new SchemaReadError(`No .prisma files in ${location.path}`, location.path);
  const files = paths.map((p) => readFile(p, p === overridePath ? options.override!.text : undefined));
  const key = files.map((f) => `${f.path}#${f.version}`).join("|");
  const validated = options.validate !== false;
  const cached = unitCache.get(location.path);
  if (cached && cached.fingerprint === key && (cached.validated || !validated)) return cached;
  const errors = validated ? validate(files) : parserProblems(files);
  const loaded: LoadedSchema = {
    location,
    files,
    errors,
    model: errors.length === 0 ? buildModel(files) : null,
    fingerprint: key,
    validated,
  };
  unitCache.set(location.path, loaded);
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
      } catch {
        return `${p}:missing`;
      }
    })
    .join("|");
}
