import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { AnnotationMetadataEntryType, TerraformStack } from 'cdktf';
import { SymRuntimeProps } from '../../lib/constructs';
import { CREDENTIALS_NOT_SET_PATTERN } from '../../lib/constructs/sym-runtime-alarms';
import { buildModel, buildRuntime, synthesized, testStack } from './fixtures';

const SILENT =
  '[stack/Runtime] alarmTopic: false and alarmActions is empty: the alarms on failed and stalled sweeps, expiring API keys and tampered records notify nobody; ' +
  'set alarmTopic: true (and subscribe to the topic) or alarmActions to the ARNs of topics you already watch';

function alarmWarnings(props: (stack: TerraformStack) => Partial<SymRuntimeProps>): string[] {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack), props(stack));
  return runtime.node.metadata
    .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
    .map((m) => String(m.data))
    .filter((w) => w.includes('alarm'));
}

test.each<[string, (stack: TerraformStack) => Partial<SymRuntimeProps>, string[]]>([
  ['neither alarmTopic nor alarmActions: a warning naming both', () => ({}), [SILENT]],
  ['alarmTopic: false said outright: still nobody is told', () => ({ alarmTopic: false, alarmActions: [] }), [SILENT]],
  ['a topic of its own: quiet', () => ({ alarmTopic: true }), []],
  ['an existing topic in alarmActions: quiet', () => ({ alarmActions: ['arn:aws:sns:us-east-1:111122223333:ops'] }), []],
  ['a topic of the stack in alarmActions, by reference: quiet', (stack) => ({ alarmActions: [new SnsTopic(stack, 'Ops', { name: 'ops' }).arn] }), []],
])('%s', (_what, props, expected) => {
  expect(alarmWarnings(props)).toEqual(expected);
});

test("a metric counts the sweeps' not-set lines (secrets with no value yet), and no alarm watches it: a fresh deploy alarms nobody", () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { functionName: 'sym-runtime', alarmTopic: true });
  const json = synthesized(stack);
  const filters = Object.values(json.resource.aws_cloudwatch_log_metric_filter);
  expect(filters.find((f) => f.pattern === CREDENTIALS_NOT_SET_PATTERN)).toMatchObject({
    name: 'sym-runtime-credentials-not-set',
    pattern: '{ ($.type = "symtail.audit") && ($.action = "credential-check") && ($.outcome = "not-set") }',
    metric_transformation: { namespace: 'symtail/sym-runtime', name: 'CredentialsNotSet', value: '1', unit: 'Count' },
  });
  const watched = Object.values(json.resource.aws_cloudwatch_metric_alarm).map((a) => a.metric_name);
  expect(watched).not.toContain('CredentialsNotSet');
  expect(watched.sort()).toEqual(['BreakGlassRequests', 'CredentialExpiryWarnings', 'Errors', 'SuccessfulSweeps', 'TamperedRecords']);
});
