// Longer than most files: RequestService holds every transition of a request, and each is one conditional write
// through the same read-verify-decide-write loop (`transition`), which they share; the rules they apply are files of
// their own (approval-rules, extend, break-glass, on-call, record-seal, request-events).
import { randomBytes } from 'node:crypto';
import { CheckedRequest, NewRequest, RequestAccess } from './access-port';
import { DescribedError, describeError, quoteForMessage } from '../errors';
import { Actor, HistoryActor, normalizeEmail, SystemActor } from './actor';
import { RequestParty, approverStanding, isAllowedRequester, judgeVotes, noLongerApproved, samePerson } from './approval-rules';
import { RecordKeyError, RequestError, StoreConflictError } from './errors';
import { AccessRequest, HistoryEntry, isOpen, isPersonApproval, OPEN_STATES, OpenState, ReadRequest, RequestAction, RequestState } from './model';
import { RequestNotifier, silentNotifier } from './notifier';
import { describeOnCall, ON_CALL, onCallDecision, OnCallDirectory } from './on-call';
import { breakGlassProblem, checkBreakGlass } from './break-glass';
import { checkExtendable, extendedUntil, extensionApproval, extensionProblem, grantStartOf, isExtendedBy } from './extend';
import { RecordSeal } from './record-seal';
import { attestedTransitions, requestEvent, RequestEvents } from './request-events';
import { ListPosition, RequestStore } from './store';

export interface RequestServiceOptions {
  readonly store: RequestStore;
  readonly access: RequestAccess;
  /** Seals every record written; every record read is verified with it before it is acted on. */
  readonly seal: RecordSeal;
  readonly notifier?: RequestNotifier;
  /** Who is on call, for flows with an on-call rule. Absent: such flows' requests wait for people, with a note. */
  readonly onCall?: OnCallDirectory;
  readonly now?: () => Date;
  readonly newRequestId?: () => string;
  /** Told when a notification failed; the request itself stands. Default: ignored. */
  readonly onNotifyFailure?: (request: AccessRequest, error: unknown) => void;
  /**
   * Told when a record is refused and marked failed: its MAC does not verify (`tampered`), or at the grant its
   * approvals no longer satisfy the flow's rules (`approval-no-longer-valid`). Default: ignored.
   */
  readonly onRecordRefused?: (request: AccessRequest, error: RequestError) => void;
  /** Where every state change is published; the store keeps each until it is. Default: none (nothing recorded). */
  readonly events?: RequestEvents;
  /** Told when state changes could not be published; they stay recorded and the sweep tries again. Default: ignored. */
  readonly onEventsFailure?: (request: AccessRequest, error: unknown) => void;
}

/**
 * What an action answers: the request as stored (shown `tampered` by `get` when its MAC does not verify), and the
 * escalation's failure when it was approved but not granted.
 */
export interface RequestOutcome {
  readonly request: ReadRequest;
  readonly escalationError?: DescribedError;
}

/** What one minute's sweep of requests did, by request id. */
export interface TickResult {
  readonly expired: string[];
  readonly escalated: string[];
  readonly failed: string[];
  readonly ended: string[];
  /** Records refused (and failed): `tampered`, or `approval-no-longer-valid` at the grant. */
  readonly refused: (DescribedError & { readonly requestId: string })[];
  /** Closed requests whose grant the policy file still held (a removal that failed or never ran): removed now. */
  readonly grantsRemoved: string[];
  readonly errors: (DescribedError & { readonly requestId: string })[];
  /** Requests whose earlier unpublished state changes were published now. */
  readonly published: string[];
}

const SWEEP: SystemActor = { kind: 'system', name: 'sweep' };
const FLOW: SystemActor = { kind: 'system', name: 'flow' };
const RECORD_CHECK: SystemActor = { kind: 'system', name: 'record-check' };
/** Codes of a record refused before the grant; the request is failed with its reason. */
const REFUSALS: ReadonlySet<string> = new Set(['tampered', 'approval-no-longer-valid']);
/** Conflicting writers on one request settle within a few rounds; more means something is wrong. */
const MAX_ATTEMPTS = 8;
const LIST_LIMIT = 100;
/** Records of a list verified at once. */
const LIST_VERIFY_CONCURRENCY = 8;
/** Due by the end of time: every open request in a state. */
const LATEST = '9999-12-31T23:59:59.999Z';
/** The states in which a request's grant may be in the policy file: written, or being written. */
const GRANTED_STATES: readonly OpenState[] = ['approved', 'escalated'];

