import { createHash } from 'node:crypto';
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

describe('getPolicy', () => {
  it('returns the stored HuJSON byte for byte (CRLF, tabs, comments, non-ASCII) and the quoted ETag', async () => {
    const { text, etag } = await clientFor(emulator, clock).getPolicy('example.com');
    expect(text).toBe(POLICY);
    expect(etag).toBe(`"${createHash('sha256').update(POLICY).digest('hex')}"`);
    expect(requestsTo(emulator, 'GET', '/acl')[0].headers.accept).toBe('application/hujson');
  });

  it('reads the default tailnet as "-"', async () => {
    const { text } = await clientFor(emulator, clock).getPolicy('-');
    expect(text).toBe(POLICY);
    expect(emulator.requests[0].path).toBe('/api/v2/tailnet/-/acl');
  });

  it('reports an unknown tailnet as not-found, naming it, without retrying', async () => {
    const client = clientFor(emulator, clock);
    const error = await rejectionOf(client.getPolicy('other.example'));
    expect(error).toMatchObject({ code: 'not-found', status: 404, tailnet: 'other.example' });
    expect(error.message).toMatch(/^tailscale: get policy of tailnet "other.example": unknown tailnet/);
    expect(client.stats.requests).toBe(1);
  });

  it('refuses a malformed tailnet before sending anything', async () => {
    const error = await rejectionOf(clientFor(emulator, clock).getPolicy('../../oauth/token'));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('setPolicy', () => {
  it('writes with If-Match as received and returns the new ETag', async () => {
    const client = clientFor(emulator, clock);
    const { etag } = await client.getPolicy('example.com');
    const next = addToProd('dave@example.com')(POLICY);
    const written = await client.setPolicy('example.com', next, etag);
    expect(written.etag).toBe(emulator.etag);
    expect(emulator.policy).toBe(next);
    expect(emulator.writes).toBe(1);
    const post = requestsTo(emulator, 'POST', '/acl')[0];
    expect(post.headers['if-match']).toBe(etag);
    expect(post.headers['content-type']).toBe('application/hujson');
  });

  it('fails with 412 on a stale ETag and does not retry', async () => {
    const client = clientFor(emulator, clock);
    const { etag } = await client.getPolicy('example.com');
    emulator.setPolicy(addToProd('eve@example.com')(POLICY));
    const error = await rejectionOf(client.setPolicy('example.com', POLICY, etag));
    expect(error).toMatchObject({
      code: 'precondition-failed',
      status: 412,
      apiMessage: 'precondition failed, invalid old hash',
    });
    expect(requestsTo(emulator, 'POST', '/acl')).toHaveLength(1);
    expect(emulator.writes).toBe(0);
  });

  // Tailscale's Go client (tailscale-client-go-v2, policyfile.go) sends fmt.Sprintf("%q", strings.Trim(etag, `"`)).
  it.each([
    ['as received, quoted', (etag: string) => etag],
    ['that lost its quotes', (etag: string) => etag.slice(1, -1)],
    ['quoted twice', (etag: string) => `"${etag}"`],
  ])('sends an ETag %s in double quotes, as the Go client does', async (_name, held) => {
    const client = clientFor(emulator, clock);
    const { etag } = await client.getPolicy('example.com');
    await client.setPolicy('example.com', addToProd('dave@example.com')(POLICY), held(etag));
    expect(requestsTo(emulator, 'POST', '/acl')[0].headers['if-match']).toBe(etag);
    expect(emulator.writes).toBe(1);
  });

  it('refuses an If-Match that could inject a header', async () => {
    const error = await rejectionOf(clientFor(emulator, clock).setPolicy('-', POLICY, '"abc"\r\nX-Evil: 1'));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(error.message).toContain('ifMatch');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('updatePolicy', () => {
  it('writes at the first attempt when the ETag arrives without its quotes: it goes back quoted', async () => {
    const quoted = emulator.etag;
    emulator.breakNextGet('unquoted-etag');
    const result = await clientFor(emulator, clock).updatePolicy('example.com', addToProd('dave@example.com'));
    expect(result).toMatchObject({ written: true, conflicts: 0, etagBefore: quoted.slice(1, -1) });
    expect(requestsTo(emulator, 'POST', '/acl').map((r) => [r.status, r.headers['if-match']])).toEqual([[200, quoted]]);
  });

  it('reads, mutates and writes once when nobody interferes', async () => {
    const result = await clientFor(emulator, clock).updatePolicy('example.com', addToProd('dave@example.com'));
    expect(result).toMatchObject({ before: POLICY, written: true, conflicts: 0, etagAfter: emulator.etag });
    expect(emulator.policy).toBe(result.after);
    expect(emulator.writes).toBe(1);
  });

  it('absorbs a concurrent edit: counts the 412, re-reads, re-applies, and keeps both changes', async () => {
    const client = clientFor(emulator, clock);
    emulator.raceNext(addToProd('racer@example.com'));
    const result = await client.updatePolicy('example.com', addToProd('dave@example.com'));
    expect(result.conflicts).toBe(1);
    expect(client.stats.conflicts).toBe(1);
    expect(result.written).toBe(true);
    expect(emulator.policy).toContain('"racer@example.com"');
    expect(emulator.policy).toContain('"dave@example.com"');
    expect(result.before).toContain('"racer@example.com"');
    expect(emulator.writes).toBe(1);
    expect(requestsTo(emulator, 'POST', '/acl').map((r) => r.status)).toEqual([412, 200]);
  });

  it('gives up after the configured number of conflicts without writing', async () => {
    const client = clientFor(emulator, clock, { retry: { maxConflicts: 2 } });
    emulator.raceNext(addToProd('x@example.com'), 10);
    const error = await rejectionOf(client.updatePolicy('example.com', addToProd('dave@example.com')));
    expect(error).toMatchObject({ code: 'too-many-conflicts', status: 412 });
    expect(client.stats.conflicts).toBe(3);
    expect(emulator.writes).toBe(0);
    expect(emulator.policy).not.toContain('dave@example.com');
  });

  it.each([
    ['null', () => null],
    ['the same text', (text: string) => text],
  ])('does not POST when mutate returns %s', async (_name, mutate) => {
    const result = await clientFor(emulator, clock).updatePolicy('example.com', mutate);
    expect(result).toMatchObject({ written: false, conflicts: 0, before: POLICY, after: POLICY });
    expect(result.etagAfter).toBe(result.etagBefore);
    expect(requestsTo(emulator, 'POST', '/acl')).toHaveLength(0);
  });

  it('lets an exception from mutate through untouched and writes nothing', async () => {
    const refusal = new Error('group:nope does not exist');
    await expect(
      clientFor(emulator, clock).updatePolicy('example.com', () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(emulator.writes).toBe(0);
  });

  it('refuses a mutate result that is not text', async () => {
    const error = await rejectionOf(clientFor(emulator, clock).updatePolicy('example.com', (() => 42) as unknown as () => string));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(emulator.writes).toBe(0);
  });
});

describe('validatePolicy', () => {
  it('accepts a valid policy, even one that starts with a comment', async () => {
    await expect(clientFor(emulator, clock).validatePolicy('example.com', POLICY)).resolves.toEqual({ ok: true });
    expect(emulator.writes).toBe(0);
  });

  it('reports failing tests with the server message and data', async () => {
    const failing = POLICY.replace('"deny": ["tag:prod:22"]', '"deny": ["tag:web:443"]');
    const result = await clientFor(emulator, clock).validatePolicy('example.com', failing);
    expect(result).toEqual({
      ok: false,
      message: 'test(s) failed',
      data: [
        {
          user: 'alice@example.com',
          errors: ['tag:web:443: expected no access from alice@example.com, but a rule allows it'],
        },
      ],
    });
  });

  it('reports text that is not HuJSON with its position, without a request', async () => {
    const result = await clientFor(emulator, clock).validatePolicy('example.com', '{"groups": {,}}');
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^hujson: line 1, column \d+: /);
    expect(emulator.requests).toHaveLength(0);
  });
});
