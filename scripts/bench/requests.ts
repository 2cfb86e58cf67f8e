import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbProofLedger, DynamoDbRequestStore, KmsMacKey, RecordSeal } from '../../lib/requests';
import { AccessEngine, EngineRequestAccess, iamRoleLookup, IdentityCenterRoles, StsCallerIdentity, wireRequests } from '../../lib/runtime';
import {
  credentialFor,
  FUNCTION_ARN,
  FUNCTION_URL,
  IamStandIn,
  identityCenterArn,
  LOCAL_RECORD_KEY,
  LocalDynamoDb,
  OffsetClock,
  provenFunctionUrlEvent,
  recordKeyStandIn,
  StandInCredential,
  StsStandIn,
  TailnetEmulator,
} from '../../lib/testing';
import { exampleManifest } from '../fixtures/example-manifest';
import { EMULATOR_KEY_CREDENTIALS } from './bench-engine';
import { BenchSettings, FigureResult, ms } from './figure';
import { EXAMPLE_POLICY_FILE } from './repo-paths';
import { median, percentile, round3 } from './stats';

const TABLE = 'bench-requests';
const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));

type Answer = { statusCode: number; body: string };

/**
 * Figure 7: a request's life through the requests API, in-process over real HTTP: the function URL events the
 * handler serves, each with an identity proof the runtime sends to an STS stand-in, the request store (and the used
 * proofs) on a local DynamoDB (dynalite), records sealed with a KMS stand-in's HMAC key, IAM confirming the callers'
 * Identity Center roles (once per role: a container keeps the verdict) and the tailnet emulator with its delay. Times
 * `request` and the `approve` that completes the quorum and escalates, and counts the round trips of one life
 * (request, approve, and the sweep that ends it) per service, in one warm container: records it sealed itself verify
 * without another KMS call.
 */
