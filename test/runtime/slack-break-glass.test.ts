import { AccessRequest, ApprovalRules } from '../../lib/requests';
import { BreakGlassNotices } from '../../lib/runtime/slack-break-glass';
import { SlackApi } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';

// The break-glass part of a message against the Slack stand-in on loopback: whom it mentions, what it remembers, and
// that a slow or failing Slack never holds the message back.

let slack: SlackStandIn;
beforeAll(async () => {
  slack = await SlackStandIn.start({
    users: [
      { id: 'U0ALICE', email: 'alice@example.com' },
      { id: 'U0BOB', email: 'bob@example.com' },
      ...Array.from({ length: 30 }, (_, i) => ({ id: `U0MANY${i}`, email: `approver${i}@example.com` })),
    ],
  });
});
afterAll(() => slack.stop());
afterEach(() => {
  slack.delayMs = {};
});

const rules = (approvers: string[], approverGroups: string[] = []): ApprovalRules => ({
  autoApprove: false,
  approvers,
  approverGroups,
  requiredApprovals: 1,
  allowSelfApproval: false,
  approvalWindowSeconds: 3600,
  allowedRequesters: [],
});
const at = '2026-11-29T18:00:00.000Z';
const alice = { kind: 'iam' as const, arn: 'arn:aws:sts::111122223333:assumed-role/R/alice@example.com', email: 'alice@example.com' };
const breakGlass = (extra: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r-0bad',
  version: 3,
  state: 'escalated',
  flow: 'ssh',
  target: 'prod',
  requester: alice,
  login: 'alice@example.com',
  duration: '30m',
  reason: 'INC-4022',
  approvals: [{ actor: alice, login: 'alice@example.com', at }],
  deadline: at,
  createdAt: at,
  history: [],
  breakGlass: true,
  needsReview: true,
  ...extra,
});
const client = (token = slack.botToken) => {
  const api = new SlackApi({ botToken: token, apiUrl: slack.apiUrl });
  return async () => api;
};
const lookups = () => slack.callsTo('users.lookupByEmail').map((c) => c.args.email);

test('the approvers are mentioned once each, never the requester, whatever the case of their emails; approver groups are named', async () => {
  const before = lookups().length;
  const notice = await new BreakGlassNotices(client()).of(
    breakGlass(),
    rules(['Bob@Example.com', 'bob@example.com', 'ALICE@example.com', 'carol@example.com'], ['sre']),
  );
  expect(notice).toEqual({ needsReview: true, approvers: [{ userId: 'U0BOB' }, { email: 'carol@example.com' }, { group: 'sre' }] });
  expect(lookups().slice(before)).toEqual(['bob@example.com', 'carol@example.com']);
});

test('Slack is asked for at most 20 approvers of one message; the others are named by email', async () => {
  const before = lookups().length;
  const many = Array.from({ length: 30 }, (_, i) => `approver${i}@example.com`);
  const { approvers } = await new BreakGlassNotices(client()).of(breakGlass(), rules(many));
  expect(lookups().length - before).toBe(20);
  expect(approvers.slice(18, 22)).toEqual([
    { userId: 'U0MANY18' },
    { userId: 'U0MANY19' },
    { email: 'approver20@example.com' },
    { email: 'approver21@example.com' },
  ]);
});

test('a lookup slower than the budget names the approver by email; the one lookup’s answer, when it comes, is remembered', async () => {
  slack.delayMs = { 'users.lookupByEmail': 300 };
  const before = lookups().length;
  const notices = new BreakGlassNotices(client(), 20);
  expect((await notices.of(breakGlass(), rules(['bob@example.com']))).approvers).toEqual([{ email: 'bob@example.com' }]);
  // Messages made meanwhile wait on the same lookup, and none asks Slack again.
  let approvers = (await notices.of(breakGlass(), rules(['bob@example.com']))).approvers;
  for (let i = 0; i < 100 && !('userId' in approvers[0]); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    approvers = (await notices.of(breakGlass(), rules(['bob@example.com']))).approvers;
  }
  expect(approvers).toEqual([{ userId: 'U0BOB' }]);
  expect(lookups().length - before).toBe(1);
});

test('a lookup that fails is not remembered: the next message asks again', async () => {
  const notices = new BreakGlassNotices(client('xoxb-revoked'));
  const before = slack.callsTo('users.lookupByEmail').filter((c) => c.error === 'invalid_auth').length;
  for (let i = 0; i < 2; i++) expect((await notices.of(breakGlass(), rules(['bob@example.com']))).approvers).toEqual([{ email: 'bob@example.com' }]);
  expect(slack.callsTo('users.lookupByEmail').filter((c) => c.error === 'invalid_auth').length - before).toBe(2);
});

test('once reviewed, nobody is mentioned and nobody looked up: the notice names the reviewer, as their Slack user or their email', async () => {
  const before = lookups().length;
  const notices = new BreakGlassNotices(client());
  const bobInSlack = { kind: 'slack' as const, teamId: 'T0', userId: 'U0BOB', email: 'bob@example.com' };
  const { needsReview: _, ...reviewed } = breakGlass();
  expect(await notices.of({ ...reviewed, review: { actor: bobInSlack, at, note: 'seen' } }, rules(['bob@example.com']))).toEqual({
    needsReview: false,
    approvers: [],
    review: { by: { userId: 'U0BOB' }, at, note: 'seen' },
  });
  const bobByCli = { kind: 'iam' as const, arn: 'arn:aws:sts::111122223333:assumed-role/R/bob@example.com', email: 'bob@example.com' };
  expect((await notices.of({ ...reviewed, review: { actor: bobByCli, at } }, rules(['bob@example.com']))).review).toEqual({
    by: { email: 'bob@example.com' },
    at,
  });
  expect(lookups().length).toBe(before);
});
