import { TailnetEmulator } from '../../lib/testing';
import { roundTripFloorMs } from '../../scripts/bench/round-trip-floor';

const POLICY = '{"groups": {"group:prod": []}}\n';

let emulator: TailnetEmulator;
beforeEach(async () => {
  emulator = await TailnetEmulator.start({ policy: POLICY });
});
afterEach(() => emulator.stop());

test('makes exactly one read and one If-Match write of the same text, leaving the policy as it was', async () => {
  const ms = await roundTripFloorMs(emulator.url);
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
});
