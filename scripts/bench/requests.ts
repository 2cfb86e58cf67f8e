import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbProofLedger, DynamoDbRequestStore } from '../../lib/requests';
import { AccessEngine, StsCallerIdentity, wireRequests } from '../../lib/runtime';
import {
  credentialFor,
  FUNCTION_ARN,
  FUNCTION_URL,
  identityCenterArn,
  LocalDynamoDb,
  OffsetClock,
  provenFunctionUrlEvent,
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
 * proofs) on a local DynamoDB (dynalite) and the tailnet emulator with its delay. Times `request` and the `approve`
 * that completes the quorum and escalates (each with its STS round trip and proof record), and counts the DynamoDB
 * calls of one life (request, approve, and the sweep that ends it).
 */
export async function requestsFigure(settings: BenchSettings): Promise<FigureResult> {
  const emulator = await TailnetEmulator.start({ policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'), latencyMs: settings.delayMs });
  const dynamo = await LocalDynamoDb.start([TABLE]);
  const clock = new OffsetClock();
  const sts = await StsStandIn.start({ credentials: [ALICE, BOB], now: clock.now });
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const engine = new AccessEngine({ manifest: exampleManifest(emulator.url), credentials: EMULATOR_KEY_CREDENTIALS, audit: () => undefined, now: clock.now });
    const identity = new StsCallerIdentity({
      ledger: new DynamoDbProofLedger(TABLE, client),
      ownUrlHost: async () => new URL(FUNCTION_URL).host,
      stsEndpointOverride: sts.url,
      now: clock.now,
    });
    const { route, service } = wireRequests({ engine, store: new DynamoDbRequestStore(TABLE, client), identity, audit: () => undefined });
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
    const dynamoCalls: number[] = [];
    const stsCalls: number[] = [];
    for (let i = 0; i < lives + 2; i++) {
      const target = i % 2 === 0 ? 'main-prod-access' : 'main-staging-access';
      const [dynamoBefore, stsBefore] = [dynamo.calls.length, sts.calls.length];
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
      dynamoCalls.push(dynamo.calls.length - dynamoBefore);
      stsCalls.push(sts.calls.length - stsBefore);
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
        stsCallsPerLife: median(stsCalls),
        dynamoCallsByOperation: byOperation,
      },
      rows: [
        { metric: 'request answered (STS proof check, proof record, store write; no tailnet call)', value: ms(percentile(requestMs, 50)) },
        { metric: `approve → escalated (proof check, the grant's read + write: 2 × ${settings.delayMs} ms delay)`, value: ms(percentile(approveMs, 50)) },
        { metric: 'request → approve → escalated, p50 / p95', value: `${ms(percentile(total, 50))} / ${ms(percentile(total, 95))}` },
        { metric: 'DynamoDB calls per request life (request, approve, sweep end; proofs included)', value: String(median(dynamoCalls)) },
        { metric: 'STS calls per request life (one per proven call)', value: String(median(stsCalls)) },
      ],
    };
  } finally {
    client.destroy();
    await Promise.all([emulator.stop(), dynamo.stop(), sts.stop()]);
  }
}
