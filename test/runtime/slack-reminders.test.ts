import { EXAMPLE_SLACK_ENTRY, exampleManifest } from '../../scripts/fixtures/example-manifest';
import { validateManifest } from '../../lib/manifest';
import { AccessRequest, Actor, FlowRules } from '../../lib/requests';
import { SlackReminders } from '../../lib/runtime';
import { SlackApi } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';
import { RULES } from '../requests/recording-access';

// The reminders' Slack side against the Slack stand-in: whom they reach, where, and what they offer.

const CHANNEL = 'C0REQUESTS';
const NOW = new Date('2026-11-29T10:50:00.000Z');
const aliceInSlack: Actor = { kind: 'slack', teamId: EXAMPLE_SLACK_ENTRY.externalId, userId: 'U0ALICE', email: 'alice@example.com' };
const aliceByIam: Actor = {
  kind: 'iam',
  arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Eng_0123456789abcdef/alice@example.com',
  email: 'alice@example.com',
};
const carol: Actor = { kind: 'iam', arn: 'arn:aws:iam::111122223333:user/carol', email: 'carol@example.com' };

let slack: SlackStandIn;
let rules: FlowRules;
let groups: Record<string, readonly string[]>;
let reminders: SlackReminders;

beforeAll(async () => {
  slack = await SlackStandIn.start({
    teamId: EXAMPLE_SLACK_ENTRY.externalId,
    users: [
      { id: 'U0ALICE', email: 'Alice@Example.com' },
      { id: 'U0BOB', email: 'bob@example.com' },
      { id: 'U0CAROL', email: 'carol@example.com' },
      { id: 'U0ERIN', email: 'erin@example.com' },
      { id: 'U0GONE', email: 'gone@example.com', deleted: true },
      { id: 'U0RENAMED', email: 'someone-else@example.com' },
    ],
  });
});
afterAll(() => slack.stop());
beforeEach(() => {
  const example = JSON.parse(JSON.stringify(exampleManifest('http://127.0.0.1:1')));
  example.flows['tailscale-ssh-access'].requestsChannel = CHANNEL;
  const manifest = validateManifest({ ...example, slack: { ...EXAMPLE_SLACK_ENTRY, apiUrl: slack.apiUrl } });
  rules = { ...RULES, selfExtension: { maxTotal: '4h', allows: () => true } };
  groups = {};
  const api = new SlackApi({ botToken: slack.botToken, apiUrl: slack.apiUrl });
  reminders = new SlackReminders({
    manifest,
    api: async () => api,
    rules: () => rules,
    directory: () => ({ loginFor: (email) => email, standingMembers: async (group) => groups[group] ?? [] }),
  });
});

const request = (over: Partial<AccessRequest>): AccessRequest => ({
  id: 'r-0123456789abcdef',
  version: 3,
  state: 'escalated',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: aliceInSlack,
  login: 'alice@example.com',
  duration: '1h',
  approvals: [],
  deadline: '2026-11-29T11:00:00.000Z',
  until: '2026-11-29T11:00:00.000Z',
  escalatedAt: '2026-11-29T10:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  history: [],
  ...over,
});
const since = () => {
  const before = slack.calls.length;
  return () => slack.calls.slice(before);
};
type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (blocks: unknown) =>
  ((blocks as { type: string; elements?: Button[] }[]).find((b) => b.type === 'actions')?.elements ?? []).map((e) => [e.action_id, e.text.text, e.value]);

