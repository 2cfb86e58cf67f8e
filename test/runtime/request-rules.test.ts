import { checkAccess, checkDuration, checkReason, checkRequester, expiryAfter, flowNamed, resolveRequest } from '../../lib/runtime/engine/request-rules';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';

// The flow request rules as pure functions of the example's manifest: flow and target names, who may ask, the
// reason, and the duration against the flow's list and maximum and the target's own maximum.

const manifest = exampleManifest('https://api.tailscale.com', {
  flow: { allowedRequesters: ['@example.com', 'ops@partner.com'] },
  prod: { maxDuration: '30m' },
});
const FLOW = 'tailscale-ssh-access';
const flow = manifest.flows[FLOW];
const prod = resolveRequest(manifest, FLOW, 'main-prod-access');
const staging = resolveRequest(manifest, FLOW, 'main-staging-access');

test.each<[string, () => unknown, string | undefined]>([
  ['a known flow', () => flowNamed(manifest, FLOW), undefined],
  ['an unknown flow, naming the known ones', () => flowNamed(manifest, 'nope'), 'flow: no flow named "nope"; known flows: tailscale-ssh-access'],
  ['a name of Object.prototype', () => flowNamed(manifest, 'constructor'), 'flow: no flow named "constructor"'],
  [
    'a target of another strategy, naming the flow’s',
    () => resolveRequest(manifest, FLOW, 'db'),
    'target: flow "tailscale-ssh-access" has no target named "db"; its targets: main-prod-access, main-staging-access',
  ],
  ['a requester of an allowed domain', () => checkRequester(flow, 'alice@example.com'), undefined],
  ['a requester allowed by address', () => checkRequester(flow, 'ops@partner.com'), undefined],
  [
    'a requester of another domain',
    () => checkRequester(flow, 'eve@partner.com'),
    'requester.email: eve@partner.com is not an allowed requester of flow "tailscale-ssh-access"',
  ],
  ['a reason', () => checkReason(flow, 'INC-7'), undefined],
  ['no reason where one is required', () => checkReason(flow, undefined), 'reason: flow "tailscale-ssh-access" requires a reason'],
  ['a reason of white space', () => checkReason(flow, ' \t'), 'reason: flow "tailscale-ssh-access" requires a reason'],
  ['a duration the flow does not list', () => checkDuration(staging, '45m'), 'duration: flow "tailscale-ssh-access" allows 30m or 1h, got "45m"'],
  ['a duration past the target’s maximum', () => checkDuration(prod, '1h'), 'duration: "1h" is longer than the target "main-prod-access" allows (30m)'],
])('%s', (_case, check, refusal) => {
  if (refusal === undefined) expect(check).not.toThrow();
  else expect(check).toThrow(refusal);
});

test.each<[string, string | undefined, { duration: string; seconds: number }]>([
  ['the duration asked for', '1h', { duration: '1h', seconds: 3600 }],
  ['the flow’s first duration when none is asked for', undefined, { duration: '30m', seconds: 1800 }],
])('a request gets %s', (_case, asked, granted) => {
  expect(checkDuration(staging, asked)).toEqual(granted);
});

test('a grant expires on a whole second', () => {
  expect(expiryAfter(new Date('2026-11-29T10:00:00.750Z'), 1800).toISOString()).toBe('2026-11-29T10:30:00.000Z');
});

// A whole request checked as an escalation is: the login it grants goes through the integration's identity
// overrides, and the checks run in the order flow, target, requester, reason, duration, so the first refusal is named.
const mapped = exampleManifest('https://api.tailscale.com', {
  flow: { allowedRequesters: ['@example.com', 'ops@partner.com'] },
  integration: { identityOverrides: { 'ops@partner.com': 'ops@github' } },
});

test.each<[string, [string, string, string, string | undefined, string | undefined], { login: string; duration: string; seconds: number }]>([
  ['the email as the login', [FLOW, 'main-staging-access', 'alice@example.com', '1h', 'INC-7'], { login: 'alice@example.com', duration: '1h', seconds: 3600 }],
  [
    'the identity override as the login',
    [FLOW, 'main-prod-access', 'ops@partner.com', undefined, 'INC-7'],
    { login: 'ops@github', duration: '30m', seconds: 1800 },
  ],
])('a checked request gets %s', (_case, [flowName, target, email, duration, reason], granted) => {
  const checked = checkAccess(mapped, flowName, target, email, duration, reason);
  expect({ login: checked.login, duration: checked.duration, seconds: checked.seconds }).toEqual(granted);
  expect(checked.resolved.target.name).toBe(target);
});

test.each<[string, [string, string, string, string | undefined, string | undefined], string]>([
  ['an unknown target before the requester', [FLOW, 'db', 'eve@partner.com', undefined, undefined], 'target: flow "tailscale-ssh-access" has no target'],
  [
    'the requester before the reason',
    [FLOW, 'main-prod-access', 'eve@partner.com', undefined, undefined],
    'requester.email: eve@partner.com is not an allowed',
  ],
  [
    'the reason before the duration',
    [FLOW, 'main-prod-access', 'alice@example.com', '45m', undefined],
    'reason: flow "tailscale-ssh-access" requires a reason',
  ],
  [
    'an email outside ASCII',
    [FLOW, 'main-prod-access', '\u212Aevin@example.com', undefined, 'INC-7'],
    'requester.email: expected printable ASCII only, got U+212A at position 0',
  ],
])('a checked request is refused on %s', (_case, [flowName, target, email, duration, reason], refusal) => {
  expect(() => checkAccess(mapped, flowName, target, email, duration, reason)).toThrow(refusal);
});
