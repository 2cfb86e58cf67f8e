import { CREDENTIAL_EXPIRY_PATTERN } from '../../lib/constructs/sym-runtime-alarms';
import { buildModel, buildRuntime, synthesized, testStack } from './fixtures';

const ACTION = 'arn:aws:sns:us-east-1:123456789012:sym-errors';

function synthWith(props: { alarmActions?: string[]; alarmTopic?: boolean } = {}) {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { functionName: 'sym-runtime', ...props });
  const json = synthesized(stack);
  const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Record<string, unknown>[];
  const filters = Object.entries(json.resource.aws_cloudwatch_log_metric_filter) as [string, Record<string, unknown>][];
  return { json, alarms, filters };
}

test("a metric filter counts the credential-check warning lines of the runtime's log group", () => {
  const { json, filters } = synthWith();
  const logGroup = `\${aws_cloudwatch_log_group.${Object.keys(json.resource.aws_cloudwatch_log_group)[0]}.name}`;
  const [, filter] = filters.find(([, f]) => f.pattern === CREDENTIAL_EXPIRY_PATTERN)!;
  expect(filter).toEqual(
    expect.objectContaining({
      name: 'sym-runtime-credential-expiry-warnings',
      log_group_name: logGroup,
      pattern: '{ ($.type = "symtail.audit") && ($.action = "credential-check") && ($.outcome = "warning") }',
      metric_transformation: { namespace: 'symtail/sym-runtime', name: 'CredentialExpiryWarnings', value: '1', unit: 'Count' },
    }),
  );
});

test('the "credential expires within 14 days" alarm fires on one warning in an hour and is quiet without any', () => {
  const { filters, alarms } = synthWith();
  const alarm = alarms.find((a) => a.alarm_name === 'sym-runtime-credential-expiring')!;
  const [filterId] = filters.find(([, f]) => f.pattern === CREDENTIAL_EXPIRY_PATTERN)!;
  expect(alarm).toEqual(
    expect.objectContaining({
      namespace: 'symtail/sym-runtime',
      metric_name: 'CredentialExpiryWarnings',
      statistic: 'Sum',
      period: 3600,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      depends_on: [`aws_cloudwatch_log_metric_filter.${filterId}`],
    }),
  );
  expect(alarm.alarm_description).toMatch(/expires within 14 days/);
});

test.each<[string, { alarmActions?: string[]; alarmTopic?: boolean }]>([
  ['alarm actions only', { alarmActions: [ACTION] }],
  ['alarm actions and a topic', { alarmActions: [ACTION], alarmTopic: true }],
  ['nothing', {}],
])('with %s, the credential, tampered and break-glass alarms notify exactly what the other alarms notify', (_, props) => {
  const { alarms } = synthWith(props);
  expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
    'sym-runtime-break-glass',
    'sym-runtime-credential-expiring',
    'sym-runtime-errors',
    'sym-runtime-sweep-stalled',
    'sym-runtime-tampered',
  ]);
  const notified = alarms.map((a) => [a.alarm_actions, a.ok_actions]);
  for (const n of notified) expect(n).toEqual(notified[0]);
  expect((notified[0][0] as string[]).length).toBe((props.alarmActions?.length ?? 0) + (props.alarmTopic ? 1 : 0));
});
