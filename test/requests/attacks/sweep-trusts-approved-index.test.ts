import { alice, bob, minutes, PROD, setAttribute, site, startDynamo, stopAll } from './container';

// The sweep retries every request the open index lists as `approved`, and the index's `openState` is an attribute of
// the item beside the sealed record, not part of it. One UpdateItem of that attribute (no copy of an earlier version,
// no record key) on an escalated request makes each sweep write its grant again once it has run out, until the
// request's approval window closes. The earlier fix judged `escalated` requests by the sealed record; `approved`
// retries still take the index's word.

beforeAll(startDynamo);
afterAll(stopAll);

test('a grant that ran out is not written again because the index lists its escalated request as approved', async () => {
  const s = await site();
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '30m' });
  const granted = (await s.service.approve(bob, request.id)).request;
  expect(granted.state).toBe('escalated');

  await setAttribute(s, request.id, 'openState', { S: 'approved' });

  // 31 minutes in: the grant sweep removes the expired member, then the requests' tick runs.
  s.clock.now = new Date(start + minutes(31));
  await s.sweep();
  const stored = (await s.store.get(request.id))!;
  expect({ state: stored.state, until: stored.until, grants: s.aliceGrants() }).toEqual({ state: 'ended', until: granted.until, grants: [] });
});

test('nor again and again until the approval window closes: alice keeps prod for the whole window with one 30m approval', async () => {
  const s = await site({
    approval: { autoApprove: false, approvers: ['bob@example.com'], approverGroups: [], requiredApprovals: 1, allowSelfApproval: false, approvalWindow: '4h' },
  });
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '30m' });
  await s.service.approve(bob, request.id);
  await setAttribute(s, request.id, 'openState', { S: 'approved' });
  const heldAt: number[] = [];
  for (let m = 1; m <= 240; m += 10) {
    s.clock.now = new Date(start + minutes(m));
    await s.sweep();
    if (s.aliceGrants().some((g) => Date.parse(g.until) > s.clock.now.getTime())) heldAt.push(m);
  }
  // Approved for 30 minutes: held at the sweeps of minutes 1, 11 and 21, and never after.
  expect(heldAt).toEqual([1, 11, 21]);
});
