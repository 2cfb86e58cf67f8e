import { NewRequest } from './access-port';
import { Actor, normalizeEmail } from './actor';
import { approverStanding, isAllowedRequester, judgeVotes, samePerson } from './approval-rules';
import { createBreakGlass, reviewBreakGlass } from './break-glass-request';
import { RequestError } from './errors';
import { escalate } from './escalation';
import { createExtension } from './extend-request';
import { AccessRequest, HistoryEntry, isPersonApproval, ReadRequest, RequestState } from './model';
import { describeOnCall, ON_CALL, onCallDecision } from './on-call';
import { decided, entry, FLOW, partyOf, RecordKeeper, RequestOutcome, RequestServiceOptions } from './record-keeper';
import { openRequests, sweepRequests, TickResult } from './request-sweep';
import { ListPosition } from './store';

const LIST_LIMIT = 100;
/** Records of a list verified at once. */
const LIST_VERIFY_CONCURRENCY = 8;

/**
 * Requests and approvals. Every call takes the verified actor; every transition is one conditional write of the
 * request (at the version that was read), so two approvers acting at once give exactly one approval that completes
 * the quorum, and only that one escalates. The facade of the requests core's verbs: what its records share is
 * `record-keeper.ts`; the grant (`escalation.ts`) passes the gate (`grant-gate.ts`); extensions and break-glass
 * requests are `extend-request.ts` and `break-glass-request.ts`; the minute sweep's part is `request-sweep.ts`.
 */
export class RequestService {
  private readonly keeper: RecordKeeper;

  constructor(options: RequestServiceOptions) {
    this.keeper = new RecordKeeper(options);
  }

  /**
   * A new request by `actor`; auto-approved (and escalated) at once when its flow needs no approval, or when its flow
   * approves on-call requesters and the on-call directory says the requester is on call now.
   */
  async request(actor: Actor, input: NewRequest): Promise<RequestOutcome> {
    const { access, onCall: directory } = this.keeper.options;
    const email = normalizeEmail(actor.email, 'requester');
    const checked = access.check(input, email);
    if (input.breakGlass === true) return escalate(this.keeper, await createBreakGlass(this.keeper, actor, email, input, checked), actor);
    const now = this.keeper.now();
    const at = now.toISOString();
    const history: HistoryEntry[] = [{ action: 'request', actor, at }];
    if (checked.rules.autoApprove) history.push({ action: 'auto-approve', actor: FLOW, at, detail: 'the flow needs no approval' });
    const onCall = checked.rules.autoApprove ? {} : await onCallDecision(checked.rules.onCall, directory, input.flow, { email, login: checked.login }, now);
    if (onCall.approval) history.push({ action: 'auto-approve', actor: ON_CALL, at, detail: describeOnCall(onCall.approval.onCall) });
    if (onCall.note) history.push(onCall.note);
    const record: AccessRequest = {
      id: this.keeper.newRequestId(),
      version: 1,
      state: checked.rules.autoApprove || onCall.approval ? 'approved' : 'pending',
      flow: input.flow,
      target: input.target,
      requester: { ...actor, email },
      login: checked.login,
      duration: checked.duration,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      approvals: onCall.approval ? [onCall.approval] : [],
      deadline: new Date(now.getTime() + checked.rules.approvalWindowSeconds * 1000).toISOString(),
      createdAt: at,
      history,
    };
    const created = await this.keeper.create(record, 'request');
    return created.state === 'approved' ? escalate(this.keeper, created, onCall.approval ? ON_CALL : FLOW) : { request: created };
  }

  /**
   * An extension of an escalated request by its requester (`extend-request.ts`): a new request linked to it, approved
   * at once within the flow's `selfExtension` total maximum (and escalated), else waiting for approvers.
   */
  async extend(actor: Actor, id: string, duration: string): Promise<RequestOutcome> {
    const created = await createExtension(this.keeper, actor, id, duration);
    return created.state === 'approved' ? escalate(this.keeper, created, actor) : { request: created };
  }

  /** An approver's review of a break-glass request (never its requester's); clears `needsReview`, in any state. */
  async review(actor: Actor, id: string, note?: string): Promise<RequestOutcome> {
    return { request: await reviewBreakGlass(this.keeper, actor, id, note) };
  }

