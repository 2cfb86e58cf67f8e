import { alice, bob, minutes, PROD, rewrite, site, startDynamo, stopAll } from './container';

// A request's history is outside its MAC ("nothing that decides a grant reads it"), but every transition appends to
// it. One item write that makes it something other than a list leaves a record that still verifies and that no
// transition can write any more: not a revoke, not the sweep's ending.

beforeAll(startDynamo);
afterAll(stopAll);

test('an approver can still revoke a grant whose stored history is not a list, and the grant is gone after the next sweep at the latest', async () => {
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  expect((await s.service.approve(bob, request.id)).request.state).toBe('escalated');

  await rewrite(s, request.id, (r) => ({ ...r, history: 5 as never }));

  s.clock.now = new Date(start + minutes(5));
  const revoked = await s.service.revoke(bob, request.id).then(
    (o) => o.request.state,
    (error: Error) => `${error.name}: ${error.message}`,
  );
  s.clock.now = new Date(start + minutes(6));
  await s.sweep();
  // Ended by the revoke, or refused as a record the runtime did not write (and removed by the sweep): never a crash.
  expect({ crashed: /TypeError/.test(revoked), grants: s.aliceGrants() }).toEqual({ crashed: false, grants: [] });
});
