/**
 * The Prisma Schema Language AST that archlint lints. Prisma's DMMF carries no source positions,
 * so this tree is archlint's own, with an exact UTF-16 `range` and an ESTree-style `loc`
 * (1-based lines, 0-based columns) on every node: ESLint reports, fixes and inline-config
 * comments all work from it.
 */

export interface Position {
  line: number;
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

/**
 * On the parser's nodes `range` and `loc` are getters (computed on first read, then kept, see
 * nodes.ts): they read like properties, but `{ ...node }`, `Object.keys` and `JSON.stringify` do
 * not see them.
 */
export interface BaseNode {
  type: string;
  range: [number, number];
  loc: SourceLocation;
}

export interface Identifier extends BaseNode {
  type: "Identifier";
  name: string;
}

export interface StringLiteral extends BaseNode {
  type: "StringLiteral";
  value: string;
  raw: string;
}

export interface NumberLiteral extends BaseNode {
  type: "NumberLiteral";
  value: number;
  raw: string;
}

/** A bare name such as `Desc`, `true`, `Cascade`, or a field name inside a list. */
export interface PathExpression extends BaseNode {
  type: "PathExpression";
  name: string;
}

export interface ArrayExpression extends BaseNode {
  type: "ArrayExpression";
  elements: Expression[];
}

/** `env("X")`, `now()`, and field references with arguments: `createdAt(sort: Desc)`. */
export interface FunctionCall extends BaseNode {
  type: "FunctionCall";
  callee: Identifier;
  args: Argument[];
}

export type Expression = StringLiteral | NumberLiteral | PathExpression | ArrayExpression | FunctionCall;

export interface Argument extends BaseNode {
  type: "Argument";
  /** `fields` in `fields: [a]`; null for a positional argument. */
  name: Identifier | null;
  value: Expression;
}

export interface Attribute extends BaseNode {
  type: "Attribute";
  /** true for `@@index(...)`, false for `@id`. */
  isBlock: boolean;
  /** Without the `@`s: `relation`, `db.VarChar`. */
  name: string;
  /** The range of `@relation` / `@@index` itself. */
  nameRange: [number, number];
  /** null when written without parentheses (`@id`). */
  args: Argument[] | null;
}

export interface FieldType extends BaseNode {
  type: "FieldType";
  name: string;
  optional: boolean;
  list: boolean;
  /** `Unsupported("...")` */
  unsupported: boolean;
}

export interface Field extends BaseNode {
  type: "Field";
  name: Identifier;
  fieldType: FieldType | null;
  attributes: Attribute[];
  /** `///` comments directly above the field. */
  documentation: string | null;
}

export interface EnumValue extends BaseNode {
  type: "EnumValue";
  name: Identifier;
  attributes: Attribute[];
}

export interface Property extends BaseNode {
  type: "Property";
  key: Identifier;
  value: Expression | null;
}

export type BlockKind = "model" | "view" | "type" | "enum" | "datasource" | "generator";

export type Member = Field | EnumValue | Property | Attribute;

export interface Block extends BaseNode {
  type: "Block";
  kind: BlockKind;
  name: Identifier;
  members: Member[];
  /** Range of the closing brace (where block attributes get appended by fixes). */
  closeBrace: [number, number] | null;
  documentation: string | null;
}

export interface Comment extends BaseNode {
  type: "Line";
  /** Text after `//` (for `///` doc comments it starts with `/`). */
  value: string;
}

export interface SyntaxError {
  message: string;
  range: [number, number];
  loc: SourceLocation;
}

export interface Schema extends BaseNode {
  type: "Schema";
  body: Block[];
  comments: Comment[];
  errors: SyntaxError[];
}

export type PslNode = Schema | Block | Field | FieldType | EnumValue | Property | Attribute | Argument | Identifier | Expression;

/**
 * ESLint traverses the tree with these keys: down to attributes. Rules select `Schema`, `Block`,
 * `Field`, `EnumValue`, `Property` and `Attribute` nodes and read arguments and values as
 * properties; visiting every identifier and literal would triple the traversal of large schemas
 * (a 300-model schema has ~31,000 nodes, ~8,600 of them down to attributes).
 */
export const visitorKeys: Record<string, string[]> = {
  Schema: ["body"],
  Block: ["members"],
  Field: ["attributes"],
  EnumValue: ["attributes"],
  Property: [],
  Attribute: [],
};

/** Every child key of every node type, for tools that walk the whole tree. */
export const allChildKeys: Record<string, string[]> = {
  Schema: ["body"],
  Block: ["name", "members"],
  Field: ["name", "fieldType", "attributes"],
  FieldType: [],
  EnumValue: ["name", "attributes"],
  Property: ["key", "value"],
  Attribute: ["args"],
  Argument: ["name", "value"],
  Identifier: [],
  StringLiteral: [],
  NumberLiteral: [],
  PathExpression: [],
  ArrayExpression: ["elements"],
  FunctionCall: ["callee", "args"],
};
