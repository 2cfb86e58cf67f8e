// Longer than most files: SymRuntime is the one construct that synthesizes the runtime's resources (function, role,
// table, key, schedule, outputs), each a few lines; its rules, IAM, alarms and packaging are already files of their own.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicy } from '@cdktf/provider-aws/lib/iam-group-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Annotations, AssetType, ITerraformDependable, TerraformAsset, TerraformOutput, TerraformProvider, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { Manifest, ManifestError, PrincipalRule, RequestsManifest, validateManifest } from '../manifest';
import { EVENT_BUS_VARIABLE, RECORD_KEY_VARIABLE, REQUESTS_TABLE, REQUESTS_TABLE_VARIABLE, SWEEP_VARIABLES } from '../requests';
import { MAX_SIGNATURE_AGE_SECONDS } from '../slack';
import { RUNTIME_RULES } from './rules';
import { locateHandlerBundle } from './synth/handler-bundle';
import { functionUrlConfigPolicy, lambdaTrustPolicy, requestsCallerPolicy, runtimePolicy } from './synth/iam-policies';
import { stagePackage } from './synth/lambda-package';
import { nameClashes } from './synth/name-clashes';
import { physicalName, RuntimeNames, runtimeNames } from './synth/physical-names';
import { defaultEventBusArn, failureQueuePolicy, identityCenterRolesArn, recordKeyPolicy, requestsTablePolicy } from './synth/resource-policies';
import { runtimeProvider } from './synth/runtime-provider';
import { OUTPUT_NAMES, outputClashes, outputName, stableOutput } from './synth/stack-outputs';
import { collectModel, manifestOf, RuntimeModel, serializeManifest } from './synth/runtime-model';
import { accountsNamedBy, checkedRuntimeSettings, RuntimeSettings, SymRuntimeProps } from './synth/runtime-settings';
import { SYM_ENV_TAG } from './sym-secrets';
import { SymRuntimeAlarms } from './sym-runtime-alarms';
import { SymSlackFrontDoor } from './sym-slack-front-door';
import { describeValue, problemAt, PropProblems, SymValidationError } from './validation';

/** The input the schedule sends to the function. */
export const SWEEP_EVENT = { action: 'sweep' } as const;

/**
 * How long the failure queue keeps a message: long enough to look at a failure after a long weekend (the alarms
 * fire at once), no longer, since nothing in it can be replayed and nothing needs it later. A sweep is superseded by
 * the next one; a Slack hand-off carries a signature Slack's 5-minute window refuses after that and a `response_url`
 * Slack honours for 30 minutes; the audit lines in CloudWatch are the lasting record.
 */
export const FAILURE_RETENTION_SECONDS = 4 * 24 * 3600;

/** What every resource of the runtime carries. */
interface Common {
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/**
 * `sym_runtime`: the Lambda that executes the strategy manifest built from `flows`, with a least-privilege role,
 * its own log group, and a schedule that sweeps expired grants. The manifest is checked before anything is made.
 */
export class SymRuntime extends Construct {
  readonly environment: string;
  /** The strategy manifest packaged with the function. */
  readonly manifest: Manifest;
  /** SHA-256 (hex) of `manifest.json` as packaged. */
  readonly manifestHash: string;
  readonly names: RuntimeNames;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly lambdaFunction: LambdaFunction;
  readonly sweepRule: CloudwatchEventRule;
  /** Slack's request URL and what stands behind it; only with a `slack` integration. */
  readonly slackFrontDoor?: SymSlackFrontDoor;
  /** Where requests and their approvals are stored. */
  readonly requestsTable: DynamodbTable;
  /** The requests API: a function URL with `AWS_IAM` auth. */
  readonly requestsUrl: LambdaFunctionUrl;
  /** Where asynchronous invocations that failed every retry go: scheduled sweeps and Slack hand-offs alike. */
  readonly failureQueue: SqsQueue;
  /** The KMS HMAC key the runtime MACs request records with; only its role may generate and verify MACs. */
  readonly recordKey: KmsKey;
  /** The EventBridge bus every state change of a request is put on: `eventBusArn`, else the account's default bus. */
  readonly eventBusArn: string;
  /** The alarms on failed invocations and on sweeps that stopped succeeding. */
  readonly alarms: SymRuntimeAlarms;
  /**
   * The stack's outputs of this runtime (the front door's too): `function_name`, `function_arn`, `requests_url`,
   * `manifest_hash` and, with Slack, `slack_request_url`, each after `outputPrefix` and "_" when it is set.
   */
  readonly outputs: readonly TerraformOutput[];

