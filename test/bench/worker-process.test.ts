import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { WorkerProcess } from '../../scripts/bench/worker-process';

let dir: string;
const workers: WorkerProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'symtail-bench-worker-'));
});
afterEach(() => workers.splice(0).forEach((w) => w.stop()));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker script of plain JavaScript, so the test needs no build. */
function script(name: string, source: string): string {
  const file = path.join(dir, `${name}.js`);
  writeFileSync(file, source);
  return file;
}

function start(file: string, args: string[] = [], timeoutMs = 10_000): WorkerProcess {
  const worker = new WorkerProcess(file, args, timeoutMs);
  workers.push(worker);
  return worker;
}

const ECHO = `
process.stdout.write('ready\\n');
require('node:readline').createInterface({ input: process.stdin }).once('line', (line) => {
  process.stdout.write(JSON.stringify({ got: line, args: process.argv.slice(2) }) + '\\n');
  process.exit(0);
});`;

test('starts the work only on go, and resolves with the result line', async () => {
  const worker = start(script('echo', ECHO), ['a', 'b']);
  await worker.ready;
  expect(JSON.parse(await worker.go())).toEqual({ got: 'go', args: ['a', 'b'] });
});

test('a worker that dies before reporting fails with its stderr', async () => {
  const worker = start(script('dies', `process.stderr.write('no emulator here'); process.exit(3);`));
  await expect(worker.ready).rejects.toThrow(/ended \(exit 3\) before reporting: no emulator here/);
  await expect(worker.go()).rejects.toThrow(/exit 3/);
});

test('a worker that says something else first is refused', async () => {
  const worker = start(script('chatty', `process.stdout.write('hello\\n'); setTimeout(() => {}, 10000);`));
  await expect(worker.ready).rejects.toThrow('expected "ready", got "hello"');
});

test('a worker that never reports is killed when its time is up', async () => {
  const worker = start(script('hangs', `process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`), [], 300);
  await worker.ready;
  await expect(worker.go()).rejects.toThrow(/ended \(SIGKILL\) before reporting/);
});

describe('with serveOnce on the other side', () => {
  let serving: string;
  beforeAll(() => {
    serving = path.join(dir, 'serve-once-worker.js');
    buildSync({
      entryPoints: [path.join(__dirname, 'fixtures/serve-once-worker.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: serving,
      logLevel: 'error',
    });
  });

  test('the work runs after go and its result comes back as one JSON line', async () => {
    const worker = start(serving, ['1', '2', '39']);
    await worker.ready;
    expect(JSON.parse(await worker.go())).toEqual({ sum: 42 });
  });

  test('failed work ends the worker with its message', async () => {
    const worker = start(serving, ['fail']);
    await worker.ready;
    await expect(worker.go()).rejects.toThrow(/ended \(exit 1\) before reporting: asked to fail/);
  });
});
