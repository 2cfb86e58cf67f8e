import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { AccessRequest, Actor, PersonApproval, canonicalRecord, MacKey, RecordSeal } from '../../lib/requests';
import { LocalMacKey } from '../../lib/testing';

// The canonical form a record's MAC covers, pinned: changing it changes every stored MAC, so stored records would
// all read as tampered. A change to it must be deliberate (and come with a new RECORD_FORMAT).

const GOLDEN_KEY = Buffer.from('symtail golden vector key, 32 b.');
const RECORD: AccessRequest = {
  id: 'r-0123456789abcdef',
  version: 2,
  state: 'approved',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: { kind: 'iam', arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Eng_0123456789abcdef/alice@example.com', email: 'alice@example.com' },
  login: 'alice@github',
  duration: '30m',
  reason: 'INC-4021',
  approvals: [
    { actor: { kind: 'slack', teamId: 'T0EXAMPLE', userId: 'U0BOB', email: 'bob@example.com' }, login: 'bob@example.com', at: '2026-11-29T10:05:00.000Z' },
  ],
  deadline: '2026-11-29T11:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  history: [{ action: 'request', actor: { kind: 'system', name: 'flow' }, at: '2026-11-29T10:00:00.000Z' }],
};

test('the canonical form of a record is pinned: its fields, their order and its digest (golden vector)', async () => {
  const canonical = canonicalRecord(RECORD);
  expect(canonical).toBe(
    '{"approvals":[{"at":"2026-11-29T10:05:00.000Z","email":"bob@example.com","login":"bob@example.com"}],' +
      '"deadline":"2026-11-29T11:00:00.000Z","duration":"30m","flow":"tailscale-ssh-access","format":"symtail.request/1",' +
      '"id":"r-0123456789abcdef","requester":{"email":"alice@example.com","login":"alice@github"},"state":"approved",' +
      '"target":"main-prod-access","version":2}',
  );
  expect(createHash('sha256').update(canonical).digest('hex')).toBe('c428e9c309ed3990dcd3dbebe8763a09bfbc0bd47a65b314a0566c7e6dee5d1f');
  // The MAC agrees with `openssl dgst -sha256 -hmac '<key>'` over the digest's bytes.
  expect(await new RecordSeal(new LocalMacKey(GOLDEN_KEY)).seal(RECORD)).toBe('tGPH5Ck+MyFkhHHofgqTMZwCcLGOXu4lxVbiFApCJJE=');
});

/** A key that counts its calls. */
class CountingKey implements MacKey {
  readonly calls = { generate: 0, verify: 0 };
  private readonly key = new LocalMacKey(GOLDEN_KEY);
  generateMac(message: Uint8Array) {
    this.calls.generate++;
    return this.key.generateMac(message);
  }
  verifyMac(message: Uint8Array, mac: Uint8Array) {
    this.calls.verify++;
    return this.key.verifyMac(message, mac);
  }
}

const sealed = async (r: AccessRequest, seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY))) => ({ ...r, mac: await seal.seal(r) });

/** Each field the MAC covers, changed as a forger would. */
const FORGERIES: [string, (r: AccessRequest) => AccessRequest][] = [
  ['the state', (r) => ({ ...r, state: 'pending' })],
  ['the requester’s login', (r) => ({ ...r, login: 'mallory@example.com' })],
  ['the requester’s email', (r) => ({ ...r, requester: { ...r.requester, email: 'mallory@example.com' } })],
  ['the target', (r) => ({ ...r, target: 'main-staging-access' })],
  ['the flow', (r) => ({ ...r, flow: 'other' })],
  ['the duration', (r) => ({ ...r, duration: '8h' })],
  ['the deadline', (r) => ({ ...r, deadline: '2099-01-01T00:00:00.000Z' })],
  ['the version', (r) => ({ ...r, version: 3 })],
  ['the id', (r) => ({ ...r, id: 'r-another' })],
  [
    'an approval’s approver',
    (r) => ({ ...r, approvals: [{ ...(r.approvals[0] as PersonApproval), actor: { ...(r.approvals[0].actor as Actor), email: 'mallory@example.com' } }] }),
  ],
  ['an approval’s login', (r) => ({ ...r, approvals: [{ ...r.approvals[0], login: 'mallory@example.com' }] })],
  ['an approval’s time', (r) => ({ ...r, approvals: [{ ...r.approvals[0], at: '2026-11-29T10:06:00.000Z' }] })],
  ['an added approval', (r) => ({ ...r, approvals: [...r.approvals, r.approvals[0]] })],
  ['no approvals', (r) => ({ ...r, approvals: [] })],
  ['request it extends (added)', (r) => ({ ...r, extends: 'r-another', grantedSince: '2026-11-29T09:00:00.000Z' })],
];

