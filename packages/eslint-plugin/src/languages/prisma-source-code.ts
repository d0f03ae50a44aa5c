import type { VisitTraversalStep } from "@eslint/core";
import { TextSourceCodeBase, type Directive } from "@eslint/plugin-kit";
import { visitorKeys, type Comment, type LoadedSchema, type PslNode, type Schema, type SchemaProblem } from "@archlint/core";
import { disableDirectives, inlineConfigComments, ruleConfigs, type InlineProblem, type Loc } from "./inline-config.js";

/** ESLint leaves `endLine` / `endColumn` out of a problem whose end is undefined. */
const NO_END = { line: undefined, column: undefined } as unknown as Loc["end"];

/**
 * The SourceCode of a `.prisma` file, on `TextSourceCodeBase` as `@eslint/json` does it, with
 * inline configuration comments so `// eslint-disable-next-line archlint/<rule>` works in schemas.
 * `schema` is the whole (possibly multi-file) schema this file belongs to, validated by Prisma.
 * `problems` are Prisma's errors in this file when archlint's parser read it cleanly: ESLint reports
 * the problems `applyInlineConfig` returns as fatal messages and still runs the rules, which is the
 * one channel a language has for errors that are not parse failures. (With inline configuration
 * turned off, `--no-inline-config` or `noInlineConfig`, ESLint does not ask, and they are not shown.)
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
  readonly problems: readonly SchemaProblem[];
  #parents: WeakMap<PslNode, PslNode> | undefined;
  #inlineConfigComments: Comment[] | undefined;

  constructor(options: { text: string; ast: Schema; schema: LoadedSchema | null; filePath: string; problems?: readonly SchemaProblem[] }) {
    super({ text: options.text, ast: options.ast });
    this.ast = options.ast;
    this.comments = options.ast.comments;
    this.schema = options.schema;
    this.filePath = options.filePath;
    this.problems = options.problems ?? [];
  }

  getInlineConfigNodes(): Comment[] {
    this.#inlineConfigComments ??= inlineConfigComments(this.comments);
    return this.#inlineConfigComments;
  }

  getDisableDirectives(): { problems: InlineProblem[]; directives: Directive[] } {
    return disableDirectives(this.getInlineConfigNodes());
  }

  applyInlineConfig(): { configs: Array<{ config: { rules: Record<string, unknown> }; loc: Loc }>; problems: InlineProblem[] } {
    const { configs, problems } = ruleConfigs(this.getInlineConfigNodes());
    // Worded and placed as ESLint reports a parse error (a start position, no end), so formatters
    // and users see one kind of schema error whether or not archlint's parser read the file.
    const schemaProblems: InlineProblem[] = this.problems.map((p) => ({
      ruleId: null,
      message: `Parsing error: ${p.message}`,
      loc: { start: p.loc.start, end: NO_END },
    }));
    return { configs, problems: [...schemaProblems, ...problems] };
  }

  override getParent(node: PslNode): PslNode | undefined {
    if (!this.#parents) {
      this.#parents = new WeakMap();
      for (const step of this.traverse()) {
        const parent = step.args?.[1] as PslNode | undefined;
        if (step.phase === 1 && parent) this.#parents.set(step.target as PslNode, parent);
      }
    }
    return this.#parents.get(node);
  }

  /**
   * The steps one at a time, as ESLint consumes them: a 300-model schema has ~8,600 nodes down to
   * attributes, and steps built all at once (and parents recorded for every node) lived through the
   * whole lint, which made the garbage collector copy them on every re-lint in an editor.
   */
  override traverse(): Iterable<Step> {
    return new Steps(this.ast);
  }
}

const NO_CHILDREN: readonly PslNode[] = [];

/** A node's children by ESLint's visitor keys. */
function childrenOf(node: PslNode): readonly PslNode[] {
  const keys = visitorKeys[node.type];
  if (keys === undefined || keys.length === 0) return NO_CHILDREN;
  const record = node as unknown as Record<string, unknown>;
  // One key, every node type's today: the node's own array, not a copy.
  if (keys.length === 1 && Array.isArray(record[keys[0]!])) return record[keys[0]!] as PslNode[];
  const out: PslNode[] = [];
  for (const key of keys) {
    const child = record[key];
    if (Array.isArray(child)) out.push(...(child as PslNode[]));
    else if (child && typeof child === "object") out.push(child as PslNode);
  }
  return out;
}

/** What `VisitNodeStep` of @eslint/plugin-kit holds, as a plain object (no options object per step). */
type Step = VisitTraversalStep & { type: "visit" };

/**
 * Depth-first enter and exit steps, made as ESLint asks for them (see `traverse`). One result
 * object serves every `next()`, as the iteration protocol allows: consumers read `done` and
 * `value` before asking for the next step.
 */
class Steps implements IterableIterator<Step> {
  #root: PslNode | null;
  // The path from the root to the current node: its nodes, their steps' args, children, next child.
  readonly #nodes: PslNode[] = [];
  readonly #args: unknown[][] = [];
  readonly #children: (readonly PslNode[])[] = [];
  readonly #next: number[] = [];
  readonly #result: IteratorResult<Step, undefined> = { done: false, value: undefined as unknown as Step };

  constructor(root: PslNode) {
    this.#root = root;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Step, undefined> {
    if (this.#root) {
      const root = this.#root;
      this.#root = null;
      return this.#enter(root, undefined);
    }
    const top = this.#nodes.length - 1;
    if (top < 0) return this.#yield(undefined);
    const children = this.#children[top]!;
    const i = this.#next[top]!;
    if (i < children.length) {
      this.#next[top] = i + 1;
      return this.#enter(children[i]!, this.#nodes[top]);
    }
    const node = this.#nodes.pop()!;
    const args = this.#args.pop()!;
    this.#children.pop();
    this.#next.pop();
    return this.#yield({ type: "visit", kind: 1, target: node, phase: 2, args });
  }

  #enter(node: PslNode, parent: PslNode | undefined): IteratorResult<Step, undefined> {
    const args = [node, parent];
    this.#nodes.push(node);
    this.#args.push(args);
    this.#children.push(childrenOf(node));
    this.#next.push(0);
    return this.#yield({ type: "visit", kind: 1, target: node, phase: 1, args });
  }

  #yield(step: Step | undefined): IteratorResult<Step, undefined> {
    const result = this.#result;
    result.done = step === undefined;
    result.value = step;
    return result;
  }
}
