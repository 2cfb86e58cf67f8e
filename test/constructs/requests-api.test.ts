import { AnnotationMetadataEntryType } from 'cdktf';
import { IConstruct } from 'constructs';
import { REQUESTS_TABLE } from '../../lib/requests';
import { buildModel, buildRuntime, onlyResource, synthesized, testStack, TerraformJson } from './fixtures';

const reference = (json: TerraformJson, type: string, attribute: string) => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;

const warningsOf = (runtime: IConstruct) => runtime.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));

function synthDefault() {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  return { runtime, json: synthesized(stack) };
}

test('the requests table: on demand, point-in-time recovery, TTL, deletion protection, the index of open requests by due time, and the index of requests with unpublished events', () => {
  const { json } = synthDefault();
  expect(onlyResource(json, 'aws_dynamodb_table')).toEqual({
    name: 'symtail-main-Runtime-requests',
    billing_mode: 'PAY_PER_REQUEST',
    hash_key: REQUESTS_TABLE.key,
    attribute: [
      { name: 'id', type: 'S' },
      { name: 'openState', type: 'S' },
      { name: 'due', type: 'S' },
      { name: 'eventsPending', type: 'S' },
    ],
    global_secondary_index: [
      { name: 'open-by-due', hash_key: 'openState', range_key: 'due', projection_type: 'ALL' },
      { name: 'unpublished-events', hash_key: 'eventsPending', projection_type: 'ALL' },
    ],
    point_in_time_recovery: { enabled: true },
    ttl: { attribute_name: 'expiresAt', enabled: true },
    deletion_protection_enabled: true,
    tags: { SymEnv: 'main' },
  });
});

test('the requests API is a function URL with AWS_IAM auth, and needs no resource policy for callers of its own account', () => {
  const { json } = synthDefault();
  expect(onlyResource(json, 'aws_lambda_function_url')).toEqual({
    function_name: reference(json, 'aws_lambda_function', 'function_name'),
    authorization_type: 'AWS_IAM',
    depends_on: [expect.stringMatching(/^aws_iam_role_policy\.Runtime_UrlConfigPolicy_/)],
  });
  // Only the schedule's statement: same-account callers are allowed by their own identity policies.
  expect(Object.values(json.resource.aws_lambda_permission).map((p) => p.principal)).toEqual(['events.amazonaws.com']);
});

test('each other account a principal rule names gets InvokeFunctionUrl (AWS_IAM) only: no InvokeFunction without the via-URL condition', () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack), {
    principals: [
      { arn: 'arn:aws:iam::444455556666:user/ci', email: 'ci@example.com' },
      { identityCenter: { accounts: ['777788889999', '444455556666'], permissionSets: ['Engineers'] } },
    ],
  });
  const json = synthesized(stack);
  const statements = Object.values(json.resource.aws_lambda_permission)
    .filter((p) => p.principal !== 'events.amazonaws.com')
    .map((p) => [p.principal, p.action, p.function_url_auth_type ?? null])
    .sort((a, b) => String(a).localeCompare(String(b)));
  expect(statements).toEqual([
    ['444455556666', 'lambda:InvokeFunctionUrl', 'AWS_IAM'],
    ['777788889999', 'lambda:InvokeFunctionUrl', 'AWS_IAM'],
  ]);
  expect(warningsOf(runtime)).toContainEqual(
    expect.stringContaining(
      '[stack/Runtime] principals: name accounts 444455556666, 777788889999: each gets lambda:InvokeFunctionUrl (AWS_IAM) in the ' +
        "function's resource policy, but since October 2025 a function URL also needs lambda:InvokeFunction, which for another " +
        'account must carry the condition lambda:InvokedViaFunctionUrl = true',
    ),
  );
});

test('rules naming no account are not warned about other accounts, but every runtime warns once about direct invocation', () => {
  const { runtime } = synthDefault();
  expect(warningsOf(runtime)).toEqual([
    expect.stringContaining('[stack/Runtime] principals[0].identityCenter.permissionSets: none given'),
    expect.stringContaining(
      '[stack/Runtime] principals: any principal with lambda:InvokeFunction on the runtime not conditioned on lambda:InvokedViaFunctionUrl',
    ),
    expect.stringContaining('[stack/Runtime] alarmTopic: false and alarmActions is empty'),
  ]);
});

test.each([
  'arn:aws:sts::111122223333:assumed-role/platform-ci/alice@example.com',
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/alice@example.com',
])('an exact-ARN rule naming the assumed-role session %s is refused at synth, naming the prop', (arn) => {
  const stack = testStack();
  expect(() => buildRuntime(stack, buildModel(stack), { principals: [{ identityCenter: {} }, { arn, email: 'alice@example.com' }] })).toThrow(
    `[stack/Runtime] principals[1].arn: ${arn} is an assumed-role session, whose session name whoever assumes the role chooses`,
  );
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
  const everyRuntimesWarnings = ['not conditioned on lambda:InvokedViaFunctionUrl', 'identityCenter.permissionSets: none given', 'alarmActions is empty'];
  expect(warningsOf(runtime).filter((w) => !everyRuntimesWarnings.some((known) => w.includes(known)))).toEqual([
    expect.stringContaining(`[stack/Runtime] ${warning}`),
  ]);
});

describe('Identity Center rules', () => {
  const OTHER = '444455556666';
  const findings = (identityCenter: { accounts?: string[]; permissionSets?: string[] }) => {
    const stack = testStack();
    try {
      const runtime = buildRuntime(stack, buildModel(stack), {
        principals: [{ arn: 'arn:aws:iam::111122223333:user/ci', email: 'ci@example.com' }, { identityCenter }],
      });
      return { error: undefined, warnings: warningsOf(runtime).filter((w) => w.includes('identityCenter')) };
    } catch (error) {
      return { error: (error as Error).message, warnings: [] };
    }
  };

  test("a rule naming other accounts without permission sets is refused at synth, naming the prop: there a role's name is all the runtime can check", () => {
    expect(findings({ accounts: [OTHER] }).error).toBe(
      `[stack/Runtime] principals[1].identityCenter.permissionSets: expected the permission sets accepted in accounts ${OTHER}: there the runtime ` +
        "cannot confirm that a role is Identity Center's, so a rule accepting every permission set would accept any role named AWSReservedSSO_… that someone there creates",
    );
  });

  test.each<[string, { accounts?: string[]; permissionSets?: string[] }, string[]]>([
    [
      'other accounts with permission sets: the path cannot be confirmed there',
      { accounts: [OTHER, '777788889999'], permissionSets: ['Engineers', 'Oncall'] },
      [
        `[stack/Runtime] principals[1].identityCenter.accounts: ${OTHER}, 777788889999: the runtime can confirm a role's IAM path ` +
          '(/aws-reserved/sso.amazonaws.com/) only in its own account, so in these it trusts the role name AWSReservedSSO_<Engineers|Oncall>_…; ' +
          'deny iam:CreateRole of such names there by SCP',
      ],
    ],
    [
      'the own account, any permission set: every set is accepted',
      {},
      [
        "[stack/Runtime] principals[1].identityCenter.permissionSets: none given: every permission set of the function's account is accepted, " +
          'each session as the email it is named for; name the sets whose users may request and approve',
      ],
    ],
    ['the own account, named permission sets: nothing to say', { permissionSets: ['Engineers'] }, []],
  ])('%s', (_what, identityCenter, warnings) => {
    expect(findings(identityCenter)).toEqual({ error: undefined, warnings });
  });
});
