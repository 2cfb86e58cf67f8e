// Longer than most files: SymRuntimeProps is the runtime's whole public surface (each prop documented with its
// default), and its checks sit beside it so a prop and its validation are read together.
import { TerraformProvider } from 'cdktf';
import { ACCOUNT_ID_PATTERN, PERMISSION_SET_PATTERN, PRINCIPAL_ARN_PATTERN, PrincipalRule } from '../../manifest';
import { DEFAULT_SWEEP_ALARM_MINUTES } from '../../requests';
import { SymFlow } from '../sym-flow';
import { SymSlackIntegration } from '../sym-slack-integration';
import { EMAIL, SYM_NAME, TextRule } from '../text-rules';
import { describeValue, PropProblems } from '../validation';

/**
 * Who may call the requests API, and as which email: one exact IAM principal ARN, or IAM Identity Center sessions
 * (`assumed-role/AWSReservedSSO_<permission set>_<hash>/<session>`), whose session name is the user's email.
 */
export type SymPrincipal =
  | {
      /**
       * An IAM user's ARN (`arn:aws:iam::<account>:user/<name>`), or a role's (`arn:aws:iam::<account>:role/<name>`),
       * which maps every session of that role (automation such as CI). An `assumed-role/<role>/<session>` ARN is
       * refused: whoever assumes the role chooses the session name.
       */
      readonly arn: string;
      /** The person it is. */
      readonly email: string;
    }
  | {
      readonly identityCenter: {
        /**
         * Accounts whose Identity Center sessions are accepted. In the function's own account the runtime confirms with
         * `iam:GetRole` that the session's role is Identity Center's (under `/aws-reserved/sso.amazonaws.com/`); in
         * another account it cannot, and trusts the role's name, so naming accounts requires `permissionSets` and is
         * warned about at synth.
         * @default the account the function runs in
         */
        readonly accounts?: readonly string[];
        /**
         * Permission set names accepted.
         * @default any (warned at synth: every permission set of the account is accepted)
         */
        readonly permissionSets?: readonly string[];
      };
    };

