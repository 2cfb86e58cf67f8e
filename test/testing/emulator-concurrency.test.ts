import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { standardize } from '../../lib/hujson';
import { TailnetEmulator } from '../../lib/testing';
import { ACL, call, KEY } from './http';

const run = promisify(execFile);
const PROCESSES = 5;
const WRITERS_PER_PROCESS = 10;

let emulator: TailnetEmulator;
let workDir: string;
let writerScript: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'symtail-concurrency-'));
  writerScript = path.join(workDir, 'writer.js');
  buildSync({
    entryPoints: [path.resolve(__dirname, 'fixtures/concurrent-writer.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: writerScript,
    logLevel: 'error',
  });
  emulator = await TailnetEmulator.start({ policy: '{"groups": {"group:prod": []}}', apiKeys: [KEY] });
});
afterAll(async () => {
  await emulator.stop();
  rmSync(workDir, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

const prodMembers = () => (JSON.parse(standardize(emulator.policy)) as { groups: Record<string, string[]> }).groups['group:prod'];

it(`loses no update when ${PROCESSES * WRITERS_PER_PROCESS} writers in ${PROCESSES} processes edit at once`, async () => {
  const logins = (p: number) => Array.from({ length: WRITERS_PER_PROCESS }, (_, i) => `user${p}-${i}@example.com`);
  const outputs = await Promise.all(Array.from({ length: PROCESSES }, (_, p) => run(process.execPath, [writerScript, emulator.url, KEY, ...logins(p)])));
  const reports = outputs.map((o) => JSON.parse(o.stdout) as { written: number; conflicts: number });
  expect(reports.map((r) => r.written)).toEqual(Array(PROCESSES).fill(WRITERS_PER_PROCESS));
  const expected = Array.from({ length: PROCESSES }, (_, p) => logins(p)).flat();
  expect([...prodMembers()].sort()).toEqual([...expected].sort());
  expect(emulator.writes).toBe(PROCESSES * WRITERS_PER_PROCESS);
  // Usually 1-4 s; the margin is for a loaded machine, where 50 writers queue behind each other for longer.
}, 60_000);

it('keeps serving 50 concurrent requests while dropping some of them', async () => {
  emulator.dropNext(10);
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => call(emulator.url, 'GET', ACL)));
  const served = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 200);
  expect(served).toHaveLength(40);
  expect(emulator.requests.filter((r) => r.status === 0)).toHaveLength(10);
  expect((await call(emulator.url, 'GET', ACL)).status).toBe(200);
});

it('stays consistent under 50 naive writers that send no If-Match', async () => {
  const naive = async (i: number) => {
    const read = await call(emulator.url, 'GET', ACL);
    const policy = JSON.parse(standardize(read.text)) as { groups: Record<string, string[]> };
    policy.groups['group:prod'].push(`naive${i}@example.com`);
    return call(emulator.url, 'POST', ACL, { body: JSON.stringify(policy) });
  };
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => naive(i)));
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(emulator.writes).toBe(50);
  // Every member present came from some writer; how many were lost is the benchmarks' business.
  expect(prodMembers().every((m) => /^naive\d+@example\.com$/.test(m))).toBe(true);
});
