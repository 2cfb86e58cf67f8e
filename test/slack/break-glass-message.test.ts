import { BREAK_GLASS_ACTIONS, BreakGlassNotice, breakGlassBlocks, breakGlassText, RequestCard } from '../../lib/slack';
import { buttons, textObjects } from './block-kit';
import MRKDWN from './fixtures/mrkdwn-syntax.json';

const card: RequestCard = {
  id: 'r-0bad',
  state: 'escalated',
  flowLabel: 'SSH access',
  targetLabel: 'Prod SSH Access',
  requester: '<@U0ALICE>',
  duration: '30m',
  reason: 'INC-4022: payments down',
  status: 'approved by <@U0ALICE> (their own, break-glass); access until 2026-11-29T18:30:00Z',
  actions: ['revoke'],
};
const waiting: BreakGlassNotice = {
  needsReview: true,
  approvers: [{ userId: 'U0BOB' }, { email: 'carol@example.com' }, { group: 'sre' }],
};

const mrkdwnOf = (notice: BreakGlassNotice, c = card) =>
  textObjects(breakGlassBlocks(c, notice))
    .filter((t) => t.type === 'mrkdwn')
    .map((t) => t.text)
    .join('\n');

test('it says plainly who granted themself what, for how long and why, self-approved in an emergency', () => {
  const blocks = breakGlassBlocks(card, waiting);
  expect((blocks[0] as { text: { text: string } }).text.text).toBe(
    ':rotating_light: *Break-glass:* <@U0ALICE> granted themself *Prod SSH Access* for *30m*, self-approved in an emergency. Nobody else approved it.',
  );
  expect(textObjects(blocks)).toContainEqual({ type: 'plain_text', text: 'Reason: INC-4022: payments down', emoji: false });
  expect(breakGlassText(card, waiting)).toBe(
    'Break-glass: <@U0ALICE> granted themself Prod SSH Access for 30m in an emergency, request r-0bad; needs review by <@U0BOB>, carol@example.com, standing members of group:sre',
  );
});

test('while it needs review, the approvers are mentioned (groups named as text) beside a "Mark reviewed" button carrying only the request id', () => {
  const shown = mrkdwnOf(waiting);
  expect(shown).toContain(':warning: *Needs review by an approver:* <@U0BOB>, carol@example.com, standing members of group:sre');
  expect(buttons(breakGlassBlocks(card, waiting)).map((b) => [b.action_id, b.value, b.text.text])).toEqual([
    ['symtail-revoke', 'r-0bad', "I'm done"],
    [BREAK_GLASS_ACTIONS.review, 'r-0bad', 'Mark reviewed'],
  ]);
});

test.each<[string, BreakGlassNotice, string, string | undefined]>([
  [
    'reviewed in Slack',
    { needsReview: false, approvers: waiting.approvers, review: { by: { userId: 'U0BOB' }, at: '2026-11-29T18:05:00.000Z' } },
    ':white_check_mark: Reviewed by <@U0BOB> at 2026-11-29T18:05:00.000Z',
    undefined,
  ],
  [
    'reviewed from the command line, with a note',
    { needsReview: false, approvers: [], review: { by: { email: 'bob@example.com' }, at: '2026-11-29T18:05:00.000Z', note: 'checked *INC-4022* <!channel>' } },
    ':white_check_mark: Reviewed by bob@example.com at 2026-11-29T18:05:00.000Z',
    'Review note: checked *INC-4022* <!channel>',
  ],
])('once %s, the message says who reviewed it and when, mentions nobody to review and has no review button', (_case, notice, line, note) => {
  const blocks = breakGlassBlocks(card, notice);
  expect(mrkdwnOf(notice)).toContain(line);
  expect(mrkdwnOf(notice)).not.toContain('Needs review');
  expect(buttons(blocks).map((b) => b.action_id)).toEqual(['symtail-revoke']);
  const notes = textObjects(blocks).filter((t) => t.text.startsWith('Review note: '));
  expect(notes).toEqual(note === undefined ? [] : [{ type: 'plain_text', text: note, emoji: false }]);
});

test.each(MRKDWN.examples.map((e) => [e.syntax, e.text]))(
  "an approver email or group name written in Slack's %s syntax can neither mention, link nor format",
  (_, text) => {
    const hostile: BreakGlassNotice = { needsReview: true, approvers: [{ email: `${text}@example.com` }, { group: text }, { userId: text }] };
    const review = mrkdwnOf(hostile)
      .split('\n')
      .find((l) => l.startsWith(':warning:'))!;
    expect(review).not.toMatch(/<[@#!]|<http|<mailto/);
    expect(review).not.toContain('\n');
    // What stays of a mark is a look-alike: `*`, `~` and `` ` `` never reach the line as themselves.
    expect(review.replace(/^:warning: \*Needs review by an approver:\* /, '')).not.toMatch(/[*~`]/);
  },
);

test('a flow with many approvers keeps the review line within Block Kit’s 3000 characters, saying how many more there are', () => {
  const many: BreakGlassNotice = {
    needsReview: true,
    approvers: Array.from({ length: 400 }, (_, i) => ({ email: `approver-number-${i}@a-rather-long-domain.example.com` })),
  };
  const line = textObjects(breakGlassBlocks(card, many)).find((t) => t.text.startsWith(':warning:'))!.text;
  expect(line.length).toBeLessThanOrEqual(3000);
  const shown = line.match(/approver-number-\d+@/g)!.length;
  expect(line.endsWith(`, … and ${400 - shown} more`)).toBe(true);
  expect(breakGlassText(card, many).length).toBeLessThan(1200);
});

test('a flow that names no approver says so rather than mention nobody', () => {
  expect(mrkdwnOf({ needsReview: true, approvers: [] })).toContain('*Needs review by an approver:* nobody (the flow names no approver)');
});
