import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../lib/cli/signed-fetch';
import { DynamoDbRequestStore } from '../../lib/requests';
import { AccessEngine, EventRoute, wireRequests } from '../../lib/runtime';
import { EMULATOR_API_KEY, functionUrlEvent, LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';
import { DEMO_POLICY } from '../runtime/harness';
import { symtail, workspace } from './harness';

/** Access keys the stand-in knows, and the IAM identity each signs as. */
const KEYS: Record<string, { secret: string; arn: string }> = {
  AKIAALICE: { secret: 'alice-secret', arn: 'arn:aws:iam::111122223333:user/alice' },
  AKIABOB: { secret: 'bob-secret', arn: 'arn:aws:iam::111122223333:user/bob' },
};

/**
 * A function URL with AWS_IAM auth on loopback: it checks each request's SigV4 signature as Lambda would (recomputing
 * it with the key's secret), refuses a bad one with 403, and hands the rest to the requests API as function URL events.
 */
async function functionUrlStandIn(route: EventRoute): Promise<{ url: string; server: Server; refused: number }> {
  const state = { url: '', server: undefined as unknown as Server, refused: 0 };
  state.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const authorization = String(req.headers.authorization ?? '');
      const keyId = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '';
      const key = KEYS[keyId];
      const amzDate = String(req.headers['x-amz-date'] ?? '');
      const signingDate = new Date(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
      const expected =
        key === undefined
          ? undefined
          : await new SignatureV4({ credentials: { accessKeyId: keyId, secretAccessKey: key.secret }, region: 'us-east-1', service: 'lambda', sha256: Sha256 }).sign(
              { method: req.method!, protocol: 'http:', hostname: '127.0.0.1', path: req.url!, query: {}, headers: { host: req.headers.host!, 'content-type': String(req.headers['content-type']) }, body },
              { signingDate },
            );
      if (key === undefined || expected?.headers.authorization !== authorization) {
        state.refused++;
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Forbidden' }));
        return;
      }
      const answer = (await route.handle(functionUrlEvent(key.arn, JSON.parse(body)))) as { statusCode: number; body: string };
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/`;
  return state;
}

let emulator: TailnetEmulator;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let api: Awaited<ReturnType<typeof functionUrlStandIn>>;
let ws: ReturnType<typeof workspace>;
const savedEnv = { ...process.env };

/** Runs the CLI signed in as `key`, as the AWS SDK's default chain finds it in the environment. */
function as(key: string, argv: string[]) {
  process.env.AWS_ACCESS_KEY_ID = key;
  process.env.AWS_SECRET_ACCESS_KEY = KEYS[key]?.secret ?? 'wrong';
  return symtail([argv[0], '--url', api.url, '--region', 'us-east-1', ...argv.slice(1)], ws.dir);
}

beforeAll(async () => {
  process.env = { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  dynamo = await LocalDynamoDb.start(['requests']);
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const manifest = exampleManifest(emulator.url, {
    requests: {
      principals: [
        { kind: 'arn', arn: KEYS.AKIAALICE.arn, email: 'alice@example.com' },
        { kind: 'arn', arn: KEYS.AKIABOB.arn, email: 'bob@example.com' },
      ],
    },
  });
  const engine = new AccessEngine({ manifest, credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) }, audit: () => undefined });
  api = await functionUrlStandIn(wireRequests(engine, new DynamoDbRequestStore('requests', client), () => undefined).route);
  ws = workspace({});
});
afterAll(async () => {
  process.env = savedEnv;
  client.destroy();
  api.server.closeAllConnections();
  await new Promise((resolve) => api.server.close(resolve));
  await Promise.all([emulator.stop(), dynamo.stop()]);
  ws.cleanup();
});

test('request, a refused self-approval, approve, list and revoke, each signed as the person at the keyboard', async () => {
  const requested = await as('AKIAALICE', ['request', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access', '--for', '30m', '--reason', 'INC-1', '--json']);
  expect(requested).toMatchObject({ code: 0, stderr: '' });
  const id = JSON.parse(requested.stdout).request.id as string;
  expect(JSON.parse(requested.stdout).request).toMatchObject({ state: 'pending', requester: { arn: KEYS.AKIAALICE.arn, email: 'alice@example.com' } });

  const self = await as('AKIAALICE', ['approve', '--id', id]);
  expect(self).toMatchObject({ code: 2, stdout: '' });
  expect(self.stderr).toContain('does not allow self-approval; someone else must decide it (self-approval)');

  const approved = await as('AKIABOB', ['approve', '--id', id]);
  expect(approved.code).toBe(0);
  expect(approved.stdout).toMatch(new RegExp(`^${id}  escalated  tailscale-ssh-access/main-prod-access  alice@example.com \\(alice@example.com\\)  30m  until `));
  expect(approved.stdout).toContain('approve           bob@example.com  approver by email');
  expect(emulator.policy).toContain(`req=${id}`);

  const listed = await as('AKIABOB', ['requests', '--state', 'escalated', '--json']);
  expect(JSON.parse(listed.stdout).requests.map((r: { id: string }) => r.id)).toEqual([id]);

  const revoked = await as('AKIAALICE', ['revoke', '--id', id]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout.split('\n')[0]).toContain(`${id}  ended`);
  expect(emulator.policy).not.toContain('alice@example.com');
});

test('a call signed with the wrong secret never reaches the API', async () => {
  const refused = api.refused;
  const run = await as('AKIAMALLORY', ['requests']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('HTTP 403');
  expect(api.refused).toBe(refused + 1);
});

test('bad flags are refused before anything is sent', async () => {
  const refused = api.refused;
  expect(await symtail(['approve', '--url', 'not a url', '--id', 'r-1'], ws.dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--url: expected the function URL') });
  expect(await symtail(['approve', '--url', 'http://127.0.0.1:1/', '--id', 'r-1'], ws.dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--region: expected an AWS region') });
  expect(await symtail(['requests', '--url', api.url, '--region', 'us-east-1', '--id', 'r-1', '--state', 'pending'], ws.dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--state: not with --id') });
  expect(api.refused).toBe(refused);
});

test('a reason and a denial written to draw a fake "approve carol" line print inert, as text and as JSON', async () => {
  const fake = 'INC-2\u001b[1A\r\u001b[2Kr-9  escalated  approve carol \u202e';
  const requested = await as('AKIAALICE', ['request', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access', '--for', '30m', '--reason', fake, '--json']);
  const id = JSON.parse(requested.stdout).request.id as string;
  await as('AKIABOB', ['deny', '--id', id, '--reason', fake]);
  const shown = await as('AKIABOB', ['requests', '--id', id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  expect(shown.stdout).toContain('  reason: INC-2\\u001b[1A\\u000d\\u001b[2Kr-9  escalated  approve carol \\u202e\n');
  expect(shown.stdout).toContain('deny              bob@example.com  INC-2\\u001b[1A');
  const json = await as('AKIABOB', ['requests', '--id', id, '--json']);
  expect(json.stdout).not.toMatch(/[\u001b\r\u202e]/);
  expect(JSON.parse(json.stdout).request.reason).toBe(fake);
});
