import fc from 'fast-check';
import { isValidNumberLiteral, isValidStringLiteral, keywordAt, scanBareLiteralEnd, scanStringEnd } from '../../lib/hujson/scanner';
import { hasInvalidUtf8 } from '../../lib/hujson/utf8';

// The literal checks read the document in place; JSON.parse of the literal alone is the standard they must meet.
function jsonAccepts(literal: string): boolean {
  try {
    JSON.parse(literal);
    return true;
  } catch {
    return false;
  }
}

describe('checking literals where they lie in the document', () => {
  // Lone surrogates, raw control characters and every kind of escape, valid or not.
  const stringChars = fc.constantFrom(
    'a',
    'é',
    '😊',
    '\udc80',
    '\ud800',
    '"',
    '\\',
    'u',
    '0',
    'F',
    'g',
    'n',
    'x',
    '/',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    '\u007f',
  );
  const numberChars = fc.constantFrom('-', '+', '.', '0', '1', '9', 'e', 'E', 'x');

  it('accepts a string literal exactly when JSON does', () => {
    fc.assert(
      fc.property(fc.array(stringChars, { maxLength: 12 }), (chars) => {
        // The closing quote may be escaped; the one after the bracket then ends the literal.
        const text = `[1, "${chars.join('')}"] "`;
        const end = scanStringEnd(text, 4);
        expect(isValidStringLiteral(text, 4, end)).toBe(jsonAccepts(text.slice(4, end)));
      }),
      { numRuns: 5000, seed: 20261123 },
    );
  });

  it('accepts a number exactly when JSON does', () => {
    fc.assert(
      fc.property(fc.array(numberChars, { minLength: 1, maxLength: 10 }), (chars) => {
        const text = `[${chars.join('')}, 2]`;
        const end = scanBareLiteralEnd(text, 1);
        expect(isValidNumberLiteral(text, 1, end)).toBe(jsonAccepts(text.slice(1, end)));
      }),
      { numRuns: 5000, seed: 20261123 },
    );
  });

  it.each([
    ['true', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ['nul', undefined],
    ['nulll', undefined],
    ['True', undefined],
    ['1', undefined],
  ])('reads %s as the keyword %s', (literal, keyword) => {
    const text = `[${literal}]`;
    expect(keywordAt(text, 1, 1 + literal.length)).toBe(keyword);
  });

  it('finds characters without a UTF-8 encoding only inside the range it is given', () => {
    const chars = fc.constantFrom('a', 'é', '😊', '\ud83d', '\ude0a', '\udcff');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const text = parts.join('');
        // Range ends that split a pair would see a lone half, as a slice there would.
        const [from, to] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y);
        const slice = text.slice(from, to);
        expect(hasInvalidUtf8(text, from, to)).toBe(Buffer.from(slice, 'utf8').toString('utf8') !== slice);
      }),
      { numRuns: 3000, seed: 20261123 },
    );
  });
});
