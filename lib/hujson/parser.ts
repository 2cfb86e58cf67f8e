import { HujsonArray, HujsonLiteral, HujsonOutlineMember, HujsonOutlineObject, HujsonOutlineValue, HujsonSelection, HujsonString, HujsonValue } from './ast';
import { HujsonSyntaxError, quoteCharacter } from './errors';
import { CommentSpan, isValidNumberLiteral, isValidStringLiteral, keywordAt, scanBareLiteralEnd, scanStringEnd, skipExtras } from './scanner';
import { unquote } from './unquote';
import { decodeUtf8 } from './utf8';

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
  const extras: Extras = { comments: [], trailingCommas: [] };
  // A selection of `true` builds every value, so the root is a whole HujsonValue.
  const root = new Parser(text, extras).document(true) as HujsonValue;
  return { text, root, ...extras };
}

/**
 * Checks the whole text exactly as parseHujson does (the same verdict, and the same error at the same position)
 * but builds only what `selection` asks for. The rest is checked without building anything, so a large document
 * whose reader needs a small part of it costs little more than one pass over its text.
 */
export function parseHujsonOutline(text: string, selection: HujsonSelection): HujsonOutlineValue {
  return new Parser(text).document(selection);
}

/** Where a parse records the comments and trailing commas it meets. */
interface Extras {
  readonly comments: CommentSpan[];
  readonly trailingCommas: number[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * One recursive-descent parser for building and for checking: a value without a selection is only checked, and
 * checking allocates nothing per value. The grammar and its errors are written once, so both agree by construction.
 */
class Parser {
  private pos = 0;
  private depth = 0;
  private readonly onComment?: (c: CommentSpan) => void;

  constructor(
    private readonly text: string,
    private readonly extras?: Extras,
  ) {
    this.onComment = extras && ((c) => extras.comments.push(c));
  }

  /** The whole text: one value with the whitespace and comments around it. */
  document(selection: HujsonSelection): HujsonOutlineValue {
    this.skipExtras();
    const root = this.node(selection);
    this.skipExtras();
    if (this.pos < this.text.length) {
      this.fail(this.pos, `invalid character ${quoteCharacter(this.text, this.pos)} after top-level value`);
    }
    return root;
  }

  private fail(index: number, reason: string): never {
    throw new HujsonSyntaxError(this.text, index, reason);
  }

  private skipExtras(): void {
    this.pos = skipExtras(this.text, this.pos, this.onComment);
  }

  /** The value at `pos` as a node: built as `selection` asks, or else one that only says what and where it is. */
  private node(selection: HujsonSelection | undefined): HujsonOutlineValue {
    const start = this.pos;
    return this.value(selection) ?? { kind: 'skipped', valueKind: kindOfValueAt(this.text, start), start, end: this.pos };
  }

  /** The value at `pos`, without the whitespace and comments around it; undefined when it is only checked. */
  private value(selection: true): HujsonValue;
  private value(selection: HujsonSelection | undefined): HujsonOutlineValue | undefined;
  private value(selection: HujsonSelection | undefined): HujsonOutlineValue | undefined {
    const { text, pos } = this;
    if (pos >= text.length) this.fail(pos, 'parsing value: unexpected EOF');
    switch (text.charCodeAt(pos)) {
      case OPEN_BRACE:
        return this.object(selection);
      case OPEN_BRACKET:
        return this.array(selection === true);
      case QUOTE:
        return this.string(selection === true);
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        return this.fail(pos, `invalid character '${text[pos]}' at start of value`);
      default:
        return this.bareLiteral(selection === true);
    }
  }

  private object(selection: HujsonSelection | undefined): HujsonOutlineObject | undefined {
    this.enter();
    const start = this.pos++;
    const built = selection === undefined ? undefined : { selection, members: [] as HujsonOutlineMember[], commas: [] as number[] };
    for (let lastComma = -1; ;) {
      this.skipExtras();
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
        this.noteTrailingComma(lastComma);
        break;
      }
      if (built === undefined) {
        this.memberName(false);
        this.skipExtras();
        this.value(undefined);
      } else {
        const name = this.memberName(true);
        this.skipExtras();
        built.members.push({ name, value: this.node(memberSelection(built.selection, name.value)) });
      }
      this.skipExtras();
      lastComma = this.afterItem(CLOSE_BRACE, 'object');
      if (lastComma < 0) break;
      built?.commas.push(lastComma);
    }
    const end = this.leave();
    return built && { kind: 'object', start, end, members: built.members, commas: built.commas };
  }

  /** An object member's name and the `:` after it; the name is a node only when `build` is set. */
  private memberName(build: true): HujsonString;
  private memberName(build: false): undefined;
  private memberName(build: boolean): HujsonString | undefined {
    const { text } = this;
    const start = this.pos;
    const name = this.value(build || undefined);
    this.skipExtras();
    if (text.charCodeAt(start) !== QUOTE) this.fail(start, `invalid character ${quoteCharacter(text, start)} at start of object name`);
    if (this.pos >= text.length) this.fail(this.pos, 'parsing object after name: unexpected EOF');
    if (text.charCodeAt(this.pos) !== COLON) this.fail(this.pos, `invalid character ${quoteCharacter(text, this.pos)} after object name`);
    this.pos++;
    return name as HujsonString | undefined;
  }

  private array(build: boolean): HujsonArray | undefined {
    this.enter();
    const start = this.pos++;
    const built = build ? { elements: [] as HujsonValue[], commas: [] as number[] } : undefined;
    for (let lastComma = -1; ;) {
      this.skipExtras();
      if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
        this.noteTrailingComma(lastComma);
        break;
      }
      if (built === undefined) this.value(undefined);
      else built.elements.push(this.value(true));
      this.skipExtras();
      lastComma = this.afterItem(CLOSE_BRACKET, 'array');
      if (lastComma < 0) break;
      built?.commas.push(lastComma);
    }
    const end = this.leave();
    return built && { kind: 'array', start, end, elements: built.elements, commas: built.commas };
  }

