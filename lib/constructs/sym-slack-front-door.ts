import * as fs from 'node:fs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AssetType, TerraformAsset, TerraformOutput, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { FRONT_DOOR_VARIABLES } from '../slack';
import { locateHandlerBundle, SLACK_FRONT_DOOR_BUNDLE_PATH } from './synth/handler-bundle';
import { frontDoorPolicy, lambdaTrustPolicy } from './synth/iam-policies';
import { stagePackage } from './synth/lambda-package';
import { physicalName } from './synth/physical-names';
import { OUTPUT_NAMES, outputName, stableOutput } from './synth/stack-outputs';
import { SymSlackIntegration } from './sym-slack-integration';

export interface SymSlackFrontDoorProps {
  /** The Slack app whose signing secret the front door checks. Required. */
  readonly integration: SymSlackIntegration;
  /** The runtime function the front door hands each verified request to. Required. */
  readonly runtimeFunction: LambdaFunction;
  /** Name of the runtime function; the front door's names derive from it. Required. */
  readonly runtimeName: string;
  /** Days CloudWatch keeps the front door's logs. Required. */
  readonly logRetentionDays: number;
  /** KMS keys that may encrypt the signing secret (`[]`: none). Required. */
  readonly kmsKeyArns: readonly string[];
  /**
   * Invocations that may run at once, reserved from the account's pool.
   * @default none (the shared pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * What its output's name starts with, `<prefix>_`: the runtime's `outputPrefix`.
   * @default none (`slack_request_url`)
   */
  readonly outputPrefix?: string;
  /** Tags of every resource of the front door. Required. */
  readonly tags: Record<string, string>;
  /**
   * AWS provider for every resource of the front door.
   * @default the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Slack's request URL: a small function (its own bundle, no Tailscale credential) behind a function URL with auth
 * `NONE`. It checks Slack's signature, answers at once, and invokes the runtime asynchronously with the signed
 * request as received; the runtime checks the signature again. Its role may read the signing secret, invoke the
 * runtime and write its own logs, nothing else. Lambda retries a failed hand-off twice, then sends it to the runtime's failure queue.
 */
export class SymSlackFrontDoor extends Construct {
  readonly functionName: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly lambdaFunction: LambdaFunction;
  readonly functionUrl: LambdaFunctionUrl;
  /** The zip synth wrote (the front door bundle alone), where the asset points. */
  readonly packageFile: string;
  /** The stack output `slack_request_url` (after the prefix): the URL to give Slack, `https://…/` as it is. */
  readonly requestUrlOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: SymSlackFrontDoorProps) {
    super(scope, id);
    const { tags, provider } = props;
    const common = { tags, provider };
    this.functionName = physicalName(`${props.runtimeName}-slack`);
    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/aws/lambda/${this.functionName}`,
      retentionInDays: props.logRetentionDays,
      ...common,
    });
    this.role = new IamRole(this, 'Role', {
      name: this.functionName,
      description: `symtail Slack front door of ${props.runtimeName}`,
      assumeRolePolicy: lambdaTrustPolicy(),
      ...common,
    });
    const signingSecret = props.integration.signingSecret;
    const policy = new IamRolePolicy(this, 'Policy', {
      name: 'symtail-slack-front-door',
      role: this.role.id,
      policy: frontDoorPolicy({
        signingSecretArn: signingSecret.secretArn,
        runtimeFunctionArn: props.runtimeFunction.arn,
        logGroupArn: this.logGroup.arn,
        kmsKeyArns: props.kmsKeyArns,
      }),
      provider,
    });
    const staged = stagePackage({ 'index.js': fs.readFileSync(locateHandlerBundle(__dirname, SLACK_FRONT_DOOR_BUNDLE_PATH)) });
    this.packageFile = staged.file;
    const asset = new TerraformAsset(this, 'Package', { path: staged.file, type: AssetType.FILE, assetHash: staged.sha256.toString('hex') });
    this.lambdaFunction = new LambdaFunction(this, 'Function', {
      functionName: this.functionName,
      description: `symtail Slack front door of ${props.runtimeName}: checks Slack's signature, hands off to the runtime`,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: staged.sha256.toString('base64'),
      // Slack waits 3 s; the hand-off is one Invoke call. The timeout only bounds a hung Secrets Manager or Lambda API.
      timeout: 5,
      memorySize: 256,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        variables: {
          [FRONT_DOOR_VARIABLES.runtimeFunction]: props.runtimeFunction.arn,
          [FRONT_DOOR_VARIABLES.signingSecretId]: signingSecret.secretId,
          ...(signingSecret.jsonKey !== undefined && { [FRONT_DOOR_VARIABLES.signingSecretKey]: signingSecret.jsonKey }),
          ...(signingSecret.region !== undefined && { [FRONT_DOOR_VARIABLES.signingSecretRegion]: signingSecret.region }),
        },
      },
      dependsOn: [this.logGroup, policy],
      ...common,
    });
    this.functionUrl = new LambdaFunctionUrl(this, 'Url', {
      functionName: this.lambdaFunction.functionName,
      // Slack cannot sign with AWS credentials: its own signature, checked in the function, is the authentication.
      authorizationType: 'NONE',
      provider,
    });
    new LambdaPermission(this, 'UrlPermission', {
      statementId: 'AllowSlackRequestUrl',
      action: 'lambda:InvokeFunctionUrl',
      functionName: this.lambdaFunction.functionName,
      principal: '*',
      functionUrlAuthType: 'NONE',
      provider,
    });
    // Function URLs made since October 2025 also need lambda:InvokeFunction. Open to anyone, without the
    // lambda:InvokedViaFunctionUrl condition (the provider cannot express it yet), this is still safe: the front door
    // and the runtime both verify Slack's signature, so a direct invocation with a made-up event is refused as a forged one.
    new LambdaPermission(this, 'UrlInvokePermission', {
      statementId: 'AllowSlackRequestUrlInvoke',
      action: 'lambda:InvokeFunction',
      functionName: this.lambdaFunction.functionName,
      principal: '*',
      provider,
    });

    this.requestUrlOutput = stableOutput(this, outputName(props.outputPrefix, OUTPUT_NAMES.slackRequestUrl), {
      value: this.functionUrl.functionUrl,
      description: "The Slack app's request URL (slash command and interactivity), https://… as Slack takes it",
    });
  }
}
