import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Manifest } from '../../lib/manifest';
import { onCallApprovalProblem, OnCallApproval, OnCallEntry, OnCallRule, ON_CALL } from '../../lib/requests';
import { OnCallUnavailableError, PagerDutyOnCall, parseOnCalls, SecretTextCache } from '../../lib/runtime';
import { PagerDutyStandIn } from '../../lib/testing';

const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/pagerduty-oncalls.json'), 'utf8')) as { answer: unknown; expected: OnCallEntry[] };

test('PagerDuty’s documented GET /oncalls answer reads as on-call entries: schedule, policy, level and window, a direct target without them', () => {
  expect(parseOnCalls(JSON.stringify(fixture.answer))).toEqual({ entries: fixture.expected, more: false });
});

test.each<[string, (answer: { oncalls: Record<string, unknown>[] }) => void, string]>([
  ['a user without an email (not asked with include[]=users)', (a) => (a.oncalls[0].user = { id: 'PT23IWX', type: 'user_reference' }), 'no user email'],
  ['no escalation policy', (a) => delete a.oncalls[0].escalation_policy, 'no escalation_policy.id'],
  ['a level that is not a number', (a) => (a.oncalls[0].escalation_level = '2'), 'no escalation_level'],
  ['a start that is not a time', (a) => (a.oncalls[0].start = 'yesterday'), 'start is not a time'],
])('an answer with %s is not read as nobody on call: it is refused', (_case, spoil, message) => {
  const answer = JSON.parse(JSON.stringify(fixture.answer));
  spoil(answer);
  expect(() => parseOnCalls(JSON.stringify(answer))).toThrow(message);
});

describe('against the PagerDuty stand-in', () => {
  const TOKEN = 'u+pd-secret-token-value';
  let pagerDuty: PagerDutyStandIn;
  const manifestFor = (apiUrl: string) =>
    ({ flows: { f: { onCall: { pagerDuty: { apiUrl, token: { secretId: 'pd' }, schedules: ['PSRE001'], escalationPolicies: [] } } } } }) as unknown as Manifest;
  const directory = (token = TOKEN, budgetMs?: number) =>
    new PagerDutyOnCall(manifestFor(pagerDuty.url), new SecretTextCache({ getSecretString: async () => token }), budgetMs === undefined ? {} : { budgetMs });
  const now = new Date();
  beforeAll(async () => {
    pagerDuty = await PagerDutyStandIn.start({
      token: TOKEN,
      onCalls: [
        {
          email: 'dana@example.com',
          scheduleId: 'PSRE001',
          escalationPolicyId: 'PPOL001',
          start: new Date(now.getTime() - 60_000).toISOString(),
          end: new Date(now.getTime() + 60_000).toISOString(),
        },
        // A shift that ended a minute ago is not now.
        { email: 'erin@example.com', scheduleId: 'PSRE001', escalationPolicyId: 'PPOL001', end: new Date(now.getTime() - 60_000).toISOString() },
      ],
    });
  });
  afterAll(() => pagerDuty.stop());
  afterEach(() => {
    pagerDuty.down = false;
    pagerDuty.delayMs = 0;
  });

  test('the requester’s entries of the flow’s schedules at this instant, and none for someone off call', async () => {
    expect(await directory().onCallNow('f', 'Dana@Example.com', now)).toEqual([
      expect.objectContaining({ email: 'dana@example.com', scheduleId: 'PSRE001', escalationLevel: 1 }),
    ]);
    expect(await directory().onCallNow('f', 'erin@example.com', now)).toEqual([]);
    expect(pagerDuty.calls.at(-1)).toMatchObject({ scheduleIds: ['PSRE001'], since: now.toISOString(), until: now.toISOString(), include: ['users'] });
  });

  test.each<[string, () => PagerDutyOnCall, string]>([
    ['a token PagerDuty refuses', () => directory('u+wrong-token'), 'HTTP 401'],
    ['PagerDuty down', () => ((pagerDuty.down = true), directory()), 'HTTP 503'],
    ['PagerDuty slower than the budget', () => ((pagerDuty.delayMs = 300), directory(TOKEN, 100)), 'did not answer within 100 ms'],
  ])('%s: the directory cannot say, and its error never holds the token', async (_case, make, message) => {
    const error = await make()
      .onCallNow('f', 'dana@example.com', now)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnCallUnavailableError);
    expect((error as Error).message).toContain(message);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('token-value');
  });
});

describe('the grant gate’s rule for an on-call approval', () => {
  const rule: OnCallRule = { provider: 'pagerduty', schedules: ['PSRE001'], escalationPolicies: [] };
  const entry: OnCallEntry = {
    provider: 'pagerduty',
    email: 'dana@example.com',
    scheduleId: 'PSRE001',
    escalationPolicyId: 'PPOL001',
    escalationLevel: 1,
    start: '2026-11-29T09:00:00.000Z',
    end: '2026-11-29T17:00:00.000Z',
  };
  const approval = (e: Partial<OnCallEntry> = {}): OnCallApproval => ({ actor: ON_CALL, at: '2026-11-29T16:58:00.000Z', onCall: { ...entry, ...e } });
  const dana = { email: 'dana@example.com', login: 'dana@example.com' };
  const directory = { loginFor: (email: string) => (email === 'dana@corp.io' ? 'dana@example.com' : email), standingMembers: async () => [] };
  const at = (time: string) => new Date(`2026-11-29T${time}:00.000Z`);

  test.each<[string, OnCallRule | undefined, OnCallApproval, Date, string | undefined]>([
    ['within the shift', rule, approval(), at('16:58'), undefined],
    ['within the shift, under another email of the same login', rule, approval({ email: 'dana@corp.io' }), at('16:58'), undefined],
    ['a permanent on-call with no end', rule, approval({ start: undefined, end: undefined }), at('23:00'), undefined],
    ['after the shift ended (a sweep retry at 17:01)', rule, approval(), at('17:01'), 'does not cover 2026-11-29T17:01:00.000Z'],
    [
      'once the flow no longer names the schedule',
      { ...rule, schedules: ['POTHER1'] },
      approval(),
      at('16:58'),
      'no longer approves the on-call users of schedule PSRE001',
    ],
    ['once the flow has no on-call rule', undefined, approval(), at('16:58'), 'no longer approves on-call requesters'],
    ['for an entry that is someone else’s', rule, approval({ email: 'erin@example.com' }), at('16:58'), "erin@example.com's, not the requester's"],
  ])('%s', (_case, flowRule, onCallApproval, now, problem) => {
    const found = onCallApprovalProblem(flowRule, onCallApproval, dana, directory, now);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
