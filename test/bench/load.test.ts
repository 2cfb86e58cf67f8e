import { LoadDeployment, LoadOutcome } from '../../scripts/bench/load-run';

// The load figure at a small scale: the packaged function in three long-lived processes (Lambda containers, one event
// at a time each), every request proven to STS and approved by bob through another container. Counts only: the
// times are the bench's.

let deployment: LoadDeployment;
beforeAll(async () => {
  deployment = await LoadDeployment.start(2);
}, 60_000);
afterAll(() => deployment.stop());

function expectEveryGrantOnce(outcome: LoadOutcome): void {
  const { requests } = outcome.settings;
  // Granted at approval, or (after ten 412s in a row, which a loaded machine can cause) by the sweep that follows.
  expect(outcome.escalated + outcome.grantedBySweep).toBe(requests);
  expect(outcome).toMatchObject({ failed: 0, lostGrants: 0, doubleGrants: 0, unexpectedGrants: 0 });
  // A container holds one event at a time, so no two grants share a write: one write each, whatever the 412s.
  expect(outcome.policyWrites).toBe(outcome.escalated);
  // The grants' audit lines account for every request the tailnet saw.
  expect(outcome.auditedRoundTrips).toBe(outcome.tailnetRequests);
  // Every request the tailnet saw is a write, a 412, or a read; and a grant reads only first, or after a 412.
  const reads = outcome.tailnetRequests - outcome.policyWrites - outcome.preconditionFailures;
  expect(reads).toBeGreaterThanOrEqual(0);
  expect(reads).toBeLessThanOrEqual(requests - outcome.cacheHits + outcome.preconditionFailures);
  if (process.env.SYMTAIL_SHOW_LOAD) process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

test('12 requests over a second from three containers to one tailnet: each granted once, none lost', async () => {
  expectEveryGrantOnce(await deployment.run({ requests: 12, seconds: 1, containers: 3, tailnets: 1, delayMs: 5 }));
}, 60_000);

test('the same spread over two tailnets: each tailnet holds its own grants, once each', async () => {
  expectEveryGrantOnce(await deployment.run({ requests: 12, seconds: 1, containers: 3, tailnets: 2, delayMs: 5 }));
}, 60_000);

test('a grant the tailnet keeps failing is left approved, and the sweep that ends the run writes it', async () => {
  // Six 503s (each asking for no wait) exhaust the grant's attempts; the sweep then finds the tailnet well.
  const outcome = await deployment.run({ requests: 1, seconds: 0, containers: 2, tailnets: 1, delayMs: 0 }, (emulator) =>
    emulator.failNext(6, 503, { path: 'acl', retryAfter: '0' }),
  );
  expect(outcome).toMatchObject({ escalated: 0, grantedBySweep: 1, failed: 0, lostGrants: 0, doubleGrants: 0, unexpectedGrants: 0, policyWrites: 0 });
  expect(outcome.failureSamples[0]).toMatch(/^approve: 200 approved: server-error: .*gave up after 6 attempts/);
}, 60_000);
