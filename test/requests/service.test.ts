import {
  AccessRequest,
  Actor,
  DynamoDbRequestStore,
  FlowRules,
  kmsRecordSeal,
  NewRequest,
  RequestAction,
  RequestEvent,
  RecordSeal,
  RequestService,
} from '../../lib/requests';
import { localRecordSeal } from '../../lib/testing';
import { localDynamoDbForFile } from './local-table';
import { RecordingAccess, RULES } from './recording-access';
import { iamActor } from '../support/actors';

const iam = iamActor;
const alice = iam('alice');
const bob = iam('bob');
const carol = iam('carol');
const mallory = iam('mallory');
const PROD: NewRequest = { flow: 'ssh', target: 'prod', duration: '1h', reason: 'INC-1' };

const db = localDynamoDbForFile();
let table = 0;

async function setup(rules: Partial<FlowRules> = {}, seal: RecordSeal = localRecordSeal()) {
  const published: RequestEvent[] = [];
  const name = `requests-${++table}`;
  await db.local.createRequestsTable(name);
  const clock = { now: new Date('2026-11-29T10:00:00.000Z') };
  const access = new RecordingAccess();
  access.rulesOf = { ...RULES, ...rules };
  const told: [string, RequestAction][] = [];
  const refusals: [string, string][] = [];
  let n = 0;
  const store = new DynamoDbRequestStore(name, db.client, () => clock.now);
  const service = new RequestService({
    store,
    access,
    seal,
    onRecordRefused: (r, error) => void refusals.push([r.state, error.code]),
    now: () => clock.now,
    newRequestId: () => `r-${++n}`,
    notifier: { notify: async (r, t) => void told.push([r.state, t]) },
    events: { publish: async (events) => void published.push(...events) },
  });
  return { service, access, clock, told, table: name, store, refusals, published };
}

test('a request waits for an approver; the approval escalates it at once and records who did what', async () => {
  const { service, access, told } = await setup();
  const { request } = await service.request(alice, PROD);
  expect(request).toMatchObject({ id: 'r-1', state: 'pending', requester: alice, login: 'alice@example.com', deadline: '2026-11-29T11:00:00.000Z' });
  const approved = await service.approve(bob, 'r-1');
  expect(approved.request).toMatchObject({ state: 'escalated', until: '2026-11-29T11:00:00.000Z', approvals: [{ actor: bob }] });
  expect(approved.request.history.map((h) => [h.action, h.actor])).toEqual([
    ['request', alice],
    ['approve', bob],
    ['escalate', bob],
  ]);
  expect(access.escalations).toBe(1);
  expect(told).toEqual([
    ['pending', 'request'],
    ['approved', 'approve'],
    ['escalated', 'escalate'],
  ]);
});

test.each<[string, (s: RequestService) => Promise<unknown>, string, number]>([
  ['self-approval', (s) => s.approve(alice, 'r-1'), 'self-approval', 403],
  ['a non-approver', (s) => s.approve(mallory, 'r-1'), 'not-an-approver', 403],
  ['a cancel by someone else', (s) => s.cancel(bob, 'r-1'), 'not-the-requester', 403],
  ['a deny by the requester', (s) => s.deny(alice, 'r-1'), 'self-approval', 403],
  ['a revoke by a stranger', (s) => s.revoke(mallory, 'r-1'), 'not-allowed', 403],
  ['an unknown request', (s) => s.approve(bob, 'r-404'), 'unknown-request', 404],
  ['an approver whose email has a letter outside ASCII', (s) => s.approve({ ...bob, email: 'bo\u0431@example.com' }, 'r-1'), 'invalid-email', 400],
])('refuses %s and writes nothing', async (_what, act, code, status) => {
  const { service } = await setup();
  await service.request(alice, PROD);
  const writes = db.local.writes.length;
  await expect(act(service)).rejects.toMatchObject({ code, httpStatus: status });
  expect(db.local.writes.length).toBe(writes);
});

test('a second approval of a decided request is refused with 409 and writes nothing', async () => {
  const { service, access } = await setup();
  await service.request(alice, PROD);
  await service.approve(bob, 'r-1');
  const writes = db.local.writes.length;
  await expect(service.approve(carol, 'r-1')).rejects.toMatchObject({ code: 'already-decided', httpStatus: 409 });
  expect(db.local.writes.length).toBe(writes);
  expect(access.escalations).toBe(1);
});

