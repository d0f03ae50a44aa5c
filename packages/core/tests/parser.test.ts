import {
  allChildKeys,
  parseSchemaText,
  type Argument,
  type Attribute,
  type Block,
  type Field,
  type FunctionCall,
  type PslNode,
  type Schema,
} from "../src/index.js";

/**
 * The PSL parser: every node's `range` slices back to its source text, `loc` agrees with `range`
 * (1-based lines, 0-based UTF-16 columns, `\n` and `\r\n` line breaks), `///` documentation is
 * attached, comments are collected, and no input makes it throw.
 */

const SCHEMA = `// Application schema.
generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
}

/// A person who can sign in.
/// Users belong to organizations.
model User {
  id        String   @id @default(cuid())
  /// Shown in the UI.
  email     String   @unique @db.VarChar(255)
  // internal note, not documentation
  name      String?
  posts     Post[]
  createdAt DateTime @default(now()) @map("created_at")

  @@map("users")
}

enum Role {
  OWNER
  MEMBER @map("member")
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String   @default("Untitled \\"draft\\"")
  score     Float    @default(-1.5)
  authorId  String
  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade) // owner
  tags      String[]
  createdAt DateTime @default(now())

  @@index(authorId)
  @@index([authorId, createdAt(sort: Desc)])
  @@index([title(length: 10)], map: "post_title_idx")
}

type Address {
  street String
}

view ActiveUser {
  id String @unique
}
`;

/** Line and column computed independently of the parser's LineIndex. */
/** Lines end at \n, \r\n and a lone \r, as ESLint counts them; an offset inside a \r\n is on the line it ends. */
function expectedPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (const m of text.matchAll(/\r\n?|\n/g)) {
    const next = m.index + m[0].length;
    if (next > offset) break;
    line++;
    lineStart = next;
  }
  return { line, column: offset - lineStart };
}

function children(node: PslNode): PslNode[] {
  const out: PslNode[] = [];
  for (const key of allChildKeys[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) out.push(...(child as PslNode[]));
    else if (child && typeof child === "object") out.push(child as PslNode);
  }
  return out;
}

