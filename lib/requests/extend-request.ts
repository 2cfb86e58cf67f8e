import { Actor, HistoryActor, normalizeEmail } from './actor';
import { RequestError } from './errors';
import { checkExtendable, extendedUntil, extensionApproval, grantStartOf, isExtendedBy } from './extend';
import { AccessRequest, HistoryEntry } from './model';
import { entry, FLOW, RecordKeeper } from './record-keeper';

// An extension's life over the store, as extend.ts's rules judge it: its creation, and once its grant stands, the
// request it extends marked `extended`.

/**
 * An extension of an escalated request by its requester: a new request linked to it (`extends`), for `duration`
 * from now. Within the flow's `selfExtension` total maximum it is approved at once by its
 * requester (beyond it: refused, nothing written); without that setting it waits for approvers like any request.
 * Once granted, the one annotation of the member names the extension and the first request is `extended`.
 * Answers the extension as stored; an approved one is for the caller to escalate.
 */
export async function createExtension(keeper: RecordKeeper, actor: Actor, id: string, duration: string): Promise<AccessRequest> {
  const access = keeper.options.access;
  const email = normalizeEmail(actor.email, 'requester');
  const original = await keeper.read(id);
  const now = keeper.now();
  checkExtendable(original, email, access.directory(original.flow), now);
  const reason = original.reason === undefined ? {} : { reason: original.reason };
  const checked = access.check({ flow: original.flow, target: original.target, duration, ...reason }, email);
  // The policy file, not the table, says whether the grant stands: a revoked request's escalated record put back
  // into the table (a genuine, sealed copy) names a grant the file no longer holds.
  if (!(await access.holds(original))) {
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
    id: keeper.newRequestId(),
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
  return keeper.create(record, 'request');
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
export async function markExtended(keeper: RecordKeeper, extension: AccessRequest, actor: HistoryActor, now: Date): Promise<AccessRequest> {
  let marked = false;
  const stored = (await keeper.options.store.get(extension.extends!)) !== undefined;
  const original = !stored
    ? undefined
    : await keeper.transition(extension.extends!, async (r) => {
        marked = r.state === 'escalated';
        if (!marked) return undefined;
        return {
          ...r,
          state: 'extended',
          extendedBy: extension.id,
          history: [...r.history, entry('extend', actor, now, `the grant now names ${extension.id}, until ${extension.until}`)],
        };
      });
  if (original !== undefined && marked) await keeper.tell(original, 'extend');
  if (original !== undefined && isExtendedBy(original, extension.id)) return extension;
  const detail =
    original === undefined
      ? `the request it extends, ${extension.extends}, is not stored, so it ends`
      : `the request it extends, ${original.id}, was ${original.state} while this extension was granted, so it ends too`;
  const ended = await keeper.transition(extension.id, async (r) => {
    if (r.state !== 'escalated') return undefined;
    return { ...r, state: 'ended', history: [...r.history, entry('end', FLOW, now, detail)] };
  });
  try {
    await keeper.options.access.deescalate(ended);
  } finally {
    await keeper.tell(ended, 'end');
  }
  return ended;
}
