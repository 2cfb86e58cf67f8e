import { TailnetEmulator } from '../../lib/testing';
import { call, KEY } from './http';

/** Already canonical, so what the emulator keeps is these bytes. */
const POLICY = '{"groups": {"group:prod": []}}\n';
const EDITED = '{"groups": {"group:prod": ["dave@example.com"]}}\n';
const aclOf = (tailnet: string) => `/api/v2/tailnet/${tailnet}/acl`;

let emulator: TailnetEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function write(origin: string, tailnet: string, text: string): Promise<number> {
  const read = await call(origin, 'GET', aclOf(tailnet));
  const written = await call(origin, 'POST', aclOf(tailnet), { body: text, headers: { 'If-Match': read.headers.get('etag')! } });
  return written.status;
}

describe('tailnets of one emulator', () => {
  it('share one policy file by default: a write to one name is read under every name', async () => {
    emulator = await TailnetEmulator.start({ policy: POLICY, apiKeys: [KEY], tailnets: ['a.example', 'b.example'] });
    expect(await write(emulator.url, 'a.example', EDITED)).toBe(200);
    for (const name of ['-', 'a.example', 'b.example']) expect((await call(emulator.url, 'GET', aclOf(name))).text).toBe(EDITED);
  });

  it('keep a file each with separatePolicies: a write to one leaves the others, and their ETags, as they were', async () => {
    emulator = await TailnetEmulator.start({ policy: POLICY, apiKeys: [KEY], tailnets: ['a.example', 'b.example'], separatePolicies: true });
    const untouched = (await call(emulator.url, 'GET', aclOf('a.example'))).headers.get('etag');
    expect(await write(emulator.url, 'b.example', EDITED)).toBe(200);
    expect(emulator.policyOf('b.example')).toBe(EDITED);
    expect(emulator.policyOf('a.example')).toBe(POLICY);
    // `-` is the first configured tailnet.
    expect(emulator.policy).toBe(POLICY);
    const a = await call(emulator.url, 'GET', aclOf('-'));
    expect([a.text, a.headers.get('etag')]).toEqual([POLICY, untouched]);
    // An ETag of one tailnet does not match another's file.
    const bEtag = (await call(emulator.url, 'GET', aclOf('b.example'))).headers.get('etag')!;
    expect((await call(emulator.url, 'POST', aclOf('a.example'), { body: EDITED, headers: { 'If-Match': bEtag } })).status).toBe(412);
    emulator.setPolicy(EDITED, 'a.example');
    emulator.reset();
    expect([emulator.policyOf('a.example'), emulator.policyOf('b.example')]).toEqual([POLICY, POLICY]);
  });

  it('refuses separatePolicies without a tailnet name, and names an unknown tailnet', async () => {
    await expect(TailnetEmulator.start({ tailnets: [], separatePolicies: true })).rejects.toThrow(
      'emulator separatePolicies: expected at least one name in tailnets',
    );
    await expect(TailnetEmulator.start({ separatePolicies: 'yes' as never })).rejects.toThrow('emulator separatePolicies: expected true or false');
    emulator = await TailnetEmulator.start({ policy: POLICY });
    expect(() => emulator!.policyOf('other.example')).toThrow('emulator: no tailnet named "other.example"; configured: -, example.com');
  });
});

describe('peakConcurrentRequests', () => {
  it('is the most requests served at one moment, each held by the latency; reset starts it again', async () => {
    emulator = await TailnetEmulator.start({ policy: POLICY, apiKeys: [KEY], latencyMs: 50 });
    await Promise.all(Array.from({ length: 4 }, () => call(emulator!.url, 'GET', aclOf('-'))));
    expect(emulator.peakConcurrentRequests).toBe(4);
    await call(emulator.url, 'GET', aclOf('-'));
    expect(emulator.peakConcurrentRequests).toBe(4);
    emulator.reset();
    expect(emulator.peakConcurrentRequests).toBe(0);
    await call(emulator.url, 'GET', aclOf('-'));
    expect(emulator.peakConcurrentRequests).toBe(1);
  });

  it('counts a dropped connection as ended', async () => {
    emulator = await TailnetEmulator.start({ policy: POLICY, apiKeys: [KEY] });
    emulator.dropNext(1);
    await expect(call(emulator.url, 'GET', aclOf('-'))).rejects.toThrow();
    await call(emulator.url, 'GET', aclOf('-'));
    expect(emulator.peakConcurrentRequests).toBe(1);
  });
});
