import { Manifest } from '../manifest';
import { AccessRequest, FlowRules, HistoryActor, HistoryEntry, RequestAction, RequestNotifier, RequestStore, RecordSeal } from '../requests';
import {
  breakGlassBlocks,
  breakGlassText,
  ImpactSummary,
  SLACK_USER_ID,
  mrkdwnLiteral,
  RequestAction as SlackButton,
  RequestCard,
  requestBlocks,
  requestText,
  SlackApi,
} from '../slack';
import { BreakGlassNotices } from './slack-break-glass';
import { extendChoices } from './extend-choices';

/** What joining the request's group grants, for the approver; undefined when it cannot be told. */
export type ImpactSource = (request: AccessRequest) => Promise<ImpactSummary | undefined>;

export interface SlackNotifierOptions {
  readonly manifest: Manifest;
  readonly store: RequestStore;
  /** Verifies the request as read again: a record the runtime did not write is never shown as the request's state. */
  readonly seal: RecordSeal;
  readonly api: () => Promise<SlackApi>;
  readonly rules: (flow: string) => FlowRules;
  readonly impact?: ImpactSource;
}

/**
 * Posts each request of a flow with a requests channel to that channel, and updates the one message as the request
 * moves. What the message says is always built from the request as stored now (read again here), never from an
 * earlier message or the order notifications arrive in. Where the message is is kept on the request.
 */
export class SlackNotifier implements RequestNotifier {
  /** Per container: the approvers' Slack users are looked up once. */
  private readonly breakGlass = new BreakGlassNotices(() => this.options.api());

  constructor(private readonly options: SlackNotifierOptions) {}

  async notify(request: AccessRequest, _transition: RequestAction): Promise<void> {
    const flow = this.options.manifest.flows[request.flow];
    if (flow?.requestsChannel === undefined) return;
    // The latest stored state, so a late notification never shows an earlier one; unless it does not verify, when
    // the request this notification is about (the runtime's own write) is shown instead.
    const stored = await this.options.store.get(request.id);
    const current = stored !== undefined && (await this.options.seal.verify(stored)) ? stored : request;
    const rules = this.options.rules(current.flow);
    const card = requestCard(current, this.options.manifest, rules, await this.impactOf(current));
    // A break-glass request is loud: it says so first, and mentions the approvers until one reviews it.
    const notice = current.breakGlass === true ? await this.breakGlass.of(current, rules) : undefined;
    const text = notice ? breakGlassText(card, notice) : requestText(card);
    const blocks = notice ? breakGlassBlocks(card, notice) : requestBlocks(card);
    const api = await this.options.api();
    if (current.notification !== undefined) {
      await api.updateMessage(current.notification.channel, current.notification.ts, text, blocks);
      return;
    }
    const posted = await api.postMessage(flow.requestsChannel, text, blocks);
    await this.options.store.setNotification(current.id, posted);
  }

  /** The impact is read when the request is first posted; an update keeps the message's view of the request current. */
  private async impactOf(request: AccessRequest): Promise<ImpactSummary | undefined> {
    if (this.options.impact === undefined || request.state !== 'pending') return undefined;
    return this.options.impact(request).catch(() => undefined);
  }
}

/** Block Kit's limit for a text of a context block's element, which the status line is. */
const MAX_STATUS_PART = 2000;

/**
 * How a message names whoever acted, in mrkdwn: a Slack mention, an email shown as it is, or the runtime. Only the
 * email is sealed in a record; an actor's Slack id or rule name that is not of its form is shown as literal text,
 * never as markup (a table write could otherwise put another person's mention, or made-up lines, into the message).
 */
export function who(actor: HistoryActor): string {
  if (actor.kind === 'slack') return SLACK_USER_ID.test(actor.userId) ? `<@${actor.userId}>` : mrkdwnLiteral(actor.email, MAX_STATUS_PART);
  if (actor.kind === 'iam') return mrkdwnLiteral(actor.email, MAX_STATUS_PART);
  return `symtail (${mrkdwnLiteral(actor.name, MAX_STATUS_PART)})`;
}

function last(request: AccessRequest, ...actions: RequestAction[]): HistoryEntry | undefined {
  return [...request.history].reverse().find((entry) => actions.includes(entry.action));
}

/** The message's view of a request: built from the stored request alone. */
export function requestCard(request: AccessRequest, manifest: Manifest, rules: FlowRules, impact?: ImpactSummary): RequestCard {
  const flow = manifest.flows[request.flow];
  const approvedBy =
    request.breakGlass === true
      ? `${who(request.requester)} (their own, break-glass)`
      : request.approvals.map((a) => who(a.actor)).join(', ') || who({ kind: 'system', name: 'flow' });
  const decided = (action: RequestAction) => {
    const entry = last(request, action);
    return entry === undefined ? 'someone' : who(entry.actor);
  };
  let status: string;
  let actions: SlackButton[] = [];
  let extendBy: string[] = [];
  switch (request.state) {
    case 'pending':
      status = `${request.approvals.length} of ${rules.requiredApprovals} approval(s); waits until ${request.deadline}`;
      actions = ['approve', 'deny', 'cancel'];
      break;
    case 'approved':
      status = `approved by ${approvedBy}; granting access`;
      actions = rules.allowRevoke ? ['revoke'] : [];
      break;
    case 'escalated':
      status = `approved by ${approvedBy}; access until ${request.until}`;
      actions = rules.allowRevoke ? ['revoke'] : [];
      // Only its requester may extend it; anyone else who clicks is told so, and nothing is written.
      extendBy = flow === undefined ? [] : extendChoices(flow);
      break;
    case 'ended':
      status = last(request, 'revoke', 'end')?.action === 'revoke' ? `ended early by ${decided('revoke')}` : `ended at ${request.until}`;
      break;
    case 'denied':
      status = `denied by ${decided('deny')}`;
      break;
    case 'cancelled':
      status = `cancelled by ${decided('cancel')}`;
      break;
    case 'expired':
      status = `no decision by ${request.deadline}`;
      break;
    case 'failed': {
      const refusal = last(request, 'fail');
      status =
        refusal?.actor.kind === 'system' && refusal.actor.name === 'record-check'
          ? `refused, never granted: ${mrkdwnLiteral(refusal.detail ?? 'see the audit log', MAX_STATUS_PART)}`
          : `approved, but the grant could not be written: ${mrkdwnLiteral(last(request, 'escalation-failed')?.detail ?? 'see the audit log', MAX_STATUS_PART)}`;
      break;
    }
    case 'extended':
      status = `extended: ${mrkdwnLiteral(last(request, 'extend')?.detail ?? 'the grant now names its extension', MAX_STATUS_PART)}`;
      break;
  }
  return {
    id: request.id,
    state: request.state,
    flowLabel: flow?.label ?? request.flow,
    targetLabel: manifest.targets[request.target]?.label ?? request.target,
    requester: who(request.requester),
    duration: request.duration,
    ...(request.reason !== undefined && { reason: request.reason }),
    status,
    actions,
    ...(extendBy.length > 0 && { extendBy }),
    ...(impact !== undefined && { impact }),
  };
}
