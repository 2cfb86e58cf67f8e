import { deliveryFromFunctionUrl } from '../../lib/slack';
import { blockActionBody, credentialFor, identityCenterArn, signedSlackEvent, SlackSender, SlackStandIn, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';
import { buildSlackAccess, SLACK_FIXTURE, slackUser } from '../../scripts/fixtures/slack-deployment';
import { Step } from '../../scripts/packaged-function';

// The synthesized zip of the Slack example (self-extension up to 2h in all, Identity Center callers for the requests
// API) run in fresh Node processes against the Slack stand-in, dynalite, the STS, KMS and IAM stand-ins and the
// tailnet emulator, on one clock the steps move forward. The steps build on each other, as an incident day would.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const CHANNEL = SLACK_FIXTURE.channel;
const DM = 'D0ALICE';

let slack: SlackStandIn;
let env: PackagedRequests;
beforeAll(async () => {
  slack = await SlackStandIn.start({ teamId: SLACK_FIXTURE.teamId, appId: SLACK_FIXTURE.appId, users: [...SLACK_FIXTURE.users] });
  env = await startPackagedRequests(
    [ALICE, BOB],
    {},
    {
      build: (app) =>
        buildSlackAccess(app, 'workspace', { flowParams: { selfExtension: { maxTotal: '2h' } }, runtime: { principals: [{ identityCenter: {} }] } }),
      slack,
    },
  );
}, 60_000);
afterAll(() => Promise.all([env?.stop(), slack?.stop()]));

const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
const SWEEP = { action: 'sweep' };
const sweep: Step = { event: SWEEP };
const minutes = (n: number): Step => ({ advanceSeconds: n * 60 });
/** A button clicked in Slack, signed at the moment its step runs and handed to the runtime as the front door does. */
const click = (from: SlackSender, actionId: string, value: string, where: { channel: string; ts: string }): Step => ({
  event: (now: Date) => ({
    action: 'slack',
    delivery: deliveryFromFunctionUrl(
      signedSlackEvent(
        SLACK_FIXTURE.signingSecret,
        blockActionBody(from, { actionId, value, channelId: where.channel, messageTs: where.ts, triggerId: `t-${actionId}-${now.getTime()}` }),
        {
          timestampSeconds: Math.floor(now.getTime() / 1000),
        },
      ),
    ),
  }),
});
/** What each sweep among `results` sent, in order (other steps left out). */
const sentBySweeps = (results: unknown[]) =>
  results
    .flat()
    .filter((r) => (r as { requests?: unknown })?.requests !== undefined)
    .map((r) => (r as { reminders: { sent: unknown[]; failed: unknown[] } }).reminders);
const buttonsOf = (blocks: unknown) =>
  ((blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')?.elements ?? []).map(
    (e) => `${e.action_id} ${e.value}`,
  );
const dmsOf = () => slack.messages.filter((m) => m.channel === DM);

let requestId: string;
let extensionId: string;

test('a request made through the requests API is posted to the requests channel; at half its window the approvers are nudged in its thread, once across many sweeps', async () => {
  const asked = await env.pkg.run(
    [call(ALICE, { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' })],
    env.standIns,
  );
  requestId = read(asked.results[0]).body.request.id;
  const posted = slack.messages.find((m) => m.channel === CHANNEL && JSON.stringify(m.blocks).includes(requestId))!;

  const { results, audit } = await env.pkg.run([minutes(29), sweep, minutes(1), sweep, sweep, minutes(1), sweep, minutes(5), sweep], env.standIns);
  expect(sentBySweeps(results)).toEqual([
    { sent: [], failed: [] },
    { sent: [{ requestId, kind: 'nudge' }], failed: [] },
    { sent: [], failed: [] },
    { sent: [], failed: [] },
    { sent: [], failed: [] },
  ]);
  const nudges = slack.messages.filter((m) => m.threadTs !== undefined);
  expect(nudges).toEqual([expect.objectContaining({ channel: CHANNEL, threadTs: posted.ts })]);
  expect(nudges[0].text).toMatch(/^:bell: <@U0BOB>: this request by alice@example\.com for \*Prod SSH Access\* \(30m\) has waited 3\d minutes for approval/);
  expect(audit.filter((a) => a.action === 'reminder')).toEqual([expect.objectContaining({ outcome: 'success', requestId, reminder: 'nudge' })]);
});

test('once granted, the requester is reminded by a direct message 10 minutes before the grant ends, once across many sweeps (some at once), with Extend and End now', async () => {
  const { results } = await env.pkg.run(
    [
      call(BOB, { action: 'approve', requestId }),
      minutes(19),
      sweep,
      minutes(1),
      { concurrently: [SWEEP, SWEEP, SWEEP, SWEEP] },
      sweep,
      minutes(1),
      sweep,
      minutes(3),
      sweep,
    ],
    env.standIns,
  );
  expect(read(results[0]).body.request.state).toBe('escalated');
  const sent = sentBySweeps(results).map((r) => r.sent);
  expect(sent.flat()).toEqual([{ requestId, kind: 'expiry' }]);
  expect(sent.slice(1, 5).flat()).toHaveLength(1);
  const [dm] = dmsOf();
  expect(dmsOf()).toHaveLength(1);
  expect(dm.text).toMatch(new RegExp(`^Your access to Prod SSH Access ends in \\d+ minutes? \\(request ${requestId}\\)$`));
  expect(buttonsOf(dm.blocks)).toEqual([`symtail-extend-30m ${requestId}`, `symtail-extend-1h ${requestId}`, `symtail-revoke ${requestId}`]);
  expect(JSON.stringify(dm.blocks)).toContain('up to 2h in all it is granted at once');
});

test('Extend on the direct message, by the requester, grants an extension at once within self-extension; the message then says so, without buttons', async () => {
  const [dm] = dmsOf();
  const { results } = await env.pkg.run([click(slackUser('U0ALICE'), 'symtail-extend-30m', requestId, dm)], env.standIns);
  expect(results[0]).toMatchObject({ ok: true, interaction: 'action', state: 'escalated' });
  extensionId = (results[0] as { requestId: string }).requestId;
  expect(extensionId).not.toBe(requestId);
  expect(env.emulator.policy).toContain(`req=${extensionId}`);
  expect(env.emulator.policy).not.toContain(`req=${requestId}`);
  const answered = dmsOf()[0];
  expect(answered).toMatchObject({ ts: dm.ts, updates: 1 });
  expect(answered.text).toContain(':white_check_mark: Extended: your access now lasts until');
  expect(buttonsOf(answered.blocks)).toEqual([]);
  const got = await env.pkg.run([call(BOB, { action: 'get', requestId })], env.standIns);
  expect(read(got.results[0]).body.request).toMatchObject({ state: 'extended', extendedBy: extensionId });
});

test('Extend on the request’s channel message clicked by someone else is refused, and nothing is written', async () => {
  const message = slack.messages.find((m) => m.channel === CHANNEL && String(m.text).startsWith(`Access request ${extensionId}:`))!;
  expect(buttonsOf(message.blocks)).toEqual([`symtail-extend-30m ${extensionId}`, `symtail-extend-1h ${extensionId}`, `symtail-revoke ${extensionId}`]);
  const writes = [env.dynamo.writes.length, env.emulator.writes];
  const { results } = await env.pkg.run([click(slackUser('U0BOB'), 'symtail-extend-1h', extensionId, { channel: CHANNEL, ts: message.ts })], env.standIns);
  expect(results[0]).toMatchObject({ ok: false, error: { code: 'not-the-requester' } });
  expect([env.dynamo.writes.length, env.emulator.writes]).toEqual(writes);
});

test('the extension is reminded of in turn, and End now on that message ends it: the member is gone', async () => {
  const { results } = await env.pkg.run([minutes(20), sweep], env.standIns);
  expect(sentBySweeps(results).map((r) => r.sent)).toEqual([[{ requestId: extensionId, kind: 'expiry' }]]);
  const second = dmsOf().find((m) => JSON.stringify(m.blocks).includes(extensionId))!;
  const ended = await env.pkg.run([click(slackUser('U0ALICE'), 'symtail-revoke', extensionId, second), { event: { action: 'status' } }], env.standIns);
  expect(ended.results[0]).toMatchObject({ ok: true, requestId: extensionId, state: 'ended' });
  expect(env.emulator.policy).not.toContain('alice@example.com');
  expect(dmsOf().find((m) => m.ts === second.ts)!.text).toBe(`:wave: Ended: your access was removed (request \`${extensionId}\`).`);
});
