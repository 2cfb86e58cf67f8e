import { AccessRequest, checkExtendable, extendedUntil, extensionApproval, grantStartOf, SelfExtensionRule } from '../../lib/requests';

const alice = { kind: 'iam', arn: 'arn:aws:iam::123456789012:user/alice', email: 'alice@example.com' } as const;
const directory = { loginFor: (e: string) => e, standingMembers: async () => [] };
const escalatedAt = '2026-11-29T10:00:00.000Z';
const request = (change: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r-0123456789abcdef',
  version: 3,
  state: 'escalated',
  flow: 'f',
  target: 't',
  requester: alice,
  login: 'alice@example.com',
  duration: '30m',
  approvals: [],
  deadline: '2026-11-29T11:00:00.000Z',
  until: '2026-11-29T10:30:00.000Z',
  escalatedAt,
  createdAt: escalatedAt,
  history: [{ action: 'escalate', actor: { kind: 'system', name: 'flow' }, at: escalatedAt }],
  ...change,
});
const at = (time: string) => new Date(`2026-11-29T${time}:00.000Z`);
const hours = (max: number): SelfExtensionRule => ({ maxTotal: `${max}h`, allows: (seconds) => seconds <= max * 3600 });

test.each<[string, AccessRequest, string, Date, string | undefined]>([
  ['its requester, while the grant lasts', request(), 'alice@example.com', at('10:20'), undefined],
  ['someone else', request(), 'bob@example.com', at('10:20'), 'only its requester alice@example.com may extend it'],
  ['a pending request', request({ state: 'pending', until: undefined }), 'alice@example.com', at('10:20'), 'is pending; only an escalated request'],
  ['a request already extended', request({ state: 'extended' }), 'alice@example.com', at('10:20'), 'is extended; only an escalated request'],
  ['a grant that has ended', request(), 'alice@example.com', at('10:30'), 'its grant ended at 2026-11-29T10:30:00.000Z'],
  [
    'a grant whose record does not seal its times',
    request({ escalatedAt: undefined }),
    'alice@example.com',
    at('10:20'),
    'granted before grant times were sealed',
  ],
])('extending is judged for %s', (_case, r, email, now, problem) => {
  if (problem === undefined) expect(() => checkExtendable(r, email, directory, now)).not.toThrow();
  else expect(() => checkExtendable(r, email, directory, now)).toThrow(problem);
});

test.each<[string, SelfExtensionRule | undefined, string, 'self' | 'approvers' | string]>([
  ['needs approvers when the flow has no self-extension', undefined, '2026-11-29T20:00:00.000Z', 'approvers'],
  ['is the requester’s own within the total maximum', hours(4), '2026-11-29T13:00:00.000Z', 'self'],
  ['is the requester’s own at exactly the total maximum', hours(4), '2026-11-29T14:00:00.000Z', 'self'],
  ['is refused beyond the total maximum, naming it', hours(4), '2026-11-29T14:00:00.001Z', 'extended to at most 4h in all (from 2026-11-29T10:00:00.000Z)'],
])('an extension %s', (_case, rule, until, expected) => {
  if (expected === 'self' || expected === 'approvers') expect(extensionApproval(rule, 'f', escalatedAt, until)).toBe(expected);
  else expect(() => extensionApproval(rule, 'f', escalatedAt, until)).toThrow(expected);
});

test('a grant starts when its request was escalated (as sealed, never as the history says), and an extension carries the start of its chain', () => {
  expect(grantStartOf(request())).toBe(escalatedAt);
  expect(grantStartOf(request({ history: [{ action: 'escalate', actor: { kind: 'system', name: 'flow' }, at: '2026-11-29T10:29:00.000Z' }] }))).toBe(
    escalatedAt,
  );
  expect(grantStartOf(request({ extends: 'r-0123456789abcde0', grantedSince: '2026-11-29T09:00:00.000Z' }))).toBe('2026-11-29T09:00:00.000Z');
  // Sealed only on an extension: on a request that extends nothing it is never read.
  expect(grantStartOf(request({ grantedSince: '2026-11-29T09:00:00.000Z' }))).toBe(escalatedAt);
  expect(() => grantStartOf(request({ escalatedAt: undefined }))).toThrow('was never granted');
});

test('an extension runs its duration from now, and one that would not outlast the current grant is refused', () => {
  expect(extendedUntil(request(), 3600, at('10:20'))).toBe('2026-11-29T11:20:00.000Z');
  expect(() => extendedUntil(request(), 600, at('10:20'))).toThrow('already lasts until 2026-11-29T10:30:00.000Z');
});
