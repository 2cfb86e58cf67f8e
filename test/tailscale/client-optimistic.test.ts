import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { format, standardize } from '../../lib/hujson';
import { addToProd, clientFor, emulatorPerSuite, FakeClock, POLICY, rejectionOf } from './harness';

// Optimistic updates: a warm client writes on the text and ETag it kept from its last read or write, and If-Match
// decides. Against an emulator that keeps the file as Tailscale does (formatted on save).

const suite = emulatorPerSuite({ storage: 'canonical' });

const OPTIMISTIC = { optimistic: true };
const aclCalls = () => suite.emulator.requests.filter((r) => r.path.endsWith('/acl')).map((r) => `${r.method} ${r.status}`);
const sha256Etag = (text: string) => `"${createHash('sha256').update(text, 'utf8').digest('hex')}"`;
const prodMembers = (text: string) => (JSON.parse(standardize(text)) as { groups: Record<string, string[]> }).groups['group:prod'];
/** An edit that adds `login` to group:prod unless it is there: null when there is nothing to do, as the engine's edits. */
const grantProd = (login: string) => (text: string) => (prodMembers(text).includes(login) ? null : addToProd(login)(text));
/** What an admin does in the console: the file changes under every client. */
const rivalEdit = (login: string) => suite.emulator.setPolicy(addToProd(login)(suite.emulator.policy));

describe('a warm optimistic update', () => {
  it('makes exactly one HTTP request: the write, with the ETag of the last write as If-Match', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    const first = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(first).toMatchObject({ written: true, cached: false, roundTrips: 2 });
    suite.emulator.reset();
    suite.emulator.setPolicy(first.after);

    const second = await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['POST 200']);
    expect(suite.emulator.requests[0].headers['if-match']).toBe(first.etagAfter);
    expect(second).toMatchObject({ written: true, cached: true, roundTrips: 1, conflicts: 0, etagBefore: first.etagAfter, etagAfter: suite.emulator.etag });
    expect(prodMembers(suite.emulator.policy)).toEqual(['erin@example.com', 'dave@example.com', 'carol@example.com']);
  });

  it('is warm after a plain read too', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 200']);
    expect(update).toMatchObject({ cached: true, roundTrips: 1 });
  });

  it('keeps what it sent: the tailnet stores exactly that text, under the ETag the answer carried', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    // Canonical text goes out, so the formatting store keeps it byte for byte: the kept copy is the stored file.
    expect(suite.emulator.policy).toBe(update.after);
    expect(format(update.after)).toBe(update.after);
    expect(update.etagAfter).toBe(sha256Etag(update.after));
    const read = await client.getPolicy('-');
    expect(read).toEqual({ text: update.after, etag: update.etagAfter });
  });
});

describe('a kept copy that is stale', () => {
  it('after a rival write, the next update takes three requests (POST 412, GET, POST) and loses nothing', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    rivalEdit('rival@example.com');
    const before = suite.emulator.requests.length;

    const update = await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(aclCalls().slice(before - suite.emulator.requests.length)).toEqual(['POST 412', 'GET 200', 'POST 200']);
    expect(update).toMatchObject({ written: true, cached: false, roundTrips: 3, conflicts: 1 });
    expect(prodMembers(suite.emulator.policy)).toEqual(['erin@example.com', 'rival@example.com', 'dave@example.com', 'carol@example.com']);
  });

  it('is not used once older than the bound: the update reads first', async () => {
    const client = clientFor(suite.emulator, suite.clock, { policyCacheMs: 60_000 });
    await client.getPolicy('-');
    suite.clock.nowMs += 60_001;
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'GET 200', 'POST 200']);
    expect(update).toMatchObject({ cached: false, roundTrips: 2 });
  });

  it('is used up to the bound', async () => {
    const client = clientFor(suite.emulator, suite.clock, { policyCacheMs: 60_000 });
    await client.getPolicy('-');
    suite.clock.nowMs += 60_000;
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 200']);
  });

  it('is never kept with policyCacheMs 0', async () => {
    const client = clientFor(suite.emulator, suite.clock, { policyCacheMs: 0 });
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    const update = await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 200', 'GET 200', 'POST 200']);
    expect(update.cached).toBe(false);
  });

  it('is never used by an update that does not ask for it', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    const update = await client.updatePolicy('-', grantProd('erin@example.com'));
    expect(aclCalls()).toEqual(['GET 200', 'POST 200', 'GET 200', 'POST 200']);
    expect(update).toMatchObject({ cached: false, roundTrips: 2 });
  });

  it('is dropped after a write whose answer carried no ETag', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    suite.emulator.withholdNextWriteEtag(1);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 200', 'GET 200', 'POST 200']);
  });

  it('is dropped after setPolicy, whose text the tailnet stores formatted', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    const { etag } = await client.getPolicy('-');
    await client.setPolicy('-', addToProd('dave@example.com')(POLICY), etag);
    await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 200', 'GET 200', 'POST 200']);
  });
});