export interface SymRuntimeProps {
  /** Sym's environment name; every secret the flows use must belong to it. Tagged `SymEnv` on every resource. Required. */
  readonly environment: string;
  /** The flows this runtime serves; their strategies, integrations, targets and secrets come along. Non-empty. Required. */
  readonly flows: readonly SymFlow[];
  /**
   * AWS provider for every resource of the runtime. One that contradicts the secrets' provider is
   * refused at synth.
   * @default the provider of the secrets it reads (their `SymSecrets`' provider), else the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Days CloudWatch keeps the runtime's logs (a value CloudWatch allows; 0 keeps them forever).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Lambda timeout in seconds, 10 to 900. Every API call and retry of an invocation ends 3 s before it, leaving time
   * for the audit line and the answer.
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Lambda memory in MB, 128 to 10240.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * EventBridge schedule of the sweep that ends expired grants, `rate(...)` or `cron(...)`.
   * @default `rate(1 minute)`
   */
  readonly sweepSchedule?: string;
  /**
   * KMS keys the runtime may decrypt with: those of secrets encrypted with a customer-managed key.
   * @default none (no KMS permission)
   */
  readonly kmsKeyArns?: readonly string[];
  /**
   * Invocations of the function that may run at once, reserved from the account's pool. A reservation keeps room for
   * the sweep whatever else runs in the account (a busy account's other functions can otherwise throttle it) and caps
   * what a flood of requests can run up. Lambda keeps 100 of an account's concurrency unreserved, and a new account's
   * limit is 10, so there any reservation fails the apply: set it where the account's limit leaves room (ask for a
   * higher limit in Service Quotas first). 1 to 1000.
   * @default none (the account's shared pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Invocations of the Slack front door that may run at once, reserved from the account's pool. Its URL takes
   * requests from anyone (Slack's signature is checked inside), so without it a flood of unsigned requests draws on the
   * concurrency every other function of the account shares; with it, the flood is throttled at this number. Lambda
   * keeps 100 of the account's concurrency unreserved, so set it only where the account's limit leaves room (a new
   * account's limit of 10 leaves none, and the apply would fail). 1 to 1000.
   * @default none (the shared pool)
   */
  readonly slackFrontDoorConcurrency?: number;
  /**
   * Minutes without a successful sweep before the `<function>-sweep-stalled` alarm fires; at least the interval
   * of a `rate(...)` `sweepSchedule`. 1 to 1440.
   * @default 15
   */
  readonly sweepAlarmMinutes?: number;
  /**
   * ARNs the alarms notify when they fire and clear (an SNS topic, e.g. the one Sym's `sym_error_logger` writes
   * to).
   * @default none
   */
  readonly alarmActions?: readonly string[];
  /**
   * Create an SNS topic (`<function>-alarms`) the alarms notify as well, for people and tools to subscribe to.
   * @default false
   */
  readonly alarmTopic?: boolean;
  /**
   * Name of the function, its role and its log group.
   * @default `symtail-<environment>-<construct id>`, shortened with a hash to fit 64 characters
   */
  readonly functionName?: string;
  /**
   * What the runtime's Terraform outputs start with, `<prefix>_`: `"staging"` names them `staging_function_name`,
   * `staging_function_arn`, `staging_requests_url`, `staging_manifest_hash` (and `staging_slack_request_url`). Needed
   * when two runtimes share a stack: outputs with one name in one stack fail the synth, naming this prop. Letters,
   * digits and "_", starting with a letter.
   * @default none (`function_name`, …, `requests_url`, `slack_request_url`)
   */
  readonly outputPrefix?: string;
  /**
   * The Slack app where people request and approve: adds the Slack front door (a function URL with auth `NONE`
   * that checks Slack's signature and hands each request to the runtime).
   * @default none (no Slack)
   */
  readonly slack?: SymSlackIntegration;
  /**
   * How callers of the requests API (a function URL with `AWS_IAM` auth) are mapped to emails; a caller no rule maps
   * is refused (403). Who may call at all is IAM's decision (`lambda:InvokeFunctionUrl`).
   * @default `[]` (every call is refused, with a warning at synth)
   */
  readonly principals?: readonly SymPrincipal[];
  /**
   * Honour direct `escalate`/`deescalate` events, whose requester is a field of the event rather than an
   * authenticated identity, for automation trusted with `lambda:InvokeFunction`. Warned at synth.
   * @default false (refused with `authenticated-request-required`; `sweep` and `status` are always honoured)
   */
  readonly allowAssertedIdentity?: boolean;
  /**
   * Deletion protection on the requests table: the record of who asked for and approved every grant. Turn it off
   * (and apply) before destroying the runtime on purpose.
   * @default true
   */
  readonly requestsTableDeletionProtection?: boolean;
  /**
   * ARN of the EventBridge bus every state change of a request is put on (`source` `symtail`, `detail-type`
   * `symtail.request.<state>`), such as a `CloudwatchEventBus`'s `arn`. The runtime may `events:PutEvents` on this
   * bus alone.
   * @default the default bus of the function's account and region
   */
  readonly eventBusArn?: string;
}

/** The props once checked, with their defaults filled in. */
export interface RuntimeSettings {
  readonly environment: string;
  readonly flows: readonly SymFlow[];
  readonly logRetentionDays: number;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly sweepSchedule: string;
  readonly kmsKeyArns: readonly string[];
  readonly functionName?: string;
  readonly outputPrefix?: string;
  readonly reservedConcurrency?: number;
  readonly slackFrontDoorConcurrency?: number;
  readonly sweepAlarmMinutes: number;
  readonly alarmActions: readonly string[];
  readonly alarmTopic: boolean;
  readonly slack?: SymSlackIntegration;
  readonly principals: readonly PrincipalRule[];
  readonly allowAssertedIdentity: boolean;
  readonly requestsTableDeletionProtection: boolean;
  readonly eventBusArn?: string;
}

const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const SCHEDULE: TextRule = {
  pattern: /^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/,
  expected: 'an EventBridge schedule such as "rate(1 minute)", "rate(5 minutes)" or "cron(0/5 * * * ? *)"',
};
const ALARM_ACTION: TextRule = {
  pattern: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:\S+$/,
  expected: 'an ARN an alarm can notify, such as an SNS topic (arn:aws:sns:<region>:<account>:<name>)',
};

