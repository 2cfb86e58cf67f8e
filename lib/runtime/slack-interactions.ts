import { createHash } from 'node:crypto';
import { auditOutcomeOf, DescribedError, quoteForMessage } from '../errors';
import { FlowManifest, Manifest, SlackManifest } from '../manifest';
import { Actor, RequestError, StoreConflictError } from '../requests';
import {
  BlockAction,
  BREAK_GLASS_ACTIONS,
  EXTEND_ACTION_PREFIX,
  extendDurationOf,
  FLOW_MENU_ACTION,
  FlowChoices,
  flowMenuModal,
  mrkdwnLiteral,
  parseInteraction,
  ReminderAnswer,
  REQUEST_ACTIONS,
  REQUEST_MODAL,
  reminderAnswerText,
  requestModal,
  signedBodyOf,
  SlackApi,
  SlackDelivery,
  SlackError,
  SlackInteraction,
  SlackWorkspace,
  verifiedSlackUser,
  verifySlackSignature,
} from '../slack';
import { AuditSink } from './audit';
import { SecretTextCache } from './credentials';
import { describeError, RequestRejectedError } from './errors';
import { RequestServices } from './request-services';

export interface SlackInteractionsOptions {
  readonly manifest: Manifest;
  /** Where the signing secret is read from. */
  readonly secrets: SecretTextCache;
  /** The Web API client, with the current bot token. */
  readonly client: () => Promise<SlackApi>;
  /** Requests services whose notifications go to the requests channel (the notifier the rest of the runtime's requests use). */
  readonly services: RequestServices;
  readonly audit: AuditSink;
  readonly now?: () => Date;
}

/**
 * The Web API client for the manifest's Slack app: one per bot token, so a rotated token (re-read when the secret
 * cache expires) gets a new client.
 */
export function slackClient(slack: SlackManifest, secrets: SecretTextCache): () => Promise<SlackApi> {
  let current: { token: string; client: SlackApi } | undefined;
  return async () => {
    const token = await secrets.get(slack.botToken);
    if (current?.token === token) return current.client;
    current = { token, client: new SlackApi({ botToken: token, apiUrl: slack.apiUrl }) };
    return current.client;
  };
}

/** What handling one Slack request came to. */
export type SlackOutcome =
  | { readonly ok: true; readonly interaction: SlackInteraction['kind']; readonly requestId?: string; readonly state?: string; readonly duplicate?: true }
  | { readonly ok: false; readonly error: DescribedError };

/** Slack's limit for a message's text, less room for the words around it. */
const MAX_NOTICE = 3500;

/** The buttons of request messages, by `action_id`: each runs the requests service's action of that name as the clicking user. */
const BUTTONS = { ...REQUEST_ACTIONS, ...BREAK_GLASS_ACTIONS };
const ACTION_BY_ID = new Map<string, keyof typeof BUTTONS>(Object.entries(BUTTONS).map(([action, id]) => [id, action as keyof typeof BUTTONS]));

/**
 * Slack requests handed over by the front door. Nothing in one is believed until its signature is checked here
 * again (a principal that can invoke the function cannot forge a Slack user), it is for this workspace and app,
 * and `users.info` says the user is a full member with an email. Then the user is a verified actor and the request
 * goes to the requests service like any other.
 */
export class SlackInteractions {
  private readonly now: () => Date;

