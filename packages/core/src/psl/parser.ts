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
  SyntaxError,
} from "./ast.js";
import { LineIndex } from "./line-index.js";
import * as N from "./nodes.js";
import { endOf, startOf } from "./nodes.js";

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

// Token kinds of the scanner's arrays. Comments are not tokens: the scanner collects them apart.
const IDENT = 1;
const STRING = 2;
const NUMBER = 3;
const PUNCT = 4;
const NEWLINE = 5;
const EOF = 6;
const KIND_NAMES: TokenKind[] = ["eof", "ident", "string", "number", "punct", "newline", "eof"];

// Punctuation codes: the character code, or BRACKETS for `[]` (read as one token, a list type).
const BRACKETS = 0x10000;
const AT = 64;
const DOT = 46;
const COMMA = 44;
const COLON = 58;
const EQUALS = 61;
const QUESTION = 63;
const BANG = 33;
const LPAREN = 40;
const RPAREN = 41;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

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

/** `[0-9.eE_+-]`: what a number literal continues with. */
function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 46 || c === 101 || c === 69 || c === 95 || c === 43 || c === 45;
}

/**
 * The tokens of a text as parallel arrays (kind, start, end, punctuation code), with the comments'
 * `[start, end]` apart: a 300-model schema has ~60,000 tokens, and an object per token was a
 * good part of the parser's allocation, which a re-lint in the editor pays on every keystroke.
 */
class Scan {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  codes: Int32Array;
  /** start, end of each comment, in source order. */
  readonly comments: number[] = [];

  constructor(readonly text: string) {
    const capacity = (text.length >> 2) + 16;
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.codes = new Int32Array(capacity);
    this.run();
  }

  private push(kind: number, start: number, end: number, code: number): void {
    if (this.count === this.kinds.length) this.grow();
    const k = this.count++;
    this.kinds[k] = kind;
    this.starts[k] = start;
    this.ends[k] = end;
    this.codes[k] = code;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ends = ends;
    const codes = new Int32Array(size);
    codes.set(this.codes);
    this.codes = codes;
  }

  private run(): void {
    const text = this.text;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      // A line ends at \n, and at a lone \r (old Mac line endings), as ESLint's lines do.
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.push(NEWLINE, i, i + 1, 0);
        i++;
        continue;
      }
      // space, tab, the \r of \r\n, \f, \v, byte-order mark
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
        i++;
        continue;
      }
      if (c === 47 && text.charCodeAt(i + 1) === 47) {
        let j = i + 2;
        for (let d = text.charCodeAt(j); j < n && d !== 10 && d !== 13; d = text.charCodeAt(++j));
        this.comments.push(i, j);
        i = j;
        continue;
      }
      if (c === 34) {
        let j = i + 1;
        for (;;) {
          if (j >= n) break;
          const d = text.charCodeAt(j);
          if (d === 34 || d === 10 || d === 13) break;
          if (d === 92) j++;
          j++;
        }
        const end = Math.min(j + 1, n);
        this.push(STRING, i, end, 0);
        i = end;
        continue;
      }
      if (isDigit(c) || (c === 45 && isDigit(text.charCodeAt(i + 1)))) {
        let j = i + 1;
        while (j < n && isNumberPart(text.charCodeAt(j))) j++;
        this.push(NUMBER, i, j, 0);
        i = j;
        continue;
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        this.push(IDENT, i, j, 0);
        i = j;
        continue;
      }
      if (c === LBRACKET && text.charCodeAt(i + 1) === RBRACKET) {
        this.push(PUNCT, i, i + 2, BRACKETS);
        i += 2;
        continue;
      }
      // Punctuation, and anything else that is not PSL: kept as a token so the parser reports it at its place.
      this.push(PUNCT, i, i + 1, c);
      i++;
    }
    this.push(EOF, n, n, 0);
  }
}

/** The tokens of a PSL text, comments included, in source order. */
export function tokenize(text: string): Token[] {
  const scan = new Scan(text);
  const tokens: Token[] = [];
  let c = 0;
  for (let k = 0; k < scan.count; k++) {
    const start = scan.starts[k]!;
    for (; c < scan.comments.length && scan.comments[c]! < start; c += 2) {
      const [cs, ce] = [scan.comments[c]!, scan.comments[c + 1]!];
      tokens.push({ kind: "comment", value: text.slice(cs + 2, ce), start: cs, end: ce });
    }
    tokens.push({ kind: KIND_NAMES[scan.kinds[k]!]!, value: text.slice(start, scan.ends[k]!), start, end: scan.ends[k]! });
  }
  return tokens;
}