describe('the requester', () => {
  test('who asked in Slack gets a direct message, once users.info confirms the sealed email is still theirs, with Extend and End now', async () => {
    const calls = since();
    await reminders.remindRequester(request({}), NOW);
    expect(calls().map((c) => c.method)).toEqual(['users.info', 'chat.postMessage']);
    const dm = slack.messages.at(-1)!;
    expect(dm.channel).toBe('D0ALICE');
    expect(dm.text).toBe('Your access to Prod SSH Access ends in 10 minutes (request r-0123456789abcdef)');
    expect(JSON.stringify(dm.blocks)).toContain('<!date^1795950000^{date_short_pretty} at {time}|2026-11-29T11:00:00.000Z>');
    expect(JSON.stringify(dm.blocks)).toContain('up to 4h in all it is granted at once');
    expect(buttonsOf(dm.blocks)).toEqual([
      ['symtail-extend-30m', 'Extend 30m', 'r-0123456789abcdef'],
      ['symtail-extend-1h', 'Extend 1h', 'r-0123456789abcdef'],
      ['symtail-revoke', 'End now', 'r-0123456789abcdef'],
    ]);
  });

  test('who asked through the requests API is found by email (users.lookupByEmail), and a flow without revoking offers no End now', async () => {
    rules = { ...RULES, allowRevoke: false };
    const calls = since();
    await reminders.remindRequester(request({ requester: aliceByIam }), NOW);
    expect(calls().map((c) => [c.method, c.args.email ?? c.args.channel])).toEqual([
      ['users.lookupByEmail', 'alice@example.com'],
      ['chat.postMessage', 'U0ALICE'],
    ]);
    const dm = slack.messages.at(-1)!;
    expect(buttonsOf(dm.blocks).map(([id]) => id)).toEqual(['symtail-extend-30m', 'symtail-extend-1h']);
    expect(JSON.stringify(dm.blocks)).toContain('once an approver agrees');
  });

  test.each<[string, Partial<AccessRequest>, string]>([
    [
      'a Slack user whose email is no longer the requester’s',
      { requester: { ...aliceInSlack, userId: 'U0RENAMED' } },
      "Slack user U0RENAMED: no longer has the requester's email alice@example.com",
    ],
    ['a deactivated Slack user', { requester: { ...aliceInSlack, userId: 'U0GONE', email: 'gone@example.com' } }, 'Slack user U0GONE: is deactivated'],
    ['an email Slack does not know', { requester: { ...aliceByIam, email: 'dave@example.com' } }, "no Slack user has the requester's email dave@example.com"],
  ])('is not told when the requester is %s: nothing is posted, and the error says why', async (_case, over, message) => {
    const calls = since();
    await expect(reminders.remindRequester(request(over), NOW)).rejects.toThrow(message);
    expect(calls().filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });
});

describe('the approvers', () => {
  const pending = (over: Partial<AccessRequest> = {}) =>
    request({ state: 'pending', until: undefined, escalatedAt: undefined, deadline: '2026-11-29T11:00:00.000Z', ...over });

  test('are mentioned in a reply in the request’s thread: those who may still approve, never the requester or who voted', async () => {
    const voted = pending({
      approvals: [{ actor: carol, login: 'carol@example.com', at: '2026-11-29T10:10:00.000Z' }],
      notification: { channel: CHANNEL, ts: '1700000000.000001' },
    });
    rules = { ...RULES, approvers: ['bob@example.com', 'carol@example.com', 'alice@example.com'], approverGroups: ['sre'] };
    groups = { sre: ['erin@example.com', 'nobody@example.com', 'alice@example.com'] };
    await reminders.nudgeApprovers(voted, new Date('2026-11-29T10:30:00.000Z'));
    const nudge = slack.messages.at(-1)!;
    expect(nudge).toMatchObject({ channel: CHANNEL, threadTs: '1700000000.000001' });
    expect(nudge.text).toBe(
      ':bell: <@U0BOB> <@U0ERIN>: this request by <@U0ALICE> for *Prod SSH Access* (1h) has waited 30 minutes for approval and expires ' +
        '<!date^1795950000^{date_short_pretty} at {time}|2026-11-29T11:00:00.000Z> unless approved. Approve or deny it above.',
    );
  });

  test('are mentioned in the requests channel itself when the request’s message was never posted, which names the request', async () => {
    await reminders.nudgeApprovers(pending(), new Date('2026-11-29T10:31:00.000Z'));
    const nudge = slack.messages.at(-1)!;
    expect(nudge.channel).toBe(CHANNEL);
    expect(nudge.threadTs).toBeUndefined();
    expect(nudge.text).toContain('<@U0BOB> <@U0CAROL>: this request by <@U0ALICE>');
    expect(nudge.text).toContain('Request `r-0123456789abcdef`.');
  });
});
