import type * as AST from "./ast.js";
import type { LineIndex } from "./line-index.js";

/**
 * The parser's node classes. `range` and `loc` are getters, computed on first read and then kept:
 * a 300-model schema has ~31,000 nodes, and their ranges (an array each) and `loc`s (three objects
 * each) were most of what re-parsing it allocated, and what the garbage collector then had to copy,
 * on every re-lint in an editor, while rules and ESLint read them for the few nodes they report.
 * Every other property is an own, enumerable data property, in the order of the `ast.ts` interfaces.
 */
/** `node.range[0]` and `node.range[1]` for the parser, which would otherwise create every node's `range`. */
export let startOf: (node: AST.BaseNode) => number;
export let endOf: (node: AST.BaseNode) => number;

abstract class Located {
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
    startOf = (node) => (node as unknown as Located).#start;
    endOf = (node) => (node as unknown as Located).#end;
  }
}

export class Schema extends Located implements AST.Schema {
  readonly type = "Schema";
  declare body: AST.Block[];
  declare comments: AST.Comment[];
  declare errors: AST.SyntaxError[];
  constructor(lines: LineIndex, body: AST.Block[], comments: AST.Comment[], errors: AST.SyntaxError[], end: number) {
    super(lines, 0, end);
    this.body = body;
    this.comments = comments;
    this.errors = errors;
  }
}

export class Block extends Located implements AST.Block {
  readonly type = "Block";
  declare kind: AST.BlockKind;
  declare name: AST.Identifier;
  declare members: AST.Member[];
  declare closeBrace: [number, number] | null;
  declare documentation: string | null;
  constructor(
    lines: LineIndex,
    kind: AST.BlockKind,
    name: AST.Identifier,
    members: AST.Member[],
    closeBrace: [number, number] | null,
    documentation: string | null,
    start: number,
    end: number,
  ) {
    super(lines, start, end);
    this.kind = kind;
    this.name = name;
    this.members = members;
    this.closeBrace = closeBrace;
    this.documentation = documentation;
  }
}

export class Field extends Located implements AST.Field {
  readonly type = "Field";
  declare name: AST.Identifier;
  declare fieldType: AST.FieldType | null;
  declare attributes: AST.Attribute[];
  declare documentation: string | null;
  constructor(
    lines: LineIndex,
    name: AST.Identifier,
    fieldType: AST.FieldType | null,
    attributes: AST.Attribute[],
    documentation: string | null,
    start: number,
    end: number,
  ) {
    super(lines, start, end);
    this.name = name;
    this.fieldType = fieldType;
    this.attributes = attributes;
    this.documentation = documentation;
  }
}

export class FieldType extends Located implements AST.FieldType {
  readonly type = "FieldType";
  declare name: string;
  declare optional: boolean;
  declare list: boolean;
  declare unsupported: boolean;
  constructor(lines: LineIndex, name: string, optional: boolean, list: boolean, unsupported: boolean, start: number, end: number) {
    super(lines, start, end);
    this.name = name;
    this.optional = optional;
    this.list = list;
    this.unsupported = unsupported;
  }
}

export class EnumValue extends Located implements AST.EnumValue {
  readonly type = "EnumValue";
  declare name: AST.Identifier;
  declare attributes: AST.Attribute[];
  constructor(lines: LineIndex, name: AST.Identifier, attributes: AST.Attribute[], start: number, end: number) {
    super(lines, start, end);
    this.name = name;
    this.attributes = attributes;
  }
}

export class Property extends Located implements AST.Property {
  readonly type = "Property";
  declare key: AST.Identifier;
  declare value: AST.Expression | null;
  constructor(lines: LineIndex, key: AST.Identifier, value: AST.Expression | null, start: number, end: number) {
    super(lines, start, end);
    this.key = key;
    this.value = value;
  }
}

export class Attribute extends Located implements AST.Attribute {
  readonly type = "Attribute";
  declare isBlock: boolean;
  declare name: string;
  declare nameRange: [number, number];
  declare args: AST.Argument[] | null;
  constructor(lines: LineIndex, isBlock: boolean, name: string, nameEnd: number, args: AST.Argument[] | null, start: number, end: number) {
    super(lines, start, end);
    this.isBlock = isBlock;
    this.name = name;
    this.nameRange = [start, nameEnd];
    this.args = args;
  }
}

export class Argument extends Located implements AST.Argument {
  readonly type = "Argument";
  declare name: AST.Identifier | null;
  declare value: AST.Expression;
  constructor(lines: LineIndex, name: AST.Identifier | null, value: AST.Expression, start: number, end: number) {
    super(lines, start, end);
    this.name = name;
    this.value = value;
  }
}

export class Identifier extends Located implements AST.Identifier {
  readonly type = "Identifier";
  declare name: string;
  constructor(lines: LineIndex, name: string, start: number, end: number) {
    super(lines, start, end);
    this.name = name;
  }
}

export class StringLiteral extends Located implements AST.StringLiteral {
  readonly type = "StringLiteral";
  declare value: string;
  declare raw: string;
  constructor(lines: LineIndex, value: string, raw: string, start: number, end: number) {
    super(lines, start, end);
    this.value = value;
    this.raw = raw;
  }
}

export class NumberLiteral extends Located implements AST.NumberLiteral {
  readonly type = "NumberLiteral";
  declare value: number;
  declare raw: string;
  constructor(lines: LineIndex, value: number, raw: string, start: number, end: number) {
    super(lines, start, end);
    this.value = value;
    this.raw = raw;
  }
}

export class PathExpression extends Located implements AST.PathExpression {
  readonly type = "PathExpression";
  declare name: string;
  constructor(lines: LineIndex, name: string, start: number, end: number) {
    super(lines, start, end);
    this.name = name;
  }
}

export class ArrayExpression extends Located implements AST.ArrayExpression {
  readonly type = "ArrayExpression";
  declare elements: AST.Expression[];
  constructor(lines: LineIndex, elements: AST.Expression[], start: number, end: number) {
    super(lines, start, end);
    this.elements = elements;
  }
}

export class FunctionCall extends Located implements AST.FunctionCall {
  readonly type = "FunctionCall";
  declare callee: AST.Identifier;
  declare args: AST.Argument[];
  constructor(lines: LineIndex, callee: AST.Identifier, args: AST.Argument[], start: number, end: number) {
    super(lines, start, end);
    this.callee = callee;
    this.args = args;
  }
}

export class Comment extends Located implements AST.Comment {
  readonly type = "Line";
  declare value: string;
  constructor(lines: LineIndex, value: string, start: number, end: number) {
    super(lines, start, end);
    this.value = value;
  }
}
