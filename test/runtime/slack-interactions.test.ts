import { EXAMPLE_SLACK_ENTRY, exampleManifest } from '../../scripts/fixtures/example-manifest';
import { Manifest, validateManifest } from '../../lib/manifest';
import { AccessRequest, DynamoDbRequestStore, FlowRules, NewRequest, RequestAccess } from '../../lib/requests';
import { requestServices } from '../../lib/runtime/request-services';
import { AuditEvent } from '../../lib/runtime/audit';
import { SecretTextCache } from '../../lib/runtime/credentials';
import { requestIdOf, slackClient, SlackInteractions } from '../../lib/runtime/slack-interactions';
import { SlackNotifier } from '../../lib/runtime/slack-notifier';
import { SlackDelivery } from '../../lib/slack';
import { RULES as CORE_RULES } from '../requests/recording-access';
import {
  blockActionBody,
  interactionBody,
  LocalDynamoDb,
  localRecordSeal,
  signedSlackEvent,
  SlackStandIn,
  slashCommandBody,
  viewSubmissionBody,
} from '../../lib/testing';

const TABLE = 'requests';
const SIGNING_SECRET = 'signing-secret-canary';
const TEAM: string = EXAMPLE_SLACK_ENTRY.externalId;
const APP: string = EXAMPLE_SLACK_ENTRY.appId;
const CHANNEL = 'C0REQUESTS';
const user = (userId: string, teamId = TEAM) => ({ teamId, appId: APP, userId });
const ALICE = user('U0ALICE');
const BOB = user('U0BOB');

/** bob alone approves. */
const RULES: FlowRules = { ...CORE_RULES, approvers: ['bob@example.com'] };

/** The tailnet side, recorded: grants by request id. */
class RecordingAccess implements RequestAccess {
  readonly grants = new Map<string, string>();
  check(request: NewRequest, email: string) {
    return { login: email, duration: request.duration ?? '1h', seconds: 3600, rules: RULES };
  }
  rules() {
    return RULES;
  }
  directory() {
    return { loginFor: (e: string) => e, standingMembers: async () => [] };
  }
  async escalate(request: AccessRequest, now: Date) {
    const until = new Date(now.getTime() + 3600_000).toISOString();
    this.grants.set(request.id, until);
    return { until };
  }
  async deescalate(request: AccessRequest) {
    this.grants.delete(request.id);
  }
  async holds(request: AccessRequest) {
    return this.grants.has(request.id);
  }
  async removeGrantsOf(requestId: string) {
    this.grants.delete(requestId);
  }
}

let dynamo: LocalDynamoDb;
let slack: SlackStandIn;
let store: DynamoDbRequestStore;
let access: RecordingAccess;
let audit: AuditEvent[];
let interactions: SlackInteractions;
let manifest: Manifest;

beforeAll(async () => {
  dynamo = await LocalDynamoDb.start([TABLE]);
  slack = await SlackStandIn.start({
    teamId: TEAM,
    users: [
      { id: 'U0ALICE', email: 'alice@example.com' },
      { id: 'U0BOB', email: 'bob@example.com' },
      { id: 'U0GUEST', email: 'guest@partner.com', isRestricted: true },
      { id: 'U0BOT', email: 'bot@example.com', isBot: true },
    ],
  });
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  store = new DynamoDbRequestStore(
    TABLE,
    new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
  );
  const example = JSON.parse(JSON.stringify(exampleManifest('http://127.0.0.1:1')));
  example.flows['tailscale-ssh-access'].requestsChannel = CHANNEL;
  manifest = validateManifest({ ...example, slack: { ...EXAMPLE_SLACK_ENTRY, apiUrl: slack.apiUrl } });
});
afterAll(async () => {
  await slack.stop();
  await dynamo.stop();
});
beforeEach(() => {
  access = new RecordingAccess();
  audit = [];
  const secrets = new SecretTextCache({
    getSecretString: async (id) =>
      ({ [EXAMPLE_SLACK_ENTRY.signingSecret.secretId]: SIGNING_SECRET, [EXAMPLE_SLACK_ENTRY.botToken.secretId]: slack.botToken })[id]!,
  });
  interactions = slackInteractions(secrets, access, (e) => audit.push(e));
});

