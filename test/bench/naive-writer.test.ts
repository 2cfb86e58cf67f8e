import { format } from '../../lib/hujson';
import { grant } from '../../lib/policy';
import { TailnetEmulator } from '../../lib/testing';
import { countLost } from '../../scripts/bench/lost-updates';
import { naiveEscalation } from '../../scripts/bench/naive-writer';

const POLICY = '{\n\t"groups": {\n\t\t"group:prod": [\n\t\t],\n\t},\n}\n';
const UNTIL = new Date('2031-01-01T00:00:00Z');

let emulator: TailnetEmulator;
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: POLICY });
});
afterEach(() => emulator.stop());

test('reads, adds the member with its grant annotation, and writes without If-Match', async () => {
  await naiveEscalation(emulator.url, 'prod', 'alice@example.com', UNTIL);
  expect(emulator.requests.map((r) => [r.method, r.status, r.headers['if-match']])).toEqual([
    ['GET', 200, undefined],
    ['POST', 200, undefined],
  ]);
  // It read the canonical form the emulator keeps, edited that, and its write was kept formatted.
  expect(emulator.policy).toBe(format(grant(format(POLICY), { group: 'prod', member: 'alice@example.com', until: UNTIL }).text));
});

test('overwrites a change saved between its read and its write: the lost update If-Match prevents', async () => {
  emulator.raceNext((text) => grant(text, { group: 'prod', member: 'bob@example.com', until: UNTIL }).text);
  await naiveEscalation(emulator.url, 'prod', 'alice@example.com', UNTIL);
  expect(countLost(emulator.policy, 'prod', ['alice@example.com', 'bob@example.com'])).toBe(1);
  expect(emulator.policy).not.toContain('bob@example.com');
});

test('fails with the status when the API refuses, naming the member', async () => {
  emulator.failNext(1, 503, { path: 'acl' });
  await expect(naiveEscalation(emulator.url, 'prod', 'alice@example.com', UNTIL)).rejects.toThrow('naive read for alice@example.com: HTTP 503');
});
