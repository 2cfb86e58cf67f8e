import { SlackApi, SlackError, verifiedSlackUser } from '../../lib/slack';
import { SlackStandIn } from '../../lib/testing';
import { slackFixtures } from './fixtures';

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
      // Enterprise Grid users: of this organization (in this workspace, or in another and this one), and of another.
      { id: 'W0GRID', email: 'grid@example.com', enterpriseId: 'E0ORG' },
      { id: 'W0SISTER', email: 'sister@example.com', teamId: 'T0SISTER', enterpriseId: 'E0ORG' },
      { id: 'W0BOTH', email: 'both@example.com', teamId: 'T0SISTER', enterpriseId: 'E0ORG', teams: ['T0SISTER', 'T0STANDIN'] },
      { id: 'W0OTHERORG', email: 'x@other.example', teamId: 'T0OTHERORG', enterpriseId: 'E0OTHER' },
      { id: 'W0GRIDGUEST', email: 'g@partner.example', enterpriseId: 'E0ORG', isRestricted: true },
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

describe('Enterprise Grid', () => {
  const ORG = { teamId: 'E0ORG', appId: 'A0SYMTAIL' };

  test.each([
    ['a user of the organization, to an org-wide install', 'W0GRID', ORG],
    ['a user of another workspace of the organization, to an org-wide install', 'W0SISTER', ORG],
    ['a Grid user of this workspace, to a workspace install', 'W0GRID', WORKSPACE],
    ['a Grid user whose own workspace is another but who belongs to this one too', 'W0BOTH', WORKSPACE],
  ])('%s is accepted, known as the installation they were checked against', async (_name, userId, installation) => {
    await expect(verifiedSlackUser(api, userId, installation)).resolves.toMatchObject({ teamId: installation.teamId, userId });
  });

  test.each([
    ['a user of another organization, to an org-wide install', 'W0OTHERORG', ORG, 'Slack user W0OTHERORG: belongs to organization E0OTHER, not E0ORG'],
    [
      'a user of a workspace outside Grid, to an org-wide install',
      'U0ELSE',
      ORG,
      'Slack user U0ELSE: belongs to organization (none: not an Enterprise Grid user), not E0ORG',
    ],
    [
      'a user of another workspace of the organization, to a workspace install',
      'W0SISTER',
      WORKSPACE,
      'Slack user W0SISTER: belongs to workspace T0SISTER, not T0STANDIN',
    ],
    ['a guest of the organization', 'W0GRIDGUEST', ORG, 'Slack user W0GRIDGUEST: is a guest of the workspace; only full members may request or approve'],
  ])('%s is refused', async (_name, userId, installation, message) => {
    await expect(verifiedSlackUser(api, userId, installation)).rejects.toEqual(new SlackError('slack-user-refused', message));
  });

  test('the stand-in describes a Grid user with the fields Slack’s own users.info sample has, and of the same types', async () => {
    await verifiedSlackUser(api, 'W0BOTH', WORKSPACE);
    const answer = slack.callsTo('users.info').at(-1)!.answer;
    const sample = slackFixtures().usersInfoSample.answer;
    const shape = (value: unknown, at = ''): string[] =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, v]) => shape(v, `${at}.${key}`))
        : [`${at}: ${Array.isArray(value) ? 'array' : typeof value}`];
    const sampled = new Set(shape(sample));
    expect(shape(answer).filter((line) => !sampled.has(line))).toEqual([]);
    expect(shape(answer)).toEqual(
      expect.arrayContaining(['.user.enterprise_user.enterprise_id: string', '.user.enterprise_user.teams: array', '.user.team_id: string']),
    );
  });
});