/** The runtime's Slack side as the Lambda handler wires it: one client and one notifier for the requests service. */
function slackInteractions(secrets: SecretTextCache, recording: RequestAccess, sink: (e: AuditEvent) => void): SlackInteractions {
  const client = slackClient(manifest.slack!, secrets);
  const notifier = new SlackNotifier({ manifest, store, seal: localRecordSeal(), api: client, rules: (flow) => recording.rules(flow) });
  const services = requestServices({ store, access: recording, seal: localRecordSeal(), audit: sink, notifier });
  return new SlackInteractions({ manifest, secrets, client, services, audit: sink });
}

/** A delivery as the front door hands it over. */
function delivery(
  body: string,
  options: { secret?: string; timestampSeconds?: number; retryNum?: number; tamper?: (body: string) => string } = {},
): SlackDelivery {
  const event = signedSlackEvent(options.secret ?? SIGNING_SECRET, body, options);
  const sent = options.tamper ? Buffer.from(options.tamper(body)).toString('base64') : event.body;
  return {
    signature: event.headers['x-slack-signature'],
    timestamp: event.headers['x-slack-request-timestamp'],
    ...(options.retryNum !== undefined && { retryNum: String(options.retryNum) }),
    body: sent,
  };
}

let views = 0;
const submission = (from = ALICE, viewId = `V0MODAL${++views}`) =>
  viewSubmissionBody(from, { viewId, privateMetadata: 'tailscale-ssh-access', values: { target: 'main-prod-access', duration: '1h', reason: 'INC-7' } });
const click = (from: typeof ALICE, actionId: string, requestId: string, messageTs: string) =>
  blockActionBody(from, { actionId, value: requestId, channelId: CHANNEL, messageTs, triggerId: `t-${actionId}-${from.userId}` });

function messageOf(requestId: string) {
  return slack.messages.find((m) => JSON.stringify(m.blocks).includes(requestId))!;
}

test('a stored record the runtime did not write is never shown: the message shows the request the notification is about', async () => {
  const submitted = await interactions.handle(delivery(submission()));
  const id = (submitted as { requestId: string }).requestId;
  const genuine = (await store.get(id))!;
  // Someone with item writes marks it denied, with no valid MAC; then a notification of the genuine request arrives.
  await dynamo.rewriteRequest(TABLE, id, (r) => ({ ...r, state: 'denied' }));
  const secrets = new SecretTextCache({ getSecretString: async () => slack.botToken });
  const notifier = new SlackNotifier({ manifest, store, seal: localRecordSeal(), api: slackClient(manifest.slack!, secrets), rules: () => RULES });
  await notifier.notify(genuine, 'request');
  const message = messageOf(id);
  expect(JSON.stringify(message.blocks)).toContain('symtail-approve');
  expect(message.text).not.toMatch(/denied/i);
});

test('a slash command opens the flow’s own modal and writes nothing', async () => {
  const writes = dynamo.writes.length;
  const outcome = await interactions.handle(delivery(slashCommandBody(ALICE, { triggerId: 't-cmd-1' })));
  expect(outcome).toEqual({ ok: true, interaction: 'command' });
  const view = slack.callsTo('views.open').at(-1)!.args.view as { private_metadata: string; blocks: { block_id?: string }[] };
  expect(view.private_metadata).toBe('tailscale-ssh-access');
  expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['target', 'duration', 'reason']);
  expect(dynamo.writes.length).toBe(writes);
});

