import { IAMClient } from '@aws-sdk/client-iam';
import { PrincipalRule } from '../../lib/manifest';
import { callerEmail, functionAccountOf, iamRoleLookup, IdentityCenterRoles } from '../../lib/runtime';
import { IamStandIn, IDENTITY_CENTER_PATH } from '../../lib/testing';

const OWN = '111122223333';
const sso = (account: string, set: string, session: string) => `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${set}_0123456789abcdef/${session}`;
const RULES: PrincipalRule[] = [
  { kind: 'arn', arn: 'arn:aws:iam::444455556666:role/platform-ci', email: 'platform-ci@example.com' },
  { kind: 'arn', arn: 'arn:aws:iam::444455556666:role/ci/deploy', email: 'deploy@example.com' },
  { kind: 'identityCenter', accounts: 'own', permissionSets: [] },
  { kind: 'identityCenter', accounts: ['777788889999'], permissionSets: ['Engineers'] },
];

// The function's account holds Identity Center's Admins role, and a look-alike anyone with iam:CreateRole could make.
let iam: IamStandIn;
beforeAll(async () => {
  iam = await IamStandIn.start({
    account: OWN,
    roles: [
      { name: 'AWSReservedSSO_Admins_0123456789abcdef', path: IDENTITY_CENTER_PATH },
      { name: 'AWSReservedSSO_Anything_0123456789abcdef', path: '/' },
    ],
  });
});
afterAll(() => iam.stop());

/** A container's verdicts, asking the IAM stand-in through the real SDK. */
const containerRoles = () => new IdentityCenterRoles(iamRoleLookup(new IAMClient(iam.clientConfig)));

test.each<[string, string, string | undefined]>([
  ['an exact ARN', 'arn:aws:iam::444455556666:role/platform-ci', 'platform-ci@example.com'],
  ["an Identity Center session in the function's account, email lower-cased", sso(OWN, 'Admins', 'Alice@Example.com'), 'alice@example.com'],
  ['an Identity Center session of an accepted permission set in a listed account', sso('777788889999', 'Engineers', 'bob@example.com'), 'bob@example.com'],
  ['a session of another permission set in the listed account', sso('777788889999', 'ReadOnly', 'bob@example.com'), undefined],
  ['a session in an account no rule names', sso('999999999999', 'Engineers', 'bob@example.com'), undefined],
  ['a session whose name is not an email', sso(OWN, 'Admins', 'alice'), undefined],
  ['a session name with two "@"', sso(OWN, 'Admins', 'a@b@example.com'), undefined],
  ['a non-ASCII session name', sso(OWN, 'Admins', 'zoë@example.com'), undefined],
  ['a role that only looks like Identity Center', `arn:aws:sts::${OWN}:assumed-role/AWSReservedSSO_Admins/alice@example.com`, undefined],
  ['an assumed role of another name', `arn:aws:sts::${OWN}:assumed-role/Admin/alice@example.com`, undefined],
  ['any session of a role an exact-ARN rule names', 'arn:aws:sts::444455556666:assumed-role/platform-ci/build-42', 'platform-ci@example.com'],
  ["a session of a role with a path, named by the role's name alone", 'arn:aws:sts::444455556666:assumed-role/deploy/run-7', 'deploy@example.com'],
  ['a session of a role of the same name in another account', 'arn:aws:sts::999999999999:assumed-role/platform-ci/build-42', undefined],
  ['a session of a role of the same name in another partition', 'arn:aws-us-gov:sts::444455556666:assumed-role/platform-ci/build-42', undefined],
  ['a session of a role whose name only starts like a named one', 'arn:aws:sts::444455556666:assumed-role/platform-ci-admin/build-42', undefined],
  ['an IAM user no rule names', `arn:aws:iam::${OWN}:user/alice@example.com`, undefined],
])('%s', async (_what, arn, expected) => {
  await expect(callerEmail(RULES, arn, OWN, containerRoles())).resolves.toBe(expected);
});

test('"own" means the function\'s account: without it no session is accepted by that rule', async () => {
  await expect(callerEmail(RULES, sso(OWN, 'Admins', 'alice@example.com'), undefined, containerRoles())).resolves.toBeUndefined();
  await expect(callerEmail([], sso(OWN, 'Admins', 'alice@example.com'), OWN, containerRoles())).resolves.toBeUndefined();
});

test.each<[string, string, RegExp]>([
  [
    'a self-made role of that name at "/"',
    'Anything',
    /AWSReservedSSO_Anything_0123456789abcdef is named like an IAM Identity Center role but is not one: its path is \/, not under \/aws-reserved\/sso\.amazonaws\.com\//,
  ],
  ['a role IAM does not have', 'Ghost', /AWSReservedSSO_Ghost_0123456789abcdef is named like an IAM Identity Center role but is not one: IAM has no such role/],
])("an Identity Center-looking session of the function's account whose role is %s is refused: not-identity-center, 403", async (_what, set, message) => {
  const refused = callerEmail(RULES, sso(OWN, set, 'bob@example.com'), OWN, containerRoles());
  await expect(refused).rejects.toMatchObject({ code: 'not-identity-center', httpStatus: 403, message: expect.stringMatching(message) });
});

test("IAM is asked only about sessions a rule accepts in the function's own account: never for exact ARNs, other accounts or unmapped callers", async () => {
  const before = iam.calls.length;
  const roles = containerRoles();
  await callerEmail(RULES, 'arn:aws:iam::444455556666:role/platform-ci', OWN, roles);
  await callerEmail(RULES, sso('777788889999', 'Engineers', 'bob@example.com'), OWN, roles);
  await callerEmail(RULES, sso('999999999999', 'Engineers', 'bob@example.com'), OWN, roles);
  await callerEmail(RULES, sso(OWN, 'Admins', 'not-an-email'), OWN, roles);
  expect(iam.calls.length).toBe(before);
  await callerEmail(RULES, sso(OWN, 'Admins', 'alice@example.com'), OWN, roles);
  expect(iam.calls.slice(before)).toEqual(['AWSReservedSSO_Admins_0123456789abcdef']);
});

test('a rule that names the function\'s own account explicitly is checked like "own"', async () => {
  const rules: PrincipalRule[] = [{ kind: 'identityCenter', accounts: [OWN], permissionSets: ['Anything'] }];
  await expect(callerEmail(rules, sso(OWN, 'Anything', 'bob@example.com'), OWN, containerRoles())).rejects.toMatchObject({ code: 'not-identity-center' });
});

test.each<[string, string | undefined, string | undefined]>([
  ['an unqualified function ARN', 'arn:aws:lambda:us-east-1:111122223333:function:symtail-main-runtime', '111122223333'],
  ['an alias-qualified function ARN', 'arn:aws-us-gov:lambda:us-gov-west-1:444455556666:function:f:live', '444455556666'],
  ['no invocation context', undefined, undefined],
  ["an ARN that is not a function's", 'arn:aws:iam::111122223333:role/f', undefined],
])("the function's own account comes from the invoked ARN: %s", (_what, arn, expected) => {
  expect(functionAccountOf(arn)).toBe(expected);
});
