import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { App } from 'cdktf';
import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import { EMULATOR_API_KEY, FakeSecretsManager, TailnetEmulator } from '../../lib/testing';

import { DEMO_POLICY } from './harness';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

let scratch: string;
let packageDir: string;
let emulator: TailnetEmulator;
let secrets: FakeSecretsManager;

/** Unzips the archive synth wrote for the example, as Lambda would, and points its manifest at the emulator. */
function unpackSynthesizedZip(apiBaseUrl: string): string {
  const outdir = path.join(scratch, 'cdktf.out');
  const app = new App({ outdir });
  buildTailscaleSshAccess(app);
  app.synth();
  const assets = path.join(outdir, 'stacks/tailscale-ssh-access/assets');
  const zipPath = fs.readdirSync(assets, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.zip'));
  if (!zipPath) throw new Error('synth wrote no zip');
  const dir = path.join(scratch, 'task');
  new AdmZip(path.join(assets, zipPath)).extractAllTo(dir);
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const integration of Object.values(manifest.integrations) as { apiBaseUrl: string }[]) integration.apiBaseUrl = apiBaseUrl;
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return dir;
}

/** Invokes the unpacked handler in a fresh Node process, the way the Lambda runtime would, one event after another. */
async function invoke(events: unknown[]): Promise<{ results: unknown[]; stdout: string }> {
  const resultsFile = path.join(scratch, `results-${Date.now()}.json`);
  const script = `
    const { handler } = require(${JSON.stringify(path.join(packageDir, 'index.js'))});
    (async () => {
      const results = [];
      for (const e of ${JSON.stringify(events)}) results.push(await handler(e));
      require('node:fs').writeFileSync(${JSON.stringify(resultsFile)}, JSON.stringify(results));
    })();`;
  const { stdout } = await run(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH,
      // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
      NODE_PATH: path.join(ROOT, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    },
  });
  return { results: JSON.parse(fs.readFileSync(resultsFile, 'utf8')), stdout };
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-bundle-'));
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  secrets = await FakeSecretsManager.start({ 'sym/main/tailscale-api-key': EMULATOR_API_KEY });
  packageDir = unpackSynthesizedZip(emulator.url);
});
afterAll(async () => {
  await emulator.stop();
  await secrets.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test('the synthesized zip reports and sweeps through the real AWS SDK and HTTP, reading its secret once', async () => {
  const { results, stdout } = await invoke([{ action: 'status' }, { action: 'sweep' }, { action: 'status', flow: 'tailscale-ssh-access' }]);
  expect(results).toEqual([
    expect.objectContaining({ ok: true, action: 'status', targets: expect.arrayContaining([expect.objectContaining({ group: 'prod' })]) }),
    expect.objectContaining({ ok: true, action: 'sweep' }),
    expect.objectContaining({ ok: true, action: 'status' }),
  ]);
  expect(emulator.policy).toBe(DEMO_POLICY);
  // The secret is read once for the container's life, not once per event.
  expect(secrets.reads).toEqual(['sym/main/tailscale-api-key']);
  const audit = stdout.trim().split('\n').map((line) => JSON.parse(line));
  expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(['status:success', 'sweep:noop', 'status:success']);
  expect(stdout).not.toContain(EMULATOR_API_KEY);
});

test('the synthesized zip rejects bad events with JSON errors and makes no request', async () => {
  const before = emulator.requests.length;
  const { results } = await invoke([{ action: 'fly' }, null, { action: 'escalate', flow: 'nope', target: 't', requester: { email: 'a@example.com' } }]);
  expect(results).toEqual([
    { ok: false, error: { code: 'invalid-event', message: expect.stringContaining('event.action: expected one of') } },
    { ok: false, error: { code: 'invalid-event', message: 'event: expected a JSON object with an "action" field' } },
    // Checked against its schema first, then refused: the example runtime does not trust event-asserted requesters.
    { ok: false, error: { code: 'authenticated-request-required', message: expect.stringContaining('does not trust') } },
  ]);
  expect(emulator.requests.length).toBe(before);
});
