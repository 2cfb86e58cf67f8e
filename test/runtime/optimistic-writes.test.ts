import { listLedger } from '../../lib/policy';
import { AccessEngine } from '../../lib/runtime/engine';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { DEMO_POLICY, Harness, T0, escalation, exampleManifest, startHarness } from './harness';

// A warm container writes a grant on the policy file it last read or wrote, with that ETag as If-Match: one request.
// Whatever must judge the live file (the sweep, status, dry runs, approver groups) reads it.

let h: Harness;
/** The clients' clock (how old a kept copy is), in ms; the engine's own clock is `h.clock`. */
let clientMs: number;
beforeEach(async () => {
  clientMs = T0.getTime();
  h = await startHarness({ engine: { clientOptions: { sleep: async () => undefined, deadlineMs: 5000, now: () => clientMs } } });
});
afterEach(() => h.stop());

const asks = (n: number, prefix = 'user') =>
  Array.from({ length: n }, (_, i) => escalation({ requester: { email: `${prefix}${i}@example.com` }, requestId: `r-${prefix}${i}` }));
/** The policy-file requests since `from`, as `METHOD status`. */
const aclCallsSince = (from: number) =>
  h.emulator.requests
    .slice(from)
    .filter((r) => r.path.includes('/acl'))
    .map((r) => `${r.method} ${r.status}`);
const prodMembers = () =>
  listLedger(h.emulator.policy, h.clock.now)
    .active.map((g) => g.member)
    .sort();
/** An admin's edit in the console: a standing member of group:staging. */
const rivalEdit = () => h.emulator.setPolicy(h.emulator.policy.replace('"carol@example.com",', '"carol@example.com",\n"dan@example.com",'));
/** A second container of the same function: its own engine, its own client. */
const otherContainer = () =>
  new AccessEngine({
    manifest: { ...exampleManifest(h.emulator.url), requests: { allowAssertedIdentity: true } } as ReturnType<typeof exampleManifest>,
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    clientOptions: { sleep: async () => undefined },
    now: () => h.clock.now,
    audit: () => undefined,
  });

test('a warm escalation makes exactly one HTTP request to the tailnet API, and its audit line says so', async () => {
  const [first, second] = asks(2);
  await h.engine.escalate(first);
  const from = h.emulator.requests.length;
  const result = await h.engine.escalate(second);
  expect(h.emulator.requests.length - from).toBe(1);
  expect(aclCallsSince(from)).toEqual(['POST 200']);
  expect(result).toMatchObject({ written: true, etagAfter: h.emulator.etag });
  expect(h.audit.map((a) => [a.roundTrips, a.cached])).toEqual([
    [2, false],
    [1, true],
  ]);
  expect(prodMembers()).toEqual(['user0@example.com', 'user1@example.com']);
});

test('a rival write between two escalations makes the second take three requests (POST 412, GET, POST) and lose nothing', async () => {
  const [first, second] = asks(2);
  await h.engine.escalate(first);
  rivalEdit();
  const from = h.emulator.requests.length;
  await h.engine.escalate(second);
  expect(aclCallsSince(from)).toEqual(['POST 412', 'GET 200', 'POST 200']);
  expect(h.audit[1]).toMatchObject({ outcome: 'success', roundTrips: 3, cached: false });
  expect(prodMembers()).toEqual(['user0@example.com', 'user1@example.com']);
  expect(h.emulator.policy).toContain('"dan@example.com"');
});

test('another container granting in between costs the second one read, and both grants stand', async () => {
  const [mine, theirs, mineAgain] = asks(3);
  await h.engine.escalate(mine);
  await otherContainer().escalate(theirs);
  const from = h.emulator.requests.length;
  await h.engine.escalate(mineAgain);
  expect(aclCallsSince(from)).toEqual(['POST 412', 'GET 200', 'POST 200']);
  expect(prodMembers()).toEqual(['user0@example.com', 'user1@example.com', 'user2@example.com']);
});