describe('after a kept copy is found stale', () => {
  it('the next update reads first; once a read finds the file as this client left it, updates write at once again', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    rivalEdit('rival@example.com');
    const trips = [];
    for (const login of ['erin@example.com', 'frank@example.com', 'grace@example.com']) {
      trips.push((await client.updatePolicy('-', grantProd(login), OPTIMISTIC)).roundTrips);
    }
    // The stale copy's 412, read, write; a read first, which finds the file as left; then the write alone.
    expect(trips).toEqual([3, 2, 1]);
  });

  it('updates keep reading first while other writers keep changing the file', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    const trips = [];
    for (const [i, login] of ['erin@example.com', 'frank@example.com', 'grace@example.com'].entries()) {
      rivalEdit(`rival${i}@example.com`);
      trips.push((await client.updatePolicy('-', grantProd(login), OPTIMISTIC)).roundTrips);
    }
    expect(trips).toEqual([3, 2, 2]);
    expect(suite.emulator.requests.filter((r) => r.status === 412)).toHaveLength(1);
  });

  it('any read that finds the file as this client left it restores the guess', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    rivalEdit('rival@example.com');
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    await client.getPolicy('-');
    const update = await client.updatePolicy('-', grantProd('erin@example.com'), OPTIMISTIC);
    expect(update).toMatchObject({ cached: true, roundTrips: 1 });
  });
});

describe('nothing is refused or called done on a kept copy alone', () => {
  it('an edit that throws on the kept text is made again on a fresh read, where it succeeds', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    suite.emulator.setPolicy(suite.emulator.policy.replace('"group:prod": [', '"group:ops": [], "group:prod": ['));
    const addToOps = (text: string) => {
      if (!text.includes('"group:ops"')) throw new Error('group:ops: no such group');
      return text.replace('"group:ops": [', '"group:ops": ["dave@example.com", ');
    };
    const update = await client.updatePolicy('-', addToOps, OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'GET 200', 'POST 200']);
    expect(update).toMatchObject({ written: true, cached: false });
    expect(suite.emulator.policy).toContain('"group:ops": ["dave@example.com"');
  });

  it('an edit that throws on the live text too is reported after one read, with nothing written', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    const error = await rejectionOf(
      client.updatePolicy(
        '-',
        () => {
          throw new Error('group:ops: no such group');
        },
        OPTIMISTIC,
      ),
    );
    expect(error.message).toBe('group:ops: no such group');
    expect(aclCalls()).toEqual(['GET 200', 'GET 200']);
    expect(suite.emulator.writes).toBe(0);
  });

  it('an edit the kept text already holds is judged on the live file, which a rival changed', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    // Someone removed dave since: the kept copy still says he is there.
    suite.emulator.setPolicy(suite.emulator.policy.replace('"dave@example.com",', ''));
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(update).toMatchObject({ written: true, cached: false, roundTrips: 2 });
    expect(prodMembers(suite.emulator.policy)).toContain('dave@example.com');
  });

  it('an edit the live file already holds is a no-op after one read', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    const before = suite.emulator.requests.length;
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(update).toMatchObject({ written: false, cached: false, roundTrips: 1 });
    expect(suite.emulator.requests.length - before).toBe(1);
  });

  it('a write made on the kept copy and refused (400) is made again on a fresh read', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    suite.emulator.failNext(1, 400, { path: 'acl', body: { message: 'test(s) failed' } });
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(aclCalls()).toEqual(['GET 200', 'POST 400', 'GET 200', 'POST 200']);
    expect(update).toMatchObject({ written: true, cached: false });
  });

  it('a refusal of the edit on the live file is reported as the server gave it', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    // Groups cannot hold groups: the tailnet refuses the edit whatever the file it is made on.
    const error = await rejectionOf(client.updatePolicy('-', addToProd('group:eng'), OPTIMISTIC));
    expect(error).toMatchObject({ code: 'policy-refused', status: 400 });
    expect(aclCalls()).toEqual(['GET 200', 'POST 400', 'GET 200', 'POST 400']);
    expect(suite.emulator.writes).toBe(0);
  });

  it('a write made on the kept copy whose answer was lost is reported written, once', async () => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    suite.emulator.loseNextWriteResponse(1);
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    // The lost answer, its retry's 412 against our own write, and the read that finds it there.
    expect(aclCalls()).toEqual(['GET 200', 'POST 0', 'POST 412', 'GET 200']);
    expect(update).toMatchObject({ written: true, cached: true, after: suite.emulator.policy, etagAfter: suite.emulator.etag });
    expect(suite.emulator.writes).toBe(1);
  });
});