/**
 * Requests and approvals. Every call takes the verified actor; every transition is one conditional write of the
 * request (at the version that was read), so two approvers acting at once give exactly one approval that completes
 * the quorum, and only that one escalates.
 */
export class RequestService {
  private readonly now: () => Date;
  private readonly notifier: RequestNotifier;
  private readonly newRequestId: () => string;

  constructor(private readonly options: RequestServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.notifier = options.notifier ?? silentNotifier;
    this.newRequestId = options.newRequestId ?? (() => `r-${randomBytes(8).toString('hex')}`);
  }

  /**
   * A new request by `actor`; auto-approved (and escalated) at once when its flow needs no approval, or when its flow
   * approves on-call requesters and the on-call directory says the requester is on call now.
   */
  async request(actor: Actor, input: NewRequest): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'requester');
    const checked = this.options.access.check(input, email);
    if (input.breakGlass === true) return this.breakGlass(actor, email, input, checked);
    const now = this.now();
    const at = now.toISOString();
    const history: HistoryEntry[] = [{ action: 'request', actor, at }];
    if (checked.rules.autoApprove) history.push({ action: 'auto-approve', actor: FLOW, at, detail: 'the flow needs no approval' });
    const onCall = checked.rules.autoApprove
      ? {}
      : await onCallDecision(checked.rules.onCall, this.options.onCall, input.flow, { email, login: checked.login }, now);
    if (onCall.approval) history.push({ action: 'auto-approve', actor: ON_CALL, at, detail: describeOnCall(onCall.approval.onCall) });
    if (onCall.note) history.push(onCall.note);
    const record: AccessRequest = {
      id: this.newRequestId(),
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
    // The store keeps a new request at version 1.
    const created = await this.options.store.create(await this.sealed(this.recorded(undefined, record), 1));
    await this.publish(created);
    await this.tell(created, 'request');
    return created.state === 'approved' ? this.escalate(created, onCall.approval ? ON_CALL : FLOW) : { request: created };
  }

  /**
   * An emergency request the requester approves themself, within the flow's `breakGlass` (a reason required, at
   * most its `maxDuration`): approved at once with their own approval, flagged `breakGlass` and `needsReview`, and
   * escalated. It stays flagged until an approver reviews it ({@link review}).
   */
  private async breakGlass(actor: Actor, email: string, input: NewRequest, checked: CheckedRequest): Promise<RequestOutcome> {
    checkBreakGlass(checked.rules.breakGlass, input.flow, checked.duration, input.reason);
    const now = this.now();
    const at = now.toISOString();
    const requester = { ...actor, email };
    const record: AccessRequest = {
      id: this.newRequestId(),
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
    const created = await this.options.store.create(await this.sealed(this.recorded(undefined, record), 1));
    await this.publish(created);
    await this.tell(created, 'break-glass');
    return this.escalate(created, actor);
  }

  /**
   * An extension of an escalated request by its requester: a new request linked to it (`extends`), for `duration`
   * from now. Within the flow's `selfExtension` total maximum it is approved at once by its
   * requester (beyond it: refused, nothing written); without that setting it waits for approvers like any request.
   * Once granted, the one annotation of the member names the extension and the first request is `extended`.
   */
  async extend(actor: Actor, id: string, duration: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'requester');
    const original = await this.read(id);
    const now = this.now();
    checkExtendable(original, email, this.options.access.directory(original.flow), now);
    const reason = original.reason === undefined ? {} : { reason: original.reason };
    const checked = this.options.access.check({ flow: original.flow, target: original.target, duration, ...reason }, email);
    // The policy file, not the table, says whether the grant stands: a revoked request's escalated record put back
    // into the table (a genuine, sealed copy) names a grant the file no longer holds.
    if (!(await this.options.access.holds(original))) {
      throw new RequestError(
        'not-extendable',
        `request ${original.id}: the policy file holds no grant of it now (revoked or run out); make a new request instead`,
      );
    }
    const grantedSince = grantStartOf(original);
    const fromBreakGlass = original.breakGlass === true || original.fromBreakGlass === true;
    const until = extendedUntil(original, checked.seconds, now);
    // A break-glass grant was never approved by anyone else: more time for it is theirs to approve.
    const approval = fromBreakGlass ? 'approvers' : extensionApproval(checked.rules.selfExtension, original.flow, grantedSince, until);
    const at = now.toISOString();
    const history: HistoryEntry[] = [{ action: 'request', actor, at, detail: `extends ${original.id} by ${checked.duration}` }];
    if (approval === 'self')
      history.push({
        action: 'auto-approve',
        actor: FLOW,
        at,
        detail: `a self-extension within the flow's total maximum of ${checked.rules.selfExtension!.maxTotal}`,
      });
    const record: AccessRequest = {
      id: this.newRequestId(),
      version: 1,
      state: approval === 'self' ? 'approved' : 'pending',
      flow: original.flow,
      target: original.target,
      requester: original.requester,
      login: original.login,
      duration: checked.duration,
      ...reason,
      approvals: [],
      deadline: new Date(now.getTime() + checked.rules.approvalWindowSeconds * 1000).toISOString(),
      createdAt: at,
      history,
      extends: original.id,
      grantedSince,
      ...(fromBreakGlass && { fromBreakGlass: true as const }),
    };
    const created = await this.options.store.create(await this.sealed(this.recorded(undefined, record), 1));
    await this.publish(created);
    await this.tell(created, 'request');
    return created.state === 'approved' ? this.escalate(created, actor) : { request: created };
  }

  /** An approver's review of a break-glass request (never its requester's); clears `needsReview`, in any state. */
  async review(actor: Actor, id: string, note?: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'reviewer');
    const reviewed = await this.transition(id, async (r, now) => {
      if (r.breakGlass !== true || r.needsReview !== true) {
        throw new RequestError(
          'not-under-review',
          r.breakGlass === true
            ? `request ${r.id} was already reviewed by ${r.review?.actor.email ?? 'an approver'}`
            : `request ${r.id} is not a break-glass request; there is nothing to review`,
        );
      }
      const rules = this.options.access.rules(r.flow);
      await approverStanding({ ...rules, allowSelfApproval: false }, email, partyOf(r), this.options.access.directory(r.flow));
      const { needsReview: _needsReview, ...rest } = r;
      const at = now.toISOString();
      return {
        ...rest,
        review: { actor: { ...actor, email }, at, ...(note === undefined ? {} : { note }) },
        history: [...r.history, entry('review', actor, now, note)],
      };
    });
    await this.tell(reviewed, 'review');
    return { request: reviewed };
  }

  /** A vote by `actor`; the one that completes the quorum escalates at once. */
  async approve(actor: Actor, id: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'approver');
    let settled = false;
    const voted = await this.transition(id, async (r, now) => {
      this.expectPending(r, now, 'approve');
      const rules = this.options.access.rules(r.flow);
      if (!isAllowedRequester(rules.allowedRequesters, r.requester.email)) {
        throw new RequestError(
          'approval-no-longer-valid',
          `request ${r.id}: ${r.requester.email} is no longer an allowed requester of flow "${r.flow}"; it cannot be approved`,
        );
      }
      const directory = this.options.access.directory(r.flow);
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
    await this.tell(voted, 'approve');
    return settled ? this.escalate(voted, actor) : { request: voted };
  }

  /** Refuses a pending request; only an approver may, and never the requester (who cancels instead). */
  async deny(actor: Actor, id: string, reason?: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'approver');
    const denied = await this.transition(id, async (r, now) => {
      this.expectPending(r, now, 'deny');
      const rules = this.options.access.rules(r.flow);
      await approverStanding({ ...rules, allowSelfApproval: false }, email, partyOf(r), this.options.access.directory(r.flow));
      return { ...r, state: 'denied', history: [...r.history, entry('deny', actor, now, reason)] };
    });
    await this.tell(denied, 'deny');
    return { request: denied };
  }

  /** Withdraws a pending request; only its requester may. */
  async cancel(actor: Actor, id: string): Promise<RequestOutcome> {
    const email = normalizeEmail(actor.email, 'caller');
    const cancelled = await this.transition(id, async (r, now) => {
      if (r.requester.email !== email) throw new RequestError('not-the-requester', `request ${r.id}: only its requester (${r.requester.email}) may cancel it`);
      this.expectPending(r, now, 'cancel');
      return { ...r, state: 'cancelled', history: [...r.history, entry('cancel', actor, now)] };
    });
    await this.tell(cancelled, 'cancel');
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
    await this.mayRevoke(await this.read(id), email);
    const ended = await this.transition(id, async (r, now) => {
      if (r.state !== 'escalated' && r.state !== 'approved') throw this.decided(r, 'revoke');
      return { ...r, state: 'ended', history: [...r.history, entry('revoke', actor, now)] };
    });
    try {
      await this.options.access.deescalate(ended);
    } finally {
      await this.tell(ended, 'revoke');
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
    const open = await this.openRequests();
    for (const candidate of [...open.approved, ...open.escalated]) {
      if (candidate.extends !== revoked.id) continue;
      let ended = false;
      const extension = await this.transition(candidate.id, async (r, now) => {
        ended = r.extends === revoked.id && (r.state === 'approved' || r.state === 'escalated');
        if (!ended) return undefined;
        return { ...r, state: 'ended', history: [...r.history, entry('revoke', actor, now, `the request it extends, ${revoked.id}, was revoked`)] };
      });
      if (!ended) continue;
      try {
        await this.options.access.deescalate(extension);
      } finally {
        await this.tell(extension, 'revoke');
      }
    }
  }

  /** One request; any verified caller may read it. Shown `tampered` when its MAC does not verify. */
  async get(_actor: Actor, id: string): Promise<RequestOutcome> {
    return { request: await this.checked(await this.find(id)) };
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
    const more = await this.options.store.list({ ...filter, limit: LIST_LIMIT + 1 });
    const found = more.slice(0, LIST_LIMIT);
    const shown: ReadRequest[] = new Array(found.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < found.length; i = next++) shown[i] = await this.checked(found[i]);
    };
    await Promise.all(Array.from({ length: Math.min(LIST_VERIFY_CONCURRENCY, found.length) }, worker));
    const last = found[found.length - 1];
    return { requests: shown, ...(more.length > found.length ? { next: { createdAt: last.createdAt, id: last.id } } : {}) };
  }

  /**
   * The minute sweep's part: expires pending requests past their window; retries approved requests whose escalation
   * failed until the window closes, then marks them failed; ends escalated requests whose grant has run out, once
   * the grant sweep that removes such grants has run (`grantsSwept`); and, last, removes the grants of closed
   * requests among `grantsHeld` (the request ids whose grants the swept policy files hold), which a removal that
   * failed, or a process that stopped between writing a grant and taking it back, left behind. Each request on its
   * own: one failure is reported in `errors` and the rest go on. Records that fail verification are failed and listed
   * in `refused`. Without a usable record key nothing can be verified: the tick goes through every request, then throws.
   */
  async tick(now: Date, options: { readonly grantsSwept?: boolean; readonly grantsHeld?: readonly string[] } = {}): Promise<TickResult> {
    const result: TickResult = { expired: [], escalated: [], failed: [], ended: [], refused: [], grantsRemoved: [], errors: [], published: [] };
    let keyError: RecordKeyError | undefined;
    const store = this.options.store;
    const each = async (requests: AccessRequest[], work: (r: AccessRequest) => Promise<void>) => {
      for (const r of requests) {
        try {
          await work(r);
        } catch (error) {
          if (error instanceof RequestError && REFUSALS.has(error.code)) {
            result.refused.push({ requestId: r.id, ...describeError(error) });
            continue;
          }
          // Someone else settled it meanwhile: nothing left to do here.
          if (error instanceof RequestError && error.httpStatus === 409) continue;
          if (error instanceof RecordKeyError) keyError ??= error;
          result.errors.push({ requestId: r.id, ...describeError(error) });
        }
      }
    };
    // One sweep transition: `from` → `to`, by the sweep, refused (409, skipped) if someone settled it meanwhile, and
    // left alone if the record as verified says it is not due yet.
    const settle = async (r: AccessRequest, from: RequestState, to: RequestState, action: 'expire' | 'fail' | 'end', detail: string, done: string[]) => {
      let due = false;
      const settled = await this.transition(r.id, async (current) => {
        if (current.state !== from) throw this.decided(current, action);
        due = from === 'escalated' ? grantEnded(current, now) : windowClosed(current, now);
        if (!due) return undefined;
        return { ...current, state: to, history: [...current.history, entry(action, SWEEP, now, detail)] };
      });
      if (!due) return;
      done.push(r.id);
      await this.tell(settled, action);
    };
    const open = await this.openRequests();
    await each(
      open.pending.filter((r) => windowClosed(r, now)),
      (r) => settle(r, 'pending', 'expired', 'expire', 'no quorum of approvals within the approval window', result.expired),
    );
    // Every approved request is one whose escalation has not been recorded: retry it, or give up past its window.
    await each(open.approved, async (r) => {
      if (windowClosed(r, now)) {
        await settle(r, 'approved', 'failed', 'fail', 'escalation kept failing until the approval window closed', result.failed);
        return;
      }
      const outcome = await this.escalate(r, SWEEP, now);
      if (outcome.request.state === 'escalated') result.escalated.push(r.id);
      else if (outcome.escalationError && REFUSALS.has(outcome.escalationError.code)) result.refused.push({ requestId: r.id, ...outcome.escalationError });
      else if (outcome.escalationError) result.errors.push({ requestId: r.id, ...outcome.escalationError });
    });
    const escalated = open.escalated;
    if (options.grantsSwept !== false) {
      const ran = escalated.filter((r) => grantEnded(r, now));
      await each(ran, (r) => settle(r, 'escalated', 'ended', 'end', 'the grant ran out and the sweep removed it', result.ended));
    }
    // An extension recorded escalated whose request was never marked `extended` by it (the process stopped in
    // between): marked now, or, if that request was closed meanwhile, the extension is ended and its grant removed.
    await each(
      escalated.filter((r) => r.extends !== undefined && !grantEnded(r, now)),
      async (r) => {
        const original = await store.get(r.extends!);
        if (original !== undefined && isExtendedBy(original, r.id)) return;
        const extension = await this.read(r.id);
        if (extension.state === 'escalated') await this.markExtended(extension, SWEEP, now);
      },
    );
    // Taking a grant back only ever removes access, so a closed record is acted on whatever its MAC says; but where
    // the grant is (login, flow, target) is read from a record only once it verifies: otherwise every grant annotated
    // with its id is removed, wherever it is.
    await each(await this.closedAmong(options.grantsHeld ?? []), async (r) => {
      if (await this.options.seal.verify(r)) await this.options.access.deescalate(r);
      else await this.options.access.removeGrantsOf(r.id);
      result.grantsRemoved.push(r.id);
    });
    // Last, so the changes made above went out already or are among these. A record whose MAC does not verify is
    // not published from (the sweep refuses it when it next acts on it).
    await each(this.options.events === undefined ? [] : await store.unpublished(), async (r) => {
      if ((await this.options.seal.verify(r)) && (await this.publish(r))) result.published.push(r.id);
    });
    if (keyError !== undefined) throw keyError;
    return result;
  }

  /**
   * Every request the open index lists, sorted by its own state. The index's partition (`openState`) and sort key
   * (`due`) sit beside the sealed record, not in it, so they only say which items to look at: never which state a
   * request is in, nor when it is due. A table write that lists an escalated request as approved does not get it
   * granted again, and one that moves `due` does not keep a request open past its time. Each record is verified when
   * it is acted on.
   */
  private async openRequests(): Promise<Record<OpenState, AccessRequest[]>> {
    const byId = new Map<string, AccessRequest>();
    for (const state of OPEN_STATES) for (const r of await this.options.store.due(state, LATEST)) byId.set(r.id, r);
    const sorted: Record<OpenState, AccessRequest[]> = { pending: [], approved: [], escalated: [] };
    for (const r of byId.values()) if (isOpen(r.state)) sorted[r.state].push(r);
    return sorted;
  }

  /**
   * The requests among `ids` that are stored and not shown open by a record that verifies: the grants these hold are
   * taken back. The open ones come from the index in one query a state, the rest are read one by one, strongly
   * consistent, so a request the index has not caught up with yet is kept. A record is judged by its own state, which
   * its MAC covers, never by the index's copy: a table write that marks a closed request open in the index does not
   * keep its grant. Ids the store does not know (grants of direct escalate events) are left alone.
   */
  private async closedAmong(ids: readonly string[]): Promise<AccessRequest[]> {
    const held = new Set(ids);
    if (held.size === 0) return [];
    const indexed = new Map<string, AccessRequest>();
    for (const state of GRANTED_STATES) for (const r of await this.options.store.due(state, LATEST)) if (held.has(r.id)) indexed.set(r.id, r);
    const closed: AccessRequest[] = [];
    for (const id of held) {
      const found = indexed.get(id) ?? (await this.options.store.get(id));
      if (found === undefined) continue;
      if (!isOpen(found.state) || !(await this.options.seal.verify(found))) closed.push(found);
    }
    return closed;
  }

  /**
   * Writes the grant of an approved request, then records it. A failure leaves the request approved (the sweep
   * retries it); the first failure is recorded in its history. A request closed while the grant was written gets the
   * grant taken back; should a failed write have landed all the same, the sweep removes it.
   */
  private async escalate(approved: AccessRequest, actor: HistoryActor, now = this.now()): Promise<RequestOutcome> {
    // Only a record whose own state is approved is granted, whatever listed it as such (the sweep's index is not
    // sealed: a table write can list an escalated request there, which must not be granted again). The state is
    // sealed, and the gate verifies it before anything is written.
    if (approved.state !== 'approved') return { request: approved };
    const refused = await this.gate(approved, now);
    if (refused !== undefined) return refused;
    let until: string;
    let coveredBy: string | undefined;
    try {
      ({ until, coveredBy } = await this.options.access.escalate(approved, now));
    } catch (error) {
      const escalationError = describeError(error);
      const last = approved.history[approved.history.length - 1];
      if (last.action === 'escalation-failed') return { request: approved, escalationError };
      const noted = await this.transition(approved.id, async (r) => {
        if (r.state !== 'approved') return undefined;
        return { ...r, history: [...r.history, entry('escalation-failed', actor, now, `${escalationError.code}: ${escalationError.message}`)] };
      });
      return { request: noted, escalationError };
    }
    if (coveredBy !== undefined) return this.endCovered(approved, coveredBy, until, now);
    // Decided from the write that finally succeeded (or the read that made none), never from an attempt whose write
    // then conflicted: that attempt saw `approved`, the retry may see `ended`.
    let recorded = false;
    const escalated = await this.transition(approved.id, async (r) => {
      recorded = r.state === 'approved';
      if (!recorded) return undefined;
      return {
        ...r,
        state: 'escalated',
        until,
        escalatedAt: now.toISOString(),
        history: [...r.history, entry('escalate', actor, now, `granted until ${until}`)],
      };
    });
    if (recorded) {
      await this.tell(escalated, 'escalate');
      if (escalated.extends !== undefined) return { request: await this.markExtended(escalated, actor, now) };
    } else if (escalated.state !== 'escalated') {
      // Closed while the grant was being written (a revoke that ran meanwhile, say): the request says nobody holds
      // access, so take back what this attempt wrote. Only the member carrying this request's id is removed.
      await this.options.access.deescalate(escalated);
    }
    return { request: escalated };
  }

  /**
   * An approved request whose member already held another request's grant lasting at least as long: nothing was
   * written, so it is ended at once, saying which grant covers it. Recording it escalated would show an `until` it was
   * not approved for, and a revoke of it would answer `ended` while the other grant goes on.
   *
   *   alice holds r-1 until 11:00; r-2 (30m) approved at 10:05 → r-2 ended: "already granted until 11:00 by r-1"
   */
  private async endCovered(approved: AccessRequest, coveredBy: string, until: string, now: Date): Promise<RequestOutcome> {
    let ended = false;
    const detail = `already granted until ${until} by ${coveredBy}; nothing was written, and that grant is the one to revoke`;
    const request = await this.transition(approved.id, async (r) => {
      ended = r.state === 'approved';
      if (!ended) return undefined;
      return { ...r, state: 'ended', history: [...r.history, entry('end', FLOW, now, detail)] };
    });
    if (ended) await this.tell(request, 'end');
    return { request };
  }

  /**
   * Before any grant write (the vote that completes the quorum, auto-approval, every sweep retry): the record's MAC
   * must verify, and its approvals must satisfy the flow's rules as deployed now. Otherwise the request is failed
   * and reported, and nothing is read from or written to the tailnet.
   */
  private async gate(r: AccessRequest, now: Date): Promise<RequestOutcome | undefined> {
    let error: RequestError;
    if (!(await this.options.seal.verify(r))) {
      error = tamperedError(r);
    } else {
      const rules = this.options.access.rules(r.flow);
      const directory = this.options.access.directory(r.flow);
      const why =
        r.extends !== undefined
          ? ((await this.extensionProblem(r, now)) ??
            (r.approvals.length === 0 ? undefined : await noLongerApproved(rules, r.approvals, partyOf(r), r.deadline, directory, now)))
          : r.breakGlass === true
            ? breakGlassProblem(rules.breakGlass, rules.allowedRequesters, r, directory)
            : await noLongerApproved(rules, r.approvals, partyOf(r), r.deadline, directory, now);
      if (why === undefined) return undefined;
      error = new RequestError('approval-no-longer-valid', `request ${r.id}: ${why}; it is not granted`);
    }
    return { request: await this.refuse(r, error, now), escalationError: describeError(error) };
  }

  /**
   * Fails a refused record, with a history entry naming why, sealed afresh, and reports it. Marking it is the lesser
   * part: a record changed meanwhile, too malformed to seal or store, or a write that fails, leaves it as it is, and
   * it is refused (and reported) again whenever it is next read. The refusal itself always stands.
   */
  private async refuse(r: AccessRequest, error: RequestError, now = this.now()): Promise<AccessRequest> {
    let failed = r;
    try {
      const history = Array.isArray(r.history) ? r.history : [];
      failed = await this.options.store.update(
        await this.sealed(
          this.recorded(r, { ...r, state: 'failed', history: [...history, entry('fail', RECORD_CHECK, now, `${error.code}: ${error.message}`)] }),
        ),
      );
      await this.publish(failed);
    } catch {
      // As said above: not marked this time.
    }
    this.options.onRecordRefused?.(failed, error);
    if (failed !== r) await this.tell(failed, 'fail');
    return failed;
  }

  /**
   * Why an extension may not be granted now, or undefined: the request it extends must still hold the grant (or be
   * `extended` by this very one, a retry), and one approved by its requester alone must still be within the flow's
   * self-extension maximum as deployed now.
   */
  private async extensionProblem(r: AccessRequest, now: Date): Promise<string | undefined> {
    const original = await this.read(r.extends!);
    const rules = this.options.access.rules(r.flow);
    // `check` also judges the requester against the flow's allowedRequesters as deployed now.
    const seconds = this.options.access.check(
      { flow: r.flow, target: r.target, duration: r.duration, ...(r.reason === undefined ? {} : { reason: r.reason }) },
      r.requester.email,
    ).seconds;
    const problem = extensionProblem(original, r, rules.selfExtension, new Date(now.getTime() + seconds * 1000).toISOString());
    if (problem !== undefined) return problem;
    // The grant it moves must stand in the policy file: the original's, or this extension's own on a retry.
    if (!(await this.options.access.holds(original)) && !(await this.options.access.holds(r))) {
      return `the policy file holds no grant of the request it extends, ${original.id}, now`;
    }
    return undefined;
  }

  /**
   * The extended request ends `extended` once its extension holds the grant; a retry finds it so already. Should it
   * have been closed otherwise meanwhile (a revoke that ran while the extension's grant was written, which found the
   * member naming the extension and so left it), the extension is ended too and its grant removed: nobody keeps
   * access a revoke said it ended. Answers the extension as it stands after.
   *
   *   alice's r-1 escalated; r-2 extends it; r-2's grant written → bob revokes r-1 (ended) → r-2 recorded escalated
   *   → here: r-1 is ended, not extended by r-2 → r-2 ended, its member removed
   */
  private async markExtended(extension: AccessRequest, actor: HistoryActor, now: Date): Promise<AccessRequest> {
    let marked = false;
    const stored = (await this.options.store.get(extension.extends!)) !== undefined;
    const original = !stored
      ? undefined
      : await this.transition(extension.extends!, async (r) => {
          marked = r.state === 'escalated';
          if (!marked) return undefined;
          return {
            ...r,
            state: 'extended',
            extendedBy: extension.id,
            history: [...r.history, entry('extend', actor, now, `the grant now names ${extension.id}, until ${extension.until}`)],
          };
        });
    if (original !== undefined && marked) await this.tell(original, 'extend');
    if (original !== undefined && isExtendedBy(original, extension.id)) return extension;
    const detail =
      original === undefined
        ? `the request it extends, ${extension.extends}, is not stored, so it ends`
        : `the request it extends, ${original.id}, was ${original.state} while this extension was granted, so it ends too`;
    const ended = await this.transition(extension.id, async (r) => {
      if (r.state !== 'escalated') return undefined;
      return { ...r, state: 'ended', history: [...r.history, entry('end', FLOW, now, detail)] };
    });
    try {
      await this.options.access.deescalate(ended);
    } finally {
      await this.tell(ended, 'end');
    }
    return ended;
  }

  private async mayRevoke(r: AccessRequest, email: string): Promise<void> {
    const rules = this.options.access.rules(r.flow);
    if (!rules.allowRevoke)
      throw new RequestError('revoke-not-allowed', `request ${r.id}: flow "${r.flow}" does not allow revoking; the grant ends by itself at its expiry`);
    const directory = this.options.access.directory(r.flow);
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
    if (r.state !== 'pending') throw this.decided(r, action);
    if (Date.parse(r.deadline) <= now.getTime()) {
      throw new RequestError('past-deadline', `request ${r.id}: its approval window closed at ${r.deadline}; cannot ${action} it`);
    }
  }

  private decided(r: AccessRequest, action: string): RequestError {
    return new RequestError('already-decided', `request ${r.id} is ${r.state}; cannot ${action} it`);
  }

  private async find(id: string): Promise<AccessRequest> {
    const found = await this.options.store.get(id);
    if (found === undefined) throw new RequestError('unknown-request', `no request with id ${quoteForMessage(id)}`);
    return found;
  }

  /** The request as stored, for a decision: one whose MAC does not verify is failed as tampered and refused (409). */
  private async read(id: string): Promise<AccessRequest> {
    const found = await this.find(id);
    if (!(await this.options.seal.verify(found))) {
      const error = tamperedError(found);
      await this.refuse(found, error);
      throw error;
    }
    return found;
  }

  /** A request for display: marked `tampered` when its MAC does not verify, never acted on. */
  private async checked(r: AccessRequest): Promise<ReadRequest> {
    return (await this.options.seal.verify(r)) ? r : { ...r, tampered: true };
  }

  /** `r` with the MAC of the record as the store will keep it: at `storedVersion` (the store adds one on update). */
  private async sealed(r: AccessRequest, storedVersion = r.version + 1): Promise<AccessRequest> {
    return { ...r, mac: await this.options.seal.seal({ ...r, version: storedVersion }) };
  }

  /**
   * Reads the request, lets `change` decide the next one (or throw why not, or return undefined for no write), and
   * writes it at the version read. Another writer in between means reading and deciding again.
   */
  private async transition(id: string, change: (r: AccessRequest, now: Date) => Promise<AccessRequest | undefined>): Promise<AccessRequest> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(id);
      const next = await change(current, this.now());
      if (next === undefined) return current;
      let written: AccessRequest;
      try {
        written = await this.options.store.update(await this.sealed(this.recorded(current, next)));
      } catch (error) {
        if (!(error instanceof StoreConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        continue;
      }
      await this.publish(written);
      return written;
    }
  }

  /**
   * `next` with its state change, if it makes one, added to the changes not yet published, so the write that makes
   * the change records it too. The change is by the actor and at the time of `next`'s last history entry (every
   * state change appends one). `current` is the request as read, undefined for a new one.
   */
  private recorded(current: AccessRequest | undefined, next: AccessRequest): AccessRequest {
    if (this.options.events === undefined || (current !== undefined && current.state === next.state)) return next;
    const last = next.history[next.history.length - 1];
    const change = { state: next.state, version: current === undefined ? 1 : current.version + 1, actor: last.actor, at: last.at };
    return { ...next, unpublished: [...(Array.isArray(next.unpublished) ? next.unpublished : []), change] };
  }

  /**
   * Puts the request's unpublished state changes on the bus, in order, and then forgets them. Never throws: a failure
   * is reported and the changes stay recorded for the sweep. True when they went out.
   */
  private async publish(r: AccessRequest): Promise<boolean> {
    const events = this.options.events;
    if (events === undefined || r.unpublished === undefined || r.unpublished.length === 0) return false;
    try {
      const attested = attestedTransitions(r);
      if (attested.length === 0) {
        // Nothing the record vouches for: the list is dropped, and nothing counts as published.
        await this.options.store.published(r.id, r.version);
        return false;
      }
      await events.publish(attested.map((t) => requestEvent(r, t)));
    } catch (error) {
      this.options.onEventsFailure?.(r, error);
      return false;
    }
    try {
      await this.options.store.published(r.id, r.version);
    } catch {
      // Still recorded: the sweep sends them again, and `eventId` tells the repeats apart.
    }
    return true;
  }

  private async tell(request: AccessRequest, transition: RequestAction): Promise<void> {
    try {
      await this.notifier.notify(request, transition);
    } catch (error) {
      this.options.onNotifyFailure?.(request, error);
    }
  }
}

/** Whether the approval window of `r` (its `deadline`, sealed) has closed at `now`. */
function windowClosed(r: AccessRequest, now: Date): boolean {
  return !(Date.parse(r.deadline) > now.getTime());
}

/** Whether the grant of escalated `r` has run out at `now` (a record with no `until` has nothing left to run). */
function grantEnded(r: AccessRequest, now: Date): boolean {
  return r.until === undefined || !(Date.parse(r.until) > now.getTime());
}

function tamperedError(r: AccessRequest): RequestError {
  return new RequestError(
    'tampered',
    `request ${r.id}: its stored record does not carry a valid MAC, so it was written or changed outside the runtime; it is not acted on`,
  );
}

/** The requester and the login their grant goes to, for the approval rules. */
function partyOf(r: AccessRequest): RequestParty {
  return { email: r.requester.email, login: r.login };
}

function entry(action: RequestAction, actor: HistoryActor, at: Date, detail?: string): HistoryEntry {
  return detail === undefined ? { action, actor, at: at.toISOString() } : { action, actor, at: at.toISOString(), detail };
}
