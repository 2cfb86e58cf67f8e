import { mrkdwnLiteral, oneLine } from '../../lib/slack';
import MRKDWN from './fixtures/mrkdwn-syntax.json';

test.each(MRKDWN.examples.map((e) => [e.syntax, e.text]))("Slack's %s syntax, passed through mrkdwnLiteral, keeps no mark Slack would act on", (_, text) => {
  const shown = mrkdwnLiteral(text, 3000);
  expect(shown).not.toMatch(/[*~`<>\n]/);
  // `&` only as the start of the three entities Slack decodes.
  expect(shown.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  expect(shown).not.toMatch(/(^|[^A-Za-z0-9])_|_($|[^A-Za-z0-9])/);
});

test.each([
  ['an underscore inside a word, as in most emails', 'first_last@example.com', 'first_last@example.com'],
  ['underscores at word edges, which italicise', '_x_ y', '\uff3fx\uff3f y'],
  ['a broadcast and a link', '<!here> <https://evil.example|docs>', '&lt;!here&gt; &lt;https://evil.example|docs&gt;'],
  ['entities typed as text', '&lt;@U1&gt;', '&amp;lt;@U1&amp;gt;'],
  ['lines and a bidi override', 'a\n\nb\u202ec', 'a b\\u202ec'],
])('mrkdwnLiteral with %s', (_, text, shown) => {
  expect(mrkdwnLiteral(text, 3000)).toBe(shown);
});

test.each([
  [
    'CRLF, CR, LF, vertical tab, form feed, NEL, line and paragraph separators, with blanks around',
    'a \r\n b\rc\nd\ve\ff\u0085g\u2028h\u2029i',
    100,
    'a b c d e f g h i',
  ],
  ['a tab and other controls, escaped where they stand', 'a\tb\u0000c\u007f', 100, 'a\\u0009b\\u0000c\\u007f'],
  [
    'every bidi embedding, override, isolate and mark',
    '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c',
    100,
    '\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c',
  ],
  ['text longer than the limit, cut with an ellipsis', 'abcdefghij', 5, 'abcd…'],
])('oneLine: %s', (_, text, max, shown) => {
  expect(oneLine(text, max)).toBe(shown);
});
