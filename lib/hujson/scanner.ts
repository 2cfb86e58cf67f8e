import { HujsonSyntaxError } from './errors';
import { hasInvalidUtf8 } from './utf8';

/** A comment's extent; a line comment's extent includes its terminating newline. */
export interface CommentSpan {
  readonly start: number;
  readonly end: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;

export function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/**
 * Skips whitespace and comments from `pos`; returns the first offset after them.
 * Calls `onComment` for each comment. A `/` that starts no comment is left for the caller to reject.
 */
export function skipExtras(text: string, pos: number, onComment?: (c: CommentSpan) => void): number {
  for (;;) {
    const code = text.charCodeAt(pos);
    if (isWhitespace(code)) {
      pos++;
      continue;
    }
    if (code !== SLASH) return pos;
    const next = text.charCodeAt(pos + 1);
    let end: number;
    if (next === SLASH) {
      const newline = text.indexOf('\n', pos + 2);
      end = newline < 0 ? -1 : newline + 1;
    } else if (next === STAR) {
      const close = text.indexOf('*/', pos + 2);
      end = close < 0 ? -1 : close + 2;
    } else {
      return pos;
    }
    if (end < 0) throw new HujsonSyntaxError(text, pos, 'parsing comment: unexpected EOF');
    if (hasInvalidUtf8(text, pos, end)) throw new HujsonSyntaxError(text, pos, 'invalid UTF-8 in comment');
    onComment?.({ start: pos, end });
    pos = end;
  }
}

/** Offset just past the string literal that opens at `start`; the literal's validity is checked separately. */
export function scanStringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new HujsonSyntaxError(text, text.length, 'parsing string: unexpected EOF');
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Offset just past the run of characters a bare literal (number, `true`, `false`, `null`) may contain. */
export function scanBareLiteralEnd(text: string, start: number): number {
  let pos = start;
  for (;;) {
    const c = text.charCodeAt(pos);
    const literalChar = c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!literalChar) return pos;
    pos++;
  }
}

// Numbers as RFC 8259 writes them. Sticky, so that a number is checked where it lies in the document, without copying
// it out.
const NUMBER_LITERAL = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const KEYWORDS = ['true', 'false', 'null'] as const;
const SIMPLE_ESCAPE_LETTERS = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/**
 * True when `text.slice(start, end)` is a valid string literal; `end` is where scanStringEnd found it to end, so only
 * the inside is checked: no raw control character, and only the standard escapes. A loop rather than a pattern: a
 * regular expression that alternates per character exhausts its backtracking stack on a literal of a few megabytes.
 */
export function isValidStringLiteral(text: string, start: number, end: number): boolean {
  const last = end - 1;
  for (let i = start + 1; i < last; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20) return false;
    if (code !== BACKSLASH) continue;
    const letter = text.charCodeAt(++i);
    if (SIMPLE_ESCAPE_LETTERS.has(letter)) continue;
    if (letter !== 0x75 || !isHex4(text, i + 1, last)) return false;
    i += 4;
  }
  return true;
}

/** Four hex digits at `at`, all before `limit`. */
function isHex4(text: string, at: number, limit: number): boolean {
  if (at + 4 > limit) return false;
  for (let k = at; k < at + 4; k++) {
    const c = text.charCodeAt(k);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    if (!hex) return false;
  }
  return true;
}

/**
 * True when `text.slice(start, end)` is a valid number. Each part of the pattern takes all it can and nothing
 * after it could take what it leaves, so its first match is also its longest.
 */
export function isValidNumberLiteral(text: string, start: number, end: number): boolean {
  return matchesFrom(NUMBER_LITERAL, text, start) === end;
}

/** The keyword that `text.slice(start, end)` spells, if any; compared in place. */
export function keywordAt(text: string, start: number, end: number): (typeof KEYWORDS)[number] | undefined {
  for (const keyword of KEYWORDS) {
    if (keyword.length === end - start && text.startsWith(keyword, start)) return keyword;
  }
  return undefined;
}

/** Where the sticky `pattern`'s match at `start` ends, or -1 when there is none. */
function matchesFrom(pattern: RegExp, text: string, start: number): number {
  pattern.lastIndex = start;
  return pattern.test(text) ? pattern.lastIndex : -1;
}
