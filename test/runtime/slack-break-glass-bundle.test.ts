import { SlackHandOff } from '../../lib/slack';
import { blockActionBody } from '../../lib/testing';
import { REQUESTS_API_CALLERS, SLACK_FIXTURE, SlackDeployment, slackUser } from '../../scripts/fixtures/slack-deployment';

// The synthesized runtime and front door, each in a fresh Node process, against the Slack stand-in, dynalite, the STS,
// IAM, KMS and Lambda stand-ins and the tailnet emulator. alice makes a break-glass request through the requests API
// (as `symtail request --break-glass` does); the requests channel is told, and an approver marks it reviewed in Slack.
// One deployment for the file: the steps build on each other.
let d: SlackDeployment;
beforeAll(async () => {
  // dave is a full member of the workspace, but not an approver of the flow.
  d = await SlackDeployment.start({ users: [{ id: 'U0DAVE', email: 'dave@example.com' }] });
}, 60_000);
afterAll(() => d?.stop());

const { alice: ALICE, bob: BOB } = REQUESTS_API_CALLERS;
const EMERGENCY = {
  action: 'request',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  duration: '30m',
  reason: 'INC-4022: prod is down',
  breakGlass: true,
};
const messageOf = (requestId: string) => d.slack.messages.find((m) => JSON.stringify(m.blocks).includes(requestId))!;
const reviewClick = (userId: string, requestId: string, n: number) =>
  blockActionBody(slackUser(userId), {
    actionId: 'symtail-review',
    value: requestId,
    channelId: SLACK_FIXTURE.channel,
    messageTs: messageOf(requestId).ts,
    triggerId: `t-review-${n}`,
  });
const handled = (exchange: { handled: unknown[] }) =>
  exchange.handled[0] as { ok: boolean; requestId?: string; state?: string; error?: { code: string; message: string } };

/** The review line of a message: the section with the button while it needs review, the context once reviewed. */
function reviewLine(requestId: string): string {
  const blocks = messageOf(requestId).blocks as { block_id?: string; text?: { text: string }; elements?: { text: string }[] }[];
  const review = blocks.find((b) => b.block_id === 'review');
  return review?.text?.text ?? review?.elements?.[0].text ?? '';
}

let id: string;

test('a break-glass request is posted to the requests channel saying so plainly, mentioning the approvers found in Slack and naming the others by email', async () => {
  const lookups = d.slack.callsTo('users.lookupByEmail').length;
  const { status, body } = await d.call(ALICE, EMERGENCY);
  expect(status).toBe(200);
  const request = body.request as { id: string; state: string; needsReview: boolean };
  expect(request).toMatchObject({ state: 'escalated', needsReview: true });
  id = request.id;

  const message = messageOf(id);
  expect(message.channel).toBe(SLACK_FIXTURE.channel);
  const shown = JSON.stringify(message.blocks);
  expect(shown).toContain(
    ':rotating_light: *Break-glass:* alice@example.com granted themself *Prod SSH Access* for *30m*, self-approved in an emergency. Nobody else approved it.',
  );
  expect(shown).toContain('"text":"Reason: INC-4022: prod is down"');
  expect(shown).toContain('approved by alice@example.com (their own, break-glass); access until');
  expect(reviewLine(id)).toBe(':warning: *Needs review by an approver:* <@U0BOB>, carol@example.com');
  const review = (message.blocks as { block_id?: string; accessory?: unknown }[]).find((b) => b.block_id === 'review')!;
  expect(review.accessory).toEqual({
    type: 'button',
    action_id: 'symtail-review',
    text: { type: 'plain_text', text: 'Mark reviewed' },
    value: id,
    style: 'primary',
  });
  expect(message.text).toBe(
    `Break-glass: alice@example.com granted themself Prod SSH Access for 30m in an emergency, request ${id}; needs review by <@U0BOB>, carol@example.com`,
  );
  // bob is found; carol is not in Slack (users_not_found), and the message is posted all the same.
  expect(
    d.slack
      .callsTo('users.lookupByEmail')
      .slice(lookups)
      .map((c) => [c.args.email, c.ok ? 'found' : c.error]),
  ).toEqual([
    ['bob@example.com', 'found'],
    ['carol@example.com', 'users_not_found'],
  ]);
  expect(d.emulator.policy).toContain(`req=${id}`);
});

test('another break-glass request in the same container asks Slack nothing again: bob’s user and carol’s absence are remembered', async () => {
  const lookups = d.slack.callsTo('users.lookupByEmail').length;
  const { body } = await d.call(ALICE, { ...EMERGENCY, target: 'main-staging-access' });
  const second = (body.request as { id: string }).id;
  expect(reviewLine(second)).toBe(':warning: *Needs review by an approver:* <@U0BOB>, carol@example.com');
  expect(d.slack.callsTo('users.lookupByEmail').slice(lookups)).toEqual([]);
});

