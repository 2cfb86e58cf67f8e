import { parseInteraction, SlackError } from '../../lib/slack';
import { blockActionBody, interactionBody, slashCommandBody, viewSubmissionBody } from '../../lib/testing';
import { slackFixtures } from './fixtures';

const WORKSPACE = { teamId: 'T0WORK', appId: 'A0SYMTAIL' };
const ALICE = { ...WORKSPACE, userId: 'U0ALICE' };
const bytes = (text: string) => Buffer.from(text, 'utf8');

test('a slash command gives its user, trigger, channel and text', () => {
  const parsed = parseInteraction(bytes(slashCommandBody(ALICE, { triggerId: '1.2.abc', text: 'prod-access', channelId: 'C0ACCESS' })), WORKSPACE);
  expect(parsed).toEqual({
    kind: 'command',
    teamId: 'T0WORK',
    appId: 'A0SYMTAIL',
    userId: 'U0ALICE',
    command: '/access',
    text: 'prod-access',
    triggerId: '1.2.abc',
    channelId: 'C0ACCESS',
  });
});

test('a modal submission gives each block’s chosen or typed value and the private metadata', () => {
  const body = viewSubmissionBody(ALICE, { viewId: 'V0MODAL', privateMetadata: 'ssh', values: { target: 'prod', duration: '1h', reason: 'INC-7 & <b>' } });
  expect(parseInteraction(bytes(body), WORKSPACE)).toMatchObject({
    kind: 'submission',
    userId: 'U0ALICE',
    callbackId: 'symtail-request',
    viewId: 'V0MODAL',
    privateMetadata: 'ssh',
    values: { target: 'prod', duration: '1h', reason: 'INC-7 & <b>' },
  });
});

test('a button click gives the action, the request id it carries and the message it sits in', () => {
  const body = blockActionBody(ALICE, { actionId: 'symtail-approve', value: 'r-abc', channelId: 'C0ACCESS', messageTs: '1700000000.000001', triggerId: 't' });
  expect(parseInteraction(bytes(body), WORKSPACE)).toMatchObject({
    kind: 'action',
    actionId: 'symtail-approve',
    value: 'r-abc',
    channelId: 'C0ACCESS',
    messageTs: '1700000000.000001',
  });
});

