import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { TailscaleClient } from '../../lib/tailscale';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { DEMO_POLICY } from '../runtime/harness';

const childEnv = { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') };
let dir: string;
let cli: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'symtail-cli-'));
  cli = path.join(dir, 'symtail.js');
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(entry, `import { main } from ${JSON.stringify(path.resolve(__dirname, '../../lib/cli/main'))};\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`);
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', outfile: cli, external: ['@aws-sdk/*'], logLevel: 'error' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('symtail emulator serves the given policy until it is sent SIGTERM, then exits 0', async () => {
  const policyFile = path.join(dir, 'policy.hujson');
  writeFileSync(policyFile, DEMO_POLICY);
  const child = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--policy', policyFile], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  });
  const client = new TailscaleClient({ credential: { kind: 'apiKey', apiKey: EMULATOR_API_KEY }, apiBaseUrl: url });
  await expect(client.getPolicy('example.com')).resolves.toMatchObject({ text: DEMO_POLICY });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});

test('symtail emulator refuses a policy file that does not parse, with exit 2', async () => {
  const policyFile = path.join(dir, 'broken.hujson');
  writeFileSync(policyFile, '{"groups": {"group:prod": [,]}}');
  const child = spawn(process.execPath, [cli, 'emulator', '--policy', policyFile], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(2);
  expect(stderr).toContain('line 1, column 28');
});
