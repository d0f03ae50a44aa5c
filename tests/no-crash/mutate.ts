/**
 * Deterministic mutations of a source text for the no-crash test: every variant is a pure function
 * of (text, kind, seed), so a failure printed with its seed can be reproduced exactly.
 */

export type MutationKind =
  "truncate" | "drop-tokens" | "dup-lines" | "drop-lines" | "swap-lines" | "drop-attribute" | "mix" | "nul" | "bom" | "lone-cr" | "deep-parens" | "long-line";

export const MUTATION_KINDS: readonly MutationKind[] = ["truncate", "drop-tokens", "dup-lines", "drop-lines", "swap-lines", "drop-attribute", "mix"];

/**
 * Hostile input, for every language (the mutations that found archlint's crashes): bytes C cares
 * about (NUL ends a C string, and SQL goes through a C parser), a BOM and lone CRs where a text
 * editor would never put them, nesting deep enough to exhaust a parser's stack (balanced and
 * unbalanced, in each language's own syntax), and lines of hundreds of kilobytes. Alongside the
 * general kinds.
 */
export const HOSTILE_MUTATION_KINDS: readonly MutationKind[] = [...MUTATION_KINDS, "nul", "bom", "lone-cr", "deep-parens", "long-line"];

/** mulberry32: a small seeded PRNG with a 32-bit state. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to derive a stable per-file seed from its relative path. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Token {
  start: number;
  end: number;
  space: boolean;
}

/** Crude tokens: runs of word characters, runs of whitespace, and single punctuation characters. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}_$]+|\s+|[\s\S]/gu)) {
    out.push({ start: m.index, end: m.index + m[0].length, space: /^\s/u.test(m[0]) });
  }
  return out;
}

function int(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

function truncate(text: string, rand: () => number): string {
  const tokens = tokenize(text);
  if (tokens.length === 0) return text;
  // Any token boundary except the very end (that would be the original text).
  return text.slice(0, tokens[int(rand, tokens.length)]!.start);
}

function dropTokens(text: string, rand: () => number): string {
  const tokens = tokenize(text).filter((t) => !t.space);
  if (tokens.length === 0) return text;
  const count = 1 + int(rand, 3);
  const drop = new Set<number>();
  for (let i = 0; i < count; i++) drop.add(int(rand, tokens.length));
  let out = text;
  // From the end, so earlier offsets stay valid.
  for (const i of [...drop].sort((a, b) => b - a)) out = out.slice(0, tokens[i]!.start) + out.slice(tokens[i]!.end);
  return out;
}

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/u);
}

function dupLines(text: string, rand: () => number): string {
  const lines = splitLines(text);
  if (lines.length === 0) return text;
  const start = int(rand, lines.length);
  const len = 1 + int(rand, Math.min(3, lines.length - start));
  const block = lines.slice(start, start + len).map((l) => (l.endsWith("\n") ? l : `${l}\n`));
  // Sometimes right after itself, sometimes somewhere else in the file.
  const at = rand() < 0.5 ? start + len : int(rand, lines.length + 1);
  lines.splice(at, 0, ...block);
  return lines.join("");
}

function dropLines(text: string, rand: () => number): string {
  const lines = splitLines(text);
  if (lines.length === 0) return text;
  const start = int(rand, lines.length);
  const len = 1 + int(rand, Math.min(3, lines.length - start));
  lines.splice(start, len);
  return lines.join("");
}

/** Two neighbouring lines change places: often still valid (fields, statements, index lines). */
function swapLines(text: string, rand: () => number): string {
  const lines = splitLines(text);
  if (lines.length < 2) return text;
  const i = int(rand, lines.length - 1);
  const a = lines[i]!;
  const b = lines[i + 1]!;
  // Keep the last line's missing newline at the end.
  lines[i] = b.endsWith("\n") ? b : `${b}\n`;
  lines[i + 1] = a.endsWith("\n") && !b.endsWith("\n") ? a.slice(0, -1) : a;
  return lines.join("");
}

/**
 * One `@name`, `@@name` or `@a.b` attribute/decorator removed with its balanced argument list: the
 * kind of edit that keeps a Prisma schema valid while changing its indexes, relations and keys.
 */