/** Minutes between sweeps of a `rate(...)` schedule; undefined for `cron(...)`. */
function scheduleMinutes(schedule: string): number | undefined {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(schedule);
  if (m === null) return undefined;
  return Number(m[1]) * { minute: 1, hour: 60, day: 1440 }[m[2] as 'minute' | 'hour' | 'day'];
}
const EVENT_BUS_ARN: TextRule = {
  pattern: /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/,
  expected: 'an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)',
};
const FUNCTION_NAME: TextRule = { pattern: /^[A-Za-z0-9_-]{1,64}$/, expected: 'a function name of 1 to 64 letters, digits, "_" and "-"' };
/** Terraform output names are identifiers; the prefix is joined to them with "_". */
const OUTPUT_PREFIX: TextRule = {
  pattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
  expected: 'an output name prefix of letters, digits and "_", starting with a letter, such as "staging"',
};
const KMS_KEY_ARN: TextRule = {
  pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
  expected: 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
};

/** Checks every prop of a runtime and throws one error listing all problems. */
export function checkedRuntimeSettings(problems: PropProblems, props: SymRuntimeProps): RuntimeSettings {
  const settings: RuntimeSettings = {
    environment: problems.literal('environment', props.environment, SYM_NAME) ?? '',
    flows: checkedFlows(problems, props.flows),
    logRetentionDays: problems.integer('logRetentionDays', props.logRetentionDays, 30, { min: 0, max: 3653, allowed: LOG_RETENTION_DAYS }),
    timeoutSeconds: problems.integer('timeoutSeconds', props.timeoutSeconds, 30, { min: 10, max: 900 }),
    memorySize: problems.integer('memorySize', props.memorySize, 256, { min: 128, max: 10240 }),
    sweepSchedule: problems.literal('sweepSchedule', props.sweepSchedule ?? 'rate(1 minute)', SCHEDULE) ?? '',
    kmsKeyArns: problems.array('kmsKeyArns', props.kmsKeyArns).map((arn, i) => problems.literalOrReference(`kmsKeyArns[${i}]`, arn, KMS_KEY_ARN) ?? ''),
    functionName: props.functionName === undefined ? undefined : problems.literal('functionName', props.functionName, FUNCTION_NAME),
    outputPrefix: props.outputPrefix === undefined ? undefined : problems.literal('outputPrefix', props.outputPrefix, OUTPUT_PREFIX),
    reservedConcurrency: optionalConcurrency(problems, 'reservedConcurrency', props.reservedConcurrency),
    slackFrontDoorConcurrency: optionalConcurrency(problems, 'slackFrontDoorConcurrency', props.slackFrontDoorConcurrency),
    sweepAlarmMinutes: problems.integer('sweepAlarmMinutes', props.sweepAlarmMinutes, DEFAULT_SWEEP_ALARM_MINUTES, { min: 1, max: 1440 }),
    alarmActions: problems
      .array('alarmActions', props.alarmActions)
      .map((arn, i) => problems.literalOrReference(`alarmActions[${i}]`, arn, ALARM_ACTION) ?? ''),
    alarmTopic: problems.boolean('alarmTopic', props.alarmTopic, false),
    slack: props.slack,
    principals: problems.array('principals', props.principals).map((p, i) => checkedPrincipal(problems, `principals[${i}]`, p)),
    allowAssertedIdentity: problems.boolean('allowAssertedIdentity', props.allowAssertedIdentity, false),
    requestsTableDeletionProtection: problems.boolean('requestsTableDeletionProtection', props.requestsTableDeletionProtection, true),
    eventBusArn: props.eventBusArn === undefined ? undefined : problems.literalOrReference('eventBusArn', props.eventBusArn, EVENT_BUS_ARN),
  };
  if (props.slack !== undefined && !(props.slack instanceof SymSlackIntegration)) {
    problems.add('slack', `expected a SymSlackIntegration, got ${describeValue(props.slack)}`);
  }
  if (settings.slackFrontDoorConcurrency !== undefined && props.slack === undefined) {
    problems.add(
      'slackFrontDoorConcurrency',
      'is set, but the runtime has no slack integration, so there is no Slack front door to bound; drop it, or give the runtime slack',
    );
  }
  const interval = scheduleMinutes(settings.sweepSchedule);
  if (interval !== undefined && settings.sweepAlarmMinutes < interval) {
    problems.add(
      'sweepAlarmMinutes',
      `expected at least the ${interval} minutes between sweeps of sweepSchedule "${settings.sweepSchedule}", got ${settings.sweepAlarmMinutes}`,
    );
  }
  problems.throwIfAny();
  return settings;
}

