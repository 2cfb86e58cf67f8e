import { Actor } from './actor';
import { ApproverDirectory, isAllowedRequester, samePerson } from './approval-rules';
import { RequestError } from './errors';
import { AccessRequest, isPersonApproval } from './model';

/** A flow's break-glass setting, as the requests core reads it. */
export interface BreakGlassRule {
  /** Longest break-glass grant, as the flow states it. */
  readonly maxDuration: string;
  /** Whether a grant of `duration` is within `maxDuration` (the runtime reads durations as the manifest writes them). */
  readonly allows: (duration: string) => boolean;
}

/** Who reviewed a break-glass request, when, and what they noted. */
export interface BreakGlassReview {
  readonly actor: Actor;
  /** ISO 8601. */
  readonly at: string;
  readonly note?: string;
}

/**
 * Checks a new break-glass request against its flow: the flow must allow break-glass, the requester must give a
 * reason, and the duration must be within the flow's break-glass maximum. Throws naming the field otherwise.
 */
export function checkBreakGlass(rule: BreakGlassRule | undefined, flow: string, duration: string, reason: string | undefined): void {
  if (rule === undefined) throw new RequestError('break-glass-not-allowed', `flow "${flow}" does not allow break-glass requests; ask for an approval instead`);
  if (reason === undefined || reason.trim() === '')
    throw new RequestError('invalid-request', 'reason: a break-glass request must say why (the incident), and it is shown to the approvers who review it');
  if (!rule.allows(duration)) {
    throw new RequestError('invalid-request', `duration: a break-glass request of flow "${flow}" lasts at most ${rule.maxDuration}, got "${duration}"`);
  }
}

/**
 * Why a break-glass request's self-approval no longer holds at the grant, or undefined when it does: the flow, as
 * deployed now, must still allow break-glass, for at least the request's duration; the requester must still be an
 * allowed requester; and its one approval must be the requester's own.
 */
export function breakGlassProblem(
  rule: BreakGlassRule | undefined,
  allowedRequesters: readonly string[],
  r: AccessRequest,
  directory: ApproverDirectory,
): string | undefined {
  if (rule === undefined) return 'its flow no longer allows break-glass requests';
  if (!rule.allows(r.duration)) return `its duration ${r.duration} is longer than the flow's break-glass maximum ${rule.maxDuration} now`;
  if (!isAllowedRequester(allowedRequesters, r.requester.email)) return `${r.requester.email} is no longer an allowed requester of its flow`;
  const [only, ...more] = r.approvals;
  if (only === undefined || more.length > 0 || !isPersonApproval(only) || !samePerson(directory, only.actor.email, r.requester.email)) {
    return 'a break-glass request carries exactly one approval, its requester’s own';
  }
  return undefined;
}
