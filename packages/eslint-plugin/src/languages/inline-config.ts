import { ConfigCommentParser, Directive } from "@eslint/plugin-kit";

/**
 * Inline configuration for archlint's text languages (`.prisma`, `.sql`), as `@eslint/json` and
 * `@eslint/css` do it: `eslint-disable` / `eslint-enable` / `-next-line` / `-line` directives and
 * `eslint` rule configuration comments, read from the file's comments.
 */

const commentParser = new ConfigCommentParser();
const INLINE_CONFIG = /^\s*(?:eslint(?:-enable|-disable(?:(?:-next)?-line)?)?)(?:\s|$)/u;

export type Loc = { start: { line: number; column: number }; end: { line: number; column: number } };

export interface ConfigComment {
  value: string;
  loc: Loc;
}

export interface InlineProblem {
  ruleId: null;
  message: string;
  loc: Loc;
}

/** The comments that hold inline configuration. */
export function inlineConfigComments<C extends ConfigComment>(comments: readonly C[]): C[] {
  return comments.filter((c) => INLINE_CONFIG.test(c.value));
}

/** `eslint-disable`, `eslint-enable`, `eslint-disable-line` and `eslint-disable-next-line`, as directives. */
export function disableDirectives(comments: readonly ConfigComment[]): { problems: InlineProblem[]; directives: Directive[] } {
  const directives: Directive[] = [];
  for (const comment of comments) {
    const parsed = commentParser.parseDirective(comment.value);
    if (!parsed) continue;
    const { label, value, justification } = parsed;
    switch (label) {
      case "eslint-disable":
      case "eslint-enable":
      case "eslint-disable-next-line":
      case "eslint-disable-line":
        directives.push(
          new Directive({
            type: label.slice("eslint-".length) as "disable" | "enable" | "disable-next-line" | "disable-line",
            node: comment,
            value,
            justification,
          }),
        );
        break;
      default:
        break;
    }
  }
  return { problems: [], directives };
}

/** `/* eslint rule: ... *\/` comments as rule configurations; one that does not parse is a problem at the comment. */
export function ruleConfigs(comments: readonly ConfigComment[]): {
  configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }>;
  problems: InlineProblem[];
} {
  const configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }> = [];
  const problems: InlineProblem[] = [];
  for (const comment of comments) {
    const parsed = commentParser.parseDirective(comment.value);
    if (!parsed || parsed.label !== "eslint") continue;
    const result = commentParser.parseJSONLikeConfig(parsed.value);
    if (result.ok) configs.push({ config: { rules: result.config as Record<string, unknown> }, loc: comment.loc });
    else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
  }
  return { configs, problems };
}
