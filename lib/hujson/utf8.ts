/**
 * UTF-8 bookkeeping. HuJSON positions are byte based, while the parser works on JavaScript strings.
 * Bytes that are not valid UTF-8 are carried through a string as lone surrogates U+DC80..U+DCFF
 * (one per byte, the "surrogate escape" convention), so a decoded document still knows where they were.
 */

const ESCAPED_BYTE_BASE = 0xdc00;

/** Decodes UTF-8, keeping each byte of an invalid sequence as the lone surrogate U+DC00 + byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decodeUtf8Escaping(bytes);
  }
}

function decodeUtf8Escaping(bytes: Uint8Array): string {
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > runStart) parts.push(Buffer.from(bytes.subarray(runStart, end)).toString('utf8'));
  };
  while (i < bytes.length) {
    const width = validSequenceLength(bytes, i);
    if (width > 0) {
      i += width;
      continue;
    }
    flush(i);
    parts.push(String.fromCharCode(ESCAPED_BYTE_BASE + bytes[i]));
    i += 1;
    runStart = i;
  }
  flush(i);
  return parts.join('');
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629 table 3-7), or 0 when there is none. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i];
  if (lead < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const lo = lead === 0xe0 ? 0xa0 : 0x80;
    const hi = lead === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const lo = lead === 0xf0 ? 0x90 : 0x80;
    const hi = lead === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** True for a UTF-16 code unit that stands for one undecodable byte. */
export function isEscapedByte(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** The byte an escaped code unit stands for. */
export function escapedByteValue(code: number): number {
  return code - ESCAPED_BYTE_BASE;
}

/**
 * UTF-8 length of the character starting at `i`, and how many code units it spans.
 * A lone surrogate that is not an escaped byte counts as the three bytes of U+FFFD, which is how it would be sent.
 */
export function characterAt(text: string, i: number): { bytes: number; units: number; codePoint: number } {
  const code = text.charCodeAt(i);
  if (code < 0x80) return { bytes: 1, units: 1, codePoint: code };
  if (code < 0x800) return { bytes: 2, units: 1, codePoint: code };
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      return { bytes: 4, units: 2, codePoint: ((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000 };
    }
    return { bytes: 3, units: 1, codePoint: code };
  }
  if (isEscapedByte(code)) return { bytes: 1, units: 1, codePoint: code };
  return { bytes: 3, units: 1, codePoint: code };
}

/** UTF-8 byte length of `text.slice(from, to)`. */
export function byteLength(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to;) {
    const c = characterAt(text, i);
    bytes += c.bytes;
    i += c.units;
  }
  return bytes;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `text.slice(from, to)` holds a character that has no UTF-8 encoding (an escaped byte or a lone
 * surrogate). Reads the range in place, so checking every comment of a large file allocates nothing.
 */
export function hasInvalidUtf8(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = i + 1 < to ? text.charCodeAt(i + 1) : -1;
    if (code > 0xdbff || next < 0xdc00 || next > 0xdfff) return true;
    i++;
  }
  return false;
}

/** Offset of the first character without a UTF-8 encoding, or -1. */
export function invalidUtf8Offset(text: string): number {
  return text.search(LONE_SURROGATE);
}