test('a vote after the approval window is refused with 409', async () => {
  const { service, clock } = await setup();
  await service.request(alice, PROD);
  clock.now = new Date('2026-11-29T11:00:00.000Z');
  await expect(service.approve(bob, 'r-1')).rejects.toMatchObject({ code: 'past-deadline', httpStatus: 409 });
});

test('two required approvals: the first leaves it pending, the same approver cannot vote twice, the second escalates', async () => {
  const { service, access } = await setup({ requiredApprovals: 2 });
  await service.request(alice, PROD);
  expect((await service.approve(bob, 'r-1')).request.state).toBe('pending');
  await expect(service.approve(bob, 'r-1')).rejects.toMatchObject({ code: 'already-approved', httpStatus: 409 });
  expect((await service.approve(carol, 'r-1')).request).toMatchObject({ state: 'escalated', approvals: [{ actor: bob }, { actor: carol }] });
  expect(access.escalations).toBe(1);
});

test('one person under two emails that map to one tailnet login casts one vote', async () => {
  const { service, access } = await setup({ requiredApprovals: 2, approvers: ['bob@example.com', 'bob@corp.io', 'carol@example.com'] });
  access.logins = { 'bob@example.com': 'bob@github', 'bob@corp.io': 'bob@github' };
  await service.request(alice, PROD);
  await service.approve(bob, 'r-1');
  const bobAgain: Actor = { kind: 'slack', teamId: 'T1', userId: 'U1', email: 'bob@corp.io' };
  await expect(service.approve(bobAgain, 'r-1')).rejects.toMatchObject({ code: 'already-approved', httpStatus: 409 });
  expect((await service.get(bob, 'r-1')).request).toMatchObject({ state: 'pending', approvals: [{ actor: bob }] });
  expect(access.escalations).toBe(0);
});

test('the requester cannot approve under another email that maps to the same tailnet login', async () => {
  const { service, access } = await setup({ approvers: ['alice@corp.io', 'bob@example.com'] });
  access.logins = { 'alice@example.com': 'alice@github', 'alice@corp.io': 'alice@github' };
  await service.request(alice, PROD);
  const aliceAgain: Actor = { kind: 'slack', teamId: 'T1', userId: 'U2', email: 'alice@corp.io' };
  await expect(service.approve(aliceAgain, 'r-1')).rejects.toMatchObject({ code: 'self-approval', httpStatus: 403 });
  expect(access.escalations).toBe(0);
});

test('a revoke that lands while the grant is being written leaves no grant behind', async () => {
  const { service, access } = await setup();
  await service.request(alice, PROD);
  let revoked: Promise<unknown> | undefined;
  access.beforeWrite = async () => {
    access.beforeWrite = undefined;
    revoked = service.revoke(alice, 'r-1');
    await revoked;
  };
  const outcome = await service.approve(bob, 'r-1');
  await revoked;
  expect(outcome.request.state).toBe('ended');
  expect((await service.get(bob, 'r-1')).request.state).toBe('ended');
  expect(access.grants.has('r-1')).toBe(false);
});

test('twenty concurrent approvals give one approval that escalates, and 409 for the rest', async () => {
  const approvers = Array.from({ length: 20 }, (_, i) => `approver${i}@example.com`);
  const { service, access } = await setup({ approvers });
  await service.request(alice, PROD);
  const outcomes = await Promise.allSettled(
    approvers.map((email) => service.approve({ kind: 'iam', arn: `arn:aws:iam::111122223333:user/${email}`, email }, 'r-1')),
  );
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(19).fill('already-decided'));
  expect(access.escalations).toBe(1);
  expect((await service.get(bob, 'r-1')).request.approvals).toHaveLength(1);
});

test('a flow that needs no approval escalates at once and records the auto-approval', async () => {
  const { service } = await setup({ autoApprove: true, approvers: [] });
  const { request } = await service.request(alice, PROD);
  expect(request.state).toBe('escalated');
  expect(request.history.map((h) => `${h.action}:${h.actor.kind === 'system' ? h.actor.name : h.actor.email}`)).toEqual([
    'request:alice@example.com',
    'auto-approve:flow',
    'escalate:flow',
  ]);
});

