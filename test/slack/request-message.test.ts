import { REQUEST_ACTIONS, requestBlocks, requestModal, RequestCard } from '../../lib/slack';

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

function buttons(blocks: unknown[]): { action_id: string; value: string }[] {
  return blocks.flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: { action_id: string; value: string }[] }).elements : []));
}

test('each button carries only the request id', () => {
  const shown = buttons(requestBlocks(card));
  expect(shown.map((b) => b.action_id)).toEqual([REQUEST_ACTIONS.approve, REQUEST_ACTIONS.deny, REQUEST_ACTIONS.cancel]);
  expect(shown.every((b) => b.value === 'r-0123')).toBe(true);
});

test('the approver sees requester, target, duration, reason, what the group grants and its dangers', () => {
  const text = JSON.stringify(requestBlocks(card));
  for (const shown of ['<@U0ALICE>', 'Prod &lt;!channel&gt;', '1h', 'INC-1 &lt;@U0BOSS&gt; &amp; co', 'acls line 12: tcp:22 on tag:prod', 'tagOwners line 4: may apply tag:prod']) {
    expect(text).toContain(shown);
  }
});

test('text from a requester cannot mention or broadcast', () => {
  const text = JSON.stringify(requestBlocks(card));
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<@U0BOSS>');
});

test('a settled request shows no buttons', () => {
  expect(buttons(requestBlocks({ ...card, state: 'denied', actions: [] }))).toEqual([]);
});

test('the modal offers the flow’s own targets and durations, and the reason is optional only when the flow says so', () => {
  const modal = requestModal({ name: 'ssh', label: 'SSH', targets: [{ name: 'prod', label: 'Prod' }, { name: 'stg', label: 'Staging' }], durations: ['30m', '1h'], maxDuration: '1h', reasonRequired: false });
  type Input = { block_id?: string; optional?: boolean; element?: { options?: { value: string }[] } };
  const byId: Record<string, Input> = Object.fromEntries((modal.blocks as Input[]).filter((b) => b.block_id).map((b) => [b.block_id, b]));
  expect(byId.target.element?.options?.map((o) => o.value)).toEqual(['prod', 'stg']);
  expect(byId.duration.element?.options?.map((o) => o.value)).toEqual(['30m', '1h']);
  expect(byId.reason.optional).toBe(true);
});