/** A reserved concurrency: unset by default, since any reservation fails the apply in an account whose limit is 10. */
function optionalConcurrency(problems: PropProblems, prop: string, value: number | undefined): number | undefined {
  return value === undefined ? undefined : problems.integer(prop, value, 1, { min: 1, max: 1000 });
}

function checkedFlows(problems: PropProblems, flows: readonly SymFlow[] | undefined): SymFlow[] {
  return problems.array('flows', flows, true).filter((flow, index, all) => {
    if (!(flow instanceof SymFlow)) {
      problems.add(`flows[${index}]`, `expected a SymFlow, got ${describeValue(flow)}`);
      return false;
    }
    if (all.indexOf(flow) !== index) {
      problems.add(`flows[${index}]`, `${flow.node.path} is already flows[${all.indexOf(flow)}]; list each flow once`);
      return false;
    }
    return true;
  });
}

const PRINCIPAL_ARN: TextRule = {
  pattern: new RegExp(PRINCIPAL_ARN_PATTERN),
  expected: 'an IAM user, role or assumed-role ARN such as "arn:aws:iam::111122223333:user/ci"',
};
const ACCOUNT_ID: TextRule = { pattern: new RegExp(ACCOUNT_ID_PATTERN), expected: 'a 12-digit AWS account id' };
const PERMISSION_SET: TextRule = { pattern: new RegExp(PERMISSION_SET_PATTERN), expected: 'a permission set name such as "Engineers"' };

function checkedPrincipal(problems: PropProblems, prop: string, principal: SymPrincipal): PrincipalRule {
  const given = (principal ?? {}) as Partial<Record<'arn' | 'email' | 'identityCenter', unknown>>;
  if ('identityCenter' in given && !('arn' in given)) {
    const ic = (given.identityCenter ?? {}) as { accounts?: readonly string[]; permissionSets?: readonly string[] };
    const accounts =
      ic.accounts === undefined
        ? 'own'
        : problems
            .array(`${prop}.identityCenter.accounts`, ic.accounts, true)
            .map((a, i) => problems.literal(`${prop}.identityCenter.accounts[${i}]`, a, ACCOUNT_ID) ?? '');
    const permissionSets = problems
      .array(`${prop}.identityCenter.permissionSets`, ic.permissionSets)
      .map((p, i) => problems.literal(`${prop}.identityCenter.permissionSets[${i}]`, p, PERMISSION_SET) ?? '');
    return { kind: 'identityCenter', accounts, permissionSets };
  }
  if (!('arn' in given) || 'identityCenter' in given) {
    problems.add(prop, `expected {arn, email} or {identityCenter: {...}}, got ${describeValue(principal)}`);
    return { kind: 'arn', arn: '', email: '' };
  }
  const arn = problems.literal(`${prop}.arn`, given.arn, PRINCIPAL_ARN) ?? '';
  if (/:assumed-role\//.test(arn)) {
    problems.add(
      `${prop}.arn`,
      `${arn} is an assumed-role session, whose session name whoever assumes the role chooses: anyone who may assume it ` +
        'could call as this person; map the role ARN (every session is then this person), an IAM user ARN, or Identity Center sessions with {identityCenter: {...}}',
    );
  }
  const email = problems.literal(`${prop}.email`, given.email, EMAIL) ?? '';
  return { kind: 'arn', arn, email: email.toLowerCase() };
}

/** The accounts principal rules name (an exact ARN's, Identity Center `accounts`), sorted; `own` names none. */
export function accountsNamedBy(principals: readonly PrincipalRule[]): string[] {
  const accounts = new Set<string>();
  for (const rule of principals) {
    if (rule.kind === 'arn') accounts.add(rule.arn.split(':')[4]);
    else if (rule.accounts !== 'own') rule.accounts.forEach((a) => accounts.add(a));
  }
  return [...accounts].sort();
}