test('cancel, deny and revoke each settle the request and name their actor', async () => {
  const { service, access } = await setup();
  await service.request(alice, PROD);
  expect((await service.cancel(alice, 'r-1')).request.state).toBe('cancelled');
  await service.request(alice, PROD);
  expect((await service.deny(carol, 'r-2', 'not now')).request.history.at(-1)).toMatchObject({ action: 'deny', actor: carol, detail: 'not now' });
  await service.request(alice, PROD);
  await service.approve(bob, 'r-3');
  expect((await service.revoke(carol, 'r-3')).request).toMatchObject({ state: 'ended' });
  expect(access.deescalations).toEqual(['r-3']);
  await expect(service.cancel(alice, 'r-3')).rejects.toMatchObject({ code: 'already-decided', httpStatus: 409 });
});

test('a flow that does not allow revoking refuses revoke', async () => {
  const { service } = await setup({ allowRevoke: false });
  await service.request(alice, PROD);
  await service.approve(bob, 'r-1');
  await expect(service.revoke(alice, 'r-1')).rejects.toMatchObject({ code: 'revoke-not-allowed', httpStatus: 403 });
});

test('the sweep expires pending requests past their window', async () => {
  const { service, clock } = await setup();
  await service.request(alice, PROD);
  expect((await service.tick(new Date('2026-11-29T10:59:59.999Z'))).expired).toEqual([]);
  clock.now = new Date('2026-11-29T11:00:00.000Z');
  expect(await service.tick(clock.now)).toMatchObject({ expired: ['r-1'], errors: [] });
  expect((await service.get(bob, 'r-1')).request.history.at(-1)).toMatchObject({ action: 'expire', actor: { kind: 'system', name: 'sweep' } });
});

test('a failed escalation stays approved, is retried by the sweep, and fails once the window closes', async () => {
  const { service, access, clock } = await setup();
  await service.request(alice, PROD);
  access.failing = true;
  const approved = await service.approve(bob, 'r-1');
  expect(approved).toMatchObject({ request: { state: 'approved' }, escalationError: { message: 'tailnet unreachable' } });
  clock.now = new Date('2026-11-29T10:01:00.000Z');
  expect((await service.tick(clock.now)).errors).toEqual([{ requestId: 'r-1', code: 'internal-error', message: 'tailnet unreachable' }]);
  access.failing = false;
  expect((await service.tick(clock.now)).escalated).toEqual(['r-1']);
  expect((await service.get(bob, 'r-1')).request).toMatchObject({ state: 'escalated' });

  await service.request(alice, PROD);
  access.failing = true;
  await service.approve(bob, 'r-2');
  clock.now = new Date('2026-11-29T11:01:00.000Z');
  expect((await service.tick(clock.now)).failed).toEqual(['r-2']);
  expect((await service.get(bob, 'r-2')).request.history.map((h) => h.action)).toEqual(['request', 'approve', 'escalation-failed', 'fail']);
});

test('a grant written before a lost store write is found again, not written twice', async () => {
  const { service, access } = await setup();
  await service.request(alice, PROD);
  access.grants.set('r-1', '2026-11-29T10:30:00Z');
  expect((await service.approve(bob, 'r-1')).request).toMatchObject({ state: 'escalated', until: '2026-11-29T10:30:00Z' });
  expect(access.escalations).toBe(0);
});

test('the sweep ends escalated requests whose grant ran out, only once the grants were swept', async () => {
  const { service, clock } = await setup();
  await service.request(alice, PROD);
  await service.approve(bob, 'r-1');
  clock.now = new Date('2026-11-29T11:00:00.000Z');
  expect((await service.tick(clock.now, { grantsSwept: false })).ended).toEqual([]);
  expect((await service.tick(clock.now)).ended).toEqual(['r-1']);
  expect((await service.get(bob, 'r-1')).request.state).toBe('ended');
});

test('list answers newest first, filtered by state', async () => {
  const { service, clock } = await setup();
  await service.request(alice, PROD);
  clock.now = new Date('2026-11-29T10:00:01.000Z');
  await service.request(alice, PROD);
  await service.cancel(alice, 'r-2');
  expect((await service.list(bob)).requests.map((r) => r.id)).toEqual(['r-2', 'r-1']);
  expect((await service.list(bob, { state: 'pending' })).requests.map((r) => r.id)).toEqual(['r-1']);
  expect((await service.list(bob, { state: 'cancelled' })).requests.map((r) => r.id)).toEqual(['r-2']);
});

