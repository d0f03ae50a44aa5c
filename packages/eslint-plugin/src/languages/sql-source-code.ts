import type { VisitTraversalStep } from "@eslint/core";
import { TextSourceCodeBase, type Directive } from "@eslint/plugin-kit";
import type { SqlComment, SqlNode, SqlProgram, SqlText } from "@archlint/core";
import { disableDirectives, inlineConfigComments, ruleConfigs, type InlineProblem, type Loc } from "./inline-config.js";

type Step = VisitTraversalStep & { type: "visit" };

/**
 * The SourceCode of a `.sql` file, on `TextSourceCodeBase` as `@eslint/json` does it, with inline
 * configuration from SQL comments: `-- eslint-disable-next-line archlint/<rule>` above a statement,
 * `/* eslint-disable *\/` for a whole file. `sqlText` converts libpg_query's byte offsets.
 */
export class SqlSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: SqlProgram;
  SyntaxElementWithLoc: SqlNode | SqlComment;
  ConfigNode: SqlComment;
}> {
  override ast: SqlProgram;
  readonly comments: SqlComment[];
  readonly sqlText: SqlText;
  readonly filePath: string;
  #inlineConfigComments: SqlComment[] | undefined;

  constructor(options: { text: string; ast: SqlProgram; sqlText: SqlText; filePath: string }) {
    super({ text: options.text, ast: options.ast });
    this.ast = options.ast;
    this.comments = options.ast.comments;
    this.sqlText = options.sqlText;
    this.filePath = options.filePath;
  }

  getInlineConfigNodes(): SqlComment[] {
    this.#inlineConfigComments ??= inlineConfigComments(this.comments);
    return this.#inlineConfigComments;
  }

  getDisableDirectives(): { problems: InlineProblem[]; directives: Directive[] } {
    return disableDirectives(this.getInlineConfigNodes());
  }

  applyInlineConfig(): { configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }>; problems: InlineProblem[] } {
    return ruleConfigs(this.getInlineConfigNodes());
  }

  override getParent(node: SqlNode): SqlNode | undefined {
    return node.type === "Statement" ? this.ast : undefined;
  }

  /** The program, then each statement (no deeper: rules read clauses from a statement's node). */
  override *traverse(): Iterable<Step> {
    const program = this.ast;
    yield { type: "visit", kind: 1, target: program, phase: 1, args: [program, undefined] };
    for (const statement of program.body) {
      const args = [statement, program];
      yield { type: "visit", kind: 1, target: statement, phase: 1, args };
      yield { type: "visit", kind: 1, target: statement, phase: 2, args };
    }
    yield { type: "visit", kind: 1, target: program, phase: 2, args: [program, undefined] };
  }
}
