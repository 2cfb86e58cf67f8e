import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AccessRequest, DynamoDbRequestStore } from '../../lib/requests';
import { LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
import { seededRandom } from '../../scripts/bench/seeded-random';
import { leftovers, localDynamoDbClient, raceContainer } from '../../scripts/race/race-service';
import { RaceWorker, revokeStorm } from '../../scripts/race/revoke-storm';
import { DEMO_POLICY } from './harness';

// Approve against revoke, hundreds of times, in several OS processes each running the built requests service and
// engine (dist/) as one runtime container, against one tailnet emulator and one dynalite on loopback, with random
// jitter: each trial's approval in one process, its revoke in another. Whatever the interleaving, once every action is
// done no grant may belong to a request that is not escalated, and every escalated request must hold its grant.
// Counted before any sweep runs, since the sweep would heal what a race left.

const WORKER = path.resolve(__dirname, '../../dist/scripts/race/revoke-race-worker.js');
const PROCESSES = 5;
const TRIALS = 500;
/** Trials in flight at once, over all processes. */
const WINDOW = 16;
/** Each action starts up to this much later than its trial. */
const JITTER_MS = 25;
/** The emulator answers every call this much later, which widens the time a grant spends on the wire. */
const LATENCY_MS = 2;
const TABLE = 'storm';

let emulator: TailnetEmulator;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let workers: RaceWorker[] = [];

beforeAll(async () => {
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY, latencyMs: LATENCY_MS });
  dynamo = await LocalDynamoDb.start([TABLE]);
  client = localDynamoDbClient(dynamo.url);
});
afterAll(async () => {
  for (const w of workers) w.stop();
  client.destroy();
  await Promise.all([emulator.stop(), dynamo.stop()]);
});

test(`${TRIALS} approvals racing revokes across ${PROCESSES} processes leave no grant of a closed request and no escalated request without its grant`, async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "npm run build:dev" first`);
  const started = Date.now();
  workers = Array.from({ length: PROCESSES }, () => new RaceWorker(WORKER, [emulator.url, dynamo.url, TABLE]));
  const maker = raceContainer({ emulatorUrl: emulator.url, table: TABLE, dynamoDb: client }).service;
  const trials: { id: string; requester: string }[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const requester = `storm${i}@example.com`;
    const { request } = await maker.request(
      { kind: 'iam', arn: `arn:aws:iam::111122223333:user/storm${i}`, email: requester },
      { flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'storm' },
    );
    trials.push({ id: request.id, requester });
  }
  await Promise.all(workers.map((w) => w.ready));
  const raced = Date.now();
  const results = await revokeStorm(workers, trials, { approver: 'bob@example.com', window: WINDOW, jitterMs: JITTER_MS, random: seededRandom(20261129) });
  const racedMs = Date.now() - raced;
  await Promise.all(workers.map((w) => w.end()));

  const store = new DynamoDbRequestStore(TABLE, client);
  const requests = (await Promise.all(trials.map((t) => store.get(t.id)))) as AccessRequest[];
  const found = leftovers(emulator.policy, requests);
  // Revoked before the escalation recorded its grant: the escalation found the request ended and took the grant back.
  const revokedInFlight = requests.filter((r) => r.history.some((h) => h.action === 'revoke') && !r.history.some((h) => h.action === 'escalate')).length;
  const failures = results.filter((r) => r.outcome.startsWith('error:'));
  const report = {
    trials: TRIALS,
    processes: PROCESSES,
    grantsOfClosedRequests: found.grantsOfClosedRequests.length,
    escalatedWithoutGrant: found.escalatedWithoutGrant.length,
    revokedInFlight,
    failures: failures.length,
    policyWrites: emulator.writes,
    tableCalls: dynamo.calls.length,
    conflicts: emulator.requests.filter((r) => r.status === 412).length,
    actionMsP50: percentile(
      results.map((r) => r.ms),
      50,
    ),
    racedMs,
    totalMs: Date.now() - started,
  };
  console.info(`revoke storm: ${JSON.stringify(report)}`);

  expect(found).toEqual({ grantsOfClosedRequests: [], escalatedWithoutGrant: [] });
  expect(failures).toEqual([]);
  expect(results).toHaveLength(2 * TRIALS);
  // Every revoke waits for the approval, so every request ends revoked; some of them while their grant was on the wire.
  expect(requests.filter((r) => r.state !== 'ended').map((r) => `${r.id} ${r.state}`)).toEqual([]);
  expect(revokedInFlight).toBeGreaterThan(0);
}, 120_000);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
