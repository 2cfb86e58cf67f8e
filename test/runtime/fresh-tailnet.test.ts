import { format } from '../../lib/hujson';
import { grant } from '../../lib/policy';
import { AuditEvent } from '../../lib/runtime/audit';
import { AccessEngine } from '../../lib/runtime/engine';
import { TailscaleClient } from '../../lib/tailscale';
import { DEFAULT_POLICY, EMULATOR_API_KEY, TailnetEmulator } from '../../lib/testing';
import { T0, escalation, exampleManifest } from './harness';

// A new tailnet holds Tailscale's default policy file, whose "groups" section is commented out. A target that may
// create its group (`createGroup`) must still take a first grant there, end to end.

const UNTIL = '2026-11-23T18:00:00Z';
const COMMENTED_OUT_GROUPS = '\t// "groups": {\n\t//   "group:example": ["alice@example.com", "bob@example.com"],\n\t// },\n';
/** Where a person would write it: right after the commented-out one. */
const WITH_GROUPS = DEFAULT_POLICY.replace(
  COMMENTED_OUT_GROUPS,
  `${COMMENTED_OUT_GROUPS}\t"groups": {\n\t\t"group:prod": ["alice@example.com" /* symtail: until=${UNTIL} req=r-1 */],\n\t},\n`,
);

let emulator: TailnetEmulator;
let audit: AuditEvent[];
let clock: { now: Date };

function engine(createGroup: boolean): AccessEngine {
  const manifest = exampleManifest(emulator.url, { prod: { createGroup } });
  return new AccessEngine({
    manifest: { ...manifest, requests: { ...manifest.requests, allowAssertedIdentity: true } },
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    clientOptions: { sleep: async () => undefined, deadlineMs: 5000 },
    now: () => clock.now,
    audit: (e) => audit.push(e),
  });
}

beforeEach(async () => {
  // Started without a policy: the emulator holds the default one, untouched, as a new tailnet does.
  emulator = await TailnetEmulator.start();
  audit = [];
  clock = { now: T0 };
});
afterEach(() => emulator.stop());

test('the default policy file has its groups commented out', () => {
  expect(DEFAULT_POLICY).toContain(COMMENTED_OUT_GROUPS);
  expect(emulator.policy).toBe(DEFAULT_POLICY);
});

test('a target that may create its group gets a "groups" section after the commented-out one, stored in canonical form', async () => {
  const result = await engine(true).escalate(escalation());
  expect(result.changes).toEqual([
    { kind: 'group-created', group: 'prod', member: 'alice@example.com' },
    { kind: 'added', group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1' },
  ]);
  expect(emulator.writes).toBe(1);
  expect(emulator.policy).toBe(format(WITH_GROUPS));
  // Every comment of the default file is still there.
  for (const line of DEFAULT_POLICY.split('\n').filter((l) => l.trim().startsWith('//'))) expect(emulator.policy).toContain(line.trim());

  clock.now = new Date(Date.parse(UNTIL) + 60_000);
  await engine(true).sweep({ action: 'sweep' });
  expect(emulator.policy).toBe(format(WITH_GROUPS.replace(`"alice@example.com" /* symtail: until=${UNTIL} req=r-1 */`, '')));
});

test('a target that may not create its group is refused with what to do, and nothing is written', async () => {
  await expect(engine(false).escalate(escalation())).rejects.toThrow(
    'policy file: no "groups" section, so group "group:prod" does not exist (add "groups": {"group:prod": []} to the policy file, or set createGroup to let the grant create it)',
  );
  expect(emulator.writes).toBe(0);
  expect(audit).toEqual([expect.objectContaining({ action: 'escalate', outcome: 'failed', error: expect.objectContaining({ code: 'policy-edit-failed' }) })]);
});

test('the granted file replaces the default with If-Match "ts-default" while the tailnet is untouched, sent quoted however it was held', async () => {
  const client = new TailscaleClient({ credential: { kind: 'apiKey', apiKey: EMULATOR_API_KEY }, apiBaseUrl: emulator.url });
  const granted = format(
    grant(DEFAULT_POLICY, { group: 'prod', member: 'alice@example.com', until: new Date(UNTIL), requestId: 'r-1', createGroup: true }).text,
  );
  expect(granted).toBe(format(WITH_GROUPS));
  await expect(client.setPolicy('-', granted, 'ts-default')).resolves.toEqual({ etag: expect.stringMatching(/^"[0-9a-f]{64}"$/) });
  expect(emulator.requests.filter((r) => r.method === 'POST').map((r) => r.headers['if-match'])).toEqual(['"ts-default"']);
  expect(emulator.policy).toBe(granted);
  // Written once, the file is no longer the default: "ts-default" matches nothing.
  await expect(client.setPolicy('-', DEFAULT_POLICY, '"ts-default"')).rejects.toMatchObject({ code: 'precondition-failed', status: 412 });
});
