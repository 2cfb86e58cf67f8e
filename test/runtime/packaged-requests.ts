import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import {
  EMULATOR_API_KEY,
  FakeSecretsManager,
  functionUrlEvent,
  IamStandIn,
  identityCenterArn,
  KmsStandIn,
  LocalDynamoDb,
  recordKeyEnvironment,
  recordKeyStandIn,
  TailnetEmulator,
} from '../../lib/testing';
import { PackagedFunction, StandIns } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';

/**
 * The SSH-access example's synthesized zip, unpacked, with what it runs against: the tailnet emulator, Secrets
 * Manager, a local DynamoDB (dynalite) holding its requests table, a KMS stand-in holding its record key, and IAM
 * holding the Identity Center roles of alice, bob, carol and mallory (the callers the runtime confirms).
 */
export interface PackagedRequests {
  readonly pkg: PackagedFunction;
  readonly emulator: TailnetEmulator;
  readonly secrets: FakeSecretsManager;
  readonly dynamo: LocalDynamoDb;
  readonly kms: KmsStandIn;
  readonly iam: IamStandIn;
  /** Where the function's AWS calls go, and its record key, as the constructs set it. */
  readonly standIns: StandIns;
  stop(): Promise<void>;
}

export async function startPackagedRequests(): Promise<PackagedRequests> {
  const pkg = PackagedFunction.synthesize((app) => buildTailscaleSshAccess(app));
  const emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  const secrets = await FakeSecretsManager.start({ 'sym/main/tailscale-api-key': EMULATOR_API_KEY });
  const dynamo = await LocalDynamoDb.start([pkg.requestsTable]);
  const kms = await recordKeyStandIn();
  const iam = await IamStandIn.forCallers(['alice', 'bob', 'carol', 'mallory'].map((name) => identityCenterArn(`${name}@example.com`)));
  pkg.pointAt(emulator.url);
  const standIns: StandIns = { secretsManagerUrl: secrets.url, dynamoDbUrl: dynamo.url, kmsUrl: kms.url, iamUrl: iam.url, env: recordKeyEnvironment() };
  return {
    pkg,
    emulator,
    secrets,
    dynamo,
    kms,
    iam,
    standIns,
    stop: async () => {
      await Promise.all([emulator.stop(), secrets.stop(), dynamo.stop(), kms.stop(), iam.stop()]);
      pkg.dispose();
    },
  };
}

type Answer = { statusCode: number; body: string };
/** An HTTP answer's status and parsed JSON body. */
export const read = (answer: unknown) => ({ status: (answer as Answer).statusCode, body: JSON.parse((answer as Answer).body) });
/** A step of a run: a requests-API call by `caller`. */
export const call = (caller: string, body: object) => ({ event: functionUrlEvent(caller, body) });
