import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { physicalName } from './synth/physical-names';

export interface SymRuntimeAlarmsProps {
  /** The runtime function watched; its alarm names start with it. */
  readonly functionName: string;
  /** The runtime's log group, where the audit lines are. */
  readonly logGroupName: string;
  /** Minutes without a successful sweep before `<function>-sweep-stalled` fires. */
  readonly sweepAlarmMinutes: number;
  /** ARNs notified when an alarm fires or clears. */
  readonly alarmActions: readonly string[];
  /** Create an SNS topic for the alarms (and notify it too). */
  readonly alarmTopic: boolean;
  readonly tags: Record<string, string>;
  /** Default: the stack's default `aws` provider. */
  readonly provider?: TerraformProvider;
}

/** Where the metric of successful sweeps lives: one namespace per runtime function. */
export const SWEEP_METRIC = { namespacePrefix: 'symtail/', name: 'SuccessfulSweeps' } as const;

/**
 * An audit line of a sweep that finished (`success`: it removed someone; `noop`: nobody was due). A failed sweep
 * writes `outcome: "failed"`, so it adds nothing and the count drops to zero.
 */
export const SUCCESSFUL_SWEEP_PATTERN = '{ ($.type = "symtail.audit") && ($.action = "sweep") && (($.outcome = "success") || ($.outcome = "noop")) }';

/**
 * The runtime's failures made loud (the role of Sym's `sym_error_logger`): an alarm on the function's `Errors` (a
 * sweep that could not finish fails its invocation), and an alarm when no sweep has succeeded for
 * `sweepAlarmMinutes`, counted from the audit lines by a metric filter, with missing data breaching, so a schedule
 * that stopped, a function that cannot start and a sweep that fails every time all fire it.
 */
export class SymRuntimeAlarms extends Construct {
  /** The topic the alarms notify, when `alarmTopic` is set. */
  readonly topic?: SnsTopic;
  readonly errorsAlarm: CloudwatchMetricAlarm;
  readonly sweepStalledAlarm: CloudwatchMetricAlarm;
  readonly sweepMetricFilter: CloudwatchLogMetricFilter;

  constructor(scope: Construct, id: string, props: SymRuntimeAlarmsProps) {
    super(scope, id);
    const { tags, provider } = props;
    this.topic = props.alarmTopic ? new SnsTopic(this, 'Topic', { name: physicalName(`${props.functionName}-alarms`), tags, provider }) : undefined;
    const actions = [...props.alarmActions, ...(this.topic === undefined ? [] : [this.topic.arn])];
    const notify = { alarmActions: actions, okActions: actions, actionsEnabled: true };
    const namespace = `${SWEEP_METRIC.namespacePrefix}${props.functionName}`;

    this.errorsAlarm = new CloudwatchMetricAlarm(this, 'Errors', {
      alarmName: physicalName(`${props.functionName}-errors`),
      alarmDescription: `symtail runtime ${props.functionName} failed an invocation (a sweep that could not finish, or a crash). Its log group ${props.logGroupName} has the audit line with the reason.`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: props.functionName },
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      ...notify,
      tags,
      provider,
    });
    this.sweepMetricFilter = new CloudwatchLogMetricFilter(this, 'SuccessfulSweeps', {
      name: physicalName(`${props.functionName}-successful-sweeps`),
      logGroupName: props.logGroupName,
      pattern: SUCCESSFUL_SWEEP_PATTERN,
      metricTransformation: { namespace, name: SWEEP_METRIC.name, value: '1', unit: 'Count' },
      provider,
    });
    this.sweepStalledAlarm = new CloudwatchMetricAlarm(this, 'SweepStalled', {
      alarmName: physicalName(`${props.functionName}-sweep-stalled`),
      alarmDescription: `No sweep of symtail runtime ${props.functionName} has finished in ${props.sweepAlarmMinutes} minutes: expired grants are not being removed. See the sweep audit lines in ${props.logGroupName}.`,
      namespace,
      metricName: SWEEP_METRIC.name,
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: props.sweepAlarmMinutes,
      datapointsToAlarm: props.sweepAlarmMinutes,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      // No audit line at all (the schedule stopped, the function cannot start) is the failure most worth hearing of.
      treatMissingData: 'breaching',
      ...notify,
      dependsOn: [this.sweepMetricFilter],
      tags,
      provider,
    });
  }
}
