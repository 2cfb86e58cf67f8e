import { TAMPERED_RECORDS_PATTERN } from '../../lib/constructs/sym-runtime-alarms';
import { buildModel, buildRuntime, synthesized, testStack } from './fixtures';

function synthWith(props: { alarmActions?: string[] } = {}) {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { functionName: 'sym-runtime', ...props });
  const json = synthesized(stack);
  const [filterId, filter] = Object.entries(json.resource.aws_cloudwatch_log_metric_filter).find(([, f]) => f.pattern === TAMPERED_RECORDS_PATTERN)!;
  const alarm = Object.values(json.resource.aws_cloudwatch_metric_alarm).find((a) => a.alarm_name === 'sym-runtime-tampered')!;
  return { json, filterId, filter, alarm };
}

test('a metric filter <function>-tampered-records counts the audit lines of records that failed their MAC check', () => {
  const { json, filter } = synthWith();
  expect(filter).toEqual({
    name: 'sym-runtime-tampered-records',
    log_group_name: `\${aws_cloudwatch_log_group.${Object.keys(json.resource.aws_cloudwatch_log_group)[0]}.name}`,
    pattern: '{ $.outcome = "tampered" }',
    metric_transformation: { namespace: 'symtail/sym-runtime', name: 'TamperedRecords', value: '1', unit: 'Count' },
  });
});

test('the <function>-tampered alarm fires on any tampered record within 5 minutes, is quiet without, and notifies the alarm actions', () => {
  const action = 'arn:aws:sns:us-east-1:123456789012:sym-errors';
  const { alarm, filterId } = synthWith({ alarmActions: [action] });
  expect(alarm).toEqual(
    expect.objectContaining({
      namespace: 'symtail/sym-runtime',
      metric_name: 'TamperedRecords',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      alarm_actions: [action],
      ok_actions: [action],
      depends_on: [`aws_cloudwatch_log_metric_filter.${filterId}`],
    }),
  );
  expect(alarm.alarm_description).toMatch(/failed its MAC check.*not granted/);
});
