import { REQUEST_ACTIONS, requestBlocks, requestModal, RequestCard } from '../../lib/slack';
import { buttons, textObjects } from './block-kit';
import MRKDWN from './fixtures/mrkdwn-syntax.json';

const card: RequestCard = {
  id: 'r-0123',
  state: 'pending',
  flowLabel: 'SSH access',
  targetLabel: 'Prod <!channel>',
  requester: '<@U0ALICE>',
  duration: '1h',
  reason: 'INC-1 <@U0BOSS> & co',
  status: 'Waiting for 1 approval',
  actions: ['approve', 'deny', 'cancel'],
  impact: { rules: ['acls line 12: tcp:22 on tag:prod'], dangers: ['tagOwners line 4: may apply tag:prod'] },
};

test('each button carries only the request id', () => {
  const shown = buttons(requestBlocks(card));
  expect(shown.map((b) => b.action_id)).toEqual([REQUEST_ACTIONS.approve, REQUEST_ACTIONS.deny, REQUEST_ACTIONS.cancel]);
  expect(shown.every((b) => b.value === 'r-0123')).toBe(true);
});

const reasonOf = (reason: string) => textObjects(requestBlocks({ ...card, reason })).filter((t) => t.text.startsWith('Reason: '));

test('the approver sees requester, target, duration, reason, what the group grants and its dangers', () => {
  const text = JSON.stringify(requestBlocks(card));
  for (const shown of [
    '<@U0ALICE>',
    'Prod &lt;!channel&gt;',
    '1h',
    'Reason: INC-1 <@U0BOSS> & co',
    'acls line 12: tcp:22 on tag:prod',
    'tagOwners line 4: may apply tag:prod',
  ]) {
    expect(text).toContain(shown);
  }
});

test('text from a requester cannot mention or broadcast: the reason is plain text, and no mrkdwn carries it', () => {
  const mrkdwn = textObjects(requestBlocks(card))
    .filter((t) => t.type === 'mrkdwn')
    .map((t) => t.text)
    .join('\n');
  expect(mrkdwn).not.toContain('<!channel>');
  expect(mrkdwn).not.toContain('U0BOSS');
  expect(reasonOf(card.reason!)).toEqual([{ type: 'plain_text', text: 'Reason: INC-1 <@U0BOSS> & co', emoji: false }]);
});

test.each(MRKDWN.examples.map((e) => [e.syntax, e.text]))(
  "a reason written in Slack's %s syntax shows as typed, on one line, in plain text only",
  (_, reason) => {
    const blocks = requestBlocks({ ...card, reason });
    expect(reasonOf(reason)).toEqual([{ type: 'plain_text', text: `Reason: ${reason.replace(/\n/g, ' ')}`, emoji: false }]);
    const mrkdwn = textObjects(blocks)
      .filter((t) => t.type === 'mrkdwn')
      .map((t) => t.text);
    expect(mrkdwn.filter((t) => t.includes(reason.split('\n')[0]))).toEqual([]);
  },
);

test.each([
  ['a fake "*Target*" line drawn with a newline', 'INC-1\n*Target*: Staging', 'Reason: INC-1 *Target*: Staging'],
  ['CR and LF runs and blank lines', 'a\r\n\r\n  b\rc', 'Reason: a b c'],
  ['a right-to-left override that reverses what follows', 'INC-1 \u202eyrgnal lla', 'Reason: INC-1 \\u202eyrgnal lla'],
  ['an ANSI cursor move', 'ok\u001b[1Aapprove carol', 'Reason: ok\\u001b[1Aapprove carol'],
  ['a zero-width joiner and a line separator', 'a\u200db\u2028c', 'Reason: a\\u200db c'],
])('a reason with %s is one inert line', (_, reason, shown) => {
  expect(reasonOf(reason).map((t) => t.text)).toEqual([shown]);
});

test('a reason as long as escaping can make it stays within the length Block Kit takes for a section', () => {
  const [shown] = reasonOf('\u202e'.repeat(1024));
  expect(shown.text.length).toBeLessThanOrEqual(3000);
  expect(shown.text.endsWith('…')).toBe(true);
});

test('a settled request shows no buttons', () => {
  expect(buttons(requestBlocks({ ...card, state: 'denied', actions: [] }))).toEqual([]);
});

test('the modal offers the flow’s own targets and durations, and the reason is optional only when the flow says so', () => {
  const modal = requestModal({
    name: 'ssh',
    label: 'SSH',
    targets: [
      { name: 'prod', label: 'Prod' },
      { name: 'stg', label: 'Staging' },
    ],
    durations: ['30m', '1h'],
    maxDuration: '1h',
    reasonRequired: false,
  });
  type Input = { block_id?: string; optional?: boolean; element?: { options?: { value: string }[] } };
  const byId: Record<string, Input> = Object.fromEntries((modal.blocks as Input[]).filter((b) => b.block_id).map((b) => [b.block_id, b]));
  expect(byId.target.element?.options?.map((o) => o.value)).toEqual(['prod', 'stg']);
  expect(byId.duration.element?.options?.map((o) => o.value)).toEqual(['30m', '1h']);
  expect(byId.reason.optional).toBe(true);
});
