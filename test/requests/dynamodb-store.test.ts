import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { AccessRequest, DynamoDbProofLedger, DynamoDbRequestStore, StoreConflictError } from '../../lib/requests';
import { LocalDynamoDb } from '../../lib/testing';

let local: LocalDynamoDb;
let client: DynamoDBClient;
let store: DynamoDbRequestStore;

const REQUEST: AccessRequest = {
  id: 'r-1',
  version: 0,
  state: 'pending',
  flow: 'ssh',
  target: 'prod',
  requester: { kind: 'slack', teamId: 'T1', userId: 'U1', email: 'alice@example.com' },
  login: 'alice@example.com',
  duration: '1h',
  approvals: [],
  deadline: '2026-11-29T11:00:00.000Z',
  createdAt: '2026-11-29T10:00:00.000Z',
  history: [{ action: 'request', actor: { kind: 'slack', teamId: 'T1', userId: 'U1', email: 'alice@example.com' }, at: '2026-11-29T10:00:00.000Z' }],
};

beforeAll(async () => {
  local = await LocalDynamoDb.start(['requests']);
  client = new DynamoDBClient({ endpoint: local.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  store = new DynamoDbRequestStore('requests', client);
});
afterAll(async () => {
  client.destroy();
  await local.stop();
});

test('create stores version 1 once; a second create of the same id is a conflict', async () => {
  await expect(store.create(REQUEST)).resolves.toMatchObject({ version: 1 });
  await expect(store.create(REQUEST)).rejects.toBeInstanceOf(StoreConflictError);
  expect(await store.get('r-1')).toEqual({ ...REQUEST, version: 1 });
});

test('update writes only over the version it read', async () => {
  const read = (await store.get('r-1'))!;
  const approved = await store.update({ ...read, state: 'approved' });
  expect(approved.version).toBe(read.version + 1);
  await expect(store.update({ ...read, state: 'denied' })).rejects.toBeInstanceOf(StoreConflictError);
  expect((await store.get('r-1'))!.state).toBe('approved');
});

test('the notification slot is set once, replaced only over the message recorded, and kept by updates', async () => {
  const first = { channel: 'C1', ts: '1.0' };
  expect(await store.setNotification('r-1', first)).toBe(true);
  expect(await store.setNotification('r-1', { channel: 'C1', ts: '2.0' })).toBe(false);
  expect(await store.setNotification('r-1', { channel: 'C1', ts: '3.0' }, { channel: 'C1', ts: '9.9' })).toBe(false);
  expect(await store.setNotification('r-1', { channel: 'C1', ts: '3.0' }, first)).toBe(true);
  expect(await store.setNotification('r-missing', first)).toBe(false);
  const read = (await store.get('r-1'))!;
  await store.update({ ...read, state: 'escalated', until: '2026-11-29T11:00:00Z' });
  expect((await store.get('r-1'))!.notification).toEqual({ channel: 'C1', ts: '3.0' });
});

test('due finds open requests by deadline or end, and a closed request leaves the index', async () => {
  await store.create({ ...REQUEST, id: 'r-2' });
  expect((await store.due('pending', '2026-11-29T10:59:59.999Z')).map((r) => r.id)).toEqual([]);
  expect((await store.due('pending', '2026-11-29T11:00:00.000Z')).map((r) => r.id)).toEqual(['r-2']);
  // r-1 is escalated until 11:00:00Z, written without milliseconds: still due at exactly that instant.
  expect((await store.due('escalated', '2026-11-29T11:00:00.000Z')).map((r) => r.id)).toEqual(['r-1']);
  const r2 = (await store.get('r-2'))!;
  await store.update({ ...r2, state: 'expired' });
  expect(await store.due('pending', '2027-01-01T00:00:00.000Z')).toEqual([]);
});

test('the MAC travels in an attribute of its own: written by create and update, dropped by an update without one', async () => {
  const created = await store.create({ ...REQUEST, id: 'r-mac', mac: 'bWFjIG9uZQ==' });
  expect(await store.get('r-mac')).toEqual(created);
  await store.update({ ...created, state: 'approved', mac: 'bWFjIHR3bw==' });
  expect((await store.get('r-mac'))!.mac).toBe('bWFjIHR3bw==');
  const { mac: _mac, ...unsealed } = (await store.get('r-mac'))!;
  await store.update(unsealed);
  expect(await store.get('r-mac')).not.toHaveProperty('mac');
});

test('a document that names another id is read under its item’s key', async () => {
  await store.create({ ...REQUEST, id: 'r-keyed' });
  await local.rewriteRequest('requests', 'r-keyed', (r) => ({ ...r, id: 'r-someone-else' }));
  expect((await store.get('r-keyed'))!.id).toBe('r-keyed');
});

test('a used proof is recorded once, with its TTL, and listing requests never shows it', async () => {
  const ledger = new DynamoDbProofLedger('requests', client);
  const hash = 'a'.repeat(64);
  const forgetAfter = new Date('2026-11-29T10:15:00.000Z');
  expect(await ledger.useOnce(hash, forgetAfter)).toBe(true);
  expect(await ledger.useOnce(hash, forgetAfter)).toBe(false);
  const { Item } = await client.send(new GetItemCommand({ TableName: 'requests', Key: { id: { S: `proof#${hash}` } } }));
  expect(Item).toEqual({ id: { S: `proof#${hash}` }, expiresAt: { N: String(forgetAfter.getTime() / 1000) } });
  // A scan of the whole table (no state, or a closed state) skips the proof items beside the requests.
  const all = await store.list({ limit: 100 });
  expect(all.map((r) => r.id).sort()).toEqual(['r-1', 'r-2', 'r-keyed', 'r-mac']);
  expect((await store.list({ state: 'expired', limit: 100 })).map((r) => r.id)).toEqual(['r-2']);
});

test('two uses of one proof at once: exactly one is first', async () => {
  const ledger = new DynamoDbProofLedger('requests', client);
  const outcomes = await Promise.all(Array.from({ length: 8 }, () => ledger.useOnce('b'.repeat(64), new Date())));
  expect(outcomes.filter(Boolean)).toHaveLength(1);
});

test('unpublished state changes are written with the change, listed by the sparse index, and forgotten only at the version published', async () => {
  const changed = (version: number, state: AccessRequest['state']) => ({
    state,
    version,
    actor: { kind: 'system' as const, name: 'sweep' as const },
    at: '2026-11-29T10:01:00.000Z',
  });
  const created = await store.create({ ...REQUEST, id: 'r-events', unpublished: [changed(1, 'pending')] });
  expect((await store.unpublished()).map((r) => [r.id, r.unpublished])).toEqual([['r-events', [changed(1, 'pending')]]]);

  // A later write carries the change along with its own; forgetting at the older version writes nothing.
  const approved = await store.update({ ...created, state: 'approved', unpublished: [changed(1, 'pending'), changed(2, 'approved')] });
  expect(await store.published('r-events', created.version)).toBe(false);
  expect((await store.get('r-events'))!.unpublished).toEqual([changed(1, 'pending'), changed(2, 'approved')]);

  expect(await store.published('r-events', approved.version)).toBe(true);
  const after = (await store.get('r-events'))!;
  expect(after).not.toHaveProperty('unpublished');
  expect(after.version).toBe(approved.version);
  expect(await store.unpublished()).toEqual([]);
  // The document never holds them: they live beside it.
  const item = (await client.send(new GetItemCommand({ TableName: 'requests', Key: { id: { S: 'r-events' } } }))).Item!;
  expect(JSON.parse(item.doc.S!)).not.toHaveProperty('unpublished');
});

describe('a listing read a page at a time', () => {
  const TIMES = ['2026-11-29T10:00:00.000Z', '2026-11-29T10:00:00.001Z', '2026-11-29T11:30:00.000Z', '2026-11-30T09:00:00.000Z'];
  /** 22 requests over four creation times (so most share theirs with others), alternately open and closed. */
  const REQUESTS: AccessRequest[] = Array.from({ length: 22 }, (_, i) => ({
    ...REQUEST,
    id: `r-${String(i).padStart(2, '0')}`,
    createdAt: TIMES[(i * 7) % TIMES.length],
    state: i % 2 === 0 ? 'pending' : 'expired',
  }));
  let listing: DynamoDbRequestStore;

  beforeAll(async () => {
    await local.createRequestsTable('listing');
    listing = new DynamoDbRequestStore('listing', client);
    for (const r of REQUESTS) await listing.create(r);
    // A used proof beside them, which no page may show.
    await new DynamoDbProofLedger('listing', client).useOnce('c'.repeat(64), new Date('2026-12-01T00:00:00Z'));
  });

  /** The expected order, worked out apart from the store's: creation time, then id, both descending. */
  const expected = (state?: string) =>
    REQUESTS.filter((r) => state === undefined || r.state === state)
      .map((r) => `${r.createdAt} ${r.id}`)
      .sort()
      .reverse()
      .map((key) => key.split(' ')[1]);

  test.each([
    ['every request, a page of one', undefined, 1],
    ['every request, pages of four', undefined, 4],
    ['every request, one page', undefined, 100],
    ['pending (read from the open index), pages of three', 'pending' as const, 3],
    ['expired (read from the table), pages of five', 'expired' as const, 5],
  ])('%s: each page starts after the last one ended, and together they hold every request once, newest first', async (_name, state, limit) => {
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await listing.list({ ...(state === undefined ? {} : { state }), ...(after === undefined ? {} : { after }), limit });
      seen.push(...page.map((r) => r.id));
      if (page.length < limit) break;
      after = { createdAt: page[page.length - 1].createdAt, id: page[page.length - 1].id };
    }
    expect(seen).toEqual(expected(state));
  });

  test('a position no request holds still splits the listing where it would stand', async () => {
    const all = expected();
    const after = { createdAt: TIMES[1], id: 'r-10x' };
    const rest = (await listing.list({ after, limit: 100 })).map((r) => r.id);
    const older = REQUESTS.filter((r) => r.createdAt < TIMES[1] || (r.createdAt === TIMES[1] && r.id < 'r-10x')).length;
    expect(rest).toEqual(all.slice(all.length - older));
    expect(rest.length).toBeGreaterThan(0);
  });
});

test('a reminder is taken on once, only at the version read, given back only by its taker, and neither moves the version nor is moved by updates', async () => {
  const request = await store.create({ ...REQUEST, id: 'r-remind', mac: 'mac-of-version-1' });
  expect(await store.claimReminder('r-remind', 'nudge', 2, '2026-11-29T10:30:00.000Z')).toBe(false);
  expect(await store.claimReminder('r-missing', 'nudge', 1, '2026-11-29T10:30:00.000Z')).toBe(false);
  expect(await store.claimReminder('r-remind', 'nudge', 1, '2026-11-29T10:30:00.000Z')).toBe(true);
  expect(await store.claimReminder('r-remind', 'nudge', 1, '2026-11-29T10:31:00.000Z')).toBe(false);
  expect(await store.get('r-remind')).toEqual({ ...request, reminded: { nudge: '2026-11-29T10:30:00.000Z' } });
  expect(await store.releaseReminder('r-remind', 'nudge', '2026-11-29T10:31:00.000Z')).toBe(false);
  expect(await store.releaseReminder('r-remind', 'nudge', '2026-11-29T10:30:00.000Z')).toBe(true);
  expect((await store.get('r-remind'))!.reminded).toBeUndefined();
  expect(await store.claimReminder('r-remind', 'nudge', 1, '2026-11-29T10:32:00.000Z')).toBe(true);
  const read = (await store.get('r-remind'))!;
  await store.update({ ...read, state: 'approved' });
  const { Item } = await client.send(new GetItemCommand({ TableName: 'requests', Key: { id: { S: 'r-remind' } } }));
  expect(Item!.remindedNudge).toEqual({ S: '2026-11-29T10:32:00.000Z' });
  expect(JSON.parse(Item!.doc.S!)).not.toHaveProperty('reminded');
});

test('a reminder attribute a table writer set in another form reads as taken on, and is not taken on again', async () => {
  await store.create({ ...REQUEST, id: 'r-forged-reminder' });
  await client.send(
    new UpdateItemCommand({
      TableName: 'requests',
      Key: { id: { S: 'r-forged-reminder' } },
      UpdateExpression: 'SET remindedExpiry = :n',
      ExpressionAttributeValues: { ':n': { N: '1' } },
    }),
  );
  expect((await store.get('r-forged-reminder'))!.reminded).toEqual({ expiry: '' });
  expect(await store.claimReminder('r-forged-reminder', 'expiry', 1, '2026-11-29T10:50:00.000Z')).toBe(false);
});
