import { BREAK_GLASS_PATTERN } from '../../lib/constructs/sym-runtime-alarms';
import { buildModel, buildRuntime, synthesized, testStack, thrownBy } from './fixtures';

test('a metric filter <function>-break-glass-requests counts break-glass audit lines, and the <function>-break-glass alarm fires on any one', () => {
  const action = 'arn:aws:sns:us-east-1:123456789012:sym-errors';
  const stack = testStack();
  buildRuntime(stack, buildModel(stack, { flowParams: { breakGlass: { maxDuration: '30m' } } }), { functionName: 'sym-runtime', alarmActions: [action] });
  const json = synthesized(stack);
  const [filterId, filter] = Object.entries(json.resource.aws_cloudwatch_log_metric_filter).find(([, f]) => f.pattern === BREAK_GLASS_PATTERN)!;
  expect(filter).toEqual({
    name: 'sym-runtime-break-glass-requests',
    log_group_name: `\${aws_cloudwatch_log_group.${Object.keys(json.resource.aws_cloudwatch_log_group)[0]}.name}`,
    pattern: '{ $.outcome = "break-glass" }',
    metric_transformation: { namespace: 'symtail/sym-runtime', name: 'BreakGlassRequests', value: '1', unit: 'Count' },
  });
  const alarm = Object.values(json.resource.aws_cloudwatch_metric_alarm).find((a) => a.alarm_name === 'sym-runtime-break-glass');
  expect(alarm).toEqual(
    expect.objectContaining({
      namespace: 'symtail/sym-runtime',
      metric_name: 'BreakGlassRequests',
      statistic: 'Sum',
      period: 60,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      alarm_actions: [action],
      depends_on: [`aws_cloudwatch_log_metric_filter.${filterId}`],
    }),
  );
});

test('break-glass is off unless a flow sets it, and then the manifest carries its maximum', () => {
  const stack = testStack();
  const plain = buildRuntime(stack, buildModel(stack));
  expect(plain.manifest.flows['tailscale-ssh-access'].breakGlass).toBeUndefined();
  const other = testStack();
  const withBreakGlass = buildRuntime(other, buildModel(other, { flowParams: { breakGlass: { maxDuration: '30m' } } }));
  expect(withBreakGlass.manifest.flows['tailscale-ssh-access'].breakGlass).toEqual({ maxDuration: '30m' });
});

test.each([
  ['longer than the flow allows', { maxDuration: '2h' }, 'params.breakGlass.maxDuration: "2h" is longer than the flow\'s maxDuration "1h"'],
  ['not a duration', { maxDuration: 'half an hour' }, 'params.breakGlass.maxDuration: expected a duration'],
])('a break-glass maximum %s is refused at synth, naming the prop', (_case, breakGlass, message) => {
  const stack = testStack();
  expect(thrownBy(() => buildModel(stack, { flowParams: { breakGlass } })).message).toContain(message);
});
