import { AccessRequest, breakGlassProblem, BreakGlassRule, checkBreakGlass } from '../../lib/requests';

const minutes = (d: string) => Number(d.slice(0, -1)) * (d.endsWith('h') ? 60 : 1);
const rule = (max: string): BreakGlassRule => ({ maxDuration: max, allows: (d) => minutes(d) <= minutes(max) });
const alice = { kind: 'iam', arn: 'arn:aws:iam::123456789012:user/alice', email: 'alice@example.com' } as const;
const bob = { ...alice, arn: 'arn:aws:iam::123456789012:user/bob', email: 'bob@example.com' } as const;
const directory = { loginFor: (e: string) => e, standingMembers: async () => [] };
const request = (change: Partial<AccessRequest> = {}): AccessRequest => ({
  id: 'r-0123456789abcdef',
  version: 2,
  state: 'approved',
  flow: 'f',
  target: 't',
  requester: alice,
  login: 'alice@example.com',
  duration: '30m',
  reason: 'INC-1',
  approvals: [{ actor: alice, login: 'alice@example.com', at: '2026-11-29T10:00:00.000Z' }],
  deadline: '2026-11-29T11:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  history: [],
  breakGlass: true,
  needsReview: true,
  ...change,
});

test.each<[string, BreakGlassRule | undefined, readonly string[], AccessRequest, string | undefined]>([
  ['within the flow’s break-glass maximum as deployed now', rule('30m'), [], request(), undefined],
  ['once the flow no longer allows break-glass', undefined, [], request(), 'no longer allows break-glass'],
  ['once the flow’s maximum shrank below the request’s duration', rule('15m'), [], request(), "longer than the flow's break-glass maximum 15m now"],
  ['once the requester is no longer allowed to request', rule('30m'), ['@corp.example'], request(), 'no longer an allowed requester'],
  [
    'when its one approval is someone else’s',
    rule('30m'),
    [],
    request({ approvals: [{ actor: bob, login: 'bob@example.com', at: '2026-11-29T10:00:00.000Z' }] }),
    'exactly one approval, its requester’s own',
  ],
  [
    'when it carries a second approval',
    rule('30m'),
    [],
    request({ approvals: [...request().approvals, { actor: bob, login: 'bob@example.com', at: '2026-11-29T10:00:00.000Z' }] }),
    'exactly one approval',
  ],
])('the grant gate judges a break-glass self-approval %s', (_case, flowRule, allowed, r, problem) => {
  const found = breakGlassProblem(flowRule, allowed, r, directory);
  if (problem === undefined) expect(found).toBeUndefined();
  else expect(found).toContain(problem);
});

test.each<[string, BreakGlassRule | undefined, string, string | undefined, string]>([
  ['a flow without break-glass', undefined, '30m', 'INC-1', 'does not allow break-glass requests'],
  ['no reason', rule('30m'), '30m', undefined, 'reason: a break-glass request must say why'],
  ['a blank reason', rule('30m'), '30m', '  ', 'reason: a break-glass request must say why'],
  ['a duration past the maximum', rule('30m'), '1h', 'INC-1', 'duration: a break-glass request of flow "f" lasts at most 30m'],
])('a new break-glass request with %s is refused, naming why', (_case, flowRule, duration, reason, message) => {
  expect(() => checkBreakGlass(flowRule, 'f', duration, reason)).toThrow(message);
});