describe('records the runtime can verify', () => {
  const verifies = (r: AccessRequest | undefined) => localRecordSeal().verify(r!);

  test('every record written carries a MAC over it as stored, version included', async () => {
    const { service, store } = await setup({ requiredApprovals: 2 });
    await service.request(alice, PROD);
    expect(await verifies(await store.get('r-1'))).toBe(true);
    await service.approve(bob, 'r-1');
    await service.approve(carol, 'r-1');
    const escalated = await store.get('r-1');
    expect(escalated).toMatchObject({ state: 'escalated', version: 4, approvals: [{ login: 'bob@example.com' }, { login: 'carol@example.com' }] });
    expect(await verifies(escalated)).toBe(true);
    expect(await verifies({ ...escalated!, version: 3 })).toBe(false);
  });

  test('an approved request put into the table by hand is never granted: the sweep fails it as tampered and says so', async () => {
    const { service, access, clock, table, store, refusals } = await setup();
    const { request } = await service.request(alice, PROD);
    await db.local.forgeRequest(table, { ...request, id: 'r-forged', state: 'approved', login: 'mallory@example.com', approvals: [], mac: undefined });
    const result = await service.tick(clock.now);
    expect(result.refused).toEqual([{ requestId: 'r-forged', code: 'tampered', message: expect.stringContaining('does not carry a valid MAC') }]);
    expect(result.escalated).toEqual([]);
    expect(access.escalations).toBe(0);
    const failed = await store.get('r-forged');
    expect(failed).toMatchObject({
      state: 'failed',
      history: [...request.history, { action: 'fail', actor: { kind: 'system', name: 'record-check' }, detail: expect.stringMatching(/^tampered: /) }],
    });
    // Failed with a MAC of its own: the next sweep has nothing left to refuse.
    expect(await verifies(failed)).toBe(true);
    expect(refusals).toEqual([['failed', 'tampered']]);
    expect((await service.tick(clock.now)).refused).toEqual([]);
  });

  test('a pending request rewritten to approved keeps its old MAC, which no longer verifies: refused, never granted', async () => {
    const { service, access, clock, table, store } = await setup();
    await service.request(alice, PROD);
    await db.local.rewriteRequest(table, 'r-1', (r) => ({
      ...r,
      state: 'approved',
      approvals: [{ actor: bob, login: 'bob@example.com', at: clock.now.toISOString() }],
    }));
    expect((await service.tick(clock.now)).refused).toMatchObject([{ requestId: 'r-1', code: 'tampered' }]);
    expect(access.escalations).toBe(0);
    expect((await store.get('r-1'))?.state).toBe('failed');
  });

  test.each<[string, (s: RequestService) => Promise<unknown>]>([
    ['approve', (s) => s.approve(bob, 'r-1')],
    ['deny', (s) => s.deny(bob, 'r-1')],
    ['cancel', (s) => s.cancel(alice, 'r-1')],
    ['revoke', (s) => s.revoke(alice, 'r-1')],
  ])('%s of a tampered record is refused with 409 tampered, and the record is failed', async (_action, act) => {
    const { service, access, table, store, refusals } = await setup();
    await service.request(alice, PROD);
    await db.local.rewriteRequest(table, 'r-1', (r) => ({ ...r, login: 'mallory@example.com' }));
    await expect(act(service)).rejects.toMatchObject({ code: 'tampered', httpStatus: 409 });
    expect(await store.get('r-1')).toMatchObject({ state: 'failed', login: 'mallory@example.com' });
    expect(refusals).toEqual([['failed', 'tampered']]);
    expect([access.escalations, access.deescalations]).toEqual([0, []]);
  });

  test('get and list show a tampered record as tampered and write nothing', async () => {
    const { service, table } = await setup();
    await service.request(alice, PROD);
    await service.request(alice, PROD);
    await db.local.rewriteRequest(table, 'r-2', (r) => ({ ...r, duration: '8h' }));
    const writes = db.local.writes.length;
    expect((await service.get(bob, 'r-2')).request).toMatchObject({ id: 'r-2', state: 'pending', tampered: true });
    expect((await service.get(bob, 'r-1')).request).not.toHaveProperty('tampered');
    expect((await service.list(bob)).requests.map((r) => [r.id, r.tampered ?? false])).toEqual([
      ['r-2', true],
      ['r-1', false],
    ]);
    expect(db.local.writes.length).toBe(writes);
  });

  test('a record sealed with another key is tampered', async () => {
    const { service, access, clock, table } = await setup();
    const { request } = await service.request(alice, PROD);
    const foreign = localRecordSeal(Buffer.alloc(32, 9));
    const approved = { ...request, version: 2, state: 'approved' as const, approvals: [{ actor: bob, login: 'bob@example.com', at: clock.now.toISOString() }] };
    await db.local.forgeRequest(table, { ...approved, mac: await foreign.seal(approved) });
    expect((await service.tick(clock.now)).refused).toMatchObject([{ requestId: 'r-1', code: 'tampered' }]);
    expect(access.escalations).toBe(0);
  });
});

