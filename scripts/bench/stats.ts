/** Summary statistics over timing samples. */

function checkedSamples(values: readonly number[], what: string): number[] {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`${what}: expected at least one sample`);
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${what}: expected finite numbers only`);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0–100) with linear interpolation between the two nearest ranks, as spreadsheets and
 * numpy compute it by default: p50 of [1, 2, 3, 4] is 2.5, p0 is the minimum, p100 the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 100)) throw new Error(`percentile p: expected a number from 0 to 100, got ${p}`);
  const sorted = checkedSamples(values, 'percentile');
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  const samples = checkedSamples(values, 'mean');
  return samples.reduce((sum, v) => sum + v, 0) / samples.length;
}

/** Three decimals: microseconds for timings in ms, enough for ratios; keeps the JSON readable. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
