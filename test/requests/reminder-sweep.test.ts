import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import {
  AccessRequest,
  DynamoDbRequestStore,
  ReminderFailure,
  ReminderKind,
  ReminderRule,
  ReminderSweep,
  RequestReminders,
  RequestService,
} from '../../lib/requests';
import { localRecordSeal } from '../../lib/testing';
import { localDynamoDbForFile } from './local-table';
import { RecordingAccess, RULES } from './recording-access';
import { iamActor } from '../support/actors';

// The minute sweep's reminders against a local DynamoDB: the store's conditional writes are what keep each reminder
// to one, so they run here for real.

const iam = iamActor;
const alice = iam('alice');
const bob = iam('bob');
const PROD = { flow: 'ssh', target: 'prod', duration: '1h', reason: 'INC-1' };
/** Ten minutes before the end, and approvers nudged at half the hour's window. */
const REMINDERS: ReminderRule = { beforeExpirySeconds: 600, nudgeApprovers: true };
/** The day's requests are made at 10:00; `at(50)` is 10:50. */
const at = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 10, 29, 10, minutes, seconds));

/** A chat adapter that records whom it told, and can be made slow or failing. */
class RecordingReminders implements RequestReminders {
  readonly told: { kind: ReminderKind; id: string; at: string }[] = [];
  failing = 0;
  delayMs = 0;
  remindRequester(request: AccessRequest, now: Date) {
    return this.tell('expiry', request, now);
  }
  nudgeApprovers(request: AccessRequest, now: Date) {
    return this.tell('nudge', request, now);
  }
  private async tell(kind: ReminderKind, request: AccessRequest, now: Date) {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failing > 0) {
      this.failing--;
      throw new Error('slack-api-failed: chat.postMessage: service_unavailable');
    }
    this.told.push({ kind, id: request.id, at: now.toISOString() });
  }
}

const db = localDynamoDbForFile();
let tables = 0;

async function setup(reminders: ReminderRule | undefined = REMINDERS) {
  const table = `reminders-${++tables}`;
  await db.local.createRequestsTable(table);
  const clock = { now: at(0) };
  const access = new RecordingAccess();
  access.rulesOf = { ...RULES, ...(reminders && { reminders }) };
  const store = new DynamoDbRequestStore(table, db.client, () => clock.now);
  const seal = localRecordSeal();
  let n = 0;
  const service = new RequestService({ store, access, seal, now: () => clock.now, newRequestId: () => `r-${++n}` });
  const chat = new RecordingReminders();
  const failures: ReminderFailure[] = [];
  /** One minute's sweep at `when`, as a container of its own would run it. */
  const sweep = (when: Date) =>
    new ReminderSweep({ store, seal, rules: () => access.rules(), reminders: chat, onFailed: (f) => void failures.push(f) }).sweep(when);
  /** alice's request at 10:00, approved by bob at once: escalated until 11:00. */
  const escalated = async () => {
    clock.now = at(0);
    const { request } = await service.request(alice, PROD);
    return (await service.approve(bob, request.id)).request;
  };
  return { table, clock, access, store, service, chat, failures, sweep, escalated };
}