  /** Called at an opening bracket. */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(this.pos, `exceeded max depth of ${MAX_DEPTH}`);
  }

  /** Consumes the closing bracket; returns the offset just past it. */
  private leave(): number {
    this.depth--;
    return ++this.pos;
  }

  /**
   * After an item: consumes a `,` and returns its offset, or returns -1 at the closing bracket (left unconsumed).
   */
  private afterItem(closing: typeof CLOSE_BRACE | typeof CLOSE_BRACKET, what: 'object' | 'array'): number {
    const { text, pos } = this;
    if (pos >= text.length) this.fail(pos, `parsing ${what} after value: unexpected EOF`);
    const code = text.charCodeAt(pos);
    if (code === closing) return -1;
    if (code !== COMMA) {
      const expected = String.fromCharCode(closing);
      this.fail(pos, `invalid character ${quoteCharacter(text, pos)} after ${what} value (expecting ',' or '${expected}')`);
    }
    return this.pos++;
  }

  /** At a closing bracket reached right after a comma (-1: there was none), that comma is a trailing one. */
  private noteTrailingComma(lastComma: number): void {
    if (lastComma >= 0) this.extras?.trailingCommas.push(lastComma);
  }

  private string(build: boolean): HujsonString | undefined {
    const { text } = this;
    const start = this.pos;
    const end = scanStringEnd(text, start);
    if (!isValidStringLiteral(text, start, end)) this.fail(start, `invalid literal: ${literalForMessage(text, start, end)}`);
    this.pos = end;
    if (!build) return undefined;
    return { kind: 'string', start, end, raw: text.slice(start, end), value: unquote(text, start, end) };
  }

  private bareLiteral(build: boolean): HujsonLiteral | undefined {
    const { text } = this;
    const start = this.pos;
    const end = scanBareLiteralEnd(text, start);
    if (end === start) this.fail(start, `invalid character ${quoteCharacter(text, start)} at start of value`);
    this.pos = end;
    const keyword = keywordAt(text, start, end);
    if (keyword === undefined && !isValidNumberLiteral(text, start, end)) this.fail(start, `invalid literal: ${literalForMessage(text, start, end)}`);
    if (!build) return undefined;
    switch (keyword) {
      case 'true':
      case 'false':
        return { kind: 'boolean', start, end, raw: keyword, value: keyword === 'true' };
      case 'null':
        return { kind: 'null', start, end, raw: keyword, value: null };
      default: {
        const raw = text.slice(start, end);
        return { kind: 'number', start, end, raw, value: Number(raw) };
      }
    }
  }
}

/** Longer literals are cut short in messages, with their length: a message is read by people and kept in logs. */
const MESSAGE_LITERAL_MAX = 80;

/** A refused literal as the reference quotes it (verbatim), or its start and length when it is long. */
function literalForMessage(text: string, start: number, end: number): string {
  if (end - start <= MESSAGE_LITERAL_MAX) return text.slice(start, end);
  return `${text.slice(start, start + MESSAGE_LITERAL_MAX)}... (${end - start} characters)`;
}

/** What to build of the member called `name`. */
function memberSelection(selection: HujsonSelection, name: string): HujsonSelection | undefined {
  return selection === true ? true : selection.get(name);
}

/** What the valid value starting at `start` is, told by its first character. */
function kindOfValueAt(text: string, start: number): HujsonValue['kind'] {
  switch (text[start]) {
    case '{':
      return 'object';
    case '[':
      return 'array';
    case '"':
      return 'string';
    case 't':
    case 'f':
      return 'boolean';
    case 'n':
      return 'null';
    default:
      return 'number';
  }
}
