import { buildModel, buildRuntime, onlyResource, parsedPolicy, synthesized, testStack, TerraformJson, thrownBy } from './fixtures';

// What keeps the request records the runtime's own: the KMS HMAC key only its role may use, the table's resource
// policy that denies item writes to everyone else, deletion protection, and the failure queue's encryption and policy.

function synthDefault(props = {}) {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack), props);
  return { runtime, json: synthesized(stack) };
}

const reference = (json: TerraformJson, type: string, attribute: string) => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
/** A field of the runtime role's ARN, as Terraform computes it at apply. */
const roleArnField = (json: TerraformJson, index: number) => `\${element(split(":", ${reference(json, 'aws_iam_role', 'arn').slice(2, -1)}), ${index})}`;

describe('the record key', () => {
  const { json, runtime } = synthDefault();

  test('is a KMS HMAC_256 key for generating and verifying MACs, with a 30-day deletion window and a description', () => {
    expect(onlyResource(json, 'aws_kms_key')).toEqual({
      description: 'symtail runtime symtail-main-Runtime: MACs of its request records, made and checked by its role alone',
      customer_master_key_spec: 'HMAC_256',
      key_usage: 'GENERATE_VERIFY_MAC',
      deletion_window_in_days: 30,
      policy: expect.any(String),
      tags: { SymEnv: 'main' },
    });
    expect(runtime.recordKey.friendlyUniqueId).toBe(Object.keys(json.resource.aws_kms_key)[0]);
  });

  test("has a policy that lets the account administer it without MACs, lets only the runtime's role MAC (HMAC-SHA-256), and denies MACs to everyone else", () => {
    const role = reference(json, 'aws_iam_role', 'arn');
    expect(parsedPolicy(onlyResource(json, 'aws_kms_key').policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: `arn:${roleArnField(json, 1)}:iam::${roleArnField(json, 4)}:root` },
          NotAction: ['kms:GenerateMac', 'kms:VerifyMac'],
          Resource: '*',
        },
        {
          Sid: 'RuntimeMacsRecords',
          Effect: 'Allow',
          Principal: { AWS: role },
          Action: ['kms:GenerateMac', 'kms:VerifyMac'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
        },
        {
          Sid: 'NobodyElseMacsRecords',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['kms:GenerateMac', 'kms:VerifyMac'],
          Resource: '*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': role } },
        },
      ],
    });
  });

  test('reaches the function in SYMTAIL_RECORD_KEY, and the role may MAC with it and no other key', () => {
    const fn = onlyResource(json, 'aws_lambda_function') as { environment: { variables: Record<string, string> } };
    expect(fn.environment.variables.SYMTAIL_RECORD_KEY).toBe(reference(json, 'aws_kms_key', 'arn'));
    const main = Object.values(json.resource.aws_iam_role_policy).find((p) => p.name === 'symtail-runtime')!;
    const macs = parsedPolicy(main.policy).Statement.filter((s) => JSON.stringify(s.Action).includes('Mac'));
    expect(macs).toEqual([
      { Sid: 'MacRequestRecords', Effect: 'Allow', Action: ['kms:GenerateMac', 'kms:VerifyMac'], Resource: reference(json, 'aws_kms_key', 'arn') },
    ]);
  });
});

describe('the requests table', () => {
  test("has a resource policy that denies every item write to every principal but the runtime's role, and nothing else", () => {
    const { json } = synthDefault();
    const policy = onlyResource(json, 'aws_dynamodb_resource_policy');
    const table = reference(json, 'aws_dynamodb_table', 'arn');
    expect(policy.resource_arn).toBe(table);
    expect(parsedPolicy(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyTheRuntimeWritesRequests',
          Effect: 'Deny',
          Principal: '*',
          Action: [
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:PartiQLInsert',
            'dynamodb:PartiQLUpdate',
            'dynamodb:PartiQLDelete',
          ],
          Resource: table,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': reference(json, 'aws_iam_role', 'arn') } },
        },
      ],
    });
  });

  test('the item writes the runtime itself makes are among those denied to others, so none is left open', () => {
    const { json } = synthDefault();
    const main = Object.values(json.resource.aws_iam_role_policy).find((p) => p.name === 'symtail-runtime')!;
    const runtimeWrites = (parsedPolicy(main.policy).Statement.find((s) => s.Sid === 'ReadWriteRequests')!.Action as string[]).filter((a) =>
      /Put|Update|Delete|Write/.test(a),
    );
    const denied = parsedPolicy(onlyResource(json, 'aws_dynamodb_resource_policy').policy).Statement[0].Action;
    expect(denied).toEqual(expect.arrayContaining(runtimeWrites));
  });

  test.each([
    [undefined, true],
    [true, true],
    [false, false],
  ])('requestsTableDeletionProtection %s: deletion protection %s', (prop, expected) => {
    const { json } = synthDefault(prop === undefined ? {} : { requestsTableDeletionProtection: prop });
    expect(onlyResource(json, 'aws_dynamodb_table').deletion_protection_enabled).toBe(expected);
  });

  test('a deletion protection that is not a boolean is refused, naming the prop', () => {
    const stack = testStack();
    expect(thrownBy(() => buildRuntime(stack, buildModel(stack), { requestsTableDeletionProtection: 'yes' as never })).message).toBe(
      '[stack/Runtime] requestsTableDeletionProtection: expected true or false, got "yes"',
    );
  });
});

describe('the failure queue', () => {
  const { json } = synthDefault();

  test('is encrypted with SQS-managed keys and keeps a message 4 days', () => {
    expect(onlyResource(json, 'aws_sqs_queue')).toEqual({
      name: 'symtail-main-Runtime-failed',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 4 * 24 * 3600,
      tags: { SymEnv: 'main' },
    });
  });

  test("has a policy that denies sqs:SendMessage to every principal but the runtime's role, and leaves reading and redriving to IAM", () => {
    const policy = onlyResource(json, 'aws_sqs_queue_policy');
    expect(policy.queue_url).toBe(reference(json, 'aws_sqs_queue', 'url'));
    expect(parsedPolicy(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyTheRuntimeSendsFailures',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:SendMessage',
          Resource: reference(json, 'aws_sqs_queue', 'arn'),
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': reference(json, 'aws_iam_role', 'arn') } },
        },
      ],
    });
  });
});