describe('refused, with nothing written and the message as it was', () => {
  let before: { writes: number; blocks: string; updates: number };
  beforeEach(() => {
    const message = messageOf(id);
    before = { writes: d.dynamo.writes.length, blocks: JSON.stringify(message.blocks), updates: message.updates };
  });
  afterEach(() => {
    const message = messageOf(id);
    expect({ writes: d.dynamo.writes.length, blocks: JSON.stringify(message.blocks), updates: message.updates }).toEqual(before);
  });

  test.each([
    ['the requester', 'U0ALICE', 'self-approval', /^Nothing was done: alice@example\.com is the requester of this request/],
    [
      'a member who is not an approver',
      'U0DAVE',
      'not-an-approver',
      /^Nothing was done: dave@example\.com is not an approver of this flow; approvers: bob@example\.com, carol@example\.com$/,
    ],
  ])('"Mark reviewed" pressed by %s: only they are told why, in the channel', async (_who, userId, code, why) => {
    const ephemerals = d.slack.callsTo('chat.postEphemeral').length;
    const exchange = await d.send(reviewClick(userId, id, 1));
    expect(exchange.answer.statusCode).toBe(200);
    expect(handled(exchange)).toMatchObject({ ok: false, error: { code } });
    const told = d.slack.callsTo('chat.postEphemeral').slice(ephemerals);
    expect(told).toHaveLength(1);
    expect(told[0].args).toMatchObject({ channel: SLACK_FIXTURE.channel, user: userId });
    expect(String(told[0].args.text)).toMatch(why);
  });

  test('"Mark reviewed" signed with another secret: refused at the front door, never handed on', async () => {
    const exchange = await d.send(reviewClick('U0BOB', id, 2), { secret: 'forged-secret' });
    expect(exchange.answer.statusCode).toBe(401);
    expect(exchange.handled).toEqual([]);
  });

  test('a forged "Mark reviewed" by bob invoked on the runtime directly: its signature is checked again', async () => {
    const forged: SlackHandOff = {
      action: 'slack',
      delivery: {
        signature: `v0=${'0'.repeat(64)}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        body: Buffer.from(reviewClick('U0BOB', id, 3)).toString('base64'),
      },
    };
    await expect(d.runtime.invoke(forged)).resolves.toMatchObject({ ok: false, error: { code: 'slack-signature-invalid' } });
  });
});

test('"Mark reviewed" pressed by an approver records the review as that Slack user, and the message says who reviewed it and when', async () => {
  const exchange = await d.send(reviewClick('U0BOB', id, 4));
  expect(handled(exchange)).toMatchObject({ ok: true, requestId: id, state: 'escalated' });
  const { body } = await d.call(BOB, { action: 'get', requestId: id });
  const stored = body.request as { needsReview?: true; review: { actor: Record<string, string>; at: string }; history: { action: string }[] };
  expect(stored.needsReview).toBeUndefined();
  expect(stored.review).toEqual({ actor: { kind: 'slack', teamId: SLACK_FIXTURE.teamId, userId: 'U0BOB', email: 'bob@example.com' }, at: expect.any(String) });
  expect(stored.history.map((h) => h.action)).toEqual(['request', 'break-glass', 'escalate', 'review']);
  expect(reviewLine(id)).toBe(`:white_check_mark: Reviewed by <@U0BOB> at ${stored.review.at}`);
  expect(JSON.stringify(messageOf(id).blocks)).not.toContain('symtail-review');
  expect(messageOf(id).text).toBe(
    `Break-glass: alice@example.com granted themself Prod SSH Access for 30m in an emergency, request ${id}; reviewed by <@U0BOB>`,
  );
});

test('a second "Mark reviewed" (a Slack retry) changes nothing and tells nobody', async () => {
  const [writes, ephemerals] = [d.dynamo.writes.length, d.slack.callsTo('chat.postEphemeral').length];
  const exchange = await d.send(reviewClick('U0BOB', id, 4), { retryNum: 1 });
  expect(handled(exchange)).toMatchObject({ ok: false, error: { code: 'not-under-review' } });
  expect([d.dynamo.writes.length, d.slack.callsTo('chat.postEphemeral').length]).toEqual([writes, ephemerals]);
});

test('the requests API audits the break-glass request as such, and no log line carries the signing secret or the bot token', () => {
  expect(d.audit()).toContainEqual(expect.objectContaining({ action: 'request', outcome: 'break-glass', requestId: id }));
  const logs = d.runtime
    .logLines()
    .map((l) => JSON.stringify(l))
    .join('\n');
  expect(logs).not.toContain(SLACK_FIXTURE.signingSecret);
  expect(logs).not.toContain(d.slack.botToken);
});
