import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import { visitorKeys, type Comment, type LoadedSchema, type PslNode, type Schema } from "@archlint/core";

const commentParser = new ConfigCommentParser();
const INLINE_CONFIG = /^\s*(?:eslint(?:-enable|-disable(?:(?:-next)?-line)?)?)(?:\s|$)/u;

type Loc = { start: { line: number; column: number }; end: { line: number; column: number } };

class PrismaTraversalStep extends VisitNodeStep {
  override target: PslNode;
  constructor(options: { target: PslNode; phase: 1 | 2; args: unknown[] }) {
    super(options);
    this.target = options.target;
  }
}

/**
 * The SourceCode of a `.prisma` file, on `TextSourceCodeBase` as `@eslint/json` does it, with
 * inline configuration comments so `// eslint-disable-next-line archlint/<rule>` works in schemas.
 * `schema` is the whole (possibly multi-file) schema this file belongs to, validated by Prisma.
 */
export class PrismaSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: Schema;
  SyntaxElementWithLoc: PslNode | Comment;
  ConfigNode: Comment;
}> {
  override ast: Schema;
  readonly comments: Comment[];
  readonly schema: LoadedSchema | null;
  readonly filePath: string;
  #steps: PrismaTraversalStep[] | undefined;
  #parents = new WeakMap<object, PslNode>();
  #inlineConfigComments: Comment[] | undefined;

  constructor(options: { text: string; ast: Schema; schema: LoadedSchema | null; filePath: string }) {
    super({ text: options.text, ast: options.ast });
    this.ast = options.ast;
    this.comments = options.ast.comments;
    this.schema = options.schema;
    this.filePath = options.filePath;
  }

  getInlineConfigNodes(): Comment[] {
    this.#inlineConfigComments ??= this.comments.filter((c) => INLINE_CONFIG.test(c.value));
    return this.#inlineConfigComments;
  }

  getDisableDirectives(): { problems: Array<{ ruleId: null; message: string; loc: Loc }>; directives: Directive[] } {
    const problems: Array<{ ruleId: null; message: string; loc: Loc }> = [];
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
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
    return { problems, directives };
  }

  applyInlineConfig(): { configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }>; problems: Array<{ ruleId: null; message: string; loc: Loc }> } {
    const configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }> = [];
    const problems: Array<{ ruleId: null; message: string; loc: Loc }> = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed || parsed.label !== "eslint") continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) configs.push({ config: { rules: result.config as Record<string, unknown> }, loc: comment.loc });
      else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
    }
    return { configs, problems };
  }

  override getParent(node: PslNode): PslNode | undefined {
    return this.#parents.get(node);
  }

  override traverse(): Iterable<PrismaTraversalStep> {
    if (this.#steps) return this.#steps.values();
    const steps: PrismaTraversalStep[] = (this.#steps = []);
    const visit = (node: PslNode, parent: PslNode | undefined): void => {
      if (parent) this.#parents.set(node, parent);
      steps.push(new PrismaTraversalStep({ target: node, phase: 1, args: [node, parent] }));
      for (const key of visitorKeys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) for (const c of child) visit(c as PslNode, node);
        else if (child && typeof child === "object") visit(child as PslNode, node);
      }
      steps.push(new PrismaTraversalStep({ target: node, phase: 2, args: [node, parent] }));
    };
    visit(this.ast, undefined);
    return steps.values();
  }
}
