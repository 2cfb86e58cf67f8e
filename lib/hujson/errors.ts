import { byteLength, characterAt, escapedByteValue, isEscapedByte } from './utf8';
import { SymtailError } from '../errors';

/**
 * A document that is not HuJSON. Positions are UTF-8 byte based, as the reference implementation
 * (github.com/tailscale/hujson) counts them: `column` is 1 + the byte offset from the last newline.
 */
export class HujsonSyntaxError extends SymtailError<'policy-unparseable'> {
  readonly line: number;
  readonly column: number;
  /** Byte offset of the error from the start of the document. */
  readonly offset: number;
  /** The cause without the position, e.g. `invalid literal: NaN`. */
  readonly reason: string;

  constructor(text: string, index: number, reason: string) {
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    const line = 1 + countNewlines(text, lineStart);
    const column = 1 + byteLength(text, lineStart, index);
    super('policy-unparseable', `hujson: line ${line}, column ${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.offset = byteLength(text, 0, index);
    this.reason = reason;
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** The character at `index` quoted the way the reference quotes it in messages: `'x'`, `'\''`, `'\u00a0'`, `'\xff'`. */
export function quoteCharacter(text: string, index: number): string {
  const { codePoint, units } = characterAt(text, index);
  if (isEscapedByte(codePoint)) return `'\\x${escapedByteValue(codePoint).toString(16).padStart(2, '0')}'`;
  if (codePoint === 0x27 || codePoint === 0x5c) return `'\\${String.fromCharCode(codePoint)}'`;
  const char = text.slice(index, index + units);
  if (PRINTABLE.test(char)) return `'${char}'`;
  const hex = codePoint.toString(16);
  return codePoint > 0xffff ? `'\\U${hex.padStart(8, '0')}'` : `'\\u${hex.padStart(4, '0')}'`;
}
