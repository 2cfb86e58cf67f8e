import { SlackHandOff } from '../../lib/slack';
import { blockActionBody, interactionBody, slashCommandBody, viewSubmissionBody, withoutSignature } from '../../lib/testing';
import { slackFixtures } from './fixtures';
import { SLACK_FIXTURE, SlackDeployment, slackUser } from '../../scripts/fixtures/slack-deployment';

// The synthesized front door and runtime, each in a fresh Node process, against the Slack stand-in, dynalite and the
// tailnet emulator. One deployment for the file: the steps below build on each other, as a day in Slack would.
let d: SlackDeployment;
beforeAll(async () => {
  d = await SlackDeployment.start();
}, 60_000);
afterAll(() => d?.stop());

const ALICE = slackUser('U0ALICE');
const BOB = slackUser('U0BOB');
const FLOW = 'tailscale-ssh-access';
const submit = (viewId: string, from = ALICE) =>
  viewSubmissionBody(from, { viewId, privateMetadata: FLOW, values: { target: 'main-prod-access', duration: '1h', reason: 'INC-4021' } });
const click = (from: typeof ALICE, action: string, requestId: string, ts: string, n = 0) =>
  blockActionBody(from, {
    actionId: `symtail-${action}`,
    value: requestId,
    channelId: SLACK_FIXTURE.channel,
    messageTs: ts,
    triggerId: `t-${action}-${from.userId}-${n}`,
  });
const messageOf = (requestId: string) => d.slack.messages.find((m) => JSON.stringify(m.blocks).includes(requestId))!;
const handled = (exchange: { handled: unknown[] }) => exchange.handled[0] as { ok: boolean; requestId?: string; state?: string; error?: { code: string } };

let requestId: string;
let ts: string;

test('a signed slash command opens the flow’s modal', async () => {
  const exchange = await d.send(slashCommandBody(ALICE, { triggerId: 't-open' }));
  expect(exchange.answer).toEqual({ statusCode: 200, headers: {}, body: '' });
  expect(handled(exchange)).toMatchObject({ ok: true, interaction: 'command' });
  expect(d.slack.callsTo('views.open')).toHaveLength(1);
  expect(d.slack.callsTo('views.open')[0].args).toMatchObject({ trigger_id: 't-open', view: { callback_id: 'symtail-request', private_metadata: FLOW } });
});

test('a slash command without api_app_id, as older payloads come, opens the modal too', async () => {
  const { appId: _none, ...withoutAppId } = ALICE;
  const exchange = await d.send(slashCommandBody(withoutAppId, { triggerId: 't-open-no-app-id' }));
  expect(handled(exchange)).toMatchObject({ ok: true, interaction: 'command' });
  expect(d.slack.callsTo('views.open').at(-1)!.args).toMatchObject({ trigger_id: 't-open-no-app-id' });
});

test("Slack's URL check is answered 200 at the front door and never reaches the runtime", async () => {
  for (const check of slackFixtures().sslChecks.checks) {
    const exchange = await d.send(check.body, check.signed ? {} : { change: withoutSignature });
    expect(exchange).toMatchObject({ answer: { statusCode: 200, body: '' }, handled: [] });
  }
});

test('a signed submission stores a pending request and posts it to the requests channel, with what the group grants', async () => {
  const exchange = await d.send(submit('V0FIRST'));
  expect(handled(exchange)).toMatchObject({ ok: true, state: 'pending' });
  requestId = handled(exchange).requestId!;
  const posted = messageOf(requestId);
  ts = posted.ts;
  expect(posted.channel).toBe(SLACK_FIXTURE.channel);
  const shown = JSON.stringify(posted.blocks);
  for (const part of ['<@U0ALICE>', 'Prod SSH Access', '1h', 'INC-4021', 'What this group grants', 'symtail-approve', 'symtail-deny'])
    expect(shown).toContain(part);
  expect(d.emulator.writes).toBe(0);
});

