import { HujsonArray, HujsonMember, HujsonObject, HujsonString, HujsonValue } from './ast';
import { HujsonSyntaxError, quoteCharacter } from './errors';
import {
  CommentSpan,
  isValidNumberLiteral,
  isValidStringLiteral,
  scanBareLiteralEnd,
  scanStringEnd,
  skipExtras,
} from './scanner';
import { decodeUtf8, toWellFormed } from './utf8';

/** Deeper nesting than any policy file needs; the limit keeps hostile input from exhausting the stack. */
export const MAX_DEPTH = 1000;

/** A parsed document with the parts that standardizing needs. */
export interface HujsonDocument {
  readonly text: string;
  readonly root: HujsonValue;
  readonly comments: readonly CommentSpan[];
  /** Offsets of the commas that end an array or object. */
  readonly trailingCommas: readonly number[];
}

/**
 * Parses strict HuJSON: JSON plus `//` and `/* *\/` comments and trailing commas, nothing else.
 * Bytes are decoded as UTF-8, keeping invalid bytes in view so that they are reported where they are.
 * Throws HujsonSyntaxError with the reference implementation's message and byte-based position.
 */
export function parseHujson(input: string | Uint8Array): HujsonValue {
  return parseHujsonDocument(typeof input === 'string' ? input : decodeUtf8(input)).root;
}

export function parseHujsonDocument(text: string): HujsonDocument {
  const parser = new Parser(text);
  const root = parser.parseValue();
  if (parser.pos < text.length) {
    parser.fail(parser.pos, `invalid character ${quoteCharacter(text, parser.pos)} after top-level value`);
  }
  return { text, root, comments: parser.comments, trailingCommas: parser.trailingCommas };
}

class Parser {
  pos = 0;
  readonly comments: CommentSpan[] = [];
  readonly trailingCommas: number[] = [];
  private depth = 0;
  private readonly onComment = (c: CommentSpan) => this.comments.push(c);

  constructor(private readonly text: string) {}

  fail(index: number, reason: string): never {
    throw new HujsonSyntaxError(this.text, index, reason);
  }

  /** A value with the whitespace and comments around it. */
  parseValue(): HujsonValue {
    this.skipExtras();
    const value = this.parseTrimmedValue();
    this.skipExtras();
    return value;
  }

  private skipExtras(): void {
    this.pos = skipExtras(this.text, this.pos, this.onComment);
  }

  private parseTrimmedValue(): HujsonValue {
    const { text, pos } = this;
    if (pos >= text.length) this.fail(pos, 'parsing value: unexpected EOF');
    switch (text[pos]) {
      case '{':
        return this.nested(() => this.parseObject());
      case '[':
        return this.nested(() => this.parseArray());
      case '"':
        return this.parseString();
      case '}':
      case ']':
        return this.fail(pos, `invalid character '${text[pos]}' at start of value`);
      default:
        return this.parseBareLiteral();
    }
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(this.pos, `exceeded max depth of ${MAX_DEPTH}`);
    const value = parse();
    this.depth--;
    return value;
  }

  private parseObject(): HujsonObject {
    const start = this.pos++;
    const members: HujsonMember[] = [];
    const commas: number[] = [];
    for (;;) {
      this.skipExtras();
      if (this.text[this.pos] === '}') return this.close('object', start, members, commas);
      const nameStart = this.pos;
      const name = this.parseTrimmedValue();
      this.skipExtras();
      if (name.kind !== 'string') {
        this.fail(nameStart, `invalid character ${quoteCharacter(this.text, nameStart)} at start of object name`);
      }
      if (this.pos >= this.text.length) this.fail(this.pos, 'parsing object after name: unexpected EOF');
      if (this.text[this.pos] !== ':') {
        this.fail(this.pos, `invalid character ${quoteCharacter(this.text, this.pos)} after object name`);
      }
      this.pos++;
      members.push({ name, value: this.parseValue() });
      if (this.afterItem(commas, '}', 'object')) return this.close('object', start, members, commas);
    }
  }

  private parseArray(): HujsonArray {
    const start = this.pos++;
    const elements: HujsonValue[] = [];
    const commas: number[] = [];
    for (;;) {
      this.skipExtras();
      if (this.text[this.pos] === ']') return this.close('array', start, elements, commas);
      elements.push(this.parseTrimmedValue());
      this.skipExtras();
      if (this.afterItem(commas, ']', 'array')) return this.close('array', start, elements, commas);
    }
  }

  /** Consumes the `,` or closing bracket after an item; true when it was the closing bracket (left unconsumed). */
  private afterItem(commas: number[], closing: '}' | ']', what: 'object' | 'array'): boolean {
    const { text, pos } = this;
    if (pos >= text.length) this.fail(pos, `parsing ${what} after value: unexpected EOF`);
    if (text[pos] === closing) return true;
    if (text[pos] !== ',') {
      this.fail(pos, `invalid character ${quoteCharacter(text, pos)} after ${what} value (expecting ',' or '${closing}')`);
    }
    commas.push(this.pos++);
    return false;
  }

  private close(kind: 'object', start: number, items: HujsonMember[], commas: number[]): HujsonObject;
  private close(kind: 'array', start: number, items: HujsonValue[], commas: number[]): HujsonArray;
  private close(
    kind: 'object' | 'array',
    start: number,
    items: HujsonMember[] | HujsonValue[],
    commas: number[],
  ): HujsonObject | HujsonArray {
    if (items.length > 0 && commas.length === items.length) this.trailingCommas.push(commas[commas.length - 1]);
    const end = ++this.pos;
    return kind === 'object'
      ? { kind, start, end, members: items as HujsonMember[], commas }
      : { kind, start, end, elements: items as HujsonValue[], commas };
  }

  private parseString(): HujsonString {
    const start = this.pos;
    const end = scanStringEnd(this.text, start);
    const raw = this.text.slice(start, end);
    if (!isValidStringLiteral(raw)) this.fail(start, `invalid literal: ${raw}`);
    this.pos = end;
    return { kind: 'string', start, end, raw, value: decodeString(raw) };
  }

  private parseBareLiteral(): HujsonValue {
    const start = this.pos;
    const end = scanBareLiteralEnd(this.text, start);
    if (end === start) this.fail(start, `invalid character ${quoteCharacter(this.text, start)} at start of value`);
    const raw = this.text.slice(start, end);
    this.pos = end;
    switch (raw) {
      case 'true':
      case 'false':
        return { kind: 'boolean', start, end, raw, value: raw === 'true' };
      case 'null':
        return { kind: 'null', start, end, raw, value: null };
    }
    if (!isValidNumberLiteral(raw)) this.fail(start, `invalid literal: ${raw}`);
    return { kind: 'number', start, end, raw, value: Number(raw) };
  }
}

/** The string a valid literal denotes; characters without a UTF-8 encoding become U+FFFD, as in the reference. */
function decodeString(raw: string): string {
  const value = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  return toWellFormed(value);
}
