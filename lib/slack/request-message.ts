import { extendButtons } from './extend-buttons';
import { Block } from './slack-api';
import { escapeMrkdwn, plainText } from './text';

/** `action_id`s of the request message's buttons; each button's value is the request id and nothing else. */
export const REQUEST_ACTIONS = {
  approve: 'symtail-approve',
  deny: 'symtail-deny',
  cancel: 'symtail-cancel',
  revoke: 'symtail-revoke',
} as const;
export type RequestAction = keyof typeof REQUEST_ACTIONS;

/** What one group grants, in brief, and what is dangerous about it. */
export interface ImpactSummary {
  /** One line per rule, e.g. `acls line 12: tcp:22 on tag:prod`. */
  readonly rules: readonly string[];
  readonly dangers: readonly string[];
}

/** A request as its channel message shows it; always built from the stored request, never from a message. */
export interface RequestCard {
  readonly id: string;
  readonly state: string;
  readonly flowLabel: string;
  readonly targetLabel: string;
  /** Mrkdwn: `<@U…>` for a Slack requester, else their email made inert with `mrkdwnLiteral`. */
  readonly requester: string;
  readonly duration: string;
  /** The requester's own words, as they typed them: shown as plain text on one line, whatever they hold. */
  readonly reason?: string;
  /** Mrkdwn, one line saying where the request stands, e.g. "Approved by <@U2>; granted until 18:00 UTC"; anything
   * in it from outside made inert with `mrkdwnLiteral`. */
  readonly status: string;
  /** Which buttons to show: those the request's state allows. */
  readonly actions: readonly RequestAction[];
  /** Extend buttons, one a duration, shown before the others: for an escalated request, which its requester may extend. */
  readonly extendBy?: readonly string[];
  readonly impact?: ImpactSummary;
}

const LABELS: Record<RequestAction, string> = { approve: 'Approve', deny: 'Deny', cancel: 'Cancel request', revoke: "I'm done" };
const STYLES: Partial<Record<RequestAction, string>> = { approve: 'primary', deny: 'danger' };
const MAX_IMPACT_LINES = 8;
/** Block Kit's limit for a section's text. */
const MAX_SECTION_TEXT = 3000;

/** The fallback text of a request message (notifications, screen readers). */
export function requestText(card: RequestCard): string {
  return `Access request ${card.id}: ${card.flowLabel} → ${card.targetLabel} for ${card.duration} (${card.state})`;
}

/**
 * The request message's blocks: who asks for what, for how long and why; where it stands; the buttons its state
 * allows. The reason is a `plain_text` section of its own: `*bold*`, links, mentions and line breaks in it show as
 * typed, never as formatting, so it cannot draw a "*Target*" line or ping a channel.
 */
export function requestBlocks(card: RequestCard): Block[] {
  const field = (name: string, value: string) => ({ type: 'mrkdwn', text: `*${name}*\n${value}` });
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(card.flowLabel)}* · request \`${card.id}\`` } },
    {
      type: 'section',
      fields: [field('Requester', card.requester), field('Target', escapeMrkdwn(card.targetLabel)), field('Duration', escapeMrkdwn(card.duration))],
    },
    { type: 'section', block_id: 'reason', text: plainText(`Reason: ${card.reason ? card.reason : 'none given'}`, MAX_SECTION_TEXT) },
  ];
  if (card.impact !== undefined) blocks.push(...impactBlocks(card.impact));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `*${card.state}* · ${card.status}` }] });
  const buttons = [
    ...extendButtons(card.id, card.extendBy ?? []),
    ...card.actions.map((action) => ({
      type: 'button',
      action_id: REQUEST_ACTIONS[action],
      text: { type: 'plain_text', text: LABELS[action] },
      value: card.id,
      ...(STYLES[action] !== undefined && { style: STYLES[action] }),
    })),
  ];
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'request', elements: buttons });
  return blocks;
}

function impactBlocks(impact: ImpactSummary): Block[] {
  const lines = impact.rules.slice(0, MAX_IMPACT_LINES).map((r) => `• ${escapeMrkdwn(r)}`);
  if (impact.rules.length > MAX_IMPACT_LINES) lines.push(`• … and ${impact.rules.length - MAX_IMPACT_LINES} more`);
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*What this group grants*\n${lines.length > 0 ? lines.join('\n') : '_no rule reaches it_'}` } },
  ];
  if (impact.dangers.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:warning: *Dangers*\n${impact.dangers.map((d) => `• ${escapeMrkdwn(d)}`).join('\n')}` },
    });
  }
  return blocks;
}
