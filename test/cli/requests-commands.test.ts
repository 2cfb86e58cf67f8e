import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { parse } from 'csv-parse/sync';
import { signedPost } from '../../lib/cli/signed-fetch';
import { DynamoDbProofLedger, DynamoDbRequestStore, RequestService } from '../../lib/requests';
import { AccessEngine, EngineRequestAccess, iamRoleLookup, IdentityCenterRoles, StsCallerIdentity, wireRequests } from '../../lib/runtime';
import {
  credentialFor,
  EMULATOR_API_KEY,
  FUNCTION_ARN,
  FunctionUrlStandIn,
  IamStandIn,
  identityCenterArn,
  LocalDynamoDb,
  localRecordSeal,
  StandInCredential,
  StsStandIn,
  TailnetEmulator,
} from '../../lib/testing';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';
import { DEMO_POLICY } from '../runtime/harness';
import { symtail, workspace } from './harness';

/** alice signs with an IAM user's access key; bob with an Identity Center session's (a key and a session token). */
const ALICE = credentialFor('arn:aws:iam::111122223333:user/alice');
const BOB = credentialFor(identityCenterArn('bob@example.com'));
/** A key IAM knows (the function URL lets it in) but STS, in this test, does not. */
const CAROL = credentialFor('arn:aws:iam::111122223333:user/carol');
/** A key nobody issued. */
const MALLORY: StandInCredential = { accessKeyId: 'AKIAMALLORY', secretAccessKey: 'wrong', arn: 'arn:aws:iam::111122223333:user/mallory' };

let emulator: TailnetEmulator;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let sts: StsStandIn;
let iam: IamStandIn;
let iamClient: IAMClient;
let api: FunctionUrlStandIn;
let service: RequestService;
let wired: ReturnType<typeof wireRequests>;
/** The function URL the runtime knows as its own, when not `api`'s (a test that puts another URL in front of it). */
let ownHost: string | undefined;
let ws: ReturnType<typeof workspace>;
const savedEnv = { ...process.env };

/** Signs in as `credential`, as the AWS SDK's default chain finds it in the environment. */
function signIn(credential: StandInCredential): void {
  process.env.AWS_ACCESS_KEY_ID = credential.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credential.secretAccessKey;
  if (credential.sessionToken === undefined) delete process.env.AWS_SESSION_TOKEN;
  else process.env.AWS_SESSION_TOKEN = credential.sessionToken;
}

/** Runs the CLI signed in as `credential`. */
function as(credential: StandInCredential, argv: string[]) {
  signIn(credential);
  return symtail([...argv, '--url', api.url, '--region', 'us-east-1'], ws.dir, { AWS_ENDPOINT_URL_STS: sts.url });
}

/** One call of the requests API as `credential` would make it, signed and proven; its status and answer. */
function post(credential: StandInCredential, body: Record<string, unknown>) {
  signIn(credential);
  return signedPost(new URL(api.url), 'us-east-1', body, { AWS_ENDPOINT_URL_STS: sts.url }) as Promise<{ status: number; body: ApiAnswer }>;
}
type ApiAnswer = { ok: boolean; requests?: { id: string }[]; nextCursor?: string; error?: { code: string; message: string } };

beforeAll(async () => {
  process.env = { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  dynamo = await LocalDynamoDb.start(['requests']);
  sts = await StsStandIn.start({ credentials: [ALICE, BOB] });
  iam = await IamStandIn.forCallers([BOB.arn]);
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const manifest = exampleManifest(emulator.url, {
    flow: { breakGlass: { maxDuration: '30m' } },
    requests: {
      principals: [
        { kind: 'arn', arn: ALICE.arn, email: 'alice@example.com' },
        { kind: 'identityCenter', accounts: 'own', permissionSets: [] },
      ],
    },
  });
  const engine = new AccessEngine({ manifest, credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) }, audit: () => undefined });
  // The runtime's own checks, in-process: the proof is sent to the STS stand-in and must name this function URL; bob's
  // Identity Center role is confirmed by IAM.
  const identity = new StsCallerIdentity({
    ledger: new DynamoDbProofLedger('requests', client),
    ownUrlHost: async () => ownHost ?? new URL(api.url).host,
    stsEndpointOverride: sts.url,
  });
  iamClient = new IAMClient(iam.clientConfig);
  wired = wireRequests({
    engine,
    identity,
    identityCenter: new IdentityCenterRoles(iamRoleLookup(iamClient)),
    store: new DynamoDbRequestStore('requests', client),
    access: new EngineRequestAccess(engine),
    seal: localRecordSeal(),
    audit: () => undefined,
  });
  service = wired.service;
  api = await FunctionUrlStandIn.start({
    credentials: [ALICE, BOB, CAROL],
    target: (event) => wired.route.handle(event, { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 30_000 }),
  });
  ws = workspace({});
});
afterAll(async () => {
  process.env = savedEnv;
  client.destroy();
  iamClient.destroy();
  await Promise.all([emulator.stop(), dynamo.stop(), sts.stop(), api.stop(), iam.stop()]);
  ws.cleanup();
});

