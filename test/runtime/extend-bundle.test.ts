import { credentialFor, identityCenterArn, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// The example's synthesized zip run in fresh Node processes against dynalite, the STS, KMS and IAM stand-ins and the
// tailnet emulator: once as Sym's example (extensions need an approval), once with self-extension up to 90m in all.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };
type Active = { member: string; requestId?: string; until: string };

let approving: PackagedRequests;
let selfExtending: PackagedRequests;

beforeAll(async () => {
  [approving, selfExtending] = await Promise.all([
    startPackagedRequests([ALICE, BOB]),
    startPackagedRequests([ALICE, BOB], {}, { selfExtensionMaxTotal: '90m' }),
  ]);
});
afterAll(() => Promise.all([approving?.stop(), selfExtending?.stop()]));

/** alice escalated for 30m with bob's approval; answers the request's id and `until`. */
async function escalated(env: PackagedRequests): Promise<{ id: string; until: string }> {
  const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
  const { results } = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const id: string = read(results[0]).body.request.id;
  const approved = await env.pkg.run([call(BOB, { action: 'approve', requestId: id })], env.standIns);
  const request = read(approved.results[0]).body.request;
  expect(request.state).toBe('escalated');
  return { id, until: request.until };
}

function activeFor(status: unknown, member: string): Active[] {
  const targets = (status as { targets: { active: Active[] }[] }).targets;
  return targets.flatMap((t) => t.active).filter((a) => a.member === member);
}

test('alice extends her escalated request by 1h, bob approves: one annotation with the new until and request id, the first request extended, and the sweep leaves the grant', async () => {
  const env = approving;
  const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
  const first = await escalated(env);
  const asked = await env.pkg.run([call(ALICE, { action: 'extend', requestId: first.id, duration: '1h' })], env.standIns);
  const extension = read(asked.results[0]).body.request;
  expect(extension).toMatchObject({ state: 'pending', extends: first.id });

  const { results } = await env.pkg.run(
    [
      call(BOB, { action: 'approve', requestId: extension.id }),
      { event: { action: 'status' } },
      { event: { action: 'sweep' } },
      { event: { action: 'status' } },
      call(BOB, { action: 'get', requestId: first.id }),
      call(ALICE, { action: 'revoke', requestId: first.id }),
    ],
    env.standIns,
  );
  const [approved, status, sweep, after, firstNow, revokeFirst] = results;
  expect(read(approved)).toMatchObject({ status: 200, body: { request: { id: extension.id, state: 'escalated' } } });
  const newUntil: string = read(approved).body.request.until;
  expect(Date.parse(newUntil)).toBeGreaterThan(Date.parse(first.until));
  expect(activeFor(status, 'alice@example.com')).toEqual([expect.objectContaining({ requestId: extension.id, until: newUntil })]);
  expect(env.emulator.policy).not.toContain(`req=${first.id}`);
  expect(sweep).toMatchObject({ ok: true, requests: { grantsRemoved: [], errors: [] } });
  expect(activeFor(after, 'alice@example.com')).toEqual([expect.objectContaining({ requestId: extension.id, until: newUntil })]);
  expect(read(firstNow).body.request.state).toBe('extended');
  expect(read(revokeFirst)).toMatchObject({ status: 409 });

  const revoked = await env.pkg.run([call(ALICE, { action: 'revoke', requestId: extension.id }), { event: { action: 'status' } }], env.standIns);
  expect(read(revoked.results[0]).body.request.state).toBe('ended');
  expect(activeFor(revoked.results[1], 'alice@example.com')).toEqual([]);
});

test('with self-extension up to 90m in all, an extension within it is granted without a vote, and one beyond it is refused with no write', async () => {
  const env = selfExtending;
  const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
  const first = await escalated(env);
  const { results } = await env.pkg.run([call(ALICE, { action: 'extend', requestId: first.id, duration: '1h' })], env.standIns);
  const extension = read(results[0]).body.request;
  expect(extension).toMatchObject({ state: 'escalated', approvals: [], extends: first.id });
  expect(Date.parse(extension.until)).toBeGreaterThan(Date.parse(first.until));

  const [writes, items] = [env.emulator.writes, Object.keys(await env.requestItems()).length];
  // 40 minutes on, another hour would make the grant 1h40m in all.
  const beyond = await env.pkg.run(
    [{ advanceSeconds: 40 * 60 }, call(ALICE, { action: 'extend', requestId: extension.id, duration: '1h' }), { event: { action: 'status' } }],
    env.standIns,
  );
  expect(read(beyond.results[1])).toMatchObject({
    status: 403,
    body: { ok: false, error: { code: 'extension-too-long', message: expect.stringContaining('at most 90m in all') } },
  });
  expect(env.emulator.writes).toBe(writes);
  expect(Object.keys(await env.requestItems())).toHaveLength(items);
  expect(activeFor(beyond.results[2], 'alice@example.com')).toEqual([expect.objectContaining({ requestId: extension.id })]);
});