export async function requestsFigure(settings: BenchSettings): Promise<FigureResult> {
  const emulator = await TailnetEmulator.start({ policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'), latencyMs: settings.delayMs });
  const dynamo = await LocalDynamoDb.start([TABLE]);
  const clock = new OffsetClock();
  const sts = await StsStandIn.start({ credentials: [ALICE, BOB], now: clock.now });
  const kms = await recordKeyStandIn();
  const iam = await IamStandIn.forCallers([ALICE.arn, BOB.arn]);
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const client = new DynamoDBClient({ endpoint: dynamo.url, ...local });
  const kmsClient = new KMSClient({ endpoint: kms.url, ...local });
  const iamClient = new IAMClient(iam.clientConfig);
  try {
    // The tailnet client keeps its copy of the policy file by the same clock: the half hour of a life passes for it too.
    const engine = new AccessEngine({
      manifest: exampleManifest(emulator.url),
      credentials: EMULATOR_KEY_CREDENTIALS,
      clientOptions: { now: () => clock.now().getTime() },
      audit: () => undefined,
      now: clock.now,
    });
    const identity = new StsCallerIdentity({
      ledger: new DynamoDbProofLedger(TABLE, client),
      ownUrlHost: async () => new URL(FUNCTION_URL).host,
      stsEndpointOverride: sts.url,
      now: clock.now,
    });
    const { route, service } = wireRequests({
      engine,
      identity,
      identityCenter: new IdentityCenterRoles(iamRoleLookup(iamClient)),
      store: new DynamoDbRequestStore(TABLE, client),
      access: new EngineRequestAccess(engine),
      seal: new RecordSeal(new KmsMacKey(LOCAL_RECORD_KEY.arn, kmsClient)),
      audit: () => undefined,
    });
    // The caller's part (signing the proof) happens before the clock starts: the figure is the runtime's answer.
    const timedCall = async (caller: StandInCredential, body: Record<string, unknown>) => {
      const event = await provenFunctionUrlEvent(caller, body, { sts: sts.url, at: clock.now() });
      const start = performance.now();
      // The context Lambda passes: the function's own account comes from it, never from the event.
      const answer = (await route.handle(event, { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 900_000 })) as Answer;
      const elapsed = performance.now() - start;
      if (answer.statusCode !== 200) throw new Error(`${JSON.stringify(body)}: HTTP ${answer.statusCode} ${answer.body}`);
      return { request: JSON.parse(answer.body).request as { id: string; state: string }, elapsed };
    };
    const lives = settings.quick ? 5 : 20;
    const requestMs: number[] = [];
    const approveMs: number[] = [];
    const perLife = { dynamoDb: [] as number[], sts: [] as number[], kms: [] as number[], tailscale: [] as number[] };
    for (let i = 0; i < lives + 2; i++) {
      const target = i % 2 === 0 ? 'main-prod-access' : 'main-staging-access';
      const before = { dynamoDb: dynamo.calls.length, sts: sts.calls.length, kms: kms.calls.length, tailscale: emulator.requests.length };
      const created = await timedCall(ALICE, { action: 'request', flow: 'tailscale-ssh-access', target, duration: '30m', reason: `bench ${i}` });
      const approved = await timedCall(BOB, { action: 'approve', requestId: created.request.id });
      if (approved.request.state !== 'escalated') throw new Error(`${created.request.id}: ${approved.request.state} after approval`);
      // Half an hour on, the sweep's part ends it: the grant is removed by the grant sweep, the request by the tick.
      clock.advance(31 * 60);
      await engine.sweep({ action: 'sweep' });
      const ticked = await service.tick(engine.now(), { grantsSwept: true });
      if (!ticked.ended.includes(created.request.id)) throw new Error(`${created.request.id}: not ended by the sweep`);
      // The first two lives warm the SDK's connections and the engine's caches.
      if (i < 2) continue;
      requestMs.push(created.elapsed);
      approveMs.push(approved.elapsed);
      perLife.dynamoDb.push(dynamo.calls.length - before.dynamoDb);
      perLife.sts.push(sts.calls.length - before.sts);
      perLife.kms.push(kms.calls.length - before.kms);
      perLife.tailscale.push(emulator.requests.length - before.tailscale);
    }
    const byOperation = dynamo.calls.reduce<Record<string, number>>((n, c) => ({ ...n, [c.operation]: (n[c.operation] ?? 0) + 1 }), {});
    const total = requestMs.map((r, i) => r + approveMs[i]);
    return {
      title: '7. Requests and approvals',
      json: {
        delayMs: settings.delayMs,
        lives,
        requestMsP50: round3(percentile(requestMs, 50)),
        approveToEscalatedMsP50: round3(percentile(approveMs, 50)),
        requestToEscalatedMsP50: round3(percentile(total, 50)),
        requestToEscalatedMsP95: round3(percentile(total, 95)),
        roundTripsPerLife: {
          dynamoDb: median(perLife.dynamoDb),
          sts: median(perLife.sts),
          kms: median(perLife.kms),
          tailscale: median(perLife.tailscale),
        },
        dynamoCallsByOperation: byOperation,
        kmsCallsByOperation: { GenerateMac: kms.count('GenerateMac'), VerifyMac: kms.count('VerifyMac') },
        // One per role (alice and bob share their permission set's), whatever the number of lives: the container keeps
        // IAM's verdict.
        iamGetRoleCalls: iam.calls.length,
      },
      rows: [
        { metric: 'request answered (STS proof check, proof record, sealed store write; no tailnet call)', value: ms(percentile(requestMs, 50)) },
        {
          metric: `approve → escalated (proof check, gate, the grant's write on the copy the sweep read: ${settings.delayMs} ms delay)`,
          value: ms(percentile(approveMs, 50)),
        },
        { metric: 'request → approve → escalated, p50 / p95', value: `${ms(percentile(total, 50))} / ${ms(percentile(total, 95))}` },
        {
          metric: 'round trips per request life (request, approve, sweep end): DynamoDB / STS / KMS / Tailscale',
          value: [perLife.dynamoDb, perLife.sts, perLife.kms, perLife.tailscale].map((n) => String(median(n))).join(' / '),
        },
      ],
    };
  } finally {
    client.destroy();
    kmsClient.destroy();
    iamClient.destroy();
    await Promise.all([emulator.stop(), dynamo.stop(), sts.stop(), kms.stop(), iam.stop()]);
  }
}