  constructor(private readonly options: SlackInteractionsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async handle(delivery: SlackDelivery): Promise<SlackOutcome> {
    let interaction: SlackInteraction | undefined;
    let actor: Actor | undefined;
    try {
      const slack = this.slack();
      const signed = signedBodyOf(delivery);
      verifySlackSignature(await this.options.secrets.get(slack.signingSecret), signed, this.now().getTime());
      interaction = parseInteraction(signed.body, workspaceOf(slack));
      const user = await verifiedSlackUser(await this.options.client(), interaction.userId, workspaceOf(slack));
      actor = { kind: 'slack', teamId: user.teamId, userId: user.userId, email: user.email };
      const outcome = await this.dispatch(interaction, actor);
      this.audit('success', interaction, actor, outcome);
      return outcome;
    } catch (error) {
      if (error instanceof StoreConflictError && interaction?.kind === 'submission') {
        // The request this submission makes is already stored: a retry, or Lambda running one event twice.
        const outcome: SlackOutcome = { ok: true, interaction: 'submission', duplicate: true };
        this.audit('noop', interaction, actor, outcome);
        return outcome;
      }
      const described = describeError(error);
      // A retry that finds its own action done has nothing to tell: the first delivery did it.
      const doneBefore = delivery.retryNum !== undefined && error instanceof RequestError && error.httpStatus === 409;
      if (interaction !== undefined && actor !== undefined && !doneBefore) {
        await this.tellUser(interaction, described.message);
      }
      this.audit(auditOutcomeOf(described.code), interaction, actor, { ok: false, error: described });
      return { ok: false, error: described };
    }
  }

  private async dispatch(interaction: SlackInteraction, actor: Actor): Promise<SlackOutcome> {
    switch (interaction.kind) {
      case 'command': {
        const flows = this.slackFlows();
        const named = flows.find((f) => [f.name, f.label].some((n) => n.toLowerCase() === interaction.text.trim().toLowerCase()));
        const modal = named ?? (flows.length === 1 ? flows[0] : undefined);
        await (await this.options.client()).openView(interaction.triggerId, modal ? requestModal(this.choices(modal)) : flowMenuModal(flows));
        return { ok: true, interaction: 'command' };
      }
      case 'submission': {
        if (interaction.callbackId !== REQUEST_MODAL.callbackId) throw invalid('view.callback_id', `"${REQUEST_MODAL.callbackId}"`);
        const flow = this.slackFlow(interaction.privateMetadata);
        const { target, duration, reason } = interaction.values;
        if (target === undefined) throw invalid(`view.state.values.${REQUEST_MODAL.target}`, 'a target');
        const id = requestIdOf(interaction.teamId, interaction.viewId);
        const { request } = await this.options.services({ newRequestId: () => id, channel: 'slack' }).request(actor, {
          flow: flow.name,
          target,
          ...(duration !== undefined && { duration }),
          ...(reason !== undefined && reason.trim() !== '' && { reason: reason.trim() }),
        });
        return { ok: true, interaction: 'submission', requestId: request.id, state: request.state };
      }
      case 'action':
        return this.act(interaction, actor);
    }
  }

  private async act(interaction: BlockAction, actor: Actor): Promise<SlackOutcome> {
    if (interaction.actionId === FLOW_MENU_ACTION) {
      if (interaction.viewId === undefined) throw invalid('view', 'the modal the flow menu is in');
      await (await this.options.client()).updateView(interaction.viewId, interaction.viewHash, requestModal(this.choices(this.slackFlow(interaction.value))));
      return { ok: true, interaction: 'action' };
    }
    const service = this.options.services({ channel: 'slack' });
    // Extend: a new request linked to this one, by the verified user, who must be its requester.
    const duration = extendDurationOf(interaction.actionId);
    if (duration !== undefined) {
      const { request } = await service.extend(actor, interaction.value, duration);
      await this.answerReminder(interaction, {
        action: 'extend',
        id: request.id,
        state: request.state,
        ...(request.until !== undefined && { until: request.until }),
      });
      return { ok: true, interaction: 'action', requestId: request.id, state: request.state };
    }
    const action = ACTION_BY_ID.get(interaction.actionId);
    if (action === undefined) throw invalid('actions[0].action_id', `one of ${[...ACTION_BY_ID.keys()].join(', ')}, or ${EXTEND_ACTION_PREFIX}<duration>`);
    const { request } = await service[action](actor, interaction.value);
    if (action === 'revoke') await this.answerReminder(interaction, { action, id: request.id, state: request.state });
    return { ok: true, interaction: 'action', requestId: request.id, state: request.state };
  }

  /**
   * A button of a reminder (a direct message: its channel id starts with `D`) that did its work: the message is
   * replaced by what came of it, without buttons. A channel's request message is left to the notifier. Telling is a
   * courtesy: the action stands whether or not the message could be changed.
   */
  private async answerReminder(interaction: BlockAction, answer: ReminderAnswer): Promise<void> {
    if (interaction.channelId?.startsWith('D') !== true || interaction.messageTs === undefined) return;
    const text = reminderAnswerText(answer);
    try {
      await (
        await this.options.client()
      ).updateMessage(interaction.channelId, interaction.messageTs, text, [{ type: 'section', text: { type: 'mrkdwn', text } }]);
    } catch {
      // As said above.
    }
  }

  /** Tells the user why nothing happened: in the channel they acted in (only they see it), else in a direct message. */
  private async tellUser(interaction: SlackInteraction, message: string): Promise<void> {
    const channel = interaction.kind === 'command' ? interaction.channelId : interaction.kind === 'action' ? interaction.channelId : undefined;
    const text = `Nothing was done: ${mrkdwnLiteral(message, MAX_NOTICE)}`;
    try {
      const api = await this.options.client();
      if (channel !== undefined) await api.postEphemeral(channel, interaction.userId, text);
      else await api.postMessage(interaction.userId, text, []);
    } catch {
      // Telling is a courtesy: the refusal itself is in the audit line.
    }
  }

  private audit(
    outcome: 'success' | 'noop' | 'rejected' | 'failed',
    interaction: SlackInteraction | undefined,
    actor: Actor | undefined,
    result: SlackOutcome,
  ): void {
    this.options.audit({
      type: 'symtail.audit',
      time: this.now().toISOString(),
      action: 'slack',
      outcome,
      ...(interaction !== undefined && { slack: `${interaction.kind} by ${interaction.teamId}/${interaction.userId}` }),
      ...(actor !== undefined && { requester: actor.email }),
      ...(result.ok && result.requestId !== undefined && { requestId: result.requestId }),
      ...(!result.ok && { error: result.error }),
    });
  }

  private slack(): SlackManifest {
    if (this.options.manifest.slack === undefined) throw new SlackError('slack-not-configured', 'this runtime has no Slack app in its manifest');
    return this.options.manifest.slack;
  }

  private slackFlows(): FlowManifest[] {
    return Object.values(this.options.manifest.flows).filter((f) => f.requestsChannel !== undefined);
  }

  private slackFlow(name: string): FlowManifest {
    const flow = this.slackFlows().find((f) => f.name === name);
    if (flow === undefined) throw new RequestRejectedError('unknown-flow', `flow: ${quoteForMessage(name)} is not a flow offered in Slack`);
    return flow;
  }

  private choices(flow: FlowManifest): FlowChoices {
    const strategy = this.options.manifest.strategies[flow.strategy];
    return {
      name: flow.name,
      label: flow.label,
      targets: strategy.targets.map((t) => ({ name: t, label: this.options.manifest.targets[t].label })),
      durations: flow.durations,
      maxDuration: flow.maxDuration,
      reasonRequired: flow.reasonRequired,
    };
  }
}

function workspaceOf(slack: SlackManifest): SlackWorkspace {
  return { teamId: slack.externalId, appId: slack.appId };
}

/** The id of the request a modal submission makes: the same for every delivery of that submission. */
export function requestIdOf(teamId: string, viewId: string): string {
  return `r-${createHash('sha256').update(`slack:${teamId}:${viewId}`).digest('hex').slice(0, 16)}`;
}

function invalid(field: string, expected: string): SlackError {
  return new SlackError('slack-payload-invalid', `${field}: expected ${expected}`);
}
