import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { listLedger } from '../../lib/policy';
import { standardize } from '../../lib/hujson';
import { DEMO_POLICY, Harness, escalation, startHarness, exampleManifest } from './harness';

const run = promisify(execFile);

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const emails = (n: number, prefix = 'user') => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`);

/** The policy with group:prod's array emptied: what must equal the original once the grants are set aside. */
function withoutProdMembers(text: string): string {
  return text.replace(/"group:prod": \[[^\]]*\]/, '"group:prod": []');
}

function expectAllGranted(members: string[]) {
  const { active } = listLedger(h.emulator.policy, h.clock.now);
  expect(active.map((g) => g.member).sort()).toEqual([...members].sort());
  expect(withoutProdMembers(h.emulator.policy)).toBe(DEMO_POLICY);
  const value = JSON.parse(standardize(h.emulator.policy)) as { groups: Record<string, string[]> };
  expect(value.groups['group:prod'].sort()).toEqual([...members].sort());
}

test('an edit made between our read and our write causes a 412; the retry keeps both changes', async () => {
  h.emulator.raceNext((text) => text.replace('"users":  ["ec2-user"]', '"users":  ["ec2-user", "root"]'));
  const result = await h.engine.escalate(escalation());
  expect(result.written).toBe(true);
  expect(h.emulator.requests.filter((r) => r.status === 412)).toHaveLength(1);
  expect(h.emulator.policy).toContain('"users":  ["ec2-user", "root"]');
  expect(h.emulator.policy).toContain('"alice@example.com" /* symtail:');
});

test('50 concurrent escalations in one process all land, sharing reads and writes', async () => {
  const members = emails(50);
  const results = await Promise.all(members.map((email, i) => h.engine.escalate(escalation({ requester: { email }, requestId: `r-${i}` }))));
  expect(results.every((r) => r.written)).toBe(true);
  expectAllGranted(members);
  // Coalesced: the first escalation writes alone, the other 49 share one read and one write.
  expect(h.emulator.writes).toBeLessThanOrEqual(3);
  expect(h.aclRequests()).toBeLessThanOrEqual(2 * 3);
});

test('an edit that cannot apply fails alone; the edits sharing its write land', async () => {
  await h.stop();
  h = await startHarness({ policy: DEMO_POLICY.replace(/\t\t"group:staging": \[[^\]]*\],\n/, '') });
  const results = await Promise.allSettled([
    h.engine.escalate(escalation({ requester: { email: 'a@example.com' }, requestId: 'r-a' })),
    h.engine.escalate(escalation({ requester: { email: 'b@example.com' }, target: 'main-staging-access', requestId: 'r-b' })),
    h.engine.escalate(escalation({ requester: { email: 'c@example.com' }, requestId: 'r-c' })),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toContain('group:staging');
  expect(listLedger(h.emulator.policy, h.clock.now).active.map((g) => g.member)).toEqual(['a@example.com', 'c@example.com']);
});

test('a grant that makes a policy test fail is refused alone; the others sharing its write land', async () => {
  await h.stop();
  const policy = DEMO_POLICY.replace('\t"tagOwners": {', '\t"tests": [\n\t\t{"src": "mallory@example.com", "deny": ["tag:prod:22"]},\n\t],\n\t"tagOwners": {');
  h = await startHarness({ policy });
  const results = await Promise.allSettled(
    ['a', 'mallory', 'c', 'd'].map((name) => h.engine.escalate(escalation({ requester: { email: `${name}@example.com` }, requestId: `r-${name}` }))),
  );
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ status: 400 });
  expect(
    listLedger(h.emulator.policy, h.clock.now)
      .active.map((g) => g.member)
      .sort(),
  ).toEqual(['a@example.com', 'c@example.com', 'd@example.com']);
});

describe('across processes', () => {
  let workDir: string;
  let script: string;
  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'symtail-runtime-'));
    script = path.join(workDir, 'escalate-many.js');
    buildSync({
      entryPoints: [path.join(__dirname, 'fixtures/escalate-many.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: script,
      logLevel: 'error',
    });
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  test('50 escalations spread over 5 processes all land; conflicts are retried, nothing is lost', async () => {
    const perProcess = Array.from({ length: 5 }, (_, p) => emails(10, `p${p}-user`));
    const outputs = await Promise.all(perProcess.map((list) => run(process.execPath, [script, h.emulator.url, ...list])));
    const reports = outputs.map((o) => JSON.parse(o.stdout) as { ok: number; failures: string[] });
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(reports.map((r) => r.ok)).toEqual([10, 10, 10, 10, 10]);
    expectAllGranted(perProcess.flat());
  });
});

test('a refused OAuth client fails the whole batch once, without retrying edit by edit', async () => {
  await h.stop();
  h = await startHarness({
    manifest: (url) => exampleManifest(url, { integration: { credential: { kind: 'oauthClient', secretId: 'sym/main/oauth' } } }),
    engine: { credentials: { get: async () => ({ kind: 'oauthClient', clientId: 'cid', clientSecret: 'wrong' }) } },
  });
  h.emulator.failNext(100, 400, { path: 'token', body: { message: 'invalid client' } });
  const results = await Promise.allSettled(emails(6).map((email, i) => h.engine.escalate(escalation({ requester: { email }, requestId: `r-${i}` }))));
  expect(results.every((r) => r.status === 'rejected')).toBe(true);
  // One token request for the first edit, one for the batch of the other five.
  expect(h.emulator.requests.filter((r) => r.path === '/api/v2/oauth/token').length).toBeLessThanOrEqual(2);
});