test('a submission stores a pending request and posts it to the requests channel; an approval by another user escalates it and updates that message', async () => {
  const submitted = await interactions.handle(delivery(submission()));
  expect(submitted).toMatchObject({ ok: true, interaction: 'submission', state: 'pending' });
  const id = (submitted as { requestId: string }).requestId;
  const stored = await store.get(id);
  expect(stored).toMatchObject({
    state: 'pending',
    requester: { kind: 'slack', teamId: TEAM, userId: 'U0ALICE', email: 'alice@example.com' },
    reason: 'INC-7',
  });
  const posted = messageOf(id);
  expect(posted.channel).toBe(CHANNEL);
  expect(stored!.notification).toEqual({ channel: CHANNEL, ts: posted.ts });
  expect(JSON.stringify(posted.blocks)).toContain('symtail-approve');

  const approved = await interactions.handle(delivery(click(BOB, 'symtail-approve', id, posted.ts)));
  expect(approved).toMatchObject({ ok: true, requestId: id, state: 'escalated' });
  expect(access.grants.has(id)).toBe(true);
  const updated = messageOf(id);
  expect(updated.ts).toBe(posted.ts);
  expect(updated.updates).toBeGreaterThanOrEqual(1);
  const shown = JSON.stringify(updated.blocks);
  expect(shown).toContain('escalated');
  expect(shown).toContain('approved by <@U0BOB>; access until');
  expect(shown).toContain('symtail-revoke');
  expect(shown).not.toContain('symtail-approve');
});

describe('refused, with nothing written and nothing posted', () => {
  let id: string;
  let ts: string;
  beforeAll(async () => {
    const secrets = new SecretTextCache({ getSecretString: async (s) => (s.includes('signing') ? SIGNING_SECRET : slack.botToken) });
    const submitted = await slackInteractions(secrets, new RecordingAccess(), () => undefined).handle(delivery(submission()));
    id = (submitted as { requestId: string }).requestId;
    ts = messageOf(id).ts;
  });

  const now = () => Math.floor(Date.now() / 1000);
  test.each([
    ['a forged signature', () => delivery(click(BOB, 'symtail-approve', id, ts), { secret: 'forged' }), 'slack-signature-invalid'],
    ['a six-minute-old timestamp', () => delivery(click(BOB, 'symtail-approve', id, ts), { timestampSeconds: now() - 360 }), 'slack-timestamp-stale'],
    ['a tampered body', () => delivery(click(ALICE, 'symtail-approve', id, ts), { tamper: (b) => b.replace('U0ALICE', 'U0BOB') }), 'slack-signature-invalid'],
    ['a guest', () => delivery(click(user('U0GUEST'), 'symtail-approve', id, ts)), 'slack-user-refused'],
    ['a bot', () => delivery(click(user('U0BOT'), 'symtail-approve', id, ts)), 'slack-user-refused'],
    ['another workspace', () => delivery(click(user('U0BOB', 'T0ELSEWHERE'), 'symtail-approve', id, ts)), 'slack-foreign-workspace'],
    ['another app', () => delivery(click({ ...BOB, appId: 'A0OTHER' }, 'symtail-approve', id, ts)), 'slack-foreign-app'],
    ['a self-approval', () => delivery(click(ALICE, 'symtail-approve', id, ts)), 'self-approval'],
  ])('%s', async (_name, make, code) => {
    const writes = dynamo.writes.length;
    const posts = slack.callsTo('chat.postMessage').length + slack.callsTo('chat.update').length;
    const outcome = await interactions.handle(make());
    expect(outcome).toMatchObject({ ok: false, error: { code } });
    expect(dynamo.writes.length).toBe(writes);
    expect(slack.callsTo('chat.postMessage').length + slack.callsTo('chat.update').length).toBe(posts);
    expect(await store.get(id)).toMatchObject({ state: 'pending', approvals: [] });
    expect(audit.at(-1)).toMatchObject({ action: 'slack', outcome: 'rejected', error: { code } });
  });

  test('the self-approver is told why, only in the channel and only to them', async () => {
    const told = slack.callsTo('chat.postEphemeral').at(-1)!.args;
    expect(told).toMatchObject({ channel: CHANNEL, user: 'U0ALICE' });
    expect(String(told.text)).toContain('Nothing was done');
  });
});

