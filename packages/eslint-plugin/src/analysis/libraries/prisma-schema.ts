import type { Block } from "@archlint/core";

/**
 * Where and how to add a block attribute (`@@index([...])`) to a model so the result reads like
 * `prisma format` output: as the model's last line, with the indentation of its members, after a
 * blank line when the model has no block attributes yet, with the file's own line endings.
 */
export function indexInsertion(text: string, block: Block, attribute: string): { after: [number, number]; text: string } | null {
  const last = block.members.at(-1);
  if (!last || !block.closeBrace) return null;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lineStart = text.lastIndexOf("\n", last.range[0] - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, last.range[0]))?.[0] || "  ";
  const hasBlockAttributes = block.members.some((m) => m.type === "Attribute" && m.isBlock);
  const separator = hasBlockAttributes ? eol : eol + eol;
  // After the whole last line, so a trailing comment stays with its member.
  let lineEnd = text.indexOf("\n", last.range[1]);
  if (lineEnd === -1 || lineEnd > block.closeBrace[0]) lineEnd = block.closeBrace[0];
  else if (text[lineEnd - 1] === "\r") lineEnd--;
  return { after: [lineEnd, lineEnd], text: `${separator}${indent}${attribute}` };
}