describe('approvals judged again by the rules as deployed now', () => {
  test('an approver removed from the approver group after voting no longer counts toward the quorum, and the history says so', async () => {
    const { service, access } = await setup({ approvers: [], approverGroups: ['sre'], requiredApprovals: 2 });
    access.groups = { sre: ['bob@example.com', 'carol@example.com', 'dave@example.com'] };
    await service.request(alice, PROD);
    await service.approve(bob, 'r-1');
    access.groups = { sre: ['carol@example.com', 'dave@example.com'] };
    const second = await service.approve(carol, 'r-1');
    expect(second.request).toMatchObject({ state: 'pending', approvals: [{ actor: carol }] });
    expect(second.request.history.at(-1)?.detail).toBe(
      'approver by group:sre; the vote of bob@example.com no longer counts: bob@example.com is not an approver of this flow; approvers: standing members of group:sre',
    );
    expect(access.escalations).toBe(0);
    expect((await service.approve(iam('dave'), 'r-1')).request).toMatchObject({ state: 'escalated', approvals: [{ actor: carol }, { actor: iam('dave') }] });
  });

  test('a requester removed from allowedRequesters cannot be approved, and nothing is written', async () => {
    const { service, access } = await setup({ allowedRequesters: ['@example.com'] });
    await service.request(alice, PROD);
    access.rulesOf = { ...access.rulesOf, allowedRequesters: ['bob@example.com'] };
    const writes = db.local.writes.length;
    await expect(service.approve(bob, 'r-1')).rejects.toMatchObject({ code: 'approval-no-longer-valid', httpStatus: 409 });
    expect(db.local.writes.length).toBe(writes);
  });

  test.each<[string, (a: RecordingAccess) => void, string]>([
    [
      'a requester removed from allowedRequesters',
      (a) => (a.rulesOf = { ...a.rulesOf, allowedRequesters: ['carol@example.com'] }),
      'alice@example.com is no longer an allowed requester',
    ],
    [
      'an approver removed from the approvers',
      (a) => (a.rulesOf = { ...a.rulesOf, approvers: ['carol@example.com'] }),
      'the vote of bob@example.com no longer counts',
    ],
    ['a quorum raised to two', (a) => (a.rulesOf = { ...a.rulesOf, requiredApprovals: 2 }), 'it has 1 of the 2 approvals its flow now requires'],
    [
      'self-approval since forbidden for the approver’s login',
      (a) => (a.logins = { 'bob@example.com': 'alice@example.com' }),
      'the vote of bob@example.com no longer counts',
    ],
  ])('the sweep’s retry of an approved request is refused after %s: failed, audited as rejected, never granted', async (_change, change, why) => {
    const { service, access, clock, store, refusals } = await setup();
    await service.request(alice, PROD);
    access.failing = true;
    await service.approve(bob, 'r-1');
    access.failing = false;
    change(access);
    const result = await service.tick(clock.now);
    expect(result.refused).toEqual([{ requestId: 'r-1', code: 'approval-no-longer-valid', message: expect.stringContaining(why) }]);
    expect(access.escalations).toBe(0);
    expect((await store.get('r-1'))?.history.at(-1)).toMatchObject({ action: 'fail', detail: expect.stringMatching(/^approval-no-longer-valid: /) });
    expect(refusals).toEqual([['failed', 'approval-no-longer-valid']]);
  });

  test('an auto-approved request is granted by a retry only while its flow still approves automatically', async () => {
    const { service, access, clock } = await setup({ autoApprove: true, approvers: [] });
    access.failing = true;
    await service.request(alice, PROD);
    access.failing = false;
    expect((await service.tick(clock.now)).escalated).toEqual(['r-1']);
    access.failing = true;
    await service.request(alice, PROD);
    access.failing = false;
    access.rulesOf = { ...access.rulesOf, autoApprove: false };
    expect((await service.tick(clock.now)).refused).toMatchObject([
      { requestId: 'r-2', code: 'approval-no-longer-valid', message: expect.stringContaining('no longer approves requests automatically') },
    ]);
  });
});

