import { SweepTimes } from '../../lib/requests';
import { policyKeyFindings, readingOfFailure, scheduleFromEnvironment } from '../../lib/runtime';
import { sweepLines, slackLine } from '../../lib/runtime/doctor/deployment-checks';
import { policyFileLine } from '../../lib/runtime/doctor/policy-file-check';
import { EXAMPLE_SLACK_ENTRY } from '../../scripts/fixtures/example-manifest';

// The checklist's judgements, one function each, over the inputs that decide them.

const NOW = new Date('2026-11-23T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const SETTINGS = { rule: 'symtail-main-runtime-sweep', alarmMinutes: 15 };

describe('the schedule and last-sweep lines, from the sweep record', () => {
  test.each<[string, SweepTimes | undefined, [string, string], [string, string]]>([
    [
      'a sweep a minute ago that succeeded',
      { startedAt: ago(1), succeededAt: ago(1) },
      ['ok', 'rule symtail-main-runtime-sweep started a sweep 60 s ago'],
      ['ok', 'the last sweep succeeded 60 s ago'],
    ],
    ['no sweep yet (a new deployment)', undefined, ['warn', 'no sweep has run yet'], ['skip', 'no sweep has run yet']],
    [
      'none started for longer than the alarm: the schedule alone fails',
      { startedAt: ago(40), succeededAt: ago(40) },
      ['fail', 'the last sweep started 40 min ago'],
      ['skip', 'needs schedule'],
    ],
    [
      'sweeps start but none succeeded for longer than the alarm',
      { startedAt: ago(1), succeededAt: ago(30), failedAt: ago(1), failure: { code: 'sweep-incomplete', message: 'tailscale: get policy: 401' } },
      ['ok', 'started a sweep 60 s ago'],
      [
        'fail',
        'the last successful sweep was 30 min ago, and expired grants stay until one does; the latest failed at 2026-11-23T11:59:00.000Z: sweep-incomplete: tailscale: get policy: 401',
      ],
    ],
    [
      'sweeps start and none ever succeeded',
      { startedAt: ago(1), failedAt: ago(1), failure: { code: 'credential-unavailable', message: 'no value' } },
      ['ok', 'started'],
      ['fail', 'no sweep has succeeded yet'],
    ],
    [
      'the latest failed, the one before succeeded',
      { startedAt: ago(1), succeededAt: ago(2), failedAt: ago(1), failure: { code: 'x', message: 'y' } },
      ['ok', 'started'],
      ['warn', 'but the latest failed at'],
    ],
  ])('%s', (_name, times, schedule, sweep) => {
    const [scheduleLine, sweepLine] = sweepLines({ times }, SETTINGS, NOW);
    expect([scheduleLine.status, sweepLine.status]).toEqual([schedule[0], sweep[0]]);
    expect(scheduleLine.detail).toContain(schedule[1]);
    expect(sweepLine.detail).toContain(sweep[1]);
    if (scheduleLine.status === 'fail')
      expect(scheduleLine.fix).toBe(
        'check the rule is enabled and targets this function: aws events describe-rule --name symtail-main-runtime-sweep; aws events enable-rule --name symtail-main-runtime-sweep',
      );
  });

  test('an unreadable table skips both: the table line is the one that fails', () => {
    expect(sweepLines({ error: new Error('gone') }, SETTINGS, NOW).map((l) => [l.status, l.detail])).toEqual([
      ['skip', 'needs requests-table'],
      ['skip', 'needs requests-table'],
    ]);
  });

  test.each([
    [{}, { alarmMinutes: 15 }],
    [
      { SYMTAIL_SWEEP_RULE: 'r', SYMTAIL_SWEEP_ALARM_MINUTES: '30' },
      { rule: 'r', alarmMinutes: 30 },
    ],
    [{ SYMTAIL_SWEEP_ALARM_MINUTES: 'soon' }, { alarmMinutes: 15 }],
    [{ SYMTAIL_SWEEP_ALARM_MINUTES: '0' }, { alarmMinutes: 15 }],
  ])('the settings of environment %j', (env, settings) => {
    expect(scheduleFromEnvironment(env)).toEqual(settings);
  });
});

describe('the slack line, from auth.test', () => {
  const slack = EXAMPLE_SLACK_ENTRY;
  const answer = (who: object) => async () => ({ isEnterpriseInstall: false, ...who });
  test.each([
    [
      'its workspace and app',
      answer({ teamId: slack.externalId, team: 'Example', appId: slack.appId }),
      'ok',
      `the bot token is app ${slack.appId}'s in Example (${slack.externalId})`,
    ],
    ['its workspace, no app named', answer({ teamId: slack.externalId }), 'ok', "the bot token is a bot's"],
    [
      'an org-wide install whose organization is configured',
      answer({ teamId: 'T0OTHER', enterpriseId: slack.externalId, isEnterpriseInstall: true, appId: slack.appId }),
      'ok',
      slack.externalId,
    ],
    [
      'another workspace',
      answer({ teamId: 'T0OTHER', team: 'Other', appId: slack.appId }),
      'fail',
      `the bot token belongs to Other (T0OTHER), not to ${slack.externalId}`,
    ],
    ['another app', answer({ teamId: slack.externalId, appId: 'A0OTHER' }), 'fail', `the bot token is app A0OTHER's, not app ${slack.appId}'s`],
    ['a refused token', async () => Promise.reject(new Error('auth.test: token_revoked')), 'fail', 'Slack refused the bot token (auth.test: token_revoked)'],
    ['an unreachable Slack', async () => Promise.reject(new Error('auth.test: request failed')), 'fail', 'auth.test could not be asked'],
  ])('%s', async (_name, authTest, status, detail) => {
    const line = await slackLine(slack, authTest, 'secret:slack-bot-token');
    expect(line.status).toBe(status);
    expect(line.detail).toContain(detail);
  });

  test('an unreadable bot token skips it, pointing at its secret line', async () => {
    expect(await slackLine(slack, undefined, 'secret:slack-bot-token')).toEqual({
      id: 'slack',
      status: 'skip',
      detail: 'needs the bot token of secret:slack-bot-token',
    });
  });
});

describe('the policy-file line', () => {
  test.each([
    ['the reference spelling', '{"groups": {}, "acls": [], "tagOwners": {}}', [], []],
    ['a key in another case', '{"Groups": {}}', [], ['line 1 "Groups" is read by Tailscale as "groups"']],
    [
      'two keys that differ in case only',
      '{\n"groups": {},\n"Groups": {}\n}',
      ['line 2 "groups" and line 3 "Groups" are the same key to Tailscale, which reads keys without regard to case'],
      [],
    ],
    ['a key Tailscale does not document', '{"grups": {}}', [], ['line 1 "grups" is not a key of Tailscale\'s policy file reference']],
    ['a top level that is not an object', '[]', ['expected an object at the top level, got an array'], []],
  ])('%s', (_name, text, errors, warnings) => {
    expect(policyKeyFindings(text)).toMatchObject({ errors, warnings });
  });

  test('fails when Tailscale finds the file invalid, since every write is then refused', () => {
    const line = policyFileLine('policy-file:t', '{"groups": {}}', { ok: false, message: 'test(s) failed' });
    expect(line).toMatchObject({ status: 'fail', detail: 'Tailscale finds it invalid: test(s) failed' });
    expect(line.fix).toContain('until it validates, every grant and sweep is refused');
  });

  test("passes a valid file, counting its keys and quoting Tailscale's warnings", () => {
    expect(policyFileLine('p', '{"groups": {}, "acls": []}', { ok: true, warnings: ['group:prod: user not found: "x@example.com"'] }).detail).toBe(
      'parses, its 2 keys are Tailscale\'s, and Tailscale validates it (with 1 warning: group:prod: user not found: "x@example.com")',
    );
  });
});

describe("a secret's reading, from Secrets Manager's answer", () => {
  test.each([
    [
      'a secret without a value',
      { name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT" },
      { kind: 'not-set' },
    ],
    ['no such secret', { name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }, { kind: 'missing' }],
    [
      'access denied',
      { name: 'AccessDeniedException', message: 'not authorized' },
      { kind: 'refused', reason: 'the function may not read it (AccessDeniedException)' },
    ],
    [
      'a key that cannot decrypt',
      { name: 'DecryptionFailure', message: 'KMS' },
      { kind: 'refused', reason: 'it cannot be decrypted with its KMS key (DecryptionFailure)' },
    ],
    [
      'a secret being deleted',
      { name: 'InvalidRequestException', message: 'You can’t perform this operation on the secret because it was marked for deletion.' },
      { kind: 'unreadable', reason: 'it is scheduled for deletion' },
    ],
    ['anything else', { name: 'ThrottlingException', message: 'slow down' }, { kind: 'unreadable', reason: 'GetSecretValue failed (ThrottlingException)' }],
  ])('%s', (_name, error, reading) => {
    expect(readingOfFailure(Object.assign(new Error(error.message), { name: error.name }))).toEqual(reading);
  });
});
