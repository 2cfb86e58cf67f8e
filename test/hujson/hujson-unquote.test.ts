import fc from 'fast-check';
import { decodeUtf8, parseHujson } from '../../lib/hujson';
import { unquote } from '../../lib/hujson/unquote';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

describe('decoding a string literal as the reference does', () => {
  it.each([
    ['a high-surrogate escape before an invalid byte', [0x22, ...Buffer.from('\\ud83d'), 0xff, 0x22], '\uFFFD\uFFFD'],
    ['a high-surrogate escape before a low-surrogate escape', Buffer.from('"\\ud83d\\ude0a"'), '😊'],
    ['a low-surrogate escape alone', Buffer.from('"\\ude0a!"'), '\uFFFD!'],
    ['a high-surrogate escape before another high one', Buffer.from('"\\ud83d\\ud83d\\ude0a"'), '\uFFFD😊'],
    ['each byte of a truncated sequence', [0x22, 0xe2, 0x82, 0x41, 0x22], '\uFFFD\uFFFDA'],
    ['every simple escape', Buffer.from('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), '"\\/\b\f\n\r\t'],
  ])('%s', (_what, bytes, value) => {
    const literal = parseHujson(new Uint8Array(bytes));
    expect(literal.kind === 'string' && literal.value).toBe(value);
  });

  it('agrees with JSON.parse wherever no raw lone surrogate meets an escape', () => {
    const piece = fc.constantFrom('a', 'é', '😊', '\\ud83d', '\\ude0a', '\\u0041', '\\n', '\\"', '\\\\', '\\/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const literal = `"${pieces.join('')}"`;
        expect(unquote(literal)).toBe((JSON.parse(literal) as string).replace(LONE_SURROGATE, '\uFFFD'));
      }),
      { numRuns: 3000, seed: 20261129 },
    );
  });

  it('reads a literal where it lies in a larger text', () => {
    const text = decodeUtf8(Buffer.from('["x", "y\\u0041z"]'));
    expect(unquote(text, 6, 16)).toBe('yAz');
  });
});
