import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AccessRequest, DynamoDbRequestStore } from '../../lib/requests';
import { createHandler } from '../../lib/runtime';
import { LocalDynamoDb, localRecordSeal, TailnetEmulator } from '../../lib/testing';
import { leftovers, localDynamoDbClient, raceContainer, RaceSetup } from '../../scripts/race/race-service';
import { DEMO_POLICY } from './harness';
import { iamActor } from '../support/actors';

// A revoke and an escalation of one request, in two runtime containers (each its own engine and edit queue) over one
// tailnet emulator and one requests table on dynalite. Holding the grant's POST, or a request's conditional write,
// puts the other container's work exactly inside the window a real race hits by chance.

const iam = iamActor;
const alice = iam('alice');
const bob = iam('bob');
const PROD = { flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-7' };

let emulator: TailnetEmulator;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let setup: RaceSetup;
let tables = 0;
/** The policy as the emulator keeps it before any grant: what must be back once every grant is taken back. */
let pristine: string;

beforeAll(async () => {
  dynamo = await LocalDynamoDb.start();
  client = localDynamoDbClient(dynamo.url);
});
afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  pristine = emulator.policy;
  const table = `race-${++tables}`;
  await dynamo.createRequestsTable(table);
  setup = { emulatorUrl: emulator.url, table, dynamoDb: client };
});
afterEach(() => emulator.stop());

const store = () => new DynamoDbRequestStore(setup.table, client);
/** A write another container of the runtime makes: at the version read, sealed with the runtime's key. */
async function writeAsRuntime(next: AccessRequest): Promise<void> {
  await store().update({ ...next, mac: await localRecordSeal().seal({ ...next, version: next.version + 1 }) });
}

async function noLeftovers(...ids: string[]): Promise<void> {
  const requests = (await Promise.all(ids.map((id) => store().get(id)))) as AccessRequest[];
  expect(leftovers(emulator.policy, requests)).toEqual({ grantsOfClosedRequests: [], escalatedWithoutGrant: [] });
}

/** A pending request (of alice's, unless told), made in its own container. */
async function pending(requester = alice): Promise<string> {
  return (await raceContainer(setup).service.request(requester, PROD)).request.id;
}

/** A write of another container that lands between an escalation's read and its write: the request ended by a revoke
 * that stopped before removing the grant (its process ended), or only a note that leaves it approved. */
async function concurrentWrite(id: string, state: 'ended' | 'approved'): Promise<void> {
  const current = (await store().get(id))!;
  const action = state === 'ended' ? 'revoke' : 'escalation-failed';
  await writeAsRuntime({ ...current, state, history: [...current.history, { action, actor: alice, at: new Date().toISOString() }] });
}

test("a revoke that runs while the grant's POST is on the wire ends the request; the escalation then finds it ended and takes its grant back", async () => {
  const [a, b] = [raceContainer(setup), raceContainer(setup)];
  const id = await pending();
  const post = emulator.holdNextWrite();
  const approving = a.service.approve(bob, id);
  await post.arrived;
  const revoked = await b.service.revoke(alice, id);
  expect(revoked.request.state).toBe('ended');
  post.release();
  expect((await approving).request.state).toBe('ended');
  expect(emulator.policy).toBe(pristine);
  await noLeftovers(id);
});

test('a revoke whose state write is in flight while the grant lands and is recorded still removes the grant once its write retries', async () => {
  const [a, b] = [raceContainer(setup), raceContainer(setup)];
  const id = await pending();
  const post = emulator.holdNextWrite();
  const approving = a.service.approve(bob, id);
  await post.arrived;
  // The revoke reads the request (approved), then its write is held: nothing of the grant has landed yet.
  const revokeWrite = dynamo.holdNext('UpdateItem');
  const revoking = b.service.revoke(alice, id);
  await revokeWrite.arrived;
  post.release();
  const approved = await approving;
  expect(approved.request.state).toBe('escalated');
  expect(emulator.policy).toContain(`req=${id}`);
  revokeWrite.release();
  // Its write meets the escalation's (a conditional failure), it reads again, ends the escalated request, removes.
  expect((await revoking).request).toMatchObject({
    state: 'ended',
    history: [{ action: 'request' }, { action: 'approve' }, { action: 'escalate' }, { action: 'revoke' }],
  });
  expect(emulator.policy).toBe(pristine);
  await noLeftovers(id);
});