test('a reason typed to forge a "*Target*" line, ping the channel and turn text around reaches the channel as one plain line', async () => {
  const reason = 'INC-9 <!channel>\n*Target*: Staging\u202e ~ok~';
  const body = viewSubmissionBody(ALICE, {
    viewId: 'V0HOSTILE',
    privateMetadata: 'tailscale-ssh-access',
    values: { target: 'main-prod-access', duration: '1h', reason },
  });
  const submitted = await interactions.handle(delivery(body));
  expect(submitted).toMatchObject({ ok: true, state: 'pending' });
  const blocks = messageOf((submitted as { requestId: string }).requestId).blocks as {
    type: string;
    text?: { type: string; text: string };
    fields?: { type: string; text: string }[];
  }[];
  const texts = blocks.flatMap((b) => [...(b.text ? [b.text] : []), ...(b.fields ?? [])]);
  expect(texts.filter((t) => t.text.startsWith('Reason: '))).toEqual([
    { type: 'plain_text', text: 'Reason: INC-9 <!channel> *Target*: Staging\\u202e ~ok~', emoji: false },
  ]);
  expect(texts.filter((t) => t.type === 'mrkdwn' && /channel|Staging/.test(t.text))).toEqual([]);
});

test.each([
  [
    'nested deeper than 32 levels',
    { deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) },
    'input-too-deep',
    'payload: nested deeper than the limit of 32 levels',
  ],
  ['larger than 16 KB', { padding: 'x'.repeat(17_000) }, 'input-too-large', 'payload: larger than the limit of 16384 bytes'],
])('a signed payload %s is refused naming the limit, and nothing is written or posted', async (_, extra, code, message) => {
  const writes = dynamo.writes.length;
  const posts = slack.calls.length;
  const body = interactionBody({ type: 'block_actions', team: { id: TEAM }, user: { id: 'U0BOB' }, api_app_id: APP, ...extra });
  expect(await interactions.handle(delivery(body))).toEqual({ ok: false, error: { code, message } });
  expect(dynamo.writes.length).toBe(writes);
  expect(slack.calls.length).toBe(posts);
});

test('a retried submission makes no second request and no second message', async () => {
  const body = submission(ALICE, 'V0RETRIED');
  const first = await interactions.handle(delivery(body));
  const messages = slack.messages.length;
  const requests = (await store.list({ limit: 1000 })).length;
  const before = await store.get(requestIdOf(TEAM, 'V0RETRIED'));
  const retry = await interactions.handle(delivery(body, { retryNum: 1 }));
  expect(first).toMatchObject({ ok: true, requestId: requestIdOf(TEAM, 'V0RETRIED') });
  expect(retry).toEqual({ ok: true, interaction: 'submission', duplicate: true });
  expect(slack.messages.length).toBe(messages);
  // The retry's one write is the conditional put that DynamoDB refuses: the stored request is untouched.
  expect((await store.list({ limit: 1000 })).length).toBe(requests);
  expect(await store.get(requestIdOf(TEAM, 'V0RETRIED'))).toEqual(before);
});

test('a retried approval approves once and tells nobody anything', async () => {
  const { requestId } = (await interactions.handle(delivery(submission()))) as { requestId: string };
  const ts = messageOf(requestId).ts;
  const body = click(BOB, 'symtail-approve', requestId, ts);
  await interactions.handle(delivery(body));
  const ephemerals = slack.callsTo('chat.postEphemeral').length;
  const retry = await interactions.handle(delivery(body, { retryNum: 1 }));
  expect(retry).toMatchObject({ ok: false, error: { code: 'already-decided' } });
  expect((await store.get(requestId))!.approvals).toHaveLength(1);
  expect(slack.callsTo('chat.postEphemeral').length).toBe(ephemerals);
});

test("the requester cancels a pending request, and ends granted access with I'm done", async () => {
  const pending = (await interactions.handle(delivery(submission()))) as { requestId: string };
  await expect(interactions.handle(delivery(click(ALICE, 'symtail-cancel', pending.requestId, messageOf(pending.requestId).ts)))).resolves.toMatchObject({
    state: 'cancelled',
  });
  expect(JSON.stringify(messageOf(pending.requestId).blocks)).toContain('cancelled by <@U0ALICE>');

  const granted = (await interactions.handle(delivery(submission()))) as { requestId: string };
  const ts = messageOf(granted.requestId).ts;
  await interactions.handle(delivery(click(BOB, 'symtail-approve', granted.requestId, ts)));
  await expect(interactions.handle(delivery(click(ALICE, 'symtail-revoke', granted.requestId, ts)))).resolves.toMatchObject({ state: 'ended' });
  expect(access.grants.has(granted.requestId)).toBe(false);
  const shown = JSON.stringify(messageOf(granted.requestId).blocks);
  expect(shown).toContain('ended early by <@U0ALICE>');
  expect(shown).not.toContain('"actions"');
});

