import { describeRequest } from '../../lib/cli/requests-api';
import { AccessRequest } from '../../lib/requests';

const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
/** An ANSI cursor-up, a carriage return and a line erase: in a raw terminal the next words overwrite the line above. */
const OVERWRITE = '\u001b[1A\r\u001b[2K';
const FAKE = `${OVERWRITE}r-9  escalated  approve carol`;
const SHOWN = '\\u001b[1A\\u000d\\u001b[2Kr-9  escalated  approve carol';

const iam = (email: string) => ({ kind: 'iam' as const, arn: `arn:aws:iam::111122223333:user/${email}`, email });
const base: AccessRequest = {
  id: 'r-1',
  version: 2,
  state: 'pending',
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: iam('alice@example.com'),
  login: 'alice@example.com',
  duration: '30m',
  reason: 'INC-1',
  approvals: [],
  deadline: '2026-11-29T11:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  history: [{ action: 'request', actor: iam('alice@example.com'), at: '2026-11-29T10:00:00.000Z' }],
};

// Every field a stored request can carry someone else's text in, and a record written by anything with table access.
test.each<[string, Partial<AccessRequest>]>([
  ['the reason', { reason: FAKE }],
  ['a history detail', { history: [{ action: 'deny', actor: iam('bob@example.com'), at: base.createdAt, detail: FAKE }] }],
  ['the requester email', { requester: iam(`alice@example.com${FAKE}`) }],
  ['an approver email', { approvals: [{ actor: iam(`bob@example.com${FAKE}`), login: 'bob@example.com', at: base.createdAt }] }],
  ['the login', { login: `alice${FAKE}` }],
  ['the id', { id: `r-1${FAKE}` }],
  ['the flow', { flow: `f${FAKE}` }],
  ['the target', { target: `t${FAKE}` }],
  ['the duration', { duration: `30m${FAKE}` }],
  ['the deadline', { deadline: `2026${FAKE}` }],
  ['the end of the grant', { state: 'escalated', until: `2026${FAKE}` }],
  ['an actor of the history', { history: [{ action: 'approve', actor: iam(`carol@example.com${FAKE}`), at: base.createdAt }] }],
])('%s shows escaped, and can draw no line of its own', (_, fields) => {
  const shown = describeRequest({ ...base, ...fields });
  expect(shown).not.toMatch(INVISIBLE);
  expect(shown).toContain(SHOWN);
  // One line per line of the request: the fake line stays inside the line it came in.
  expect(shown.split('\n').filter((l) => l.includes('approve carol'))).toHaveLength(1);
  expect(shown.split('\n').find((l) => l.includes('approve carol'))).not.toMatch(/^r-9/);
});

test('a right-to-left override in a reason shows as written, not turning the rest of the line around', () => {
  expect(describeRequest({ ...base, reason: 'ok \u202elorac evorppa' })).toContain('  reason: ok \\u202elorac evorppa\n');
});
