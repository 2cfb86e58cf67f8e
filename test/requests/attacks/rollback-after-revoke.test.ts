import { alice, bob, minutes, PROD, putBack, site, snapshot, startDynamo, stopAll } from './container';

// Someone with item writes on the requests table (but not the record key) keeps a copy of a request's item while it
// is escalated: a GetItem, a scan, or a point-in-time restore of the table gives it. The copy's MAC is genuine for its
// version, so once an approver has revoked the request, putting the copy back makes it escalated again as far as the
// runtime can tell. The README accepts "a replay of an approved record within its window"; this goes further.

beforeAll(startDynamo);
afterAll(stopAll);

test('once an approver revokes a grant, a put-back copy of the escalated item does not let its requester self-extend back into access', async () => {
  const s = await site({ selfExtension: { maxTotal: '4h' } });
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '30m' });
  expect((await s.service.approve(bob, request.id)).request.state).toBe('escalated');
  const copy = await snapshot(s, request.id);

  // Ten minutes later bob sees something he does not like and revokes: ended, member removed.
  s.clock.now = new Date(start + minutes(10));
  expect((await s.service.revoke(bob, request.id)).request.state).toBe('ended');
  expect(s.aliceGrants()).toEqual([]);

  // The copy goes back (one PutItem); alice asks to extend the request bob ended, and is granted at once.
  await putBack(s, copy);
  s.clock.now = new Date(start + minutes(11));
  const extension = await s.service.extend(alice, request.id, '1h').catch((error: Error) => ({ refused: error.message }));
  expect({ grants: s.aliceGrants(), extension: 'request' in extension ? extension.request.state : 'refused' }).toEqual({ grants: [], extension: 'refused' });
});

test('a put-back copy of an escalated item keeps a grant its revoke failed to remove at most until its approved end', async () => {
  // The removal of a revoke can fail (tailnet down): the request is ended and the sweep removes the grant it still
  // finds. A put-back escalated copy is a genuine record at an earlier version, and nothing in the table can tell
  // it from the latest: the sweep sees an open, verified request and keeps its grant. What bounds it is the grant's
  // own expiry in the policy file, which the table cannot move (the README's threat model says so).
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  await s.service.approve(bob, request.id);
  const copy = await snapshot(s, request.id);
  s.clock.now = new Date(start + minutes(5));
  s.emulator.failNext(1, 403, { path: 'acl' });
  await s.service.revoke(bob, request.id).catch(() => undefined);
  expect((await s.store.get(request.id))!.state).toBe('ended');
  expect(s.aliceGrants()).toHaveLength(1);
  await putBack(s, copy);
  s.clock.now = new Date(start + minutes(6));
  await s.sweep();
  expect(s.aliceGrants()).toHaveLength(1);
  s.clock.now = new Date(start + minutes(61));
  await s.sweep();
  expect(s.aliceGrants()).toEqual([]);
});