describe('the requester, 10 minutes before the grant ends', () => {
  test('is told once, at the first sweep of the last ten minutes, however many sweeps run', async () => {
    const { sweep, escalated, chat } = await setup();
    const { id, until } = await escalated();
    expect(until).toBe('2026-11-29T11:00:00.000Z');
    const sent: string[] = [];
    for (let minute = 40; minute <= 65; minute++) sent.push(...(await sweep(at(minute))).sent.map((s) => `${s.kind} ${s.requestId} ${minute}`));
    expect(sent).toEqual([`expiry ${id} 50`]);
    expect(chat.told).toEqual([{ kind: 'expiry', id, at: at(50).toISOString() }]);
  });

  test('is told by exactly one of many sweeps that run at once, however slow the telling', async () => {
    const { sweep, escalated, chat } = await setup();
    const { id } = await escalated();
    chat.delayMs = 30;
    const results = await Promise.all(Array.from({ length: 12 }, () => sweep(at(51))));
    expect(results.flatMap((r) => r.sent)).toEqual([{ requestId: id, kind: 'expiry' }]);
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    expect(chat.told).toHaveLength(1);
  });

  test('is told once for any schedule of sweeps, some at once: at the earliest within the last ten minutes, else never', async () => {
    const { sweep, escalated, chat, service } = await setup();
    // Minutes from 10:30 to 11:10, each a sweep or several at once.
    const schedules = fc.array(fc.integer({ min: 30, max: 70 }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(schedules, async (minutes) => {
        chat.told.length = 0;
        const { id } = await escalated();
        const byMinute = new Map<number, number>();
        for (const m of minutes) byMinute.set(m, (byMinute.get(m) ?? 0) + 1);
        for (const [minute, count] of [...byMinute].sort(([a], [b]) => a - b)) await Promise.all(Array.from({ length: count }, () => sweep(at(minute))));
        const within = [...byMinute.keys()].filter((m) => m >= 50 && m < 60).sort((a, b) => a - b);
        expect(chat.told).toEqual(within.length === 0 ? [] : [{ kind: 'expiry', id, at: at(within[0]).toISOString() }]);
        // Out of the index, so the next run's sweeps see only their own request.
        await service.revoke(alice, id).catch(() => undefined);
      }),
      { numRuns: 20 },
    );
  });

  test('is not told before the last ten minutes, nor once the grant has ended, nor after a revoke', async () => {
    const { sweep, escalated, chat, service, clock } = await setup();
    const first = await escalated();
    expect((await sweep(at(49, 59))).sent).toEqual([]);
    expect((await sweep(at(60))).sent).toEqual([]);
    await service.revoke(alice, first.id);
    const second = await escalated();
    clock.now = at(45);
    await service.revoke(alice, second.id);
    expect((await sweep(at(52))).sent).toEqual([]);
    expect(chat.told).toEqual([]);
  });

  test('of a grant no longer than the lead, is not told: it was just granted', async () => {
    const { sweep, escalated, chat, access, service } = await setup({ beforeExpirySeconds: 3600, nudgeApprovers: false });
    const hourLong = await escalated();
    for (const minute of [0, 1, 30, 59]) await sweep(at(minute));
    await service.revoke(alice, hourLong.id);
    access.rulesOf = { ...access.rulesOf, reminders: { beforeExpirySeconds: 45 * 60, nudgeApprovers: false } };
    const { id } = await escalated();
    await sweep(at(15));
    expect(chat.told).toEqual([{ kind: 'expiry', id, at: at(15).toISOString() }]);
  });

  test('when the telling fails, is told at the next sweep: the failure is reported, the reminder given back, and none is sent twice', async () => {
    const { sweep, escalated, chat, failures } = await setup();
    const { id } = await escalated();
    chat.failing = 2;
    expect((await sweep(at(50))).failed).toEqual([
      { requestId: id, kind: 'expiry', code: 'internal-error', message: 'slack-api-failed: chat.postMessage: service_unavailable' },
    ]);
    expect((await sweep(at(51))).sent).toEqual([]);
    expect((await sweep(at(52))).sent).toEqual([{ requestId: id, kind: 'expiry' }]);
    for (const minute of [53, 54, 59]) expect((await sweep(at(minute))).sent).toEqual([]);
    expect(chat.told).toEqual([{ kind: 'expiry', id, at: at(52).toISOString() }]);
    expect(failures).toHaveLength(2);
  });

  test('when the telling fails until the grant ends, is never told, and the sweep itself never fails', async () => {
    const { sweep, escalated, chat, store } = await setup();
    const { id } = await escalated();
    chat.failing = Infinity;
    for (let minute = 50; minute <= 62; minute++) await expect(sweep(at(minute))).resolves.toMatchObject({ sent: [] });
    expect(chat.told).toEqual([]);
    expect((await store.get(id))!.reminded).toBeUndefined();
  });

  test('of a flow no longer deployed, is passed over without a failure', async () => {
    const { escalated, store, chat } = await setup();
    await escalated();
    const undeployed = (flow: string): never => {
      throw new Error(`no flow named "${flow}"`);
    };
    const gone = new ReminderSweep({ store, seal: localRecordSeal(), rules: undeployed, reminders: chat });
    await expect(gone.sweep(at(50))).resolves.toEqual({ sent: [], failed: [] });
    expect(chat.told).toEqual([]);
  });

  test('is not reminded at all when the flow names no lead', async () => {
    const { sweep, escalated, chat } = await setup({ nudgeApprovers: true });
    await escalated();
    for (const minute of [50, 55]) await sweep(at(minute));
    expect(chat.told).toEqual([]);
  });
});

describe('the approvers, at half the approval window', () => {
  test('are nudged once about a pending request, from 10:30 until it expires at 11:00', async () => {
    const { sweep, service, chat } = await setup();
    const { request } = await service.request(alice, PROD);
    for (let minute = 0; minute <= 70; minute += 5) await sweep(at(minute));
    expect(chat.told).toEqual([{ kind: 'nudge', id: request.id, at: at(30).toISOString() }]);
  });

  test('are not nudged about a request approved before then, nor when the flow does not nudge', async () => {
    const { sweep, service, chat } = await setup();
    const { request } = await service.request(alice, PROD);
    await service.approve(bob, request.id);
    await sweep(at(31));
    const quiet = await setup({ beforeExpirySeconds: 600, nudgeApprovers: false });
    await quiet.service.request(alice, PROD);
    await quiet.sweep(at(31));
    expect([...chat.told, ...quiet.chat.told]).toEqual([]);
  });
});

describe('a table writer', () => {
  test('cannot make a reminder due: a record whose end was moved does not verify, and nobody is told', async () => {
    const { sweep, escalated, chat, table } = await setup();
    const { id } = await escalated();
    await db.local.rewriteRequest(table, id, (r) => ({ ...r, until: at(15).toISOString() }), { due: at(15).toISOString() });
    await sweep(at(10));
    expect(chat.told).toEqual([]);
  });

  test('that marks a reminder taken on stops only that courtesy: the record still verifies and revoking it still works', async () => {
    const { sweep, escalated, chat, table, service, clock } = await setup();
    const { id } = await escalated();
    await db.client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: id } },
        UpdateExpression: 'SET remindedExpiry = :x',
        ExpressionAttributeValues: { ':x': { M: {} } },
      }),
    );
    await expect(sweep(at(50))).resolves.toEqual({ sent: [], failed: [] });
    expect(chat.told).toEqual([]);
    expect((await service.get(alice, id)).request).not.toHaveProperty('tampered');
    clock.now = at(51);
    await expect(service.revoke(alice, id)).resolves.toMatchObject({ request: { state: 'ended' } });
  });

  test('sees a reminder taken on change neither the version nor the MAC: the request goes on as before', async () => {
    const { sweep, escalated, service, clock, store } = await setup();
    const { id, version } = await escalated();
    await sweep(at(50));
    const stored = (await store.get(id))!;
    expect(stored).toMatchObject({ version, reminded: { expiry: at(50).toISOString() } });
    expect(await localRecordSeal().verify(stored)).toBe(true);
    clock.now = at(52);
    await expect(service.revoke(alice, id)).resolves.toMatchObject({ request: { state: 'ended' } });
  });
});