test('the bot token and signing secret appear in no audit line', () => {
  const text = JSON.stringify(audit);
  expect(text).not.toContain(SIGNING_SECRET);
  expect(text).not.toContain(slack.botToken);
});

test('an expiry by the minute sweep updates the message, through the same notifier the requests service is given', async () => {
  const secrets = new SecretTextCache({ getSecretString: async (s) => (s.includes('signing') ? SIGNING_SECRET : slack.botToken) });
  const { requestId } = (await interactions.handle(delivery(submission()))) as { requestId: string };
  const notifier = new SlackNotifier({ manifest, store, seal: localRecordSeal(), api: slackClient(manifest.slack!, secrets), rules: () => RULES });
  const service = requestServices({ store, access, seal: localRecordSeal(), audit: () => undefined, notifier })();
  const result = await service.tick(new Date(Date.now() + 2 * 3600_000));
  expect(result.expired).toContain(requestId);
  const shown = JSON.stringify(messageOf(requestId).blocks);
  expect(shown).toContain('*expired* · no decision by');
  expect(shown).not.toContain('symtail-approve');
});

test('with several flows in Slack, the command asks which one, and choosing it turns the modal into that flow’s', async () => {
  const two = JSON.parse(JSON.stringify(manifest));
  two.flows['staging-access'] = { ...two.flows['tailscale-ssh-access'], name: 'staging-access', label: 'Staging only', durations: ['30m'], maxDuration: '30m' };
  const secrets = new SecretTextCache({ getSecretString: async (s) => (s.includes('signing') ? SIGNING_SECRET : slack.botToken) });
  const client = slackClient(manifest.slack!, secrets);
  const notifier = new SlackNotifier({ manifest: validateManifest(two), store, seal: localRecordSeal(), api: client, rules: () => RULES });
  const several = new SlackInteractions({
    manifest: validateManifest(two),
    secrets,
    client,
    services: requestServices({ store, access, seal: localRecordSeal(), audit: () => undefined, notifier }),
    audit: () => undefined,
  });
  await expect(several.handle(delivery(slashCommandBody(ALICE, { triggerId: 't-menu' })))).resolves.toMatchObject({ ok: true });
  const opened = slack.callsTo('views.open').at(-1)!;
  expect(JSON.stringify(opened.args.view)).toContain('symtail-flow');
  const viewId = (opened.answer.view as { id: string }).id;
  const menuChoice = interactionBody({
    type: 'block_actions',
    team: { id: TEAM },
    user: { id: 'U0ALICE' },
    api_app_id: APP,
    trigger_id: 't-menu-2',
    view: { id: viewId, hash: 'h', private_metadata: '' },
    actions: [{ action_id: 'symtail-flow', selected_option: { value: 'staging-access' } }],
  });
  await several.handle(delivery(menuChoice));
  const updated = slack.callsTo('views.update').at(-1)!;
  expect(updated.args.view).toMatchObject({ callback_id: 'symtail-request', private_metadata: 'staging-access' });
  expect(JSON.stringify(updated.args.view)).toContain('"value":"30m"');
  expect(JSON.stringify(updated.args.view)).not.toContain('"value":"1h"');
});

test('a submission of a modal without inputs ("state": {}) is judged as the request modal: no target, so nothing is asked and the user is told why', async () => {
  const writes = dynamo.writes.length;
  const body = interactionBody({
    type: 'view_submission',
    team: { id: TEAM },
    user: { id: 'U0ALICE', team_id: TEAM },
    api_app_id: APP,
    view: { id: 'V0NOINPUTS', callback_id: 'symtail-request', private_metadata: 'tailscale-ssh-access', state: {} },
  });
  const outcome = await interactions.handle(delivery(body));
  expect(outcome).toEqual({ ok: false, error: { code: 'slack-payload-invalid', message: 'view.state.values.target: expected a target' } });
  expect(dynamo.writes.length).toBe(writes);
  expect(slack.callsTo('chat.postMessage').at(-1)!.args).toMatchObject({
    channel: 'U0ALICE',
    text: 'Nothing was done: view.state.values.target: expected a target',
  });
});

