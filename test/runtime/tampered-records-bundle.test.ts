import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { AccessRequest, Actor, DynamoDbRequestStore, KmsMacKey, RecordSeal, RequestService } from '../../lib/requests';
import { AccessEngine, EngineRequestAccess, loadManifest, requestServices } from '../../lib/runtime';
import {
  credentialFor,
  EMULATOR_API_KEY,
  identityCenterArn,
  KmsStandIn,
  LOCAL_RECORD_KEY,
  LocalDynamoDb,
  localRecordSeal,
  StandInCredential,
  TailnetEmulator,
} from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';
import { PackagedFunction, StandIns, Step } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';

// A table write is never a grant. The synthesized zip runs in fresh Node processes as Lambda runs it, against a
// local DynamoDB (dynalite), the tailnet emulator and a KMS stand-in holding the record key. Genuine records are made
// by the runtime's requests core in this process, sealed with the same key through the same stand-in; forged ones
// are written straight to the table, as anyone with dynamodb:PutItem or UpdateItem could.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const CAROL = credentialFor(identityCenterArn('carol@example.com'));
const DAVE = credentialFor(identityCenterArn('dave@example.com'));
const MALLORY = credentialFor(identityCenterArn('mallory@example.com'));
const FLOW = 'tailscale-ssh-access';
const PROD = { flow: FLOW, target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };
/** The constructs' metric filter for the tampered-records alarm. */
const TAMPERED_FILTER = '{ $.outcome = "tampered" }';

let deployment: PackagedRequests;
let pkg: PackagedFunction;
let emulator: TailnetEmulator;
let dynamo: LocalDynamoDb;
let kms: KmsStandIn;
let standIns: StandIns;
let client: DynamoDBClient;
let kmsClient: KMSClient;
let store: DynamoDbRequestStore;
/** The runtime's requests core in this process, whose escalations are held so approved records stay approved. */
let runtime: RequestService;

const iam = (email: string): Actor => ({ kind: 'iam', arn: identityCenterArn(email), email });
const SWEEP = { event: { action: 'sweep' } };
/** A requests-API call by `caller`, proven to the STS stand-in when its step runs. */
const call = (caller: StandInCredential, body: Record<string, unknown>): Step => provenCall(deployment.sts, caller, body);

/** The tailnet side, with every grant held back: a request approved here stays `approved`, for the sweep to retry. */
class HeldAccess extends EngineRequestAccess {
  override async escalate(): Promise<{ until: string }> {
    throw new Error('the tailnet is held back for this test');
  }
}

beforeAll(async () => {
  deployment = await startPackagedRequests([ALICE, BOB, CAROL, DAVE, MALLORY]);
  ({ pkg, emulator, dynamo, kms, standIns } = deployment);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials });
  kmsClient = new KMSClient({ endpoint: kms.url, region: 'us-east-1', credentials });
  store = new DynamoDbRequestStore(pkg.requestsTable, client);
  const engine = new AccessEngine({
    manifest: loadManifest(path.join(pkg.dir, 'manifest.json')),
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    audit: () => undefined,
  });
  const seal = new RecordSeal(new KmsMacKey(LOCAL_RECORD_KEY.arn, kmsClient));
  runtime = requestServices({ store, access: new HeldAccess(engine), seal, audit: () => undefined })();
});
afterAll(async () => {
  client.destroy();
  kmsClient.destroy();
  await deployment.stop();
});

/** A genuine request by alice, approved by bob, whose grant was held back: `approved`, sealed by the runtime. */
async function genuineApproved(): Promise<AccessRequest> {
  const { request } = await runtime.request(iam('alice@example.com'), PROD);
  return (await runtime.approve(iam('bob@example.com'), request.id)).request;
}

/** Whether an audit line matches a CloudWatch Logs JSON filter of the one form `{ $.field = "value" }`. */
function matchesFilter(filter: string, line: Record<string, unknown>): boolean {
  const [, field, value] = /^\{ \$\.(\w+) = "([^"]*)" \}$/.exec(filter)!;
  return line[field] === value;
}

