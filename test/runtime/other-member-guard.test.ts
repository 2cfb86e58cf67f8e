import { EditResult, revoke } from '../../lib/policy';
import { applyEdit } from '../../lib/runtime';
import { TailnetAccess } from '../../lib/runtime/tailnet-access';
import { TailscaleClient } from '../../lib/tailscale';
import { EMULATOR_API_KEY, TailnetEmulator } from '../../lib/testing';

// The live path formats every edit as Tailscale stores it, then compares the ledger of every member the edit does not
// name with the file as read. An edit that would leave one reading differently is refused before anything is sent.

const GONE = 'symtail: until=2020-01-01T00:00:00Z';
const POLICY = `{"groups": {"group:g": [\n\t"a@x.io",\n\t"b@x.io" // symtail: until=2099-01-01T00:00:00Z\n\t\t, // ${GONE}\n]}}\n`;

/**
 * A revoke of b@x.io that leaves the annotation of no member where the formatter hands it to a@x.io: what revoke wrote
 * before it dropped such annotations. Its changes name only b@x.io.
 */
const careless = (text: string): EditResult => ({
  ...revoke(text, { group: 'g', member: 'b@x.io' }),
  text: `{"groups":{"group:g":["a@x.io"\n,// ${GONE}\n]}}`,
});

let emulator: TailnetEmulator;
let access: TailnetAccess;
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: POLICY });
  access = new TailnetAccess(new TailscaleClient({ credential: { kind: 'apiKey', apiKey: EMULATOR_API_KEY }, apiBaseUrl: emulator.url }), 'example.com');
});
afterEach(() => emulator.stop());

test('the stored file is the canonical one, with the annotation after the comma on a line of its own', () => {
  expect(emulator.policy).toBe(POLICY);
});

test.each([
  ['a write', false],
  ['a dry run', true],
])("%s of an edit that would change another member's ledger is refused, naming the member; nothing is written", async (_name, dryRun) => {
  await expect(applyEdit(access, careless, dryRun)).rejects.toMatchObject({
    code: 'other-member-changed',
    group: 'g',
    member: 'a@x.io',
    before: 'standing',
    after: 'until=2020-01-01T00:00:00Z',
  });
  expect(emulator.writes).toBe(0);
  expect(emulator.policy).toBe(POLICY);
});

test('the same revoke, as it is, goes through: b@x.io removed, a@x.io still standing in what Tailscale stores', async () => {
  const outcome = await applyEdit(access, (text) => revoke(text, { group: 'g', member: 'b@x.io' }), false);
  expect(outcome).toMatchObject({ written: true, changes: [{ kind: 'removed', member: 'b@x.io' }] });
  expect(outcome.warnings).toEqual([`group:g: dropped "${GONE}", a symtail annotation that belonged to no member`]);
  expect(emulator.policy).toBe('{"groups": {"group:g": [\n\t"a@x.io",\n]}}\n');
});

test('in a batch, only the edit that would change another member fails; the other is written', async () => {
  // Edits that arrive while a read is in flight share the next read and write.
  const first = access.apply((text) => revoke(text, { group: 'g', member: 'nobody@x.io' }));
  const other = access.apply((text) => revoke(text, { group: 'g', member: 'b@x.io' }));
  const culprit = access.apply(careless);
  await expect(first).resolves.toMatchObject({ written: false, batchSize: 1 });
  await expect(culprit).rejects.toMatchObject({ code: 'other-member-changed' });
  await expect(other).resolves.toMatchObject({ written: true, batchSize: 1 });
  expect(emulator.writes).toBe(1);
  expect(emulator.policy).toBe('{"groups": {"group:g": [\n\t"a@x.io",\n]}}\n');
});
