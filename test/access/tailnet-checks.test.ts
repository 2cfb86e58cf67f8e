import { InventoryDevice, InventoryKey, OFFLINE_INVENTORY, TailnetInventory, tailnetReport } from '../../lib/access';

const NOW = new Date('2026-11-23T12:00:00Z');

/** A tailnet where every check is ok: groups in rules, tags owned by admins, root SSH in check mode. */
const POLICY = `{
  "groups": {"group:sre": ["alice@example.com"], "group:prod": []},
  "acls": [{"action": "accept", "src": ["group:sre"], "dst": ["tag:prod:22"]}],
  "ssh": [{"action": "check", "src": ["group:sre"], "dst": ["tag:prod"], "users": ["root"], "checkPeriod": "12h"}],
  "tagOwners": {"tag:prod": ["autogroup:admin"]},
}
`;

const SERVER: InventoryDevice = {
  nodeId: 'nServer1CNTRL',
  name: 'prod-1.tailfe8c.ts.net',
  user: 'alice@example.com',
  tags: ['tag:prod'],
  authorized: true,
  keyExpiryDisabled: false,
  blocksIncomingConnections: false,
  updateAvailable: false,
  connectedToControl: true,
  clientVersion: '1.76.6',
  isExternal: false,
};
const LAPTOP: InventoryDevice = { ...SERVER, nodeId: 'nLaptop1CNTRL', name: 'alice-mbp.tailfe8c.ts.net', tags: [], blocksIncomingConnections: true };
const KEY: InventoryKey = {
  id: 'kCI1CNTRL',
  keyType: 'auth',
  description: 'ci',
  created: '2026-11-01T00:00:00Z',
  expires: '2027-01-30T00:00:00Z',
  invalid: false,
  capabilities: { reusable: true, ephemeral: true, preauthorized: false, tags: ['tag:ci'] },
};

const CLEAN: TailnetInventory = {
  devices: { state: 'read', value: [SERVER, LAPTOP] },
  keys: { state: 'read', value: [KEY] },
  settings: { state: 'read', value: { devicesApprovalOn: true, devicesAutoUpdatesOn: false } },
  users: {
    state: 'read',
    value: [
      { loginName: 'alice@example.com', role: 'owner' },
      { loginName: 'bob@example.com', role: 'network-admin' },
    ],
  },
  credential: { state: 'read', value: { kind: 'oauth-client' } },
};

const read = <T>(value: T) => ({ state: 'read' as const, value });
const withDevices = (...devices: InventoryDevice[]): TailnetInventory => ({ ...CLEAN, devices: read(devices) });

function checks(policy: string, inventory: TailnetInventory) {
  return tailnetReport(policy, { now: NOW }, inventory).checks;
}

test('the clean tailnet passes every check', () => {
  expect(checks(POLICY, CLEAN).map((c) => [c.id, c.status])).toEqual([
    ['acl-groups-used', 'ok'],
    ['acl-tags-used', 'ok'],
    ['admin-roles-assigned', 'ok'],
    ['ssh-check-mode', 'ok'],
    ['device-authorization', 'ok'],
    ['device-key-expiry', 'ok'],
    ['network-boundary', 'ok'],
    ['unused-keys', 'ok'],
    ['client-updates', 'ok'],
    ['standing-access', 'ok'],
    ['overdue-grants', 'ok'],
    ['credential-expiry', 'ok'],
  ]);
});

test('the nine Steampipe controls are named, and only they', () => {
  expect(checks(POLICY, CLEAN).flatMap((c) => c.control ?? [])).toEqual([
    'tailscale_tailnet_acl_groups_used',
    'tailscale_tailnet_acl_tags_used',
    'tailscale_acl_ssh_admin_roles_assigned',
    'tailscale_acl_ssh_check_mode_enabled',
    'tailscale_device_authorization_enabled',
    'tailscale_device_key_expire',
    'tailscale_device_network_boundary_protected',
    'tailscale_tailnet_key_unused',
    'tailscale_device_upgrade_clients_in_timely_manner',
  ]);
});

