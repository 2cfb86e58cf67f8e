import { credentialFor, identityCenterArn, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// The example's synthesized zip with an on-call rule (PagerDuty schedule PSRE001), run in fresh Node processes against
// a PagerDuty stand-in, dynalite, the STS, KMS and IAM stand-ins and the tailnet emulator.

const DANA = credentialFor(identityCenterArn('dana@example.com'));
const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const SCHEDULE = 'PSRE001';
const HOUR = 3600_000;
const shiftStart = new Date(Date.now() - HOUR).toISOString();
const shiftEnd = new Date(Date.now() + 8 * HOUR).toISOString();

let env: PackagedRequests;
const call = (caller: StandInCredential, body: Record<string, unknown>) => provenCall(env.sts, caller, body);
const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };

beforeAll(async () => {
  env = await startPackagedRequests(
    [DANA, ALICE],
    {},
    {
      onCall: {
        schedules: [SCHEDULE],
        onCalls: [
          { email: 'dana@example.com', scheduleId: SCHEDULE, escalationPolicyId: 'PPOL001', escalationLevel: 1, start: shiftStart, end: shiftEnd },
          // alice is on call, but in a schedule the flow does not name.
          { email: 'alice@example.com', scheduleId: 'POTHER1', escalationPolicyId: 'PPOL002', start: shiftStart, end: shiftEnd },
        ],
      },
    },
  );
});
afterAll(() => env.stop());
beforeEach(() => {
  env.pagerDuty!.down = false;
  env.pagerDuty!.delayMs = 0;
});

const actions = (request: { history: { action: string; actor: { email?: string; name?: string } }[] }) =>
  request.history.map((h) => `${h.action}:${h.actor.email ?? h.actor.name}`);

test('an on-call requester is granted at once with no human vote, the approval naming the rule, the schedule and the on-call entry', async () => {
  const { results, audit } = await env.pkg.run([call(DANA, PROD)], env.standIns);
  const { status, body } = read(results[0]);
  expect(status).toBe(200);
  expect(body.request).toMatchObject({ state: 'escalated', requester: { email: 'dana@example.com' } });
  expect(body.request.approvals).toEqual([
    {
      actor: { kind: 'system', name: 'on-call' },
      at: expect.any(String),
      onCall: {
        provider: 'pagerduty',
        email: 'dana@example.com',
        scheduleId: SCHEDULE,
        escalationPolicyId: 'PPOL001',
        escalationLevel: 1,
        start: shiftStart,
        end: shiftEnd,
      },
    },
  ]);
  expect(actions(body.request)).toEqual(['request:dana@example.com', 'auto-approve:on-call', 'escalate:on-call']);
  expect(body.request.history[1].detail).toContain(`schedule ${SCHEDULE}`);
  expect(env.emulator.policy).toContain(`"dana@example.com" /* symtail: until=${body.request.until.replace(/\.\d{3}Z$/, 'Z')} req=${body.request.id} */`);
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['escalate:success', 'request:success']);
  // One question to PagerDuty: the flow's schedule, at one instant, with users' emails.
  const asked = env.pagerDuty!.calls.at(-1)!;
  expect(asked).toMatchObject({ scheduleIds: [SCHEDULE], escalationPolicyIds: [], include: ['users'], status: 200 });
  expect(asked.since).toBe(asked.until);
  // The stored record is sealed with the on-call entry in it.
  const stored = (await env.requestItems())[body.request.id];
  expect(stored.mac).toEqual({ S: expect.any(String) });
});

test('a requester who is not on call in the named schedules waits for people, with no note', async () => {
  const { results } = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const { status, body } = read(results[0]);
  expect(status).toBe(200);
  expect(body.request).toMatchObject({ state: 'pending', approvals: [] });
  expect(actions(body.request)).toEqual(['request:alice@example.com']);
});

test.each([
  ['down (HTTP 503)', () => (env.pagerDuty!.down = true), 'HTTP 503'],
  ['slower than its 2 s budget', () => (env.pagerDuty!.delayMs = 2500), 'did not answer within 2000 ms'],
])('PagerDuty %s: the on-call requester’s request waits for people, with a note, and the requester sees no error', async (_case, breakIt, why) => {
  breakIt();
  const { results, audit } = await env.pkg.run([call(DANA, PROD)], env.standIns);
  const { status, body } = read(results[0]);
  expect(status).toBe(200);
  expect(body.request).toMatchObject({ state: 'pending', approvals: [] });
  expect(actions(body.request)).toEqual(['request:dana@example.com', 'on-call-unavailable:on-call']);
  expect(body.request.history[1].detail).toContain(why);
  expect(body.request.history[1].detail).toContain('waits for people');
  expect(JSON.stringify(body)).not.toContain(env.pagerDuty!.token);
  expect(JSON.stringify(audit)).not.toContain(env.pagerDuty!.token);
  expect(audit).toEqual([expect.objectContaining({ action: 'request', outcome: 'success', state: 'pending' })]);
});
