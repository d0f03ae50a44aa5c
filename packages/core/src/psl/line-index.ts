import type { Position } from "./ast.js";

/** Offset <-> line/column for a text, with `\n` (and so `\r\n`) as the line break, as Prisma does. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /** 1-based line, 0-based column (UTF-16 units), as ESTree. */
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! };
  }

  offset(line: number, column: number): number {
    return (this.starts[line - 1] ?? 0) + column;
  }
}