describe('without a usable record key', () => {
  test('a request is refused naming the missing variable, and nothing is written', async () => {
    const { service } = await setup({}, kmsRecordSeal(undefined));
    const writes = db.local.writes.length;
    await expect(service.request(alice, PROD)).rejects.toMatchObject({ code: 'record-key-missing', message: expect.stringContaining('SYMTAIL_RECORD_KEY') });
    expect(db.local.writes.length).toBe(writes);
  });

  test('the sweep goes through every request, then fails, and writes nothing', async () => {
    const sealed = await setup();
    await sealed.service.request(alice, PROD);
    const unsealed = new RequestService({ store: sealed.store, access: sealed.access, seal: kmsRecordSeal(''), now: () => sealed.clock.now });
    const writes = db.local.writes.length;
    await expect(unsealed.tick(new Date('2026-11-29T12:00:00.000Z'))).rejects.toMatchObject({ code: 'record-key-missing' });
    expect(db.local.writes.length).toBe(writes);
  });
});

const HALF_HOUR: NewRequest = { ...PROD, duration: '30m' };
/** A flow's self-extension up to `max` hours in all. */
const hours = (max: number) => ({ selfExtension: { maxTotal: `${max}h`, allows: (seconds: number) => seconds <= max * 3600 } });

/**
 * alice's r-1 granted at 10:00, then extended at 10:20 (r-2, a self-extension) by a process that stops right after
 * recording r-2 escalated: the write that would mark r-1 `extended` never happens.
 */
async function extendedThenStopped(access: RecordingAccess, clock: { now: Date }, table: string) {
  const dynamo = new DynamoDbRequestStore(table, db.client, () => clock.now);
  let stopping = false;
  const store = Object.assign(Object.create(dynamo) as DynamoDbRequestStore, {
    update: async (r: AccessRequest) => {
      if (stopping && r.state === 'extended') throw new Error('the process stopped');
      return dynamo.update(r);
    },
  });
  let n = 0;
  const service = new RequestService({ store, access, seal: localRecordSeal(), now: () => clock.now, newRequestId: () => `r-${++n}` });
  await service.request(alice, HALF_HOUR);
  await service.approve(bob, 'r-1');
  clock.now = new Date('2026-11-29T10:20:00.000Z');
  stopping = true;
  await expect(service.extend(alice, 'r-1', '1h')).rejects.toThrow('the process stopped');
  stopping = false;
  return { service, store };
}

