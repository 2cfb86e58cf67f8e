import fc from 'fast-check';
import { DurationError, parseDuration } from '../../lib/manifest';

test.each([
  ['30s', 30],
  ['10m', 600],
  ['1h', 3600],
  ['1d', 86400],
  ['999999d', 999999 * 86400],
])('%s is %i seconds', (text, seconds) => {
  expect(parseDuration(text, 'duration')).toBe(seconds);
});

test.each<[string, unknown, string]>([
  ['words', '90 minutes', '"90 minutes"'],
  ['no unit', '60', '"60"'],
  ['a leading zero', '05m', '"05m"'],
  ['two units', '1h30m', '"1h30m"'],
  ['a number', 60, '60'],
  ['nothing', undefined, 'nothing'],
])('%s is refused as invalid-duration, naming the field it came from', (_name, text, shown) => {
  const refusal = {
    code: 'invalid-duration',
    field: '--for',
    httpStatus: 400,
    message: `--for: expected a duration such as "30s", "10m", "1h" or "1d", got ${shown}`,
  };
  expect(() => parseDuration(text, '--for')).toThrow(DurationError);
  expect(() => parseDuration(text, '--for')).toThrow(expect.objectContaining(refusal));
});

test('a whole number of one unit is that many of the unit, in seconds', () => {
  const units = { s: 1, m: 60, h: 3600, d: 86400 };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 999999 }), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, unit) => {
      expect(parseDuration(`${n}${unit}`, 'duration')).toBe(n * units[unit]);
    }),
  );
});
