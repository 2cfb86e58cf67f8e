/** A key within this many days of its expiry (or past it) is warned of: by the sweep, and in the report. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

/** Whole days from `now` to `expires`, rounded down (negative once past); undefined when more than the warning's. */
export function daysLeftIfSoon(expires: string, now: Date): number | undefined {
  const ms = Date.parse(expires) - now.getTime();
  return ms > EXPIRY_WARNING_DAYS * DAY_MS ? undefined : Math.floor(ms / DAY_MS);
}
