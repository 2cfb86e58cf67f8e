import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SlackHandOff } from '../../lib/slack';
import { FakeSecretsManager, LambdaProcess, LambdaStandIn, localAwsEnvironment, signedSlackEvent, slashCommandBody, withoutSignature } from '../../lib/testing';
import { SLACK_FIXTURE, slackUser, synthesizeSlackAccess, SynthesizedSlackApp } from '../../scripts/fixtures/slack-deployment';
import { slackFixtures } from './fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SIGNING_SECRET = SLACK_FIXTURE.signingSecret;
const SECRET_IDS = { signing: 'sym/main/slack-signing-secret' };
const RUNTIME_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:symtail-main-runtime';
const ALICE = slackUser('U0ALICE');

let scratch: string;
let app: SynthesizedSlackApp;
let secrets: FakeSecretsManager;
let lambda: LambdaStandIn;
let frontDoor: LambdaProcess;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-front-door-'));
  app = synthesizeSlackAccess(scratch);
  secrets = await FakeSecretsManager.start({ [SECRET_IDS.signing]: SIGNING_SECRET });
  lambda = await LambdaStandIn.start(async () => undefined);
  frontDoor = await LambdaProcess.start({
    dir: app.frontDoorDir,
    nodePath: path.join(ROOT, 'node_modules'),
    env: {
      ...localAwsEnvironment({ secretsManager: secrets.url, lambda: lambda.url }),
      SYMTAIL_RUNTIME_FUNCTION: RUNTIME_ARN,
      SYMTAIL_SLACK_SIGNING_SECRET: SECRET_IDS.signing,
    },
  });
});
afterAll(async () => {
  await frontDoor.stop();
  await lambda.stop();
  await secrets.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const command = (triggerId: string) => slashCommandBody(ALICE, { triggerId, text: 'tailscale-ssh-access' });
const { sslChecks } = slackFixtures();

/** A form body as Slack posts it, signed or (as Slack may send its URL check) not. */
const slackEvent = (body: string, signed: boolean) =>
  signed ? signedSlackEvent(SIGNING_SECRET, body) : withoutSignature(signedSlackEvent(SIGNING_SECRET, body));

// First in the file, while the container has read nothing: a URL check must not need the signing secret.
test.each(sslChecks.checks.map((c) => [c.source.note, c] as const))(
  "Slack's URL check (%s) is answered 200 with an empty body; no secret is read, nothing handed off",
  async (_note, check) => {
    const invocations = lambda.invocations.length;
    await expect(frontDoor.invoke(slackEvent(check.body, check.signed))).resolves.toEqual({ statusCode: 200, headers: {}, body: '' });
    expect(lambda.invocations.length).toBe(invocations);
    expect(secrets.reads).toEqual([]);
  },
);

test.each(sslChecks.notChecks.map((c) => [c.source.note, c] as const))(
  'a form that is not a URL check (%s), unsigned, is answered 401',
  async (_note, form) => {
    const invocations = lambda.invocations.length;
    await expect(frontDoor.invoke(slackEvent(form.body, form.signed))).resolves.toMatchObject({ statusCode: 401 });
    expect(lambda.invocations.length).toBe(invocations);
  },
);

test('a signed request is answered 200 at once and handed to the runtime as an asynchronous invoke, bytes unchanged', async () => {
  const event = signedSlackEvent(SIGNING_SECRET, command('t-1'));
  const before = lambda.invocations.length;
  await expect(frontDoor.invoke(event)).resolves.toEqual({ statusCode: 200, headers: {}, body: '' });
  const [handOff] = lambda.invocations.slice(before);
  expect(handOff.functionName).toBe(RUNTIME_ARN);
  expect(handOff.invocationType).toBe('Event');
  const { delivery } = handOff.payload as SlackHandOff;
  expect(handOff.payload).toEqual({
    action: 'slack',
    delivery: { signature: event.headers['x-slack-signature'], timestamp: event.headers['x-slack-request-timestamp'], body: event.body },
  });
  expect(Buffer.from(delivery.body, 'base64').toString('utf8')).toBe(command('t-1'));
});

test('a body that is not base64-encoded (a JSON body) is handed off as the same bytes', async () => {
  const signed = signedSlackEvent(SIGNING_SECRET, command('t-2'));
  const event = { ...signed, body: command('t-2'), isBase64Encoded: false };
  const before = lambda.invocations.length;
  await expect(frontDoor.invoke(event)).resolves.toEqual({ statusCode: 200, headers: {}, body: '' });
  expect((lambda.invocations[before].payload as SlackHandOff).delivery.body).toBe(signed.body);
});

const now = Math.floor(Date.now() / 1000);
test.each([
  ['a forged signature', () => signedSlackEvent('not-the-signing-secret', command('t-3'))],
  ['a timestamp six minutes old', () => signedSlackEvent(SIGNING_SECRET, command('t-4'), { timestampSeconds: now - 360 })],
  [
    'a tampered body',
    () => {
      const event = signedSlackEvent(SIGNING_SECRET, command('t-5'));
      return { ...event, body: Buffer.from(command('t-5').replace('U0ALICE', 'U0BOSS')).toString('base64') };
    },
  ],
  [
    'no signature at all',
    () => {
      const { 'x-slack-signature': _dropped, ...headers } = signedSlackEvent(SIGNING_SECRET, command('t-6')).headers;
      return { ...signedSlackEvent(SIGNING_SECRET, command('t-6')), headers };
    },
  ],
])('%s is answered 401 and never reaches the runtime', async (_name, event) => {
  const before = lambda.invocations.length;
  await expect(frontDoor.invoke(event())).resolves.toMatchObject({ statusCode: 401 });
  expect(lambda.invocations.length).toBe(before);
});

test('the front door reads the signing secret once per container, and nothing but it', async () => {
  expect(new Set(secrets.reads)).toEqual(new Set([SECRET_IDS.signing]));
  expect(secrets.reads.length).toBe(1);
});

test('the front door package is its small bundle alone: no Web API client, engine or Tailscale client in it', () => {
  expect(fs.readdirSync(app.frontDoorDir)).toEqual(['index.js']);
  const code = fs.readFileSync(path.join(app.frontDoorDir, 'index.js'), 'utf8');
  expect(code).not.toMatch(/WebClient|chat\.postMessage|api\/v2\/tailnet|If-Match/);
});

test('its log lines say what happened and never carry the signing secret or a signature', () => {
  const lines = frontDoor.logLines();
  expect(lines.map((l) => l.outcome)).toEqual(expect.arrayContaining(['handed-off', 'rejected']));
  // A URL check leaves one line, and nothing else.
  expect(lines.filter((l) => l.outcome === 'ssl-check')).toEqual(sslChecks.checks.map(() => ({ type: 'symtail.slack-front-door', outcome: 'ssl-check' })));
  const text = JSON.stringify(lines);
  expect(text).not.toContain(SIGNING_SECRET);
  expect(text).not.toMatch(/v0=[0-9a-f]{64}/);
});