function refusal(body: string, workspace = WORKSPACE): string {
  try {
    parseInteraction(bytes(body), workspace);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof SlackError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

const submission = (change: Record<string, unknown>) =>
  interactionBody({
    type: 'view_submission',
    team: { id: 'T0WORK' },
    user: { id: 'U0ALICE' },
    api_app_id: 'A0SYMTAIL',
    view: { id: 'V1', callback_id: 'symtail-request', private_metadata: 'ssh', state: { values: {} } },
    ...change,
  });

test.each([
  [
    'a command from another workspace',
    slashCommandBody({ ...ALICE, teamId: 'T0OTHER' }, { triggerId: 't' }),
    "slack-foreign-workspace: team_id: T0OTHER is not this runtime's workspace T0WORK",
  ],
  [
    'a command for another app',
    slashCommandBody({ ...ALICE, appId: 'A0OTHER' }, { triggerId: 't' }),
    "slack-foreign-app: api_app_id: A0OTHER is not this runtime's Slack app A0SYMTAIL",
  ],
  [
    'a click from another workspace',
    blockActionBody({ ...ALICE, teamId: 'T0OTHER' }, { actionId: 'a', value: 'r', channelId: 'C1', messageTs: '1.2', triggerId: 't' }),
    "slack-foreign-workspace: team.id: T0OTHER is not this runtime's workspace T0WORK",
  ],
  [
    'a command without a user',
    slashCommandBody({ ...ALICE, userId: '' }, { triggerId: 't' }),
    'slack-payload-invalid: user_id: expected text matching /^[A-Z0-9]{2,32}$/',
  ],
  ['a payload that is not JSON', 'payload=%7Bnope', 'slack-payload-invalid: payload: expected JSON'],
  ['an event of another type', submission({ type: 'message_action' }), 'slack-payload-invalid: type: expected "view_submission" or "block_actions"'],
  [
    'a submission with "team": null and no user.team_id',
    submission({ team: null }),
    'slack-payload-invalid: team: expected the workspace: team.id, or user.team_id when team is null',
  ],
  ['a submission whose team is not an object', submission({ team: 'T0WORK' }), 'slack-payload-invalid: team: expected an object'],
  ['a submission without a state', submission({ view: { id: 'V1', callback_id: 'symtail-request' } }), 'slack-payload-invalid: view.state: expected an object'],
  ['a submission without a view', submission({ view: 'V1' }), 'slack-payload-invalid: view: expected an object'],
  [
    'a click with two actions',
    interactionBody({ type: 'block_actions', team: { id: 'T0WORK' }, user: { id: 'U1' }, api_app_id: 'A0SYMTAIL', actions: [{}, {}] }),
    'slack-payload-invalid: actions: expected one action',
  ],
])('%s is refused', (_name, body, expected) => {
  expect(refusal(body)).toBe(expected);
});

describe("Slack's own payloads (rewritten from its SDKs' tests)", () => {
  const fixtures = slackFixtures();
  const form = (payload: unknown) => interactionBody(payload);
  const reading = (interaction: { teamId: string; enterpriseId?: string; userId: string }) => ({
    teamId: interaction.teamId,
    ...(interaction.enterpriseId !== undefined && { enterpriseId: interaction.enterpriseId }),
    userId: interaction.userId,
  });

  test.each([
    ['an org-wide click ("team": null): the workspace is user.team_id', fixtures.orgWide.blockActions, { teamId: 'E111', appId: 'A111' }],
    [
      'an org-wide submission: the workspace is view.app_installed_team_id, not the user’s user.team_id',
      fixtures.orgWide.viewSubmission,
      { teamId: 'E111', appId: 'A111' },
    ],
    ['a submission in a workspace of an organization, served as that workspace', fixtures.viewSubmissions.gridWorkspace, { teamId: 'T111', appId: 'A111' }],
    ['a submission in a workspace of an organization, served org-wide', fixtures.viewSubmissions.gridWorkspace, { teamId: 'E111', appId: 'A111' }],
    [
      'a submission from a Slack Connect channel: the workspace whose installation opened the modal',
      fixtures.viewSubmissions.slackConnect,
      { teamId: 'T0INSTALLED', appId: 'A1111' },
    ],
  ])('%s, as Slack’s SDK reads it', (_name, fixture, workspace) => {
    expect(reading(parseInteraction(bytes(form(fixture.payload)), workspace))).toEqual(fixture.expected);
  });

  test('a submission of a modal without inputs ("state": {}) is a submission with no values', () => {
    const { payload, expected } = fixtures.viewSubmissions.noInputs;
    expect(parseInteraction(bytes(form(payload)), { teamId: expected.teamId, appId: 'A111' })).toMatchObject({
      kind: 'submission',
      callbackId: 'view-id',
      values: {},
    });
  });

  test.each([
    [
      'Slack’s signing example (2018, no api_app_id)',
      fixtures.signingExample.body,
      { teamId: 'T1DC2JH3J', appId: 'A0ANYAPP' },
      { teamId: 'T1DC2JH3J', channelId: 'G8PSS9T3V', command: '/webhook-collect', text: '' },
    ],
    [
      'a Grid workspace’s command without api_app_id',
      fixtures.slashCommands.gridWorkspaceWithoutAppId.body,
      { teamId: 'T111', appId: 'A111' },
      { teamId: 'T111', enterpriseId: 'E111', text: 'Hi' },
    ],
    [
      'the same command, to an org-wide install',
      fixtures.slashCommands.gridWorkspaceWithoutAppId.body,
      { teamId: 'E111', appId: 'A111' },
      { teamId: 'T111', enterpriseId: 'E111' },
    ],
    [
      'a Grid workspace’s command with api_app_id',
      fixtures.slashCommands.gridWorkspaceWithAppId.body,
      { teamId: 'E111', appId: 'A111' },
      { appId: 'A111', enterpriseId: 'E111', userId: 'W111' },
    ],
  ])('%s is accepted', (_name, body, workspace, expected) => {
    const command = parseInteraction(bytes(body), workspace);
    expect(command).toMatchObject({ kind: 'command', ...expected });
    if (!body.includes('api_app_id')) expect(command).not.toHaveProperty('appId');
  });

  test.each([
    [
      'an org-wide click, to another organization',
      form(fixtures.orgWide.blockActions.payload),
      { teamId: 'E0OTHER', appId: 'A111' },
      "slack-foreign-organization: enterprise.id: E111 is not this runtime's organization E0OTHER",
    ],
    [
      'an org-wide click, to a workspace install of another workspace',
      form(fixtures.orgWide.blockActions.payload),
      { teamId: 'T0UNEXPECTED', appId: 'A111' },
      "slack-foreign-workspace: user.team_id: T0EXPECTED is not this runtime's workspace T0UNEXPECTED",
    ],
    [
      'an org-wide submission, to a workspace install of the user’s own workspace, not the one the modal was opened in',
      form(fixtures.orgWide.viewSubmission.payload),
      { teamId: 'T0UNEXPECTED', appId: 'A111' },
      "slack-foreign-workspace: view.app_installed_team_id: T0EXPECTED is not this runtime's workspace T0UNEXPECTED",
    ],
    [
      'a Slack Connect submission from another organization, to an org-wide install',
      form(fixtures.viewSubmissions.slackConnect.payload),
      { teamId: 'E0INSTALLED', appId: 'A1111' },
      "slack-foreign-organization: enterprise.id: E0OTHERSIDE is not this runtime's organization E0INSTALLED",
    ],
    [
      'a Grid command without api_app_id, to another organization',
      fixtures.slashCommands.gridWorkspaceWithoutAppId.body,
      { teamId: 'E0OTHER', appId: 'A111' },
      "slack-foreign-organization: enterprise_id: E111 is not this runtime's organization E0OTHER",
    ],
    [
      'a Grid command naming another app',
      fixtures.slashCommands.gridWorkspaceWithAppId.body,
      { teamId: 'E111', appId: 'A0SYMTAIL' },
      "slack-foreign-app: api_app_id: A111 is not this runtime's Slack app A0SYMTAIL",
    ],
    [
      'a command from a workspace outside Grid, to an org-wide install',
      slashCommandBody(ALICE, { triggerId: 't' }),
      { teamId: 'E0WORK', appId: 'A0SYMTAIL' },
      "slack-foreign-organization: enterprise_id: absent (a workspace outside Enterprise Grid) is not this runtime's organization E0WORK",
    ],
    [
      'Slack’s signing example, to another workspace',
      fixtures.signingExample.body,
      { teamId: 'T0WORK', appId: 'A0ANYAPP' },
      "slack-foreign-workspace: team_id: T1DC2JH3J is not this runtime's workspace T0WORK",
    ],
  ])('%s is refused', (_name, body, workspace, expected) => {
    expect(refusal(body, workspace)).toBe(expected);
  });
});

describe('payloads made here for an org-wide install read as Slack’s do', () => {
  const GRID = { teamId: 'E0GRID', appId: 'A0SYMTAIL' };
  const orgWide = { teamId: 'T0WORK', appId: 'A0SYMTAIL', userId: 'W0ALICE', enterpriseId: 'E0GRID', orgWide: true };
  test.each([
    ['a command', slashCommandBody(orgWide, { triggerId: 't' })],
    ['a click', blockActionBody(orgWide, { actionId: 'a', value: 'r', channelId: 'C1', messageTs: '1.2', triggerId: 't' })],
    ['a submission', viewSubmissionBody(orgWide, { viewId: 'V1', privateMetadata: 'ssh', values: { target: 'prod' } })],
  ])('%s', (_name, body) => {
    expect(parseInteraction(bytes(body), GRID)).toMatchObject({ teamId: 'T0WORK', enterpriseId: 'E0GRID', userId: 'W0ALICE' });
  });
});
