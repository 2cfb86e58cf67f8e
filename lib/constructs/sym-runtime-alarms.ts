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
  /**
   * AWS provider for every resource of the alarms.
   * @default the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
}

/** Where the metric of successful sweeps lives: one namespace per runtime function. */
export const SWEEP_METRIC = { namespacePrefix: 'symtail/', name: 'SuccessfulSweeps' } as const;

/**
 * An audit line of a sweep that finished (`success`: it removed someone; `noop`: nobody was due). A failed sweep
 * writes `outcome: "failed"`, so it adds nothing and the count drops to zero.
 */
export const SUCCESSFUL_SWEEP_PATTERN = '{ ($.type = "symtail.audit") && ($.action = "sweep") && (($.outcome = "success") || ($.outcome = "noop")) }';

/** Where the metric of credential warnings lives: the same namespace as {@link SWEEP_METRIC}'s. */
export const CREDENTIAL_EXPIRY_METRIC = { name: 'CredentialExpiryWarnings' } as const;

/**
 * The audit line a sweep writes, per API-key integration, while its key is within 14 days of expiry (or past it).
 * It is written on every sweep while that lasts, so the alarm stays raised until the key is replaced.
 */
export const CREDENTIAL_EXPIRY_PATTERN = '{ ($.type = "symtail.audit") && ($.action = "credential-check") && ($.outcome = "warning") }';

/** Where the metric of secrets with no value yet lives: the same namespace as {@link SWEEP_METRIC}'s. */
export const CREDENTIALS_NOT_SET_METRIC = { name: 'CredentialsNotSet' } as const;

/**
 * The audit line a sweep writes, per integration, while its secret has no value yet (a deploy whose secrets are still
 * to be set). Counted, never alarmed on: the runtime can have granted nothing through a credential never set.
 */
export const CREDENTIALS_NOT_SET_PATTERN = '{ ($.type = "symtail.audit") && ($.action = "credential-check") && ($.outcome = "not-set") }';

/** Where the metric of tampered records lives: the same namespace as {@link SWEEP_METRIC}'s. */
export const TAMPERED_RECORDS_METRIC = { name: 'TamperedRecords' } as const;

/**
 * The audit line the runtime writes when a request record fails its MAC check (written by someone other than the
 * runtime, or changed since): the request is failed, never granted.
 */
export const TAMPERED_RECORDS_PATTERN = '{ $.outcome = "tampered" }';

/** Where the metric of break-glass requests lives: the same namespace as {@link SWEEP_METRIC}'s. */
export const BREAK_GLASS_METRIC = { name: 'BreakGlassRequests' } as const;

/** The audit line of a break-glass request: access its requester approved themself, in an emergency. */
export const BREAK_GLASS_PATTERN = '{ $.outcome = "break-glass" }';

/**
 * The runtime's failures made loud (the role of Sym's `sym_error_logger`): an alarm on the function's `Errors` (a
 * sweep that could not finish fails its invocation), and an alarm when no sweep has succeeded for
 * `sweepAlarmMinutes`, counted from the audit lines by a metric filter, with missing data breaching, so a schedule
 * that stopped, a function that cannot start and a sweep that fails every time all fire it. A third alarm warns ahead
 * of the failure an expiring API key would cause: it fires while the sweeps' audit lines say the key expires within
 * 14 days. A fourth fires on any request record that failed its MAC check: someone wrote the requests table who
 * should not be able to. A fifth fires on every break-glass request: access nobody but its requester approved.
 */
