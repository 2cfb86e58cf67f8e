import { IAMClient } from '@aws-sdk/client-iam';
import { CONFIRMED_FOR_MS, iamRoleLookup, IdentityCenterRoles, REFUSED_FOR_MS, RoleLookup } from '../../lib/runtime';
import { IamStandIn, IDENTITY_CENTER_PATH } from '../../lib/testing';

const GENUINE = 'AWSReservedSSO_Engineers_0123456789abcdef';
const REGIONAL = 'AWSReservedSSO_Oncall_fedcba9876543210';
const SELF_MADE = 'AWSReservedSSO_Anything_0123456789abcdef';

// IAM as the runtime's policy lets it see the account: GetRole only under Identity Center's path, AccessDenied elsewhere.
let iam: IamStandIn;
beforeAll(async () => {
  iam = await IamStandIn.start({
    readablePathPrefix: IDENTITY_CENTER_PATH,
    roles: [
      { name: GENUINE, path: IDENTITY_CENTER_PATH },
      // Identity Center outside us-east-1 adds its region to the path.
      { name: REGIONAL, path: `${IDENTITY_CENTER_PATH}eu-west-1/` },
      { name: SELF_MADE, path: '/' },
    ],
  });
});
afterAll(() => iam.stop());

const lookup = (url = iam.url) => iamRoleLookup(new IAMClient({ ...iam.clientConfig, endpoint: url, maxAttempts: 1 }));
function container(roleLookup: RoleLookup = lookup()) {
  const clock = { ms: Date.parse('2026-12-01T09:00:00Z') };
  return { roles: new IdentityCenterRoles(roleLookup, () => clock.ms), clock };
}
const callsFor = (name: string) => iam.calls.filter((c) => c === name).length;

test.each([GENUINE, REGIONAL])("%s, under Identity Center's path (regional or not), is confirmed", async (name) => {
  await expect(container().roles.confirm(name)).resolves.toBeUndefined();
});

test('a self-made role outside the path, which the runtime may not even read, is not-identity-center (403)', async () => {
  await expect(container().roles.confirm(SELF_MADE)).rejects.toMatchObject({
    code: 'not-identity-center',
    httpStatus: 403,
    message: `the caller's role ${SELF_MADE} is named like an IAM Identity Center role but is not one: IAM does not show it under /aws-reserved/sso.amazonaws.com/, the only path the runtime may read`,
  });
});

test('a confirmation is kept per container for a while, then asked again', async () => {
  const { roles, clock } = container();
  const before = callsFor(GENUINE);
  await roles.confirm(GENUINE);
  clock.ms += CONFIRMED_FOR_MS - 1;
  await roles.confirm(GENUINE);
  expect(callsFor(GENUINE) - before).toBe(1);
  clock.ms += 1;
  await roles.confirm(GENUINE);
  expect(callsFor(GENUINE) - before).toBe(2);
});

test('a refusal is kept too, for a shorter time, so a flood of forged calls asks IAM once a minute', async () => {
  const { roles, clock } = container();
  const before = callsFor(SELF_MADE);
  for (let i = 0; i < 20; i++) await expect(roles.confirm(SELF_MADE)).rejects.toMatchObject({ code: 'not-identity-center' });
  expect(callsFor(SELF_MADE) - before).toBe(1);
  clock.ms += REFUSED_FOR_MS;
  await expect(roles.confirm(SELF_MADE)).rejects.toMatchObject({ code: 'not-identity-center' });
  expect(callsFor(SELF_MADE) - before).toBe(2);
});

test('concurrent confirmations of one role share one GetRole', async () => {
  const { roles } = container();
  const before = callsFor(REGIONAL);
  await Promise.all(Array.from({ length: 10 }, () => roles.confirm(REGIONAL)));
  expect(callsFor(REGIONAL) - before).toBe(1);
});

test('IAM unreachable is identity-unavailable (503), remembered by no one: the next call asks again and is confirmed', async () => {
  const gone = await IamStandIn.start();
  const goneUrl = gone.url;
  await gone.stop();
  let current = lookup(goneUrl);
  const { roles } = container((name) => current(name));
  await expect(roles.confirm(GENUINE)).rejects.toMatchObject({
    code: 'identity-unavailable',
    httpStatus: 503,
    message: expect.stringMatching(
      /^IAM could not be asked whether role AWSReservedSSO_Engineers_0123456789abcdef is an IAM Identity Center role \(\w+\); nothing was done, try again$/,
    ),
  });
  current = lookup();
  await expect(roles.confirm(GENUINE)).resolves.toBeUndefined();
});
