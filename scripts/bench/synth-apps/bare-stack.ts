import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const BARE_STACK = 'bare';

type Factory = (scope: Construct, id: string) => void;

/** Plain provider resources with the few properties each needs, no constructs of this library. */
const FACTORIES: Readonly<Record<string, Factory>> = {
  aws_secretsmanager_secret: (s, id) => new SecretsmanagerSecret(s, id, { name: `bare/${id}` }),
  aws_cloudwatch_log_group: (s, id) => new CloudwatchLogGroup(s, id, { name: `/aws/lambda/${id}`, retentionInDays: 30 }),
  aws_iam_role: (s, id) =>
    new IamRole(s, id, {
      name: id,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  aws_iam_role_policy: (s, id) =>
    new IamRolePolicy(s, id, {
      name: id,
      role: id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }),
    }),
  aws_lambda_function: (s, id) =>
    new LambdaFunction(s, id, { functionName: id, role: 'arn:aws:iam::123456789012:role/bare', runtime: 'nodejs22.x', handler: 'index.handler', filename: 'bare.zip' }),
  aws_cloudwatch_event_rule: (s, id) => new CloudwatchEventRule(s, id, { name: id, scheduleExpression: 'rate(1 minute)' }),
  aws_cloudwatch_event_target: (s, id) => new CloudwatchEventTarget(s, id, { rule: id, arn: 'arn:aws:lambda:us-east-1:123456789012:function:bare' }),
  aws_lambda_permission: (s, id) =>
    new LambdaPermission(s, id, { action: 'lambda:InvokeFunction', functionName: 'bare', principal: 'events.amazonaws.com' }),
};

/** A stack of exactly `counts` (Terraform type → how many) plain AWS resources and an AWS provider. */
export function buildBareStack(app: App, counts: Readonly<Record<string, number>>): TerraformStack {
  const stack = new TerraformStack(app, BARE_STACK);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  for (const [type, count] of Object.entries(counts)) {
    const factory = FACTORIES[type];
    if (factory === undefined) throw new Error(`bare stack: no plain resource for "${type}"; known: ${Object.keys(FACTORIES).join(', ')}`);
    if (!Number.isInteger(count) || count < 0) throw new Error(`bare stack: count of ${type}: expected a whole number ≥ 0, got ${count}`);
    for (let i = 0; i < count; i++) factory(stack, `${type}_${i}`);
  }
  return stack;
}
