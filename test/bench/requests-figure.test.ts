import { requestsFigure } from '../../scripts/bench/requests';

// The figure drives the requests API as Lambda would (function URL events with the invocation's context); a change
// to how callers are mapped must not leave the bench refusing its own callers. Only the counts are asserted.
it('runs request → approve → escalated → swept lives, each call proven to STS once, and counts the calls of one', async () => {
  const figure = await requestsFigure({ delayMs: 0, quick: true });
  expect(figure.json).toMatchObject({ dynamoCallsPerLife: expect.any(Number), stsCallsPerLife: 2 });
  expect(figure.json.dynamoCallsPerLife).toBeGreaterThan(0);
});
