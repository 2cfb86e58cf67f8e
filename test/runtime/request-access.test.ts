import { AccessRequest } from '../../lib/requests';
import { EngineRequestAccess } from '../../lib/runtime';
import { escalation, Harness, startHarness, T0 } from './harness';

let h: Harness;
let access: EngineRequestAccess;
beforeEach(async () => {
  h = await startHarness();
  access = new EngineRequestAccess(h.engine);
});
afterEach(() => h.stop());

const alice: AccessRequest['requester'] = { kind: 'iam', arn: 'arn:aws:iam::111122223333:user/alice', email: 'alice@example.com' };
const request = (id: string, over: Partial<AccessRequest> = {}): AccessRequest => ({
  id,
  version: 2,
  state: 'approved',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: alice,
  login: 'alice@example.com',
  duration: '30m',
  approvals: [],
  deadline: '2026-11-23T18:00:00.000Z',
  createdAt: T0.toISOString(),
  history: [],
  ...over,
});

test('a grant written before its store update was lost is found by its request id and not written again', async () => {
  const first = await access.escalate(request('r-7'), T0);
  expect(first).toEqual({ until: '2026-11-23T17:30:00Z' });
  expect(h.emulator.writes).toBe(1);
  expect(h.emulator.policy).toContain('"alice@example.com" /* symtail: until=2026-11-23T17:30:00Z req=r-7 */');
  // The retry comes a minute later: the annotation already there is the grant, with its own expiry.
  const retry = await access.escalate(request('r-7'), new Date(T0.getTime() + 60_000));
  expect(retry).toEqual(first);
  expect(h.emulator.writes).toBe(1);
});

test('revoking a request removes only the member whose annotation carries its id', async () => {
  await access.escalate(request('r-1'), T0);
  // A later request of alice's extends the grant: the annotation now carries r-2.
  await access.escalate(request('r-2', { duration: '1h' }), T0);
  await access.deescalate(request('r-1'));
  expect(h.emulator.policy).toContain('req=r-2');
  await access.deescalate(request('r-2'));
  expect(h.emulator.policy).not.toContain('alice@example.com');
});

test('approver groups count standing members only, read from the tailnet at the moment of the vote', async () => {
  const directory = access.directory('tailscale-ssh-access');
  expect(await directory.standingMembers('staging')).toEqual(['carol@example.com']);
  await h.engine.escalate(escalation({ target: 'main-staging-access', requester: { email: 'erin@example.com' }, requestId: 'r-9' }));
  // erin is now in group:staging, just in time: never an approver.
  expect(await directory.standingMembers('staging')).toEqual(['carol@example.com']);
  expect(directory.loginFor('dave@corp.example')).toBe('dave@github');
});

test("a new request is checked as an escalation is: the flow's durations and reason", () => {
  expect(access.check({ flow: 'tailscale-ssh-access', target: 'main-prod-access', reason: 'INC-1' }, 'alice@example.com')).toMatchObject({
    login: 'alice@example.com',
    duration: '30m',
    rules: { requiredApprovals: 1, approvers: ['bob@example.com', 'carol@example.com'], approvalWindowSeconds: 3600, allowRevoke: true },
  });
  expect(() => access.check({ flow: 'tailscale-ssh-access', target: 'main-prod-access' }, 'alice@example.com')).toThrow('requires a reason');
  expect(() => access.check({ flow: 'tailscale-ssh-access', target: 'main-prod-access', reason: 'x', duration: '2h' }, 'alice@example.com')).toThrow(
    'duration',
  );
});
