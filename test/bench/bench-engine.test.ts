import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CredentialCache } from '../../lib/runtime/credentials';
import { TailnetEmulator } from '../../lib/testing';
import { BENCH_GROUP, benchHandler, benchManifest, EMULATOR_KEY_CREDENTIALS, escalate, escalateAll, requesters } from '../../scripts/bench/bench-engine';
import { EmulatedSecretSource } from '../../scripts/bench/emulated-secret-source';
import { countLost } from '../../scripts/bench/lost-updates';

const POLICY = readFileSync(path.resolve(__dirname, '../../examples/tailscale-ssh-access/policy.hujson'), 'utf8');
const OAUTH = { clientId: 'test-client', clientSecret: 'test-client-secret' };

let emulator: TailnetEmulator;
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: POLICY, oauthClients: [OAUTH] });
});
afterEach(() => emulator.stop());

test('requesters are distinct emails under the prefix', () => {
  expect(requesters('warm', 3)).toEqual(['warm-0@example.com', 'warm-1@example.com', 'warm-2@example.com']);
});

test('a first escalation with the emulator key costs one read and one write and lands in group:prod', async () => {
  const handler = benchHandler(benchManifest(emulator.url, 'apiKey'), EMULATOR_KEY_CREDENTIALS);
  await escalate(handler, 'alice@example.com', 'r-1');
  expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 200']);
  expect(countLost(emulator.policy, BENCH_GROUP, ['alice@example.com'])).toBe(0);
});

test('a cold escalation with an OAuth client reads the secret once, fetches a token, then reads and writes; a warm one only writes', async () => {
  const manifest = benchManifest(emulator.url, 'oauthClient');
  const { secretId } = Object.values(manifest.integrations)[0].credential;
  const source = new EmulatedSecretSource({ [secretId]: JSON.stringify({ client_id: OAUTH.clientId, client_secret: OAUTH.clientSecret }) }, 1);
  const handler = benchHandler(manifest, new CredentialCache(source));
  await escalate(handler, 'bob@example.com', 'r-1');
  await escalate(handler, 'carol@example.com', 'r-2');
  expect(source.reads).toBe(1);
  expect(emulator.requests.map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['POST token', 'GET acl', 'POST acl', 'POST acl']);
});

test("escalate stops with the runtime's error code and message when an escalation is refused", async () => {
  const handler = benchHandler(benchManifest(emulator.url, 'apiKey'), EMULATOR_KEY_CREDENTIALS);
  await expect(escalate(handler, 'group:admins', 'r-1')).rejects.toThrow(/^escalation of group:admins failed: invalid-event: /);
  expect(emulator.requests).toHaveLength(0);
});

test('escalateAll tallies failures instead of throwing, and lands every other escalation', async () => {
  const handler = benchHandler(benchManifest(emulator.url, 'apiKey'), EMULATOR_KEY_CREDENTIALS);
  const tally = await escalateAll(handler, ['a@example.com', 'not-an-email', 'b@example.com'], 'r-t');
  expect(tally.ok).toBe(2);
  expect(tally.failures).toHaveLength(1);
  expect(tally.failures[0]).toMatch(/^invalid-event: /);
  expect(countLost(emulator.policy, BENCH_GROUP, ['a@example.com', 'b@example.com'])).toBe(0);
});
