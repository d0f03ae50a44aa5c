import { LineIndex } from "../psl/line-index.js";
import type { SourceLocation } from "../psl/ast.js";

/**
 * A SQL file's text and the three ways positions into it are counted: libpg_query gives node
 * locations in UTF-8 bytes and error cursors in characters (code points); ESLint wants UTF-16
 * offsets and 1-based lines / 0-based columns. ASCII text (nearly every migration) maps 1:1.
 */
export class SqlText {
  readonly text: string;
  readonly lines: LineIndex;
  /** [byte offset, UTF-16 offset] after each non-ASCII character; null for ASCII text. */
  readonly #bytes: Int32Array | null;
  /** [code point offset, UTF-16 offset] after each astral character (two UTF-16 units); null when there is none. */
  readonly #codePoints: Int32Array | null;

  constructor(text: string) {
    this.text = text;
    this.lines = new LineIndex(text);
    if (!/[^\u0000-\u007f]/.test(text)) {
      this.#bytes = null;
      this.#codePoints = null;
      return;
    }
    const bytes: number[] = [];
    const codePoints: number[] = [];
    let byte = 0;
    let codePoint = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      codePoint++;
      if (c < 0x80) {
        byte++;
        continue;
      }
      const next = text.charCodeAt(i + 1);
      if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        byte += 4;
        codePoints.push(codePoint, i + 1);
      } else {
        // A lone surrogate is encoded as U+FFFD (three bytes), as TextEncoder does.
        byte += c < 0x800 ? 2 : 3;
      }
      bytes.push(byte, i + 1);
    }
    this.#bytes = Int32Array.from(bytes);
    this.#codePoints = codePoints.length > 0 ? Int32Array.from(codePoints) : null;
  }

  /** The UTF-16 offset of a UTF-8 byte offset. */
  fromByte(offset: number): number {
    return Math.min(this.text.length, convert(this.#bytes, offset));
  }

  /** The UTF-16 offset of a code point offset. */
  fromCodePoint(offset: number): number {
    return Math.min(this.text.length, convert(this.#codePoints, offset));
  }

  loc(start: number, end: number): SourceLocation {
    return this.lines.loc(start, end);
  }
}

/** Through the last [from, to] pair at or before `offset` (pairs sorted by both), then 1:1. */
function convert(pairs: Int32Array | null, offset: number): number {
  if (pairs === null || pairs.length === 0 || offset < pairs[0]!) return offset;
  let lo = 0;
  let hi = pairs.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pairs[mid * 2]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return pairs[lo * 2 + 1]! + (offset - pairs[lo * 2]!);
}

export interface SqlComment {
  /** `-- ...` is "Line", `/* ... *\/` is "Block", as ESTree names them. */
  type: "Line" | "Block";
  /** The text after `--`, or between `/*` and `*\/`. */
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

/**
 * Whether the UTF-16 unit at `i` can be part of a word: a letter, digit, `_` or `$`, and every
 * non-ASCII unit (as scan.l's `ident_cont` takes every byte >= 0x80). By char code, not a regular
 * expression: the comment scan asks it for nearly every character of a migration.
 */
function identAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0x80) return true;
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24;
}
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** Where scanning must look: a comment's start, a quote, a `$` (a dollar quote, or part of a word). Everything between is words, numbers, blanks and operators. */
const SCAN_STOP = /--|\/\*|['"$]/g;
const LINE_END = /[\r\n]/g;
const BLOCK_MARK = /\*\/|\/\*/g;

/**
 * The comments of a SQL text, as Postgres's scanner (scan.l) finds them: `--` to the end of the
 * line and nested `/* *\/` anywhere outside string constants ('...', E'...' with backslash
 * escapes, $tag$...$tag$) and quoted identifiers ("..."); a `$` inside a word is part of the word,
 * not a dollar quote. Meant for text the parser accepted (an unterminated construct runs to the end).
 * A test checks this against libpg_query's own scanner.
 *
 * It jumps (with regular expressions, native code from the first call) from one place that can
 * start a comment, a string or a dollar quote to the next, rather than testing each character:
 * a cold run scans every migration of a folder once, before V8 would have optimized a loop.
 */
export function sqlComments(sql: SqlText): SqlComment[] {
  const text = sql.text;
  const out: SqlComment[] = [];
  const n = text.length;
  /** Where plain scanning resumed, after the last comment, string or dollar quote: a word starts at or after it. */
  let resume = 0;
  for (let i = 0; i < n;) {
    SCAN_STOP.lastIndex = i;
    const stop = SCAN_STOP.exec(text);
    if (stop === null) break;
    i = stop.index;
    const c = stop[0];
    if (c === "--") {
      LINE_END.lastIndex = i + 2;
      const end = LINE_END.exec(text)?.index ?? n;
      out.push({ type: "Line", value: text.slice(i + 2, end), range: [i, end], loc: sql.loc(i, end) });
      i = end;
    } else if (c === "/*") {
      let depth = 1;
      let end = n;
      BLOCK_MARK.lastIndex = i + 2;
      for (let mark = BLOCK_MARK.exec(text); mark !== null; mark = BLOCK_MARK.exec(text)) {
        depth += mark[0] === "*/" ? -1 : 1;
        if (depth === 0) {
          end = mark.index + 2;
          break;
        }
      }
      out.push({ type: "Block", value: text.slice(i + 2, depth === 0 ? end - 2 : end), range: [i, end], loc: sql.loc(i, end) });
      i = end;
    } else if (c === "'") {
      const escapes = (text[i - 1] === "E" || text[i - 1] === "e") && !identAt(text, i - 2);
      i = quotedEnd(text, i, "'", escapes);
    } else if (c === '"') {
      i = quotedEnd(text, i, '"', false);
    } else if (i > resume && identAt(text, i - 1)) {
      // A `$` that continues a word (`a$b$`): part of the word, not a dollar quote.
      i++;
      continue;
    } else {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(text)?.[0];
      if (tag === undefined) {
        i++;
      } else {
        const close = text.indexOf(tag, i + tag.length);
        i = close === -1 ? n : close + tag.length;
      }
    }
    resume = i;
  }
  return out;
}

/** The offset after a '...' or "..." starting at `start` (doubled quotes escape; with `backslash`, so does `\`). */
function quotedEnd(text: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (backslash && c === "\\") i += 2;
    else if (c === quote) {
      if (text[i + 1] !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return text.length;
}

/**
 * The end of the (possibly qualified, possibly quoted) name that starts at `start`:
 * `public.profiles`, `"My Table"`, `auth . users`. libpg_query gives where a name starts, not
 * where it ends; reports underline it.
 */
export function nameEnd(text: string, start: number): number {
  let i = start;
  for (;;) {
    if (text[i] === '"') i = quotedEnd(text, i, '"', false);
    else {
      const from = i;
      while (i < text.length && identAt(text, i)) i++;
      if (i === from) return i;
    }
    let j = i;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (text[j] !== ".") return i;
    j++;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    i = j;
  }
}
