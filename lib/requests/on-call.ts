import { describeError } from '../errors';
import { SystemActor } from './actor';
import type { ApproverDirectory, RequestParty } from './approval-rules';
import { HistoryEntry, OnCallApproval, OnCallEntry } from './model';

/** A flow's on-call rule, as the requests core reads it: whose on-call shifts approve a request at once. */
export interface OnCallRule {
  /** Where the on-call shifts are read. */
  readonly provider: 'pagerduty';
  /** Schedule ids whose on-call users are approved. */
  readonly schedules: readonly string[];
  /** Escalation policy ids whose on-call users (any level) are approved. */
  readonly escalationPolicies: readonly string[];
}

/**
 * Who is on call, read from a paging service (PagerDuty today; Opsgenie could follow). Asked once per new request of
 * a flow with an on-call rule, within a short budget.
 */
export interface OnCallDirectory {
  /**
   * The on-call entries, at `now`, of the flow's schedules and escalation policies whose user is `email`: empty when
   * they are not on call. Throws when the service cannot say (unreachable, slow, refused, or an answer it cannot read).
   */
  onCallNow(flow: string, email: string, now: Date): Promise<readonly OnCallEntry[]>;
}

/** The rule that approves on-call requesters; an approval it records names it, never a person. */
export const ON_CALL: SystemActor & { readonly name: 'on-call' } = { kind: 'system', name: 'on-call' };

/** What the on-call rule decided for a new request: an approval, a history note, or neither. */
export interface OnCallDecision {
  readonly approval?: OnCallApproval;
  readonly note?: HistoryEntry;
}

/**
 * Asks whether the requester is on call now. An entry of the rule's schedules or escalation policies naming them
 * approves the request (recorded as the rule's approval, with that entry); none leaves it for people; a directory
 * that cannot answer leaves it for people too, with a note in its history, and never fails the request.
 */
export async function onCallDecision(
  rule: OnCallRule | undefined,
  directory: OnCallDirectory | undefined,
  flow: string,
  requester: RequestParty,
  now: Date,
): Promise<OnCallDecision> {
  if (rule === undefined) return {};
  const at = now.toISOString();
  if (directory === undefined) {
    return {
      note: { action: 'on-call-unavailable', actor: ON_CALL, at, detail: 'no on-call directory is configured in this runtime; the request waits for people' },
    };
  }
  let entries: readonly OnCallEntry[];
  try {
    entries = await directory.onCallNow(flow, requester.email, now);
  } catch (error) {
    const { code, message } = describeError(error);
    return { note: { action: 'on-call-unavailable', actor: ON_CALL, at, detail: `${code}: ${message}; the request waits for people` } };
  }
  const entry = entries.find((e) => e.email.toLowerCase() === requester.email.toLowerCase() && ruleNames(rule, e) && windowCovers(e, now.getTime()));
  if (entry === undefined) return {};
  return { approval: { actor: ON_CALL, at, onCall: entry } };
}

/**
 * Why an on-call approval no longer holds at the grant, or undefined when it does. The rule, as deployed now, must
 * still name the entry's schedule or escalation policy; the entry must be the requester's; and its window must cover
 * now: `start` at or before now (absent: a permanent on-call) and `end` after now (absent: the user never goes off
 * call, and the request's approval window bounds it). PagerDuty is not asked again: the entry it gave, sealed with
 * the record, says until when the requester is on call, so a grant retried after the shift ended is refused.
 *
 *   entry 09:00–17:00, approved 16:58, grant written 16:58 → granted
 *   the same approval retried by the sweep at 17:01 → refused (the shift ended)
 */
export function onCallApprovalProblem(
  rule: OnCallRule | undefined,
  approval: OnCallApproval,
  requester: RequestParty,
  directory: ApproverDirectory,
  now: Date,
): string | undefined {
  const entry = approval.onCall;
  const source = entry.scheduleId === undefined ? `escalation policy ${entry.escalationPolicyId}` : `schedule ${entry.scheduleId}`;
  if (rule === undefined) return 'its flow no longer approves on-call requesters';
  if (!ruleNames(rule, entry)) return `its flow no longer approves the on-call users of ${source}`;
  if (entry.email.toLowerCase() !== requester.email.toLowerCase() && directory.loginFor(entry.email).toLowerCase() !== requester.login.toLowerCase())
    return `its on-call entry is ${entry.email}'s, not the requester's`;
  if (!windowCovers(entry, now.getTime()))
    return `the requester's on-call shift in ${source} (${entry.start ?? 'always'} to ${entry.end ?? 'open-ended'}) does not cover ${now.toISOString()}`;
  return undefined;
}

/** A history line naming the entry that approved a request. */
export function describeOnCall(entry: OnCallEntry): string {
  const source =
    entry.scheduleId === undefined
      ? `escalation policy ${entry.escalationPolicyId}`
      : `schedule ${entry.scheduleId} (escalation policy ${entry.escalationPolicyId})`;
  return `${entry.email} is on call in ${source}, escalation level ${entry.escalationLevel}, from ${entry.start ?? 'always'} to ${entry.end ?? 'no end'}`;
}

function ruleNames(rule: OnCallRule, entry: OnCallEntry): boolean {
  return (entry.scheduleId !== undefined && rule.schedules.includes(entry.scheduleId)) || rule.escalationPolicies.includes(entry.escalationPolicyId);
}

function windowCovers(entry: OnCallEntry, now: number): boolean {
  const start = entry.start === undefined ? -Infinity : Date.parse(entry.start);
  const end = entry.end === undefined ? Infinity : Date.parse(entry.end);
  return start <= now && now < end;
}
