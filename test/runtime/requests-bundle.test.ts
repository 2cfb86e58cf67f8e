import { credentialFor, identityCenterArn, StandInCredential } from '../../lib/testing';
import { Step } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// The synthesized zip of the example, run in fresh Node processes as Lambda runs it, with function URL events that
// prove their caller to an STS stand-in, against a local DynamoDB (dynalite) and the tailnet emulator.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const CAROL = credentialFor(identityCenterArn('carol@example.com'));
const MALLORY = credentialFor(identityCenterArn('mallory@example.com'));
/** An IAM user STS knows but no principal rule maps. */
const EVE = credentialFor('arn:aws:iam::999999999999:user/eve');
/** alice's Identity Center session in another account. */
const OUTSIDER = credentialFor(identityCenterArn('alice@example.com', '999999999999'));

let env: PackagedRequests;
const call = (caller: StandInCredential, body: Record<string, unknown>, options: { base64?: boolean; method?: string; accountId?: string } = {}): Step =>
  provenCall(env.sts, caller, body, options);
const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };

beforeAll(async () => {
  env = await startPackagedRequests([ALICE, BOB, CAROL, MALLORY, EVE, OUTSIDER]);
});
afterAll(() => env.stop());

test('alice requests, her own approval is refused, bob approves, she is escalated, status shows it, and the sweep ends it when the grant runs out', async () => {
  const { results, audit } = await env.pkg.run([call(ALICE, PROD), call(ALICE, { action: 'approve', requestId: 'r-unknown' })], env.standIns);
  const requested = read(results[0]);
  expect(requested).toMatchObject({
    status: 200,
    body: {
      ok: true,
      request: { state: 'pending', requester: { kind: 'iam', arn: ALICE.arn, email: 'alice@example.com' }, login: 'alice@example.com', duration: '30m' },
    },
  });
  expect(read(results[1])).toMatchObject({ status: 404, body: { ok: false, error: { code: 'unknown-request' } } });
  const id: string = requested.body.request.id;
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['request:success', 'approve:rejected']);

  const writesBefore = env.emulator.writes;
  const lifecycle = await env.pkg.run(
    [
      call(ALICE, { action: 'approve', requestId: id }),
      call(BOB, { action: 'approve', requestId: id }),
      { event: { action: 'status' } },
      { advanceSeconds: 31 * 60 },
      { event: { action: 'sweep' } },
      call(BOB, { action: 'get', requestId: id }),
    ],
    env.standIns,
  );
  const [selfApproval, approval, status, , sweep, final] = lifecycle.results;
  expect(read(selfApproval)).toMatchObject({ status: 403, body: { ok: false, error: { code: 'self-approval' } } });
  expect(read(approval)).toMatchObject({
    status: 200,
    body: { ok: true, request: { id, state: 'escalated', approvals: [{ actor: { arn: BOB.arn, email: 'bob@example.com' } }] } },
  });
  expect(status).toMatchObject({
    ok: true,
    targets: expect.arrayContaining([
      expect.objectContaining({ group: 'prod', active: [expect.objectContaining({ member: 'alice@example.com', requestId: id })] }),
    ]),
  });
  expect(sweep).toMatchObject({ ok: true, action: 'sweep', requests: { ended: [id], expired: [], failed: [], errors: [] } });
  const ended = read(final).body.request;
  expect(ended.state).toBe('ended');
  expect(ended.history.map((h: { action: string; actor: { arn?: string; name?: string } }) => [h.action, h.actor.arn ?? h.actor.name])).toEqual([
    ['request', ALICE.arn],
    ['approve', BOB.arn],
    ['escalate', BOB.arn],
    ['end', 'sweep'],
  ]);
  // One write grants, one (the sweep's) removes; the policy file is as it was.
  expect(env.emulator.writes - writesBefore).toBe(2);
  expect(env.emulator.policy).toBe(DEMO_POLICY);
});

test('callers that may not act are refused with 403 and no request is written', async () => {
  const {
    results: [created],
  } = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const id = read(created).body.request.id;
  const [policyWrites, requestsBefore] = [env.emulator.writes, await env.requestItems()];
  const { results, audit } = await env.pkg.run(
    [call(EVE, { action: 'get', requestId: id }), call(MALLORY, { action: 'approve', requestId: id }), call(BOB, { action: 'cancel', requestId: id })],
    env.standIns,
  );
  expect(results.map(read)).toEqual([
    {
      status: 403,
      body: { ok: false, error: { code: 'unknown-caller', message: `caller ${EVE.arn} is not mapped to an email by the runtime's principal rules` } },
    },
    { status: 403, body: { ok: false, error: { code: 'not-an-approver', message: expect.stringContaining('mallory@example.com is not an approver') } } },
    {
      status: 403,
      body: { ok: false, error: { code: 'not-the-requester', message: expect.stringContaining('only its requester (alice@example.com) may cancel it') } },
    },
  ]);
  // The unmapped caller's ARN, as STS vouched for it, is in the audit trail.
  expect(audit[0]).toMatchObject({ action: 'get', outcome: 'rejected', caller: EVE.arn, error: { code: 'unknown-caller' } });
  expect([env.emulator.writes, await env.requestItems()]).toEqual([policyWrites, requestsBefore]);
});

