import { TailnetEmulator } from '../../lib/testing';
import { oneRoundTripFloorMs, roundTripFloorMs } from '../../scripts/bench/round-trip-floor';

const POLICY = '{"groups": {"group:prod": []}}\n';

let emulator: TailnetEmulator;
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: POLICY });
});
afterEach(() => emulator.stop());

test.each([
  ['the two-round-trip floor', roundTripFloorMs],
  ['the one-round-trip floor (its read untimed)', oneRoundTripFloorMs],
])('%s makes exactly one read and one If-Match write of the same text, leaving the policy as it was', async (_name, floor) => {
  const ms = await floor(emulator.url);
  expect(Number.isFinite(ms)).toBe(true);
  expect(emulator.requests.map((r) => [r.method, r.status, r.headers['if-match']])).toEqual([
    ['GET', 200, undefined],
    ['POST', 200, emulator.etag],
  ]);
  expect(emulator.policy).toBe(POLICY);
});

test('fails with the status when the emulator refuses', async () => {
  emulator.failNext(1, 500, { path: 'acl' });
  await expect(roundTripFloorMs(emulator.url)).rejects.toThrow('round-trip floor: read answered HTTP 500');
  emulator.failNext(1, 412, { path: 'acl' });
  await expect(oneRoundTripFloorMs(emulator.url)).rejects.toThrow('one-round-trip floor: read answered HTTP 412');
});
