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
