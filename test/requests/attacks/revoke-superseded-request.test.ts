import { alice, bob, minutes, PROD, putBack, site, snapshot, startDynamo, stopAll } from './container';

// Once alice's self-extension r-2 is granted, the policy file's one annotation names r-2 and r-1 is `extended`: a
// revoke of r-1 is refused (already decided), which tells bob to revoke r-2. Someone with item writes keeps r-1's
// escalated copy and puts it back: r-1 verifies as escalated, so bob's revoke of r-1 answers `ended`; its removal
// takes away only a member annotated with r-1, and there is none. The minute sweep would end r-2 (its original is
// ended, not extended by it), but it decides that from r-1's item unverified, so putting back r-1's `extended` copy
// (genuine at the revoke's version) keeps r-2's grant to its end.

const FLOW = { durations: ['30m', '1h'], maxDuration: '1h', selfExtension: { maxTotal: '2h' } };

beforeAll(startDynamo);
afterAll(stopAll);

test('a revoke that answers ended leaves the requester no access, even when the revoked request was extended', async () => {
  const s = await site(FLOW);
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '30m' });
  await s.service.approve(bob, request.id);
  const escalatedCopy = await snapshot(s, request.id);

  s.clock.now = new Date(start + minutes(20));
  const extension = await s.service.extend(alice, request.id, '1h');
  expect(extension.request.state).toBe('escalated');
  const extendedCopy = await snapshot(s, request.id);
  expect(Number(extendedCopy.version.N)).toBe(Number(escalatedCopy.version.N) + 1);

  // bob goes to revoke alice's request r-1, which the table shows escalated again.
  await putBack(s, escalatedCopy);
  s.clock.now = new Date(start + minutes(25));
  const revoked = await s.service.revoke(bob, request.id);
  expect(revoked.request.state).toBe('ended');
  // r-1 is now at the version its extended copy had: that copy goes back before the sweep.
  await putBack(s, extendedCopy);
  s.clock.now = new Date(start + minutes(26));
  await s.sweep();

  expect(s.aliceGrants()).toEqual([]);
});
