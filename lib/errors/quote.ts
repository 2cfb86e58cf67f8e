/**
 * Characters that move the cursor, recolour, reorder or break a line where text is shown (a terminal, a Slack card,
 * a log viewer): C0 and C1 controls and DEL, the Arabic letter mark, zero-width and direction marks, line and
 * paragraph separators, bidi embeddings, overrides and isolates, word joiners, and the byte-order mark.
 */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';
const FORMATTING = '\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff';
const INVISIBLE = new RegExp(`[${CONTROLS}${FORMATTING}]`, 'g');
/** What `JSON.stringify` leaves raw inside strings: everything above but the C0 controls it escapes itself. */
const RAW_IN_JSON = new RegExp(`[\\u007f-\\u009f${FORMATTING}]`, 'g');

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text from outside made inert for display: each control, bidi and line-separator character written as `\uXXXX`, so
 * `"ok\u001b[1A\rapprove carol"` shows as those characters instead of moving the cursor. Everything else stays.
 */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, unicodeEscape);
}

/** JSON text with the characters `JSON.stringify` leaves raw written as `\uXXXX` escapes: still the same JSON. */
export function escapeInvisibleInJson(json: string): string {
  return json.replace(RAW_IN_JSON, unicodeEscape);
}

/** The most characters of an input any error message quotes; longer inputs are cut and their length given. */
export const MAX_QUOTED_CHARACTERS = 200;

/**
 * An input as an error message may quote it: a string JSON-quoted, with everything outside printable ASCII escaped
 * (so no control, bidi or line-separator character reaches a terminal or log), cut after `max` characters (at most
 * {@link MAX_QUOTED_CHARACTERS}); a number, boolean or null as JSON; anything else by its type alone (`object`,
 * `nothing`), never its content, so a nested value is never walked.
 *
 *   quoteForMessage('x'.repeat(2_000_000)) → "xx…x"... (2000000 characters)   (64 x's)
 */
export function quoteForMessage(value: unknown, max = 64): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value !== 'string') return value === undefined ? 'nothing' : typeof value;
  const cut = Math.min(max, MAX_QUOTED_CHARACTERS);
  const quoted = JSON.stringify(value.slice(0, cut)).replace(/[^\x20-\x7e]/g, unicodeEscape);
  return value.length > cut ? `${quoted}... (${value.length} characters)` : quoted;
}