test('a kept copy older than the bound (60 s by default) is not used: the escalation reads first', async () => {
  const [first, second, third] = asks(3);
  await h.engine.escalate(first);
  clientMs += 60_000;
  let from = h.emulator.requests.length;
  await h.engine.escalate(second);
  expect(aclCallsSince(from)).toEqual(['POST 200']);
  clientMs += 60_001;
  from = h.emulator.requests.length;
  await h.engine.escalate(third);
  expect(aclCallsSince(from)).toEqual(['GET 200', 'POST 200']);
  expect(h.audit[2]).toMatchObject({ roundTrips: 2, cached: false });
});

test('the sweep never uses the kept copy: it reads the live file, and sees what a rival wrote', async () => {
  await h.engine.escalate(escalation());
  // Another container granted someone for a minute, long expired at the sweep; this container's copy knows nothing of it.
  await otherContainer().escalate(escalation({ requester: { email: 'brief@example.com' }, requestId: 'r-brief', duration: '30m' }));
  h.clock.now = new Date(T0.getTime() + 31 * 60_000);
  const from = h.emulator.requests.length;
  const swept = await h.engine.sweep({ action: 'sweep' });
  expect(aclCallsSince(from)).toEqual(['GET 200', 'POST 200']);
  expect(swept.tailnets[0].removed.map((c) => c.member)).toEqual(['brief@example.com']);
  expect(h.audit.at(-1)).toMatchObject({ action: 'sweep', roundTrips: 2, cached: false });
  // Even right after a write of its own, with nothing expired: one read.
  const again = h.emulator.requests.length;
  await h.engine.sweep({ action: 'sweep' });
  expect(aclCallsSince(again)).toEqual(['GET 200']);
});

test('approver-group reads never use the kept copy: a standing member added since is seen', async () => {
  await h.engine.escalate(escalation());
  rivalEdit();
  const from = h.emulator.requests.length;
  expect(await h.engine.standingMembers('tailscale-ssh-access', 'staging')).toEqual(['carol@example.com', 'dan@example.com']);
  expect(aclCallsSince(from)).toEqual(['GET 200']);
});

test('status and dry runs read the live file', async () => {
  await h.engine.escalate(escalation());
  rivalEdit();
  let from = h.emulator.requests.length;
  const status = await h.engine.status({ action: 'status' });
  expect(status.targets.find((t) => t.target === 'main-staging-access')?.standing).toEqual(['carol@example.com', 'dan@example.com']);
  expect(aclCallsSince(from)).toEqual(['GET 200']);
  from = h.emulator.requests.length;
  const dry = await h.engine.escalate(escalation({ requester: { email: 'erin@example.com' }, requestId: 'r-erin', dryRun: true }));
  expect(aclCallsSince(from)).toEqual(['GET 200']);
  expect(dry.diff).toContain('"dan@example.com"');
});

test('a de-escalation the kept copy cannot judge is judged on the live file: another container already revoked it', async () => {
  await h.engine.escalate(escalation());
  await otherContainer().deescalate(escalation({ action: 'deescalate' }) as never);
  const from = h.emulator.requests.length;
  const result = await h.engine.deescalate(escalation({ action: 'deescalate' }) as never);
  // The kept copy still held the grant: its revocation met a 412, and the live file had nothing left to revoke.
  expect(aclCallsSince(from)).toEqual(['POST 412', 'GET 200']);
  expect(result.written).toBe(false);
  expect(h.audit.at(-1)).toMatchObject({ outcome: 'noop', cached: false });
  expect(h.emulator.policy).toBe(DEMO_POLICY);
});

test('re-escalating a grant the kept copy holds is confirmed on the live file before it is called a no-op', async () => {
  await h.engine.escalate(escalation());
  const from = h.emulator.requests.length;
  const result = await h.engine.escalate(escalation());
  expect(aclCallsSince(from)).toEqual(['GET 200']);
  expect(result.written).toBe(false);
  expect(h.audit.at(-1)).toMatchObject({ outcome: 'noop', roundTrips: 1, cached: false });
});
