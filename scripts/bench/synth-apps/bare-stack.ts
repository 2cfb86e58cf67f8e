import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DynamodbResourcePolicy } from '@cdktf/provider-aws/lib/dynamodb-resource-policy';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

const BARE_STACK = 'bare';

type Factory = (scope: Construct, id: string) => void;

/** A resource policy of one statement, for the resource policies' plain counterparts. */
const BARE_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] });

/** Plain provider resources with the few properties each needs, no constructs of this library. */
const FACTORIES: Readonly<Record<string, Factory>> = {
  aws_secretsmanager_secret: (s, id) => new SecretsmanagerSecret(s, id, { name: `bare/${id}` }),
  aws_cloudwatch_log_group: (s, id) => new CloudwatchLogGroup(s, id, { name: `/aws/lambda/${id}`, retentionInDays: 30 }),
  aws_iam_role: (s, id) =>
    new IamRole(s, id, {
      name: id,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  aws_iam_role_policy: (s, id) =>
    new IamRolePolicy(s, id, {
      name: id,
      role: id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }),
    }),
  aws_lambda_function: (s, id) =>
    new LambdaFunction(s, id, {
      functionName: id,
      role: 'arn:aws:iam::123456789012:role/bare',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: 'bare.zip',
    }),
  aws_cloudwatch_event_rule: (s, id) => new CloudwatchEventRule(s, id, { name: id, scheduleExpression: 'rate(1 minute)' }),
  aws_cloudwatch_event_target: (s, id) => new CloudwatchEventTarget(s, id, { rule: id, arn: 'arn:aws:lambda:us-east-1:123456789012:function:bare' }),
  aws_lambda_permission: (s, id) => new LambdaPermission(s, id, { action: 'lambda:InvokeFunction', functionName: 'bare', principal: 'events.amazonaws.com' }),
  aws_lambda_function_url: (s, id) => new LambdaFunctionUrl(s, id, { functionName: 'bare', authorizationType: 'AWS_IAM' }),
  aws_lambda_function_event_invoke_config: (s, id) =>
    new LambdaFunctionEventInvokeConfig(s, id, {
      functionName: 'bare',
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:bare' } },
    }),
  aws_dynamodb_table: (s, id) => new DynamodbTable(s, id, { name: id, billingMode: 'PAY_PER_REQUEST', hashKey: 'id', attribute: [{ name: 'id', type: 'S' }] }),
  aws_dynamodb_resource_policy: (s, id) =>
    new DynamodbResourcePolicy(s, id, { resourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${id}`, policy: BARE_POLICY }),
  aws_kms_key: (s, id) => new KmsKey(s, id, { description: id, customerMasterKeySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }),
  aws_sqs_queue: (s, id) => new SqsQueue(s, id, { name: id }),
  aws_sqs_queue_policy: (s, id) => new SqsQueuePolicy(s, id, { queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${id}`, policy: BARE_POLICY }),
  aws_sns_topic: (s, id) => new SnsTopic(s, id, { name: id }),
  aws_cloudwatch_log_metric_filter: (s, id) =>
    new CloudwatchLogMetricFilter(s, id, {
      name: id,
      logGroupName: '/aws/lambda/bare',
      pattern: '{ $.outcome = "ok" }',
      metricTransformation: { name: id, namespace: 'Bare', value: '1' },
    }),
  aws_cloudwatch_metric_alarm: (s, id) =>
    new CloudwatchMetricAlarm(s, id, {
      alarmName: id,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
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
