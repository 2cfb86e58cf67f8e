import { FlowManifest, ManifestError, validateManifest } from '../../lib/manifest';
import { SymFlowParams } from '../../lib/constructs';
import { flowRules } from '../../lib/runtime';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';
import { buildModel, buildRuntime, testStack, thrownBy } from './fixtures';

const remindersOf = (flowParams: Partial<SymFlowParams>) => {
  const stack = testStack();
  return buildRuntime(stack, buildModel(stack, { flowParams })).manifest.flows['tailscale-ssh-access'].reminders;
};

test.each<[string, Partial<SymFlowParams>, FlowManifest['reminders']]>([
  ['nothing set: 10 minutes before the end, and approvers nudged', {}, { beforeExpiry: '10m', nudgeApprovers: true }],
  ['another lead', { reminders: { beforeExpiry: '15m' } }, { beforeExpiry: '15m', nudgeApprovers: true }],
  ['the expiry reminder off', { reminders: { beforeExpiry: false } }, { nudgeApprovers: true }],
  ['the nudge off', { reminders: { nudgeApprovers: false } }, { beforeExpiry: '10m', nudgeApprovers: false }],
  ['both off', { reminders: false }, { nudgeApprovers: false }],
  ['grants no longer than the default lead: the default gives way', { durations: ['5m', '10m'] }, { nudgeApprovers: true }],
])('reminders, %s, are carried in the manifest', (_case, flowParams, expected) => {
  expect(remindersOf(flowParams)).toEqual(expected);
});

test.each<[string, unknown, string]>([
  [
    'a lead that is not a duration',
    { beforeExpiry: 'ten minutes' },
    'params.reminders.beforeExpiry: expected a duration such as "30m", "1h" or "1d", got "ten minutes"',
  ],
  ['a lead as long as the longest grant', { beforeExpiry: '1h' }, `params.reminders.beforeExpiry: "1h" is not shorter than the flow's maxDuration "1h"`],
  ['a nudge that is not a boolean', { nudgeApprovers: 'yes' }, 'params.reminders.nudgeApprovers: expected true or false, got "yes"'],
  ['reminders that are neither false nor an object', 'on', 'params.reminders: expected false or an object'],
])('%s is refused at synth, naming the prop', (_case, reminders, message) => {
  const stack = testStack();
  expect(thrownBy(() => buildModel(stack, { flowParams: { reminders: reminders as SymFlowParams['reminders'] } })).message).toContain(message);
});

describe('the manifest', () => {
  const withReminders = (reminders: unknown) => {
    const m = JSON.parse(JSON.stringify(exampleManifest('https://api.tailscale.com')));
    m.flows['tailscale-ssh-access'].reminders = reminders;
    return m;
  };
  const problems = (m: unknown) => {
    try {
      validateManifest(m);
    } catch (error) {
      return (error as ManifestError).problems;
    }
    return [];
  };

  test('takes reminders with or without a lead', () => {
    expect(problems(withReminders({ beforeExpiry: '10m', nudgeApprovers: true }))).toEqual([]);
    expect(problems(withReminders({ nudgeApprovers: false }))).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    ['a lead that is not a duration', { beforeExpiry: '10 minutes', nudgeApprovers: true }, 'manifest.flows.tailscale-ssh-access.reminders.beforeExpiry'],
    ['no nudge setting', { beforeExpiry: '10m' }, 'nudgeApprovers'],
    ['an unknown setting', { beforeExpiry: '10m', nudgeApprovers: true, every: '1m' }, 'every'],
  ])('refuses %s, naming the field', (_case, reminders, message) => {
    expect(problems(withReminders(reminders)).join('\n')).toContain(message);
  });
});

describe('the runtime reads', () => {
  const flow = (over: Partial<FlowManifest>): FlowManifest => ({ ...exampleManifest('https://api.tailscale.com').flows['tailscale-ssh-access'], ...over });

  test('the lead in seconds, and nudges only for a flow with a requests channel to nudge in', () => {
    const reminders = { beforeExpiry: '10m', nudgeApprovers: true };
    expect(flowRules(flow({ reminders, requestsChannel: 'C0REQUESTS' })).reminders).toEqual({ beforeExpirySeconds: 600, nudgeApprovers: true });
    expect(flowRules(flow({ reminders })).reminders).toEqual({ beforeExpirySeconds: 600, nudgeApprovers: false });
  });

  test('no reminders from a manifest that names none', () => {
    const { reminders: _reminders, ...without } = flow({ requestsChannel: 'C0REQUESTS' });
    expect(flowRules(without).reminders).toEqual({ nudgeApprovers: false });
  });
});