test('request, a refused self-approval, approve, list and revoke, each signed and proven as the person at the keyboard', async () => {
  const stsCalls = sts.calls.length;
  const requested = await as(ALICE, [
    'request',
    '--flow',
    'tailscale-ssh-access',
    '--target',
    'main-prod-access',
    '--for',
    '30m',
    '--reason',
    'INC-1',
    '--json',
  ]);
  expect(requested).toMatchObject({ code: 0, stderr: '' });
  const id = JSON.parse(requested.stdout).request.id as string;
  expect(JSON.parse(requested.stdout).request).toMatchObject({ state: 'pending', requester: { arn: ALICE.arn, email: 'alice@example.com' } });

  const self = await as(ALICE, ['approve', '--id', id]);
  expect(self).toMatchObject({ code: 2, stdout: '' });
  expect(self.stderr).toContain('does not allow self-approval; someone else must decide it (self-approval)');

  const approved = await as(BOB, ['approve', '--id', id]);
  expect(approved.code).toBe(0);
  expect(approved.stdout).toMatch(
    new RegExp(`^${id}  escalated  tailscale-ssh-access/main-prod-access  alice@example.com \\(alice@example.com\\)  30m  until `),
  );
  expect(approved.stdout).toContain('approve           bob@example.com  approver by email');
  expect(emulator.policy).toContain(`req=${id}`);

  const listed = await as(BOB, ['requests', '--state', 'escalated', '--json']);
  expect(JSON.parse(listed.stdout).requests.map((r: { id: string }) => r.id)).toEqual([id]);

  const revoked = await as(ALICE, ['revoke', '--id', id]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout.split('\n')[0]).toContain(`${id}  ended`);
  expect(emulator.policy).not.toContain('alice@example.com');
  // Each of the five calls was proven to STS once, by the key of the person who made it.
  expect(sts.calls.slice(stsCalls).map((c) => [c.accessKeyId, c.outcome])).toEqual([
    [ALICE.accessKeyId, 'ok'],
    [ALICE.accessKeyId, 'ok'],
    [BOB.accessKeyId, 'ok'],
    [BOB.accessKeyId, 'ok'],
    [ALICE.accessKeyId, 'ok'],
  ]);
});

