import fc from 'fast-check';
import { fullJitterDelay, parseRetryAfter } from '../../lib/tailscale/backoff';

describe('fullJitterDelay', () => {
  it('draws from [0, min(max, base·2^attempt)) for any attempt, policy and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, extra, r) => {
          const maxDelayMs = baseDelayMs + extra;
          const delay = fullJitterDelay(attempt, { baseDelayMs, maxDelayMs }, () => r);
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('doubles its ceiling per attempt until the maximum', () => {
    const almostOne = () => 0.999999;
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((a) => fullJitterDelay(a, policy, almostOne))).toEqual([99, 199, 399, 799, 999, 999]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['1', 1000],
    ['0', 0],
    [' 30 ', 30_000],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['Thursday, 01-Jan-26 00:00:10 GMT', 10_000],
    ['Thu Jan  1 00:00:20 2026', 20_000],
  ])('reads %j as %i ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([[undefined], [''], ['soon'], ['-1'], ['1.5'], [42]])('ignores %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