function dropAttribute(text: string, rand: () => number): string {
  const starts = [...text.matchAll(/@@?[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*/gu)];
  if (starts.length === 0) return dropTokens(text, rand);
  const m = starts[int(rand, starts.length)]!;
  let end = m.index + m[0].length;
  if (text[end] === "(") {
    let depth = 0;
    for (let i = end; i < text.length; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
  }
  return text.slice(0, m.index) + text.slice(end);
}

/** Characters inserted at token boundaries: a NUL, a BOM (mid-text: ESLint only strips a leading one). */
function insertAtBoundaries(text: string, rand: () => number, what: string): string {
  const tokens = tokenize(text);
  const count = 1 + int(rand, 3);
  let out = text;
  const at = [...new Set(Array.from({ length: count }, () => (tokens.length === 0 ? 0 : tokens[int(rand, tokens.length)]!.start)))].sort((a, b) => b - a);
  for (const i of at) out = out.slice(0, i) + what + out.slice(i);
  return out;
}

function loneCr(text: string, rand: () => number): string {
  // Every line break, or one in three, becomes a bare CR.
  const every = rand() < 0.5;
  let n = 0;
  return text.replace(/\r?\n/gu, (m) => (every || n++ % 3 === 0 ? "\r" : m));
}

function deepParens(text: string, rand: () => number): string {
  const depth = [500, 2_600, 5_000, 9_999, 10_001, 50_000][int(rand, 6)]!;
  const shape = rand();
  // Balanced and valid in SQL, TypeScript (a call chain) and Prisma (an index's field list).
  if (shape < 0.2) return `${text}\nselect ${"(".repeat(depth)}1${")".repeat(depth)};\n`;
  if (shape < 0.35) return `${text}\nexport const deep = ${"f(".repeat(depth)}1${")".repeat(depth)};\n`;
  if (shape < 0.45) return `${text}\nmodel Deep {\n  id Int @id\n  @@index(${"[".repeat(depth)}id${"]".repeat(depth)})\n}\n`;
  // A flat chain the grammar accepts at any length, nested as deep in the parse tree.
  if (shape < 0.6) return `${text}\nselect ${Array.from({ length: depth }, () => "1").join(" + ")};\n`;
  // Unbalanced, somewhere inside a statement.
  const tokens = tokenize(text);
  const at = tokens.length === 0 ? 0 : tokens[int(rand, tokens.length)]!.start;
  return text.slice(0, at) + "(".repeat(depth) + text.slice(at);
}

function longLine(text: string, rand: () => number): string {
  const size = 100_000 + int(rand, 200_000);
  const kind = int(rand, 3);
  // A huge string constant, a huge comment, or every line joined into one.
  if (kind === 0) return `${text}\nselect '${"x".repeat(size)}';\n`;
  if (kind === 1) return `-- ${"y".repeat(size)}\n${text}`;
  return text.replace(/\r?\n/gu, " ").repeat(1 + int(rand, 20));
}

const SIMPLE = {
  "drop-tokens": dropTokens,
  "dup-lines": dupLines,
  "drop-lines": dropLines,
  "swap-lines": swapLines,
  "drop-attribute": dropAttribute,
} as const;

export function mutate(text: string, kind: MutationKind, seed: number): string {
  const rand = prng(seed);
  switch (kind) {
    case "truncate":
      return truncate(text, rand);
    case "nul":
      return insertAtBoundaries(text, rand, "\0");
    case "bom":
      return insertAtBoundaries(text, rand, "\uFEFF");
    case "lone-cr":
      return loneCr(text, rand);
    case "deep-parens":
      return deepParens(text, rand);
    case "long-line":
      return longLine(text, rand);
    case "mix": {
      let out = text;
      const steps = 2 + int(rand, 2);
      const names = Object.keys(SIMPLE) as Array<keyof typeof SIMPLE>;
      for (let i = 0; i < steps; i++) out = SIMPLE[names[int(rand, names.length)]!](out, rand);
      return out;
    }
    default:
      return SIMPLE[kind](text, rand);
  }
}

export interface Variant {
  /** 0-based index among this file's variants. */
  index: number;
  kind: MutationKind;
  seed: number;
  text: string;
}

/**
 * Up to `count` distinct variants of `text` (none equal to the original), kinds in rotation, seeds
 * derived from `fileKey`. An attempt that yields a duplicate is skipped, so the list depends only on
 * the inputs.
 */
export function variantsOf(text: string, fileKey: string, count: number, kinds: readonly MutationKind[] = MUTATION_KINDS): Variant[] {
  const base = hashString(fileKey);
  const seen = new Set<string>([text]);
  const out: Variant[] = [];
  const maxAttempts = count * 8;
  for (let attempt = 0; attempt < maxAttempts && out.length < count; attempt++) {
    // Kinds rotate with the attempt, so a kind that has run out of new variants is passed over.
    const kind = kinds[attempt % kinds.length]!;
    const seed = (base ^ Math.imul(attempt + 1, 0x9e3779b1)) >>> 0;
    const mutated = mutate(text, kind, seed);
    if (seen.has(mutated)) continue;
    seen.add(mutated);
    out.push({ index: out.length, kind, seed, text: mutated });
  }
  return out;
}
