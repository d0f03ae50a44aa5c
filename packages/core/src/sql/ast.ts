import type { SourceLocation } from "../psl/ast.js";
import type { SqlComment } from "./text.js";

/**
 * The tree the `archlint/sql` language hands to ESLint: the file's statements, each with its
 * exact range (first token to last, without the `;`) and libpg_query's node for it. Rules select
 * `Program` and `Statement` and read clauses from `node` (or, for facts across files, from the
 * migration history, see history.ts); visiting libpg_query's nodes themselves would make ESLint
 * walk every expression of every statement for nothing.
 */

export interface SqlStatement {
  type: "Statement";
  /** libpg_query's node type: `CreateStmt`, `AlterTableStmt`, `IndexStmt`, `CreatePolicyStmt`... */
  kind: string;
  /** libpg_query's node (locations inside are UTF-8 byte offsets; `SqlText#fromByte` converts them). */
  node: Record<string, unknown>;
  range: [number, number];
  loc: SourceLocation;
}

export interface SqlProgram {
  type: "Program";
  body: SqlStatement[];
  comments: SqlComment[];
  range: [number, number];
  loc: SourceLocation;
}

export type SqlNode = SqlProgram | SqlStatement;

export const sqlVisitorKeys: Record<string, string[]> = {
  Program: ["body"],
  Statement: [],
};
