import fc from 'fast-check';
import { seededRandom } from '../../scripts/bench/seeded-random';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(b()).toBe(x);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('spreads its values over the interval', () => {
    const next = seededRandom(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(next() * 10)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});
