import type { Position } from "../psl/ast.js";
import type { SqlProgram, SqlStatement } from "./ast.js";
import { PgParserFailure, pgParse } from "./pg-wasm.js";
import { sqlComments, SqlText, type SqlComment } from "./text.js";

export interface SqlSyntaxError {
  message: string;
  /** UTF-16 offset where the parser stopped. */
  offset: number;
  position: Position;
}

export type ParsedSql = { ok: true; program: SqlProgram; text: SqlText } | { ok: false; error: SqlSyntaxError; text: SqlText };

interface RawStmt {
  stmt?: Record<string, Record<string, unknown>>;
  stmt_location?: number;
  stmt_len?: number;
}

function failure(sql: SqlText, message: string, offset: number): ParsedSql {
  return { ok: false, error: { message, offset, position: sql.lines.position(offset) }, text: sql };
}

/**
 * A SQL file parsed by Postgres's own parser (see pg-wasm.ts). A file Postgres would reject is
 * one error at the parser's position, with its message; so is a file the parser itself cannot get
 * through (its stack or memory exhausted), at the start. Never throws for any text.
 */
export function parseSql(text: string): ParsedSql {
  const sql = new SqlText(text);
  // C ends the text at a NUL, so the parser would never see what follows; Postgres refuses it too.
  const nul = text.indexOf("\0");
  if (nul >= 0) return failure(sql, 'invalid byte sequence for encoding "UTF8": 0x00', nul);
  let parsed: { stmts?: RawStmt[] };
  try {
    const output = pgParse(text);
    if (output.error) return failure(sql, output.error.message, sql.fromCodePoint(output.error.cursor));
    parsed = output.json === null ? {} : (JSON.parse(output.json) as { stmts?: RawStmt[] });
  } catch (error) {
    // RangeError: the engine's stack (deeply nested input); RuntimeError: a trap in the module.
    if (!(error instanceof PgParserFailure || error instanceof RangeError || error instanceof WebAssembly.RuntimeError)) throw error;
    return failure(sql, `the Postgres parser could not read this file: ${error.message}`, 0);
  }
  const comments = sqlComments(sql);
  const commentByEnd = new Map(comments.map((c) => [c.range[1], c]));
  const body: SqlStatement[] = [];
  for (const raw of parsed.stmts ?? []) {
    const kind = raw.stmt ? Object.keys(raw.stmt)[0] : undefined;
    if (!kind) continue;
    const startByte = raw.stmt_location ?? 0;
    const start = sql.fromByte(startByte);
    // stmt_len 0: the statement runs to the end of the text (the last one, without a `;`).
    let end = raw.stmt_len ? sql.fromByte(startByte + raw.stmt_len) : text.length;
    end = trimTrivia(text, start, end, commentByEnd);
    body.push({ type: "Statement", kind, node: raw.stmt![kind]!, range: [start, end], loc: sql.loc(start, end) });
  }
  const program: SqlProgram = { type: "Program", body, comments, range: [0, text.length], loc: sql.loc(0, text.length) };
  return { ok: true, program, text: sql };
}

/** `end` moved back over whitespace and comments, so a statement ends at its last token. */
function trimTrivia(text: string, start: number, end: number, commentByEnd: Map<number, SqlComment>): number {
  while (end > start) {
    if (/\s/.test(text[end - 1]!)) end--;
    else {
      const comment = commentByEnd.get(end);
      if (!comment || comment.range[0] < start) return end;
      end = comment.range[0];
    }
  }
  return end;
}