test('an extension’s link and the start of its chain are in the MAC', async () => {
  const genuine = await sealed({ ...RECORD, extends: 'r-first', grantedSince: '2026-11-29T09:00:00.000Z' });
  const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
  await expect(seal.verify(genuine)).resolves.toBe(true);
  await expect(seal.verify({ ...genuine, extends: 'r-other' })).resolves.toBe(false);
  await expect(seal.verify({ ...genuine, grantedSince: '2026-11-29T08:00:00.000Z' })).resolves.toBe(false);
});

test('a grant’s times and the extension that replaced it are in the MAC, and dropping them does not verify either', async () => {
  const granted = { ...RECORD, state: 'escalated', until: '2026-11-29T10:35:00.000Z', escalatedAt: '2026-11-29T10:05:00.000Z' } as const;
  const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
  const escalated = await sealed(granted);
  await expect(seal.verify(escalated)).resolves.toBe(true);
  await expect(seal.verify({ ...escalated, until: '2026-11-29T12:00:00.000Z' })).resolves.toBe(false);
  await expect(seal.verify({ ...escalated, escalatedAt: '2026-11-29T10:30:00.000Z' })).resolves.toBe(false);
  await expect(seal.verify({ ...escalated, escalatedAt: undefined })).resolves.toBe(false);
  const extended = await sealed({ ...granted, state: 'extended', extendedBy: 'r-second' });
  await expect(seal.verify(extended)).resolves.toBe(true);
  await expect(seal.verify({ ...extended, extendedBy: 'r-other' })).resolves.toBe(false);
  await expect(seal.verify({ ...extended, extendedBy: undefined })).resolves.toBe(false);
});

test.each(FORGERIES)('a record whose %s changed after sealing does not verify', async (_field, forge) => {
  const genuine = await sealed(RECORD);
  const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
  await expect(seal.verify(genuine)).resolves.toBe(true);
  await expect(seal.verify(forge(genuine))).resolves.toBe(false);
});

test('what grants nothing is outside the MAC: the reason, the history, the chat message, the reminders taken on', async () => {
  const genuine = await sealed(RECORD);
  const edited = {
    ...genuine,
    reason: 'other',
    history: [],
    notification: { channel: 'C1', ts: '1.2' },
    createdAt: '2026-01-01T00:00:00.000Z',
    reminded: { expiry: '2026-11-29T10:50:00.000Z', nudge: '' },
  };
  await expect(new RecordSeal(new LocalMacKey(GOLDEN_KEY)).verify(edited)).resolves.toBe(true);
});

test.each<[string, (r: AccessRequest & { mac: string }) => unknown]>([
  ['no MAC', ({ mac: _mac, ...r }) => r],
  ['a MAC that is not base64 of 32 bytes', (r) => ({ ...r, mac: 'not a mac' })],
  ['a MAC of 31 bytes', (r) => ({ ...r, mac: Buffer.alloc(31).toString('base64') })],
  ['approvals that are not a list', (r) => ({ ...r, approvals: { 0: r.approvals[0] } })],
  ['an approval without a login', (r) => ({ ...r, approvals: [{ actor: r.approvals[0].actor, at: r.approvals[0].at }] })],
  ['a version that is a string', (r) => ({ ...r, version: '2' })],
  ['no requester', ({ requester: _requester, ...r }) => r],
])('a record with %s does not verify, and the key is not asked', async (_what, break_) => {
  const key = new CountingKey();
  const genuine = await sealed(RECORD);
  await expect(new RecordSeal(key).verify(break_(genuine) as AccessRequest)).resolves.toBe(false);
  expect(key.calls.verify).toBe(0);
});

