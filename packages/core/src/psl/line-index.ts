import type { Position, SourceLocation } from "./ast.js";

/** Offset <-> line/column for a text, with `\n`, `\r\n` and a lone `\r` as line breaks, as ESLint counts lines. */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** The line of the last look-up: parsers and rules ask about nearby offsets one after another. */
  private hint = 0;

  constructor(text: string) {
    for (const m of text.matchAll(/\r\n?|\n/g)) this.starts.push(m.index + m[0].length);
  }

  /** 0-based index of the line holding `offset`. */
  private lineIndex(offset: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    const h = this.hint;
    if (starts[h]! <= offset) {
      if (h === last || offset < starts[h + 1]!) return h;
      if (h + 1 === last || offset < starts[h + 2]!) return (this.hint = h + 1);
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  /** 1-based line of `offset`. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  /** 1-based line, 0-based column (UTF-16 units), as ESTree. */
  position(offset: number): Position {
    const i = this.lineIndex(offset);
    return { line: i + 1, column: offset - this.starts[i]! };
  }

  loc(start: number, end: number): SourceLocation {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(line: number, column: number): number {
    return (this.starts[line - 1] ?? 0) + column;
  }
}
