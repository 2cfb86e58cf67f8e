import { alice, bob, minutes, PROD, rewrite, site, startDynamo, stopAll } from './container';

// The start of a grant decides how far its requester may extend it alone (the flow's `selfExtension.maxTotal`). It
// is sealed as `escalatedAt` on the request that was granted and as `grantedSince` on an extension. But the record's
// canonical form takes `grantedSince` only along with `extends`, while `grantStartOf` reads `grantedSince` from any
// record: on a request that extends nothing, a table write can add one, and the MAC still verifies.

const FLOW = { durations: ['30m', '1h'], maxDuration: '1h', selfExtension: { maxTotal: '2h' } };

beforeAll(startDynamo);
afterAll(stopAll);

test('a grant start written into a request that extends nothing does not stretch its self-extension past the flow total', async () => {
  const s = await site(FLOW);
  const start = s.clock.now.getTime();
  const { request } = await s.service.request(alice, { ...PROD, duration: '1h' });
  expect((await s.service.approve(bob, request.id)).request.state).toBe('escalated');

  // One UpdateItem of the document: a grant that "began" a year from now, beside the sealed escalatedAt.
  await rewrite(s, request.id, (r) => ({ ...r, grantedSince: new Date(start + 365 * 24 * 60 * minutes(1)).toISOString() }));

  // alice extends again and again, each time alone, each an hour from now.
  let id = request.id;
  for (const at of [50, 100, 150, 200, 250]) {
    s.clock.now = new Date(start + minutes(at));
    const next = await s.service.extend(alice, id, '1h').catch(() => undefined);
    if (next === undefined || next.request.state !== 'escalated') break;
    id = next.request.id;
  }
  const longest = Math.max(...s.aliceGrants().map((g) => Date.parse(g.until)));
  // bob approved one hour; the flow lets alice take it to two hours in all, alone.
  expect((longest - start) / 60_000).toBeLessThanOrEqual(120 + 1);
});
