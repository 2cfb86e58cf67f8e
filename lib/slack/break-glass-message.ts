import { RequestCard, requestBlocks } from './request-message';
import { Block } from './slack-api';
import { escapeMrkdwn, mrkdwnLiteral, plainText } from './text';

/** `action_id` of the break-glass message's review button; its value is the request id and nothing else. */
export const BREAK_GLASS_ACTIONS = { review: 'symtail-review' } as const;

/**
 * Someone a break-glass message names: a Slack user (mentioned, so Slack notifies them), a person Slack did not find
 * (their email, shown as it is), or an approver group of the tailnet (its name, as text: Slack knows no such group).
 */
export type SlackName = { readonly userId: string } | { readonly email: string } | { readonly group: string };

/** What a break-glass request's message adds to the request's own: who must review it, or who did. */
export interface BreakGlassNotice {
  /** The flow's approvers (never the requester): mentioned while the request waits for a review. */
  readonly approvers: readonly SlackName[];
  readonly needsReview: boolean;
  /** Who reviewed it, when (ISO 8601), and what they noted. */
  readonly review?: { readonly by: SlackName; readonly at: string; readonly note?: string };
}

/** Block Kit's limit for a section's text. */
const MAX_SECTION_TEXT = 3000;
/** Room for the approvers in the fallback text, which notifications show. */
const MAX_TEXT_NAMES = 1000;
/** The longest email or group name shown; the manifest's own limits are lower. */
const MAX_NAME = 256;
/** A Slack user id as Slack writes it (`U…`, or `W…` for an Enterprise Grid user); anything else is never mentioned. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,31}$/;

/** The fallback text of a break-glass message: it says plainly what happened, and mentions who must review it. */
export function breakGlassText(card: RequestCard, notice: BreakGlassNotice): string {
  const review = notice.needsReview
    ? `; needs review by ${approversLine(notice.approvers, MAX_TEXT_NAMES)}`
    : notice.review
      ? `; reviewed by ${name(notice.review.by)}`
      : '';
  return `Break-glass: ${card.requester} granted themself ${escapeMrkdwn(card.targetLabel)} for ${escapeMrkdwn(card.duration)} in an emergency, request ${card.id}${review}`;
}

/**
 * A break-glass request's message: first, plainly, that the requester granted themself access in an emergency, with
 * nobody else's approval; then the request as any request message shows it (the reason in plain text, the status,
 * its buttons); last, while it needs review, the approvers mentioned and a "Mark reviewed" button, and once reviewed,
 * who reviewed it and when.
 *
 *   🚨 Break-glass: @alice granted themself Prod SSH Access for 30m, self-approved in an emergency. …
 *   (the request message)
 *   ⚠ Needs review by an approver: @bob, carol@example.com, standing members of group:sre   [Mark reviewed]
 */
export function breakGlassBlocks(card: RequestCard, notice: BreakGlassNotice): Block[] {
  const opening = {
    type: 'section',
    block_id: 'break-glass',
    text: {
      type: 'mrkdwn',
      text:
        `:rotating_light: *Break-glass:* ${card.requester} granted themself *${escapeMrkdwn(card.targetLabel)}* for *${escapeMrkdwn(card.duration)}*, ` +
        'self-approved in an emergency. Nobody else approved it.',
    },
  };
  return [opening, ...requestBlocks(card), ...reviewBlocks(card.id, notice)];
}

function reviewBlocks(requestId: string, notice: BreakGlassNotice): Block[] {
  if (notice.needsReview) {
    const prefix = ':warning: *Needs review by an approver:* ';
    return [
      {
        type: 'section',
        block_id: 'review',
        text: { type: 'mrkdwn', text: prefix + approversLine(notice.approvers, MAX_SECTION_TEXT - prefix.length) },
        accessory: {
          type: 'button',
          action_id: BREAK_GLASS_ACTIONS.review,
          text: { type: 'plain_text', text: 'Mark reviewed' },
          value: requestId,
          style: 'primary',
        },
      },
    ];
  }
  if (notice.review === undefined) return [];
  const { by, at, note } = notice.review;
  return [
    { type: 'context', block_id: 'review', elements: [{ type: 'mrkdwn', text: `:white_check_mark: Reviewed by ${name(by)} at ${escapeMrkdwn(at)}` }] },
    // The reviewer's own words, like a requester's reason: plain text on one line, never formatting.
    ...(note === undefined ? [] : [{ type: 'section', block_id: 'review-note', text: plainText(`Review note: ${note}`, MAX_SECTION_TEXT) }]),
  ];
}

/** The names, comma-separated, as many as fit in `budget` characters, then how many more there are. */
function approversLine(approvers: readonly SlackName[], budget: number): string {
  if (approvers.length === 0) return 'nobody (the flow names no approver)';
  const shown: string[] = [];
  for (const [i, approver] of approvers.entries()) {
    const next = name(approver);
    const more = approvers.length - i - 1;
    // Room is kept for the "and N more" a later cut would add.
    const tail = more > 0 ? `, … and ${more} more`.length : 0;
    if ([...shown, next].join(', ').length + tail > budget) {
      shown.push(`… and ${approvers.length - i} more`);
      break;
    }
    shown.push(next);
  }
  return shown.join(', ');
}

/** How a message shows a name, in mrkdwn: a mention, or text that can neither mention, link nor format. */
function name(who: SlackName): string {
  if ('userId' in who) return SLACK_USER_ID.test(who.userId) ? `<@${who.userId}>` : mrkdwnLiteral(who.userId, MAX_NAME);
  if ('email' in who) return mrkdwnLiteral(who.email, MAX_NAME);
  return `standing members of ${mrkdwnLiteral(`group:${who.group}`, MAX_NAME)}`;
}
