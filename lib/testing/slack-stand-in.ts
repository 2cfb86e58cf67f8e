import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http-io';

/** A user of the stand-in's workspace (or organization), as `users.info` will describe them. */
export interface SlackStandInUser {
  readonly id: string;
  readonly email?: string;
  /** Default: the stand-in's team. */
  readonly teamId?: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
  /** A multi-channel guest. */
  readonly isRestricted?: boolean;
  /** A single-channel guest. */
  readonly isUltraRestricted?: boolean;
  /** The user's Enterprise Grid organization; null for a user outside Grid. Default: the stand-in's organization. */
  readonly enterpriseId?: string | null;
  /** A Grid user's workspaces (`enterprise_user.teams`). Default: their own workspace. */
  readonly teams?: readonly string[];
}

/** A bot token of an app installed in another workspace than the stand-in's. */
export interface SlackOtherInstall {
  readonly botToken: string;
  readonly teamId: string;
  readonly appId: string;
}

export interface SlackStandInOptions {
  /** The bot token calls must carry as `Authorization: Bearer`. Default: `xoxb-stand-in`. */
  readonly botToken?: string;
  /** Default: `T0STANDIN`. */
  readonly teamId?: string;
  /** The Enterprise Grid organization the workspace is part of; its users are then Grid users. Default: none. */
  readonly enterpriseId?: string;
  /** The app the bot token is of, as `auth.test` names it. Default: `A0STANDIN`. */
  readonly appId?: string;
  /** Tokens of installs elsewhere: `auth.test` names their own team and app; every other method refuses them. */
  readonly otherInstalls?: readonly SlackOtherInstall[];
  readonly users?: readonly SlackStandInUser[];
  /** Default: 0 (any free port). */
  readonly port?: number;
}

/** One Web API call as the stand-in received it, arguments decoded (JSON fields parsed), and what it answered. */
export interface RecordedSlackCall {
  readonly method: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly ok: boolean;
  readonly error?: string;
  /** The whole answer, as sent. */
  readonly answer: Readonly<Record<string, unknown>>;
}

/** A message as it stands after every post and update. */
export interface StandInMessage {
  readonly channel: string;
  readonly ts: string;
  readonly text: unknown;
  readonly blocks: unknown;
  readonly updates: number;
  /** The `ts` of the message this one replies to, in its thread. */
  readonly threadTs?: string;
}

type Answer = { ok: true; [key: string]: unknown } | { ok: false; error: string };
const MAX_BODY = 1024 * 1024;
const JSON_ARGS = new Set(['blocks', 'view', 'attachments']);

/**
 * A local stand-in for the Slack Web API methods the runtime calls: `auth.test`, `users.info`, `users.lookupByEmail`,
 * `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `views.open`, `views.update`. A real `node:http` server on
 * loopback that checks the bot token, answers as Slack does (HTTP 200, `ok: false` and an error word on failure),
 * opens a direct message (`D…`) for a message posted to a user id, treats trigger ids as single-use, records every
 * call, and can be made slow, method by method (`delayMs`).
 */
export class SlackStandIn {
  readonly botToken: string;
  readonly teamId: string;
  readonly enterpriseId?: string;
  readonly appId: string;
  private readonly otherInstalls: readonly SlackOtherInstall[];
  private readonly users = new Map<string, SlackStandInUser>();
  private readonly log: RecordedSlackCall[] = [];
  private readonly stored = new Map<string, StandInMessage>();
  private readonly usedTriggers = new Set<string>();
  private readonly views = new Set<string>();
  private counter = 0;
  private origin = '';
  private readonly server: Server;

