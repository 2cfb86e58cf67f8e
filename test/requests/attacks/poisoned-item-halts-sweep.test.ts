import { alice, bob, iam, minutes, PROD, setAttribute, site, startDynamo, stopAll } from './container';

// A revoke whose removal fails (the tailnet refused it) leaves the request ended and its grant in the policy file; the
// minute sweep is what takes that grant back. The store reads every item of an index query with `JSON.parse`, so one
// item whose `unpublished` attribute (outside the MAC, settable with one UpdateItem) is not JSON makes every index
// query throw: the tick stops before it reaches any request, and keeps stopping every minute.

beforeAll(startDynamo);
afterAll(stopAll);

test('one malformed item in the table does not stop the sweep from taking back the grant of a revoke whose removal failed', async () => {
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  await s.service.approve(bob, request.id);

  s.clock.now = new Date(start + minutes(5));
  s.emulator.failNext(1, 403, { path: 'acl' });
  await s.service.revoke(bob, request.id).catch(() => undefined);
  expect((await s.store.get(request.id))!.state).toBe('ended');
  expect(s.aliceGrants()).toHaveLength(1);

  // Any open request will do, the attacker's own pending one say: its unpublished changes become `{`.
  const mallory = await s.service.request(iam('mallory'), { ...PROD, duration: '30m' });
  await setAttribute(s, mallory.request.id, 'unpublished', { S: '{' });
  await setAttribute(s, mallory.request.id, 'eventsPending', { S: 'yes' });

  for (const at of [6, 7, 8]) {
    s.clock.now = new Date(start + minutes(at));
    await s.sweep().catch(() => undefined);
  }
  expect(s.aliceGrants()).toEqual([]);
});
