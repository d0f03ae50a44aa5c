import type { Block } from "@archlint/core";

/**
 * Where and how to add a block attribute (`@@index([...])`) to a model so the result reads like
 * `prisma format` output: as the model's last line, with the indentation of its members, after a
 * blank line when the model has no block attributes yet, with the file's own line endings.
 */
export function indexInsertion(text: string, block: Block, attribute: string): { after: [number, number]; text: string } | null {
  const last = block.members.at(-1);
  if (!last || !block.closeBrace) return null;
  const eol = /\r\n|\r|\n/.exec(text)?.[0] ?? "\n";
  const lineStart = lineStartOf(text, last.range[0]);
  const indent = /^[ \t]*/.exec(text.slice(lineStart, last.range[0]))?.[0] || "  ";
  const hasBlockAttributes = block.members.some((m) => m.type === "Attribute" && m.isBlock);
  const separator = hasBlockAttributes ? eol : eol + eol;
  // After the whole last line (before its line break), so a trailing comment stays with its member.
  const lineBreak = /\r\n?|\n/g;
  lineBreak.lastIndex = last.range[1];
  const found = lineBreak.exec(text);
  const lineEnd = found === null || found.index > block.closeBrace[0] ? block.closeBrace[0] : found.index;
  return { after: [lineEnd, lineEnd], text: `${separator}${indent}${attribute}` };
}

const LINE_BREAK = /\r\n?|\n/g;

/**
 * Where the line holding `offset` starts (after a `\n`, a `\r\n` or a lone `\r`). Read back to the
 * nearest line break only: `lastIndexOf("\r")` in a file without one reads the whole text back to
 * its start, for every finding (two thirds of an editor re-lint of a 300-model schema).
 */
export function lineStartOf(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i + 1;
}

/** The first line break at or after `offset`: where it starts and ends, or null at the end of the text. */
function lineBreakAfter(text: string, offset: number): { start: number; end: number } | null {
  LINE_BREAK.lastIndex = offset;
  const found = LINE_BREAK.exec(text);
  return found ? { start: found.index, end: found.index + found[0].length } : null;
}

/**
 * The range that removes a block attribute (`@@index([...])`) from a model the way a person would:
 * its whole line, line break and trailing comment included, so the file keeps its own line endings
 * and the other members their indentation. When that leaves two blank lines in a row, or a blank
 * line right before the closing brace, the blank line above goes too (as `prisma format` would have
 * it). Comment lines above the attribute are kept: they are the author's words. Null when the
 * attribute shares its line with anything but whitespace and a comment (not what Prisma writes).
 */
export function attributeRemoval(text: string, block: Block, attribute: { range: [number, number] }): [number, number] | null {
  if (!block.closeBrace) return null;
  const start = lineStartOf(text, attribute.range[0]);
  if (text.slice(start, attribute.range[0]).trim() !== "") return null;
  const lineBreak = lineBreakAfter(text, attribute.range[1]);
  if (!lineBreak || lineBreak.start > block.closeBrace[0]) return null;
  const rest = text.slice(attribute.range[1], lineBreak.start).trim();
  if (rest !== "" && !rest.startsWith("//")) return null;
  const nextLineEnd = lineBreakAfter(text, lineBreak.end)?.start ?? text.length;
  const nextLine = text.slice(lineBreak.end, nextLineEnd).trim();
  if (start > 0 && (nextLine === "" || nextLine.startsWith("}"))) {
    // The line above ends with the line break just before `start` (`\r\n` is one break).
    const breakStart = text[start - 1] === "\n" && text[start - 2] === "\r" ? start - 2 : start - 1;
    const previousStart = lineStartOf(text, breakStart);
    if (previousStart > block.range[0] && text.slice(previousStart, breakStart).trim() === "") return [previousStart, lineBreak.end];
  }
  return [start, lineBreak.end];
}