test('a submission naming a flow not offered in Slack is refused as unknown-flow: nothing is asked, and the user is told why', async () => {
  const writes = dynamo.writes.length;
  const body = viewSubmissionBody(ALICE, {
    viewId: 'V0ELSEWHERE',
    privateMetadata: 'no-such-flow',
    values: { target: 'main-prod-access', duration: '1h', reason: 'INC-7' },
  });
  const outcome = await interactions.handle(delivery(body));
  expect(outcome).toEqual({ ok: false, error: { code: 'unknown-flow', message: 'flow: "no-such-flow" is not a flow offered in Slack' } });
  expect(dynamo.writes.length).toBe(writes);
  expect(slack.callsTo('chat.postMessage').at(-1)!.args).toMatchObject({
    channel: 'U0ALICE',
    text: 'Nothing was done: flow: "no-such-flow" is not a flow offered in Slack',
  });
});

test('a delivery to a runtime whose manifest has no Slack app is refused as slack-not-configured, before its signature is read, and audited as a failure of ours', async () => {
  const secrets = new SecretTextCache({ getSecretString: async () => SIGNING_SECRET });
  const services = requestServices({ store, access, seal: localRecordSeal(), audit: () => undefined });
  const withoutSlack = new SlackInteractions({
    manifest: { ...manifest, slack: undefined },
    secrets,
    client: slackClient(manifest.slack!, secrets),
    services,
    audit: (e) => audit.push(e),
  });
  const outcome = await withoutSlack.handle(delivery(submission()));
  expect(outcome).toEqual({ ok: false, error: { code: 'slack-not-configured', message: 'this runtime has no Slack app in its manifest' } });
  expect(audit.at(-1)).toMatchObject({ action: 'slack', outcome: 'failed', error: { code: 'slack-not-configured' } });
});

test('a slash command without api_app_id (older payloads) opens the modal: the signature under this app’s secret already says which app it is for', async () => {
  const { appId: _none, ...withoutApp } = ALICE;
  const outcome = await interactions.handle(delivery(slashCommandBody(withoutApp, { triggerId: 't-no-app-id' })));
  expect(outcome).toEqual({ ok: true, interaction: 'command' });
  expect(slack.callsTo('views.open').at(-1)!.args).toMatchObject({ trigger_id: 't-no-app-id' });
});

