import { INPUT_LIMITS, InputLimitError, parseBoundedJson } from '../errors';
import { SlackError } from './errors';

/**
 * Where the runtime's Slack app is installed, and which app it is; payloads signed for anything else are refused.
 * `teamId` is the Slack integration's external id: a workspace (`T…`) for an app installed in one workspace, or an
 * Enterprise Grid organization (`E…`) for an org-wide install, which serves every workspace of that organization.
 */
export interface SlackWorkspace {
  /** `T0123ABCD` (one workspace) or `E0123ABCD` (every workspace of one organization). */
  readonly teamId: string;
  /** The Slack app's id, e.g. `A0123ABCD`. */
  readonly appId: string;
}

/** Whether an external id names an Enterprise Grid organization (`E…`) rather than one workspace (`T…`). */
export function isOrganizationId(id: string): boolean {
  return id.startsWith('E');
}

interface InteractionBase {
  /**
   * The workspace the user acted in, read where Slack states it for the payload: a command's `team_id`; a click's
   * `team.id`, or `user.team_id` when `team` is null (an org-wide install); a submission's
   * `view.app_installed_team_id`, else as for a click.
   */
  readonly teamId: string;
  /** The Enterprise Grid organization of that workspace (`enterprise_id`, `enterprise.id` or `team.enterprise_id`); absent outside Grid. */
  readonly enterpriseId?: string;
  /** Who acted: taken from the signed payload, the only place Slack states it. */
  readonly userId: string;
}

/** A slash command such as `/access prod-flow`. */
export interface SlashCommand extends InteractionBase {
  readonly kind: 'command';
  /** `api_app_id`; older slash command payloads leave it out. */
  readonly appId?: string;
  readonly command: string;
  readonly text: string;
  readonly triggerId: string;
  readonly channelId: string;
}

/** A modal submitted: each input block's chosen or typed value, by block id. */
export interface ViewSubmission extends InteractionBase {
  readonly kind: 'submission';
  readonly appId: string;
  readonly callbackId: string;
  readonly viewId: string;
  readonly privateMetadata: string;
  readonly values: Readonly<Record<string, string | undefined>>;
}

