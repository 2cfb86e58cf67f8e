import { credentialFor, identityCenterArn, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// The example's synthesized zip with break-glass allowed up to 30m, run in fresh Node processes against dynalite, the
// STS, KMS and IAM stand-ins and the tailnet emulator.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));

let env: PackagedRequests;
const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
const EMERGENCY = {
  action: 'request',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  duration: '30m',
  reason: 'INC-4022: prod is down',
  breakGlass: true,
};

beforeAll(async () => {
  env = await startPackagedRequests([ALICE, BOB], {}, { breakGlassMaxDuration: '30m' });
});
afterAll(() => env.stop());

test('a break-glass request is granted on its requester’s own approval, audited as break-glass, flagged for review, and an approver reviews it', async () => {
  const { results, audit } = await env.pkg.run([call(ALICE, EMERGENCY)], env.standIns);
  const { status, body } = read(results[0]);
  expect(status).toBe(200);
  const id: string = body.request.id;
  expect(body.request).toMatchObject({
    state: 'escalated',
    breakGlass: true,
    needsReview: true,
    approvals: [{ actor: { arn: ALICE.arn, email: 'alice@example.com' } }],
  });
  expect(body.request.history.map((h: { action: string }) => h.action)).toEqual(['request', 'break-glass', 'escalate']);
  expect(env.emulator.policy).toContain(`req=${id}`);
  expect(audit).toContainEqual(expect.objectContaining({ action: 'request', outcome: 'break-glass', requestId: id, caller: ALICE.arn }));

  const review = await env.pkg.run(
    [
      call(ALICE, { action: 'review', requestId: id, note: 'mine' }),
      call(BOB, { action: 'review', requestId: id, note: 'checked the incident channel' }),
      call(BOB, { action: 'review', requestId: id }),
    ],
    env.standIns,
  );
  const [own, reviewed, again] = review.results.map(read);
  expect(own).toMatchObject({ status: 403, body: { error: { code: 'self-approval' } } });
  expect(reviewed.status).toBe(200);
  expect(reviewed.body.request.needsReview).toBeUndefined();
  expect(reviewed.body.request.review).toEqual({
    actor: expect.objectContaining({ arn: BOB.arn, email: 'bob@example.com' }),
    at: expect.any(String),
    note: 'checked the incident channel',
  });
  expect(again).toMatchObject({ status: 409, body: { error: { code: 'not-under-review' } } });
  expect(review.audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['review:rejected', 'review:success', 'review:rejected']);
});

test.each<[string, Record<string, unknown>, number, string]>([
  ['without a reason', { reason: undefined }, 400, 'reason:'],
  ['longer than the break-glass maximum', { duration: '1h' }, 400, 'lasts at most 30m'],
])('a break-glass request %s is refused and nothing is written', async (_case, change, status, message) => {
  const before = Object.keys(await env.requestItems()).length;
  const body = { ...EMERGENCY, ...change };
  if (change.reason === undefined && 'reason' in change) delete (body as Record<string, unknown>).reason;
  const { results } = await env.pkg.run([call(ALICE, body)], env.standIns);
  expect(read(results[0])).toMatchObject({ status, body: { ok: false, error: { message: expect.stringContaining(message) } } });
  expect(Object.keys(await env.requestItems()).length).toBe(before);
});
