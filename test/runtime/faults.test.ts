import { createHandler } from '../../lib/runtime/lambda/create-handler';
import { InvocationDeadline } from '../../lib/runtime/lambda/invocation-deadline';
import { DEMO_POLICY, Harness, escalation, startHarness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

test('a 429 with Retry-After is waited out, then the escalation lands', async () => {
  const sleeps: number[] = [];
  await h.stop();
  h = await startHarness({ engine: { clientOptions: { sleep: async (ms) => void sleeps.push(ms), deadlineMs: 5000 } } });
  h.emulator.failNext(1, 429, { retryAfter: '2' });
  await expect(h.engine.escalate(escalation())).resolves.toMatchObject({ written: true });
  expect(sleeps).toEqual([2000]);
});

test('5xx twice then success: the escalation lands once', async () => {
  h.emulator.failNext(2, 503);
  await expect(h.engine.escalate(escalation())).resolves.toMatchObject({ written: true });
  expect(h.emulator.writes).toBe(1);
});

test('5xx forever: a bounded failure, no write, a failed audit line', async () => {
  h.emulator.failNext(1000, 500);
  await expect(h.engine.escalate(escalation())).rejects.toMatchObject({ code: expect.stringMatching(/server-error|deadline-exceeded/) });
  expect(h.emulator.writes).toBe(0);
  expect(h.emulator.policy).toBe(DEMO_POLICY);
  expect(h.audit).toEqual([expect.objectContaining({ action: 'escalate', outcome: 'failed', error: expect.objectContaining({ code: expect.any(String) }) })]);
});

test('a dropped connection is retried', async () => {
  h.emulator.dropNext(1);
  await expect(h.engine.escalate(escalation())).resolves.toMatchObject({ written: true });
});

test('a read without an ETag, or a policy that does not parse, leads to no write', async () => {
  h.emulator.breakNextGet('no-etag');
  await expect(h.engine.escalate(escalation())).rejects.toMatchObject({ code: 'bad-response' });
  h.emulator.breakNextGet('not-hujson');
  await expect(h.engine.escalate(escalation())).rejects.toMatchObject({ code: 'bad-response' });
  expect(h.emulator.writes).toBe(0);
});

test('a write that lands but loses its answer is reported and audited as written', async () => {
  h.emulator.loseNextWriteResponse(1);
  const result = await h.engine.escalate(escalation());
  expect(result).toMatchObject({ written: true, etagAfter: h.emulator.etag, changes: [expect.objectContaining({ kind: 'added' })] });
  expect(h.emulator.writes).toBe(1);
  expect(h.audit).toEqual([expect.objectContaining({ outcome: 'success', etagAfter: h.emulator.etag })]);
});

describe('the invocation deadline', () => {
  test('an invocation with no time left past the margin makes no API request and says the deadline passed', async () => {
    await h.stop();
    const deadline = new InvocationDeadline(3000);
    h = await startHarness({ engine: { clientOptions: { endsAt: deadline.endsAt } } });
    const handler = createHandler(h.engine, () => undefined, deadline);
    const result = await handler(escalation(), { getRemainingTimeInMillis: () => 2500 });
    expect(result).toMatchObject({ ok: false, error: { code: 'deadline-exceeded' } });
    expect(h.emulator.requests).toHaveLength(0);
  });

  test('API retries stop at the end of the invocation, not at the client default', async () => {
    await h.stop();
    // One fake clock for the deadline, the client and its back-off sleeps.
    let t = 1_000_000;
    const now = () => t;
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      t += ms;
    };
    const deadline = new InvocationDeadline(0, now);
    h = await startHarness({ engine: { clientOptions: { endsAt: deadline.endsAt, now, sleep, retry: { maxAttempts: 100 } } } });
    h.emulator.failNext(1000, 503, { retryAfter: '1' });
    const handler = createHandler(h.engine, () => undefined, deadline);
    const result = await handler(escalation(), { getRemainingTimeInMillis: () => 2500 });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('2500 ms budget') } });
    // Each retry waits its Retry-After of 1 s; a 2.5 s invocation leaves room for at most two of them.
    expect(slept.length).toBeLessThanOrEqual(2);
    expect(h.emulator.writes).toBe(0);
  });

  test('without a Lambda context the client keeps its own deadline', async () => {
    const deadline = new InvocationDeadline();
    deadline.start(undefined);
    expect(deadline.endsAt()).toBeUndefined();
  });
});
