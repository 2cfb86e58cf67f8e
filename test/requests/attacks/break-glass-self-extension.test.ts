import { alice, minutes, PROD, site, startDynamo, stopAll } from './container';

// A flow that allows break-glass (self-approved, at most 15m) and self-extension (up to 4h in all). A break-glass
// request is the emergency exception: nobody but its requester approved it, so it is capped at the break-glass
// maximum until an approver reviews it. Self-extension is meant for grants an approver (or the flow's rule) approved.

const FLOW = { durations: ['15m', '1h'], maxDuration: '1h', breakGlass: { maxDuration: '15m' }, selfExtension: { maxTotal: '4h' } };

beforeAll(startDynamo);
afterAll(stopAll);

test('a break-glass grant is never extended past the break-glass maximum without any approver', async () => {
  const s = await site(FLOW);
  const start = s.clock.now.getTime();
  const glass = await s.service.request(alice, { ...PROD, duration: '15m', breakGlass: true });
  expect(glass.request).toMatchObject({ state: 'escalated', breakGlass: true, needsReview: true });

  // Five minutes in, alice "extends" her emergency grant by an hour: approved by herself, at once.
  s.clock.now = new Date(start + minutes(5));
  const extension = await s.service.extend(alice, glass.request.id, '1h').catch((error: Error) => ({ refused: error }));

  const breakGlassEnd = start + minutes(15) + 1000;
  const longest = Math.max(...s.aliceGrants().map((g) => Date.parse(g.until)));
  // No approver has looked at anything yet: alice may hold nothing past the break-glass maximum, unless the
  // extension is itself a break-glass request that waits for review (and counts for the break-glass alarm).
  const flagged = 'request' in extension && extension.request.breakGlass === true && extension.request.needsReview === true;
  const verdict = longest <= breakGlassEnd || flagged ? 'within break-glass' : `alice holds prod until ${new Date(longest).toISOString()}, approved by nobody`;
  expect(verdict).toBe('within break-glass');
});

test('chained self-extensions of a break-glass grant never take it toward the self-extension maximum (4h) without an approver', async () => {
  const s = await site(FLOW);
  const start = s.clock.now.getTime();
  let id = (await s.service.request(alice, { ...PROD, duration: '15m', breakGlass: true })).request.id;
  for (const at of [5, 60, 115, 170]) {
    s.clock.now = new Date(start + minutes(at));
    const next = await s.service.extend(alice, id, '1h').catch(() => undefined);
    if (next === undefined || next.request.state !== 'escalated') break;
    id = next.request.id;
  }
  const longest = Math.max(...s.aliceGrants().map((g) => Date.parse(g.until)));
  expect((longest - start) / 60_000).toBeLessThanOrEqual(15);
});
