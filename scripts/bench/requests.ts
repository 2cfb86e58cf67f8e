import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDbRequestStore } from '../../lib/requests';
import { AccessEngine, iamRoleLookup, IdentityCenterRoles, wireRequests } from '../../lib/runtime';
import { FUNCTION_ARN, functionUrlEvent, IamStandIn, identityCenterArn, LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
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
 * handler serves, the request store on a local DynamoDB (dynalite), IAM confirming the callers' Identity Center roles
 * (once per role: a container keeps the verdict) and the tailnet emulator with its delay. Times
 * `request` and the `approve` that completes the quorum and escalates, and counts the DynamoDB calls of one life
 * (request, approve, and the sweep that ends it).
 */
export async function requestsFigure(settings: BenchSettings): Promise<FigureResult> {
  const emulator = await TailnetEmulator.start({ policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'), latencyMs: settings.delayMs });
  const dynamo = await LocalDynamoDb.start([TABLE]);
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const iam = await IamStandIn.forCallers([ALICE, BOB]);
  const iamClient = new IAMClient(iam.clientConfig);
  try {
    const clock = { offsetMs: 0 };
    const engine = new AccessEngine({
      manifest: exampleManifest(emulator.url),
      credentials: EMULATOR_KEY_CREDENTIALS,
      audit: () => undefined,
      now: () => new Date(Date.now() + clock.offsetMs),
    });
    const identityCenter = new IdentityCenterRoles(iamRoleLookup(iamClient));
    const { route, service } = wireRequests(engine, new DynamoDbRequestStore(TABLE, client), () => undefined, undefined, undefined, identityCenter);
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
    for (let i = 0; i < lives + 2; i++) {
      const target = i % 2 === 0 ? 'main-prod-access' : 'main-staging-access';
      const before = dynamo.calls.length;
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
      },
      rows: [
        { metric: 'request answered (store write, no tailnet call)', value: ms(percentile(requestMs, 50)) },
        { metric: `approve → escalated (the grant's read + write: 2 × ${settings.delayMs} ms delay)`, value: ms(percentile(approveMs, 50)) },
        { metric: 'request → approve → escalated, p50 / p95', value: `${ms(percentile(total, 50))} / ${ms(percentile(total, 95))}` },
        { metric: 'DynamoDB calls per request life (request, approve, sweep end)', value: String(median(dynamoCalls)) },
      ],
    };
  } finally {
    client.destroy();
    iamClient.destroy();
    await Promise.all([emulator.stop(), dynamo.stop(), iam.stop()]);
  }
}
