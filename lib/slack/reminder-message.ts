import { extendButtons } from './extend-buttons';
import { REQUEST_ACTIONS } from './request-message';
import { Block } from './slack-api';
import { escapeMrkdwn } from './text';

/** What the requester's reminder says: built from the stored request and its flow, never from a message. */
export interface ExpiryReminderCard {
  readonly id: string;
  readonly flowLabel: string;
  readonly targetLabel: string;
  /** ISO 8601: when the grant ends. */
  readonly until: string;
  /** Whole minutes left, rounded up. */
  readonly minutesLeft: number;
  /** The Extend buttons' durations; empty: none. */
  readonly extendBy: readonly string[];
  /** The flow's self-extension total, when it has one: extensions within it are granted at once. */
  readonly selfExtensionMaxTotal?: string;
  /** Whether End now is offered (the flow allows revoking). */
  readonly endNow: boolean;
}

/** What the approvers' nudge says. */
export interface ApproverNudgeCard {
  readonly id: string;
  readonly targetLabel: string;
  /** Mrkdwn: `<@U…>` for a Slack requester, else their email made inert. */
  readonly requester: string;
  readonly duration: string;
  /** Mrkdwn mentions of the approvers Slack knows (`<@U…>`); empty: none are in Slack. */
  readonly approvers: readonly string[];
  /** ISO 8601: when the request expires unless approved. */
  readonly deadline: string;
  /** Whole minutes it has waited. */
  readonly minutesWaited: number;
  /** Whether the nudge is a reply under the request's message (its buttons are just above). */
  readonly inThread: boolean;
}

/** A time shown in each reader's own time zone, with the ISO time for clients that cannot (`<!date^…|…>`). */
export function slackTime(iso: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} at {time}|${iso}>`;
}

/** The reminder's text, for notifications and screen readers. */
export function expiryReminderText(card: ExpiryReminderCard): string {
  return `Your access to ${card.targetLabel} ends in ${minutes(card.minutesLeft)} (request ${card.id})`;
}

/**
 * The requester's reminder, sent as a direct message: what ends and when, then Extend (one button a duration) and
 * End now. An extension runs from the click, like any grant, and within the flow's self-extension it is granted at
 * once; otherwise it waits for an approval, and the message says which.
 */
export function expiryReminderBlocks(card: ExpiryReminderCard): Block[] {
  const extending =
    card.extendBy.length === 0
      ? ''
      : card.selfExtensionMaxTotal !== undefined
        ? ` Extending starts the new time now; up to ${escapeMrkdwn(card.selfExtensionMaxTotal)} in all it is granted at once, beyond that it waits for an approval.`
        : ' Extending starts the new time now, once an approver agrees.';
  const buttons: Block[] = [
    ...extendButtons(card.id, card.extendBy),
    ...(card.endNow
      ? [{ type: 'button', action_id: REQUEST_ACTIONS.revoke, text: { type: 'plain_text', text: 'End now' }, value: card.id, style: 'danger' }]
      : []),
  ];
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:hourglass_flowing_sand: Your access to *${escapeMrkdwn(card.targetLabel)}* (${escapeMrkdwn(card.flowLabel)}) ends ${slackTime(card.until)}, in ${minutes(card.minutesLeft)}.`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Request \`${card.id}\`.${extending}` }] },
    ...(buttons.length > 0 ? [{ type: 'actions', block_id: 'reminder', elements: buttons }] : []),
  ];
}

/** What became of a reminder's button, shown in its place: the request it made or ended, as stored after the click. */
export interface ReminderAnswer {
  readonly action: 'extend' | 'revoke';
  readonly id: string;
  readonly state: string;
  /** ISO 8601, when the request answered is escalated. */
  readonly until?: string;
}

/** The direct message once a button of it was used, so a second click has nothing left to do twice. */
export function reminderAnswerText(answer: ReminderAnswer): string {
  if (answer.action === 'revoke') return `:wave: Ended: your access was removed (request \`${answer.id}\`).`;
  if (answer.state === 'escalated' && answer.until !== undefined)
    return `:white_check_mark: Extended: your access now lasts until ${slackTime(answer.until)} (request \`${answer.id}\`).`;
  return `:hourglass: Extension asked for: request \`${answer.id}\` is ${escapeMrkdwn(answer.state)}; your access stands until it ends or the extension is granted.`;
}

/** The nudge's text, mentions first, so the approvers' notifications say what it is about. */
export function approverNudgeText(card: ApproverNudgeCard): string {
  const who = card.approvers.length > 0 ? `${card.approvers.join(' ')}: ` : '';
  const where = card.inThread ? 'Approve or deny it above' : `Request \`${card.id}\``;
  return (
    `:bell: ${who}this request by ${card.requester} for *${escapeMrkdwn(card.targetLabel)}* (${escapeMrkdwn(card.duration)}) has waited ` +
    `${minutes(card.minutesWaited)} for approval and expires ${slackTime(card.deadline)} unless approved. ${where}.`
  );
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}
