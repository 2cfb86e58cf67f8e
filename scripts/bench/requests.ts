import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbRequestStore, KmsMacKey, RecordSeal } from '../../lib/requests';
import { AccessEngine, EngineRequestAccess, iamRoleLookup, IdentityCenterRoles, wireRequests } from '../../lib/runtime';
import { FUNCTION_ARN, functionUrlEvent, IamStandIn, identityCenterArn, LOCAL_RECORD_KEY, LocalDynamoDb, recordKeyStandIn, TailnetEmulator } from '../../lib/testing';
import { exampleManifest } from '../fixtures/example-manifest';
import { EMULATOR_KEY_CREDENTIALS } from './bench-engine';
import { BenchSettings, FigureResult, ms } from './figure';
import { EXAMPLE_POLICY_FILE } from './repo-paths';
import { median, percentile, round3 } from './stats';

const TABLE = 'bench-requests';
const ALICE = identityCenterArn('alice@example.com');
const BOB = identityCenterArn('bob@example.com');

type Answer = { statusCode: number; body: string };

/**
 * Figure 7: a request's life through the requests API, in-process over real HTTP: the function URL events the
 * handler serves, the request store on a local DynamoDB (dynalite), records sealed with a KMS stand-in's HMAC key,
 * IAM confirming the callers' Identity Center roles (once per role: a container keeps the verdict) and the tailnet
 * emulator with its delay. Times `request` and the `approve` that completes the quorum and escalates, and counts the
 * DynamoDB and KMS calls of one life (request, approve, and the sweep that ends it) in one warm container: records it
 * sealed itself verify without another KMS call.
 */
export async function requestsFigure(settings: BenchSettings): Promise<FigureResult> {
  const emulator = await TailnetEmulator.start({ policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'), latencyMs: settings.delayMs });
  const dynamo = await LocalDynamoDb.start([TABLE]);
  const kms = await recordKeyStandIn();
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const iam = await IamStandIn.forCallers([ALICE, BOB]);
  const iamClient = new IAMClient(iam.clientConfig);
  const kmsClient = new KMSClient({ endpoint: kms.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const clock = { offsetMs: 0 };
    const engine = new AccessEngine({
      manifest: exampleManifest(emulator.url),
      credentials: EMULATOR_KEY_CREDENTIALS,
      audit: () => undefined,
      now: () => new Date(Date.now() + clock.offsetMs),
    });
    const identityCenter = new IdentityCenterRoles(iamRoleLookup(iamClient));
    const { route, service } = wireRequests(
      engine,
      {
        store: new DynamoDbRequestStore(TABLE, client),
        access: new EngineRequestAccess(engine),
        seal: new RecordSeal(new KmsMacKey(LOCAL_RECORD_KEY.arn, kmsClient)),
        audit: () => undefined,
      },
      identityCenter,
    );
    const call = async (caller: string, body: object) => {
      // The context Lambda passes: the function's own account comes from it, never from the event.
      const answer = (await route.handle(functionUrlEvent(caller, body), { invokedFunctionArn: FUNCTION_ARN, getRemainingTimeInMillis: () => 900_000 })) as Answer;
      const parsed = JSON.parse(answer.body);
      if (answer.statusCode !== 200) throw new Error(`${JSON.stringify(body)}: HTTP ${answer.statusCode} ${answer.body}`);
      return parsed.request as { id: string; state: string };
    };
    const lives = settings.quick ? 5 : 20;
    const requestMs: number[] = [];
    const approveMs: number[] = [];
    const dynamoCalls: number[] = [];
    const kmsCalls: number[] = [];
    for (let i = 0; i < lives + 2; i++) {
      const target = i % 2 === 0 ? 'main-prod-access' : 'main-staging-access';
      const before = dynamo.calls.length;
      const kmsBefore = kms.calls.length;
      let start = performance.now();
      const created = await call(ALICE, { action: 'request', flow: 'tailscale-ssh-access', target, duration: '30m', reason: `bench ${i}` });
      const requested = performance.now() - start;
      start = performance.now();
      const approved = await call(BOB, { action: 'approve', requestId: created.id });
      const approving = performance.now() - start;
      if (approved.state !== 'escalated') throw new Error(`${created.id}: ${approved.state} after approval`);
      // Half an hour on, the sweep's part ends it: the grant is removed by the grant sweep, the request by the tick.
      clock.offsetMs += 31 * 60_000;
      await engine.sweep({ action: 'sweep' });
      const ticked = await service.tick(engine.now(), { grantsSwept: true });
      if (!ticked.ended.includes(created.id)) throw new Error(`${created.id}: not ended by the sweep`);
      // The first two lives warm the SDK's connections and the engine's caches.
      if (i < 2) continue;
      requestMs.push(requested);
      approveMs.push(approving);
      dynamoCalls.push(dynamo.calls.length - before);
      kmsCalls.push(kms.calls.length - kmsBefore);
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
        dynamoCallsPerLife: median(dynamoCalls),
        dynamoCallsByOperation: byOperation,
        // One per role (alice and bob share their permission set's), whatever the number of lives: the container keeps
        // IAM's verdict.
        iamGetRoleCalls: iam.calls.length,
        kmsCallsPerLife: median(kmsCalls),
        kmsCallsByOperation: { GenerateMac: kms.count('GenerateMac'), VerifyMac: kms.count('VerifyMac') },
      },
      rows: [
        { metric: 'request answered (store write, no tailnet call)', value: ms(percentile(requestMs, 50)) },
        { metric: `approve → escalated (the grant's read + write: 2 × ${settings.delayMs} ms delay)`, value: ms(percentile(approveMs, 50)) },
        { metric: 'request → approve → escalated, p50 / p95', value: `${ms(percentile(total, 50))} / ${ms(percentile(total, 95))}` },
        { metric: 'DynamoDB calls per request life (request, approve, sweep end)', value: String(median(dynamoCalls)) },
        { metric: 'KMS calls per request life (records sealed and verified)', value: String(median(kmsCalls)) },
      ],
    };
  } finally {
    client.destroy();
    iamClient.destroy();
    kmsClient.destroy();
    await Promise.all([emulator.stop(), dynamo.stop(), iam.stop(), kms.stop()]);
  }
}
