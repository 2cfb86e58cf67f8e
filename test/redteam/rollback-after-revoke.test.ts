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

test('a put-back copy of an escalated item does not keep a revoked grant the sweep would otherwise remove', async () => {
  // The removal of a revoke can fail (tailnet down): the request is ended and the sweep removes the grant it still
  // finds. A put-back escalated copy makes the sweep's `closedAmong` see an open, verified record, and keep it.
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  await s.service.approve(bob, request.id);
  const copy = await snapshot(s, request.id);
  s.clock.now = new Date(start + minutes(5));
  s.emulator.failNext(1, 403, { path: 'acl' });
  const revoked = await s.service.revoke(bob, request.id).catch(() => undefined);
  expect((await s.store.get(request.id))!.state).toBe('ended');
  // The removal failed: the request is ended, its grant still in the file, for the sweep to remove.
  expect(s.aliceGrants()).toHaveLength(1);
  await putBack(s, copy);
  const held = s.aliceGrants().map((g) => g.requestId!);
  await s.service.tick(new Date(start + minutes(6)), { grantsSwept: true, grantsHeld: held });
  expect({ revoked: revoked?.request.state, grants: s.aliceGrants() }).toEqual({ revoked: undefined, grants: [] });
});