/**
 * Runs the packaged sweep and checks it refused exactly `id` as tampered: the sweep's answer, one audit line the
 * alarm's filter counts, the request failed with a history entry naming `tampered`, and no policy write.
 */
async function expectSweepRefusesAsTampered(id: string): Promise<void> {
  const writes = emulator.writes;
  const { results, audit } = await pkg.run([SWEEP], standIns);
  expect(results[0]).toMatchObject({ ok: true, requests: { refused: [{ requestId: id, code: 'tampered' }], escalated: [] } });
  const counted = audit.filter((line) => matchesFilter(TAMPERED_FILTER, line));
  expect(counted).toEqual([
    {
      type: 'symtail.audit',
      time: expect.any(String),
      action: 'record-check',
      outcome: 'tampered',
      requestId: id,
      state: 'failed',
      error: { code: 'tampered', message: expect.stringContaining('does not carry a valid MAC') },
    },
  ]);
  expect(emulator.writes).toBe(writes);
  const failed = await store.get(id);
  expect(failed?.state).toBe('failed');
  expect(failed?.history.at(-1)).toMatchObject({
    action: 'fail',
    actor: { kind: 'system', name: 'record-check' },
    detail: expect.stringMatching(/^tampered: /),
  });
  // Failed with a MAC of its own: it verifies now, and the next sweep has nothing to refuse.
  await expect(new RecordSeal(new KmsMacKey(LOCAL_RECORD_KEY.arn, kmsClient)).verify(failed!)).resolves.toBe(true);
  expect((await pkg.run([SWEEP], standIns)).results[0]).toMatchObject({ requests: { refused: [] } });
}

test('a genuine approved record, sealed by the runtime in another process, is granted by the packaged sweep', async () => {
  const approved = await genuineApproved();
  expect(approved.state).toBe('approved');
  const writes = emulator.writes;
  const { results } = await pkg.run([SWEEP], standIns);
  expect(results[0]).toMatchObject({ requests: { escalated: [approved.id], refused: [] } });
  expect(emulator.writes - writes).toBe(1);
  await pkg.run([call(ALICE, { action: 'revoke', requestId: approved.id })], standIns);
});

test('(d1) a PutItem of an approved request with no approvals, naming mallory: the sweep refuses it as tampered, no policy write', async () => {
  const baseline = await sweepRequests();
  const now = Date.now();
  const at = new Date(now).toISOString();
  await dynamo.forgeRequest(pkg.requestsTable, {
    id: 'r-forged-put',
    version: 1,
    state: 'approved',
    ...PROD,
    requester: iam('mallory@example.com'),
    login: 'mallory@example.com',
    approvals: [],
    deadline: new Date(now + 3600_000).toISOString(),
    createdAt: at,
    history: [{ action: 'request', actor: iam('mallory@example.com'), at }],
  });
  const requests = emulator.requests.length;
  await expectSweepRefusesAsTampered('r-forged-put');
  // Two sweeps (the refusing one and the next) made no tailnet request beyond a sweep's own: the refusal read nothing.
  expect(emulator.requests.length - requests).toBe(2 * baseline);
  expect(emulator.policy).not.toContain('mallory');
});

/** Tailnet API requests of one packaged sweep with no request to act on. */
async function sweepRequests(): Promise<number> {
  const before = emulator.requests.length;
  await pkg.run([SWEEP], standIns);
  return emulator.requests.length - before;
}

test('(d2) an UpdateItem of a genuine pending request to approved, with a made-up approval: refused as tampered', async () => {
  const { request } = await runtime.request(iam('alice@example.com'), PROD);
  await dynamo.rewriteRequest(pkg.requestsTable, request.id, (r) => ({
    ...r,
    state: 'approved',
    approvals: [{ actor: iam('bob@example.com'), login: 'bob@example.com', at: new Date().toISOString() }],
  }));
  await expectSweepRefusesAsTampered(request.id);
});

