const BACKSLASH = 0x5c;
const REPLACEMENT = 0xfffd;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The string a valid string literal denotes, decoded as the reference decodes it: a `\uXXXX` surrogate pairs only with
 * a `\uXXXX` escape right after it, and every character without a UTF-8 encoding (an invalid byte, a lone surrogate)
 * becomes U+FFFD. The literal is read in place, so a member name costs no copy.
 */
export function unquote(text: string, start = 0, end = text.length): string {
  let out = '';
  let copied = start + 1;
  const last = end - 1;
  for (let i = copied; i < last;) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      out += text.slice(copied, i);
      const letter = text[i + 1];
      if (letter !== 'u') {
        out += SIMPLE_ESCAPES[letter];
        i += 2;
      } else {
        let unit = hex4(text, i + 2);
        i += 6;
        if (unit >= 0xd800 && unit <= 0xdfff) {
          const low = text.charCodeAt(i) === BACKSLASH && text[i + 1] === 'u' ? hex4(text, i + 2) : -1;
          if (unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
            out += String.fromCharCode(unit, low);
            i += 6;
            unit = -1;
          } else {
            unit = REPLACEMENT;
          }
        }
        if (unit >= 0) out += String.fromCharCode(unit);
      }
      copied = i;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && i + 1 < last && next >= 0xdc00 && next <= 0xdfff) {
        i += 2;
        continue;
      }
      out += text.slice(copied, i) + '\uFFFD';
      copied = ++i;
    } else {
      i++;
    }
  }
  return out + text.slice(copied, last);
}

function hex4(text: string, at: number): number {
  const digits = text.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? parseInt(digits, 16) : -1;
}
