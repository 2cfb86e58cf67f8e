import { TailscaleClient } from '../../lib/tailscale';
import { TailnetEmulator } from '../../lib/testing';
import { exampleInventory } from '../support/example-tailnet';
import { FakeClock, OAUTH_CLIENT, clientFor, rejectionOf, startEmulator } from './harness';

let emulator: TailnetEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ inventory: exampleInventory(), oauthClients: [{ ...OAUTH_CLIENT, scopes: ['policy_file:read'] }] });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const client = () => clientFor(emulator, new FakeClock());
const oauthClient = () => clientFor(emulator, new FakeClock(), { credential: { kind: 'oauthClient', ...OAUTH_CLIENT } });

test("listDevices reads every device with all its fields, the API reference's field names kept", async () => {
  const devices = await client().listDevices('example.com');
  expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/tailnet/example.com/devices']);
  expect(devices.map((d) => d.nodeId)).toEqual(exampleInventory().devices.map((d) => d.nodeId));
  expect(devices[0]).toEqual({
    nodeId: 'n5SUKe8CNTRL',
    name: 'prod-web-1.tailfe8c.ts.net',
    hostname: 'prod-web-1',
    user: 'alice@example.com',
    tags: ['tag:prod'],
    authorized: true,
    keyExpiryDisabled: true,
    blocksIncomingConnections: false,
    updateAvailable: false,
    connectedToControl: true,
    clientVersion: '1.76.6-t1d2f3e4a5',
    os: 'linux',
    isExternal: false,
    created: '2026-03-02T09:12:44Z',
  });
});

test("a shared-in device's empty fields read as absent, as the API reference describes them", async () => {
  const shared = (await client().listDevices('-')).find((d) => d.isExternal)!;
  expect(shared).not.toHaveProperty('clientVersion');
  expect(shared).not.toHaveProperty('created');
  expect(shared).toMatchObject({ updateAvailable: false, tags: [] });
});

test("listKeys lists the ids (the caller's own API key among them), then reads each key's details", async () => {
  const keys = await client().listKeys('example.com');
  expect(emulator.requests.map((r) => r.path)).toEqual([
    '/api/v2/tailnet/example.com/keys',
    ...['kCIrunner1CNTRL', 'kOldDev2CNTRL', 'kBobApi3CNTRL', 'kSymRt4CNTRL', 'kTEST0123456789'].map((id) => `/api/v2/tailnet/example.com/keys/${id}`),
  ]);
  expect(keys[0]).toEqual({
    id: 'kCIrunner1CNTRL',
    keyType: 'auth',
    description: 'ci runners',
    created: '2026-11-01T09:00:00Z',
    expires: '2027-01-30T09:00:00Z',
    invalid: false,
    capabilities: { reusable: true, ephemeral: true, preauthorized: true, tags: ['tag:ci'] },
  });
  expect(keys[3]).toEqual({ id: 'kSymRt4CNTRL', keyType: 'client', description: 'symtail runtime', created: '2026-05-05T10:00:00Z', invalid: false });
});

test('a key deleted between the list and its read is left out', async () => {
  emulator.failNext(1, 404, { path: 'key', body: { message: 'key not found' } });
  const ids = (await client().listKeys('-')).map((k) => k.id);
  // Details are read a few at a time, so which read meets the 404 depends on arrival order; the others stay.
  const gone = emulator.requests
    .find((r) => r.status === 404)!
    .path.split('/')
    .pop();
  expect(ids).toEqual(['kCIrunner1CNTRL', 'kOldDev2CNTRL', 'kBobApi3CNTRL', 'kSymRt4CNTRL', 'kTEST0123456789'].filter((id) => id !== gone));
  expect(ids).toHaveLength(4);
});

test('getSettings and listUsers read what governance judges', async () => {
  expect(await client().getSettings('-')).toEqual({ devicesApprovalOn: true, devicesAutoUpdatesOn: false, devicesKeyDurationDays: 180, usersApprovalOn: true });
  const users = await client().listUsers('-');
  expect(users.map((u) => [u.loginName, u.role])).toEqual([
    ['alice@example.com', 'owner'],
    ['bob@example.com', 'admin'],
    ['carol@example.com', 'member'],
    ['dave@example.com', 'member'],
    ['erin@example.com', 'auditor'],
  ]);
});