test.each<[string, 'ended' | 'approved', string]>([
  ['a write that ended the request: the retry finds it ended and takes the grant back', 'ended', 'ended'],
  ['a write that left it approved: the retry records the escalation and the grant stays', 'approved', 'escalated'],
])('an escalation whose recording write conflicts with %s', async (_, state, outcome) => {
  const a = raceContainer(setup);
  const id = await pending();
  const post = emulator.holdNextWrite();
  const approving = a.service.approve(bob, id);
  await post.arrived;
  const recording = dynamo.holdNext('UpdateItem');
  post.release();
  await recording.arrived;
  expect(emulator.policy).toContain(`req=${id}`);
  await concurrentWrite(id, state);
  recording.release();
  expect((await approving).request.state).toBe(outcome);
  expect((await store().get(id))!.state).toBe(outcome);
  expect(emulator.policy.includes(`req=${id}`)).toBe(outcome === 'escalated');
  await noLeftovers(id);
});

describe('the minute sweep removes what a removal that failed or never ran left', () => {
  const sweep = (container: ReturnType<typeof raceContainer>) =>
    createHandler(container.engine, () => undefined, undefined, { requests: container.service })({ action: 'sweep' });

  test('a revoke whose removal failed answers the failure, the request stays ended, and the sweep removes the grant', async () => {
    const a = raceContainer(setup);
    const id = await pending();
    await a.service.approve(bob, id);
    // The removal's read of the policy is refused (a 400 is not retried).
    emulator.failNext(1, 400, { path: 'acl' });
    await expect(raceContainer(setup).service.revoke(alice, id)).rejects.toMatchObject({ status: 400 });
    expect((await store().get(id))!.state).toBe('ended');
    expect(emulator.policy).toContain(`req=${id}`);
    expect(await sweep(raceContainer(setup))).toMatchObject({ requests: { grantsRemoved: [id], errors: [] } });
    expect(emulator.policy).toBe(pristine);
    await noLeftovers(id);
  });

  test('an approval whose grant landed but whose process stopped before recording it, failed once its window closes, loses the grant in the same sweep', async () => {
    const a = raceContainer(setup);
    const id = await pending();
    const stored = (await store().get(id))!;
    // The vote was written and the grant's POST landed; then the process stopped.
    await writeAsRuntime({ ...stored, state: 'approved', approvals: [{ actor: bob, login: 'bob@example.com', at: stored.createdAt }] });
    await a.engine.grantRequest(
      { id, flow: PROD.flow, target: PROD.target, login: 'alice@example.com', duration: '30m', requesterEmail: 'alice@example.com' },
      new Date(),
    );
    const swept = await a.engine.sweep({ action: 'sweep' });
    const grantsHeld = swept.tailnets.flatMap((t) => t.requestsHeld);
    expect(grantsHeld).toEqual([id]);
    const pastTheWindow = new Date(Date.parse(stored.deadline) + 1000);
    expect(await a.service.tick(pastTheWindow, { grantsSwept: true, grantsHeld })).toMatchObject({ failed: [id], grantsRemoved: [id], errors: [] });
    expect(emulator.policy).toBe(pristine);
    await noLeftovers(id);
  });

  test('of the grants the sweep finds, only those of closed requests go: escalated ones and direct grants unknown to the store stay', async () => {
    const a = raceContainer(setup);
    // Two requesters: a second grant to one login would carry the later request's id in its one annotation.
    const [ended, escalated] = [await pending(alice), await pending(iam('erin'))];
    for (const id of [ended, escalated]) await a.service.approve(bob, id);
    // A revoke that ended the first request and stopped before removing its grant.
    await concurrentWrite(ended, 'ended');
    await a.engine.grantRequest(
      { id: 'r-direct', flow: PROD.flow, target: 'main-staging-access', login: 'dave@example.com', duration: '30m', requesterEmail: 'dave@example.com' },
      new Date(),
    );
    const swept = await sweep(raceContainer(setup));
    expect(swept).toMatchObject({ requests: { grantsRemoved: [ended], errors: [] } });
    expect(emulator.policy).not.toContain(`req=${ended}`);
    expect(emulator.policy).toContain(`req=${escalated}`);
    expect(emulator.policy).toContain('req=r-direct');
    await noLeftovers(ended, escalated);
  });
});

test("a local DynamoDB's held write reaches the table only once released", async () => {
  const id = await pending();
  const held = dynamo.holdNext('UpdateItem');
  const writing = concurrentWrite(id, 'ended');
  await held.arrived;
  expect((await store().get(id))!.state).toBe('pending');
  held.release();
  await writing;
  expect((await store().get(id))!.state).toBe('ended');
});
