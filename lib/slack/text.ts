import { escapeInvisible } from '../errors';

/** Any line break, with the blanks around it. */
const LINE_BREAK = /[^\S\r\n\u0085\u2028\u2029]*(?:\r\n|[\n\r\v\f\u0085\u2028\u2029])\s*/g;

/**
 * Text from someone else as one line Slack shows as it is: line breaks folded into a space, control and bidi
 * characters written as `\uXXXX` (so U+202E cannot turn what follows around), and cut to `max` characters.
 *
 *   "INC-1\n*Target*: prod\u202e" → "INC-1 *Target*: prod\u202e"   (the last six characters as written)
 */
export function oneLine(text: string, max: number): string {
  const shown = escapeInvisible(text.replace(LINE_BREAK, ' '));
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** A Block Kit `plain_text` object: Slack renders it literally, with no formatting, links, mentions or emoji codes. */
export function plainText(text: string, max: number): { type: 'plain_text'; text: string; emoji: false } {
  return { type: 'plain_text', text: oneLine(text, max), emoji: false };
}

/** Text shown as Slack mrkdwn, with its control characters (`&`, `<`, `>`) escaped so it cannot mention or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's formatting marks, where they could open or close formatting, and look-alikes that do not. */
const FORMATTING: Readonly<Record<string, string>> = { '*': '\u2217', '~': '\u223c', '`': '\u02cb', _: '\uff3f' };
// An underscore inside a word (`first_last@example.com`) never formats, so it is left as it is.
const FORMATTING_MARK = /[*~`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

/**
 * Someone else's text inside mrkdwn, where Block Kit takes no `plain_text` (a line that also carries a mention): one
 * line, escaped, and inert: `&`, `<`, `>` escaped, and `*`, `~`, `` ` `` and a word-edge `_` replaced by look-alikes.
 *
 *   "*urgent* <!channel>" → "∗urgent∗ &lt;!channel&gt;"
 */
export function mrkdwnLiteral(text: string, max: number): string {
  return escapeMrkdwn(oneLine(text, max).replace(FORMATTING_MARK, (mark) => FORMATTING[mark]));
}