function unquote(raw: string): string {
  const body = raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  return body.includes("\\") ? body.replace(/\\(.)/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c)) : body;
}

/**
 * The strings of names and literals, by their text, kept from one parse to the next: a schema
 * writes a few thousand distinct names ~20,000 times, and an editor re-parses it on every edit.
 * A string found here costs the parser no allocation and the garbage collector no copying.
 * Bounded: when half full, it starts again empty. Only strings shorter than 13 characters: V8
 * makes longer slices views into the whole text, and the table would keep old texts alive.
 */
class Strings {
  private static readonly SIZE = 1 << 14;
  private slots: (string | undefined)[] = new Array<string | undefined>(Strings.SIZE).fill(undefined);
  private count = 0;

  get(text: string, start: number, end: number): string {
    const length = end - start;
    if (length >= 13) return text.slice(start, end);
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const mask = Strings.SIZE - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const known = this.slots[slot];
      if (known === undefined) break;
      if (known.length === length && text.startsWith(known, start)) return known;
    }
    if (this.count >= Strings.SIZE >> 1) {
      this.slots.fill(undefined);
      this.count = 0;
    }
    const value = text.slice(start, end);
    let slot = hash & mask;
    while (this.slots[slot] !== undefined) slot = (slot + 1) & mask;
    this.slots[slot] = value;
    this.count++;
    return value;
  }
}

const strings = new Strings();

/** Tokens are indices into the scan's arrays. */
type Tok = number;

/** Deeper than any real schema nests values; bounds the recursion of the expression parser. */
const MAX_NESTING = 100;

class Parser {
  private pos = 0;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly codes: Int32Array;
  private readonly eof: Tok;
  /** start, end of each comment. */
  private readonly commentBounds: number[];
  readonly comments: Comment[] = [];
  readonly errors: SyntaxError[] = [];
  /**
   * Members, attributes, arguments and elements being read, of all the lists open at once: each
   * list is copied out at its exact length when it ends, rather than kept in an array grown by
   * `push` (a 6,000-field schema has thousands of one-element lists).
   */
  private readonly scratch: unknown[] = [];
  /** End offset of the last argument list read (`parseArgumentList`'s second result). */
  private listEnd = 0;
  /** How many arrays and calls the expression being parsed is inside. */
  private nesting = 0;
  /** End offset of the last name `dottedName` read. */
  private nameEnd = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {
    const scan = new Scan(text);
    this.kinds = scan.kinds;
    this.starts = scan.starts;
    this.ends = scan.ends;
    this.codes = scan.codes;
    this.eof = scan.count - 1;
    const bounds = (this.commentBounds = scan.comments);
    for (let c = 0; c < bounds.length; c += 2) {
      const start = bounds[c]!;
      const end = bounds[c + 1]!;
      this.comments.push(N.comment(lines, text.slice(start + 2, end), start, end));
    }
  }

  private peek(offset = 0): Tok {
    const t = this.pos + offset;
    return t < this.eof ? t : this.eof;
  }

  private next(): Tok {
    const t = this.pos;
    if (t < this.eof) this.pos++;
    return t;
  }

  private kind(t: Tok): number {
    return this.kinds[t]!;
  }

  private start(t: Tok): number {
    return this.starts[t]!;
  }

  private end(t: Tok): number {
    return this.ends[t]!;
  }

  private value(t: Tok): string {
    return strings.get(this.text, this.starts[t]!, this.ends[t]!);
  }

  /** The items pushed on `scratch` since `mark`, as an array of their own; `scratch` back to `mark`. */
  private collect<T>(mark: number): T[] {
    if (this.scratch.length === mark) return [];
    const items = this.scratch.slice(mark) as T[];
    this.scratch.length = mark;
    return items;
  }

  private skipNewlines(): void {
    while (this.kinds[this.pos] === NEWLINE) this.pos++;
  }

