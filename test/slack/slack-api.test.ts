import { requestBlocks, requestModal, SlackApi } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';

let slack: SlackStandIn;
let api: SlackApi;
beforeAll(async () => {
  slack = await SlackStandIn.start();
  api = new SlackApi({ botToken: slack.botToken, apiUrl: slack.apiUrl });
});
afterAll(() => slack.stop());

const flow = { name: 'ssh', label: 'SSH', targets: [{ name: 'prod', label: 'Prod' }], durations: ['30m', '1h'], maxDuration: '1h', reasonRequired: true };

test('a posted message can be updated in place, found by channel and ts', async () => {
  const card = { id: 'r-1', state: 'pending', flowLabel: 'SSH', targetLabel: 'Prod', requester: '<@U1>', duration: '1h', status: 'waiting', actions: ['approve' as const] };
  const posted = await api.postMessage('C0REQ', 'first', requestBlocks(card));
  await api.updateMessage(posted.channel, posted.ts, 'second', requestBlocks({ ...card, state: 'denied', actions: [] }));
  const [message] = slack.messages.filter((m) => m.ts === posted.ts);
  expect(message).toMatchObject({ channel: 'C0REQ', text: 'second', updates: 1 });
  expect(JSON.stringify(message.blocks)).not.toContain('symtail-approve');
});

test('a trigger opens one modal only', async () => {
  await api.openView('trigger-1', requestModal(flow));
  await expect(api.openView('trigger-1', requestModal(flow))).rejects.toMatchObject({ code: 'slack-api-failed', message: 'views.open: expired_trigger_id' });
  expect(slack.callsTo('views.open')[0].args.view).toMatchObject({ callback_id: 'symtail-request', private_metadata: 'ssh' });
});

test('updating a message that does not exist fails with Slack’s error', async () => {
  await expect(api.updateMessage('C0REQ', '1.2', 'x', [])).rejects.toMatchObject({ message: 'chat.update: message_not_found' });
});
