import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { requestBlocks, requestModal, SlackApi } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';
import { slackFixtures } from './fixtures';

let slack: SlackStandIn;
let api: SlackApi;
beforeAll(async () => {
  slack = await SlackStandIn.start();
  api = new SlackApi({ botToken: slack.botToken, apiUrl: slack.apiUrl });
});
afterAll(() => slack.stop());

/** A client of a server that gives every call `answer`, as Slack would send it. */
async function answering(answer: unknown, use: (api: SlackApi) => Promise<void>): Promise<void> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(new SlackApi({ botToken: 'xoxb-any', apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/` }));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const flow = { name: 'ssh', label: 'SSH', targets: [{ name: 'prod', label: 'Prod' }], durations: ['30m', '1h'], maxDuration: '1h', reasonRequired: true };

test('a posted message can be updated in place, found by channel and ts', async () => {
  const card = {
    id: 'r-1',
    state: 'pending',
    flowLabel: 'SSH',
    targetLabel: 'Prod',
    requester: '<@U1>',
    duration: '1h',
    status: 'waiting',
    actions: ['approve' as const],
  };
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

describe('auth.test', () => {
  test("names the stand-in's workspace and app for its bot token, another install's for that token, and refuses any other", async () => {
    const other = { botToken: 'xoxb-elsewhere', teamId: 'T0ELSEWHERE', appId: 'A0OTHER' };
    const standIn = await SlackStandIn.start({ teamId: 'T0HOME', appId: 'A0HOME', otherInstalls: [other] });
    try {
      const ask = (token: string) => new SlackApi({ botToken: token, apiUrl: standIn.apiUrl }).authTest();
      expect(await ask(standIn.botToken)).toMatchObject({ teamId: 'T0HOME', appId: 'A0HOME', isEnterpriseInstall: false });
      expect(await ask(other.botToken)).toMatchObject({ teamId: 'T0ELSEWHERE', appId: 'A0OTHER' });
      await expect(ask('xoxb-nobody')).rejects.toMatchObject({ code: 'slack-api-failed', message: 'auth.test: invalid_auth' });
      // A token of another install is good for nothing else here.
      await expect(new SlackApi({ botToken: other.botToken, apiUrl: standIn.apiUrl }).userInfo('U1')).rejects.toMatchObject({
        message: 'users.info: invalid_auth',
      });
    } finally {
      await standIn.stop();
    }
  });

  test.each([
    ['the documented success', 'success', { teamId: 'T12345678', team: 'Subarachnoid Workspace', userId: 'W12345678', isEnterpriseInstall: false }],
    ['the documented error', 'error', undefined],
  ])("reads %s of Slack's reference", async (_name, answer, expected) => {
    await answering(reference('auth-test.json')[answer], async (api) => {
      if (expected === undefined) await expect(api.authTest()).rejects.toMatchObject({ message: 'auth.test: invalid_auth' });
      else expect(await api.authTest()).toEqual(expected);
    });
  });
});

describe('reminders', () => {
  test('a message to a user goes to the direct message Slack opens with them, and a reply to a thread names its message', async () => {
    slack.addUser({ id: 'U0DM', email: 'dm@example.com' });
    expect(await api.postMessage('U0DM', 'hello', [])).toMatchObject({ channel: 'D0DM' });
    const parent = await api.postMessage('C0REQ', 'request', []);
    await api.postMessage('C0REQ', 'nudge', [], { threadTs: parent.ts });
    expect(slack.callsTo('chat.postMessage').at(-1)!.args).toMatchObject({ channel: 'C0REQ', thread_ts: parent.ts });
    expect(slack.messages.at(-1)).toMatchObject({ channel: 'C0REQ', threadTs: parent.ts });
  });

  test('the stand-in answers users.lookupByEmail with the fields Slack’s own sample has, of the same types', async () => {
    slack.addUser({ id: 'U0SHAPE', email: 'shape@example.com' });
    await api.lookupByEmail('shape@example.com');
    const shape = (value: unknown, at = ''): string[] =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, v]) => shape(v, `${at}.${key}`))
        : [`${at}: ${typeof value}`];
    const sampled = new Set(shape(slackFixtures().usersLookupByEmailSample.answer));
    expect(shape(slack.callsTo('users.lookupByEmail').at(-1)!.answer).filter((line) => !sampled.has(line))).toEqual([]);
  });

  test('users.lookupByEmail reads the answer of Slack’s own sample', async () => {
    const sample = slackFixtures().usersLookupByEmailSample.answer as { user: { profile: Record<string, unknown> } };
    const answer = { ...sample, ok: true, user: { ...sample.user, profile: { ...sample.user.profile, email: 'alice@example.com' } } };
    await answering(answer, async (client) => {
      expect(await client.lookupByEmail('alice@example.com')).toEqual({
        id: 'U00000000',
        teamId: 'T00000000',
        email: 'alice@example.com',
        isBot: false,
        deleted: false,
        isGuest: false,
      });
    });
  });
});

describe('users.lookupByEmail', () => {
  test.each([
    ['the typical success', 'success', 'W012A3CDE'],
    ['the error for an address with no active user', 'error', undefined],
  ])("reads %s of Slack's reference", async (_name, answer, expected) => {
    await answering(reference('users-lookup-by-email.json')[answer], async (api) => {
      expect((await api.lookupByEmail('spengler@ghostbusters.example.com'))?.id).toBe(expected);
    });
  });

  test('finds a user of the stand-in by email, whatever its case, and nobody for an unknown or deactivated one', async () => {
    slack.addUser({ id: 'U0LOOKUP', email: 'Dana@Example.com' });
    slack.addUser({ id: 'U0GONE', email: 'gone@example.com', deleted: true });
    expect((await api.lookupByEmail('dana@example.com'))?.id).toBe('U0LOOKUP');
    expect(await api.lookupByEmail('nobody@example.com')).toBeUndefined();
    expect(await api.lookupByEmail('gone@example.com')).toBeUndefined();
  });

  test('any other failure is an error naming the method and Slack’s word, never the token', async () => {
    const other = new SlackApi({ botToken: 'xoxb-not-the-stand-in', apiUrl: slack.apiUrl });
    const failure = await other.lookupByEmail('dana@example.com').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'slack-api-failed', message: 'users.lookupByEmail: invalid_auth' });
    expect(JSON.stringify(failure)).not.toContain('xoxb-not-the-stand-in');
  });
});

/** A fixture of Slack's reference answers (each file names its source). */
function reference(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
}
