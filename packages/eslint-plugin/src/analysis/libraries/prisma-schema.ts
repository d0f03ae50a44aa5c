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
  const lineStart = Math.max(text.lastIndexOf("\n", last.range[0] - 1), text.lastIndexOf("\r", last.range[0] - 1)) + 1;
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
