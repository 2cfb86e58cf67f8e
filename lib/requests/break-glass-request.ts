import { CheckedRequest, NewRequest } from './access-port';
import { Actor, normalizeEmail } from './actor';
import { approverStanding } from './approval-rules';
import { checkBreakGlass } from './break-glass';
import { RequestError } from './errors';
import { AccessRequest } from './model';
import { entry, partyOf, RecordKeeper } from './record-keeper';

// A break-glass request's life over the store, as break-glass.ts's rules judge it: its creation, self-approved, and
// an approver's review after.

/**
 * An emergency request the requester approves themself, within the flow's `breakGlass` (a reason required, at
 * most its `maxDuration`): approved at once with their own approval, flagged `breakGlass` and `needsReview`, and
 * escalated (by the caller, with the answer). It stays flagged until an approver reviews it ({@link reviewBreakGlass}).
 */
export async function createBreakGlass(keeper: RecordKeeper, actor: Actor, email: string, input: NewRequest, checked: CheckedRequest): Promise<AccessRequest> {
  checkBreakGlass(checked.rules.breakGlass, input.flow, checked.duration, input.reason);
  const now = keeper.now();
  const at = now.toISOString();
  const requester = { ...actor, email };
  const record: AccessRequest = {
    id: keeper.newRequestId(),
    version: 1,
    state: 'approved',
    flow: input.flow,
    target: input.target,
    requester,
    login: checked.login,
    duration: checked.duration,
    reason: input.reason,
    approvals: [{ actor: requester, login: checked.login, at }],
    deadline: new Date(now.getTime() + checked.rules.approvalWindowSeconds * 1000).toISOString(),
    createdAt: at,
    history: [
      { action: 'request', actor, at },
      {
        action: 'break-glass',
        actor,
        at,
        detail: `self-approved in an emergency, up to the flow's break-glass maximum of ${checked.rules.breakGlass!.maxDuration}; an approver must review it`,
      },
    ],
    breakGlass: true,
    needsReview: true,
  };
  return keeper.create(record, 'break-glass');
}

/** An approver's review of a break-glass request (never its requester's); clears `needsReview`, in any state. */
export async function reviewBreakGlass(keeper: RecordKeeper, actor: Actor, id: string, note?: string): Promise<AccessRequest> {
  const email = normalizeEmail(actor.email, 'reviewer');
  const reviewed = await keeper.transition(id, async (r, now) => {
    if (r.breakGlass !== true || r.needsReview !== true) {
      throw new RequestError(
        'not-under-review',
        r.breakGlass === true
          ? `request ${r.id} was already reviewed by ${r.review?.actor.email ?? 'an approver'}`
          : `request ${r.id} is not a break-glass request; there is nothing to review`,
      );
    }
    const rules = keeper.options.access.rules(r.flow);
    await approverStanding({ ...rules, allowSelfApproval: false }, email, partyOf(r), keeper.options.access.directory(r.flow));
    const { needsReview: _needsReview, ...rest } = r;
    const at = now.toISOString();
    return {
      ...rest,
      review: { actor: { ...actor, email }, at, ...(note === undefined ? {} : { note }) },
      history: [...r.history, entry('review', actor, now, note)],
    };
  });
  await keeper.tell(reviewed, 'review');
  return reviewed;
}
