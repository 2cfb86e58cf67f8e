import fc from 'fast-check';
import { mean, median, percentile, round3 } from '../../scripts/bench/stats';

describe('percentile interpolates linearly between the nearest ranks', () => {
  it.each([
    [[5], 0, 5],
    [[5], 50, 5],
    [[5], 100, 5],
    [[1, 2, 3, 4], 50, 2.5],
    [[4, 1, 3, 2], 50, 2.5],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 100, 4],
    [[10, 20, 30, 40, 50], 25, 20],
    [[10, 20, 30, 40, 50], 95, 48],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 95, 20],
    [[0, 100], 10, 10],
  ])('percentile(%j, %d) = %d', (values, p, expected) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 10);
  });

  it('median is the middle sample of an odd count and the mean of the two middle ones of an even count', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([9, 1, 5, 7])).toBe(6);
  });

  it('stays between the smallest and largest sample and never falls as p rises', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (values, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const atLow = percentile(values, low);
          expect(atLow).toBeGreaterThanOrEqual(Math.min(...values));
          expect(percentile(values, high)).toBeLessThanOrEqual(Math.max(...values));
          expect(percentile(values, high)).toBeGreaterThanOrEqual(atLow - 1e-9 * Math.max(1, Math.abs(atLow)));
        },
      ),
    );
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([
    [[], 50, 'percentile: expected at least one sample'],
    [[1, Number.NaN], 50, 'percentile: expected finite numbers only'],
    [[1, Number.POSITIVE_INFINITY], 50, 'percentile: expected finite numbers only'],
    [[1], -1, 'percentile p: expected a number from 0 to 100, got -1'],
    [[1], 101, 'percentile p: expected a number from 0 to 100, got 101'],
    [[1], Number.NaN, 'percentile p: expected a number from 0 to 100, got NaN'],
  ])('refuses %j at p=%d: %s', (values, p, message) => {
    expect(() => percentile(values, p)).toThrow(message);
  });
});

test('round3 keeps three decimals', () => {
  expect(round3(1.23456)).toBe(1.235);
  expect(round3(40)).toBe(40);
});

describe('mean', () => {
  it.each([
    [[4], 4],
    [[1, 2, 3, 4], 2.5],
    [[-1, 1], 0],
  ])('mean(%j) = %d', (values, expected) => {
    expect(mean(values)).toBe(expected);
  });

  it('refuses no samples', () => {
    expect(() => mean([])).toThrow('mean: expected at least one sample');
  });
});