describe('an org-wide install (Enterprise Grid organization as the external id)', () => {
  const ORG = 'E0GRID';
  /** An org-wide install's payload sender; `enterpriseId` null: a workspace outside Grid. */
  const from = (userId: string, teamId: string, enterpriseId: string | null = ORG) => ({
    teamId,
    appId: APP,
    userId,
    ...(enterpriseId !== null && { enterpriseId }),
    orgWide: true,
  });
  const ALICE_GRID = from('W0ALICE', 'T0WORK');
  const BOB_ELSEWHERE_IN_ORG = from('W0BOB', 'T0SISTER');
  let grid: SlackStandIn;
  let org: SlackInteractions;
  let orgAudit: AuditEvent[];
  const orgAccess = new RecordingAccess();

  beforeAll(async () => {
    grid = await SlackStandIn.start({
      teamId: 'T0WORK',
      enterpriseId: ORG,
      users: [
        { id: 'W0ALICE', email: 'alice@example.com' },
        { id: 'W0BOB', email: 'bob@example.com', teamId: 'T0SISTER' },
        { id: 'W0STRANGER', email: 'bob@example.com', teamId: 'T0OTHERORG', enterpriseId: 'E0OTHER' },
      ],
    });
    const orgManifest = validateManifest({ ...JSON.parse(JSON.stringify(manifest)), slack: { ...manifest.slack, externalId: ORG, apiUrl: grid.apiUrl } });
    const secrets = new SecretTextCache({ getSecretString: async (s) => (s.includes('signing') ? SIGNING_SECRET : grid.botToken) });
    const client = slackClient(orgManifest.slack!, secrets);
    orgAudit = [];
    const sink = (e: AuditEvent) => orgAudit.push(e);
    const notifier = new SlackNotifier({ manifest: orgManifest, store, seal: localRecordSeal(), api: client, rules: () => RULES });
    const services = requestServices({ store, access: orgAccess, seal: localRecordSeal(), audit: sink, notifier });
    org = new SlackInteractions({ manifest: orgManifest, secrets, client, services, audit: sink });
  });
  afterAll(() => grid.stop());

  test('a command, a submission with "team": null and an approval from another workspace of the organization: requested, posted and granted', async () => {
    await expect(org.handle(delivery(slashCommandBody(ALICE_GRID, { triggerId: 't-grid-open' })))).resolves.toEqual({ ok: true, interaction: 'command' });
    const submitted = await org.handle(
      delivery(
        viewSubmissionBody(ALICE_GRID, { viewId: 'V0GRID', privateMetadata: 'tailscale-ssh-access', values: { target: 'main-prod-access', duration: '1h' } }),
      ),
    );
    expect(submitted).toMatchObject({ ok: true, interaction: 'submission', state: 'pending', requestId: requestIdOf('T0WORK', 'V0GRID') });
    const id = (submitted as { requestId: string }).requestId;
    expect(await store.get(id)).toMatchObject({ requester: { kind: 'slack', teamId: ORG, userId: 'W0ALICE', email: 'alice@example.com' } });
    const posted = grid.messages.find((m) => JSON.stringify(m.blocks).includes(id))!;
    const approved = await org.handle(
      delivery(
        blockActionBody(BOB_ELSEWHERE_IN_ORG, {
          actionId: 'symtail-approve',
          value: id,
          channelId: CHANNEL,
          messageTs: posted.ts,
          triggerId: 't-grid-approve',
        }),
      ),
    );
    expect(approved).toMatchObject({ ok: true, requestId: id, state: 'escalated' });
    expect(orgAccess.grants.has(id)).toBe(true);
    expect(orgAudit.filter((a) => a.outcome === 'success').map((a) => a.slack)).toEqual([
      'command by T0WORK/W0ALICE',
      'submission by T0WORK/W0ALICE',
      'action by T0SISTER/W0BOB',
    ]);
  });

  describe('refused, with nothing written', () => {
    let id: string;
    let ts: string;
    beforeAll(async () => {
      const submitted = await org.handle(
        delivery(
          viewSubmissionBody(ALICE_GRID, {
            viewId: 'V0GRIDPENDING',
            privateMetadata: 'tailscale-ssh-access',
            values: { target: 'main-prod-access', duration: '1h' },
          }),
        ),
      );
      id = (submitted as { requestId: string }).requestId;
      ts = grid.messages.find((m) => JSON.stringify(m.blocks).includes(id))!.ts;
    });
    const approve = (sender: ReturnType<typeof from>) =>
      delivery(blockActionBody(sender, { actionId: 'symtail-approve', value: id, channelId: CHANNEL, messageTs: ts, triggerId: `t-${sender.userId}` }));

    test.each([
      [
        'a user of another organization',
        () => approve(from('W0STRANGER', 'T0OTHERORG', 'E0OTHER')),
        'slack-foreign-organization',
        "enterprise.id: E0OTHER is not this runtime's organization E0GRID",
      ],
      [
        'a user of a workspace outside Grid',
        () => approve(from('U0BOB', TEAM, null)),
        'slack-foreign-organization',
        "enterprise.id: absent (a workspace outside Enterprise Grid) is not this runtime's organization E0GRID",
      ],
      [
        'a user Slack says is of another organization, in a payload of this one',
        () => approve(from('W0STRANGER', 'T0WORK')),
        'slack-user-refused',
        'Slack user W0STRANGER: belongs to organization E0OTHER, not E0GRID',
      ],
    ])('%s', async (_name, make, code, message) => {
      const writes = dynamo.writes.length;
      await expect(org.handle(make())).resolves.toEqual({ ok: false, error: { code, message } });
      expect(dynamo.writes.length).toBe(writes);
      expect(await store.get(id)).toMatchObject({ state: 'pending', approvals: [] });
    });
  });
});
