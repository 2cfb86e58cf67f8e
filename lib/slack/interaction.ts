import { INPUT_LIMITS, InputLimitError, parseBoundedJson } from '../errors';
import { SlackError } from './errors';

/** The one workspace and app a runtime answers; anything signed for another is refused. */
export interface SlackWorkspace {
  /** Workspace (team) id, e.g. `T0123ABCD`. */
  readonly teamId: string;
  /** The Slack app's id, e.g. `A0123ABCD`. */
  readonly appId: string;
}

interface InteractionBase {
  readonly teamId: string;
  readonly appId: string;
  /** Who acted: taken from the signed payload, the only place Slack states it. */
  readonly userId: string;
}

/** A slash command such as `/access prod-flow`. */
export interface SlashCommand extends InteractionBase {
  readonly kind: 'command';
  readonly command: string;
  readonly text: string;
  readonly triggerId: string;
  readonly channelId: string;
}

/** A modal submitted: each input block's chosen or typed value, by block id. */
export interface ViewSubmission extends InteractionBase {
  readonly kind: 'submission';
  readonly callbackId: string;
  readonly viewId: string;
  readonly privateMetadata: string;
  readonly values: Readonly<Record<string, string | undefined>>;
}

/** A button clicked or a menu option chosen, in a message or a modal. */
export interface BlockAction extends InteractionBase {
  readonly kind: 'action';
  readonly actionId: string;
  readonly value: string;
  readonly triggerId: string;
  readonly channelId?: string;
  readonly messageTs?: string;
  /** Set when the action happened inside a modal. */
  readonly viewId?: string;
  readonly viewHash?: string;
  readonly privateMetadata?: string;
}

export type SlackInteraction = SlashCommand | ViewSubmission | BlockAction;

const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const MAX_FIELD = 3000;

/**
 * The interaction in a verified body (a slash command form, or a form with a JSON `payload`), refused unless it
 * comes from `workspace`'s team and app. Only call it after the signature check: until then nothing in it is Slack's.
 */
export function parseInteraction(body: Uint8Array, workspace: SlackWorkspace): SlackInteraction {
  const form = new URLSearchParams(Buffer.from(body).toString('utf8'));
  const payload = form.get('payload');
  const interaction = payload === null ? slashCommand(form) : interactivePayload(json(payload));
  if (interaction.teamId !== workspace.teamId) {
    throw new SlackError('slack-foreign-workspace', `team.id: ${interaction.teamId} is not this runtime's workspace ${workspace.teamId}`);
  }
  if (interaction.appId !== workspace.appId) {
    throw new SlackError('slack-foreign-app', `api_app_id: ${interaction.appId} is not this runtime's Slack app ${workspace.appId}`);
  }
  return interaction;
}

function slashCommand(form: URLSearchParams): SlashCommand {
  const field = (name: string, pattern?: RegExp) => text(form.get(name) ?? undefined, name, pattern);
  return {
    kind: 'command',
    teamId: field('team_id', SLACK_ID),
    appId: field('api_app_id', SLACK_ID),
    userId: field('user_id', SLACK_ID),
    command: field('command', /^\/\S+$/),
    text: form.get('text') === null ? '' : field('text'),
    triggerId: field('trigger_id'),
    channelId: field('channel_id', SLACK_ID),
  };
}

type Json = Record<string, unknown>;

function interactivePayload(payload: Json): ViewSubmission | BlockAction {
  const base = {
    teamId: text(object(payload.team, 'team').id, 'team.id', SLACK_ID),
    appId: text(payload.api_app_id, 'api_app_id', SLACK_ID),
    userId: text(object(payload.user, 'user').id, 'user.id', SLACK_ID),
  };
  if (payload.type === 'view_submission') {
    const view = object(payload.view, 'view');
    return {
      kind: 'submission',
      ...base,
      callbackId: text(view.callback_id, 'view.callback_id'),
      viewId: text(view.id, 'view.id', SLACK_ID),
      privateMetadata: optionalText(view.private_metadata, 'view.private_metadata') ?? '',
      values: stateValues(object(view.state, 'view.state').values),
    };
  }
  if (payload.type === 'block_actions') {
    const actions = payload.actions;
    if (!Array.isArray(actions) || actions.length !== 1) throw invalid('actions', 'one action');
    const action = object(actions[0], 'actions[0]');
    const container = payload.container === undefined ? {} : object(payload.container, 'container');
    const view = payload.view === undefined ? undefined : object(payload.view, 'view');
    const selected = action.selected_option === undefined ? undefined : object(action.selected_option, 'actions[0].selected_option');
    return {
      kind: 'action',
      ...base,
      actionId: text(action.action_id, 'actions[0].action_id'),
      value: text(selected === undefined ? action.value : selected.value, selected === undefined ? 'actions[0].value' : 'actions[0].selected_option.value'),
      triggerId: text(payload.trigger_id, 'trigger_id'),
      ...(container.channel_id !== undefined && { channelId: text(container.channel_id, 'container.channel_id', SLACK_ID) }),
      ...(container.message_ts !== undefined && { messageTs: text(container.message_ts, 'container.message_ts', /^\d+\.\d+$/) }),
      ...(view !== undefined && {
        viewId: text(view.id, 'view.id', SLACK_ID),
        viewHash: text(view.hash, 'view.hash'),
        privateMetadata: optionalText(view.private_metadata, 'view.private_metadata') ?? '',
      }),
    };
  }
  throw invalid('type', '"view_submission" or "block_actions"');
}

/** `view.state.values` flattened to block id → the value of its one element (typed text or chosen option). */
function stateValues(values: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [blockId, elements] of Object.entries(object(values, 'view.state.values'))) {
    const [element] = Object.values(object(elements, `view.state.values.${blockId}`));
    const { value, selected_option: selected } = object(element, `view.state.values.${blockId}`);
    const chosen = selected === undefined || selected === null ? value : object(selected, `view.state.values.${blockId}.selected_option`).value;
    out[blockId] = optionalText(chosen, `view.state.values.${blockId}`);
  }
  return out;
}

/** The `payload` field's JSON, once within the input limits (refused naming the limit otherwise). */
function json(text: string): Json {
  try {
    return object(parseBoundedJson(text, INPUT_LIMITS, 'payload'), 'payload');
  } catch (error) {
    if (error instanceof SlackError || error instanceof InputLimitError) throw error;
    throw invalid('payload', 'JSON');
  }
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'an object');
  return value as Json;
}

function text(value: unknown, field: string, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length > MAX_FIELD || (pattern !== undefined && !pattern.test(value))) {
    throw invalid(field, pattern === undefined ? `text of at most ${MAX_FIELD} characters` : `text matching ${pattern}`);
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, field);
}

function invalid(field: string, expected: string): SlackError {
  return new SlackError('slack-payload-invalid', `${field}: expected ${expected}`);
}
