import { Actor } from '../../../lib/requests';
import { requestCard } from '../../../lib/runtime/slack-notifier';
import { alice, PROD, rewrite, setAttribute, site, startDynamo, stopAll } from './container';
import { RULES } from '../recording-access';

// Fields of a request record the MAC leaves out ("changing them grants nothing") but that people and other systems
// take as facts: who asked (as Slack shows them), whether a break-glass request was reviewed, and the state changes
// put on the event bus. Each is changed here with one item write, as anyone with item writes on the table can.

beforeAll(startDynamo);
afterAll(stopAll);

test("a state change that never happened is never published on the event bus, and never takes a genuine change's eventId", async () => {
  const s = await site();
  const { request } = await s.service.request(alice, { ...PROD, duration: '30m' });
  s.published.length = 0;
  // Claim the request was escalated by bob at version 2, and mark it as having unpublished changes.
  const forged = [
    {
      state: 'escalated',
      version: 2,
      actor: { kind: 'iam', arn: 'arn:aws:iam::111122223333:user/bob', email: 'bob@example.com' },
      at: new Date().toISOString(),
    },
  ];
  await setAttribute(s, request.id, 'unpublished', { S: JSON.stringify(forged) });
  await setAttribute(s, request.id, 'eventsPending', { S: 'yes' });
  const tick = await s.service.tick(s.clock.now, { grantsSwept: false });
  const stored = (await s.store.get(request.id))!;
  expect(stored).toMatchObject({ state: 'pending', version: 1 });
  // The record verifies, so the sweep puts the forged change on the bus: `symtail.request.escalated`, by bob, with
  // the eventId (`<id>/2`) the request's real next change will carry, which consumers that drop repeats then drop.
  expect({ published: tick.published, events: s.published.map((e) => `${e.detailType} ${e.detail.eventId}`) }).toEqual({ published: [], events: [] });
});

test("a break-glass request cannot be made to look reviewed without an approver's review", async () => {
  const s = await site({ durations: ['15m', '1h'], breakGlass: { maxDuration: '15m' } });
  const { request } = await s.service.request(alice, { ...PROD, duration: '15m', breakGlass: true });
  expect(request.needsReview).toBe(true);
  await rewrite(s, request.id, (r) => {
    const { needsReview: _n, ...rest } = r as typeof r & { needsReview?: true };
    return rest;
  });
  const shown = (await s.service.get(alice, request.id)).request;
  // Either it still needs review, or the record is shown tampered: never a clean, unreviewed-yet-cleared break-glass.
  expect(shown.needsReview === true || shown.tampered === true).toBe(true);
});

test('who asked, as the approval message in Slack shows it, is never another person nor markup written into the table', async () => {
  const s = await site();
  const slackAlice: Actor = { kind: 'slack', teamId: 'T0WORKSPACE', userId: 'UALICE', email: 'alice@example.com' };
  const { request } = await s.service.request(slackAlice, { ...PROD, duration: '30m' });
  // The requester becomes the CISO's Slack user, and the mention carries mrkdwn of its own (it is not escaped).
  await rewrite(s, request.id, (r) => ({ ...r, requester: { ...slackAlice, userId: 'UCISO> (on behalf of the CISO) *Target*\nStaging, read-only <@UCISO' } }));
  const shown = (await s.service.get(alice, request.id)).request;
  const rules = { ...RULES, approvers: [] };
  const card = requestCard(shown, { flows: {}, targets: {} } as never, rules);
  // Only the email is sealed: the message names alice (by her email, as text) and carries none of the written markup.
  expect(shown.tampered === true ? 'tampered' : card.requester).toMatch(/^(tampered|alice@example\.com)$/);
});
