import { credentialFor, EventBridgeFault, identityCenterArn, RecordedEvent, StandInCredential } from '../../lib/testing';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';
import { Step } from '../../scripts/packaged-function';

// The synthesized zip of the example in fresh Node processes, as Lambda runs it, putting every state change of a
// request on an EventBridge stand-in (the default bus) through the AWS SDK and AWS_ENDPOINT_URL_EVENTBRIDGE.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };

let env: PackagedRequests;
const call = (caller: StandInCredential, body: Record<string, unknown>): Step => provenCall(env.sts, caller, body);

beforeAll(async () => {
  env = await startPackagedRequests([ALICE, BOB]);
});
afterAll(() => env.stop());
beforeEach(() => {
  env.eventBridge.fault = 'none';
});

/** The events of request `id`, as `detail-type actor`. */
function changesOf(id: string): string[] {
  return env.eventBridge.events
    .filter((e) => (e.detail.request as { id: string }).id === id)
    .map((e) => `${e.detailType} ${(e.detail.actor as { arn?: string; name?: string }).arn ?? (e.detail.actor as { name: string }).name}`);
}

function eventsOf(id: string): RecordedEvent[] {
  return env.eventBridge.events.filter((e) => (e.detail.request as { id: string }).id === id);
}

test('each state change of a request is one event on the default bus, in order, naming who made it and showing the request without its MAC', async () => {
  const { results } = await env.pkg.run([call(ALICE, PROD), { event: { action: 'sweep' } }], env.standIns);
  const id: string = read(results[0]).body.request.id;
  await env.pkg.run(
    [call(BOB, { action: 'approve', requestId: id }), { advanceSeconds: 31 * 60 }, { event: { action: 'sweep' } }, { event: { action: 'sweep' } }],
    env.standIns,
  );

  expect(changesOf(id)).toEqual([
    `symtail.request.pending ${ALICE.arn}`,
    `symtail.request.approved ${BOB.arn}`,
    `symtail.request.escalated ${BOB.arn}`,
    'symtail.request.ended sweep',
  ]);
  const events = eventsOf(id);
  expect(events.every((e) => e.source === 'symtail' && e.eventBusName === 'default')).toBe(true);
  expect(events.map((e) => e.detail.eventId)).toEqual([`${id}/1`, `${id}/2`, `${id}/3`, `${id}/4`]);
  expect(events[2].detail).toMatchObject({
    state: 'escalated',
    request: { id, state: 'escalated', flow: 'tailscale-ssh-access', target: 'main-prod-access', requester: { email: 'alice@example.com' } },
  });
  expect(events[2].detail.request).toHaveProperty('until');
  for (const e of events) {
    expect(e.detail.request).not.toHaveProperty('mac');
    expect(e.detail.request).not.toHaveProperty('unpublished');
    expect(e.time).toBe(e.detail.at);
  }
  // Published at once: nothing is left for the sweep.
  expect((await env.requestItems())[id]).not.toHaveProperty('unpublished');
});

test.each<[EventBridgeFault, string]>([
  ['fail-entries', 'refuses every entry (FailedEntryCount)'],
  ['down', 'answers every call with a 500'],
])('when EventBridge %s (%s) the changes stand, the failure is audited, and the next sweep puts them in order, once', async (fault) => {
  env.eventBridge.fault = fault;
  const first = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const created = read(first.results[0]);
  expect(created).toMatchObject({ status: 200, body: { ok: true, request: { state: 'pending' } } });
  const id: string = created.body.request.id;
  const approval = await env.pkg.run([call(BOB, { action: 'approve', requestId: id })], env.standIns);
  expect(read(approval.results[0])).toMatchObject({ status: 200, body: { request: { state: 'escalated' } } });

  // One failed put a change: the request, the approval that settled it, the escalation.
  const failures = [...first.audit, ...approval.audit].filter((a) => a.action === 'events');
  expect(failures.map((a) => [a.outcome, a.requestId, a.state, (a.error as { code: string }).code])).toEqual([
    ['failed', id, 'pending', 'events-unpublished'],
    ['failed', id, 'approved', 'events-unpublished'],
    ['failed', id, 'escalated', 'events-unpublished'],
  ]);
  expect(eventsOf(id)).toEqual([]);
  const item = (await env.requestItems())[id];
  expect(JSON.parse((item.unpublished as { S: string }).S).map((t: { state: string; version: number }) => `${t.state}@${t.version}`)).toEqual([
    'pending@1',
    'approved@2',
    'escalated@3',
  ]);

  // A sweep while it still fails puts nothing and keeps them.
  const stillFailing = await env.pkg.run([{ event: { action: 'sweep' } }], env.standIns);
  expect(stillFailing.results[0]).toMatchObject({ ok: true, requests: { published: [] } });
  expect(eventsOf(id)).toEqual([]);

  env.eventBridge.fault = 'none';
  const { results } = await env.pkg.run([{ event: { action: 'sweep' } }, { event: { action: 'sweep' } }, { event: { action: 'sweep' } }], env.standIns);
  expect(results[0]).toMatchObject({ ok: true, requests: { published: [id] } });
  expect(results[1]).toMatchObject({ ok: true, requests: { published: [] } });
  expect(changesOf(id)).toEqual([`symtail.request.pending ${ALICE.arn}`, `symtail.request.approved ${BOB.arn}`, `symtail.request.escalated ${BOB.arn}`]);
  // The events carry the request as it is when sent, and each its own change.
  expect(eventsOf(id).map((e) => [e.detail.state, (e.detail.request as { state: string }).state])).toEqual([
    ['pending', 'escalated'],
    ['approved', 'escalated'],
    ['escalated', 'escalated'],
  ]);
  expect((await env.requestItems())[id]).not.toHaveProperty('unpublished');
  expect((await env.requestItems())[id]).not.toHaveProperty('eventsPending');
});
