import { AccessRequest, Actor, ApprovalRules } from '../requests';
import { BreakGlassNotice, SlackApi, SlackName } from '../slack';

/**
 * Approver emails looked up for one message at most; any more are named by their email. Slack rate-limits
 * `users.lookupByEmail` (Tier 3, some 50 a minute), and the names past these would be cut from the message anyway.
 */
const MAX_LOOKUPS = 20;

/**
 * What a break-glass request's message says beyond the request: while it waits for a review, the flow's approvers to
 * mention (not its requester); once reviewed, who reviewed it and when. An approver's Slack user is found by email
 * (`users.lookupByEmail`, scope `users:read.email`) and remembered for the container's life, as is Slack's answer that
 * it has nobody with that email; such an approver, or one whose lookup failed (asked again for the next message), is
 * named by email, and the message is posted all the same. Approver groups are tailnet groups, named as text.
 */
export class BreakGlassNotices {
  /** Lower-case email → Slack user id, or null where Slack answered that it has no user with that email. */
  private readonly known = new Map<string, string | null>();

  constructor(private readonly api: () => Promise<SlackApi>) {}

  async of(request: AccessRequest, rules: ApprovalRules): Promise<BreakGlassNotice> {
    const needsReview = request.needsReview === true;
    const review = request.review;
    return {
      needsReview,
      approvers: needsReview ? await this.approvers(rules, request.requester.email) : [],
      ...(review !== undefined && { review: { by: nameOf(review.actor), at: review.at, ...(review.note !== undefined && { note: review.note }) } }),
    };
  }

  private async approvers(rules: ApprovalRules, requesterEmail: string): Promise<SlackName[]> {
    const requester = requesterEmail.toLowerCase();
    const emails = [...new Set(rules.approvers.map((e) => e.toLowerCase()))].filter((e) => e !== requester);
    const ids = await Promise.all(emails.map((email, i) => (i < MAX_LOOKUPS ? this.userIdOf(email) : undefined)));
    return [...emails.map((email, i): SlackName => (ids[i] === undefined ? { email } : { userId: ids[i] })), ...rules.approverGroups.map((group) => ({ group }))];
  }

  private async userIdOf(email: string): Promise<string | undefined> {
    const known = this.known.get(email);
    if (known !== undefined) return known ?? undefined;
    try {
      const id = await (await this.api()).userIdByEmail(email);
      this.known.set(email, id ?? null);
      return id;
    } catch {
      return undefined;
    }
  }
}

/** A reviewer as the message names them: their Slack user when they reviewed in Slack, else their email. */
function nameOf(actor: Actor): SlackName {
  return actor.kind === 'slack' ? { userId: actor.userId } : { email: actor.email };
}
