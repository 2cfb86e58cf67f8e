import { parseDuration } from '../manifest';
import { UsageError } from './errors';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A duration flag (`30s`, `10m`, `1h`, `1d`) in seconds; a bad one is a usage error naming the flag. */
export function durationFlag(value: string, flag: string): number {
  try {
    return parseDuration(value, flag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** An ISO 8601 instant with its offset, e.g. `2026-11-23T18:00:00Z`. */
export function parseInstant(text: string, flag: string): Date {
  const date = new Date(text);
  if (!INSTANT.test(text) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag}: expected an ISO 8601 time with an offset such as "2026-11-23T18:00:00Z", got ${JSON.stringify(text)}`);
  }
  return date;
}

/** The expiry from exactly one of `--for` (a duration from now) and `--until` (a future time). */
export function expiryFrom(forDuration: string | undefined, until: string | undefined, now: Date): Date {
  if ((forDuration === undefined) === (until === undefined)) throw new UsageError('expected exactly one of --for and --until');
  if (forDuration !== undefined) {
    return new Date(now.getTime() + durationFlag(forDuration, '--for') * 1000);
  }
  const instant = parseInstant(until!, 'until');
  if (instant.getTime() <= now.getTime()) throw new UsageError(`--until: expected a time in the future, got ${JSON.stringify(until)}`);
  return instant;
}
