import { approverNudgeText, expiryReminderBlocks, extendDurationOf, reminderAnswerText } from '../../lib/slack';

test.each<[string, string | undefined]>([
  ['symtail-extend-30m', '30m'],
  ['symtail-extend-1h', '1h'],
  ['symtail-extend-', undefined],
  ['symtail-extend-1h; drop', undefined],
  ['symtail-extend-0m', undefined],
  ['symtail-revoke', undefined],
])('the Extend action id %j asks for %j', (actionId, duration) => {
  expect(extendDurationOf(actionId)).toBe(duration);
});

test('labels from the manifest are shown inert in the reminder and the nudge: no mention, link or formatting', () => {
  const label = 'Prod <!channel> <https://evil.example|login>';
  const blocks = JSON.stringify(
    expiryReminderBlocks({ id: 'r-1', flowLabel: label, targetLabel: label, until: '2026-11-29T11:00:00.000Z', minutesLeft: 10, extendBy: [], endNow: false }),
  );
  const nudge = approverNudgeText({
    id: 'r-1',
    targetLabel: label,
    requester: 'alice@example.com',
    duration: '1h',
    approvers: [],
    deadline: '2026-11-29T11:00:00.000Z',
    minutesWaited: 30,
    inThread: true,
  });
  for (const shown of [blocks, nudge]) {
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;!channel&gt;');
  }
  expect(blocks).not.toContain('"actions"');
});

test.each<[string, Parameters<typeof reminderAnswerText>[0], string]>([
  [
    'an extension granted at once',
    { action: 'extend', id: 'r-2', state: 'escalated', until: '2026-11-29T12:00:00.000Z' },
    ':white_check_mark: Extended: your access now lasts until',
  ],
  ['an extension that waits for an approver', { action: 'extend', id: 'r-2', state: 'pending' }, ':hourglass: Extension asked for: request `r-2` is pending'],
  ['access ended', { action: 'revoke', id: 'r-1', state: 'ended' }, ':wave: Ended: your access was removed (request `r-1`).'],
])('a reminder whose button was used says what came of it: %s', (_case, answer, text) => {
  expect(reminderAnswerText(answer)).toContain(text);
});