  private constructor(options: SlackStandInOptions) {
    this.botToken = options.botToken ?? 'xoxb-stand-in';
    this.teamId = options.teamId ?? 'T0STANDIN';
    if (options.enterpriseId !== undefined) this.enterpriseId = options.enterpriseId;
    this.appId = options.appId ?? 'A0STANDIN';
    this.otherInstalls = options.otherInstalls ?? [];
    for (const user of options.users ?? []) this.addUser(user);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => sendJson(res, 500, { ok: false, error: 'internal_error' }));
    });
  }

  static async start(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
    const standIn = new SlackStandIn(options);
    await new Promise<void>((resolve, reject) => {
      standIn.server.once('error', reject);
      standIn.server.listen(options.port ?? 0, '127.0.0.1', () => {
        const { port } = standIn.server.address() as AddressInfo;
        standIn.origin = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
    return standIn;
  }

  /** The Web API URL to give a client, ending in `/api/`. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** Milliseconds the answer to each method waits, by method name, e.g. `{ 'users.lookupByEmail': 3000 }`. */
  delayMs: Record<string, number> = {};

  get calls(): readonly RecordedSlackCall[] {
    return this.log;
  }

  callsTo(method: string): RecordedSlackCall[] {
    return this.log.filter((c) => c.method === method);
  }

  get messages(): StandInMessage[] {
    return [...this.stored.values()];
  }

  addUser(user: SlackStandInUser): void {
    this.users.set(user.id, user);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = /^\/api\/([a-zA-Z.]+)$/.exec(req.url ?? '')?.[1] ?? '';
    const read = await readBody(req, MAX_BODY);
    const args = read.kind === 'text' ? decodeArgs(read.text, req.headers['content-type']) : {};
    const wait = this.delayMs[method] ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const elsewhere = this.otherInstalls.find((i) => req.headers.authorization === `Bearer ${i.botToken}`);
    const answer =
      req.method !== 'POST'
        ? fail('method_not_supported')
        : elsewhere !== undefined && method === 'auth.test'
          ? authTest(elsewhere)
          : req.headers.authorization !== `Bearer ${this.botToken}`
            ? fail('invalid_auth')
            : this.answer(method, args);
    this.log.push({ method, args, ok: answer.ok, ...(!answer.ok && { error: answer.error }), answer });
    sendJson(res, 200, answer);
  }

  private answer(method: string, args: Record<string, unknown>): Answer {
    switch (method) {
      case 'auth.test':
        return authTest(this);
      case 'users.info':
        return this.userInfo(String(args.user ?? ''));
      case 'users.lookupByEmail':
        return this.lookupByEmail(String(args.email ?? ''));
      case 'chat.postMessage': {
        if (typeof args.channel !== 'string' || args.channel === '') return fail('channel_not_found');
        // Posted to a user, a message goes to the direct message between the bot and them, as Slack answers.
        const channel = this.users.has(args.channel) ? directMessageOf(args.channel) : args.channel;
        const ts = this.nextTs();
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        const message = { channel, ts, text: args.text, blocks: args.blocks, updates: 0, ...(threadTs !== undefined && { threadTs }) };
        this.stored.set(`${channel}/${ts}`, message);
        return { ok: true, channel, ts, message: { text: args.text, blocks: args.blocks } };
      }
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        const before = this.stored.get(key);
        if (before === undefined) return fail('message_not_found');
        this.stored.set(key, { ...before, text: args.text, blocks: args.blocks, updates: before.updates + 1 });
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'chat.postEphemeral':
        if (typeof args.channel !== 'string' || typeof args.user !== 'string') return fail('invalid_arguments');
        return { ok: true, message_ts: this.nextTs() };
      case 'views.open': {
        const trigger = String(args.trigger_id ?? '');
        if (trigger === '' || this.usedTriggers.has(trigger)) return fail('expired_trigger_id');
        this.usedTriggers.add(trigger);
        const id = `V${String(++this.counter).padStart(8, '0')}`;
        this.views.add(id);
        return { ok: true, view: { id, hash: `${id}.hash` } };
      }
      case 'views.update':
        if (!this.views.has(String(args.view_id))) return fail('not_found');
        return { ok: true, view: { id: args.view_id } };
      default:
        return fail('unknown_method');
    }
  }

  private userInfo(id: string): Answer {
    const user = this.users.get(id);
    if (user === undefined) return fail('user_not_found');
    const teamId = user.teamId ?? this.teamId;
    const enterpriseId = user.enterpriseId === undefined ? this.enterpriseId : (user.enterpriseId ?? undefined);
    return {
      ok: true,
      user: {
        id,
        team_id: teamId,
        deleted: user.deleted ?? false,
        is_bot: user.isBot ?? false,
        is_app_user: false,
        is_restricted: user.isRestricted ?? false,
        is_ultra_restricted: user.isUltraRestricted ?? false,
        profile: user.email === undefined ? {} : { email: user.email },
        // As Slack describes a user of an Enterprise Grid organization.
        ...(enterpriseId !== undefined && {
          enterprise_user: {
            id,
            enterprise_id: enterpriseId,
            enterprise_name: enterpriseId,
            is_admin: false,
            is_owner: false,
            teams: [...(user.teams ?? [teamId])],
          },
        }),
      },
    };
  }

  /** As Slack answers: the user with that email, compared without case; `users_not_found` for none or a deactivated one. */
  private lookupByEmail(email: string): Answer {
    const found = [...this.users.values()].find((u) => u.email !== undefined && u.email.toLowerCase() === email.toLowerCase() && u.deleted !== true);
    return found === undefined ? fail('users_not_found') : this.userInfo(found.id);
  }

  private nextTs(): string {
    return `1700000000.${String(++this.counter).padStart(6, '0')}`;
  }
}

/** `auth.test` for a bot token, in the shape Slack's answer has (docs.slack.dev/reference/methods/auth.test). */
function authTest(install: { readonly teamId: string; readonly appId: string; readonly enterpriseId?: string }): Answer {
  const suffix = install.teamId.slice(1);
  return {
    ok: true,
    url: `https://${suffix.toLowerCase()}.slack.com/`,
    team: `Workspace ${install.teamId}`,
    user: 'symtail',
    team_id: install.teamId,
    user_id: `U0BOT${suffix}`,
    bot_id: `B0BOT${suffix}`,
    app_id: install.appId,
    // An org-wide install's token names its organization.
    ...(install.enterpriseId === undefined ? { is_enterprise_install: false } : { enterprise_id: install.enterpriseId, is_enterprise_install: true }),
  };
}

/** The id of the direct message between the bot and `userId`: `U0ALICE` → `D0ALICE`. */
export function directMessageOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

function fail(error: string): Answer {
  return { ok: false, error };
}

/** Form or JSON arguments; Block Kit fields arrive as JSON text inside a form and are parsed back. */
function decodeArgs(text: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) args[key] = JSON_ARGS.has(key) ? parseOrKeep(value) : value;
  return args;
}

function parseOrKeep(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