describe('extend', () => {
  test('an approved extension moves the grant to its duration from now, names the extension, and ends the first request extended', async () => {
    const { service, access, clock } = await setup();
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:20:00.000Z');
    const asked = await service.extend(alice, 'r-1', '1h');
    expect(asked.request).toMatchObject({ id: 'r-2', state: 'pending', extends: 'r-1', grantedSince: '2026-11-29T10:00:00.000Z', duration: '1h' });
    const granted = await service.approve(bob, 'r-2');
    expect(granted.request).toMatchObject({ state: 'escalated', until: '2026-11-29T11:20:00.000Z' });
    expect([...access.grants]).toEqual([['r-2', '2026-11-29T11:20:00.000Z']]);
    const first = (await service.get(alice, 'r-1')).request;
    expect(first.state).toBe('extended');
    expect(first.tampered).toBeUndefined();
    expect(first.history.at(-1)).toMatchObject({ action: 'extend', detail: 'the grant now names r-2, until 2026-11-29T11:20:00.000Z' });
  });

  test('the sweep leaves the grant that names the extension, and revoking the first request after it answers 409', async () => {
    const { service, access, clock } = await setup(hours(4));
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:20:00.000Z');
    await service.extend(alice, 'r-1', '1h');
    const swept = await service.tick(clock.now, { grantsHeld: ['r-2'] });
    expect(swept.grantsRemoved).toEqual([]);
    expect(access.deescalations).toEqual([]);
    await expect(service.revoke(alice, 'r-1')).rejects.toMatchObject({ code: 'already-decided', httpStatus: 409 });
    await service.revoke(alice, 'r-2');
    expect(access.deescalations).toEqual(['r-2']);
    expect(access.grants.size).toBe(0);
  });

  test('a self-extension within the flow’s total maximum is granted without a vote', async () => {
    const { service, access, clock } = await setup(hours(4));
    await service.request(alice, PROD);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:50:00.000Z');
    const { request } = await service.extend(alice, 'r-1', '1h');
    expect(request).toMatchObject({ state: 'escalated', approvals: [], until: '2026-11-29T11:50:00.000Z' });
    expect(request.history.map((h) => h.action)).toEqual(['request', 'auto-approve', 'escalate']);
    expect(access.escalations).toBe(2);
  });

  test('a self-extension beyond the total maximum is refused naming it, and nothing is written', async () => {
    const { service, clock } = await setup(hours(1.5));
    await service.request(alice, PROD);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:50:00.000Z');
    const writes = db.local.writes.length;
    await expect(service.extend(alice, 'r-1', '1h')).rejects.toMatchObject({
      code: 'extension-too-long',
      httpStatus: 403,
      message: expect.stringContaining('at most 1.5h in all'),
    });
    expect(db.local.writes.length).toBe(writes);
  });

  test.each<[string, Actor, string]>([
    ['someone other than the requester', bob, 'not-the-requester'],
    ['the requester of a request not escalated', alice, 'not-extendable'],
  ])('refuses an extension by %s and writes nothing', async (_case, who, code) => {
    const { service } = await setup();
    await service.request(alice, PROD);
    if (code === 'not-the-requester') await service.approve(bob, 'r-1');
    const writes = db.local.writes.length;
    await expect(service.extend(who, 'r-1', '1h')).rejects.toMatchObject({ code });
    expect(db.local.writes.length).toBe(writes);
  });

  test('a self-extension racing a revoke of the request it extends is ended too, and its grant removed', async () => {
    const { service, access, clock } = await setup(hours(4));
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:20:00.000Z');
    let revoked: Promise<unknown> | undefined;
    access.beforeWrite = async () => {
      access.beforeWrite = undefined;
      revoked = service.revoke(bob, 'r-1');
      await revoked;
    };
    const { request } = await service.extend(alice, 'r-1', '1h');
    await revoked;
    expect((await service.get(bob, 'r-1')).request.state).toBe('ended');
    // The revoke ends the open extension with its request; the extension's own grant write, which landed after, is
    // taken back when it finds the extension ended.
    expect(request).toMatchObject({ id: 'r-2', state: 'ended' });
    expect(request.history.at(-1)).toMatchObject({ action: 'revoke', actor: bob, detail: 'the request it extends, r-1, was revoked' });
    expect(access.grants.size).toBe(0);
    expect(access.deescalations).toContain('r-2');
  });

  test('an extension whose process stopped before the first request was marked ends with a revoke of the first request, its grant removed', async () => {
    const { access, clock, table } = await setup(hours(4));
    const { service, store } = await extendedThenStopped(access, clock, table);
    expect((await store.get('r-2'))?.state).toBe('escalated');
    expect((await store.get('r-1'))?.state).toBe('escalated');
    // The member names r-2, so removing r-1's grant removes nothing: the revoke ends r-2 with it.
    await service.revoke(bob, 'r-1');
    expect((await store.get('r-2'))?.state).toBe('ended');
    expect(access.grants.size).toBe(0);
  });

  test('an extension whose process stopped before the first request was marked is marked by the sweep', async () => {
    const { access, clock, table } = await setup(hours(4));
    const { service, store } = await extendedThenStopped(access, clock, table);
    await service.tick(clock.now);
    expect(await store.get('r-1')).toMatchObject({ state: 'extended', extendedBy: 'r-2' });
    expect(await store.get('r-2')).toMatchObject({ state: 'escalated' });
    expect([...access.grants.keys()]).toEqual(['r-2']);
  });

  test('a break-glass request is published when it is created, then when it is escalated', async () => {
    const { service, published } = await setup({ breakGlass: { maxDuration: '1h', allows: () => true } });
    await service.request(alice, { ...PROD, breakGlass: true });
    expect(published.map((e) => [e.detailType, e.detail.eventId])).toEqual([
      ['symtail.request.approved', 'r-1/1'],
      ['symtail.request.escalated', 'r-1/2'],
    ]);
  });
});

