import { exampleManifest } from '../../scripts/fixtures/example-manifest';
import { AccessRequest, FlowRules, RequestState } from '../../lib/requests';
import { requestCard } from '../../lib/runtime/slack-notifier';
import { requestBlocks } from '../../lib/slack';

const manifest = exampleManifest('http://127.0.0.1:1');
const rules: FlowRules = {
  autoApprove: false,
  approvers: ['bob@example.com'],
  approverGroups: [],
  requiredApprovals: 2,
  allowSelfApproval: false,
  approvalWindowSeconds: 3600,
  allowedRequesters: [],
  allowRevoke: true,
};
const alice = { kind: 'slack' as const, teamId: 'T0W', userId: 'U0ALICE', email: 'alice@example.com' };
const bob = { kind: 'iam' as const, arn: 'arn:aws:sts::111122223333:assumed-role/R/bob@example.com', email: 'bob@example.com' };
const at = '2026-11-29T18:00:00.000Z';

function request(state: RequestState, extra: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'r-1',
    version: 3,
    state,
    flow: 'tailscale-ssh-access',
    target: 'main-prod-access',
    requester: alice,
    login: 'alice@example.com',
    duration: '1h',
    reason: 'INC-1',
    approvals: [],
    deadline: '2026-11-29T19:00:00.000Z',
    createdAt: at,
    history: [{ action: 'request', actor: alice, at }],
    ...extra,
  };
}

const approved = { approvals: [{ actor: bob, login: 'bob@example.com', at }] };
test.each([
  ['pending', request('pending'), '0 of 2 approval(s); waits until 2026-11-29T19:00:00.000Z', ['approve', 'deny', 'cancel']],
  ['approved', request('approved', approved), 'approved by bob@example.com; granting access', ['revoke']],
  [
    'escalated',
    request('escalated', { ...approved, until: '2026-11-29T19:30:00Z' }),
    'approved by bob@example.com; access until 2026-11-29T19:30:00Z',
    ['revoke'],
  ],
  [
    'break-glass',
    request('escalated', { breakGlass: true, needsReview: true, approvals: [{ actor: alice, login: 'alice@example.com', at }], until: '2026-11-29T18:30:00Z' }),
    'approved by <@U0ALICE> (their own, break-glass); access until 2026-11-29T18:30:00Z',
    ['revoke'],
  ],
  ['ended by revoke', request('ended', { history: [{ action: 'revoke', actor: alice, at }], until: '2026-11-29T19:30:00Z' }), 'ended early by <@U0ALICE>', []],
  [
    'ended by the sweep',
    request('ended', { history: [{ action: 'end', actor: { kind: 'system', name: 'sweep' }, at }], until: '2026-11-29T19:30:00Z' }),
    'ended at 2026-11-29T19:30:00Z',
    [],
  ],
  ['denied', request('denied', { history: [{ action: 'deny', actor: bob, at }] }), 'denied by bob@example.com', []],
  ['cancelled', request('cancelled', { history: [{ action: 'cancel', actor: alice, at }] }), 'cancelled by <@U0ALICE>', []],
  ['expired', request('expired'), 'no decision by 2026-11-29T19:00:00.000Z', []],
  [
    'failed',
    request('failed', { history: [{ action: 'escalation-failed', actor: bob, at, detail: 'policy-invalid: 400' }] }),
    'approved, but the grant could not be written: policy-invalid: 400',
    [],
  ],
  [
    'refused',
    request('failed', {
      history: [
        { action: 'fail', actor: { kind: 'system', name: 'record-check' }, at, detail: 'tampered: request r-1: its stored record does not carry a valid MAC' },
      ],
    }),
    'refused, never granted: tampered: request r-1: its stored record does not carry a valid MAC',
    [],
  ],
])('a %s request says so and offers only what its state allows', (_name, stored, status, actions) => {
  const card = requestCard(stored, manifest, rules);
  expect(card.status).toBe(status);
  expect(card.actions).toEqual(actions);
  expect(card).toMatchObject({ requester: '<@U0ALICE>', targetLabel: 'Prod SSH Access', flowLabel: 'Tailscale SSH Access' });
});

test('a flow that does not allow revoking offers no "I\'m done"', () => {
  expect(requestCard(request('escalated', approved), manifest, { ...rules, allowRevoke: false }).actions).toEqual([]);
});

test("the status line and an email requester, which share mrkdwn with mentions, carry others' text inert", () => {
  const detail = 'policy-refused: <!channel> *approve* `carol`\n> ~now~\u202e';
  const stored = request('failed', { requester: { ...bob, email: '*boss*@example.com' }, history: [{ action: 'escalation-failed', actor: bob, at, detail }] });
  const card = requestCard(stored, manifest, rules);
  expect(card.status).toBe(
    'approved, but the grant could not be written: policy-refused: &lt;!channel&gt; \u2217approve\u2217 \u02cbcarol\u02cb &gt; \u223cnow\u223c\\u202e',
  );
  expect(card.requester).toBe('\u2217boss\u2217@example.com');
});

test('an escalated request offers its requester Extend, one button a duration of the flow, before "I\'m done"', () => {
  const card = requestCard(request('escalated', { ...approved, until: '2026-11-29T19:30:00Z' }), manifest, rules);
  expect(card.extendBy).toEqual(['30m', '1h']);
  const [buttons] = requestBlocks(card).filter((b) => b.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[] }[];
  expect(buttons.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual([
    ['symtail-extend-30m', 'Extend 30m', 'r-1'],
    ['symtail-extend-1h', 'Extend 1h', 'r-1'],
    ['symtail-revoke', "I'm done", 'r-1'],
  ]);
  for (const state of ['pending', 'approved', 'ended', 'extended'] as const)
    expect(requestCard(request(state, approved), manifest, rules).extendBy).toBeUndefined();
});
