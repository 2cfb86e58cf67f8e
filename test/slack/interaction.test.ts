import { parseInteraction, SlackError } from '../../lib/slack';
import { blockActionBody, interactionBody, slashCommandBody, viewSubmissionBody } from '../../lib/testing';

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

function refusal(body: string): string {
  try {
    parseInteraction(bytes(body), WORKSPACE);
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
  ['a command from another workspace', slashCommandBody({ ...ALICE, teamId: 'T0OTHER' }, { triggerId: 't' }), 'slack-foreign-workspace: team.id: T0OTHER is not this runtime\'s workspace T0WORK'],
  ['a command for another app', slashCommandBody({ ...ALICE, appId: 'A0OTHER' }, { triggerId: 't' }), 'slack-foreign-app: api_app_id: A0OTHER is not this runtime\'s Slack app A0SYMTAIL'],
  ['a click from another workspace', blockActionBody({ ...ALICE, teamId: 'T0OTHER' }, { actionId: 'a', value: 'r', channelId: 'C1', messageTs: '1.2', triggerId: 't' }), 'slack-foreign-workspace: team.id: T0OTHER is not this runtime\'s workspace T0WORK'],
  ['a command without a user', slashCommandBody({ ...ALICE, userId: '' }, { triggerId: 't' }), 'slack-payload-invalid: user_id: expected text matching /^[A-Z0-9]{2,32}$/'],
  ['a payload that is not JSON', 'payload=%7Bnope', 'slack-payload-invalid: payload: expected JSON'],
  ['an event of another type', submission({ type: 'message_action' }), 'slack-payload-invalid: type: expected "view_submission" or "block_actions"'],
  ['a submission without a team', submission({ team: null }), 'slack-payload-invalid: team: expected an object'],
  ['a submission without a view', submission({ view: 'V1' }), 'slack-payload-invalid: view: expected an object'],
  ['a click with two actions', interactionBody({ type: 'block_actions', team: { id: 'T0WORK' }, user: { id: 'U1' }, api_app_id: 'A0SYMTAIL', actions: [{}, {}] }), 'slack-payload-invalid: actions: expected one action'],
])('%s is refused: %s', (_name, body, expected) => {
  expect(refusal(body)).toBe(expected);
});
