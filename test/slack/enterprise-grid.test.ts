import { blockActionBody, interactionBody, slashCommandBody, viewSubmissionBody } from '../../lib/testing';
import { orgWideUser, SLACK_FIXTURE, SlackDeployment, SlackExchange } from '../../scripts/fixtures/slack-deployment';

// The synthesized front door and runtime of an app installed org-wide in an Enterprise Grid organization (the Slack
// integration's external id is the organization, E…), each in a Node process of its own, against the Slack stand-in
// (whose users are Grid users), dynalite, the KMS stand-in and the tailnet emulator.
let d: SlackDeployment;
beforeAll(async () => {
  d = await SlackDeployment.start({
    install: 'org-wide',
    users: [
      // Bob, the approver, works in another workspace of the organization.
      { id: 'U0BOB', email: 'bob@example.com', teamId: 'T0SISTER' },
      // Someone of another organization who shares a channel, with the approver's email.
      { id: 'W0MALLORY', email: 'bob@example.com', teamId: 'T0OTHERORG', enterpriseId: 'E0OTHER' },
    ],
  });
}, 60_000);
afterAll(() => d?.stop());

const FLOW = 'tailscale-ssh-access';
const ALICE = orgWideUser('U0ALICE');
const BOB = orgWideUser('U0BOB', 'T0SISTER');
const handled = (exchange: SlackExchange) =>
  exchange.handled[0] as { ok: boolean; requestId?: string; state?: string; error?: { code: string; message: string } };
let requestId: string;
let ts: string;
const approveBy = (from: ReturnType<typeof orgWideUser>, n: number) =>
  blockActionBody(from, { actionId: 'symtail-approve', value: requestId, channelId: SLACK_FIXTURE.channel, messageTs: ts, triggerId: `t-grid-${n}` });

test('an org-wide slash command opens the modal', async () => {
  const exchange = await d.send(slashCommandBody(ALICE, { triggerId: 't-grid-open' }));
  expect(exchange.answer.statusCode).toBe(200);
  expect(handled(exchange)).toEqual({ ok: true, interaction: 'command' });
  expect(d.slack.callsTo('views.open')[0].args).toMatchObject({ trigger_id: 't-grid-open', view: { private_metadata: FLOW } });
});

test('an org-wide submission ("team": null, the workspace in view.app_installed_team_id) stores a pending request and posts it', async () => {
  const body = viewSubmissionBody(ALICE, { viewId: 'V0GRID', privateMetadata: FLOW, values: { target: 'main-prod-access', duration: '1h', reason: 'INC-77' } });
  expect(JSON.parse(new URLSearchParams(body).get('payload')!)).toMatchObject({ team: null, is_enterprise_install: true, enterprise: { id: 'E0EXAMPLE' } });
  const exchange = await d.send(body);
  expect(handled(exchange)).toMatchObject({ ok: true, state: 'pending' });
  requestId = handled(exchange).requestId!;
  const posted = d.slack.messages.find((m) => JSON.stringify(m.blocks).includes(requestId))!;
  ts = posted.ts;
  expect(JSON.stringify(posted.blocks)).toContain('<@U0ALICE>');
});

describe('refused, with nothing written', () => {
  test.each([
    [
      'a user of another organization',
      () => approveBy({ ...orgWideUser('W0MALLORY', 'T0OTHERORG'), enterpriseId: 'E0OTHER' }, 1),
      'slack-foreign-organization',
    ],
    [
      'a user of a workspace outside Enterprise Grid',
      () => approveBy({ ...orgWideUser('U0BOB'), enterpriseId: undefined, orgWide: false }, 2),
      'slack-foreign-organization',
    ],
    ['a user Slack places in another organization, in a payload of this one', () => approveBy(orgWideUser('W0MALLORY', 'T0OTHERORG'), 3), 'slack-user-refused'],
    ['a self-approval', () => approveBy(ALICE, 4), 'self-approval'],
  ])('%s', async (_name, body, code) => {
    const writes = d.dynamo.writes.length;
    const exchange = await d.send(body());
    expect(exchange.answer.statusCode).toBe(200);
    expect(handled(exchange)).toMatchObject({ ok: false, error: { code } });
    expect(d.dynamo.writes.length).toBe(writes);
    expect(d.emulator.writes).toBe(0);
  });
});

test('the approver, from another workspace of the organization, approves: access is granted and the message updated', async () => {
  const exchange = await d.send(approveBy(BOB, 5));
  expect(handled(exchange)).toMatchObject({ ok: true, requestId, state: 'escalated' });
  expect(d.emulator.policy).toMatch(/"alice@example\.com",? *\/[/*] symtail: until=\S+ req=r-/);
  expect(JSON.stringify(d.slack.messages.find((m) => m.ts === ts)!.blocks)).toContain('approved by <@U0BOB>');
});

test('an audit line names the workspace each interaction came from', () => {
  const slack = d
    .audit()
    .filter((a) => a.action === 'slack' && a.outcome === 'success')
    .map((a) => a.slack);
  expect(slack).toEqual(['command by T0EXAMPLE/U0ALICE', 'submission by T0EXAMPLE/U0ALICE', 'action by T0SISTER/U0BOB']);
});

test('an interaction without any workspace at all is refused as malformed', async () => {
  const exchange = await d.send(
    interactionBody({
      type: 'block_actions',
      team: null,
      user: { id: 'U0ALICE' },
      api_app_id: SLACK_FIXTURE.appId,
      enterprise: { id: 'E0EXAMPLE' },
      actions: [],
    }),
  );
  expect(handled(exchange)).toMatchObject({
    ok: false,
    error: { code: 'slack-payload-invalid', message: 'team: expected the workspace: team.id, or user.team_id when team is null' },
  });
});
