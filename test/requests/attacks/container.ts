import { AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { listLedger } from '../../../lib/policy';
import { DynamoDbRequestStore, RequestEvent, RequestService } from '../../../lib/requests';
import { AccessEngine, EngineRequestAccess } from '../../../lib/runtime';
import { EMULATOR_API_KEY, LocalDynamoDb, localRecordSeal, TailnetEmulator } from '../../../lib/testing';
import { exampleManifest } from '../../../scripts/fixtures/example-manifest';
import { localDynamoDbClient } from '../../../scripts/race/race-service';
import { DEMO_POLICY } from '../../runtime/harness';
import { iamActor } from '../../support/actors';

// What the attack suites share: one runtime container (the real engine over the tailnet emulator, the real store on
// dynalite, the local record key) with a clock the test moves, and what an attacker with item writes can do.

export const iam = iamActor;
export const alice = iam('alice');
export const bob = iam('bob');
export const PROD = { flow: 'tailscale-ssh-access', target: 'main-prod-access', reason: 'INC-7' };

export interface Site {
  readonly emulator: TailnetEmulator;
  readonly table: string;
  readonly client: DynamoDBClient;
  readonly clock: { now: Date };
  readonly service: RequestService;
  readonly store: DynamoDbRequestStore;
  readonly published: RequestEvent[];
  /** The minute sweep as the handler runs it: the grant sweep, then the requests' tick with the grants it found. */
  sweep(): Promise<unknown>;
  /** alice's grants in group:prod as the policy file holds them now. */
  aliceGrants(): { until: string; requestId?: string }[];
}

let dynamo: LocalDynamoDb | undefined;
let client: DynamoDBClient | undefined;
let tables = 0;
const emulators: TailnetEmulator[] = [];

export async function startDynamo(): Promise<void> {
  dynamo = await LocalDynamoDb.start();
  client = localDynamoDbClient(dynamo.url);
}

export async function stopAll(): Promise<void> {
  for (const e of emulators.splice(0)) await e.stop();
  client?.destroy();
  await dynamo?.stop();
}

/** A fresh tailnet and table, and one runtime container whose flow has `flow` merged into the example's. */
export async function site(flow: object = {}): Promise<Site> {
  const emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  emulators.push(emulator);
  const table = `redteam-${++tables}`;
  await dynamo!.createRequestsTable(table);
  const clock = { now: new Date() };
  const engine = new AccessEngine({
    manifest: exampleManifest(emulator.url, { flow }),
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    clientOptions: { retry: { baseDelayMs: 10, maxDelayMs: 200, maxConflicts: 100 }, deadlineMs: 20_000 },
    now: () => clock.now,
    audit: () => undefined,
  });
  const store = new DynamoDbRequestStore(table, client!, () => clock.now);
  const published: RequestEvent[] = [];
  const service = new RequestService({
    store,
    access: new EngineRequestAccess(engine),
    seal: localRecordSeal(),
    now: () => clock.now,
    events: { publish: async (events) => void published.push(...events) },
  });
  return {
    emulator,
    table,
    client: client!,
    clock,
    service,
    store,
    published,
    sweep: async () => {
      const swept = await engine.sweep({ action: 'sweep' });
      return service.tick(clock.now, { grantsSwept: true, grantsHeld: swept.tailnets.flatMap((t) => t.requestsHeld) });
    },
    aliceGrants: () =>
      listLedger(emulator.policy, new Date(0))
        .active.filter((g) => g.group === 'prod' && g.member === 'alice@example.com')
        .map(({ until, requestId }) => ({ until, ...(requestId === undefined ? {} : { requestId }) })),
  };
}

/** The item as stored, every attribute: what anyone who can read the table (or restore it to a point in time) keeps. */
export async function snapshot(s: Site, id: string): Promise<Record<string, AttributeValue>> {
  const out = await s.client.send(new GetItemCommand({ TableName: s.table, Key: { id: { S: id } }, ConsistentRead: true }));
  return out.Item!;
}

/** `PutItem` of an item as it was: what anyone with item writes on the table can do. */
export async function putBack(s: Site, item: Record<string, AttributeValue>): Promise<void> {
  await s.client.send(new PutItemCommand({ TableName: s.table, Item: item }));
}

/** `UpdateItem` of one attribute, as anyone with item writes can: `value` is a DynamoDB attribute value. */
export async function setAttribute(s: Site, id: string, name: string, value: AttributeValue): Promise<void> {
  await s.client.send(
    new UpdateItemCommand({
      TableName: s.table,
      Key: { id: { S: id } },
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': name },
      ExpressionAttributeValues: { ':v': value },
    }),
  );
}

/** `UpdateItem` of a request's document, keeping its version and MAC (`LocalDynamoDb.rewriteRequest`). */
export async function rewrite(s: Site, id: string, change: Parameters<LocalDynamoDb['rewriteRequest']>[2]): Promise<void> {
  await dynamo!.rewriteRequest(s.table, id, change);
}

export const minutes = (m: number) => m * 60_000;
