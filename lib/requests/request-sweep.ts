import { DescribedError, describeError } from '../errors';
import { SystemActor } from './actor';
import { RecordKeyError, RequestError } from './errors';
import { escalate } from './escalation';
import { isExtendedBy } from './extend';
import { markExtended } from './extend-request';
import { REFUSALS } from './grant-gate';
import { AccessRequest, isOpen, OPEN_STATES, OpenState, RequestState } from './model';
import { decided, entry, RecordKeeper } from './record-keeper';

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
/** Due by the end of time: every open request in a state. */
const LATEST = '9999-12-31T23:59:59.999Z';
/** The states in which a request's grant may be in the policy file: written, or being written. */
const GRANTED_STATES: readonly OpenState[] = ['approved', 'escalated'];

/**
 * The minute sweep's part: expires pending requests past their window; retries approved requests whose escalation
 * failed until the window closes, then marks them failed; ends escalated requests whose grant has run out, once
 * the grant sweep that removes such grants has run (`grantsSwept`); and, last, removes the grants of closed
 * requests among `grantsHeld` (the request ids whose grants the swept policy files hold), which a removal that
 * failed, or a process that stopped between writing a grant and taking it back, left behind. Each request on its
 * own: one failure is reported in `errors` and the rest go on. Records that fail verification are failed and listed
 * in `refused`. Without a usable record key nothing can be verified: the tick goes through every request, then throws.
 */
export async function sweepRequests(
  keeper: RecordKeeper,
  now: Date,
  options: { readonly grantsSwept?: boolean; readonly grantsHeld?: readonly string[] } = {},
): Promise<TickResult> {
  const result: TickResult = { expired: [], escalated: [], failed: [], ended: [], refused: [], grantsRemoved: [], errors: [], published: [] };
  let keyError: RecordKeyError | undefined;
  const store = keeper.options.store;
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
    const settled = await keeper.transition(r.id, async (current) => {
      if (current.state !== from) throw decided(current, action);
      due = from === 'escalated' ? grantEnded(current, now) : windowClosed(current, now);
      if (!due) return undefined;
      return { ...current, state: to, history: [...current.history, entry(action, SWEEP, now, detail)] };
    });
    if (!due) return;
    done.push(r.id);
    await keeper.tell(settled, action);
  };
  const open = await openRequests(keeper);
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
    const outcome = await escalate(keeper, r, SWEEP, now);
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
      const extension = await keeper.read(r.id);
      if (extension.state === 'escalated') await markExtended(keeper, extension, SWEEP, now);
    },
  );
  // Taking a grant back only ever removes access, so a closed record is acted on whatever its MAC says; but where
  // the grant is (login, flow, target) is read from a record only once it verifies: otherwise every grant annotated
  // with its id is removed, wherever it is.
  await each(await closedAmong(keeper, options.grantsHeld ?? []), async (r) => {
    if (await keeper.options.seal.verify(r)) await keeper.options.access.deescalate(r);
    else await keeper.options.access.removeGrantsOf(r.id);
    result.grantsRemoved.push(r.id);
  });
  // Last, so the changes made above went out already or are among these. A record whose MAC does not verify is
  // not published from (the sweep refuses it when it next acts on it).
  await each(keeper.options.events === undefined ? [] : await store.unpublished(), async (r) => {
    if ((await keeper.options.seal.verify(r)) && (await keeper.publish(r))) result.published.push(r.id);
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
export async function openRequests(keeper: RecordKeeper): Promise<Record<OpenState, AccessRequest[]>> {
  const byId = new Map<string, AccessRequest>();
  for (const state of OPEN_STATES) for (const r of await keeper.options.store.due(state, LATEST)) byId.set(r.id, r);
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
async function closedAmong(keeper: RecordKeeper, ids: readonly string[]): Promise<AccessRequest[]> {
  const held = new Set(ids);
  if (held.size === 0) return [];
  const indexed = new Map<string, AccessRequest>();
  for (const state of GRANTED_STATES) for (const r of await keeper.options.store.due(state, LATEST)) if (held.has(r.id)) indexed.set(r.id, r);
  const closed: AccessRequest[] = [];
  for (const id of held) {
    const found = indexed.get(id) ?? (await keeper.options.store.get(id));
    if (found === undefined) continue;
    if (!isOpen(found.state) || !(await keeper.options.seal.verify(found))) closed.push(found);
  }
  return closed;
}

/** Whether the approval window of `r` (its `deadline`, sealed) has closed at `now`. */
function windowClosed(r: AccessRequest, now: Date): boolean {
  return !(Date.parse(r.deadline) > now.getTime());
}

/** Whether the grant of escalated `r` has run out at `now` (a record with no `until` has nothing left to run). */
function grantEnded(r: AccessRequest, now: Date): boolean {
  return r.until === undefined || !(Date.parse(r.until) > now.getTime());
}