  private isPunct(t: Tok, code: number): boolean {
    return this.kinds[t] === PUNCT && this.codes[t] === code;
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, range: [start, end], loc: this.lines.loc(start, end) });
  }

  /** Skip to the end of the current line (respecting brackets), after an error. */
  private recoverToLineEnd(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      const kind = this.kind(t);
      if (kind === EOF) return;
      if (kind === NEWLINE && depth <= 0) return;
      if (this.isPunct(t, LPAREN) || this.isPunct(t, LBRACKET)) depth++;
      if (this.isPunct(t, RPAREN) || this.isPunct(t, RBRACKET)) depth--;
      if (this.isPunct(t, RBRACE) && depth <= 0) return;
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
      if (this.commentBounds[2 * mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return null;
    const docs: string[] = [];
    let line = this.lines.line(offset) - 1;
    for (let k = lo - 1; k >= 0; k--) {
      const c = this.comments[k]!;
      if (this.lines.line(this.commentBounds[2 * k]!) !== line || !c.value.startsWith("/")) break;
      docs.unshift(c.value.slice(1).trim());
      line--;
    }
    return docs.length > 0 ? docs.join("\n") : null;
  }

  private identifier(t: Tok): Identifier {
    return N.identifier(this.lines, this.value(t), this.start(t), this.end(t));
  }

  /** After a name token: `.part`s that follow it (`db.VarChar`), as the whole name and its end. */
  private dottedName(first: Tok): string {
    const start = this.start(first);
    let end = this.end(first);
    // Set once the name is not one stretch of source text (`db . VarChar`).
    let name: string | null = null;
    while (this.isPunct(this.peek(), DOT) && this.kind(this.peek(1)) === IDENT) {
      const dot = this.next();
      const part = this.next();
      if (name === null && (this.start(dot) !== end || this.start(part) !== this.end(dot))) name = strings.get(this.text, start, end);
      if (name !== null) name += `.${this.value(part)}`;
      end = this.end(part);
    }
    this.nameEnd = end;
    return name ?? strings.get(this.text, start, end);
  }

  parseSchema(): Schema {
    const body: Block[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      const kind = this.kind(t);
      if (kind === EOF) break;
      if (kind === IDENT && BLOCK_KINDS.has(this.value(t) as BlockKind) && this.kind(this.peek(1)) === IDENT) {
        body.push(this.parseBlock());
        continue;
      }
      this.error(`Unexpected \`${this.value(t)}\`: expected a model, enum, type, view, datasource or generator block.`, this.start(t), this.end(t));
      this.recoverToLineEnd();
      if (this.isPunct(this.peek(), RBRACE)) this.next();
    }
    return N.schema(this.lines, body, this.comments, this.errors, this.text.length);
  }

  private parseBlock(): Block {
    const kw = this.next();
    const nameTok = this.next();
    const kind = this.value(kw) as BlockKind;
    const mark = this.scratch.length;
    let lastEnd = this.end(nameTok);
    let closeBrace: [number, number] | null = null;
    const open = this.peek();
    if (!this.isPunct(open, LBRACE)) {
      this.error(`Expected \`{\` after ${kind} ${this.value(nameTok)}.`, this.start(open), this.end(open));
      this.recoverToLineEnd();
    } else {
      this.next();
      for (;;) {
        this.skipNewlines();
        const t = this.peek();
        if (this.kind(t) === EOF) {
          this.error(`Missing \`}\` to close ${kind} ${this.value(nameTok)}.`, this.start(kw), this.end(nameTok));
          break;
        }
        if (this.isPunct(t, RBRACE)) {
          this.next();
          closeBrace = [this.start(t), this.end(t)];
          break;
        }
        const member = this.parseMember(kind);
        if (member) {
          this.scratch.push(member);
          lastEnd = endOf(member);
        } else this.recoverToLineEnd();
      }
    }
    const start = this.start(kw);
    const members = this.collect<Member>(mark);
    const end = closeBrace ? closeBrace[1] : lastEnd;
    return N.block(this.lines, kind, this.identifier(nameTok), members, closeBrace, this.docAbove(start), start, end);
  }

  private parseMember(kind: BlockKind): Member | null {
    const t = this.peek();
    if (this.isPunct(t, AT)) {
      const attr = this.parseAttribute();
      if (attr && !attr.isBlock) this.error("A field attribute must follow a field.", startOf(attr), endOf(attr));
      return attr;
    }
    if (this.kind(t) !== IDENT) {
      this.error(`Unexpected \`${this.value(t)}\` in ${kind} block.`, this.start(t), this.end(t));
      return null;
    }
    if (kind === "datasource" || kind === "generator") return this.parseProperty();
    if (kind === "enum") return this.parseEnumValue();
    return this.parseField();
  }

  private parseProperty(): Property | null {
    const keyTok = this.next();
    const eq = this.peek();
    if (!this.isPunct(eq, EQUALS)) {
      this.error(`Expected \`=\` after \`${this.value(keyTok)}\`.`, this.start(eq), this.end(eq));
      return null;
    }
    this.next();
    const value = this.parseExpression();
    const start = this.start(keyTok);
    const end = value ? endOf(value) : this.end(eq);
    return N.property(this.lines, this.identifier(keyTok), value, start, end);
  }

  private parseEnumValue(): EnumValue {
    const nameTok = this.next();
    const attributes = this.parseTrailingAttributes();
    const start = this.start(nameTok);
    const end = attributes.length > 0 ? endOf(attributes[attributes.length - 1]!) : this.end(nameTok);
    return N.enumValue(this.lines, this.identifier(nameTok), attributes, start, end);
  }

  private parseField(): Field | null {
    const nameTok = this.next();
    const fieldType = this.parseFieldType();
    const attributes = this.parseTrailingAttributes();
    const start = this.start(nameTok);
    const end = attributes.length > 0 ? endOf(attributes[attributes.length - 1]!) : fieldType ? endOf(fieldType) : this.end(nameTok);
    return N.field(this.lines, this.identifier(nameTok), fieldType, attributes, this.docAbove(start), start, end);
  }

  private parseFieldType(): FieldType | null {
    const t = this.peek();
    if (this.kind(t) !== IDENT) {
      this.error(`Expected a type for the field.`, this.start(t), this.end(t));
      return null;
    }
    this.next();
    // `db.Foo` style is not a type, but tolerate dotted names.
    const name = this.dottedName(t);
    let end = this.nameEnd;
    let unsupported = false;
    if (this.isPunct(this.peek(), LPAREN)) {
      unsupported = name === "Unsupported";
      end = this.skipBalanced();
    }
    let list = false;
    let optional = false;
    if (this.isPunct(this.peek(), BRACKETS)) {
      list = true;
      end = this.end(this.next());
    }
    if (this.isPunct(this.peek(), QUESTION) || this.isPunct(this.peek(), BANG)) {
      optional = this.isPunct(this.peek(), QUESTION);
      end = this.end(this.next());
    }
    const start = this.start(t);
    return N.fieldType(this.lines, name, optional, list, unsupported, start, end);
  }

  /** Skips a parenthesised group, returns its end offset. */
  private skipBalanced(): number {
    let depth = 0;
    let end = this.end(this.peek());
    for (;;) {
      const t = this.peek();
      if (this.kind(t) === EOF) return end;
      this.next();
      end = this.end(t);
      if (this.isPunct(t, LPAREN) || this.isPunct(t, LBRACKET)) depth++;
      if (this.isPunct(t, RPAREN) || this.isPunct(t, RBRACKET)) depth--;
      if (depth <= 0) return end;
    }
  }

  private parseTrailingAttributes(): Attribute[] {
    const mark = this.scratch.length;
    for (;;) {
      const t = this.peek();
      const kind = this.kind(t);
      if (kind === NEWLINE || kind === EOF || this.isPunct(t, RBRACE)) break;
      if (!this.isPunct(t, AT)) {
        this.error(`Unexpected \`${this.value(t)}\`: expected an attribute or the end of the line.`, this.start(t), this.end(t));
        this.recoverToLineEnd();
        break;
      }
      const attr = this.parseAttribute();
      if (!attr) {
        this.recoverToLineEnd();
        break;
      }
      this.scratch.push(attr);
    }
    return this.collect<Attribute>(mark);
  }

  private parseAttribute(): Attribute | null {
    const at = this.next();
    const start = this.start(at);
    let isBlock = false;
    const second = this.peek();
    if (this.isPunct(second, AT) && this.start(second) === this.end(at)) {
      isBlock = true;
      this.next();
    }
    const first = this.peek();
    if (this.kind(first) !== IDENT) {
      this.error("Expected an attribute name after `@`.", start, this.end(first));
      return null;
    }
    this.next();
    const name = this.dottedName(first);
    const nameEnd = this.nameEnd;
    let args: Argument[] | null = null;
    let end = nameEnd;
    const paren = this.peek();
    if (this.isPunct(paren, LPAREN) && this.start(paren) === nameEnd) {
      args = this.parseArgumentList();
      end = this.listEnd;
    }
    return N.attribute(this.lines, isBlock, name, nameEnd, args, start, end);
  }

  /** Parses `( ... )` starting at `(`, leaving its end offset in `listEnd`. Newlines inside are insignificant. */
  private parseArgumentList(): Argument[] {
    const open = this.next();
    const mark = this.scratch.length;
    let end = this.end(open);
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.kind(t) === EOF) {
        this.error("Missing `)`.", this.start(open), this.end(open));
        this.listEnd = end;
        return this.collect<Argument>(mark);
      }
      if (this.isPunct(t, RPAREN)) {
        this.next();
        this.listEnd = this.end(t);
        return this.collect<Argument>(mark);
      }
      if (this.isPunct(t, COMMA)) {
        this.next();
        continue;
      }
      if (this.isPunct(t, RBRACE)) {
        this.error("Missing `)`.", this.start(open), this.end(open));
        this.listEnd = end;
        return this.collect<Argument>(mark);
      }
      let name: Identifier | null = null;
      if (this.kind(t) === IDENT && this.isPunct(this.peek(1), COLON)) {
        name = this.identifier(this.next());
        this.next();
        this.skipNewlines();
      }
      const value = this.parseExpression();
      if (!value) {
        end = this.end(this.next());
        continue;
      }
      end = endOf(value);
      this.scratch.push(N.argument(this.lines, name, value, name ? startOf(name) : startOf(value), end));
    }
  }

  private parseExpression(): Expression | null {
    const t = this.peek();
    const kind = this.kind(t);
    const start = this.start(t);
    if (kind === STRING) {
      this.next();
      const raw = this.value(t);
      const end = this.end(t);
      const plain = raw.length > 1 && raw.endsWith('"') && !raw.includes("\\");
      return N.stringLiteral(this.lines, plain ? strings.get(this.text, start + 1, end - 1) : unquote(raw), raw, start, end);
    }
    if (kind === NUMBER) {
      this.next();
      const raw = this.value(t);
      return N.numberLiteral(this.lines, Number(raw), raw, start, this.end(t));
    }
    if (this.isPunct(t, LBRACKET) || this.isPunct(t, BRACKETS)) {
      if (this.nesting >= MAX_NESTING) return this.skipTooDeep(start);
      this.nesting++;
      try {
        return this.parseArray();
      } finally {
        this.nesting--;
      }
    }
    if (kind === IDENT) {
      this.next();
      const name = this.dottedName(t);
      const end = this.nameEnd;
      if (this.isPunct(this.peek(), LPAREN)) {
        const callee = N.identifier(this.lines, name, start, end);
        if (this.nesting >= MAX_NESTING) return this.skipTooDeep(start);
        this.nesting++;
        try {
          const args = this.parseArgumentList();
          return N.functionCall(this.lines, callee, args, start, this.listEnd);
        } finally {
          this.nesting--;
        }
      }
      return N.pathExpression(this.lines, name, start, end);
    }
    this.error(`Unexpected \`${this.value(t)}\`: expected a value.`, start, this.end(t));
    return null;
  }

  /**
   * A value nested deeper than any schema needs (`@@index([[[[...`): one error at its start, and
   * the balanced group skipped without recursion, so no input can exhaust the stack.
   */
  private skipTooDeep(start: number): ArrayExpression {
    this.error(`Values nested more than ${MAX_NESTING} levels deep.`, start, this.end(this.peek()));
    let depth = 0;
    let end = start;
    for (;;) {
      const t = this.peek();
      const kind = this.kind(t);
      if (kind === EOF || (depth <= 0 && (this.isPunct(t, RBRACE) || this.isPunct(t, COMMA) || this.isPunct(t, RPAREN) || this.isPunct(t, RBRACKET)))) break;
      if (this.isPunct(t, LPAREN) || this.isPunct(t, LBRACKET)) depth++;
      else if (this.isPunct(t, RPAREN) || this.isPunct(t, RBRACKET)) depth--;
      end = this.end(this.next());
      if (depth <= 0 && kind !== NEWLINE) break;
    }
    return N.arrayExpression(this.lines, [], start, end);
  }

  private parseArray(): ArrayExpression {
    const open = this.next();
    const start = this.start(open);
    if (this.isPunct(open, BRACKETS)) {
      return N.arrayExpression(this.lines, [], start, this.end(open));
    }
    const mark = this.scratch.length;
    let lastEnd = this.end(open);
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isPunct(t, RBRACKET)) {
        this.next();
        return N.arrayExpression(this.lines, this.collect<Expression>(mark), start, this.end(t));
      }
      if (this.kind(t) === EOF || this.isPunct(t, RPAREN) || this.isPunct(t, RBRACE)) {
        this.error("Missing `]`.", start, this.end(open));
        return N.arrayExpression(this.lines, this.collect<Expression>(mark), start, lastEnd);
      }
      if (this.isPunct(t, COMMA)) {
        this.next();
        continue;
      }
      const value = this.parseExpression();
      if (value) {
        this.scratch.push(value);
        lastEnd = endOf(value);
      } else this.next();
    }
  }
}

/** Parse a PSL text. `lines`: the text's line index, when the caller has one already. */
export function parseSchemaText(text: string, lines: LineIndex = new LineIndex(text)): Schema {
  const parser = new Parser(text, lines);
  return parser.parseSchema();
}
