import fc from 'fast-check';
import { checkBounds, INPUT_LIMITS, InputLimitError, parseBoundedJson } from '../../lib/errors';

const { maxBytes, maxDepth } = INPUT_LIMITS;

/** Levels of arrays and objects: `1` is 0, `[]` 1, `{"a":[1]}` 2 (a reference walk; generated values stay shallow). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** What the limits say of a text: refused for its size (checked first), for its depth, or parsed. */
function expected(text: string): 'input-too-large' | 'input-too-deep' | 'ok' {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) return 'input-too-large';
  return depthOf(JSON.parse(text)) > maxDepth ? 'input-too-deep' : 'ok';
}

function outcome(text: string): { code: string } | { value: unknown } {
  try {
    return { value: parseBoundedJson(text, INPUT_LIMITS, 'body') };
  } catch (error) {
    if (!(error instanceof InputLimitError)) throw error;
    return { code: error.code };
  }
}

/** Strings full of what a depth count must not be fooled by: brackets, quotes and backslashes, and wide characters. */
const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ' ', 'é', '\u202e', '😀', 'a') });
/** A JSON value wrapped in `levels` arrays and objects, with keys that look like JSON themselves. */
const nested = fc
  .tuple(
    fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
    fc.integer({ min: 0, max: 48 }).chain((n) => fc.array(fc.tuple(fc.boolean(), tricky), { minLength: n, maxLength: n })),
  )
  .map(([inner, levels]) => levels.reduce<unknown>((value, [asArray, key]) => (asArray ? [value] : { [key]: value }), inner));
/** Now and then a string long enough to pass the size limit on its own. */
const large = fc.oneof(
  { weight: 4, arbitrary: nested },
  { weight: 1, arbitrary: fc.tuple(nested, fc.string({ minLength: 5000, maxLength: 7000, unit: 'binary' })).map(([v, s]) => [v, s]) },
);
const indent = fc.constantFrom(undefined, 0, 1, 2, '\t');

test('any JSON text within the limits parses exactly as JSON.parse does; any beyond is refused naming the limit it passed', () => {
  const seen = { ok: 0, 'input-too-large': 0, 'input-too-deep': 0 };
  fc.assert(
    fc.property(large, indent, (value, space) => {
      const text = JSON.stringify(value, null, space);
      const want = expected(text);
      seen[want]++;
      const got = outcome(text);
      if (want === 'ok') expect(got).toEqual({ value: JSON.parse(text) });
      else expect(got).toEqual({ code: want });
    }),
    { numRuns: 300 },
  );
  // The generator reaches all three outcomes, so the property is not vacuous for any of them.
  expect(Object.values(seen).every((n) => n >= 20)).toBe(true);
});

test('a parsed value is held to the same limits as the text it came from', () => {
  fc.assert(
    fc.property(large, (value) => {
      const text = JSON.stringify(value);
      const want = expected(text);
      let got = 'ok';
      try {
        checkBounds(JSON.parse(text), INPUT_LIMITS, 'event');
      } catch (error) {
        got = (error as InputLimitError).code;
      }
      expect(got).toBe(want);
    }),
    { numRuns: 300 },
  );
});

const deep = (levels: number, open = '[', close = ']') => `{"action":${open.repeat(levels)}${close.repeat(levels)}}`;

test.each<[string, string, string]>([
  ['200,000 levels of arrays (400 KB: the size is checked first)', deep(200_000), 'body: larger than the limit of 16384 bytes'],
  ['8,000 levels, within 16 KB', deep(8000), 'body: nested deeper than the limit of 32 levels'],
  ['33 levels', deep(32), 'body: nested deeper than the limit of 32 levels'],
  ['a 2 MB action', JSON.stringify({ action: 'x'.repeat(2_000_000) }), 'body: larger than the limit of 16384 bytes'],
  ['16 KB and one byte, counted in UTF-8 bytes', JSON.stringify({ action: 'é'.repeat(8186) }), 'body: larger than the limit of 16384 bytes'],
])('%s: refused, naming the limit and quoting nothing', (_, text, message) => {
  expect(() => parseBoundedJson(text, INPUT_LIMITS, 'body')).toThrow(message);
  let thrown: Error | undefined;
  try {
    parseBoundedJson(text, INPUT_LIMITS, 'body');
  } catch (error) {
    thrown = error as Error;
  }
  expect(thrown!.message).toBe(message);
});

test.each<[string, string]>([
  ['exactly 32 levels', deep(31)],
  ['brackets inside strings, which do not nest', JSON.stringify({ action: '['.repeat(1000), reason: '{"[\\"' })],
  ['exactly 16 KB', JSON.stringify({ action: 'x'.repeat(maxBytes - 13) })],
])('%s: parsed', (_, text) => {
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes);
  expect(parseBoundedJson(text, INPUT_LIMITS, 'body')).toEqual(JSON.parse(text));
});

test('a value 200,000 levels deep, as Lambda would decode a direct event, is refused without a stack overflow', () => {
  let value: unknown = 1;
  for (let i = 0; i < 200_000; i++) value = { action: value };
  expect(() => checkBounds(value, INPUT_LIMITS, 'event')).toThrow('event: nested deeper than the limit of 32 levels');
  expect(() => checkBounds(value, { maxBytes: Infinity, maxDepth }, 'event')).toThrow(InputLimitError);
});

test('a syntax error is JSON.parse’s own, once the text is within the limits', () => {
  expect(() => parseBoundedJson('{"action":', INPUT_LIMITS, 'body')).toThrow(SyntaxError);
});