describe('an edit someone else made first', () => {
  it.each([
    ['on a kept copy', OPTIMISTIC],
    ['after a read', {}],
  ])('is not reported as written when made %s and met with a 412', async (_when, options) => {
    const client = clientFor(suite.emulator, suite.clock);
    await client.getPolicy('-');
    // Someone makes the very edit between this client's read and its write.
    if (options === OPTIMISTIC) suite.emulator.setPolicy(grantProd('dave@example.com')(suite.emulator.policy)!);
    else suite.emulator.raceNext((text) => grantProd('dave@example.com')(text)!);
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), options);
    expect(update).toMatchObject({ written: false, conflicts: 1 });
    expect(suite.emulator.writes).toBe(0);
  });
});

describe('a stale kept copy is no race', () => {
  it('its 412 is not counted against maxConflicts', async () => {
    const client = clientFor(suite.emulator, suite.clock, { retry: { maxConflicts: 0 } });
    await client.getPolicy('-');
    rivalEdit('rival@example.com');
    const update = await client.updatePolicy('-', grantProd('dave@example.com'), OPTIMISTIC);
    expect(update).toMatchObject({ written: true, conflicts: 1 });
    expect(suite.clock.slept).toEqual([]);
  });
});

// A model of one client and rival writers: whatever the interleaving of our updates, rival edits and time passing,
// no member is lost, and an update costs one request exactly when it wrote on a copy that was young and still the live
// file, three when that copy was stale, and two when it read first: because it had no young copy, or because the last
// copy judged was stale.
test('any interleaving of optimistic updates, rival writes and time loses nothing and reads only when it must', async () => {
  const step = fc.oneof(
    fc.constant({ kind: 'ours' as const }),
    fc.constant({ kind: 'rival' as const }),
    fc.integer({ min: 1, max: 90 }).map((seconds) => ({ kind: 'wait' as const, seconds })),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
      suite.emulator.reset();
      const fake = new FakeClock();
      const client = clientFor(suite.emulator, fake, { policyCacheMs: 60_000 });
      const expected: string[] = [];
      // When our copy was taken, and whether the file has changed under it since; and the last verdict on a copy.
      let kept: { at: number; live: boolean } | undefined;
      let lastLive: boolean | undefined;
      for (const [i, s] of steps.entries()) {
        if (s.kind === 'wait') fake.nowMs += s.seconds * 1000;
        if (s.kind === 'rival') {
          rivalEdit(`rival${i}@example.com`);
          expected.push(`rival${i}@example.com`);
          if (kept) kept.live = false;
        }
        if (s.kind === 'ours') {
          const login = `ours${i}@example.com`;
          const young = kept !== undefined && fake.nowMs - kept.at <= 60_000;
          const update = await client.updatePolicy('-', grantProd(login), OPTIMISTIC);
          expected.push(login);
          if (young && lastLive !== false) {
            expect(update.roundTrips).toBe(kept!.live ? 1 : 3);
            expect(update.cached).toBe(kept!.live);
            lastLive = kept!.live;
          } else {
            expect(update).toMatchObject({ roundTrips: 2, cached: false });
            // The read judged the young copy it replaced.
            if (young) lastLive = kept!.live;
          }
          kept = { at: fake.nowMs, live: true };
        }
      }
      expect([...prodMembers(suite.emulator.policy)].sort()).toEqual([...expected, 'carol@example.com'].sort());
    }),
    { numRuns: 60 },
  );
});
