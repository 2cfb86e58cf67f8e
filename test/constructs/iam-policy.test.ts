import { TerraformStack } from 'cdktf';
import { ISymSecret, SymFlow, SymIntegration, SymSecret, SymStrategy } from '../../lib/constructs';
import { buildModel, buildRuntime, onlyResource, synthesized, testStack, TerraformJson } from './fixtures';

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: ReadonlyArray<{ Sid: string; Effect: string; Action: unknown; Resource: unknown }>;
}

function policyOf(json: TerraformJson): PolicyDocument {
  return JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy as string) as PolicyDocument;
}

function ref(json: TerraformJson, type: string, attribute: string, index = 0): string {
  const source = type.startsWith('data.') ? json.data?.[type.slice(5)] : json.resource[type];
  return `\${${type}.${Object.keys(source ?? {})[index]}.${attribute}}`;
}

const logStatement = (json: TerraformJson) => ({
  Sid: 'WriteOwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: `${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*`,
});

function allResources(document: PolicyDocument): string[] {
  return document.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]) as string[]);
}

/** The request store's statements: exactly the calls it makes, on its own table and its one index. */
function requestStatements(json: TerraformJson) {
  const table = ref(json, 'aws_dynamodb_table', 'arn');
  return [
    { Sid: 'ReadWriteRequests', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'], Resource: table },
    { Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref(json, 'aws_sqs_queue', 'arn') },
    { Sid: 'QueryOpenRequests', Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${table}/index/open-by-due` },
  ];
}

test('the role may read exactly the referenced secret, write its own log group, its own requests table and its failure queue, nothing else', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack));
  const json = synthesized(stack);
  expect(policyOf(json)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadTailscaleCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [ref(json, 'aws_secretsmanager_secret', 'arn')],
      },
      logStatement(json),
      ...requestStatements(json),
    ],
  });
});

test('KMS decrypt is granted only on the given keys, only through Secrets Manager for the referenced secret, and only when given', () => {
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { kmsKeyArns: [keyArn] });
  const json = synthesized(stack);
  expect(policyOf(json).Statement).toEqual([
    expect.objectContaining({ Sid: 'ReadTailscaleCredentials' }),
    logStatement(json),
    ...requestStatements(json),
    {
      Sid: 'DecryptCredentials',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: [keyArn],
      Condition: {
        StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' },
        StringEquals: { 'kms:EncryptionContext:SecretARN': [ref(json, 'aws_secretsmanager_secret', 'arn')] },
      },
    },
  ]);
});

test('a secret imported by ARN is named by that ARN and its region, and creates no secret', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/tailscale-AbCdEf';
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack, { secret: (source) => SymSecret.fromSecretArn(stack, 'Shared', arn, { source }) }));
  const json = synthesized(stack);
  expect(policyOf(json).Statement[0].Resource).toEqual([arn]);
  expect(json.resource.aws_secretsmanager_secret).toBeUndefined();
  expect(json.data).toBeUndefined();
  expect(runtime.manifest.integrations['main-tailscale-integration'].credential).toEqual({ kind: 'apiKey', secretId: arn, region: 'eu-west-1' });
});

test('a secret imported by name is looked up for its ARN, and creates no secret', () => {
  const stack = testStack();
  const runtime = buildRuntime(
    stack,
    buildModel(stack, { secret: (source) => SymSecret.fromSecretName(stack, 'Shared', 'shared/tailscale', { source, settings: { jsonKey: 'key' } }) }),
  );
  const json = synthesized(stack);
  expect(json.resource.aws_secretsmanager_secret).toBeUndefined();
  expect(Object.values(json.data?.aws_secretsmanager_secret ?? {})).toEqual([{ name: 'shared/tailscale' }]);
  expect(policyOf(json).Statement[0].Resource).toEqual([ref(json, 'data.aws_secretsmanager_secret', 'arn')]);
  expect(runtime.manifest.integrations['main-tailscale-integration'].credential).toEqual({
    kind: 'apiKey',
    secretId: 'shared/tailscale',
    region: 'us-east-1',
    jsonKey: 'key',
  });
});

function secondIntegration(stack: TerraformStack, secret: ISymSecret) {
  const m = buildModel(stack, { prefix: 'b-' });
  const integration = new SymIntegration(stack, 'Second', { name: 'second', externalId: 'other.example.com', settings: { apiTokenSecret: secret } });
  const strategy = new SymStrategy(stack, 'SecondStrategy', { name: 'second-strategy', integration, targets: [m.prod] });
  return new SymFlow(stack, 'SecondFlow', { name: 'second-flow', label: 'Second', params: { approvers: ['bob@example.com'], strategy } });
}

test('a secret shared by two integrations is listed once; two secrets are both listed', () => {
  const stack = testStack();
  const m = buildModel(stack);
  const shared = secondIntegration(stack, m.secret);
  const other = SymSecret.fromSecretArn(stack, 'Other', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf', { source: m.secrets });
  const third = buildModel(stack, { prefix: 'c-', secret: () => other });
  buildRuntime(stack, m, { flows: [m.flow, shared, third.flow] });
  const resources = policyOf(synthesized(stack)).Statement[0].Resource;
  expect(resources).toEqual([expect.stringMatching(/^\$\{aws_secretsmanager_secret\.ApiKey_Secret_[0-9A-F]{8}\.arn\}$/), other.secretArn]);
});

test('no statement grants on "*": the one wildcard is the streams of its own log group', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { kmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/k'] });
  const json = synthesized(stack);
  const document = policyOf(json);
  expect(allResources(document).filter((r) => r.includes('*'))).toEqual([`${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*`]);
  expect(document.Statement.flatMap((s) => s.Action as string | string[])).not.toContainEqual(expect.stringContaining('*'));
});
