import { quoteForMessage, SymtailError } from '../errors';

/** Durations as Sym writes them: a positive whole number and one unit, `30s`, `10m`, `1h`, `1d`. */
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export const DURATION_PATTERN = '^[1-9][0-9]{0,5}[smhd]$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && DURATION_RE.test(text);
}

/** A text that is not a duration, refused naming the field it came from. */
export class DurationError extends SymtailError<'invalid-duration'> {
  constructor(
    readonly field: string,
    text: unknown,
  ) {
    super('invalid-duration', `${field}: expected a duration such as "30s", "10m", "1h" or "1d", got ${quoteForMessage(text)}`);
  }
}

/** Seconds in a duration; throws {@link DurationError} naming `field` when the text is not a duration. */
export function parseDuration(text: unknown, field = 'duration'): number {
  if (!isDuration(text)) throw new DurationError(field, text);
  const unit = text[text.length - 1] as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}