test('(d3) a genuine approved record changed to mallory and re-sealed with another key: refused as tampered', async () => {
  const approved = await genuineApproved();
  const forged = { ...approved, login: 'mallory@example.com' };
  await dynamo.forgeRequest(pkg.requestsTable, { ...forged, mac: await localRecordSeal(Buffer.alloc(32, 0x42)).seal(forged) });
  await expectSweepRefusesAsTampered(approved.id);
});

test('(d3) a genuine approved record carrying the MAC of another genuine request: refused as tampered', async () => {
  const approved = await genuineApproved();
  const { request: other } = await runtime.request(iam('alice@example.com'), PROD);
  await dynamo.forgeRequest(pkg.requestsTable, { ...approved, mac: other.mac });
  await expectSweepRefusesAsTampered(approved.id);
  await runtime.cancel(iam('alice@example.com'), other.id);
});

test('an approval of a tampered pending record is refused with 409 tampered, the record failed, nothing granted', async () => {
  const { request } = await runtime.request(iam('alice@example.com'), PROD);
  await dynamo.rewriteRequest(pkg.requestsTable, request.id, (r) => ({ ...r, login: 'mallory@example.com' }));
  const writes = emulator.writes;
  const { results, audit } = await pkg.run(
    [call(BOB, { action: 'approve', requestId: request.id }), call(BOB, { action: 'get', requestId: request.id })],
    standIns,
  );
  expect(read(results[0])).toMatchObject({ status: 409, body: { ok: false, error: { code: 'tampered' } } });
  expect(read(results[1]).body.request).toMatchObject({ state: 'failed', login: 'mallory@example.com' });
  expect(audit.filter((line) => matchesFilter(TAMPERED_FILTER, line)).map((line) => line.requestId)).toEqual([request.id]);
  expect(emulator.writes).toBe(writes);
});

test('get shows a tampered record as tampered, and writes nothing', async () => {
  const { request } = await runtime.request(iam('alice@example.com'), PROD);
  await dynamo.rewriteRequest(pkg.requestsTable, request.id, (r) => ({ ...r, duration: '1h' }));
  const before = await deployment.requestItems();
  const { results } = await pkg.run([call(BOB, { action: 'get', requestId: request.id }), call(BOB, { action: 'requests', state: 'pending' })], standIns);
  expect(read(results[0]).body.request).toMatchObject({ id: request.id, state: 'pending', tampered: true });
  expect(read(results[1]).body.requests.find((r: { id: string }) => r.id === request.id)).toMatchObject({ tampered: true });
  // The proofs of the calls are recorded (single use); no request is written.
  expect(await deployment.requestItems()).toEqual(before);
});

test('request → approve → escalated in two fresh containers: three GenerateMac calls (one a write) and one VerifyMac', async () => {
  const before = { generate: kms.count('GenerateMac'), verify: kms.count('VerifyMac') };
  const {
    results: [requested],
  } = await pkg.run([call(ALICE, { action: 'request', ...PROD })], standIns);
  const id = read(requested).body.request.id;
  const {
    results: [approved],
  } = await pkg.run([call(BOB, { action: 'approve', requestId: id })], standIns);
  expect(read(approved).body.request.state).toBe('escalated');
  // request: seal the new record. approve: verify the record read (another container made it), seal the vote, seal
  // the escalation; the gate and the escalation's re-read verify records this container sealed, without KMS.
  expect({ generate: kms.count('GenerateMac') - before.generate, verify: kms.count('VerifyMac') - before.verify }).toEqual({ generate: 3, verify: 1 });
  await pkg.run([call(ALICE, { action: 'revoke', requestId: id })], standIns);
});