// Each row breaks one thing of the clean tailnet: exactly its check alarms, naming the offender.
test.each<[string, string, string, TailnetInventory, string[]]>([
  [
    'a rule that names a person in src',
    'acl-groups-used',
    POLICY.replace('"src": ["group:sre"], "dst": ["tag:prod:22"]', '"src": ["bob@example.com"], "dst": ["tag:prod:22"]'),
    CLEAN,
    ['line 3 acls: src bob@example.com'],
  ],
  [
    'a policy file without groups',
    'acl-groups-used',
    POLICY.replace('"groups": {"group:sre": ["alice@example.com"], "group:prod": []},', '').replace(/group:sre/g, 'autogroup:member'),
    CLEAN,
    ['the policy file defines no groups'],
  ],
  [
    'a policy file without tag owners',
    'acl-tags-used',
    POLICY.replace('"tagOwners": {"tag:prod": ["autogroup:admin"]},', ''),
    CLEAN,
    ['the policy file defines no tagOwners'],
  ],
  [
    'devices none of which is tagged',
    'acl-tags-used',
    POLICY,
    withDevices({ ...SERVER, tags: [], blocksIncomingConnections: true }, LAPTOP),
    ['none of the 2 devices carries a tag'],
  ],
  [
    'only full Admins besides the Owner',
    'admin-roles-assigned',
    POLICY,
    {
      ...CLEAN,
      users: read([
        { loginName: 'alice@example.com', role: 'owner' },
        { loginName: 'bob@example.com', role: 'admin' },
      ]),
    },
    ['bob@example.com: Admin'],
  ],
  [
    'an ssh rule that accepts root without check',
    'ssh-check-mode',
    POLICY.replace('"action": "check"', '"action": "accept"'),
    CLEAN,
    ['line 4 ssh: accept as root from group:sre to tag:prod'],
  ],
  [
    'device approval off',
    'device-authorization',
    POLICY,
    { ...CLEAN, settings: read({ devicesApprovalOn: false, devicesAutoUpdatesOn: false }) },
    ['tailnet setting devicesApprovalOn is off: new devices join without review'],
  ],
  [
    'a device not authorized',
    'device-authorization',
    POLICY,
    withDevices(SERVER, { ...LAPTOP, authorized: false }),
    ['alice-mbp.tailfe8c.ts.net (alice@example.com): not authorized'],
  ],
  [
    'a device with key expiry disabled',
    'device-key-expiry',
    POLICY,
    withDevices({ ...SERVER, keyExpiryDisabled: true }, LAPTOP),
    ['prod-1.tailfe8c.ts.net (tag:prod): key expiry disabled'],
  ],
  [
    "a person's device that accepts incoming connections",
    'network-boundary',
    POLICY,
    withDevices(SERVER, { ...LAPTOP, blocksIncomingConnections: false }),
    ['alice-mbp.tailfe8c.ts.net (alice@example.com): accepts incoming connections'],
  ],
  [
    'an expired key',
    'unused-keys',
    POLICY,
    { ...CLEAN, keys: read([{ ...KEY, expires: '2026-11-01T00:00:00Z' }]) },
    ['kCI1CNTRL (auth key, "ci"): expired 2026-11-01T00:00:00Z'],
  ],
  [
    'a revoked key',
    'unused-keys',
    POLICY,
    { ...CLEAN, keys: read([{ ...KEY, revoked: '2026-11-20T00:00:00Z', invalid: true }]) },
    ['kCI1CNTRL (auth key, "ci"): revoked 2026-11-20T00:00:00Z'],
  ],
  [
    'a device with a client update',
    'client-updates',
    POLICY,
    withDevices({ ...SERVER, updateAvailable: true }, LAPTOP),
    ['prod-1.tailfe8c.ts.net (tag:prod): update available (runs 1.76.6)'],
  ],
  [
    'a standing member of a group that owns a tag',
    'standing-access',
    POLICY.replace('"tag:prod": ["autogroup:admin"]', '"tag:prod": ["group:sre"]'),
    CLEAN,
    ['alice@example.com in group:sre (tag-owner line 5)'],
  ],
  [
    'a standing member of a group that reaches every destination',
    'standing-access',
    POLICY.replace('"dst": ["tag:prod:22"]', '"dst": ["*:*"]'),
    CLEAN,
    ['alice@example.com in group:sre (all-destinations line 3)'],
  ],
  [
    'a member past the grant',
    'overdue-grants',
    POLICY.replace('"group:prod": []', '"group:prod": [\n    "bob@example.com", // symtail: until=2026-11-23T11:00:00Z req=r-7\n  ]'),
    CLEAN,
    ['bob@example.com in group:prod until 2026-11-23T11:00:00Z (request r-7)'],
  ],
  [
    'an API key expiring in 3 days',
    'credential-expiry',
    POLICY,
    { ...CLEAN, credential: read({ kind: 'api-key' as const, keyId: 'kSelf1CNTRL', expires: '2026-11-26T12:00:00Z' }) },
    ['API key kSelf1CNTRL: expires 2026-11-26T12:00:00Z'],
  ],
  [
    'an API key already expired',
    'credential-expiry',
    POLICY,
    { ...CLEAN, credential: read({ kind: 'api-key' as const, keyId: 'kSelf1CNTRL', expires: '2026-11-20T12:00:00Z' }) },
    ['API key kSelf1CNTRL: expired 2026-11-20T12:00:00Z'],
  ],
])('%s alarms %s alone, naming the offender', (_name, id, policy, inventory, resources) => {
  const result = checks(policy, inventory);
  expect(result.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual([id]);
  const check = result.find((c) => c.id === id)!;
  expect(check).toMatchObject({ status: 'alarm', resources });
  expect(check.fix).not.toBe('');
});

test('an API key whose expiry is more than 14 days ahead is ok, with its date', () => {
  const result = checks(POLICY, { ...CLEAN, credential: read({ kind: 'api-key' as const, keyId: 'kSelf1CNTRL', expires: '2027-01-01T00:00:00Z' }) });
  expect(result.find((c) => c.id === 'credential-expiry')).toMatchObject({
    status: 'ok',
    reason: 'API key kSelf1CNTRL expires 2027-01-01T00:00:00Z, more than 14 days ahead',
  });
});

test('an API key the API says never expires (no expires, or Go\'s zero time) is ok, never "expired"', () => {
  const result = checks(POLICY, { ...CLEAN, credential: read({ kind: 'api-key' as const, keyId: 'kSelf1CNTRL' }) });
  expect(result.find((c) => c.id === 'credential-expiry')).toMatchObject({ status: 'ok', resources: [], reason: 'API key kSelf1CNTRL does not expire' });
});

test('a device shared in from another tailnet is listed, never judged', () => {
  const shared: InventoryDevice = {
    ...LAPTOP,
    nodeId: 'nShared1CNTRL',
    isExternal: true,
    authorized: false,
    keyExpiryDisabled: true,
    blocksIncomingConnections: false,
    updateAvailable: true,
  };
  const report = tailnetReport(POLICY, { now: NOW }, withDevices(SERVER, LAPTOP, shared));
  expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
  expect(report.devices?.counts).toMatchObject({ total: 2, external: 1 });
  expect(report.devices?.list.map((d) => [d.nodeId, d.external])).toEqual([
    ['nServer1CNTRL', false],
    ['nLaptop1CNTRL', false],
    ['nShared1CNTRL', true],
  ]);
});

test('checks whose sections were refused are skipped, naming the scope the credential lacks', () => {
  const report = tailnetReport(
    POLICY,
    { now: NOW },
    { ...CLEAN, devices: { state: 'refused', scope: 'devices:core:read' }, users: { state: 'refused', scope: 'users:read' } },
  );
  expect(report.checks.filter((c) => c.status === 'skip').map((c) => [c.id, c.reason])).toEqual([
    ['acl-tags-used', 'devices not read: the credential lacks the devices:core:read scope'],
    ['admin-roles-assigned', 'users not read: the credential lacks the users:read scope'],
    ['device-authorization', 'devices not read: the credential lacks the devices:core:read scope'],
    ['device-key-expiry', 'devices not read: the credential lacks the devices:core:read scope'],
    ['network-boundary', 'devices not read: the credential lacks the devices:core:read scope'],
    ['client-updates', 'devices not read: the credential lacks the devices:core:read scope'],
  ]);
  expect(report.devices).toBeNull();
  expect(report.sections.filter((s) => s.state !== 'read')).toEqual([
    { section: 'devices', state: 'refused', scope: 'devices:core:read' },
    { section: 'users', state: 'refused', scope: 'users:read' },
  ]);
  expect(report.warnings).toEqual([
    'devices not read: the credential lacks the devices:core:read scope',
    'users not read: the credential lacks the users:read scope',
  ]);
});

test('offline, only the checks of the policy file run; the rest say they need the live API', () => {
  const report = tailnetReport(POLICY, { now: NOW }, OFFLINE_INVENTORY);
  expect(report.checks.filter((c) => c.status !== 'skip').map((c) => c.id)).toEqual(['acl-groups-used', 'ssh-check-mode', 'standing-access', 'overdue-grants']);
  expect(report.checks.find((c) => c.id === 'unused-keys')?.reason).toBe('keys not read: needs the live API');
  expect(report.checkSummary).toEqual({ ok: 4, alarm: 0, skip: 8 });
  expect([report.devices, report.keys, report.warnings]).toEqual([null, null, []]);
});

test('an API key without an id in its text skips the credential check, saying why', () => {
  const result = checks(POLICY, { ...CLEAN, credential: read({ kind: 'api-key' as const }) });
  expect(result.find((c) => c.id === 'credential-expiry')).toMatchObject({
    status: 'skip',
    reason: 'the API key has no id in its text, so its expiry cannot be asked for',
  });
});

test.each<[string, string, Partial<InventoryKey>]>([
  ['an expiry 30 days ahead', 'active', {}],
  ['no expiry (an OAuth client)', 'active', { expires: undefined, keyType: 'client', capabilities: undefined }],
  ['an expiry 14 days ahead', 'expiring', { expires: '2026-12-07T12:00:00Z' }],
  ['an expiry just past', 'expired', { expires: '2026-11-23T11:59:59Z' }],
  ['an expiry past and the invalid mark', 'expired', { expires: '2026-11-01T00:00:00Z', invalid: true }],
  ['a revoked time', 'revoked', { revoked: '2026-11-22T00:00:00Z' }],
  ['invalid before its expiry', 'revoked', { invalid: true }],
])('a key with %s is %s', (_name, state, change) => {
  const report = tailnetReport(POLICY, { now: NOW }, { ...CLEAN, keys: read([{ ...KEY, expires: '2026-12-23T12:00:00Z', ...change }]) });
  expect(report.keys?.list[0].state).toBe(state);
});
