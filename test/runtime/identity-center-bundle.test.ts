import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import { EMULATOR_API_KEY, FakeSecretsManager, functionUrlEvent, IamStandIn, IamStandInOptions, IDENTITY_CENTER_PATH, identityCenterArn, LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
import { PackagedFunction, StandIns } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';

// The synthesized zip of the example, run in fresh Node processes as Lambda runs it: a role anyone with
// iam:CreateRole could make, named like Identity Center's and assumed with bob's email as its session name, does not
// make its caller bob. The runtime asks IAM for the role's path; only Identity Center makes roles under its own.

const ALICE = identityCenterArn('alice@example.com');
const BOB = identityCenterArn('bob@example.com');
/** bob's email as the session name of a role someone made: `AWSReservedSSO_Anything_0123456789abcdef` at `/`. */
const FORGED_BOB = identityCenterArn('bob@example.com', undefined, 'Anything');
const FORGED_ROLE = 'AWSReservedSSO_Anything_0123456789abcdef';

let pkg: PackagedFunction;
let emulator: TailnetEmulator;
let secrets: FakeSecretsManager;
let dynamo: LocalDynamoDb;

type Answer = { statusCode: number; body: string };
const read = (answer: unknown) => ({ status: (answer as Answer).statusCode, body: JSON.parse((answer as Answer).body) });
/** One call of the requests API by `caller`: the one place the caller's identity enters the event. */
const call = (caller: string, body: object) => ({ event: functionUrlEvent(caller, body) });

beforeAll(async () => {
  pkg = PackagedFunction.synthesize((app) => buildTailscaleSshAccess(app));
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  secrets = await FakeSecretsManager.start({ 'sym/main/tailscale-api-key': EMULATOR_API_KEY });
  dynamo = await LocalDynamoDb.start([pkg.requestsTable]);
  pkg.pointAt(emulator.url);
});
afterAll(async () => {
  await Promise.all([emulator.stop(), secrets.stop(), dynamo.stop()]);
  pkg.dispose();
});

test.each<[string, IamStandInOptions['readablePathPrefix']]>([
  ['IAM shows the self-made role at "/" (the runtime sees its path)', undefined],
  ['IAM denies reading it (the runtime may read only Identity Center\'s path, as its policy says)', IDENTITY_CENTER_PATH],
])('a self-made AWSReservedSSO_ role assumed as bob is refused 403 not-identity-center and writes nothing; the genuine bob approves: %s', async (_what, readablePathPrefix) => {
  const iam = await IamStandIn.forCallers([ALICE, BOB], { readablePathPrefix });
  iam.addRole({ name: FORGED_ROLE, path: '/' });
  const standIns: StandIns = { secretsManagerUrl: secrets.url, dynamoDbUrl: dynamo.url, iamUrl: iam.url };
  try {
    const { results: [requested] } = await pkg.run([call(ALICE, { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' })], standIns);
    const id: string = read(requested).body.request.id;
    const [policyWrites, storeWrites] = [emulator.writes, dynamo.writes.length];

    const forged = await pkg.run([call(FORGED_BOB, { action: 'approve', requestId: id })], standIns);
    expect(read(forged.results[0])).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'not-identity-center', message: expect.stringContaining(`the caller's role ${FORGED_ROLE} is named like an IAM Identity Center role but is not one`) } },
    });
    expect(forged.audit).toEqual([expect.objectContaining({ action: 'invalid', outcome: 'rejected', caller: FORGED_BOB, error: expect.objectContaining({ code: 'not-identity-center' }) })]);
    expect([emulator.writes, dynamo.writes.length]).toEqual([policyWrites, storeWrites]);
    expect(iam.calls).toContain(FORGED_ROLE);

    const genuine = await pkg.run([call(BOB, { action: 'approve', requestId: id })], standIns);
    expect(read(genuine.results[0])).toMatchObject({ status: 200, body: { ok: true, request: { id, state: 'escalated', approvals: [{ actor: { arn: BOB, email: 'bob@example.com' } }] } } });
    await pkg.run([call(ALICE, { action: 'revoke', requestId: id })], standIns);
  } finally {
    await iam.stop();
  }
});

test('with IAM unreachable, an Identity Center caller of the function\'s account gets 503 identity-unavailable and nothing is written', async () => {
  const gone = await IamStandIn.start();
  const standIns: StandIns = { secretsManagerUrl: secrets.url, dynamoDbUrl: dynamo.url, iamUrl: gone.url };
  await gone.stop();
  const storeWrites = dynamo.writes.length;
  const { results, audit } = await pkg.run([call(ALICE, { action: 'requests' })], standIns);
  expect(read(results[0])).toMatchObject({ status: 503, body: { ok: false, error: { code: 'identity-unavailable' } } });
  expect(audit).toEqual([expect.objectContaining({ outcome: 'failed', caller: ALICE, error: expect.objectContaining({ code: 'identity-unavailable' }) })]);
  expect(dynamo.writes.length).toBe(storeWrites);
});
