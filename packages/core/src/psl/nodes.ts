import type * as AST from "./ast.js";
import type { LineIndex } from "./line-index.js";

/** `node.range[0]` and `node.range[1]` for the parser, which would otherwise create every node's `range`. */
export let startOf: (node: AST.BaseNode) => number;
export let endOf: (node: AST.BaseNode) => number;

/**
 * The parser's nodes. `range` and `loc` are getters, computed on first read and then kept: a
 * 300-model schema has ~31,000 nodes, and their ranges (an array each) and `loc`s (three objects
 * each) were most of what re-parsing it allocated, and what the garbage collector then copied, on
 * every re-lint in an editor, while rules and ESLint read them for the few nodes they report.
 * Every other property is an own, enumerable data property, in the order of the `ast.ts`
 * interfaces, `type` first.
 *
 * Nodes are made by the functions below, which set the fields on a `Node` of one of three classes
 * by field count. With a class per node type, `Node`'s constructor saw a dozen object shapes and
 * each of its stores took V8's slow path; with one class for all, V8 sized every node for the
 * first few it saw (small ones), and the fields of larger ones each cost an extra object.
 */
class Node {
  readonly #lines: LineIndex;
  readonly #start: number;
  readonly #end: number;
  #range: [number, number] | undefined = undefined;
  #loc: AST.SourceLocation | undefined = undefined;

  constructor(lines: LineIndex, start: number, end: number) {
    this.#lines = lines;
    this.#start = start;
    this.#end = end;
  }

  get range(): [number, number] {
    return (this.#range ??= [this.#start, this.#end]);
  }

  get loc(): AST.SourceLocation {
    return (this.#loc ??= this.#lines.loc(this.#start, this.#end));
  }

  static {
    startOf = (node) => (node as unknown as Node).#start;
    endOf = (node) => (node as unknown as Node).#end;
  }
}

/** `type` and one or two fields. */
class Small extends Node {}
/** `type` and three fields. */
class Medium extends Node {}
/** `type` and four or more fields. */
class Large extends Node {}

type Building<T> = { -readonly [K in keyof T]: T[K] };

/** A node with only `range` and `loc`, typed as `T` for its other fields to be set. */
function node<T extends AST.BaseNode | AST.Comment>(size: typeof Small, lines: LineIndex, start: number, end: number): Building<T> {
  return new size(lines, start, end) as unknown as Building<T>;
}

export function schema(lines: LineIndex, body: AST.Block[], comments: AST.Comment[], errors: AST.SyntaxError[], end: number): AST.Schema {
  const n = node<AST.Schema>(Large, lines, 0, end);
  n.type = "Schema";
  n.body = body;
  n.comments = comments;
  n.errors = errors;
  return n;
}

export function block(
  lines: LineIndex,
  kind: AST.BlockKind,
  name: AST.Identifier,
  members: AST.Member[],
  closeBrace: [number, number] | null,
  documentation: string | null,
  start: number,
  end: number,
): AST.Block {
  const n = node<AST.Block>(Large, lines, start, end);
  n.type = "Block";
  n.kind = kind;
  n.name = name;
  n.members = members;
  n.closeBrace = closeBrace;
  n.documentation = documentation;
  return n;
}

export function field(
  lines: LineIndex,
  name: AST.Identifier,
  fieldType: AST.FieldType | null,
  attributes: AST.Attribute[],
  documentation: string | null,
  start: number,
  end: number,
): AST.Field {
  const n = node<AST.Field>(Large, lines, start, end);
  n.type = "Field";
  n.name = name;
  n.fieldType = fieldType;
  n.attributes = attributes;
  n.documentation = documentation;
  return n;
}

export function fieldType(lines: LineIndex, name: string, optional: boolean, list: boolean, unsupported: boolean, start: number, end: number): AST.FieldType {
  const n = node<AST.FieldType>(Large, lines, start, end);
  n.type = "FieldType";
  n.name = name;
  n.optional = optional;
  n.list = list;
  n.unsupported = unsupported;
  return n;
}

export function enumValue(lines: LineIndex, name: AST.Identifier, attributes: AST.Attribute[], start: number, end: number): AST.EnumValue {
  const n = node<AST.EnumValue>(Medium, lines, start, end);
  n.type = "EnumValue";
  n.name = name;
  n.attributes = attributes;
  return n;
}

export function property(lines: LineIndex, key: AST.Identifier, value: AST.Expression | null, start: number, end: number): AST.Property {
  const n = node<AST.Property>(Medium, lines, start, end);
  n.type = "Property";
  n.key = key;
  n.value = value;
  return n;
}

export function attribute(
  lines: LineIndex,
  isBlock: boolean,
  name: string,
  nameEnd: number,
  args: AST.Argument[] | null,
  start: number,
  end: number,
): AST.Attribute {
  const n = node<AST.Attribute>(Large, lines, start, end);
  n.type = "Attribute";
  n.isBlock = isBlock;
  n.name = name;
  n.nameRange = [start, nameEnd];
  n.args = args;
  return n;
}

export function argument(lines: LineIndex, name: AST.Identifier | null, value: AST.Expression, start: number, end: number): AST.Argument {
  const n = node<AST.Argument>(Medium, lines, start, end);
  n.type = "Argument";
  n.name = name;
  n.value = value;
  return n;
}

export function identifier(lines: LineIndex, name: string, start: number, end: number): AST.Identifier {
  const n = node<AST.Identifier>(Small, lines, start, end);
  n.type = "Identifier";
  n.name = name;
  return n;
}

export function stringLiteral(lines: LineIndex, value: string, raw: string, start: number, end: number): AST.StringLiteral {
  const n = node<AST.StringLiteral>(Medium, lines, start, end);
  n.type = "StringLiteral";
  n.value = value;
  n.raw = raw;
  return n;
}

export function numberLiteral(lines: LineIndex, value: number, raw: string, start: number, end: number): AST.NumberLiteral {
  const n = node<AST.NumberLiteral>(Medium, lines, start, end);
  n.type = "NumberLiteral";
  n.value = value;
  n.raw = raw;
  return n;
}

export function pathExpression(lines: LineIndex, name: string, start: number, end: number): AST.PathExpression {
  const n = node<AST.PathExpression>(Small, lines, start, end);
  n.type = "PathExpression";
  n.name = name;
  return n;
}

export function arrayExpression(lines: LineIndex, elements: AST.Expression[], start: number, end: number): AST.ArrayExpression {
  const n = node<AST.ArrayExpression>(Small, lines, start, end);
  n.type = "ArrayExpression";
  n.elements = elements;
  return n;
}

export function functionCall(lines: LineIndex, callee: AST.Identifier, args: AST.Argument[], start: number, end: number): AST.FunctionCall {
  const n = node<AST.FunctionCall>(Medium, lines, start, end);
  n.type = "FunctionCall";
  n.callee = callee;
  n.args = args;
  return n;
}

export function comment(lines: LineIndex, value: string, start: number, end: number): AST.Comment {
  const n = node<AST.Comment>(Small, lines, start, end);
  n.type = "Line";
  n.value = value;
  return n;
}