test('a request whose stored record was changed outside the runtime is printed as tampered', async () => {
  const requested = await as(ALICE, [
    'request',
    '--flow',
    'tailscale-ssh-access',
    '--target',
    'main-prod-access',
    '--for',
    '30m',
    '--reason',
    'INC-2',
    '--json',
  ]);
  const id = JSON.parse(requested.stdout).request.id as string;
  await dynamo.rewriteRequest('requests', id, (r) => ({ ...r, duration: '1h' }));
  const shown = await as(BOB, ['requests', '--id', id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout.split('\n').slice(0, 2)).toEqual([
    `${id}  pending  tailscale-ssh-access/main-prod-access  alice@example.com (alice@example.com)  1h`,
    '  TAMPERED: its stored record does not carry a valid MAC (written or changed outside the runtime); nothing below is to be believed',
  ]);
});

test('a call signed with the wrong secret never reaches the API', async () => {
  const [refused, events, stsCalls] = [api.refused, api.events.length, sts.calls.length];
  const run = await as(MALLORY, ['requests']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('HTTP 403');
  expect([api.refused, api.events.length, sts.calls.length]).toEqual([refused + 1, events, stsCalls]);
});

test('a key the function URL accepts but STS does not know proves nothing: 403 identity-proof-invalid, nothing stored', async () => {
  const [writes, stsCalls] = [dynamo.writes.length, sts.calls.length];
  const run = await as(CAROL, ['request', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access', '--reason', 'x']);
  expect(run).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr).toBe('symtail request: x-symtail-identity: STS refused the proof: InvalidClientTokenId (identity-proof-invalid)\n');
  expect(sts.calls.slice(stsCalls)).toEqual([{ outcome: 'InvalidClientTokenId' }]);
  expect(dynamo.writes.length).toBe(writes);
});

const REQUEST = ['request', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access'];
test.each([
  [
    'a URL that is not one',
    ['approve', '--url', 'not a url', '--id', 'r-1'],
    '--url: expected the function URL, e.g. https://abc123.lambda-url.eu-west-1.on.aws/, got "not a url"',
  ],
  ['no region to sign for', ['approve', '--url', 'http://127.0.0.1:1/', '--id', 'r-1'], '--region: expected an AWS region; pass --region, or set AWS_REGION'],
  [
    'a region that is not one',
    ['approve', '--url', 'http://127.0.0.1:1/', '--region', 'evil.example/', '--id', 'r-1'],
    '--region: expected an AWS region such as "eu-west-1", got "evil.example/"',
  ],
  ['--state with --id', ['requests', '--id', 'r-1', '--state', 'pending'], 'expected at most one of --state and --id, got both'],
  [
    'a state no request has',
    ['requests', 'export', '--state', 'open'],
    '--state: expected pending, approved, escalated, ended, denied, cancelled, expired, failed or extended, got "open"',
  ],
  [
    'a request id that could not be one',
    ['approve', '--id', 'r-1 */'],
    '--id: expected a request id of 1 to 128 letters, digits, ".", "_", ":" or "-", got "r-1 */"',
  ],
  [
    'a flow name that could not be one',
    ['request', '--flow', '../flows', '--target', 'main-prod-access'],
    '--flow: expected a name of letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit), got "../flows"',
  ],
  [
    'a target name that could not be one',
    ['request', '--flow', 'tailscale-ssh-access', '--target', 'main prod'],
    '--target: expected a name of letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit), got "main prod"',
  ],
  ['a duration in words', [...REQUEST, '--for', '90 minutes'], '--for: expected a duration such as "30m", "1h" or "1d", got "90 minutes"'],
  ['an extension in words', ['extend', '--id', 'r-1', '--for', 'an hour'], '--for: expected a duration such as "30m", "1h" or "1d", got "an hour"'],
  ['a reason past the limit', [...REQUEST, '--reason', 'x'.repeat(1025)], '--reason: expected at most 1024 characters, got'],
  ['a review note past the limit', ['review', '--id', 'r-1', '--note', 'x'.repeat(1025)], '--note: expected at most 1024 characters, got'],
])('%s is refused before anything is sent, naming the flag', async (_name, argv, message) => {
  const [refused, events] = [api.refused, api.events.length];
  const withUrl = argv.includes('--url') ? argv : [...argv, '--url', api.url, '--region', 'us-east-1'];
  const run = await symtail(withUrl, ws.dir);
  expect(run).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr.split('\n')[0]).toContain(`: ${message}`);
  expect([api.refused, api.events.length]).toEqual([refused, events]);
});

test('a reason and a denial written to draw a fake "approve carol" line print inert, as text and as JSON', async () => {
  const fake = 'INC-2\u001b[1A\r\u001b[2Kr-9  escalated  approve carol \u202e';
  const requested = await as(ALICE, ['request', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access', '--for', '30m', '--reason', fake, '--json']);
  const id = JSON.parse(requested.stdout).request.id as string;
  await as(BOB, ['deny', '--id', id, '--reason', fake]);
  const shown = await as(BOB, ['requests', '--id', id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  expect(shown.stdout).toContain('  reason: INC-2\\u001b[1A\\u000d\\u001b[2Kr-9  escalated  approve carol \\u202e\n');
  expect(shown.stdout).toContain('deny              bob@example.com  INC-2\\u001b[1A');
  const json = await as(BOB, ['requests', '--id', id, '--json']);
  expect(json.stdout).not.toMatch(/[\u001b\r\u202e]/);
  expect(JSON.parse(json.stdout).request.reason).toBe(fake);
});

test('request --break-glass grants on the requester’s own approval and says it needs review; review by an approver clears it', async () => {
  const requested = await as(ALICE, [
    'request',
    '--flow',
    'tailscale-ssh-access',
    '--target',
    'main-prod-access',
    '--for',
    '30m',
    '--reason',
    'INC-2: prod down',
    '--break-glass',
  ]);
  expect(requested.code).toBe(0);
  const id = requested.stdout.split(' ')[0];
  expect(requested.stdout).toContain(`${id}  escalated`);
  expect(requested.stdout).toContain('BREAK-GLASS: approved by its requester in an emergency; an approver must review it (symtail review)');
  const reviewed = await as(BOB, ['review', '--id', id, '--note', 'checked the incident']);
  expect(reviewed.code).toBe(0);
  expect(reviewed.stdout).not.toContain('BREAK-GLASS');
  expect(reviewed.stdout).toContain('review            bob@example.com  checked the incident');
  expect(await as(ALICE, ['review', '--id', id])).toMatchObject({ code: 2, stderr: expect.stringContaining('(not-under-review)') });
  await as(ALICE, ['revoke', '--id', id]);
});

describe('every request, a page at a time', () => {
  const PAGE = 100;
  const alice = { kind: 'iam' as const, arn: ALICE.arn, email: 'alice@example.com' };
  /** Every request of the table in the listing's order, read from the store at once: what the pages must add up to. */
  const everyRequest = async (state?: 'pending') =>
    (await new DynamoDbRequestStore('requests', client).list({ ...(state ? { state } : {}), limit: 10_000 })).map((r) => r.id);

  beforeAll(async () => {
    // More than two pages, many made within the same millisecond (their order is then their ids').
    for (let i = 0; i < 2 * PAGE + 30; i++)
      await service.request(alice, { flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: `load ${i}` });
  }, 120_000);

  test.each<[string, { state?: 'pending' }]>([
    ['every state', {}],
    ['one state', { state: 'pending' }],
  ])('the API answers 100 at a time with a nextCursor until the last page, and the pages hold every request once, newest first (%s)', async (_name, filter) => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await post(BOB, { action: 'requests', ...filter, ...(cursor === undefined ? {} : { cursor }) });
      expect(status).toBe(200);
      pages.push(body.requests!.map((r) => r.id));
      cursor = body.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.slice(0, -1).map((p) => p.length)).toEqual(pages.slice(0, -1).map(() => PAGE));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.flat()).toEqual(await everyRequest(filter.state));
  });

  const encode = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const AT = '2026-11-23T12:00:00.000Z';
  test.each<[string, unknown, string]>([
    ['not base64url', 'abc$def', 'body.cursor: expected the nextCursor of an earlier answer, got "abc$def"'],
    ['empty', '', 'body.cursor: expected the nextCursor of an earlier answer, got ""'],
    ['base64url of something not JSON', encode('{oops'), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['a JSON array', encode([AT, 'r-1']), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['a field more', encode({ at: AT, id: 'r-1', state: 'pending' }), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['a time not as the API writes it', encode({ at: '2026-11-23T12:00:00Z', id: 'r-1' }), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['an id no request can have', encode({ at: AT, id: 'r-1 */' }), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['a position spelled another way', encode(`{ "at": "${AT}", "id": "r-1" }`), 'body.cursor: expected the nextCursor of an earlier answer'],
    ['a number', 42, 'body.cursor: must be string'],
    ['longer than any cursor', 'a'.repeat(513), 'body.cursor: must NOT have more than 512 characters'],
  ])('a cursor that is %s is refused with 400 naming body.cursor, and nothing is listed', async (_name, cursor, message) => {
    const { status, body } = await post(BOB, { action: 'requests', cursor });
    expect(status).toBe(400);
    expect(body).toEqual({ ok: false, error: { code: expect.stringMatching(/^invalid-(request|event)$/), message: expect.stringContaining(message) } });
    expect(body.error!.message.startsWith(message)).toBe(true);
  });

  test('symtail requests export writes every request once, newest first, as people read them', async () => {
    const run = await as(BOB, ['requests', 'export']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(
      run.stdout
        .split('\n')
        .filter((l) => /^r-/.test(l))
        .map((l) => l.split(' ')[0]),
    ).toEqual(await everyRequest());
  });

  test('--json writes one request a line, each the JSON the API answered', async () => {
    const run = await as(BOB, ['requests', 'export', '--json', '--state', 'pending']);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; state: string; reason: string });
    expect(lines.map((r) => r.id)).toEqual(await everyRequest('pending'));
    expect(new Set(lines.map((r) => r.state))).toEqual(new Set(['pending']));
    expect(lines.find((r) => r.reason === 'load 7')).toMatchObject({
      requester: { email: 'alice@example.com' },
      history: [expect.objectContaining({ action: 'request' })],
    });
  });

  test('--csv writes a header and one record per request', async () => {
    const run = await as(BOB, ['requests', 'export', '--csv']);
    expect(run.code).toBe(0);
    const [header, ...records] = parse(run.stdout) as string[][];
    expect(header).toEqual([
      'id',
      'state',
      'flow',
      'target',
      'requester',
      'login',
      'duration',
      'created_at',
      'until',
      'approvers',
      'reason',
      'break_glass',
      'needs_review',
      'extends',
      'tampered',
    ]);
    expect(records.map((r) => r[0])).toEqual(await everyRequest());
    const load = records.find((r) => r[10] === 'load 7')!;
    expect(load.slice(1, 7)).toEqual(['pending', 'tailscale-ssh-access', 'main-prod-access', 'alice@example.com', 'alice@example.com', '30m']);
    expect(load.slice(11)).toEqual(['', '', '', '']);
  });

  test('symtail requests still lists the newest 100, and a word after it that is no subcommand is refused', async () => {
    const listed = await as(BOB, ['requests', '--json']);
    expect(JSON.parse(listed.stdout).requests.map((r: { id: string }) => r.id)).toEqual((await everyRequest()).slice(0, PAGE));
    expect(JSON.parse(listed.stdout).nextCursor).toEqual(expect.any(String));
    const refused = await symtail(['requests', 'exports', '--url', api.url], ws.dir);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr.split('\n')[0]).toBe('symtail requests: unknown subcommand "exports": expected export or a flag');
  });

  /** A function URL in front of the requests API whose answers after the first are `later` instead. */
  async function flakyApi(later: (body: Record<string, unknown>) => unknown): Promise<FunctionUrlStandIn> {
    let calls = 0;
    return FunctionUrlStandIn.start({
      credentials: [BOB],
      target: async (event) => {
        if (calls++ === 0) return wired.route.handle(event, { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 30_000 });
        return later(JSON.parse((event as { body: string }).body));
      },
    });
  }

  test.each<[string, (body: Record<string, unknown>) => unknown, number, string]>([
    [
      'the API fails',
      () => ({ statusCode: 503, body: JSON.stringify({ ok: false, error: { code: 'identity-unavailable', message: 'STS could not be asked' } }) }),
      1,
      'symtail requests export: STS could not be asked (identity-unavailable)',
    ],
    [
      'the API refuses',
      () => ({
        statusCode: 400,
        body: JSON.stringify({ ok: false, error: { code: 'invalid-request', message: 'body.cursor: expected the nextCursor of an earlier answer' } }),
      }),
      2,
      'symtail requests export: body.cursor: expected the nextCursor of an earlier answer (invalid-request)',
    ],
    [
      'the API sends the export back to the page it asked for',
      (body) => ({ statusCode: 200, body: JSON.stringify({ ok: true, requests: [], nextCursor: body.cursor }) }),
      1,
      'symtail requests export: the API answered the cursor it was sent; not asking again',
    ],
  ])('when %s after the first page, the requests written stand and stderr says how many', async (_name, later, code, message) => {
    const flaky = await flakyApi(later);
    ownHost = new URL(flaky.url).host;
    try {
      signIn(BOB);
      const run = await symtail(['requests', 'export', '--url', flaky.url, '--region', 'us-east-1', '--json'], ws.dir, { AWS_ENDPOINT_URL_STS: sts.url });
      expect(run.code).toBe(code);
      expect(
        run.stdout
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { id: string }).id),
      ).toEqual((await everyRequest()).slice(0, PAGE));
      expect(run.stderr).toBe(`${message}\nsymtail requests export: stopped after ${PAGE} requests\n`);
    } finally {
      ownHost = undefined;
      await flaky.stop();
    }
  });

  test('a cursor the API wrote is taken back as it is, with or without the state it was read under', async () => {
    const { body } = await post(BOB, { action: 'requests' });
    expect(body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const again = await post(BOB, { action: 'requests', state: 'pending', cursor: body.nextCursor });
    expect(again.status).toBe(200);
  });
});
