import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import { SymValidationError } from '../../lib/constructs';
import { buildModel, buildRuntime, synthesized, testStack, thrownBy, TerraformJson } from './fixtures';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }] });

/** The caller policy, with the function's ARN as the Terraform reference synth writes. */
function callerPolicy(json: TerraformJson) {
  const functionArn = `\${aws_lambda_function.${Object.keys(json.resource.aws_lambda_function)[0]}.arn}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CallRequestsUrl',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: functionArn,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
      {
        Sid: 'InvokeThroughRequestsUrl',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: functionArn,
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      },
    ],
  };
}

test('grantRequest gives a role, a user and a group exactly the two conditioned invoke permissions on the runtime', () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  const role = new IamRole(stack, 'Engineers', { name: 'engineers', assumeRolePolicy: TRUST });
  const user = new IamUser(stack, 'Ci', { name: 'ci' });
  const group = new IamGroup(stack, 'Oncall', { name: 'oncall' });
  runtime.grantRequest(role);
  runtime.grantRequest(user);
  runtime.grantRequest(group);
  // What requestPolicy hands to anything else (an Identity Center permission set's inline policy), as synth resolves it.
  new TerraformOutput(stack, 'caller_policy', { value: runtime.requestPolicy, staticId: true });
  const json = synthesized(stack);
  const expected = callerPolicy(json);
  const granted = [
    ...Object.values(json.resource.aws_iam_role_policy).filter((p) => String(p.name).startsWith('symtail-request-')),
    ...Object.values(json.resource.aws_iam_user_policy),
    ...Object.values(json.resource.aws_iam_group_policy),
  ];
  expect(granted.map((p) => ({ ...p, policy: JSON.parse(p.policy as string) }))).toEqual([
    {
      name: 'symtail-request-symtail-main-Runtime',
      role: `\${aws_iam_role.${Object.keys(json.resource.aws_iam_role).find((k) => k.startsWith('Engineers'))}.name}`,
      policy: expected,
    },
    { name: 'symtail-request-symtail-main-Runtime', user: `\${aws_iam_user.${Object.keys(json.resource.aws_iam_user)[0]}.name}`, policy: expected },
    { name: 'symtail-request-symtail-main-Runtime', group: `\${aws_iam_group.${Object.keys(json.resource.aws_iam_group)[0]}.name}`, policy: expected },
  ]);
  expect(JSON.parse(json.output.caller_policy.value as string)).toEqual(expected);
});

test('granting one grantee twice adds one policy, and each runtime adds its own', () => {
  const stack = testStack();
  const model = buildModel(stack);
  const runtime = buildRuntime(stack, model);
  const other = buildRuntime(stack, model, { outputPrefix: 'other' }, 'Other');
  const role = new IamRole(stack, 'Engineers', { name: 'engineers', assumeRolePolicy: TRUST });
  expect(runtime.grantRequest(role)).toBe(runtime.grantRequest(role));
  other.grantRequest(role);
  const names = Object.values(synthesized(stack).resource.aws_iam_role_policy)
    .map((p) => p.name as string)
    .filter((n) => n.startsWith('symtail-request-'))
    .sort();
  expect(names).toEqual(['symtail-request-symtail-main-Other', 'symtail-request-symtail-main-Runtime']);
});

test("the grant uses the grantee's provider, so a role managed through an aliased provider gets it there", () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  const iam = new AwsProvider(stack, 'iam', { region: 'us-east-1', alias: 'iam' });
  runtime.grantRequest(new IamRole(stack, 'Engineers', { name: 'engineers', assumeRolePolicy: TRUST, provider: iam }));
  const granted = Object.values(synthesized(stack).resource.aws_iam_role_policy).find((p) => String(p.name).startsWith('symtail-request-'));
  expect(granted?.provider).toBe('aws.iam');
});

test('anything but an IAM role, user or group is refused, naming requestPolicy for the rest', () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  const error = thrownBy(() => runtime.grantRequest({ arn: 'arn:aws:iam::111122223333:role/engineers' } as never));
  expect(error).toBeInstanceOf(SymValidationError);
  expect(error.message).toBe(
    '[stack/Runtime] grantRequest(grantee): expected an IamRole, IamUser or IamGroup of @cdktf/provider-aws, got {"arn":"arn:aws:iam::111122223333:role/engineers"}; for anything else attach requestPolicy',
  );
});
