import type {
  Argument,
  ArrayExpression,
  Attribute,
  Block,
  BlockKind,
  Comment,
  EnumValue,
  Expression,
  Field,
  FieldType,
  Identifier,
  Member,
  Property,
  Schema,
  SourceLocation,
  SyntaxError,
} from "./ast.js";
import { LineIndex } from "./line-index.js";

/**
 * A tolerant parser for the Prisma Schema Language. Prisma itself decides whether a schema is
 * valid (see loader.ts); this parser only has to give every construct of a valid schema its exact
 * position, and never throw on an invalid one: what it cannot read it records in `errors` and
 * skips to the next line.
 */

type TokenKind = "ident" | "string" | "number" | "punct" | "newline" | "comment" | "eof";

interface Token {
  kind: TokenKind;
  value: string;
  start: number;
  end: number;
}

const BLOCK_KINDS = new Set<BlockKind>(["model", "view", "type", "enum", "datasource", "generator"]);
const PUNCT = new Set(["{", "}", "(", ")", "[", "]", ",", ":", "=", "?", "!", "@", "."]);

// Character tests by code: this loop runs once per character of schemas of 10,000+ lines.
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 127 && /\p{L}/u.test(String.fromCharCode(c)));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 45;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === "\n") {
      tokens.push({ kind: "newline", value: "\n", start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v" || ch === "\uFEFF") {
      i++;
      continue;
    }
    if (ch === "/" && text[i + 1] === "/") {
      let j = i + 2;
      while (j < n && text[j] !== "\n" && text[j] !== "\r") j++;
      tokens.push({ kind: "comment", value: text.slice(i + 2, j), start: i, end: j });
      i = j;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"' && text[j] !== "\n") {
        if (text[j] === "\\") j++;
        j++;
      }
      const end = Math.min(j + 1, n);
      tokens.push({ kind: "string", value: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const code = text.charCodeAt(i);
    if (isDigit(code) || (ch === "-" && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && /[0-9.eE_+-]/.test(text[j]!)) j++;
      tokens.push({ kind: "number", value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (isIdentStart(code)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: "ident", value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (ch === "[" && text[i + 1] === "]") {
      tokens.push({ kind: "punct", value: "[]", start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (PUNCT.has(ch)) {
      tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    // Anything else is not PSL; keep it as a token so the parser reports it at its place.
    tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
    i++;
  }
  tokens.push({ kind: "eof", value: "", start: n, end: n });
  return tokens;
}

function unquote(raw: string): string {
  const body = raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  return body.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  readonly comments: Comment[] = [];
  readonly errors: SyntaxError[] = [];

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {
    const all = tokenize(text);
    this.tokens = [];
    for (const t of all) {
      if (t.kind === "comment") {
        this.comments.push({
          type: "Line",
          value: t.value,
          range: [t.start, t.end],
          loc: this.loc(t.start, t.end),
        });
      }
      this.tokens.push(t);
    }
  }

  loc(start: number, end: number): SourceLocation {
    return { start: this.lines.position(start), end: this.lines.position(end) };
  }

  private peek(offset = 0): Token {
    let i = this.pos;
    let seen = 0;
    while (i < this.tokens.length) {
      const t = this.tokens[i]!;
      if (t.kind !== "comment") {
        if (seen === offset) return t;
        seen++;
      }
      i++;
    }
    return this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    while (this.tokens[this.pos]?.kind === "comment") this.pos++;
    const t = this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1]!;
    if (t.kind !== "eof") this.pos++;
    return t;
  }

  private skipNewlines(): void {
    while (this.peek().kind === "newline") this.next();
  }

  private isPunct(t: Token, value: string): boolean {
    return t.kind === "punct" && t.value === value;
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, range: [start, end], loc: this.loc(start, end) });
  }

  /** Skip to the end of the current line (respecting brackets), after an error. */
  private recoverToLineEnd(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") return;
      if (t.kind === "newline" && depth <= 0) return;
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      if (t.kind === "punct" && (t.value === ")" || t.value === "]")) depth--;
      if (t.kind === "punct" && t.value === "}" && depth <= 0) return;
      this.next();
    }
  }

  /** The `///` documentation directly above the token at `offset`. */
  private docAbove(offset: number): string | null {
    // Comments are in source order: binary-search the last one before `offset`.
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]!.range[0] < offset) lo = mid + 1;
      else hi = mid;
    }
    const docs: string[] = [];
    let line = this.lines.position(offset).line - 1;
    for (let k = lo - 1; k >= 0; k--) {
      const c = this.comments[k]!;
      if (c.loc.start.line !== line || !c.value.startsWith("/")) break;
      docs.unshift(c.value.slice(1).trim());
      line--;
    }
    return docs.length > 0 ? docs.join("\n") : null;
  }

  private identifier(t: Token): Identifier {
    return { type: "Identifier", name: t.value, range: [t.start, t.end], loc: this.loc(t.start, t.end) };
  }

  parseSchema(): Schema {
    const body: Block[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === "eof") break;
      if (t.kind === "ident" && BLOCK_KINDS.has(t.value as BlockKind) && this.peek(1).kind === "ident") {
        body.push(this.parseBlock());
        continue;
      }
      this.error(`Unexpected \`${t.value}\`: expected a model, enum, type, view, datasource or generator block.`, t.start, t.end);
      this.recoverToLineEnd();
      if (this.isPunct(this.peek(), "}")) this.next();
    }
    const end = this.text.length;
    return {
      type: "Schema",
      body,
      comments: this.comments,
      errors: this.errors,
      range: [0, end],
      loc: this.loc(0, end),
    };
  }

  private parseBlock(): Block {
    const kw = this.next();
    const nameTok = this.next();
    const kind = kw.value as BlockKind;
    const members: Member[] = [];
    let closeBrace: [number, number] | null = null;
    const open = this.peek();
    if (!this.isPunct(open, "{")) {
      this.error(`Expected \`{\` after ${kind} ${nameTok.value}.`, open.start, open.end);
      this.recoverToLineEnd();
    } else {
      this.next();
      for (;;) {
        this.skipNewlines();
        const t = this.peek();
        if (t.kind === "eof") {
          this.error(`Missing \`}\` to close ${kind} ${nameTok.value}.`, kw.start, nameTok.end);
          break;
        }
        if (this.isPunct(t, "}")) {
          this.next();
          closeBrace = [t.start, t.end];
          break;
        }
        const member = this.parseMember(kind);
        if (member) members.push(member);
        else this.recoverToLineEnd();
      }
    }
    const end = closeBrace ? closeBrace[1] : (members.at(-1)?.range[1] ?? nameTok.end);
    return {
      type: "Block",
      kind,
      name: this.identifier(nameTok),
      members,
      closeBrace,
      documentation: this.docAbove(kw.start),
      range: [kw.start, end],
      loc: this.loc(kw.start, end),
    };
  }

  private parseMember(kind: BlockKind): Member | null {
    const t = this.peek();
    if (this.isPunct(t, "@")) {
      const attr = this.parseAttribute();
      if (attr && !attr.isBlock) this.error("A field attribute must follow a field.", attr.range[0], attr.range[1]);
      return attr;
    }
    if (t.kind !== "ident") {
      this.error(`Unexpected \`${t.value}\` in ${kind} block.`, t.start, t.end);
      return null;
    }
    if (kind === "datasource" || kind === "generator") return this.parseProperty();
    if (kind === "enum") return this.parseEnumValue();
    return this.parseField();
  }

  private parseProperty(): Property | null {
    const keyTok = this.next();
    const eq = this.peek();
    if (!this.isPunct(eq, "=")) {
      this.error(`Expected \`=\` after \`${keyTok.value}\`.`, eq.start, eq.end);
      return null;
    }
    this.next();
    const value = this.parseExpression();
    const end = value ? value.range[1] : eq.end;
    return {
      type: "Property",
      key: this.identifier(keyTok),
      value,
      range: [keyTok.start, end],
      loc: this.loc(keyTok.start, end),
    };
  }

  private parseEnumValue(): EnumValue {
    const nameTok = this.next();
    const attributes = this.parseTrailingAttributes();
    const end = attributes.at(-1)?.range[1] ?? nameTok.end;
    return {
      type: "EnumValue",
      name: this.identifier(nameTok),
      attributes,
      range: [nameTok.start, end],
      loc: this.loc(nameTok.start, end),
    };
  }

  private parseField(): Field | null {
    const nameTok = this.next();
    const fieldType = this.parseFieldType();
    const attributes = this.parseTrailingAttributes();
    const end = attributes.at(-1)?.range[1] ?? fieldType?.range[1] ?? nameTok.end;
    return {
      type: "Field",
      name: this.identifier(nameTok),
      fieldType,
      attributes,
      documentation: this.docAbove(nameTok.start),
      range: [nameTok.start, end],
      loc: this.loc(nameTok.start, end),
    };
  }

  private parseFieldType(): FieldType | null {
    const t = this.peek();
    if (t.kind !== "ident") {
      this.error(`Expected a type for the field.`, t.start, t.end);
      return null;
    }
    this.next();
    let name = t.value;
    let end = t.end;
    let unsupported = false;
    // `db.Foo` style is not a type, but tolerate dotted names.
    while (this.isPunct(this.peek(), ".") && this.peek(1).kind === "ident") {
      this.next();
      const part = this.next();
      name += `.${part.value}`;
      end = part.end;
    }
    if (this.isPunct(this.peek(), "(")) {
      unsupported = name === "Unsupported";
      end = this.skipBalanced();
    }
    let list = false;
    let optional = false;
    if (this.isPunct(this.peek(), "[]")) {
      list = true;
      end = this.next().end;
    }
    if (this.isPunct(this.peek(), "?") || this.isPunct(this.peek(), "!")) {
      optional = this.peek().value === "?";
      end = this.next().end;
    }
    return { type: "FieldType", name, optional, list, unsupported, range: [t.start, end], loc: this.loc(t.start, end) };
  }

  /** Skips a parenthesised group, returns its end offset. */
  private skipBalanced(): number {
    let depth = 0;
    let end = this.peek().end;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") return end;
      this.next();
      end = t.end;
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      if (t.kind === "punct" && (t.value === ")" || t.value === "]")) depth--;
      if (depth <= 0) return end;
    }
  }

  private parseTrailingAttributes(): Attribute[] {
    const attrs: Attribute[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "newline" || t.kind === "eof" || this.isPunct(t, "}")) break;
      if (!this.isPunct(t, "@")) {
        this.error(`Unexpected \`${t.value}\`: expected an attribute or the end of the line.`, t.start, t.end);
        this.recoverToLineEnd();
        break;
      }
      const attr = this.parseAttribute();
      if (!attr) {
        this.recoverToLineEnd();
        break;
      }
      attrs.push(attr);
    }
    return attrs;
  }

  private parseAttribute(): Attribute | null {
    const at = this.next();
    let isBlock = false;
    const second = this.peek();
    if (this.isPunct(second, "@") && second.start === at.end) {
      isBlock = true;
      this.next();
    }
    const first = this.peek();
    if (first.kind !== "ident") {
      this.error("Expected an attribute name after `@`.", at.start, first.end);
      return null;
    }
    this.next();
    let name = first.value;
    let nameEnd = first.end;
    while (this.isPunct(this.peek(), ".") && this.peek(1).kind === "ident") {
      this.next();
      const part = this.next();
      name += `.${part.value}`;
      nameEnd = part.end;
    }
    let args: Argument[] | null = null;
    let end = nameEnd;
    const paren = this.peek();
    if (this.isPunct(paren, "(") && paren.start === nameEnd) {
      const parsed = this.parseArgumentList();
      args = parsed.args;
      end = parsed.end;
    }
    return {
      type: "Attribute",
      isBlock,
      name,
      nameRange: [at.start, nameEnd],
      args,
      range: [at.start, end],
      loc: this.loc(at.start, end),
    };
  }

  /** Parses `( ... )` starting at `(`. Newlines inside are insignificant. */
  private parseArgumentList(): { args: Argument[]; end: number } {
    const open = this.next();
    const args: Argument[] = [];
    let end = open.end;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === "eof") {
        this.error("Missing `)`.", open.start, open.end);
        return { args, end };
      }
      if (this.isPunct(t, ")")) {
        this.next();
        return { args, end: t.end };
      }
      if (this.isPunct(t, ",")) {
        this.next();
        continue;
      }
      if (this.isPunct(t, "}")) {
        this.error("Missing `)`.", open.start, open.end);
        return { args, end };
      }
      let name: Identifier | null = null;
      if (t.kind === "ident" && this.isPunct(this.peek(1), ":")) {
        name = this.identifier(this.next());
        this.next();
        this.skipNewlines();
      }
      const value = this.parseExpression();
      if (!value) {
        const bad = this.next();
        end = bad.end;
        continue;
      }
      const start = name ? name.range[0] : value.range[0];
      args.push({ type: "Argument", name, value, range: [start, value.range[1]], loc: this.loc(start, value.range[1]) });
      end = value.range[1];
    }
  }

  private parseExpression(): Expression | null {
    const t = this.peek();
    if (t.kind === "string") {
      this.next();
      return { type: "StringLiteral", value: unquote(t.value), raw: t.value, range: [t.start, t.end], loc: this.loc(t.start, t.end) };
    }
    if (t.kind === "number") {
      this.next();
      return { type: "NumberLiteral", value: Number(t.value), raw: t.value, range: [t.start, t.end], loc: this.loc(t.start, t.end) };
    }
    if (this.isPunct(t, "[") || this.isPunct(t, "[]")) return this.parseArray();
    if (t.kind === "ident") {
      this.next();
      let name = t.value;
      let end = t.end;
      while (this.isPunct(this.peek(), ".") && this.peek(1).kind === "ident") {
        this.next();
        const part = this.next();
        name += `.${part.value}`;
        end = part.end;
      }
      if (this.isPunct(this.peek(), "(")) {
        const callee: Identifier = { type: "Identifier", name, range: [t.start, end], loc: this.loc(t.start, end) };
        const { args, end: callEnd } = this.parseArgumentList();
        return { type: "FunctionCall", callee, args, range: [t.start, callEnd], loc: this.loc(t.start, callEnd) };
      }
      return { type: "PathExpression", name, range: [t.start, end], loc: this.loc(t.start, end) };
    }
    this.error(`Unexpected \`${t.value}\`: expected a value.`, t.start, t.end);
    return null;
  }

  private parseArray(): ArrayExpression {
    const open = this.next();
    if (open.value === "[]") {
      return { type: "ArrayExpression", elements: [], range: [open.start, open.end], loc: this.loc(open.start, open.end) };
    }
    const elements: Expression[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isPunct(t, "]")) {
        this.next();
        return { type: "ArrayExpression", elements, range: [open.start, t.end], loc: this.loc(open.start, t.end) };
      }
      if (t.kind === "eof" || this.isPunct(t, ")") || this.isPunct(t, "}")) {
        this.error("Missing `]`.", open.start, open.end);
        const end = elements.at(-1)?.range[1] ?? open.end;
        return { type: "ArrayExpression", elements, range: [open.start, end], loc: this.loc(open.start, end) };
      }
      if (this.isPunct(t, ",")) {
        this.next();
        continue;
      }
      const value = this.parseExpression();
      if (value) elements.push(value);
      else this.next();
    }
  }
}

export function parseSchemaText(text: string): Schema {
  const parser = new Parser(text, new LineIndex(text));
  return parser.parseSchema();
}
