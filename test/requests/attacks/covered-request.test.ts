import { alice, bob, minutes, PROD, site, startDynamo, stopAll } from './container';

// A second request by someone who already holds a longer grant in the group: the policy file is left as it is (the
// member keeps the first request's annotation). Recorded escalated, the second request would show an `until` its
// approval never covered, and a revoke of it would answer `ended` while the first grant went on. It is ended at once
// instead, naming the grant that covers it, which is the one to revoke.

beforeAll(startDynamo);
afterAll(stopAll);

test('a request approved while its requester already holds a longer grant of another request is ended at once, naming that grant', async () => {
  const s = await site();
  const start = s.clock.now.getTime();
  const first = (await s.service.request(alice, { ...PROD, duration: '1h' })).request;
  const granted = (await s.service.approve(bob, first.id)).request;
  s.clock.now = new Date(start + minutes(5));
  const second = (await s.service.request(alice, { ...PROD, duration: '30m' })).request;
  const covered = (await s.service.approve(bob, second.id)).request;
  expect([covered.state, covered.until, covered.escalatedAt]).toEqual(['ended', undefined, undefined]);
  expect(covered.history.at(-1)).toMatchObject({
    action: 'end',
    detail: `already granted until ${granted.until!.replace('.000Z', 'Z')} by ${first.id}; nothing was written, and that grant is the one to revoke`,
  });
  expect(s.aliceGrants().map((g) => g.requestId)).toEqual([first.id]);
  // Nobody is told a revoke ended access it did not: the covered request is decided, and revoking the first ends it.
  await expect(s.service.revoke(bob, second.id)).rejects.toMatchObject({ code: 'already-decided' });
  await s.service.revoke(bob, first.id);
  expect(s.aliceGrants()).toEqual([]);
});