test.each<[string, (c: TailscaleClient) => Promise<unknown>, string]>([
  ['listDevices', (c) => c.listDevices('-'), 'devices:core:read'],
  ['listKeys', (c) => c.listKeys('-'), 'auth_keys:read'],
  ['getSettings', (c) => c.getSettings('-'), 'feature_settings:read'],
  ['listUsers', (c) => c.listUsers('-'), 'users:read'],
])('%s refused with 403 is forbidden, naming the scope it needs', async (_name, read, scope) => {
  const error = await rejectionOf(read(oauthClient()));
  expect([error.code, error.status]).toEqual(['forbidden', 403]);
  expect(error.message).toContain(`it needs the ${scope} scope`);
});

test.each<[string, 'devices' | 'keys' | 'settings' | 'users', unknown, (c: TailscaleClient) => Promise<unknown>, string]>([
  ['devices not a list', 'devices', { devices: {} }, (c) => c.listDevices('-'), 'the devices response: devices: expected an array'],
  [
    'a device without an id',
    'devices',
    { devices: [{ name: 'x' }] },
    (c) => c.listDevices('-'),
    'the devices response: devices[0].id: expected a non-empty string',
  ],
  [
    'authorized as a string',
    'devices',
    { devices: [{ nodeId: 'n1', authorized: 'yes' }] },
    (c) => c.listDevices('-'),
    'the devices response: devices[0].authorized: expected true or false',
  ],
  [
    'tags not strings',
    'devices',
    { devices: [{ nodeId: 'n1', tags: [1] }] },
    (c) => c.listDevices('-'),
    'the devices response: devices[0].tags: expected an array of strings',
  ],
  [
    'lastSeen not a time',
    'devices',
    { devices: [{ nodeId: 'n1', lastSeen: 'yesterday' }] },
    (c) => c.listDevices('-'),
    'the devices response: devices[0].lastSeen: expected an ISO 8601 time',
  ],
  [
    'a key id that could break the path',
    'keys',
    { keys: [{ id: '../acl' }] },
    (c) => c.listKeys('-'),
    'the keys response: keys[0].id: expected letters and digits',
  ],
  ['settings not an object', 'settings', ['on'], (c) => c.getSettings('-'), 'the settings response is not a JSON object'],
  [
    'devicesApprovalOn as a number',
    'settings',
    { devicesApprovalOn: 1 },
    (c) => c.getSettings('-'),
    'the settings response: devicesApprovalOn: expected true or false',
  ],
  [
    'a user without a role',
    'users',
    { users: [{ id: 'u1', loginName: 'a@example.com' }] },
    (c) => c.listUsers('-'),
    'the users response: users[0].role: expected a non-empty string',
  ],
])('a 200 with %s is a bad-response naming the field', async (_name, path, body, read, message) => {
  emulator.failNext(1, 200, { path, body });
  const error = await rejectionOf(read(client()));
  expect(error.code).toBe('bad-response');
  expect(error.message).toMatch(new RegExp(`^tailscale: [a-z ]+ of tailnet "-": ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});

test("a key's capabilities of the wrong type are a bad-response naming the field", async () => {
  emulator.failNext(1, 200, { path: 'key', body: { id: 'k1', expires: '2027-01-01T00:00:00Z', capabilities: { devices: { create: { reusable: 'yes' } } } } });
  const error = await rejectionOf(client().getKey('-', 'k1'));
  expect(error.message).toBe('tailscale: get key of tailnet "-": the key response: capabilities.devices.create.reusable: expected true or false');
});

test("Go's zero time reads as no time", async () => {
  emulator.failNext(1, 200, { path: 'devices', body: { devices: [{ nodeId: 'n1', expires: '0001-01-01T00:00:00Z' }] } });
  expect((await client().listDevices('-'))[0]).not.toHaveProperty('expires');
});
