import { DurationError, parseDuration } from '../manifest';
import { UsageError } from './errors';
import { exactlyOneOf, flag } from './flags';

/** `(--for D | --until ISO)`: the flags {@link expiryFrom} reads. */
export const EXPIRY_FLAGS = exactlyOneOf({
  for: flag.string({ value: 'D', help: 'how long: 30s, 10m, 1h, 1d' }),
  until: flag.string({ value: 'ISO', help: 'until when, e.g. 2026-11-23T18:00:00Z' }),
});

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** A duration flag (`30s`, `10m`, `1h`, `1d`) in seconds; a bad one is a usage error naming the flag. */
export function durationFlag(value: string, flag: string): number {
  try {
    return parseDuration(value, flag);
  } catch (e) {
    if (e instanceof DurationError) throw new UsageError(e.message);
    throw e;
  }
}

/** An ISO 8601 instant with its offset, e.g. `2026-11-23T18:00:00Z`. */
export function parseInstant(text: string, flag: string): Date {
  const match = INSTANT.exec(text);
  const date = new Date(text);
  if (match === null || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag}: expected an ISO 8601 time with an offset such as "2026-11-23T18:00:00Z", got ${JSON.stringify(text)}`);
  }
  if (!isCalendarTime(match)) throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not a time that exists (check the day of the month and the hour)`);
  return date;
}

/** `Date` rolls 2027-02-30 over to March 2 and 24:00 to the next day; a time is real only if its fields survive. */
function isCalendarTime([, year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0']: RegExpExecArray): boolean {
  const fields = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  return (
    fields.getUTCFullYear() === Number(year) &&
    fields.getUTCMonth() === Number(month) - 1 &&
    fields.getUTCDate() === Number(day) &&
    fields.getUTCHours() === Number(hour) &&
    fields.getUTCMinutes() === Number(minute) &&
    fields.getUTCSeconds() === Number(second) &&
    Number(offsetHours) <= 23 &&
    Number(offsetMinutes) <= 59
  );
}

/** The expiry from `--for` (a duration from now) or `--until` (a future time), of which the parser let one through. */
export function expiryFrom(f: { for: string | undefined; until: string | undefined }, now: Date): Date {
  if (f.for !== undefined) return new Date(now.getTime() + durationFlag(f.for, '--for') * 1000);
  const until = f.until ?? '';
  const instant = parseInstant(until, 'until');
  if (instant.getTime() <= now.getTime()) throw new UsageError(`--until: expected a time in the future, got ${JSON.stringify(until)}`);
  return instant;
}
