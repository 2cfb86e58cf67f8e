import { AnnotationMetadataEntryType } from 'cdktf';
import { REQUESTS_TABLE } from '../../lib/requests';
import { buildModel, buildRuntime, onlyResource, synthesized, testStack, TerraformJson } from './fixtures';

const reference = (json: TerraformJson, type: string, attribute: string) => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;

function synthDefault() {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  return { runtime, json: synthesized(stack) };
}

test('the requests table: on demand, point-in-time recovery, TTL, and the index of open requests by due time', () => {
  const { json } = synthDefault();
  expect(onlyResource(json, 'aws_dynamodb_table')).toEqual({
    name: 'symtail-main-Runtime-requests',
    billing_mode: 'PAY_PER_REQUEST',
    hash_key: REQUESTS_TABLE.key,
    attribute: [
      { name: 'id', type: 'S' },
      { name: 'openState', type: 'S' },
      { name: 'due', type: 'S' },
    ],
    global_secondary_index: [{ name: 'open-by-due', hash_key: 'openState', range_key: 'due', projection_type: 'ALL' }],
    point_in_time_recovery: { enabled: true },
    ttl: { attribute_name: 'expiresAt', enabled: true },
    tags: { SymEnv: 'main' },
  });
});

test('the requests API is a function URL with AWS_IAM auth, and needs no resource policy for callers of its own account', () => {
  const { json } = synthDefault();
  expect(onlyResource(json, 'aws_lambda_function_url')).toEqual({
    function_name: reference(json, 'aws_lambda_function', 'function_name'),
    authorization_type: 'AWS_IAM',
  });
  // Only the schedule's statement: same-account callers are allowed by their own identity policies.
  expect(Object.values(json.resource.aws_lambda_permission).map((p) => p.principal)).toEqual(['events.amazonaws.com']);
});

test('each other account a principal rule names gets both function URL statements', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), {
    principals: [
      { arn: 'arn:aws:iam::444455556666:role/ci', email: 'ci@example.com' },
      { identityCenter: { accounts: ['777788889999', '444455556666'] } },
    ],
  });
  const json = synthesized(stack);
  const statements = Object.values(json.resource.aws_lambda_permission)
    .filter((p) => p.principal !== 'events.amazonaws.com')
    .map((p) => [p.principal, p.action, p.function_url_auth_type ?? null])
    .sort((a, b) => String(a).localeCompare(String(b)));
  expect(statements).toEqual([
    ['444455556666', 'lambda:InvokeFunction', null],
    ['444455556666', 'lambda:InvokeFunctionUrl', 'AWS_IAM'],
    ['777788889999', 'lambda:InvokeFunction', null],
    ['777788889999', 'lambda:InvokeFunctionUrl', 'AWS_IAM'],
  ]);
});

test('the manifest carries the principal rules, lower-cased emails, and asserted identity off by default', () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack), {
    principals: [{ arn: 'arn:aws:iam::111122223333:user/CI', email: 'CI@Example.com' }, { identityCenter: { permissionSets: ['Engineers'] } }],
  });
  expect(runtime.manifest.requests).toEqual({
    principals: [
      { kind: 'arn', arn: 'arn:aws:iam::111122223333:user/CI', email: 'ci@example.com' },
      { kind: 'identityCenter', accounts: 'own', permissionSets: ['Engineers'] },
    ],
    allowAssertedIdentity: false,
  });
});

test.each([
  [{ allowAssertedIdentity: true }, 'allowAssertedIdentity: true: direct escalate/deescalate events are honoured'],
  [{ principals: [] }, 'principals: empty: the requests API maps no caller to an email'],
])('%j is warned about at synth', (props, warning) => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack), props);
  const warnings = runtime.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
  expect(warnings).toEqual([expect.stringContaining(`[stack/Runtime] ${warning}`)]);
});
