import { slackSignature } from '../slack';

/** Who a test payload comes from. */
export interface SlackSender {
  readonly teamId: string;
  readonly appId: string;
  readonly userId: string;
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

/** The form Slack posts for a slash command. */
export function slashCommandBody(from: SlackSender, opts: { command?: string; text?: string; triggerId: string; channelId?: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: from.teamId,
    team_domain: 'example',
    channel_id: opts.channelId ?? 'C0REQUESTS',
    channel_name: 'access',
    user_id: from.userId,
    user_name: from.userId.toLowerCase(),
    command: opts.command ?? '/access',
    text: opts.text ?? '',
    api_app_id: from.appId,
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
    team: { id: from.teamId, domain: 'example' },
    user: { id: from.userId, team_id: from.teamId },
    api_app_id: from.appId,
    trigger_id: `${opts.viewId}.trigger`,
    view: {
      id: opts.viewId,
      callback_id: opts.callbackId ?? 'symtail-request',
      private_metadata: opts.privateMetadata,
      hash: `${opts.viewId}.hash`,
      state: { values },
    },
  });
}

/** The form Slack posts when a button in a channel message is clicked. */
export function blockActionBody(
  from: SlackSender,
  opts: { actionId: string; value: string; channelId: string; messageTs: string; triggerId: string },
): string {
  return interactionBody({
    type: 'block_actions',
    team: { id: from.teamId, domain: 'example' },
    user: { id: from.userId, team_id: from.teamId },
    api_app_id: from.appId,
    trigger_id: opts.triggerId,
    container: { type: 'message', channel_id: opts.channelId, message_ts: opts.messageTs },
    channel: { id: opts.channelId },
    message: { ts: opts.messageTs },
    actions: [{ type: 'button', action_id: opts.actionId, block_id: 'request', value: opts.value, action_ts: '1700000000.1' }],
  });
}

/** An interactive payload as Slack posts it: a form with one field, `payload`, holding JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
