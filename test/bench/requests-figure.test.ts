import { requestsFigure } from '../../scripts/bench/requests';

// The figure drives the requests API as Lambda would (function URL events with the invocation's context); a change
// to how callers are mapped must not leave the bench refusing its own callers. Only the counts are asserted.
it('runs request → approve → escalated → swept lives, each call proven to STS once, and counts the round trips of one per service', async () => {
  const figure = await requestsFigure({ delayMs: 0, quick: true });
  const trips = figure.json.roundTripsPerLife as Record<string, number>;
  // Two proven calls; the grant's write (on the file the last sweep read and wrote, a moment before) and the sweep's
  // read and write; every record written sealed once.
  expect(trips).toMatchObject({ sts: 2, tailscale: 3 });
  expect(trips.dynamoDb).toBeGreaterThan(0);
  expect(trips.kms).toBeGreaterThan(0);
  // alice and bob act through one Identity Center role (their permission set's), confirmed once for the whole run.
  expect(figure.json.iamGetRoleCalls).toBe(1);
});