export class SymRuntimeAlarms extends Construct {
  /** The topic the alarms notify, when `alarmTopic` is set. */
  readonly topic?: SnsTopic;
  readonly errorsAlarm: CloudwatchMetricAlarm;
  readonly sweepStalledAlarm: CloudwatchMetricAlarm;
  readonly sweepMetricFilter: CloudwatchLogMetricFilter;
  readonly credentialExpiryAlarm: CloudwatchMetricAlarm;
  readonly credentialExpiryMetricFilter: CloudwatchLogMetricFilter;
  readonly tamperedAlarm: CloudwatchMetricAlarm;
  readonly tamperedMetricFilter: CloudwatchLogMetricFilter;
  /** Counts sweeps' lines about secrets with no value yet; no alarm watches it (see {@link CREDENTIALS_NOT_SET_PATTERN}). */
  readonly credentialsNotSetMetricFilter: CloudwatchLogMetricFilter;
  readonly breakGlassAlarm: CloudwatchMetricAlarm;
  readonly breakGlassMetricFilter: CloudwatchLogMetricFilter;

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
    /** A metric of the function's namespace that counts the audit lines matching `pattern`. */
    const countLines = (id: string, suffix: string, pattern: string, metricName: string) =>
      new CloudwatchLogMetricFilter(this, id, {
        name: physicalName(`${props.functionName}-${suffix}`),
        logGroupName: props.logGroupName,
        pattern,
        metricTransformation: { namespace, name: metricName, value: '1', unit: 'Count' },
        provider,
      });
    this.sweepMetricFilter = countLines('SuccessfulSweeps', 'successful-sweeps', SUCCESSFUL_SWEEP_PATTERN, SWEEP_METRIC.name);
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
    this.credentialExpiryMetricFilter = countLines(
      'CredentialExpiryWarnings',
      'credential-expiry-warnings',
      CREDENTIAL_EXPIRY_PATTERN,
      CREDENTIAL_EXPIRY_METRIC.name,
    );
    this.credentialExpiryAlarm = new CloudwatchMetricAlarm(this, 'CredentialExpiring', {
      alarmName: physicalName(`${props.functionName}-credential-expiring`),
      alarmDescription: `A Tailscale API key of symtail runtime ${props.functionName} expires within 14 days (or has expired): once it does, every sweep fails and grants stop expiring. The credential-check audit lines in ${props.logGroupName} name the integration and the days left; put a new key in its secret, or move to an OAuth client.`,
      namespace,
      metricName: CREDENTIAL_EXPIRY_METRIC.name,
      statistic: 'Sum',
      // An hour: the warning is written on each sweep, and a schedule of up to an hour keeps the alarm raised.
      period: 3600,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      // No warning line is the normal state: the key is far from expiry, or an OAuth client is used.
      treatMissingData: 'notBreaching',
      ...notify,
      dependsOn: [this.credentialExpiryMetricFilter],
      tags,
      provider,
    });
    this.credentialsNotSetMetricFilter = countLines('CredentialsNotSet', 'credentials-not-set', CREDENTIALS_NOT_SET_PATTERN, CREDENTIALS_NOT_SET_METRIC.name);
    this.tamperedMetricFilter = countLines('TamperedRecords', 'tampered-records', TAMPERED_RECORDS_PATTERN, TAMPERED_RECORDS_METRIC.name);
    /** An alarm that fires on any line `filter` counts within `period` seconds; no line is the normal state. */
    const onAnyLine = (id: string, suffix: string, description: string, metricName: string, period: number, filter: CloudwatchLogMetricFilter) =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: physicalName(`${props.functionName}-${suffix}`),
        alarmDescription: description,
        namespace,
        metricName,
        statistic: 'Sum',
        period,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        ...notify,
        dependsOn: [filter],
        tags,
        provider,
      });
    this.tamperedAlarm = onAnyLine(
      'Tampered',
      'tampered',
      `A request record of symtail runtime ${props.functionName} failed its MAC check: its requests table was written by someone other than the runtime (or the record was changed since). The request was failed, not granted. The audit lines with "outcome":"tampered" in ${props.logGroupName} name the request; CloudTrail's data events on the table, where they are logged, name the writer.`,
      TAMPERED_RECORDS_METRIC.name,
      300,
      this.tamperedMetricFilter,
    );
    this.breakGlassMetricFilter = countLines('BreakGlassRequests', 'break-glass-requests', BREAK_GLASS_PATTERN, BREAK_GLASS_METRIC.name);
    this.breakGlassAlarm = onAnyLine(
      'BreakGlass',
      'break-glass',
      `Someone used break-glass on symtail runtime ${props.functionName}: access they approved themself, in an emergency. The audit lines with "outcome":"break-glass" in ${props.logGroupName} name the request; an approver reviews it with the review action.`,
      BREAK_GLASS_METRIC.name,
      60,
      this.breakGlassMetricFilter,
    );
  }
}
