import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { format } from '../../lib/hujson';
import { TailscaleClient } from '../../lib/tailscale';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { DEMO_POLICY } from '../runtime/harness';
import { EXAMPLE_INVENTORY_FILE } from '../support/example-tailnet';
import { symtail, workspace } from './harness';

const childEnv = { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') };
let dir: string;
let cli: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'symtail-cli-'));
  cli = path.join(dir, 'symtail.js');
  const entry = path.join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(path.resolve(__dirname, '../../lib/cli/main'))};\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
  );
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', outfile: cli, external: ['@aws-sdk/*'], logLevel: 'error' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `symtail emulator` with `args` on a file holding `policy`; resolves to its URL and a stop that awaits the exit code. */
async function startCli(policy: string, args: string[]): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const policyFile = path.join(dir, 'policy.hujson');
  writeFileSync(policyFile, policy);
  const child = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--policy', policyFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

const clientOf = (url: string) => new TailscaleClient({ credential: { kind: 'apiKey', apiKey: EMULATOR_API_KEY }, apiBaseUrl: url });

test('symtail emulator serves the given policy until it is sent SIGTERM, then exits 0', async () => {
  const emulator = await startCli(DEMO_POLICY, []);
  await expect(clientOf(emulator.url).getPolicy('example.com')).resolves.toMatchObject({ text: DEMO_POLICY });
  expect(await emulator.stop()).toBe(0);
});

test('symtail emulator keeps the file formatted as Tailscale does, or byte for byte with --verbatim', async () => {
  const hand = '{"groups": {\r\n"group:prod": []}}';
  const canonical = await startCli(hand, []);
  await expect(clientOf(canonical.url).getPolicy('-')).resolves.toMatchObject({ text: format(hand) });
  expect(await canonical.stop()).toBe(0);
  const verbatim = await startCli(hand, ['--verbatim']);
  await expect(clientOf(verbatim.url).getPolicy('-')).resolves.toMatchObject({ text: hand });
  expect(await verbatim.stop()).toBe(0);
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

test("symtail emulator --inventory serves the example tailnet's devices", async () => {
  const emulator = await startCli(DEMO_POLICY, ['--inventory', EXAMPLE_INVENTORY_FILE]);
  const devices = await clientOf(emulator.url).listDevices('example.com');
  expect(devices.map((d) => d.name)).toContain('prod-web-1.tailfe8c.ts.net');
  expect(await emulator.stop()).toBe(0);
});

test.each([
  [
    'a --tailnet the API could not name, whichever of them it is',
    ['--tailnet', 'example.com', '--tailnet', 'a/b'],
    '--tailnet: expected "-" or a tailnet name (letters, digits, ".", "_", "@", "+", "-"), got "a/b"',
  ],
  ['a --host that is not loopback', ['--host', '0.0.0.0'], '--host: expected a loopback address such as 127.0.0.1, got "0.0.0.0"'],
  ['a --port past 65535', ['--port', '70000'], '--port: expected a whole number from 0 to 65535, got "70000"'],
])('symtail emulator refuses %s, with exit 2 and nothing started', async (_name, flags, message) => {
  const run = await symtail(['emulator', ...flags], process.cwd());
  expect(run).toEqual({ code: 2, stdout: '', stderr: `symtail emulator: ${message}\nRun 'symtail emulator --help' for usage.\n` });
});

test.each([
  ['not JSON', 'devices: []', '--inventory inventory.json: not JSON'],
  ['not an inventory', '{"machines": []}', 'emulator inventory: unknown field "machines"'],
])('symtail emulator refuses an --inventory that is %s, with exit 2 and nothing started', async (_name, text, message) => {
  const ws = workspace({ 'inventory.json': text });
  try {
    const run = await symtail(['emulator', '--inventory', 'inventory.json'], ws.dir);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toContain(message);
  } finally {
    ws.cleanup();
  }
});
