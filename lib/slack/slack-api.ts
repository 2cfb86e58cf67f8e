import type { WebClient } from '@slack/web-api';
import { SlackError } from './errors';

/** A Slack user as `users.info` describes them: the fields that decide whether they may act. */
export interface SlackUser {
  readonly id: string;
  readonly teamId?: string;
  /** For a user of an Enterprise Grid organization (`enterprise_user`): the organization, and the workspaces they belong to. */
  readonly enterprise?: { readonly id: string; readonly teams: readonly string[] };
  readonly email?: string;
  readonly isBot: boolean;
  readonly deleted: boolean;
  /** A multi-channel (`is_restricted`) or single-channel (`is_ultra_restricted`) guest. */
  readonly isGuest: boolean;
}

/**
 * Who a token is, as `auth.test` answers: the workspace it was installed in (and the organization, for an install on
 * an Enterprise Grid organization), the app, and the bot. Fields Slack leaves out are absent.
 */
export interface SlackTokenIdentity {
  readonly teamId?: string;
  readonly team?: string;
  readonly enterpriseId?: string;
  readonly isEnterpriseInstall: boolean;
  readonly appId?: string;
  readonly userId?: string;
  readonly botId?: string;
}

/** A Block Kit block or view, as Slack's JSON. */
export type Block = Readonly<Record<string, unknown>>;
export interface ModalView {
  readonly type: 'modal';
  readonly [key: string]: unknown;
}

export interface SlackApiOptions {
  /** The bot token (`xoxb-…`); never logged, never part of an error. */
  readonly botToken: string;
  /** The Web API URL the method names are appended to, e.g. `https://slack.com/api/` (the manifest's `slack.apiUrl`). */
  readonly apiUrl: string;
  /** Per call, in ms. Default: 5000. */
  readonly timeoutMs?: number;
}

/**
 * The few Web API methods the runtime calls, through `@slack/web-api`. The package is loaded on the first call, so
 * a cold start that handles no Slack event never pays for it. Failures become `slack-api-failed` naming the method
 * and Slack's error word.
 */
export class SlackApi {
  private client?: WebClient;

  constructor(private readonly options: SlackApiOptions) {}

  async userInfo(userId: string): Promise<SlackUser> {
    const { user } = await this.call('users.info', (c) => c.users.info({ user: userId }));
    if (user === undefined) throw new SlackError('slack-api-failed', `users.info: no user in the answer for ${userId}`);
    return slackUserOf(user, userId);
  }

  /**
   * The workspace's user whose profile has `email`, by `users.lookupByEmail` (scope `users:read.email`); undefined
   * when Slack has none (`users_not_found`, which it also answers for a deactivated user).
   */
  async lookupByEmail(email: string): Promise<SlackUser | undefined> {
    const answer = await this.call('users.lookupByEmail', (c) =>
      c.users.lookupByEmail({ email }).catch((error: unknown) => {
        if (reasonOf(error) === 'users_not_found') return undefined;
        throw error;
      }),
    );
    const user = answer?.user;
    return typeof user?.id === 'string' && user.id !== '' ? slackUserOf(user, user.id) : undefined;
  }

  /** Who the bot token is: `auth.test`, which needs no scope. */
  async authTest(): Promise<SlackTokenIdentity> {
    const answer = await this.call('auth.test', (c) => c.auth.test());
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    const fields = {
      teamId: text(answer.team_id),
      team: text(answer.team),
      enterpriseId: text(answer.enterprise_id),
      appId: text(answer.app_id),
      userId: text(answer.user_id),
      botId: text(answer.bot_id),
    };
    return {
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
      isEnterpriseInstall: answer.is_enterprise_install === true,
    };
  }

  async openView(triggerId: string, view: ModalView): Promise<void> {
    await this.call('views.open', (c) => c.views.open({ trigger_id: triggerId, view: view as never }));
  }

  async updateView(viewId: string, hash: string | undefined, view: ModalView): Promise<void> {
    await this.call('views.update', (c) => c.views.update({ view_id: viewId, ...(hash !== undefined && { hash }), view: view as never }));
  }

  /**
   * Posts a message and returns where: the channel (for a user id, the direct message Slack opened) and its `ts`, the
   * message's id within the channel. `threadTs` makes it a reply in that message's thread.
   */
  async postMessage(
    channel: string,
    text: string,
    blocks: readonly Block[],
    options: { readonly threadTs?: string } = {},
  ): Promise<{ channel: string; ts: string }> {
    const thread = options.threadTs === undefined ? {} : { thread_ts: options.threadTs };
    const answer = await this.call('chat.postMessage', (c) => c.chat.postMessage({ channel, text, blocks: blocks as never, ...thread }));
    if (typeof answer.ts !== 'string') throw new SlackError('slack-api-failed', 'chat.postMessage: no ts in the answer');
    return { channel: answer.channel ?? channel, ts: answer.ts };
  }

  async updateMessage(channel: string, ts: string, text: string, blocks: readonly Block[]): Promise<void> {
    await this.call('chat.update', (c) => c.chat.update({ channel, ts, text, blocks: blocks as never }));
  }

  /** A message only `user` sees, in `channel`. */
  async postEphemeral(channel: string, user: string, text: string): Promise<void> {
    await this.call('chat.postEphemeral', (c) => c.chat.postEphemeral({ channel, user, text }));
  }

  private async call<T>(method: string, send: (client: WebClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.webClient());
    } catch (error) {
      throw new SlackError('slack-api-failed', `${method}: ${reasonOf(error)}`);
    }
  }

  private webClient(): WebClient {
    if (this.client === undefined) {
      // `require`, not `import()`: the bundles are CommonJS, and this keeps the package off the cold path.
      const { WebClient, LogLevel } = require('@slack/web-api') as typeof import('@slack/web-api');
      this.client = new WebClient(this.options.botToken, {
        slackApiUrl: this.options.apiUrl,
        timeout: this.options.timeoutMs ?? 5000,
        // One retry: a click waits on this, and Lambda's async retries cover the rest.
        retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
        logLevel: LogLevel.ERROR,
        allowAbsoluteUrls: false,
      });
    }
    return this.client;
  }
}

type WebUser = NonNullable<Awaited<ReturnType<WebClient['users']['info']>>['user']>;

/** The fields of a Slack user object (as `users.info` and `users.lookupByEmail` give it) that decide whether they may act. */
function slackUserOf(user: WebUser, userId: string): SlackUser {
  return {
    id: user.id ?? userId,
    teamId: user.team_id,
    ...(typeof user.enterprise_user?.enterprise_id === 'string' && {
      enterprise: { id: user.enterprise_user.enterprise_id, teams: (user.enterprise_user.teams ?? []).filter((t) => typeof t === 'string') },
    }),
    email: user.profile?.email,
    isBot: user.is_bot === true || user.is_app_user === true || userId === 'USLACKBOT',
    deleted: user.deleted === true,
    isGuest: user.is_restricted === true || user.is_ultra_restricted === true,
  };
}

/** Slack's error word (`user_not_found`, `expired_trigger_id`) or the failure's kind; never the request, which holds the token. */
function reasonOf(error: unknown): string {
  const { code, data, statusCode } = (error ?? {}) as { code?: string; data?: { error?: unknown }; statusCode?: number };
  if (typeof data?.error === 'string') return data.error;
  if (statusCode !== undefined) return `HTTP ${statusCode}`;
  return code ?? 'request failed';
}