/** A button clicked or a menu option chosen, in a message or a modal. */
export interface BlockAction extends InteractionBase {
  readonly kind: 'action';
  readonly appId: string;
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

/** An interaction, and the names of the fields its workspace and organization were read from (for refusals). */
interface Parsed {
  readonly interaction: SlackInteraction;
  readonly teamField: string;
  readonly enterpriseField: string;
}

/**
 * The interaction in a verified body (a slash command form, or a form with a JSON `payload`), refused unless it
 * comes from `workspace`'s installation and app. Only call it after the signature check: until then nothing in it
 * is Slack's.
 */
export function parseInteraction(body: Uint8Array, workspace: SlackWorkspace): SlackInteraction {
  const form = new URLSearchParams(Buffer.from(body).toString('utf8'));
  const payload = form.get('payload');
  const parsed = payload === null ? slashCommand(form) : interactivePayload(json(payload));
  refuseForeign(parsed, workspace);
  return parsed.interaction;
}

/**
 * A workspace install (`T…`) takes its own workspace only; an org-wide install (`E…`) takes any workspace of its
 * organization and nothing else (another organization, or a workspace outside Grid). `users.info` then says whether
 * the user belongs. The app id is compared when the payload states it. A slash command may leave `api_app_id` out
 * (older payloads); the signature then already says which app it is for, since Slack makes one signing secret per
 * app and the body verified under this app's. A stated id that differs is refused: the secret is shared by two apps.
 */
function refuseForeign({ interaction, teamField, enterpriseField }: Parsed, workspace: SlackWorkspace): void {
  if (isOrganizationId(workspace.teamId)) {
    if (interaction.enterpriseId !== workspace.teamId) {
      const stated = interaction.enterpriseId ?? 'absent (a workspace outside Enterprise Grid)';
      throw new SlackError('slack-foreign-organization', `${enterpriseField}: ${stated} is not this runtime's organization ${workspace.teamId}`);
    }
  } else if (interaction.teamId !== workspace.teamId) {
    throw new SlackError('slack-foreign-workspace', `${teamField}: ${interaction.teamId} is not this runtime's workspace ${workspace.teamId}`);
  }
  if (interaction.appId !== undefined && interaction.appId !== workspace.appId) {
    throw new SlackError('slack-foreign-app', `api_app_id: ${interaction.appId} is not this runtime's Slack app ${workspace.appId}`);
  }
}

function slashCommand(form: URLSearchParams): Parsed {
  const field = (name: string, pattern?: RegExp) => text(form.get(name) ?? undefined, name, pattern);
  const enterpriseId = optionalId(form.get('enterprise_id'), 'enterprise_id');
  const appId = optionalId(form.get('api_app_id'), 'api_app_id');
  const interaction: SlashCommand = {
    kind: 'command',
    teamId: field('team_id', SLACK_ID),
    ...(enterpriseId !== undefined && { enterpriseId }),
    ...(appId !== undefined && { appId }),
    userId: field('user_id', SLACK_ID),
    command: field('command', /^\/\S+$/),
    text: form.get('text') === null ? '' : field('text'),
    triggerId: field('trigger_id'),
    channelId: field('channel_id', SLACK_ID),
  };
  return { interaction, teamField: 'team_id', enterpriseField: 'enterprise_id' };
}

type Json = Record<string, unknown>;

function interactivePayload(payload: Json): Parsed {
  const team = payload.team === undefined || payload.team === null ? undefined : object(payload.team, 'team');
  const user = object(payload.user, 'user');
  const enterprise = payload.enterprise === undefined || payload.enterprise === null ? undefined : object(payload.enterprise, 'enterprise');
  const view = payload.view === undefined ? undefined : object(payload.view, 'view');
  const submitted = payload.type === 'view_submission';
  // Where Slack states the workspace: an org-wide install sends `"team": null`, and a modal says which workspace's
  // installation opened it (in a Slack Connect channel, not necessarily the user's own).
  const teamStated = firstStated([
    ...(submitted && view !== undefined ? [['view.app_installed_team_id', view.app_installed_team_id] as const] : []),
    ['team.id', team?.id],
    ['user.team_id', user.team_id],
  ]);
  if (teamStated.length === 0) throw invalid('team', 'the workspace: team.id, or user.team_id when team is null');
  const [teamField, teamId] = teamStated;
  const [enterpriseField, enterpriseId] = firstStated([
    ['enterprise.id', enterprise?.id],
    ['team.enterprise_id', team?.enterprise_id],
  ]);
  const base = {
    teamId,
    ...(enterpriseId !== undefined && { enterpriseId }),
    appId: text(payload.api_app_id, 'api_app_id', SLACK_ID),
    userId: text(user.id, 'user.id', SLACK_ID),
  };
  const parsed = (interaction: SlackInteraction): Parsed => ({ interaction, teamField, enterpriseField: enterpriseField ?? 'enterprise.id' });
  if (submitted) {
    if (view === undefined) throw invalid('view', 'an object');
    const state = object(view.state, 'view.state');
    return parsed({
      kind: 'submission',
      ...base,
      callbackId: text(view.callback_id, 'view.callback_id'),
      viewId: text(view.id, 'view.id', SLACK_ID),
      privateMetadata: optionalText(view.private_metadata, 'view.private_metadata') ?? '',
      // A modal without inputs is submitted with `"state": {}`.
      values: state.values === undefined ? {} : stateValues(state.values),
    });
  }
  if (payload.type === 'block_actions') {
    const actions = payload.actions;
    if (!Array.isArray(actions) || actions.length !== 1) throw invalid('actions', 'one action');
    const action = object(actions[0], 'actions[0]');
    const container = payload.container === undefined ? {} : object(payload.container, 'container');
    const selected = action.selected_option === undefined ? undefined : object(action.selected_option, 'actions[0].selected_option');
    return parsed({
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
    });
  }
  throw invalid('type', '"view_submission" or "block_actions"');
}

/** The first of `candidates` that is stated (present and not empty), as `[field, id]`, its id checked; `[]` when none is. */
function firstStated(candidates: readonly (readonly [string, unknown])[]): [string, string] | [] {
  for (const [field, value] of candidates) {
    const id = optionalId(value, field);
    if (id !== undefined) return [field, id];
  }
  return [];
}

/** A Slack id that may be left out: absent, null or empty means not stated. */
function optionalId(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : text(value, field, SLACK_ID);
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
