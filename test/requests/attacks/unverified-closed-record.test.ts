import { alice, bob, minutes, PROD, rewrite, site, startDynamo, stopAll } from './container';

// The sweep takes back the grants of closed requests that the policy file still holds (a revoke whose removal failed).
// It acts on the closed record without checking its MAC ("taking a grant back only ever removes access"), and removes
// the member its `login` names, where the annotation carries its id. A table write of that login (to anyone else) makes
// the removal find nothing, and the sweep still counts the grant as removed.

beforeAll(startDynamo);
afterAll(stopAll);

test('a table write of a closed request does not keep the grant its failed revoke left behind', async () => {
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  await s.service.approve(bob, request.id);

  s.clock.now = new Date(start + minutes(5));
  s.emulator.failNext(1, 403, { path: 'acl' });
  await s.service.revoke(bob, request.id).catch(() => undefined);
  expect(s.aliceGrants()).toHaveLength(1);

  await rewrite(s, request.id, (r) => ({ ...r, login: 'nobody@example.com' }));
  for (const at of [6, 7, 8]) {
    s.clock.now = new Date(start + minutes(at));
    await s.sweep().catch(() => undefined);
  }
  expect(s.aliceGrants()).toEqual([]);
});