/** Changes the packaged manifest for the fresh processes `run` starts, until the returned function restores it. */
function editManifest(change: (manifest: { flows: Record<string, Record<string, unknown>> }) => void): () => void {
  const file = path.join(pkg.dir, 'manifest.json');
  const original = readFileSync(file, 'utf8');
  const manifest = JSON.parse(original);
  change(manifest);
  writeFileSync(file, JSON.stringify(manifest));
  return () => writeFileSync(file, original);
}

test('an approver removed from group:sre after voting does not complete the quorum; the history says why', async () => {
  const restore = editManifest((m) => {
    m.flows['sre-approved'] = {
      ...m.flows[FLOW],
      name: 'sre-approved',
      approval: { autoApprove: false, approvers: [], approverGroups: ['sre'], requiredApprovals: 2, allowSelfApproval: false, approvalWindow: '1h' },
    };
  });
  const withSre = (members: string[]) =>
    DEMO_POLICY.replace('"groups": {', `"groups": {\n\t\t"group:sre": [${members.map((m) => JSON.stringify(m)).join(', ')}],`);
  try {
    emulator.setPolicy(withSre(['bob@example.com', 'carol@example.com', 'dave@example.com']));
    const first = await pkg.run([call(ALICE, { action: 'request', ...PROD, flow: 'sre-approved' })], standIns);
    const id = read(first.results[0]).body.request.id;
    await pkg.run([call(BOB, { action: 'approve', requestId: id })], standIns);
    emulator.setPolicy(withSre(['carol@example.com', 'dave@example.com']));
    const writes = emulator.writes;
    const { results } = await pkg.run([call(CAROL, { action: 'approve', requestId: id })], standIns);
    const afterCarol = read(results[0]).body.request;
    expect(afterCarol).toMatchObject({ state: 'pending', approvals: [{ actor: { email: 'carol@example.com' } }] });
    expect(afterCarol.history.at(-1).detail).toContain('the vote of bob@example.com no longer counts: bob@example.com is not an approver of this flow');
    expect(emulator.writes).toBe(writes);
    const {
      results: [dave],
    } = await pkg.run([call(DAVE, { action: 'approve', requestId: id })], standIns);
    expect(read(dave).body.request).toMatchObject({
      state: 'escalated',
      approvals: [{ actor: { email: 'carol@example.com' } }, { actor: { email: 'dave@example.com' } }],
    });
    expect(emulator.writes - writes).toBe(1);
  } finally {
    restore();
    emulator.setPolicy(DEMO_POLICY);
  }
});

test('a requester removed from allowedRequesters is not granted at the gate: failed, audited as rejected, no policy write', async () => {
  const approved = await genuineApproved();
  const restore = editManifest((m) => {
    m.flows[FLOW].allowedRequesters = ['bob@example.com'];
  });
  try {
    const writes = emulator.writes;
    const { results, audit } = await pkg.run([SWEEP], standIns);
    expect(results[0]).toMatchObject({ requests: { refused: [{ requestId: approved.id, code: 'approval-no-longer-valid' }], escalated: [] } });
    expect(audit.filter((line) => line.action === 'record-check')).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        requestId: approved.id,
        state: 'failed',
        error: { code: 'approval-no-longer-valid', message: expect.stringContaining('alice@example.com is no longer an allowed requester') },
      }),
    ]);
    expect(emulator.writes).toBe(writes);
    expect((await store.get(approved.id))?.state).toBe('failed');
  } finally {
    restore();
  }
});

test('a function with a requests table but no record key refuses requests, naming the variable, and writes nothing', async () => {
  const before = await deployment.requestItems();
  const { results } = await pkg.run([call(ALICE, { action: 'request', ...PROD }), call(MALLORY, { action: 'requests' })], { ...standIns, env: {} });
  for (const answer of results.map(read)) {
    expect(answer).toMatchObject({
      status: 500,
      body: { ok: false, error: { code: 'record-key-missing', message: expect.stringContaining('SYMTAIL_RECORD_KEY') } },
    });
  }
  // The proofs of the calls are recorded (single use); no request is written.
  expect(await deployment.requestItems()).toEqual(before);
});