test('a MAC copied from another request, or made with another key, does not verify', async () => {
  const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
  const other = await sealed({ ...RECORD, id: 'r-other' });
  await expect(seal.verify({ ...RECORD, mac: other.mac })).resolves.toBe(false);
  const foreign = await sealed(RECORD, new RecordSeal(new LocalMacKey(Buffer.alloc(32, 1))));
  await expect(seal.verify(foreign)).resolves.toBe(false);
});

test('a record this seal made or verified verifies again without asking the key; another seal asks once', async () => {
  const key = new CountingKey();
  const seal = new RecordSeal(key);
  const genuine = { ...RECORD, mac: await seal.seal(RECORD) };
  await expect(seal.verify(genuine)).resolves.toBe(true);
  expect(key.calls).toEqual({ generate: 1, verify: 0 });
  const elsewhere = new RecordSeal(key);
  await expect(elsewhere.verify(genuine)).resolves.toBe(true);
  await expect(elsewhere.verify(genuine)).resolves.toBe(true);
  await expect(elsewhere.verify({ ...genuine, mac: (await sealed({ ...RECORD, id: 'r-x' })).mac })).resolves.toBe(false);
  // Its MAC was known for that canonical form: another MAC for it is wrong without asking.
  expect(key.calls).toEqual({ generate: 1, verify: 1 });
});

test('any change to any covered text field fails verification (property)', async () => {
  const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
  const genuine = await sealed(RECORD);
  const fields = ['id', 'flow', 'target', 'login', 'duration', 'state', 'deadline'] as const;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...fields), fc.string({ maxLength: 40 }), async (field, value) => {
      fc.pre(value !== genuine[field]);
      return !(await seal.verify({ ...genuine, [field]: value }));
    }),
    { numRuns: 200 },
  );
});

describe('an on-call approval', () => {
  const entry = {
    provider: 'pagerduty',
    email: 'alice@example.com',
    escalationPolicyId: 'PT20YPA',
    scheduleId: 'PI7DH85',
    escalationLevel: 1,
    start: '2026-11-29T09:00:00.000Z',
    end: '2026-11-29T17:00:00.000Z',
  } as const;
  const ON_CALL_RECORD: AccessRequest = {
    ...RECORD,
    approvals: [{ actor: { kind: 'system', name: 'on-call' }, at: '2026-11-29T10:00:00.000Z', onCall: entry }],
  };
  const ruleApproval = (r: AccessRequest) => r.approvals[0] as Extract<AccessRequest['approvals'][number], { onCall: unknown }>;

  test('is sealed with its rule and every field of its on-call entry, and never passes for a person’s vote', () => {
    expect(JSON.parse(canonicalRecord(ON_CALL_RECORD)).approvals).toEqual([{ at: '2026-11-29T10:00:00.000Z', onCall: entry, rule: 'on-call' }]);
  });

  test.each<[string, (r: AccessRequest) => AccessRequest]>([
    ['the shift’s end', (r) => ({ ...r, approvals: [{ ...ruleApproval(r), onCall: { ...entry, end: '2099-01-01T00:00:00.000Z' } }] })],
    ['the schedule', (r) => ({ ...r, approvals: [{ ...ruleApproval(r), onCall: { ...entry, scheduleId: 'POTHER1' } }] })],
    ['the on-call user', (r) => ({ ...r, approvals: [{ ...ruleApproval(r), onCall: { ...entry, email: 'mallory@example.com' } }] })],
    ['the end removed', (r) => ({ ...r, approvals: [{ ...ruleApproval(r), onCall: { ...entry, end: undefined } }] })],
  ])('whose %s changed after sealing does not verify', async (_field, forge) => {
    const genuine = await sealed(ON_CALL_RECORD);
    const seal = new RecordSeal(new LocalMacKey(GOLDEN_KEY));
    expect(await seal.verify(genuine)).toBe(true);
    expect(await seal.verify({ ...forge(genuine), mac: genuine.mac })).toBe(false);
  });

  test('from a system actor other than the on-call rule is malformed, and verifies as nothing does', async () => {
    const forged = {
      ...ON_CALL_RECORD,
      approvals: [{ ...ruleApproval(ON_CALL_RECORD), actor: { kind: 'system', name: 'sweep' } }],
    } as unknown as AccessRequest;
    expect(await new RecordSeal(new LocalMacKey(GOLDEN_KEY)).verify({ ...forged, mac: Buffer.alloc(32).toString('base64') })).toBe(false);
  });
});
