import { AccessRequest, Actor, ApprovalRules } from '../requests';
import { BreakGlassNotice, SlackApi, SlackName } from '../slack';

/**
 * Approver emails looked up for one message at most; any more are named by their email. Slack rate-limits
 * `users.lookupByEmail` (Tier 3, some 50 a minute), and the names past these would be cut from the message anyway.
 */
const MAX_LOOKUPS = 20;
/**
 * How long a message waits for its lookups: an approver not found by then is named by email. A rate-limited Slack
 * makes the client wait before it retries, and the break-glass request's answer waits on its message.
 */
export const LOOKUP_BUDGET_MS = 2000;

/**
 * What a break-glass request's message says beyond the request: while it waits for a review, the flow's approvers to
 * mention (not its requester); once reviewed, who reviewed it and when. An approver's Slack user is found by email
 * (`users.lookupByEmail`, scope `users:read.email`) and remembered for the container's life, as is Slack's answer that
 * it has nobody with that email; such an approver, or one whose lookup failed (asked again for the next message) or
 * did not answer within {@link LOOKUP_BUDGET_MS} (remembered when it does), is named by email, and the message is posted
 * all the same. Approver groups are tailnet groups, named as text.
 */
export class BreakGlassNotices {
  /**
   * Lower-case email → its lookup: the Slack user id, or undefined where Slack answered that it has nobody with that
   * email. Kept from the moment it is asked, so messages at once share one lookup; dropped when the lookup fails.
   */
  private readonly known = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly api: () => Promise<SlackApi>,
    private readonly budgetMs = LOOKUP_BUDGET_MS,
  ) {}

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
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.budgetMs);
    });
    let ids: (string | undefined)[];
    try {
      ids = await Promise.all(emails.map((email, i) => (i < MAX_LOOKUPS ? Promise.race([this.userIdOf(email), late]) : undefined)));
    } finally {
      clearTimeout(timer);
    }
    return [
      ...emails.map((email, i): SlackName => (ids[i] === undefined ? { email } : { userId: ids[i] })),
      ...rules.approverGroups.map((group) => ({ group })),
    ];
  }

  private userIdOf(email: string): Promise<string | undefined> {
    let lookup = this.known.get(email);
    if (lookup === undefined) {
      lookup = this.api()
        .then(async (api) => (await api.lookupByEmail(email))?.id)
        .catch(() => {
          this.known.delete(email);
          return undefined;
        });
      this.known.set(email, lookup);
    }
    return lookup;
  }
}

/** A reviewer as the message names them: their Slack user when they reviewed in Slack, else their email. */
function nameOf(actor: Actor): SlackName {
  return actor.kind === 'slack' ? { userId: actor.userId } : { email: actor.email };
}