test('a second approval is refused with 409 and writes nothing', async () => {
  const { results } = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const id = read(results[0]).body.request.id;
  await env.pkg.run([call(BOB, { action: 'approve', requestId: id })], env.standIns);
  const [policyWrites, requestsBefore] = [env.emulator.writes, await env.requestItems()];
  const second = await env.pkg.run([call(CAROL, { action: 'approve', requestId: id })], env.standIns);
  expect(read(second.results[0])).toMatchObject({
    status: 409,
    body: { ok: false, error: { code: 'already-decided', message: `request ${id} is escalated; cannot approve it` } },
  });
  expect([env.emulator.writes, await env.requestItems()]).toEqual([policyWrites, requestsBefore]);
  await env.pkg.run([call(ALICE, { action: 'revoke', requestId: id })], env.standIns);
});

// Twenty-one fresh Node processes, each loading the bundle and the AWS SDK: on a busy machine that takes a while.
test('twenty approvals of one request at once, each in its own container, give exactly one policy write', async () => {
  const { results } = await env.pkg.run([call(ALICE, { ...PROD, target: 'main-staging-access' })], env.standIns);
  const id = read(results[0]).body.request.id;
  const writes = env.emulator.writes;
  const runs = await Promise.all(
    Array.from({ length: 20 }, (_, i) => env.pkg.run([call(i % 2 === 0 ? BOB : CAROL, { action: 'approve', requestId: id })], env.standIns)),
  );
  const statuses = runs.map((r) => read(r.results[0]).status).sort();
  expect(statuses).toEqual([200, ...Array(19).fill(409)]);
  expect(env.emulator.writes - writes).toBe(1);
  const {
    results: [got],
  } = await env.pkg.run([call(BOB, { action: 'get', requestId: id })], env.standIns);
  expect(read(got).body.request).toMatchObject({ state: 'escalated', approvals: [expect.anything()] });
  await env.pkg.run([call(ALICE, { action: 'revoke', requestId: id })], env.standIns);
}, 60_000);

test('a direct escalate event is refused with authenticated-request-required and makes no API call', async () => {
  const [tailnetCalls, storeCalls, secretReads, keyCalls] = [
    env.emulator.requests.length,
    env.dynamo.calls.length,
    env.secrets.reads.length,
    env.kms.calls.length,
  ];
  const escalate = {
    action: 'escalate',
    flow: 'tailscale-ssh-access',
    target: 'main-prod-access',
    requester: { email: 'mallory-personal@gmail.com' },
    duration: '1h',
    reason: 'x',
  };
  const { results, audit } = await env.pkg.run([{ event: escalate }, { event: { ...escalate, action: 'deescalate', duration: undefined } }], env.standIns);
  expect(results).toEqual([
    { ok: false, error: { code: 'authenticated-request-required', message: expect.stringContaining('symtail request --url') } },
    { ok: false, error: { code: 'authenticated-request-required', message: expect.any(String) } },
  ]);
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['escalate:rejected', 'deescalate:rejected']);
  expect([env.emulator.requests.length, env.dynamo.calls.length, env.secrets.reads.length, env.kms.calls.length]).toEqual([
    tailnetCalls,
    storeCalls,
    secretReads,
    keyCalls,
  ]);
});

test('a forged requestContext.accountId does not make an "own" Identity Center rule accept another account', async () => {
  const { results, audit } = await env.pkg.run(
    [call(OUTSIDER, { action: 'requests' }, { accountId: '999999999999' }), call(ALICE, { action: 'requests' })],
    env.standIns,
  );
  expect(read(results[0])).toMatchObject({
    status: 403,
    body: { ok: false, error: { code: 'unknown-caller', message: expect.stringContaining(OUTSIDER.arn) } },
  });
  expect(read(results[1])).toMatchObject({ status: 200, body: { ok: true } });
  expect(audit[0]).toMatchObject({ outcome: 'rejected', caller: OUTSIDER.arn });
});

test('every answer carries the state DESIGN names: deny, cancel, a base64 body, a list by state, bad input', async () => {
  const { results } = await env.pkg.run(
    [
      call(ALICE, PROD),
      call(ALICE, PROD),
      call(ALICE, { action: 'requests', state: 'pending' }, { base64: true }),
      call(ALICE, { action: 'fly' }),
      call(ALICE, { ...PROD, duration: '9h' }),
      call(ALICE, { action: 'requests' }, { method: 'GET' }),
    ],
    env.standIns,
  );
  const [first, second, pending, fly, tooLong, get] = results.map(read);
  const listed = pending.body.requests.map((r: { id: string }) => r.id);
  expect(listed).toEqual(expect.arrayContaining([first.body.request.id, second.body.request.id]));
  expect(fly).toMatchObject({
    status: 400,
    body: { error: { code: 'invalid-event', message: expect.stringContaining('body.action: expected one of request, approve') } },
  });
  expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', message: expect.stringContaining('duration') } } });
  expect(get).toMatchObject({ status: 400, body: { error: { code: 'not-a-json-post', message: 'expected a POST with a JSON body, got "GET"' } } });
  const settle = await env.pkg.run(
    [call(CAROL, { action: 'deny', requestId: first.body.request.id }), call(ALICE, { action: 'cancel', requestId: second.body.request.id })],
    env.standIns,
  );
  expect(settle.results.map((r) => read(r).body.request.state)).toEqual(['denied', 'cancelled']);
  expect(settle.results.map((r) => read(r).body.request.history.at(-1).actor.arn)).toEqual([CAROL.arn, ALICE.arn]);
});