describe('a table writer cannot stretch a grant (the grant times are sealed, the index is not trusted)', () => {
  test('moving the index’s due later does not keep a request escalated past its sealed until', async () => {
    const { service, clock, table } = await setup();
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    await db.local.rewriteRequest(table, 'r-1', (r) => r, { due: '9999-01-01T00:00:00.000Z' });
    clock.now = new Date('2026-11-29T10:31:00.000Z');
    expect((await service.tick(clock.now)).ended).toEqual(['r-1']);
    const ended = (await service.get(bob, 'r-1')).request;
    expect(ended.state).toBe('ended');
    expect(ended.tampered).toBeUndefined();
  });

  test('moving the index’s due earlier does not end a grant before its sealed until', async () => {
    const { service, clock, table } = await setup();
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    await db.local.rewriteRequest(table, 'r-1', (r) => r, { due: '2026-11-29T10:00:00.000Z' });
    clock.now = new Date('2026-11-29T10:10:00.000Z');
    expect((await service.tick(clock.now)).ended).toEqual([]);
    expect((await service.get(bob, 'r-1')).request.state).toBe('escalated');
  });

  test('an escalated record whose until and escalate time were edited is tampered: its extension is refused and nothing is granted', async () => {
    const { service, access, clock, table, store } = await setup(hours(1));
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:40:00.000Z');
    await db.local.rewriteRequest(table, 'r-1', (r) => ({
      ...r,
      until: '2026-11-29T11:00:00.000Z',
      history: r.history.map((h) => (h.action === 'escalate' ? { ...h, at: '2026-11-29T10:39:00.000Z' } : h)),
    }));
    await expect(service.extend(alice, 'r-1', '30m')).rejects.toMatchObject({ code: 'tampered', httpStatus: 409 });
    expect(await store.get('r-2')).toBeUndefined();
    expect(access.escalations).toBe(1);
  });

  test('the self-extension maximum counts from the sealed grant start: an edited escalate time in the history does not stretch it', async () => {
    // 10:00–10:30 granted; at 10:25 an hour more would make 1h25m in all, past 1h15m. From an escalate time of 10:24
    // (as the edited history says) it would make 1h1m.
    const { service, clock, table, store } = await setup(hours(1.25));
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    clock.now = new Date('2026-11-29T10:25:00.000Z');
    await db.local.rewriteRequest(table, 'r-1', (r) => ({
      ...r,
      history: r.history.map((h) => (h.action === 'escalate' ? { ...h, at: '2026-11-29T10:24:00.000Z' } : h)),
    }));
    await expect(service.extend(alice, 'r-1', '1h')).rejects.toMatchObject({
      code: 'extension-too-long',
      message: expect.stringContaining('(from 2026-11-29T10:00:00.000Z)'),
    });
    expect(await store.get('r-2')).toBeUndefined();
  });

  test('a closed request the index shows as escalated still has its grant removed by the sweep', async () => {
    const { service, access, clock, table } = await setup();
    await service.request(alice, HALF_HOUR);
    await service.approve(bob, 'r-1');
    await service.revoke(alice, 'r-1');
    // As a removal that failed leaves it: the request ended, its grant still in the policy file.
    access.grants.set('r-1', '2026-11-29T10:30:00.000Z');
    await db.local.rewriteRequest(table, 'r-1', (r) => r, { openState: 'escalated', due: '2026-11-29T10:30:00.000Z' });
    const swept = await service.tick(clock.now, { grantsHeld: ['r-1'] });
    expect(swept.grantsRemoved).toEqual(['r-1']);
  });
});
