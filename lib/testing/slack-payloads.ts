import { slackSignature } from '../slack';

/** Who a test payload comes from. */
export interface SlackSender {
  /** The workspace acted in. */
  readonly teamId: string;
  /** Absent: no `api_app_id`, as in older slash command payloads. */
  readonly appId?: string;
  readonly userId: string;
  /** The workspace's Enterprise Grid organization; absent outside Grid. */
  readonly enterpriseId?: string;
  /**
   * An org-wide install: interactive payloads carry `"team": null` and `"is_enterprise_install": true`, and state the
   * workspace as `user.team_id` (and a modal's `view.app_installed_team_id`), as Slack sends them.
   */
  readonly orgWide?: boolean;
}

export interface SignOptions {
  /** Default: now. */
  readonly timestampSeconds?: number;
  /** Sets `X-Slack-Retry-Num`, as Slack does on a retry. */
  readonly retryNum?: number;
}

/** A function URL event as Lambda delivers a Slack request: lower-case headers, the form body base64-encoded. */
export interface SlackFunctionUrlEvent {
  readonly version: '2.0';
  readonly rawPath: string;
  readonly headers: Record<string, string>;
  readonly requestContext: { readonly http: { readonly method: 'POST'; readonly path: string } };
  readonly body: string;
  readonly isBase64Encoded: true;
}

/** `body` signed with `signingSecret` as Slack signs it, delivered as a function URL would deliver it. */
export function signedSlackEvent(signingSecret: string, body: string, options: SignOptions = {}): SlackFunctionUrlEvent {
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const bytes = Buffer.from(body, 'utf8');
  return {
    version: '2.0',
    rawPath: '/',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(signingSecret, timestamp, bytes),
      ...(options.retryNum !== undefined && { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }),
    },
    requestContext: { http: { method: 'POST', path: '/' } },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

/** The event without Slack's signature and timestamp headers, as Slack may send its URL check (`ssl_check=1`). */
export function withoutSignature(event: SlackFunctionUrlEvent): SlackFunctionUrlEvent {
  const { 'x-slack-signature': _signature, 'x-slack-request-timestamp': _timestamp, ...headers } = event.headers;
  return { ...event, headers };
}

/** The form Slack posts for a slash command. */
export function slashCommandBody(from: SlackSender, opts: { command?: string; text?: string; triggerId: string; channelId?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: from.teamId,
    team_domain: 'example',
    ...(from.enterpriseId !== undefined && { enterprise_id: from.enterpriseId, enterprise_name: 'Example Org' }),
    channel_id: opts.channelId ?? 'C0REQUESTS',
    channel_name: 'access',
    user_id: from.userId,
    user_name: from.userId.toLowerCase(),
    command: opts.command ?? '/access',
    text: opts.text ?? '',
    ...(from.appId !== undefined && { api_app_id: from.appId }),
    ...(from.enterpriseId !== undefined && { is_enterprise_install: String(from.orgWide === true) }),
    response_url: 'https://hooks.slack.com/commands/T0/1/x',
    trigger_id: opts.triggerId,
  }).toString();
}

/** The form Slack posts when the request modal is submitted; `values` is block id → chosen value (typed, for `reason`). */
export function viewSubmissionBody(
  from: SlackSender,
  opts: { viewId: string; callbackId?: string; privateMetadata: string; values: Readonly<Record<string, string>> },
): string {
  const values = Object.fromEntries(
    Object.entries(opts.values).map(([block, value]) => [
      block,
      { value: block === 'reason' ? { type: 'plain_text_input', value } : { type: 'static_select', selected_option: { value } } },
    ]),
  );
  return interactionBody({
    type: 'view_submission',
    ...whoActed(from),
    trigger_id: `${opts.viewId}.trigger`,
    view: {
      id: opts.viewId,
      team_id: from.teamId,
      app_installed_team_id: from.teamId,
      callback_id: opts.callbackId ?? 'symtail-request',
      private_metadata: opts.privateMetadata,
      hash: `${opts.viewId}.hash`,
      state: { values },
    },
  });
}

/** The form Slack posts when a button in a channel message is clicked. */
export function blockActionBody(from: SlackSender, opts: { actionId: string; value: string; channelId: string; messageTs: string; triggerId: string }): string {
  return interactionBody({
    type: 'block_actions',
    ...whoActed(from),
    trigger_id: opts.triggerId,
    container: { type: 'message', channel_id: opts.channelId, message_ts: opts.messageTs },
    channel: { id: opts.channelId },
    message: { ts: opts.messageTs },
    actions: [{ type: 'button', action_id: opts.actionId, block_id: 'request', value: opts.value, action_ts: '1700000000.1' }],
  });
}

/** The fields of an interactive payload that say who acted, where, and for which app. */
function whoActed(from: SlackSender): Record<string, unknown> {
  const grid = from.enterpriseId === undefined ? undefined : { enterprise_id: from.enterpriseId, enterprise_name: 'Example Org' };
  return {
    team: from.orgWide === true ? null : { id: from.teamId, domain: 'example', ...grid },
    user: { id: from.userId, username: from.userId.toLowerCase(), team_id: from.teamId },
    ...(from.appId !== undefined && { api_app_id: from.appId }),
    enterprise: from.enterpriseId === undefined ? null : { id: from.enterpriseId, name: 'Example Org' },
    is_enterprise_install: from.orgWide === true,
  };
}

/** An interactive payload as Slack posts it: a form with one field, `payload`, holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
