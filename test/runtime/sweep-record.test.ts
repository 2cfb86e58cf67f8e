import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbRequestStore, DynamoDbSweepRecord, SWEEP_RECORD_KEY, SweepRecord, SweepTimes } from '../../lib/requests';
import { AuditEvent, CheckResult, createHandler } from '../../lib/runtime';
import { LocalDynamoDb } from '../../lib/testing';
import { startHarness } from './harness';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let table = 0;
beforeAll(async () => {
  dynamo = await LocalDynamoDb.start();
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

/** A fresh requests table and the sweep record in it. */
async function freshRecord(): Promise<{ name: string; record: DynamoDbSweepRecord }> {
  const name = `requests-${++table}`;
  await dynamo.createRequestsTable(name);
  return { name, record: new DynamoDbSweepRecord(name, client) };
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute));

describe('the sweep record in the requests table', () => {
  test('is absent until a sweep writes it, then holds when the latest sweep started, succeeded and failed, and why', async () => {
    const { record } = await freshRecord();
    expect(await record.read()).toBeUndefined();
    await record.started(at(1));
    await record.succeeded(at(1));
    await record.started(at(2));
    await record.failed(at(2), { code: 'sweep-incomplete', message: 'x'.repeat(2000) });
    const times = (await record.read())!;
    expect(times).toMatchObject({ startedAt: at(2).toISOString(), succeededAt: at(1).toISOString(), failedAt: at(2).toISOString() });
    expect(times.failure).toEqual({ code: 'sweep-incomplete', message: 'x'.repeat(500) });
  });

  test('never moves back: a slow sweep that ends after the next one began keeps the later times', async () => {
    const { record } = await freshRecord();
    await record.started(at(5));
    await record.succeeded(at(6));
    await record.started(at(4));
    await record.succeeded(at(3));
    expect(await record.read()).toEqual({ startedAt: at(5).toISOString(), succeededAt: at(6).toISOString() });
  });

  test('is one item the request store never lists as a request', async () => {
    const { name, record } = await freshRecord();
    await record.started(at(1));
    expect(Object.keys(await dynamo.items(name))).toEqual([SWEEP_RECORD_KEY]);
    expect(await new DynamoDbRequestStore(name, client).list({ limit: 10 })).toEqual([]);
  });
});

/** A record kept in memory, or one whose every write fails. */
function memoryRecord(failing = false): SweepRecord & { times: SweepTimes } {
  const r = {
    times: {} as SweepTimes,
    started: async (t: Date) =>
      failing
        ? Promise.reject(Object.assign(new Error('table gone'), { name: 'ResourceNotFoundException' }))
        : void (r.times = { ...r.times, startedAt: t.toISOString() }),
    succeeded: async (t: Date) => void (r.times = { ...r.times, succeededAt: t.toISOString() }),
    failed: async (t: Date, failure: { code: string; message: string }) => void (r.times = { ...r.times, failedAt: t.toISOString(), failure }),
    read: async () => r.times,
  };
  return r;
}

describe('the handler', () => {
  test('notes a scheduled sweep that succeeded, and nothing for a dry run', async () => {
    const h = await startHarness();
    try {
      const record = memoryRecord();
      const handler = createHandler(h.engine, () => undefined, undefined, { sweepRecord: record });
      await handler({ action: 'sweep', dryRun: true });
      expect(record.times).toEqual({});
      expect(await handler({ action: 'sweep' })).toMatchObject({ ok: true, action: 'sweep' });
      expect(record.times).toEqual({ startedAt: h.clock.now.toISOString(), succeededAt: h.clock.now.toISOString() });
    } finally {
      await h.stop();
    }
  });

  test('notes a sweep that could not finish, and still fails its invocation', async () => {
    const h = await startHarness({
      engine: {
        credentials: { get: async () => Promise.reject(Object.assign(new Error('secret sym/main/k: has no value'), { code: 'credential-unavailable' })) },
      },
    });
    try {
      const record = memoryRecord();
      const handler = createHandler(h.engine, () => undefined, undefined, { sweepRecord: record });
      await expect(handler({ action: 'sweep' })).rejects.toMatchObject({ code: 'sweep-incomplete' });
      expect(record.times).toMatchObject({ startedAt: h.clock.now.toISOString(), failedAt: h.clock.now.toISOString(), failure: { code: 'sweep-incomplete' } });
      expect(record.times.succeededAt).toBeUndefined();
    } finally {
      await h.stop();
    }
  });

  test('a record that cannot be written changes nothing about the sweep: its answer stands, one sweep-record line says why', async () => {
    const h = await startHarness();
    try {
      const audit: AuditEvent[] = [];
      const handler = createHandler(h.engine, (e) => audit.push(e), undefined, { sweepRecord: memoryRecord(true) });
      expect(await handler({ action: 'sweep' })).toMatchObject({ ok: true, action: 'sweep' });
      expect(audit.filter((e) => e.action === 'sweep-record')).toEqual([
        expect.objectContaining({ outcome: 'failed', error: { code: 'sweep-record-failed', message: 'ResourceNotFoundException: table gone' } }),
      ]);
    } finally {
      await h.stop();
    }
  });

  test('answers {"action":"check"} with the checklist, refuses it with a field more, and without a doctor names what is missing', async () => {
    const h = await startHarness();
    try {
      const checklist: CheckResult = {
        ok: true,
        action: 'check',
        environment: 'main',
        lines: [{ id: 'x', status: 'ok', detail: 'fine' }],
        failed: 0,
        warned: 0,
      };
      const handler = createHandler(h.engine, () => undefined, undefined, { doctor: { check: async () => checklist } });
      expect(await handler({ action: 'check' })).toBe(checklist);
      expect(await handler({ action: 'check', dryRun: true })).toEqual({
        ok: false,
        error: { code: 'invalid-event', message: 'event: unknown field "dryRun"' },
      });
      expect(await createHandler(h.engine, () => undefined)({ action: 'check' })).toMatchObject({ ok: false, error: { code: 'invalid-event' } });
      expect(h.aclRequests()).toBe(0);
    } finally {
      await h.stop();
    }
  });
});
