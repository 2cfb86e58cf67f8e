import { TailnetEmulator } from '../../lib/testing';
import { addToProd, clientFor, FakeClock, POLICY, rejectionOf, requestsTo, startEmulator } from './harness';

let emulator: TailnetEmulator;
let clock: FakeClock;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.reset();
  clock = new FakeClock();
});

const policyReads = () => requestsTo(emulator, 'GET', '/acl');
const policyWrites = () => requestsTo(emulator, 'POST', '/acl');

describe('retries', () => {
  it('honours Retry-After in seconds on a 429, then succeeds', async () => {
    const client = clientFor(emulator, clock);
    emulator.failNext(1, 429, { retryAfter: '1' });
    await expect(client.getPolicy('-')).resolves.toMatchObject({ text: POLICY });
    expect(clock.slept).toEqual([1000]);
    expect(client.stats).toEqual({ requests: 2, conflicts: 0, retries: 1 });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const client = clientFor(emulator, clock);
    emulator.failNext(1, 429, { retryAfter: new Date(clock.nowMs + 3000).toUTCString() });
    await client.getPolicy('-');
    expect(clock.slept).toEqual([3000]);
  });

  it('backs off with jitter through two 503s, then succeeds', async () => {
    const client = clientFor(emulator, clock, { retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    emulator.failNext(2, 503);
    await expect(client.getPolicy('-')).resolves.toMatchObject({ text: POLICY });
    expect(policyReads().map((r) => r.status)).toEqual([503, 503, 200]);
    // random() is 0.5: half of 100, then half of 200.
    expect(clock.slept).toEqual([50, 100]);
  });

  it('gives up on endless 5xx before the deadline, with no write', async () => {
    const client = clientFor(emulator, clock, {
      deadlineMs: 5000,
      retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 100 },
    });
    emulator.failNext(1000, 500);
    const error = await rejectionOf(client.updatePolicy('example.com', addToProd('dave@example.com')));
    expect(error).toMatchObject({ code: 'deadline-exceeded', status: 500, operation: 'update policy (read)' });
    expect(clock.totalSleptMs).toBeLessThanOrEqual(5000);
    expect(client.stats.retries).toBe(clock.slept.length);
    expect(emulator.writes).toBe(0);
    expect(policyWrites()).toHaveLength(0);
  });

  it('gives up after maxAttempts, saying so', async () => {
    const client = clientFor(emulator, clock, { retry: { maxAttempts: 3 } });
    emulator.failNext(1000, 502);
    const error = await rejectionOf(client.getPolicy('-'));
    expect(error).toMatchObject({ code: 'server-error', status: 502, attempts: 3 });
    expect(error.message).toMatch(/gave up after 3 attempts/);
    expect(policyReads()).toHaveLength(3);
  });

  it('does not wait for a Retry-After that ends past the deadline', async () => {
    const client = clientFor(emulator, clock, { deadlineMs: 10_000 });
    emulator.failNext(1, 429, { retryAfter: '60' });
    const error = await rejectionOf(client.getPolicy('-'));
    expect(error).toMatchObject({ code: 'deadline-exceeded', status: 429 });
    expect(clock.slept).toEqual([]);
  });

  it('retries a dropped connection', async () => {
    const client = clientFor(emulator, clock);
    emulator.dropNext(1);
    await expect(client.getPolicy('-')).resolves.toMatchObject({ text: POLICY });
    expect(policyReads().map((r) => r.status)).toEqual([0, 200]);
    expect(client.stats.retries).toBe(1);
  });

  it('retries a write whose connection dropped, and writes once', async () => {
    const client = clientFor(emulator, clock);
    await client.getPolicy('-');
    emulator.dropNext(1);
    const result = await client.updatePolicy('-', addToProd('dave@example.com'));
    expect(result.written).toBe(true);
    expect(emulator.writes).toBe(1);
    expect(emulator.policy).toContain('dave@example.com');
  });

  it('times out a slow request and retries it', async () => {
    const client = clientFor(emulator, clock, { requestTimeoutMs: 50, retry: { maxAttempts: 2 } });
    emulator.latencyMs = 200;
    const error = await rejectionOf(client.getPolicy('-'));
    expect(error).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(error.message).toMatch(/no response within 50 ms; gave up after 2 attempts/);
  });

  it('retries when nothing listens, then reports a network error', async () => {
    const gone = await startEmulator();
    await gone.stop();
    const client = clientFor(gone, clock, { retry: { maxAttempts: 2 } });
    const error = await rejectionOf(client.getPolicy('-'));
    expect(error).toMatchObject({ code: 'network', attempts: 2 });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

describe('final failures', () => {
  it('does not retry a 400 from a failing tests entry, and carries its message and data', async () => {
    const client = clientFor(emulator, clock);
    const breaksTest = (text: string) => text.replace('"dst": ["tag:web:443"]', '"dst": ["tag:web:80"]');
    const error = await rejectionOf(client.updatePolicy('example.com', breaksTest));
    expect(error).toMatchObject({
      code: 'policy-refused',
      status: 400,
      apiMessage: 'test(s) failed',
      data: [
        {
          user: 'alice@example.com',
          errors: ['tag:web:443: expected access from alice@example.com, but no rule allows it'],
        },
      ],
    });
    expect(error.message).toContain('test(s) failed');
    expect(policyWrites()).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
    expect(emulator.policy).toBe(POLICY);
  });

  it('refuses an edit that is not HuJSON before sending it, with its position', async () => {
    const error = await rejectionOf(clientFor(emulator, clock).updatePolicy('-', (t) => t.replace('{', "{'x': 1,")));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(error.message).toMatch(/mutate: the new text is not HuJSON: hujson: line 2, column 2: /);
    expect(policyWrites()).toHaveLength(0);
  });

  it('reports a policy the server refuses as not HuJSON with the server position', async () => {
    const error = await rejectionOf(clientFor(emulator, clock).setPolicy('-', POLICY.replace('{', "{'x': 1,"), emulator.etag));
    expect(error).toMatchObject({ code: 'policy-refused', status: 400 });
    expect(error.apiMessage).toMatch(/^hujson: line 2, column 2: /);
  });

  it.each([
    [403, 'forbidden', /policy_file:read/],
    [404, 'not-found', /unknown tailnet or endpoint/],
    [405, 'unexpected-status', /unexpected status/],
  ])('does not retry a %i', async (status, code, message) => {
    const client = clientFor(emulator, clock);
    emulator.failNext(1, status);
    const error = await rejectionOf(client.getPolicy('-'));
    expect(error).toMatchObject({ code, status });
    expect(error.message).toMatch(message);
    expect(client.stats.requests).toBe(1);
  });
});

describe('unusable reads never lead to a write', () => {
  it.each([
    ['no-etag', /came without an ETag/],
    ['not-hujson', /is not HuJSON: hujson: line 1, column 1/],
  ] as const)('a GET with %s fails and nothing is posted', async (kind, message) => {
    const client = clientFor(emulator, clock);
    emulator.breakNextGet(kind);
    const error = await rejectionOf(client.updatePolicy('example.com', addToProd('dave@example.com')));
    expect(error).toMatchObject({ code: 'bad-response' });
    expect(error.message).toMatch(message);
    expect(emulator.writes).toBe(0);
    expect(policyWrites()).toHaveLength(0);
  });

  it.each([
    ['not JSON', '<html>oops</html>', /validation response is not JSON/],
    ['not an object', [], /validation response is not a JSON object/],
  ])('a validation answer that is %s is an error, not a verdict', async (_name, body, message) => {
    emulator.failNext(1, 200, { path: 'acl', body });
    const error = await rejectionOf(clientFor(emulator, clock).validatePolicy('-', POLICY));
    expect(error).toMatchObject({ code: 'bad-response' });
    expect(error.message).toMatch(message);
  });
});

describe('the size of an exchange', () => {
  it('gives up on an answer larger than 4 MiB, reading no more of it', async () => {
    emulator.failNext(1, 200, { path: 'acl', body: 'x'.repeat(4 * 1024 * 1024 + 1) });
    const error = await rejectionOf(clientFor(emulator, clock).getPolicy('-'));
    expect(error).toMatchObject({ code: 'bad-response' });
    expect(error.message).toMatch(/unusable response: an answer larger than 4194304 bytes/);
  });

  it('refuses to send a body larger than 4 MiB, before any request', async () => {
    const client = clientFor(emulator, clock);
    const { etag } = await client.getPolicy('-');
    const error = await rejectionOf(client.setPolicy('-', `${POLICY}${' '.repeat(4 * 1024 * 1024)}`, etag));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(error.message).toMatch(/the request body is larger than 4194304 bytes/);
    expect(policyWrites()).toHaveLength(0);
  });

  it('reads an answer of exactly 4 MiB', async () => {
    emulator.failNext(1, 200, { path: 'acl', body: `{${' '.repeat(4 * 1024 * 1024 - 2)}}` });
    await expect(clientFor(emulator, clock).validatePolicy('-', POLICY)).resolves.toEqual({ ok: true });
  });
});
