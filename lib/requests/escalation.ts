import { describeError } from '../errors';
import { HistoryActor } from './actor';
import { markExtended } from './extend-request';
import { gate } from './grant-gate';
import { AccessRequest } from './model';
import { entry, FLOW, RecordKeeper, RequestOutcome } from './record-keeper';

/**
 * Writes the grant of an approved request, then records it. A failure leaves the request approved (the sweep
 * retries it); the first failure is recorded in its history. A request closed while the grant was written gets the
 * grant taken back; should a failed write have landed all the same, the sweep removes it.
 */
export async function escalate(keeper: RecordKeeper, approved: AccessRequest, actor: HistoryActor, now = keeper.now()): Promise<RequestOutcome> {
  // Only a record whose own state is approved is granted, whatever listed it as such (the sweep's index is not
  // sealed: a table write can list an escalated request there, which must not be granted again). The state is
  // sealed, and the gate verifies it before anything is written.
  if (approved.state !== 'approved') return { request: approved };
  const refused = await gate(keeper, approved, now);
  if (refused !== undefined) return refused;
  let until: string;
  let coveredBy: string | undefined;
  try {
    ({ until, coveredBy } = await keeper.options.access.escalate(approved, now));
  } catch (error) {
    const escalationError = describeError(error);
    const last = approved.history[approved.history.length - 1];
    if (last.action === 'escalation-failed') return { request: approved, escalationError };
    const noted = await keeper.transition(approved.id, async (r) => {
      if (r.state !== 'approved') return undefined;
      return { ...r, history: [...r.history, entry('escalation-failed', actor, now, `${escalationError.code}: ${escalationError.message}`)] };
    });
    return { request: noted, escalationError };
  }
  if (coveredBy !== undefined) return endCovered(keeper, approved, coveredBy, until, now);
  // Decided from the write that finally succeeded (or the read that made none), never from an attempt whose write
  // then conflicted: that attempt saw `approved`, the retry may see `ended`.
  let recorded = false;
  const escalated = await keeper.transition(approved.id, async (r) => {
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
    await keeper.tell(escalated, 'escalate');
    if (escalated.extends !== undefined) return { request: await markExtended(keeper, escalated, actor, now) };
  } else if (escalated.state !== 'escalated') {
    // Closed while the grant was being written (a revoke that ran meanwhile, say): the request says nobody holds
    // access, so take back what this attempt wrote. Only the member carrying this request's id is removed.
    await keeper.options.access.deescalate(escalated);
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
async function endCovered(keeper: RecordKeeper, approved: AccessRequest, coveredBy: string, until: string, now: Date): Promise<RequestOutcome> {
  let ended = false;
  const detail = `already granted until ${until} by ${coveredBy}; nothing was written, and that grant is the one to revoke`;
  const request = await keeper.transition(approved.id, async (r) => {
    ended = r.state === 'approved';
    if (!ended) return undefined;
    return { ...r, state: 'ended', history: [...r.history, entry('end', FLOW, now, detail)] };
  });
  if (ended) await keeper.tell(request, 'end');
  return { request };
}