  constructor(scope: Construct, id: string, props: SymRuntimeProps) {
    super(scope, id);
    const settings = checkedRuntimeSettings(new PropProblems(this), props);
    this.environment = settings.environment;
    const model = collectModel(settings.flows, settings.slack);
    const requests = { principals: settings.principals, allowAssertedIdentity: settings.allowAssertedIdentity };
    this.checkRules(model, settings, requests);
    const manifestJson = serializeManifest(manifestOf(this.environment, requests, model));
    this.manifest = this.validated(manifestJson);
    this.manifestHash = createHash('sha256').update(manifestJson).digest('hex');
    this.names = runtimeNames(this.environment, id, settings.functionName);

    const common: Common = { tags: { [SYM_ENV_TAG]: this.environment }, provider: runtimeProvider(this, props.provider, model.secrets) };
    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: this.names.logGroupName,
      retentionInDays: settings.logRetentionDays,
      ...common,
    });
    this.role = new IamRole(this, 'Role', {
      name: this.names.roleName,
      description: `symtail runtime of environment ${this.environment}`,
      assumeRolePolicy: lambdaTrustPolicy(),
      ...common,
    });
    this.recordKey = new KmsKey(this, 'RecordKey', {
      description: `symtail runtime ${this.names.functionName}: MACs of its request records, made and checked by its role alone`,
      customerMasterKeySpec: 'HMAC_256',
      keyUsage: 'GENERATE_VERIFY_MAC',
      // The longest window: a key scheduled for deletion by mistake can be recovered for a month, and with it every record.
      deletionWindowInDays: 30,
      policy: recordKeyPolicy(this.role.arn),
      ...common,
    });
    this.requestsTable = this.createRequestsTable(settings.requestsTableDeletionProtection, common);
    this.failureQueue = this.createFailureQueue(common);
    // The log group's ARN names the account and region without depending on the function (which depends on the policy).
    this.eventBusArn = settings.eventBusArn ?? defaultEventBusArn(this.logGroup.arn);
    const policy = new IamRolePolicy(this, 'Policy', {
      name: 'symtail-runtime',
      role: this.role.id,
      policy: runtimePolicy({
        secretArns: model.secrets.map((s) => s.secretArn),
        logGroupArn: this.logGroup.arn,
        kmsKeyArns: settings.kmsKeyArns,
        requestsTableArn: this.requestsTable.arn,
        requestsIndexName: REQUESTS_TABLE.openIndex,
        eventsIndexName: REQUESTS_TABLE.eventsIndex,
        eventBusArn: this.eventBusArn,
        failureQueueArn: this.failureQueue.arn,
        recordKeyArn: this.recordKey.arn,
        ...(settings.principals.some((p) => p.kind === 'identityCenter') && { identityCenterRolesArn: identityCenterRolesArn(this.role.arn) }),
      }),
      provider: common.provider,
    });
    this.lambdaFunction = this.createFunction(settings, manifestJson, common, [this.logGroup, policy]);
    const urlConfigPolicy = new IamRolePolicy(this, 'UrlConfigPolicy', {
      name: 'symtail-runtime-url',
      role: this.role.id,
      policy: functionUrlConfigPolicy(this.lambdaFunction.arn),
      provider: common.provider,
    });
    this.createFailureDestination(policy, common);
    this.sweepRule = this.createSweepSchedule(settings.sweepSchedule, common);
    this.alarms = new SymRuntimeAlarms(this, 'Alarms', {
      functionName: this.names.functionName,
      logGroupName: this.logGroup.name,
      sweepAlarmMinutes: settings.sweepAlarmMinutes,
      alarmActions: settings.alarmActions,
      alarmTopic: settings.alarmTopic,
      ...common,
    });
    if (settings.logRetentionDays === 0) {
      Annotations.of(this).addWarning(
        `${this.node.path} logRetentionDays: 0 keeps the audit lines in CloudWatch forever; choose a retention unless that is what you want`,
      );
    }
    this.requestsUrl = this.createRequestsUrl(settings.principals, urlConfigPolicy, common);
    if (settings.slack !== undefined) {
      this.slackFrontDoor = new SymSlackFrontDoor(this, 'SlackFrontDoor', {
        integration: settings.slack,
        runtimeFunction: this.lambdaFunction,
        runtimeName: this.names.functionName,
        logRetentionDays: settings.logRetentionDays,
        kmsKeyArns: settings.kmsKeyArns,
        reservedConcurrency: settings.slackFrontDoorConcurrency,
        outputPrefix: settings.outputPrefix,
        ...common,
      });
    }
    this.outputs = [...this.createOutputs(settings.outputPrefix), ...(this.slackFrontDoor === undefined ? [] : [this.slackFrontDoor.requestUrlOutput])];
    this.node.addValidation({
      validate: () => [...nameClashes(this, TerraformStack.of(this).node.findAll().filter(isRuntime)), ...outputClashes(this, this.outputs, isRuntime)],
    });
  }

  /**
   * The identity policy (JSON, naming the function by Terraform reference) a caller of the requests API needs:
   * `lambda:InvokeFunctionUrl` with `lambda:FunctionUrlAuthType = AWS_IAM`, and `lambda:InvokeFunction` with
   * `lambda:InvokedViaFunctionUrl = true`, on this function. For principals {@link grantRequest} cannot take, such as an
   * IAM Identity Center permission set (`SsoadminPermissionSetInlinePolicy`'s `inlinePolicy`).
   */
  get requestPolicy(): string {
    return requestsCallerPolicy(this.lambdaFunction.arn);
  }

  /**
   * Lets `grantee` call the requests API: adds {@link requestPolicy} as an inline policy (`symtail-request-<function>`)
   * to the IAM role, user or group, beside it in its own stack and with its provider; granting it twice adds it once.
   * Being allowed to call is not being allowed to act: the caller must still prove who it is and be mapped by
   * `principals`, and the flows decide what it may do.
   */
  grantRequest(grantee: IamRole | IamUser | IamGroup): IamRolePolicy | IamUserPolicy | IamGroupPolicy {
    const id = `SymtailRequest-${this.node.addr}`;
    const granted = grantee?.node?.tryFindChild(id);
    if (granted instanceof IamRolePolicy || granted instanceof IamUserPolicy || granted instanceof IamGroupPolicy) return granted;
    const config = { name: `symtail-request-${this.names.functionName}`, policy: this.requestPolicy, provider: grantee?.provider };
    if (grantee instanceof IamRole) return new IamRolePolicy(grantee, id, { ...config, role: grantee.name });
    if (grantee instanceof IamUser) return new IamUserPolicy(grantee, id, { ...config, user: grantee.name });
    if (grantee instanceof IamGroup) return new IamGroupPolicy(grantee, id, { ...config, group: grantee.name });
    throw new SymValidationError([
      problemAt(
        this,
        'grantRequest(grantee)',
        `expected an IamRole, IamUser or IamGroup of @cdktf/provider-aws, got ${describeValue(grantee)}; for anything else attach requestPolicy`,
      ),
    ]);
  }

  private checkRules(model: RuntimeModel, settings: RuntimeSettings, requests: RequestsManifest): void {
    const alarms = { actions: settings.alarmActions, topic: settings.alarmTopic };
    const findings = RUNTIME_RULES.flatMap((rule) =>
      rule({ runtime: this, environment: this.environment, model, kmsKeyArns: settings.kmsKeyArns, requests, alarms }),
    );
    for (const warning of findings.filter((f) => f.level === 'warning')) Annotations.of(this).addWarning(warning.message);
    const errors = findings.filter((f) => f.level === 'error').map((f) => f.message);
    if (errors.length > 0) throw new SymValidationError(errors);
  }

  /** The schema check the function repeats at cold start: the construct checks should make it pass; this makes sure. */
  private validated(manifestJson: string): Manifest {
    try {
      return validateManifest(JSON.parse(manifestJson));
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      throw new SymValidationError(error.problems.map((p) => problemAt(this, 'flows', `they make an invalid manifest: ${p}`)));
    }
  }

  /** The function, from a reproducible zip of the pre-built handler and the manifest, made in-process. */
  private createFunction(settings: RuntimeSettings, manifestJson: string, common: Common, dependsOn: ITerraformDependable[]): LambdaFunction {
    const staged = stagePackage({ 'index.js': fs.readFileSync(locateHandlerBundle()), 'manifest.json': Buffer.from(manifestJson) });
    // A file asset, not an archive one: cdktf zips archives in a child process, with file times in the bytes.
    const asset = new TerraformAsset(this, 'Package', {
      path: staged.file,
      type: AssetType.FILE,
      assetHash: staged.sha256.toString('hex'),
    });
    return new LambdaFunction(this, 'Function', {
      functionName: this.names.functionName,
      description: `symtail runtime of environment ${this.environment}`,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: staged.sha256.toString('base64'),
      timeout: settings.timeoutSeconds,
      environment: {
        variables: {
          [REQUESTS_TABLE_VARIABLE]: this.requestsTable.name,
          [RECORD_KEY_VARIABLE]: this.recordKey.arn,
          [EVENT_BUS_VARIABLE]: this.eventBusArn,
          // For the check's schedule lines: the rule that starts sweeps, and how old the last good one may be.
          [SWEEP_VARIABLES.rule]: this.names.sweepRuleName,
          [SWEEP_VARIABLES.alarmMinutes]: String(settings.sweepAlarmMinutes),
        },
      },
      memorySize: settings.memorySize,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      dependsOn,
      ...common,
    });
  }

  /**
   * One item per request, on demand, recoverable to any point in time, protected from deletion unless told otherwise;
   * closed requests expire by TTL. Only the runtime's role may write items (the table's resource policy).
   */
  private createRequestsTable(deletionProtection: boolean, common: Common): DynamodbTable {
    const table = new DynamodbTable(this, 'RequestsTable', {
      name: this.names.requestsTableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: REQUESTS_TABLE.key,
      attribute: [
        { name: REQUESTS_TABLE.key, type: 'S' },
        { name: REQUESTS_TABLE.openState, type: 'S' },
        { name: REQUESTS_TABLE.due, type: 'S' },
        { name: REQUESTS_TABLE.eventsPending, type: 'S' },
      ],
      globalSecondaryIndex: [
        { name: REQUESTS_TABLE.openIndex, hashKey: REQUESTS_TABLE.openState, rangeKey: REQUESTS_TABLE.due, projectionType: 'ALL' },
        // Sparse: only requests whose state changes are not yet on the bus, which the sweep puts again.
        { name: REQUESTS_TABLE.eventsIndex, hashKey: REQUESTS_TABLE.eventsPending, projectionType: 'ALL' },
      ],
      pointInTimeRecovery: { enabled: true },
      ttl: { attributeName: REQUESTS_TABLE.ttl, enabled: true },
      deletionProtectionEnabled: deletionProtection,
      ...common,
    });
    new DynamodbResourcePolicy(this, 'RequestsTablePolicy', {
      resourceArn: table.arn,
      policy: requestsTablePolicy(table.arn, this.role.arn),
      provider: common.provider,
    });
    return table;
  }

  /** Failed asynchronous invocations, encrypted at rest (SQS-managed keys), sent to by the runtime's role alone. */
  private createFailureQueue(common: Common): SqsQueue {
    const queue = new SqsQueue(this, 'FailureQueue', {
      name: physicalName(`${this.names.functionName}-failed`),
      messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      ...common,
    });
    new SqsQueuePolicy(this, 'FailureQueuePolicy', {
      queueUrl: queue.url,
      policy: failureQueuePolicy(queue.arn, this.role.arn),
      provider: common.provider,
    });
    return queue;
  }

  /**
   * The requests API. Callers in the function's account need only an identity policy. Each other account a principal
   * rule names gets `lambda:InvokeFunctionUrl` (AWS_IAM) in the function's resource policy, and not
   * `lambda:InvokeFunction`: without the `lambda:InvokedViaFunctionUrl` condition, which the provider cannot express
   * yet, that account could invoke directly with a made-up function URL event (the `crossAccountCallers` rule says so).
   * The URL is made once the runtime may read its own URL config, so no call comes in before it can check a proof.
   */
  private createRequestsUrl(principals: readonly PrincipalRule[], urlConfigPolicy: IamRolePolicy, common: Common): LambdaFunctionUrl {
    const url = new LambdaFunctionUrl(this, 'RequestsUrl', {
      functionName: this.lambdaFunction.functionName,
      authorizationType: 'AWS_IAM',
      dependsOn: [urlConfigPolicy],
      provider: common.provider,
    });
    for (const account of accountsNamedBy(principals)) {
      new LambdaPermission(this, `RequestsUrlPermission${account}`, {
        statementId: `AllowRequestsUrl${account}`,
        action: 'lambda:InvokeFunctionUrl',
        functionName: this.lambdaFunction.functionName,
        principal: account,
        functionUrlAuthType: 'AWS_IAM',
        provider: common.provider,
      });
    }
    return url;
  }

  /**
   * Lambda retries a failed asynchronous invocation twice, then sends the event and its error to the failure queue
   * (kept {@link FAILURE_RETENTION_SECONDS}). Events older than the Slack signature window go there too: a sweep that old is superseded by the
   * next one, and a Slack request that old would be refused.
   */
  private createFailureDestination(policy: IamRolePolicy, common: Common): void {
    new LambdaFunctionEventInvokeConfig(this, 'AsyncConfig', {
      functionName: this.lambdaFunction.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: MAX_SIGNATURE_AGE_SECONDS,
      destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      // Lambda checks that the role may send to the queue when the destination is set.
      dependsOn: [policy],
      provider: common.provider,
    });
  }

  private createSweepSchedule(scheduleExpression: string, common: Common): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, 'SweepSchedule', {
      name: this.names.sweepRuleName,
      description: `Ends expired grants of symtail environment ${this.environment}`,
      scheduleExpression,
      ...common,
    });
    new CloudwatchEventTarget(this, 'SweepTarget', {
      rule: rule.name,
      targetId: 'sweep',
      arn: this.lambdaFunction.arn,
      input: JSON.stringify(SWEEP_EVENT),
      provider: common.provider,
    });
    new LambdaPermission(this, 'SweepPermission', {
      statementId: 'AllowSweepSchedule',
      action: 'lambda:InvokeFunction',
      functionName: this.lambdaFunction.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
      provider: common.provider,
    });
    return rule;
  }

  /** Outputs named as documented (`requests_url`, …), not after the construct path: scripts read them by name. */
  private createOutputs(prefix: string | undefined): TerraformOutput[] {
    const output = (name: string, value: string, description: string) => stableOutput(this, outputName(prefix, name), { value, description });
    return [
      output(OUTPUT_NAMES.functionName, this.lambdaFunction.functionName, 'Name of the symtail runtime function'),
      output(OUTPUT_NAMES.functionArn, this.lambdaFunction.arn, 'ARN of the symtail runtime function'),
      output(OUTPUT_NAMES.requestsUrl, this.requestsUrl.functionUrl, 'URL of the requests API (AWS_IAM auth)'),
      output(OUTPUT_NAMES.manifestHash, this.manifestHash, 'SHA-256 of the strategy manifest the function runs'),
    ];
  }
}

function isRuntime(construct: IConstruct): construct is SymRuntime {
  return construct instanceof SymRuntime;
}