function allNodes(root: PslNode): PslNode[] {
  const out: PslNode[] = [];
  const visit = (node: PslNode): void => {
    out.push(node);
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return out;
}

/** Structural invariants that hold for every input, valid or not. */
function checkInvariants(text: string, ast: Schema): void {
  expect(ast.type).toBe("Schema");
  expect(ast.range).toEqual([0, text.length]);
  const check = (node: { range: [number, number]; loc: { start: unknown; end: unknown } }): void => {
    const [start, end] = node.range;
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThanOrEqual(start);
    expect(end).toBeLessThanOrEqual(text.length);
    expect(node.loc.start).toEqual(expectedPosition(text, start));
    expect(node.loc.end).toEqual(expectedPosition(text, end));
  };
  for (const node of allNodes(ast)) {
    check(node);
    for (const child of children(node)) {
      expect(child.range[0]).toBeGreaterThanOrEqual(node.range[0]);
      expect(child.range[1]).toBeLessThanOrEqual(node.range[1]);
    }
  }
  for (const comment of ast.comments) check(comment);
  for (const error of ast.errors) check(error);
}

const blocks = (ast: Schema): Block[] => ast.body;
const block = (ast: Schema, name: string): Block => ast.body.find((b) => b.name.name === name)!;
const field = (b: Block, name: string): Field => b.members.find((m): m is Field => m.type === "Field" && m.name.name === name)!;
const blockAttributes = (b: Block): Attribute[] => b.members.filter((m): m is Attribute => m.type === "Attribute");
const slice = (text: string, node: { range: [number, number] }): string => text.slice(node.range[0], node.range[1]);

describe("parseSchemaText on a valid schema", () => {
  const ast = parseSchemaText(SCHEMA);

  it("reads every block without errors", () => {
    expect(ast.errors).toEqual([]);
    expect(blocks(ast).map((b) => [b.kind, b.name.name])).toEqual([
      ["generator", "client"],
      ["datasource", "db"],
      ["model", "User"],
      ["enum", "Role"],
      ["model", "Post"],
      ["type", "Address"],
      ["view", "ActiveUser"],
    ]);
  });

  it("keeps ranges inside parents and loc in agreement with range for every node", () => {
    checkInvariants(SCHEMA, ast);
  });

  it("slices every node back to its own source text", () => {
    const nodes = allNodes(ast);
    expect(new Set(nodes.map((n) => n.type))).toEqual(
      new Set([
        "Schema",
        "Block",
        "Identifier",
        "Field",
        "FieldType",
        "Attribute",
        "Argument",
        "ArrayExpression",
        "PathExpression",
        "FunctionCall",
        "StringLiteral",
        "NumberLiteral",
        "Property",
        "EnumValue",
      ]),
    );
    for (const node of nodes) {
      const text = slice(SCHEMA, node);
      switch (node.type) {
        case "Block":
          expect(text.startsWith(`${node.kind} ${node.name.name} {`)).toBe(true);
          expect(text.endsWith("}")).toBe(true);
          expect(node.closeBrace && SCHEMA.slice(...node.closeBrace)).toBe("}");
          break;
        case "Identifier":
        case "PathExpression":
          expect(text).toBe(node.name);
          break;
        case "StringLiteral":
        case "NumberLiteral":
          expect(text).toBe(node.raw);
          break;
        case "Field":
          expect(text.startsWith(node.name.name)).toBe(true);
          expect(text).not.toMatch(/[\n\r]|\/\//);
          break;
        case "FieldType":
          expect(text.replace(/(\[\]|\?)$/, "")).toBe(node.name);
          break;
        case "Attribute":
          expect(text.startsWith(`${node.isBlock ? "@@" : "@"}${node.name}`)).toBe(true);
          expect(SCHEMA.slice(...node.nameRange)).toBe(`${node.isBlock ? "@@" : "@"}${node.name}`);
          if (node.args) expect(text.endsWith(")")).toBe(true);
          break;
        case "Argument":
          expect(text.startsWith(node.name ? `${node.name.name}:` : slice(SCHEMA, node.value))).toBe(true);
          expect(text.endsWith(slice(SCHEMA, node.value))).toBe(true);
          break;
        case "ArrayExpression":
          expect(text.startsWith("[")).toBe(true);
          expect(text.endsWith("]")).toBe(true);
          break;
        case "FunctionCall":
          expect(text.startsWith(`${node.callee.name}(`)).toBe(true);
          expect(text.endsWith(")")).toBe(true);
          break;
        case "Property":
          expect(text.startsWith(node.key.name)).toBe(true);
          break;
        case "EnumValue":
          expect(text.startsWith(node.name.name)).toBe(true);
          break;
        case "Schema":
          expect(text).toBe(SCHEMA);
          break;
        default:
          throw new Error(`unexpected node type ${(node as PslNode).type}`);
      }
    }
  });

  it("gives the relation attribute, its arguments and values their exact text and position", () => {
    const author = field(block(ast, "Post"), "author");
    expect(slice(SCHEMA, author)).toBe("author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)");
    expect(author.fieldType).toMatchObject({ name: "User", optional: false, list: false });
    const relation = author.attributes[0]!;
    expect(relation).toMatchObject({ type: "Attribute", name: "relation", isBlock: false });
    expect(slice(SCHEMA, relation)).toBe("@relation(fields: [authorId], references: [id], onDelete: Cascade)");
    expect(relation.loc).toEqual({ start: { line: 35, column: 21 }, end: { line: 35, column: 87 } });
    expect(relation.args!.map((a) => slice(SCHEMA, a))).toEqual(["fields: [authorId]", "references: [id]", "onDelete: Cascade"]);
    expect(relation.args!.map((a) => a.name?.name)).toEqual(["fields", "references", "onDelete"]);
    const fields = relation.args![0]!.value;
    expect(fields).toMatchObject({ type: "ArrayExpression", elements: [{ type: "PathExpression", name: "authorId" }] });
    expect(fields.loc).toEqual({ start: { line: 35, column: 39 }, end: { line: 35, column: 49 } });
  });

  it("reads field types: optional, list, native-type attributes", () => {
    const user = block(ast, "User");
    expect(field(user, "name").fieldType).toMatchObject({ name: "String", optional: true, list: false });
    expect(field(user, "posts").fieldType).toMatchObject({ name: "Post", optional: false, list: true });
    const email = field(user, "email");
    expect(email.attributes.map((a) => [a.name, slice(SCHEMA, a)])).toEqual([
      ["unique", "@unique"],
      ["db.VarChar", "@db.VarChar(255)"],
    ]);
    expect(email.attributes[0]!.args).toBeNull();
    expect(email.attributes[1]!.args![0]!.value).toMatchObject({ type: "NumberLiteral", value: 255, raw: "255" });
  });

  it("reads literals: escaped strings, negative numbers, function calls", () => {
    const post = block(ast, "Post");
    const title = field(post, "title").attributes[0]!.args![0]!.value;
    expect(title).toMatchObject({ type: "StringLiteral", value: 'Untitled "draft"', raw: '"Untitled \\"draft\\""' });
    const score = field(post, "score").attributes[0]!.args![0]!.value;
    expect(score).toMatchObject({ type: "NumberLiteral", value: -1.5, raw: "-1.5" });
    const id = field(post, "id").attributes[1]!.args![0]!.value as FunctionCall;
    expect(id).toMatchObject({ type: "FunctionCall", callee: { name: "autoincrement" }, args: [] });
    expect(slice(SCHEMA, id)).toBe("autoincrement()");
  });

  it("reads block attributes: @@index(field) without brackets, per-field arguments, named map", () => {
    const [bare, sorted, withLength] = blockAttributes(block(ast, "Post"));
    expect(slice(SCHEMA, bare!)).toBe("@@index(authorId)");
    expect(bare!.args![0]).toMatchObject({ name: null, value: { type: "PathExpression", name: "authorId" } });

    expect(slice(SCHEMA, sorted!)).toBe("@@index([authorId, createdAt(sort: Desc)])");
    const elements = (sorted!.args![0]!.value as { elements: PslNode[] }).elements;
    expect(elements.map((e) => slice(SCHEMA, e))).toEqual(["authorId", "createdAt(sort: Desc)"]);
    const createdAt = elements[1] as FunctionCall;
    expect(createdAt.callee.name).toBe("createdAt");
    expect(createdAt.args.map((a: Argument) => [a.name?.name, slice(SCHEMA, a.value)])).toEqual([["sort", "Desc"]]);

    expect(slice(SCHEMA, withLength!)).toBe('@@index([title(length: 10)], map: "post_title_idx")');
    expect(withLength!.args!.map((a) => a.name?.name ?? null)).toEqual([null, "map"]);
    expect(withLength!.loc).toEqual({ start: { line: 41, column: 2 }, end: { line: 41, column: 53 } });
  });

  it("reads datasource properties and env() calls", () => {
    const db = block(ast, "db");
    const props = db.members.map((m) => (m.type === "Property" ? [m.key.name, slice(SCHEMA, m)] : null));
    expect(props).toEqual([
      ["provider", 'provider  = "postgresql"'],
      ["url", 'url       = env("DATABASE_URL")'],
    ]);
    const url = db.members[1]!;
    expect(url.type === "Property" && url.value).toMatchObject({
      type: "FunctionCall",
      callee: { name: "env" },
      args: [{ name: null, value: { type: "StringLiteral", value: "DATABASE_URL" } }],
    });
  });

  it("reads enum values with their attributes", () => {
    const role = block(ast, "Role");
    expect(role.members.map((m) => slice(SCHEMA, m))).toEqual(["OWNER", 'MEMBER @map("member")']);
  });

  it("attaches /// documentation to blocks and fields, and only that", () => {
    const user = block(ast, "User");
    expect(user.documentation).toBe("A person who can sign in.\nUsers belong to organizations.");
    expect(field(user, "email").documentation).toBe("Shown in the UI.");
    expect(field(user, "id").documentation).toBeNull();
    expect(field(user, "name").documentation).toBeNull();
    expect(block(ast, "Post").documentation).toBeNull();
    expect(block(ast, "client").documentation).toBeNull();
  });

  it("does not take /// separated by a blank line as documentation", () => {
    const parsed = parseSchemaText("/// Orphan comment.\n\nmodel A {\n  id Int @id\n}\n");
    expect(parsed.body[0]!.documentation).toBeNull();
  });

  it("collects every comment with its text and position", () => {
    expect(ast.comments.map((c) => [c.value, c.loc.start.line, c.loc.start.column])).toEqual([
      [" Application schema.", 1, 0],
      ["/ A person who can sign in.", 11, 0],
      ["/ Users belong to organizations.", 12, 0],
      ["/ Shown in the UI.", 15, 2],
      [" internal note, not documentation", 17, 2],
      [" owner", 35, 88],
    ]);
    for (const comment of ast.comments) expect(slice(SCHEMA, comment)).toBe(`//${comment.value}`);
  });
});

describe("parseSchemaText positions with other line breaks and non-ASCII text", () => {
  const crlf = SCHEMA.replace(/\n/g, "\r\n");
  const lf = parseSchemaText(SCHEMA);
  const ast = parseSchemaText(crlf);

  it("CRLF: no errors, same lines and columns as with LF, ranges slice without \\r", () => {
    expect(ast.errors).toEqual([]);
    checkInvariants(crlf, ast);
    const lfNodes = allNodes(lf);
    const crlfNodes = allNodes(ast);
    expect(crlfNodes.map((n) => [n.type, n.loc.start])).toEqual(lfNodes.map((n) => [n.type, n.loc.start]));
    for (const node of crlfNodes) {
      if (node.type !== "Schema" && node.type !== "Block") expect(slice(crlf, node)).not.toContain("\r");
    }
    expect(ast.comments.map((c) => c.value)).toEqual(lf.comments.map((c) => c.value));
    expect(block(ast, "User").documentation).toBe("A person who can sign in.\nUsers belong to organizations.");
  });

  it("counts columns in UTF-16 units after é, emoji and CJK text", () => {
    const text = `model Cafe {
  id    Int    @id
  label String @default("☕ 😀 é 漢字") @map("label_text")
}
`;
    const parsed = parseSchemaText(text);
    checkInvariants(text, parsed);
    const line = text.split("\n")[2]!;
    const map = field(parsed.body[0]!, "label").attributes[1]!;
    expect(slice(text, map)).toBe('@map("label_text")');
    expect(map.loc.start).toEqual({ line: 3, column: line.indexOf("@map") });
    expect(map.loc.start.column).toBe(37);
    const literal = field(parsed.body[0]!, "label").attributes[0]!.args![0]!.value;
    expect(literal).toMatchObject({ type: "StringLiteral", value: "☕ 😀 é 漢字" });
  });

  it("skips a byte-order mark", () => {
    const parsed = parseSchemaText(`\uFEFFmodel A {\n  id Int @id\n}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.body[0]!.loc.start).toEqual({ line: 1, column: 1 });
  });
});

describe("parseSchemaText on invalid input", () => {
  it("reports a missing closing brace at the block's keyword and name", () => {
    const text = "model User {\n  id String @id\n";
    const parsed = parseSchemaText(text);
    expect(parsed.errors).toEqual([
      { message: "Missing `}` to close model User.", range: [0, 10], loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 10 } } },
    ]);
    expect(parsed.body[0]!.closeBrace).toBeNull();
    expect(field(parsed.body[0]!, "id").attributes.map((a) => a.name)).toEqual(["id"]);
  });

  it("reports an unknown top-level word and recovers at the next block", () => {
    const text = "modle User {\n  id Int @id\n}\n\nmodel Post {\n  id Int @id\n}\n";
    const parsed = parseSchemaText(text);
    expect(parsed.errors[0]).toMatchObject({ range: [0, 5], loc: { start: { line: 1, column: 0 } } });
    expect(parsed.body.map((b) => b.name.name)).toContain("Post");
    checkInvariants(text, parsed);
  });

  it("reports a field attribute outside any field", () => {
    const parsed = parseSchemaText("model A {\n  id Int @id\n  @unique\n}\n");
    expect(parsed.errors).toEqual([
      { message: "A field attribute must follow a field.", range: [25, 32], loc: { start: { line: 3, column: 2 }, end: { line: 3, column: 9 } } },
    ]);
  });

  const garbage = [
    "",
    "\n\n\n",
    "}",
    "{{{{",
    "model",
    "model {",
    "model A",
    "model A {",
    "model A { id",
    "model A {\n  id Int @",
    "model A {\n  id Int @@",
    "model A {\n  id Int @default(",
    'model A {\n  id String @default("unterminated\n}',
    "model A {\n  a B @relation(fields: [a, , ], references: [)\n}",
    "model A {\n  id Int @id @default(autoincrement()))))\n}",
    "datasource db {\n  provider = \n}",
    "datasource db {\n  = 1\n}",
    "enum E {\n  A @map(\n}",
    "@@index([a])",
    "model A {\n  @@index([a(sort: ], b)\n}",
    "model A {\n  id Int @id\n}}}}",
    "😀 model 漢字 { é }",
    "model A {\r\n  id Int @id\r",
    "\u0000\u0001\u0002",
    "model A { id Int @id } model B { id Int @id }",
    "/// only a doc comment",
    'model A {\n  id Int[]? @id\n  b Unsupported("x"\n}',
    'generator g {\n  previewFeatures = ["a", "b"\n}',
    "model A {\n  id Int @id @db.\n}",
    "model A {\n  id -1\n}",
  ];

  it.each(garbage.map((text) => [JSON.stringify(text), text]))("never throws on %s", (_label, text) => {
    let parsed: Schema | undefined;
    expect(() => {
      parsed = parseSchemaText(text);
    }).not.toThrow();
    checkInvariants(text, parsed!);
  });

  const cuts = [
    ...new Set([
      ...Array.from({ length: 40 }, (_, i) => Math.floor(((i + 1) * SCHEMA.length) / 41)),
      ...[...SCHEMA.matchAll(/[{}()[\]"@\n]/g)].map((m) => m.index!).filter((_, i) => i % 9 === 0),
    ]),
  ].sort((a, b) => a - b);

  it(`has a few dozen truncation points (${cuts.length})`, () => {
    expect(cuts.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cuts)("never throws on the schema truncated at offset %i, and keeps every range valid", (cut) => {
    const text = SCHEMA.slice(0, cut);
    const parsed = parseSchemaText(text);
    checkInvariants(text, parsed);
    const openBlocks = parsed.body.filter((b) => b.closeBrace === null);
    if (openBlocks.length > 0) expect(parsed.errors.length).toBeGreaterThan(0);
  });

  it("never throws on the schema with every line dropped in turn", () => {
    const lines = SCHEMA.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const text = [...lines.slice(0, i), ...lines.slice(i + 1)].join("\n");
      checkInvariants(text, parseSchemaText(text));
    }
  });
});

describe("parseSchemaText on values nested deeper than any schema", () => {
  it("2,600 nested brackets: one error at the value, no stack overflow, the rest of the model parsed", () => {
    const depth = 2600;
    const text = `model A {\n  id Int @id\n  @@index(${"[".repeat(depth)}id${"]".repeat(depth)})\n  name String\n}\n`;
    const parsed = parseSchemaText(text);
    checkInvariants(text, parsed);
    expect(parsed.errors.map((e) => [e.message, e.loc.start.line])).toEqual([["Values nested more than 100 levels deep.", 3]]);
    expect(
      block(parsed, "A")
        .members.filter((m) => m.type === "Field")
        .map((f) => (f as Field).name.name),
    ).toEqual(["id", "name"]);
  });

  it("2,600 nested calls: the same", () => {
    const depth = 2600;
    const text = `model A {\n  id Int @id @default(${"f(".repeat(depth)}${")".repeat(depth)})\n}\n`;
    const parsed = parseSchemaText(text);
    checkInvariants(text, parsed);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.message).toBe("Values nested more than 100 levels deep.");
  });
});
