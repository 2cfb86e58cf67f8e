import { listLedger, revoke, sweep } from '../../lib/policy';

const EXPIRED = 'symtail: until=2026-01-01T00:00:00Z';
const NOW = new Date('2026-06-01T00:00:00Z');

/** A policy whose only group is `group:prod`, its array written from the `[`. */
const policy = (array: string) => `{"groups": {"group:prod": ${array}}}\n`;

describe('removing a member leaves every other member its comments and its line', () => {
  it.each([
    [
      "a comment after a comma on a line of its own stays there, off the previous member's line",
      `[\n  "carol@example.com",\n  "bob@example.com" // ${EXPIRED}\n  , // note\n]`,
      '[\n  "carol@example.com",\n  // note\n]',
    ],
    [
      "a comment after the comma on the removed member's line goes with it, never onto the member before",
      `["carol@example.com", /* ${EXPIRED} req=r-2 */ "bob@example.com" /* ${EXPIRED} */]`,
      '["carol@example.com"]',
    ],
    [
      'the member after the removed one keeps its own line',
      `["carol@example.com", "bob@example.com" /* ${EXPIRED} */,\n  "dave@example.com"]`,
      '["carol@example.com",\n  "dave@example.com"]',
    ],
    [
      'the member after the removed one keeps the line it shared with it',
      `[\n  "carol@example.com",\n  "bob@example.com" /* ${EXPIRED} */, "dave@example.com"\n]`,
      '[\n  "carol@example.com",\n  "dave@example.com"\n]',
    ],
    [
      'a leading comma and the comment after it stay with the member they precede',
      `[\n  "carol@example.com"\n  , "bob@example.com" // ${EXPIRED}\n  , /* x */ "dave@example.com"\n]`,
      '[\n  "carol@example.com"\n  , /* x */ "dave@example.com"\n]',
    ],
    [
      'a member whose comma starts the next line, after a member on its line: the next member keeps a line of its own',
      `[\n  "carol@example.com", "bob@example.com" // ${EXPIRED}\n  , "dave@example.com"\n]`,
      '[\n  "carol@example.com",\n  "dave@example.com"\n]',
    ],
    [
      "a member and its comma on different lines, around a comment that is no one's",
      `[\n  "carol@example.com",\n  "bob@example.com" // ${EXPIRED}\n  // note\n  , "dave@example.com"\n]`,
      '[\n  "carol@example.com",\n  // note\n  "dave@example.com"\n]',
    ],
    [
      "the last member's comma goes, and the comment on the line before the bracket stays no one's",
      `[\n  "carol@example.com", /* lead */\n  "bob@example.com" // ${EXPIRED}\n  // note\n]`,
      '[\n  "carol@example.com" /* lead */\n  // note\n]',
    ],
    [
      "a comment after the opening bracket is the array's, and stays when the first member goes",
      `[/* note */ "bob@example.com" /* ${EXPIRED} */, "carol@example.com"]`,
      '[/* note */ "carol@example.com"]',
    ],
    [
      "a bracket that closed on the removed member's line closes on the line before",
      `[\n  "carol@example.com",\n  "bob@example.com" /* ${EXPIRED} */,]`,
      '[\n  "carol@example.com",]',
    ],
  ])('%s', (_name, before, after) => {
    const result = sweep(policy(before), { now: NOW });
    expect(result.changes.map((c) => c.member)).toEqual(['bob@example.com']);
    expect(result.text).toBe(policy(after));
    expect(sweep(result.text, { now: NOW }).changed).toBe(false);
    expect(listLedger(result.text, NOW).standing.map((s) => s.member)).toEqual(listLedger(policy(before), NOW).standing.map((s) => s.member));
  });

  // Annotations of no member in those places are dropped instead: once formatted, a comment after a comma that starts
  // its line joins the member before it, and would read as that member's grant.
  it.each([
    [
      'after a comma on a line of its own',
      `[\n  "carol@example.com",\n  "bob@example.com" // ${EXPIRED}\n  , // ${EXPIRED} req=r-2\n]`,
      '[\n  "carol@example.com",\n]',
      'r-2',
    ],
    [
      'on the line before the bracket',
      `[\n  "carol@example.com", /* lead */\n  "bob@example.com" // ${EXPIRED}\n  // ${EXPIRED} req=r-3\n]`,
      '[\n  "carol@example.com" /* lead */\n]',
      'r-3',
    ],
    ['after the opening bracket', `[/* ${EXPIRED} req=r-4 */ "bob@example.com" /* ${EXPIRED} */, "carol@example.com"]`, '["carol@example.com"]', 'r-4'],
  ])("an annotation that is no member's, %s, is dropped with a warning", (_name, before, after, req) => {
    const result = sweep(policy(before), { now: NOW });
    expect(result.changes.map((c) => c.member)).toEqual(['bob@example.com']);
    expect(result.text).toBe(policy(after));
    expect(result.warnings).toEqual([`group:prod: dropped "${EXPIRED} req=${req}", a symtail annotation that belonged to no member`]);
  });

  it("revoke removes the member's own comments with it and leaves the member before it standing", () => {
    const before = policy(`["carol@example.com", /* ${EXPIRED} req=r-2 */ "bob@example.com" /* symtail: until=2099-01-01T00:00:00Z */]`);
    const result = revoke(before, { group: 'prod', member: 'bob@example.com' });
    expect(result.text).toBe(policy('["carol@example.com"]'));
    expect(listLedger(result.text, NOW)).toEqual({ active: [], overdue: [], standing: [{ group: 'prod', member: 'carol@example.com' }], warnings: [] });
  });
});