  /** A vote by `actor`; the one that completes the quorum escalates at once. */
  async approve(actor: Actor, id: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'approver');
    let settled = false;
    const voted = await this.keeper.transition(id, async (r, now) => {
      this.expectPending(r, now, 'approve');
      const rules = this.keeper.options.access.rules(r.flow);
      if (!isAllowedRequester(rules.allowedRequesters, r.requester.email)) {
        throw new RequestError(
          'approval-no-longer-valid',
          `request ${r.id}: ${r.requester.email} is no longer an allowed requester of flow "${r.flow}"; it cannot be approved`,
        );
      }
      const directory = this.keeper.options.access.directory(r.flow);
      const earlier = r.approvals.filter(isPersonApproval).find((a) => samePerson(directory, a.actor.email, email));
      if (earlier) {
        const as = earlier.actor.email === email ? '' : ` as ${earlier.actor.email} (the same tailnet login)`;
        throw new RequestError('already-approved', `request ${r.id}: ${email} has already approved it${as}`);
      }
      const via = await approverStanding(rules, email, partyOf(r), directory);
      // Earlier votes are judged again: one whose approver is no longer an approver does not count toward the quorum.
      const { counted, dropped } = await judgeVotes(rules, r.approvals, partyOf(r), r.deadline, directory);
      const approvals = [...counted, { actor: { ...actor, email }, login: directory.loginFor(email), at: now.toISOString() }];
      settled = approvals.length >= rules.requiredApprovals;
      const noLonger = dropped.map((d) => `; the vote of ${d.approval.actor.email} no longer counts: ${d.reason}`).join('');
      return {
        ...r,
        approvals,
        state: settled ? 'approved' : 'pending',
        history: [...r.history, entry('approve', actor, now, `approver by ${via}${noLonger}`)],
      };
    });
    await this.keeper.tell(voted, 'approve');
    return settled ? escalate(this.keeper, voted, actor) : { request: voted };
  }

  /** Refuses a pending request; only an approver may, and never the requester (who cancels instead). */
  async deny(actor: Actor, id: string, reason?: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'approver');
    const denied = await this.keeper.transition(id, async (r, now) => {
      this.expectPending(r, now, 'deny');
      const rules = this.keeper.options.access.rules(r.flow);
      await approverStanding({ ...rules, allowSelfApproval: false }, email, partyOf(r), this.keeper.options.access.directory(r.flow));
      return { ...r, state: 'denied', history: [...r.history, entry('deny', actor, now, reason)] };
    });
    await this.keeper.tell(denied, 'deny');
    return { request: denied };
  }

  /** Withdraws a pending request; only its requester may. */
  async cancel(actor: Actor, id: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'caller');
    const cancelled = await this.keeper.transition(id, async (r, now) => {
      if (r.requester.email !== email) throw new RequestError('not-the-requester', `request ${r.id}: only its requester (${r.requester.email}) may cancel it`);
      this.expectPending(r, now, 'cancel');
      return { ...r, state: 'cancelled', history: [...r.history, entry('cancel', actor, now)] };
    });
    await this.keeper.tell(cancelled, 'cancel');
    return { request: cancelled };
  }

  /**
   * Ends granted access early: the requester or an approver may, if the flow allows revoking. The request is ended
   * first and the grant removed after, so an escalation still writing its grant meanwhile finds the request ended
   * and takes back what it wrote; removing first could miss a grant still on the wire, which the escalation would
   * then record. Only the member whose annotation carries this request's id is removed, so a later request that
   * extended the access keeps it. Should the removal fail (or this process stop before it), the request is ended all
   * the same and the minute sweep removes the grant it still finds ({@link tick}'s `grantsHeld`).
   */
  async revoke(actor: Actor, id: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'caller');
    await this.mayRevoke(await this.keeper.read(id), email);
    const ended = await this.keeper.transition(id, async (r, now) => {
      if (r.state !== 'escalated' && r.state !== 'approved') throw decided(r, 'revoke');
      return { ...r, state: 'ended', history: [...r.history, entry('revoke', actor, now)] };
    });
    try {
      await this.keeper.options.access.deescalate(ended);
    } finally {
      await this.keeper.tell(ended, 'revoke');
    }
    await this.endExtensionsOf(ended, actor);
    return { request: ended };
  }

  /**
   * Ends, and takes back the grants of, the open extensions of a revoked request: the grant the revoke meant to end
   * may name one of them (a revoke of a genuine earlier copy of an extended request, put back into the table, finds
   * the request escalated, while the policy file's grant names its extension).
   *
   *   r-1 extended by r-2; r-1's escalated copy put back; bob revokes r-1 → r-1 ended, and r-2 ended with it
   */
  private async endExtensionsOf(revoked: AccessRequest, actor: Actor): Promise<void> {
    const open = await openRequests(this.keeper);
    for (const candidate of [...open.approved, ...open.escalated]) {
      if (candidate.extends !== revoked.id) continue;
      let ended = false;
      const extension = await this.keeper.transition(candidate.id, async (r, now) => {
        ended = r.extends === revoked.id && (r.state === 'approved' || r.state === 'escalated');
        if (!ended) return undefined;
        return { ...r, state: 'ended', history: [...r.history, entry('revoke', actor, now, `the request it extends, ${revoked.id}, was revoked`)] };
      });
      if (!ended) continue;
      try {
        await this.keeper.options.access.deescalate(extension);
      } finally {
        await this.keeper.tell(extension, 'revoke');
      }
    }
  }

  /** One request; any verified caller may read it. Shown `tampered` when its MAC does not verify. */
  async get(_actor: Actor, id: string): Promise<RequestOutcome> {
    return { request: await this.keeper.checked(await this.keeper.find(id)) };
  }

  /**
   * A page of requests, newest first (at most 100), in `state` when given, after `after` (where the page before
   * ended) when given; each shown `tampered` when its MAC does not verify. `next`, when more follow, is where this
   * page ended.
   */
  async list(
    _actor: Actor,
    filter: { readonly state?: RequestState; readonly after?: ListPosition } = {},
  ): Promise<{ requests: ReadRequest[]; next?: ListPosition }> {
    // One more than a page tells whether another follows.
    const more = await this.keeper.options.store.list({ ...filter, limit: LIST_LIMIT + 1 });
    const found = more.slice(0, LIST_LIMIT);
    const shown: ReadRequest[] = new Array(found.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < found.length; i = next++) shown[i] = await this.keeper.checked(found[i]);
    };
    await Promise.all(Array.from({ length: Math.min(LIST_VERIFY_CONCURRENCY, found.length) }, worker));
    const last = found[found.length - 1];
    return { requests: shown, ...(more.length > found.length ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
  }

  /**
   * The minute sweep's part (`request-sweep.ts`): expires pending requests past their window, retries or fails
   * approved ones, ends escalated ones whose grant ran out, settles extensions, takes back the grants of closed
   * requests among `grantsHeld`, and publishes state changes still unpublished.
   */
  tick(now: Date, options: { readonly grantsSwept?: boolean; readonly grantsHeld?: readonly string[] } = {}): Promise<TickResult> {
    return sweepRequests(this.keeper, now, options);
  }

  private async mayRevoke(r: AccessRequest, email: string): Promise<void> {
    const rules = this.keeper.options.access.rules(r.flow);
    if (!rules.allowRevoke)
      throw new RequestError('revoke-not-allowed', `request ${r.id}: flow "${r.flow}" does not allow revoking; the grant ends by itself at its expiry`);
    const directory = this.keeper.options.access.directory(r.flow);
    // The requester may end their own access, under any of their mapped emails.
    if (samePerson(directory, r.requester.email, email)) return;
    try {
      await approverStanding({ ...rules, allowSelfApproval: false }, email, partyOf(r), directory);
    } catch (error) {
      if (error instanceof RequestError && error.code === 'not-an-approver') {
        throw new RequestError('not-allowed', `request ${r.id}: only its requester or an approver may revoke it`);
      }
      throw error;
    }
  }

  private expectPending(r: AccessRequest, now: Date, action: string): void {
    if (r.state !== 'pending') throw decided(r, action);
    if (Date.parse(r.deadline) <= now.getTime()) {
      throw new RequestError('past-deadline', `request ${r.id}: its approval window closed at ${r.deadline}; cannot ${action} it`);
    }
  }
}
