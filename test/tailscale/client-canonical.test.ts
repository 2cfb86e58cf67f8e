import { createHash } from 'node:crypto';
import { format } from '../../lib/hujson';
import { addToProd, clientFor, emulatorPerSuite, POLICY, requestsTo, startEmulator } from './harness';

// Against an emulator that keeps the policy file as Tailscale does: formatted on save.

const suite = emulatorPerSuite({ storage: 'canonical' });

const sha256Etag = (text: string) => `"${createHash('sha256').update(text, 'utf8').digest('hex')}"`;
const policyWrites = () => requestsTo(suite.emulator, 'POST', '/acl');

describe('updatePolicy on a tailnet that formats what it stores', () => {
  it('sends the edit in canonical form, which is exactly what the tailnet then holds', async () => {
    const update = await clientFor(suite.emulator, suite.clock).updatePolicy('-', addToProd('dave@example.com'));
    const expected = format(addToProd('dave@example.com')(format(POLICY)));
    expect(update).toMatchObject({ before: format(POLICY), after: expected, written: true, etagAfter: sha256Etag(expected) });
    expect(suite.emulator.policy).toBe(expected);
  });

  it('reports a write whose answer was lost, and whose retry met a 412, as written', async () => {
    suite.emulator.loseNextWriteResponse(1);
    const update = await clientFor(suite.emulator, suite.clock).updatePolicy('-', addToProd('dave@example.com'));
    expect(policyWrites().map((r) => r.status)).toEqual([0, 412]);
    expect(update).toMatchObject({ written: true, after: suite.emulator.policy, etagAfter: suite.emulator.etag, conflicts: 1 });
    expect(suite.emulator.writes).toBe(1);
  });

  it('reports a 200 write without an ETag as written, the new ETag unknown', async () => {
    suite.emulator.withholdNextWriteEtag(1);
    const update = await clientFor(suite.emulator, suite.clock).updatePolicy('-', addToProd('dave@example.com'));
    expect(update).toMatchObject({ written: true, after: suite.emulator.policy, etagAfter: undefined });
    expect(suite.emulator.writes).toBe(1);
  });

  it('leaves alone a stored file that is not canonical when the edit changes nothing', async () => {
    const verbatim = await startEmulator({ storage: 'verbatim' });
    try {
      const update = await clientFor(verbatim, suite.clock).updatePolicy('-', () => null);
      expect(update).toMatchObject({ written: false, after: POLICY });
      expect(verbatim.policy).toBe(POLICY);
    } finally {
      await verbatim.stop();
    }
  });
});

describe('validatePolicy reads every valid answer Tailscale gives', () => {
  it.each([
    ['an empty body', ''],
    ['null', 'null'],
    ['{}', '{}'],
  ])('%s means valid', async (_what, body) => {
    suite.emulator.failNext(1, 200, { body, path: 'acl' });
    await expect(clientFor(suite.emulator, suite.clock).validatePolicy('-', POLICY)).resolves.toEqual({ ok: true });
  });

  it('reports a warnings-only answer as valid, with the warnings', async () => {
    const server = await startEmulator({ knownUsers: ['alice@example.com', 'bob@example.com'] });
    try {
      await expect(clientFor(server, suite.clock).validatePolicy('-', POLICY)).resolves.toEqual({
        ok: true,
        message: 'warning(s) found',
        warnings: ['group:prod: user not found: "carol@example.com"'],
      });
    } finally {
      await server.stop();
    }
  });

  it('still reports errors that come with warnings as invalid', async () => {
    const data = [{ user: 'a@example.com', errors: ['bad rule'], warnings: ['unknown user'] }];
    suite.emulator.failNext(1, 200, { body: { message: 'test(s) failed', data }, path: 'acl' });
    await expect(clientFor(suite.emulator, suite.clock).validatePolicy('-', POLICY)).resolves.toEqual({ ok: false, message: 'test(s) failed', data });
  });
});
