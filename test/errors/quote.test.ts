import fc from 'fast-check';
import { escapeInvisible, escapeInvisibleInJson, MAX_QUOTED_CHARACTERS, quoteForMessage } from '../../lib/errors';

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

test.each<[string, unknown, number | undefined, string]>([
  ['a short string, JSON-quoted', 'grant', undefined, '"grant"'],
  ['a 2 MB string, cut and its length given', 'x'.repeat(2_000_000), undefined, `"${'x'.repeat(64)}"... (2000000 characters)`],
  ['a longer cut asked for, never past 200 characters', 'y'.repeat(5000), 10_000, `"${'y'.repeat(MAX_QUOTED_CHARACTERS)}"... (5000 characters)`],
  ['control, bidi and non-ASCII characters, escaped', 'a\u001b[1A\r\u202eé', undefined, '"a\\u001b[1A\\r\\u202e\\u00e9"'],
  ['a number', 42, undefined, '42'],
  ['null', null, undefined, 'null'],
  ['nothing', undefined, undefined, 'nothing'],
  ['an object, by its type alone', { nested: { deeper: 'secret' } }, undefined, 'object'],
])('quoteForMessage: %s', (_, value, max, quoted) => {
  expect(quoteForMessage(value, max)).toBe(quoted);
});

test('a quoted input never holds a character that could act on a terminal or a log viewer', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      expect(quoteForMessage(text, 200)).not.toMatch(INVISIBLE);
      expect(quoteForMessage(text, 200)).toMatch(/^[\x20-\x7e]*$/);
    }),
  );
});

test.each<[string, string, string]>([
  [
    'an ANSI cursor move and a carriage return drawing a fake line',
    'INC-1\u001b[1A\r\u001b[2Kr-1  approved  approve carol',
    'INC-1\\u001b[1A\\u000d\\u001b[2Kr-1  approved  approve carol',
  ],
  ['a right-to-left override', 'ok \u202elorac evorppa', 'ok \\u202elorac evorppa'],
  ['text with nothing to escape, kept as it is', 'alice@example.com  r-1  30m', 'alice@example.com  r-1  30m'],
])('escapeInvisible: %s', (_, text, shown) => {
  expect(escapeInvisible(text)).toBe(shown);
});

test('JSON text made inert for a terminal is still the same JSON, with no invisible character left', () => {
  fc.assert(
    fc.property(fc.jsonValue({ stringUnit: 'binary' }), fc.constantFrom(undefined, 2), (value, space) => {
      const json = escapeInvisibleInJson(JSON.stringify(value, null, space));
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(json.replace(/\n */g, '')).not.toMatch(INVISIBLE);
    }),
  );
});
