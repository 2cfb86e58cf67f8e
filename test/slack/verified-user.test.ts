import { SlackApi, SlackError, verifiedSlackUser } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';

const WORKSPACE = { teamId: 'T0STANDIN', appId: 'A0SYMTAIL' };
let slack: SlackStandIn;
let api: SlackApi;

beforeAll(async () => {
  slack = await SlackStandIn.start({
    users: [
      { id: 'U0ALICE', email: 'alice@example.com' },
      { id: 'U0BOT', email: 'bot@example.com', isBot: true },
      { id: 'U0GONE', email: 'gone@example.com', deleted: true },
      { id: 'U0GUEST', email: 'guest@partner.com', isRestricted: true },
      { id: 'U0SINGLE', email: 'single@partner.com', isUltraRestricted: true },
      { id: 'U0ELSE', email: 'else@example.com', teamId: 'T0ELSEWHERE' },
      { id: 'U0NOMAIL' },
    ],
  });
  api = new SlackApi({ botToken: slack.botToken, apiUrl: slack.apiUrl });
});
afterAll(() => slack.stop());

test('a full member of the workspace is known by their email', async () => {
  await expect(verifiedSlackUser(api, 'U0ALICE', WORKSPACE)).resolves.toEqual({ teamId: 'T0STANDIN', userId: 'U0ALICE', email: 'alice@example.com' });
  expect(slack.callsTo('users.info').at(-1)?.args).toEqual({ user: 'U0ALICE' });
});

test.each([
  ['U0BOT', 'Slack user U0BOT: is a bot or an app, not a person'],
  ['U0GONE', 'Slack user U0GONE: is deactivated'],
  ['U0GUEST', 'Slack user U0GUEST: is a guest of the workspace; only full members may request or approve'],
  ['U0SINGLE', 'Slack user U0SINGLE: is a guest of the workspace; only full members may request or approve'],
  ['U0ELSE', 'Slack user U0ELSE: belongs to workspace T0ELSEWHERE, not T0STANDIN'],
  ['U0NOMAIL', 'Slack user U0NOMAIL: has no email Slack will share; the app needs the users:read.email scope'],
])('%s is refused: %s', async (userId, message) => {
  await expect(verifiedSlackUser(api, userId, WORKSPACE)).rejects.toEqual(new SlackError('slack-user-refused', message));
});

test('an unknown user fails with Slack’s own error word', async () => {
  await expect(verifiedSlackUser(api, 'U0NOBODY', WORKSPACE)).rejects.toMatchObject({ code: 'slack-api-failed', message: 'users.info: user_not_found' });
});

test('a wrong bot token fails without quoting it', async () => {
  const wrong = new SlackApi({ botToken: 'xoxb-wrong-token-canary', apiUrl: slack.apiUrl });
  const error = await wrong.userInfo('U0ALICE').catch((e: Error) => e);
  expect(error).toMatchObject({ code: 'slack-api-failed', message: 'users.info: invalid_auth' });
  expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('canary');
});
