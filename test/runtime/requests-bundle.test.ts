import { FakeSecretsManager, functionUrlEvent, identityCenterArn, KmsStandIn, LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
import { PackagedFunction, StandIns } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';
import { call, PackagedRequests, read, startPackagedRequests } from './packaged-requests';

// The synthesized zip of the example, run in fresh Node processes as Lambda runs it, with function URL events,
// against a local DynamoDB (dynalite), a KMS stand-in holding the record key, IAM holding the callers' Identity Center
// roles, and the tailnet emulator.

const ALICE = identityCenterArn('alice@example.com');
const BOB = identityCenterArn('bob@example.com');
const CAROL = identityCenterArn('carol@example.com');
const MALLORY = identityCenterArn('mallory@example.com');
/** An IAM user no principal rule maps. */
const EVE = 'arn:aws:iam::999999999999:user/eve';

let deployment: PackagedRequests;
let pkg: PackagedFunction;
let emulator: TailnetEmulator;
let secrets: FakeSecretsManager;
let dynamo: LocalDynamoDb;
let kms: KmsStandIn;
let standIns: StandIns;

const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };

beforeAll(async () => {
  deployment = await startPackagedRequests();
  ({ pkg, emulator, secrets, dynamo, kms, standIns } = deployment);
});
afterAll(() => deployment.stop());

test('alice requests, her own approval is refused, bob approves, she is escalated, status shows it, and the sweep ends it when the grant runs out', async () => {
  const { results, audit } = await pkg.run(
    [
      call(ALICE, PROD),
      { event: functionUrlEvent(ALICE, { action: 'approve', requestId: 'r-unknown' }) },
    ],
    standIns,
  );
  const requested = read(results[0]);
  expect(requested).toMatchObject({ status: 200, body: { ok: true, request: { state: 'pending', requester: { kind: 'iam', arn: ALICE, email: 'alice@example.com' }, login: 'alice@example.com', duration: '30m' } } });
  expect(read(results[1])).toMatchObject({ status: 404, body: { ok: false, error: { code: 'unknown-request' } } });
  const id: string = requested.body.request.id;
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['request:success', 'approve:rejected']);

  const writesBefore = emulator.writes;
  const lifecycle = await pkg.run(
    [
      call(ALICE, { action: 'approve', requestId: id }),
      call(BOB, { action: 'approve', requestId: id }),
      { event: { action: 'status' } },
      { advanceSeconds: 31 * 60 },
      { event: { action: 'sweep' } },
      call(BOB, { action: 'get', requestId: id }),
    ],
    standIns,
  );
  const [selfApproval, approval, status, , sweep, final] = lifecycle.results;
  expect(read(selfApproval)).toMatchObject({ status: 403, body: { ok: false, error: { code: 'self-approval' } } });
  expect(read(approval)).toMatchObject({ status: 200, body: { ok: true, request: { id, state: 'escalated', approvals: [{ actor: { arn: BOB, email: 'bob@example.com' } }] } } });
  expect(status).toMatchObject({ ok: true, targets: expect.arrayContaining([expect.objectContaining({ group: 'prod', active: [expect.objectContaining({ member: 'alice@example.com', requestId: id })] })]) });
  expect(sweep).toMatchObject({ ok: true, action: 'sweep', requests: { ended: [id], expired: [], failed: [], errors: [] } });
  const ended = read(final).body.request;
  expect(ended.state).toBe('ended');
  expect(ended.history.map((h: { action: string; actor: { arn?: string; name?: string } }) => [h.action, h.actor.arn ?? h.actor.name])).toEqual([
    ['request', ALICE],
    ['approve', BOB],
    ['escalate', BOB],
    ['end', 'sweep'],
  ]);
  // One write grants, one (the sweep's) removes; the policy file is as it was.
  expect(emulator.writes - writesBefore).toBe(2);
  expect(emulator.policy).toBe(DEMO_POLICY);
});

test('callers that may not act are refused with 403 and nothing is written', async () => {
  const { results: [created] } = await pkg.run([call(ALICE, PROD)], standIns);
  const id = read(created).body.request.id;
  const [policyWrites, storeWrites] = [emulator.writes, dynamo.writes.length];
  const { results, audit } = await pkg.run(
    [call(EVE, { action: 'get', requestId: id }), call(MALLORY, { action: 'approve', requestId: id }), call(BOB, { action: 'cancel', requestId: id })],
    standIns,
  );
  expect(results.map(read)).toEqual([
    { status: 403, body: { ok: false, error: { code: 'unknown-caller', message: `caller ${EVE} is not mapped to an email by the runtime's principal rules` } } },
    { status: 403, body: { ok: false, error: { code: 'not-an-approver', message: expect.stringContaining('mallory@example.com is not an approver') } } },
    { status: 403, body: { ok: false, error: { code: 'not-the-requester', message: expect.stringContaining('only its requester (alice@example.com) may cancel it') } } },
  ]);
  // The unmapped caller's ARN is in the audit trail.
  expect(audit[0]).toMatchObject({ action: 'invalid', outcome: 'rejected', caller: EVE, error: { code: 'unknown-caller' } });
  expect([emulator.writes, dynamo.writes.length]).toEqual([policyWrites, storeWrites]);
});

