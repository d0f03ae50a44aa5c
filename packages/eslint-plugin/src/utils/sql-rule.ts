import type { SqlProgram } from "@archlint/core";
import type { SqlSourceCode } from "../languages/sql-source-code.js";
import { docsUrl, type ArchlintDocs } from "./create-rule.js";

/**
 * Rules on `.sql` migrations (the `archlint/sql` language). Same conventions as `createRule`:
 * docs URL from the name, typed message ids, options from a zod schema with defaults applied.
 */

export interface SqlReport<MessageIds extends string> {
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  messageId: MessageIds;
  data?: Record<string, string | number>;
}

export interface SqlRuleContext<MessageIds extends string> {
  sourceCode: SqlSourceCode;
  options: unknown[];
  settings: Record<string, unknown>;
  cwd: string;
  physicalFilename: string;
  report(descriptor: SqlReport<MessageIds>): void;
}

export interface SqlRuleModule<MessageIds extends string> {
  meta: {
    type: "problem" | "suggestion" | "layout";
    docs: ArchlintDocs & { url: string };
    messages: Record<MessageIds, string>;
    schema: unknown[];
    languages: string[];
    defaultOptions?: unknown[];
  };
  create(context: SqlRuleContext<MessageIds>): { Program?: (node: SqlProgram) => void };
}

export function createSqlRule<MessageIds extends string>(
  rule: { name: string } & Omit<SqlRuleModule<MessageIds>, "meta"> & {
      meta: Omit<SqlRuleModule<MessageIds>["meta"], "docs" | "languages"> & { docs: ArchlintDocs };
    },
): SqlRuleModule<MessageIds> & { name: string } {
  return {
    name: rule.name,
    meta: { ...rule.meta, docs: { ...rule.meta.docs, url: docsUrl(rule.name) }, languages: ["archlint/sql"] },
    create: rule.create,
  };
}
