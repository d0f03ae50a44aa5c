import type { PslNode } from "@archlint/core";
import type { PrismaSourceCode } from "../languages/prisma-source-code.js";
import { docsUrl, type ArchlintDocs } from "./create-rule.js";

/**
 * Rules on `.prisma` files (the `archlint/prisma` language). Same conventions as `createRule`:
 * docs URL from the name, typed message ids, options from a zod schema with defaults applied.
 */

export interface PrismaFix {
  range: [number, number];
  text: string;
}

/** The part of ESLint's RuleFixer that text-based languages get (ranges are UTF-16 offsets into the file). */
export interface PrismaFixer {
  insertTextAfterRange(range: [number, number], text: string): PrismaFix;
  removeRange(range: [number, number]): PrismaFix;
  replaceTextRange(range: [number, number], text: string): PrismaFix;
}

export interface PrismaSuggestion<MessageIds extends string> {
  messageId: MessageIds;
  data?: Record<string, string | number>;
  fix: (fixer: PrismaFixer) => PrismaFix | null;
}

export interface PrismaReport<MessageIds extends string> {
  node?: PslNode;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
  messageId: MessageIds;
  data?: Record<string, string | number>;
  fix?: ((fixer: PrismaFixer) => PrismaFix | null) | null;
  /** Needs `meta.hasSuggestions`. */
  suggest?: PrismaSuggestion<MessageIds>[];
}

export interface PrismaRuleContext<MessageIds extends string> {
  sourceCode: PrismaSourceCode;
  options: unknown[];
  settings: Record<string, unknown>;
  cwd: string;
  report(descriptor: PrismaReport<MessageIds>): void;
}

export interface PrismaRuleModule<MessageIds extends string> {
  meta: {
    type: "problem" | "suggestion" | "layout";
    docs: ArchlintDocs & { url: string };
    messages: Record<MessageIds, string>;
    schema: unknown[];
    fixable?: "code";
    hasSuggestions?: boolean;
    languages: string[];
    defaultOptions?: unknown[];
  };
  create(context: PrismaRuleContext<MessageIds>): { [selector: string]: ((node: never) => void) | undefined };
}

export function createPrismaRule<MessageIds extends string>(
  rule: { name: string } & Omit<PrismaRuleModule<MessageIds>, "meta"> & {
      meta: Omit<PrismaRuleModule<MessageIds>["meta"], "docs" | "languages"> & { docs: ArchlintDocs };
    },
): PrismaRuleModule<MessageIds> & { name: string } {
  return {
    name: rule.name,
    meta: { ...rule.meta, docs: { ...rule.meta.docs, url: docsUrl(rule.name) }, languages: ["archlint/prisma"] },
    create: rule.create,
  };
}