test('a second approval is refused with 409 and writes nothing', async () => {
  const { results } = await pkg.run([call(ALICE, PROD)], standIns);
  const id = read(results[0]).body.request.id;
  await pkg.run([call(BOB, { action: 'approve', requestId: id })], standIns);
  const [policyWrites, storeWrites] = [emulator.writes, dynamo.writes.length];
  const second = await pkg.run([call(CAROL, { action: 'approve', requestId: id })], standIns);
  expect(read(second.results[0])).toMatchObject({ status: 409, body: { ok: false, error: { code: 'already-decided', message: `request ${id} is escalated; cannot approve it` } } });
  expect([emulator.writes, dynamo.writes.length]).toEqual([policyWrites, storeWrites]);
  await pkg.run([call(ALICE, { action: 'revoke', requestId: id })], standIns);
});

test('twenty approvals of one request at once, each in its own container, give exactly one policy write', async () => {
  const { results } = await pkg.run([call(ALICE, { ...PROD, target: 'main-staging-access' })], standIns);
  const id = read(results[0]).body.request.id;
  const writes = emulator.writes;
  const runs = await Promise.all(
    Array.from({ length: 20 }, (_, i) => pkg.run([call(i % 2 === 0 ? BOB : CAROL, { action: 'approve', requestId: id })], standIns)),
  );
  const statuses = runs.map((r) => read(r.results[0]).status).sort();
  expect(statuses).toEqual([200, ...Array(19).fill(409)]);
  expect(emulator.writes - writes).toBe(1);
  const { results: [got] } = await pkg.run([call(BOB, { action: 'get', requestId: id })], standIns);
  expect(read(got).body.request).toMatchObject({ state: 'escalated', approvals: [expect.anything()] });
  await pkg.run([call(ALICE, { action: 'revoke', requestId: id })], standIns);
});

test('a direct escalate event is refused with authenticated-request-required and makes no API call', async () => {
  const [tailnetCalls, storeCalls, secretReads, keyCalls] = [emulator.requests.length, dynamo.calls.length, secrets.reads.length, kms.calls.length];
  const escalate = { action: 'escalate', flow: 'tailscale-ssh-access', target: 'main-prod-access', requester: { email: 'mallory-personal@gmail.com' }, duration: '1h', reason: 'x' };
  const { results, audit } = await pkg.run([{ event: escalate }, { event: { ...escalate, action: 'deescalate', duration: undefined } }], standIns);
  expect(results).toEqual([
    { ok: false, error: { code: 'authenticated-request-required', message: expect.stringContaining('symtail request --url') } },
    { ok: false, error: { code: 'authenticated-request-required', message: expect.any(String) } },
  ]);
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['escalate:rejected', 'deescalate:rejected']);
  expect([emulator.requests.length, dynamo.calls.length, secrets.reads.length, kms.calls.length]).toEqual([tailnetCalls, storeCalls, secretReads, keyCalls]);
});

test('a forged requestContext.accountId does not make an "own" Identity Center rule accept another account', async () => {
  const outsider = identityCenterArn('alice@example.com', '999999999999');
  const { results, audit } = await pkg.run(
    [{ event: functionUrlEvent(outsider, { action: 'requests' }, { accountId: '999999999999' }) }, call(ALICE, { action: 'requests' })],
    standIns,
  );
  expect(read(results[0])).toMatchObject({ status: 403, body: { ok: false, error: { code: 'unknown-caller', message: expect.stringContaining(outsider) } } });
  expect(read(results[1])).toMatchObject({ status: 200, body: { ok: true } });
  expect(audit[0]).toMatchObject({ outcome: 'rejected', caller: outsider });
});

test('every answer carries the state DESIGN names: deny, cancel, a base64 body, a list by state, bad input', async () => {
  const { results } = await pkg.run(
    [
      call(ALICE, PROD),
      call(ALICE, PROD),
      { event: functionUrlEvent(ALICE, { action: 'requests', state: 'pending' }, { base64: true }) },
      call(ALICE, { action: 'fly' }),
      call(ALICE, { ...PROD, duration: '9h' }),
      { event: functionUrlEvent(ALICE, { action: 'requests' }, { method: 'GET' }) },
    ],
    standIns,
  );
  const [first, second, pending, fly, tooLong, get] = results.map(read);
  const listed = pending.body.requests.map((r: { id: string }) => r.id);
  expect(listed).toEqual(expect.arrayContaining([first.body.request.id, second.body.request.id]));
  expect(fly).toMatchObject({ status: 400, body: { error: { code: 'invalid-event', message: expect.stringContaining('body.action: expected one of request, approve') } } });
  expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: expect.stringContaining('duration') } } });
  expect(get).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: 'expected a POST with a JSON body, got GET' } } });
  const settle = await pkg.run(
    [call(CAROL, { action: 'deny', requestId: first.body.request.id }), call(ALICE, { action: 'cancel', requestId: second.body.request.id })],
    standIns,
  );
  expect(settle.results.map((r) => read(r).body.request.state)).toEqual(['denied', 'cancelled']);
  expect(settle.results.map((r) => read(r).body.request.history.at(-1).actor.arn)).toEqual([CAROL, ALICE]);
});
