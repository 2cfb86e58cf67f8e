import { credentialFor, IamStandIn, IamStandInOptions, IDENTITY_CENTER_PATH, identityCenterArn, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';
import { StandIns, Step } from '../../scripts/packaged-function';

// The synthesized zip of the example, run in fresh Node processes as Lambda runs it: a role anyone with
// iam:CreateRole could make, named like Identity Center's and assumed with bob's email as its session name, does not
// make its caller bob. STS vouches for the session (the proof is genuine); the runtime then asks IAM for the role's
// path, and only Identity Center makes roles under its own.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
/** bob's email as the session name of a role someone made: `AWSReservedSSO_Anything_0123456789abcdef` at `/`. */
const FORGED_BOB = credentialFor(identityCenterArn('bob@example.com', undefined, 'Anything'));
const FORGED_ROLE = 'AWSReservedSSO_Anything_0123456789abcdef';

let env: PackagedRequests;
const call = (caller: StandInCredential, body: Record<string, unknown>): Step => provenCall(env.sts, caller, body);
/** The requests in the table as stored, version by id: what a refused call must leave as it was. */
const requestVersions = async () => Object.fromEntries(Object.entries(await env.requestItems()).map(([id, item]) => [id, JSON.stringify(item)]));

beforeAll(async () => {
  env = await startPackagedRequests([ALICE, BOB, FORGED_BOB]);
});
afterAll(() => env.stop());

test.each<[string, IamStandInOptions['readablePathPrefix']]>([
  ['IAM shows the self-made role at "/" (the runtime sees its path)', undefined],
  ["IAM denies reading it (the runtime may read only Identity Center's path, as its policy says)", IDENTITY_CENTER_PATH],
])(
  'a self-made AWSReservedSSO_ role assumed as bob is refused 403 not-identity-center and writes nothing; the genuine bob approves: %s',
  async (_what, readablePathPrefix) => {
    const iam = await IamStandIn.forCallers([ALICE.arn, BOB.arn], { readablePathPrefix });
    iam.addRole({ name: FORGED_ROLE, path: '/' });
    const standIns: StandIns = { ...env.standIns, iamUrl: iam.url };
    try {
      const {
        results: [requested],
      } = await env.pkg.run(
        [call(ALICE, { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' })],
        standIns,
      );
      const id: string = read(requested).body.request.id;
      const [policyWrites, before] = [env.emulator.writes, await requestVersions()];

      const forged = await env.pkg.run([call(FORGED_BOB, { action: 'approve', requestId: id })], standIns);
      expect(read(forged.results[0])).toEqual({
        status: 403,
        body: {
          ok: false,
          error: {
            code: 'not-identity-center',
            message: expect.stringContaining(`the caller's role ${FORGED_ROLE} is named like an IAM Identity Center role but is not one`),
          },
        },
      });
      expect(forged.audit).toEqual([
        expect.objectContaining({
          action: 'approve',
          outcome: 'rejected',
          caller: FORGED_BOB.arn,
          error: expect.objectContaining({ code: 'not-identity-center' }),
        }),
      ]);
      expect([env.emulator.writes, await requestVersions()]).toEqual([policyWrites, before]);
      expect(iam.calls).toContain(FORGED_ROLE);

      const genuine = await env.pkg.run([call(BOB, { action: 'approve', requestId: id })], standIns);
      expect(read(genuine.results[0])).toMatchObject({
        status: 200,
        body: { ok: true, request: { id, state: 'escalated', approvals: [{ actor: { arn: BOB.arn, email: 'bob@example.com' } }] } },
      });
      await env.pkg.run([call(ALICE, { action: 'revoke', requestId: id })], standIns);
    } finally {
      await iam.stop();
    }
  },
);

test("with IAM unreachable, an Identity Center caller of the function's account gets 503 identity-unavailable and nothing is written", async () => {
  const gone = await IamStandIn.start();
  const standIns: StandIns = { ...env.standIns, iamUrl: gone.url };
  await gone.stop();
  const before = await requestVersions();
  const { results, audit } = await env.pkg.run([call(ALICE, { action: 'requests' })], standIns);
  expect(read(results[0])).toMatchObject({ status: 503, body: { ok: false, error: { code: 'identity-unavailable' } } });
  expect(audit).toEqual([expect.objectContaining({ outcome: 'failed', caller: ALICE.arn, error: expect.objectContaining({ code: 'identity-unavailable' }) })]);
  expect(await requestVersions()).toEqual(before);
});
