import { TerraformStack } from 'cdktf';
import { ISymSecret, SymFlow, SymIntegration, SymSecret, SymStrategy } from '../../lib/constructs';
import { buildModel, buildRuntime, defaultEventBusOf, onlyResource, parsedPolicy, synthesized, testStack, TerraformJson } from './fixtures';

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: ReadonlyArray<{ Sid: string; Effect: string; Action: unknown; Resource: unknown }>;
}

/** The runtime role's main inline policy (`name`), or another of its inline policies. */
function policyOf(json: TerraformJson, name = 'symtail-runtime'): PolicyDocument {
  const policies = Object.values(json.resource.aws_iam_role_policy).filter((p) => p.name === name);
  if (policies.length !== 1) throw new Error(`expected one role policy named ${name}, found ${policies.length}`);
  return parsedPolicy(policies[0].policy) as unknown as PolicyDocument;
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

/**
 * The request store's statements: exactly the calls it makes, on its own table and its one index, and the MACs of its
 * records, on its own key.
 */
function requestStatements(json: TerraformJson) {
  const table = ref(json, 'aws_dynamodb_table', 'arn');
  return [
    { Sid: 'ReadWriteRequests', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'], Resource: table },
    { Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: ref(json, 'aws_sqs_queue', 'arn') },
    { Sid: 'QueryOpenRequests', Effect: 'Allow', Action: 'dynamodb:Query', Resource: [`${table}/index/open-by-due`, `${table}/index/unpublished-events`] },
    { Sid: 'PublishRequestEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: defaultEventBusOf(ref(json, 'aws_cloudwatch_log_group', 'arn')) },
    { Sid: 'MacRequestRecords', Effect: 'Allow', Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: ref(json, 'aws_kms_key', 'arn') },
  ];
}

/** `iam:GetRole` on the roles under Identity Center's path in the role's own partition and account, as Terraform computes them. */
function identityCenterStatement(json: TerraformJson) {
  const field = (i: number) => `\${element(split(":", ${ref(json, 'aws_iam_role', 'arn').slice(2, -1)}), ${i})}`;
  return {
    Sid: 'ConfirmIdentityCenterRoles',
    Effect: 'Allow',
    Action: 'iam:GetRole',
    Resource: `arn:${field(1)}:iam::${field(4)}:role/aws-reserved/sso.amazonaws.com/*`,
  };
}

test('the role may read exactly the referenced secret, write its own log group, its own requests table and its failure queue, MAC with its own key, read Identity Center roles, nothing else', () => {
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
      identityCenterStatement(json),
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
    identityCenterStatement(json),
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

test('no statement grants on "*": the wildcards are the streams of its own log group and the roles under Identity Center\'s path', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { kmsKeyArns: ['arn:aws:kms:us-east-1:123456789012:key/k'] });
  const json = synthesized(stack);
  const document = policyOf(json);
  expect(allResources(document).filter((r) => r.includes('*'))).toEqual([
    `${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*`,
    identityCenterStatement(json).Resource,
  ]);
  expect(document.Statement.flatMap((s) => s.Action as string | string[])).not.toContainEqual(expect.stringContaining('*'));
});

test('iam:GetRole is granted only when a principal rule is an identityCenter rule', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { principals: [{ arn: 'arn:aws:iam::111122223333:user/ci', email: 'ci@example.com' }] });
  const json = synthesized(stack);
  expect(policyOf(json).Statement.map((s) => s.Sid)).not.toContain('ConfirmIdentityCenterRoles');
  expect(JSON.stringify(json)).not.toContain('iam:GetRole');
});

test("the runtime may read its own function URL's config, on its own ARN, in a policy of its own that the requests URL waits for", () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack));
  const json = synthesized(stack);
  expect(policyOf(json, 'symtail-runtime-url')).toEqual({
    Version: '2012-10-17',
    Statement: [{ Sid: 'ReadOwnFunctionUrl', Effect: 'Allow', Action: 'lambda:GetFunctionUrlConfig', Resource: ref(json, 'aws_lambda_function', 'arn') }],
  });
  const [urlPolicyKey] = Object.entries(json.resource.aws_iam_role_policy).find(([, p]) => p.name === 'symtail-runtime-url')!;
  // The function waits for the main policy only: with this one too, the two would wait for each other.
  expect(onlyResource(json, 'aws_lambda_function').depends_on).not.toContain(`aws_iam_role_policy.${urlPolicyKey}`);
  expect(onlyResource(json, 'aws_lambda_function_url').depends_on).toEqual([`aws_iam_role_policy.${urlPolicyKey}`]);
});

test('events:PutEvents is granted on exactly the bus eventBusArn names, which the function is told; an ARN that is not a bus is refused naming the prop', () => {
  const busArn = 'arn:aws:events:eu-west-1:111122223333:event-bus/symtail-requests';
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), { eventBusArn: busArn });
  const json = synthesized(stack);
  expect(policyOf(json).Statement.filter((s) => JSON.stringify(s.Action).includes('events:'))).toEqual([
    { Sid: 'PublishRequestEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn },
  ]);
  expect((onlyResource(json, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables.SYMTAIL_EVENT_BUS).toBe(busArn);

  const other = testStack();
  expect(() => buildRuntime(other, buildModel(other), { eventBusArn: 'arn:aws:sqs:eu-west-1:111122223333:queue' })).toThrow(
    /eventBusArn: expected an EventBridge bus ARN \(arn:aws:events:<region>:<account>:event-bus\/<name>\)/,
  );
});

test("without eventBusArn the function puts its events on its account's default bus, and may put them nowhere else", () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack));
  const json = synthesized(stack);
  expect((onlyResource(json, 'aws_lambda_function').environment as { variables: Record<string, string> }).variables.SYMTAIL_EVENT_BUS).toBe(
    defaultEventBusOf(ref(json, 'aws_cloudwatch_log_group', 'arn')),
  );
});
