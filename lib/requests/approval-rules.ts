import { normalizeEmail } from './actor';
import { RequestError } from './errors';
import { Approval, isPersonApproval, PersonApproval } from './model';
import { onCallApprovalProblem, OnCallRule } from './on-call';

/** A flow's approval rules, as the runtime reads them from the manifest. */
export interface ApprovalRules {
  /** Granted at once, without anyone's approval (still recorded). */
  readonly autoApprove: boolean;
  /** Approver emails. */
  readonly approvers: readonly string[];
  /** Tailnet groups (without `group:`) whose standing members may approve. */
  readonly approverGroups: readonly string[];
  /** Approvals that complete the quorum. */
  readonly requiredApprovals: number;
  /** Whether a requester may approve their own request. */
  readonly allowSelfApproval: boolean;
  /** Seconds a request waits for its approvals. */
  readonly approvalWindowSeconds: number;
  /** Emails or `@domain`s that may request; empty = anyone. */
  readonly allowedRequesters: readonly string[];
  /** Requesters on call now in these schedules or escalation policies are approved at once. Absent: nobody is. */
  readonly onCall?: OnCallRule;
}

/** How the rules see the tailnet at the moment someone votes. */
export interface ApproverDirectory {
  /** The tailnet login of an email (the integration's identity overrides, else the email). */
  loginFor(email: string): string;
  /** The group's standing members (no grant annotation), read now: a just-in-time member never approves. */
  standingMembers(group: string): Promise<readonly string[]>;
}

/** Whether `email` matches one of `allowed` (emails or `@domain`s, compared without case); empty allows everyone. */
export function isAllowedRequester(allowed: readonly string[], email: string): boolean {
  if (allowed.length === 0) return true;
  const lower = email.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@'));
  return allowed.some((rule) => {
    const r = rule.toLowerCase();
    return r.startsWith('@') ? r === domain : r === lower;
  });
}

/** Who a request is for: the requester's email and the tailnet login the grant goes to. */
export interface RequestParty {
  readonly email: string;
  readonly login: string;
}

/**
 * Whether two emails are one person: the same address, or two addresses the identity overrides map to one login
 * (alice@corp.com and alice@corp.io both → alice@github). Self-approval and duplicate votes are judged on this,
 * or one person with two mapped emails could approve their own request or cast two votes.
 */
export function samePerson(directory: ApproverDirectory, a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || directory.loginFor(a).toLowerCase() === directory.loginFor(b).toLowerCase();
}

/**
 * Why `approverEmail` may vote on the request of `requester`: `email` when listed, `group:<name>` when a standing
 * member of an approver group, re-read now. Throws RequestError (403) naming the reason otherwise.
 */
export async function approverStanding(rules: ApprovalRules, approverEmail: string, requester: RequestParty, directory: ApproverDirectory): Promise<string> {
  const approver = normalizeEmail(approverEmail, 'approver');
  const requesterEmail = normalizeEmail(requester.email, 'requester');
  const isRequester = approver === requesterEmail || directory.loginFor(approver).toLowerCase() === requester.login.toLowerCase();
  if (isRequester && !rules.allowSelfApproval) {
    throw new RequestError(
      'self-approval',
      `${approver} is the requester of this request (tailnet login ${requester.login}) and the flow does not allow self-approval; someone else must decide it`,
    );
  }
  if (rules.approvers.some((a) => a.toLowerCase() === approver)) return 'email';
  if (rules.approverGroups.length > 0) {
    const login = directory.loginFor(approver).toLowerCase();
    for (const group of rules.approverGroups) {
      const members = await directory.standingMembers(group);
      if (members.some((m) => m.toLowerCase() === login)) return `group:${group}`;
    }
  }
  const who = [...(rules.approvers.length > 0 ? [`${rules.approvers.join(', ')}`] : []), ...rules.approverGroups.map((g) => `standing members of group:${g}`)];
  throw new RequestError('not-an-approver', `${approver} is not an approver of this flow; approvers: ${who.join('; ') || 'none'}`);
}

/** A vote that no longer counts toward the quorum, and why. */
export interface DroppedVote {
  readonly approval: PersonApproval;
  readonly reason: string;
}

/**
 * The votes of a request judged by the flow's rules as deployed now (approver lists and groups read now): a vote
 * counts if it was cast before the deadline, its approver is still an approver and not the requester (unless
 * self-approval is allowed), and no earlier counted vote has the same tailnet login. Approvers are re-checked
 * whenever a vote could complete a quorum, so one removed from `group:sre` after voting no longer counts.
 */
export async function judgeVotes(
  rules: ApprovalRules,
  approvals: readonly Approval[],
  requester: RequestParty,
  deadline: string,
  directory: ApproverDirectory,
): Promise<{ counted: PersonApproval[]; dropped: DroppedVote[] }> {
  const counted: PersonApproval[] = [];
  const dropped: DroppedVote[] = [];
  for (const approval of approvals.filter(isPersonApproval)) {
    const email = approval.actor.email;
    if (!(Date.parse(approval.at) < Date.parse(deadline))) {
      dropped.push({ approval, reason: `cast at ${approval.at}, not before the approval window closed at ${deadline}` });
      continue;
    }
    const twin = counted.find((c) => samePerson(directory, c.actor.email, email));
    if (twin !== undefined) {
      dropped.push({ approval, reason: `${email} has the same tailnet login as ${twin.actor.email}, who already approved` });
      continue;
    }
    try {
      await approverStanding(rules, email, requester, directory);
      counted.push(approval);
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      dropped.push({ approval, reason: error.message });
    }
  }
  return { counted, dropped };
}

/**
 * Why an approved request's approvals no longer satisfy the flow's rules as deployed now, or undefined when they do:
 * the requester must still be an allowed requester; an on-call approval must still hold ({@link onCallApprovalProblem});
 * otherwise every vote must still count ({@link judgeVotes}); and there must be enough of them, unless the flow still
 * approves automatically.
 */
export async function noLongerApproved(
  rules: ApprovalRules,
  approvals: readonly Approval[],
  requester: RequestParty,
  deadline: string,
  directory: ApproverDirectory,
  now: Date,
): Promise<string | undefined> {
  if (!isAllowedRequester(rules.allowedRequesters, requester.email)) return `${requester.email} is no longer an allowed requester of its flow`;
  const byRule = approvals.find((a) => !isPersonApproval(a));
  if (byRule !== undefined && !isPersonApproval(byRule)) return onCallApprovalProblem(rules.onCall, byRule, requester, directory, now);
  const { counted, dropped } = await judgeVotes(rules, approvals, requester, deadline, directory);
  if (dropped.length > 0) return `the vote of ${dropped[0].approval.actor.email} no longer counts: ${dropped[0].reason}`;
  if (rules.autoApprove || counted.length >= rules.requiredApprovals) return undefined;
  if (counted.length === 0) return 'it has no approval, and its flow no longer approves requests automatically';
  return `it has ${counted.length} of the ${rules.requiredApprovals} approvals its flow now requires`;
}