describe('refused, with nothing written', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const approve = () => click(BOB, 'approve', requestId, ts);
  test.each([
    ['a forged signature', () => d.send(approve(), { secret: 'forged-secret' }), 401, undefined],
    ['a six-minute-old timestamp', () => d.send(approve(), { timestampSeconds: now() - 360 }), 401, undefined],
    [
      'a tampered body',
      () =>
        d.send(click(ALICE, 'approve', requestId, ts), {
          change: (e) => ({ ...e, body: Buffer.from(click(BOB, 'approve', requestId, ts)).toString('base64') }),
        }),
      401,
      undefined,
    ],
    ['a guest', () => d.send(click(slackUser('U0GUEST'), 'approve', requestId, ts)), 200, 'slack-user-refused'],
    ['a bot', () => d.send(click(slackUser('U0BOT'), 'approve', requestId, ts)), 200, 'slack-user-refused'],
    ['another workspace', () => d.send(click({ ...BOB, teamId: 'T0ELSEWHERE' }, 'approve', requestId, ts)), 200, 'slack-foreign-workspace'],
    ['a self-approval', () => d.send(click(ALICE, 'approve', requestId, ts, 1)), 200, 'self-approval'],
  ])('%s', async (_name, send, status, code) => {
    const writes = d.dynamo.writes.length;
    const posts = d.slack.callsTo('chat.postMessage').length + d.slack.callsTo('chat.update').length;
    const exchange = await send();
    expect(exchange.answer.statusCode).toBe(status);
    if (code === undefined) expect(exchange.handled).toEqual([]);
    else expect(handled(exchange)).toMatchObject({ ok: false, error: { code } });
    expect(d.dynamo.writes.length).toBe(writes);
    expect(d.slack.callsTo('chat.postMessage').length + d.slack.callsTo('chat.update').length).toBe(posts);
    expect(d.emulator.writes).toBe(0);
  });

  test('a direct invoke of the runtime with a forged Slack payload', async () => {
    const writes = d.dynamo.writes.length;
    const forged: SlackHandOff = {
      action: 'slack',
      delivery: { signature: `v0=${'0'.repeat(64)}`, timestamp: String(now()), body: Buffer.from(approve()).toString('base64') },
    };
    await expect(d.runtime.invoke(forged)).resolves.toMatchObject({ ok: false, error: { code: 'slack-signature-invalid' } });
    const unsigned = { action: 'slack', delivery: { body: Buffer.from(interactionBody({ type: 'block_actions' })).toString('base64') } };
    await expect(d.runtime.invoke(unsigned)).resolves.toMatchObject({ ok: false, error: { code: 'slack-signature-invalid' } });
    expect(d.dynamo.writes.length).toBe(writes);
  });
});

test('a submission of a modal without inputs ("state": {}) reaches the runtime, which asks for the target and writes nothing', async () => {
  const writes = d.dynamo.writes.length;
  const body = interactionBody({
    type: 'view_submission',
    team: { id: SLACK_FIXTURE.teamId },
    user: { id: 'U0ALICE', team_id: SLACK_FIXTURE.teamId },
    api_app_id: SLACK_FIXTURE.appId,
    view: { id: 'V0EMPTY', callback_id: 'symtail-request', private_metadata: FLOW, state: {} },
  });
  expect(handled(await d.send(body))).toMatchObject({
    ok: false,
    error: { code: 'slack-payload-invalid', message: 'view.state.values.target: expected a target' },
  });
  expect(d.dynamo.writes.length).toBe(writes);
});

test('a signed Approve by another user escalates the request and updates its message', async () => {
  const exchange = await d.send(click(BOB, 'approve', requestId, ts));
  expect(handled(exchange)).toMatchObject({ ok: true, requestId, state: 'escalated' });
  expect(d.emulator.policy).toMatch(/"alice@example\.com",? *\/[/*] symtail: until=\S+ req=r-/);
  const message = messageOf(requestId);
  expect(message.ts).toBe(ts);
  expect(JSON.stringify(message.blocks)).toContain('approved by <@U0BOB>; access until');
});

test('a Slack retry of the approval does nothing a second time', async () => {
  const writes = d.emulator.writes;
  const before = d.audit().length;
  const exchange = await d.send(click(BOB, 'approve', requestId, ts), { retryNum: 1 });
  expect(exchange.answer.statusCode).toBe(200);
  expect(handled(exchange)).toMatchObject({ ok: false, error: { code: 'already-decided' } });
  expect(d.emulator.writes).toBe(writes);
  expect(
    d
      .audit()
      .slice(before)
      .filter((a) => a.outcome === 'success'),
  ).toEqual([]);
});

test('a Slack retry of a submission makes no second request', async () => {
  const first = await d.send(submit('V0SECOND'));
  const messages = d.slack.messages.length;
  const retry = await d.send(submit('V0SECOND'), { retryNum: 1 });
  expect(handled(retry)).toMatchObject({ ok: true, duplicate: true });
  expect(d.slack.messages.length).toBe(messages);
  expect(handled(first).requestId).toBeDefined();
});

test("the requester ends the access with I'm done: the member is gone and the message says so", async () => {
  const exchange = await d.send(click(ALICE, 'revoke', requestId, ts));
  expect(handled(exchange)).toMatchObject({ ok: true, state: 'ended' });
  expect(d.emulator.policy).not.toContain('alice@example.com');
  expect(JSON.stringify(messageOf(requestId).blocks)).toContain('ended early by <@U0ALICE>');
});

test('no log line of either function carries the signing secret or the bot token', () => {
  const logs = JSON.stringify([...d.runtime.logLines(), ...d.frontDoor.logLines()]);
  expect(logs).not.toContain(SLACK_FIXTURE.signingSecret);
  expect(logs).not.toContain(d.slack.botToken);
});
