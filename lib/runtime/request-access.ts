import { FlowManifest, parseDuration } from '../manifest';
import {
  AccessRequest,
  ApproverDirectory,
  BreakGlassRule,
  CheckedRequest,
  FlowRules,
  NewRequest,
  ReminderRule,
  RequestAccess,
  SelfExtensionRule,
} from '../requests';
import { AccessEngine, ApprovedRequest } from './engine';

/** A flow's approval rules as the requests core reads them. */
export function flowRules(flow: FlowManifest): FlowRules {
  const a = flow.approval;
  return {
    autoApprove: a.autoApprove,
    approvers: a.approvers,
    approverGroups: a.approverGroups,
    requiredApprovals: a.requiredApprovals,
    allowSelfApproval: a.allowSelfApproval,
    approvalWindowSeconds: parseDuration(a.approvalWindow),
    allowedRequesters: flow.allowedRequesters,
    allowRevoke: flow.allowRevoke,
    ...(flow.breakGlass !== undefined && { breakGlass: breakGlassRule(flow.breakGlass.maxDuration) }),
    ...(flow.selfExtension !== undefined && { selfExtension: selfExtensionRule(flow.selfExtension.maxTotal) }),
    reminders: reminderRule(flow),
    ...(flow.onCall !== undefined && {
      onCall: { provider: 'pagerduty', schedules: flow.onCall.pagerDuty.schedules, escalationPolicies: flow.onCall.pagerDuty.escalationPolicies },
    }),
  };
}

function breakGlassRule(maxDuration: string): BreakGlassRule {
  const most = parseDuration(maxDuration);
  return { maxDuration, allows: (duration) => parseDuration(duration) <= most };
}

function selfExtensionRule(maxTotal: string): SelfExtensionRule {
  const most = parseDuration(maxTotal);
  return { maxTotal, allows: (seconds) => seconds <= most };
}

/**
 * The flow's reminders (none when the manifest names none); approvers are nudged in the requests channel, so a flow
 * without one nudges nobody.
 */
function reminderRule(flow: FlowManifest): ReminderRule {
  const { beforeExpiry, nudgeApprovers } = flow.reminders ?? { nudgeApprovers: false };
  return {
    ...(beforeExpiry !== undefined && { beforeExpirySeconds: parseDuration(beforeExpiry) }),
    nudgeApprovers: nudgeApprovers && flow.requestsChannel !== undefined,
  };
}

function approved(request: AccessRequest): ApprovedRequest {
  return {
    id: request.id,
    flow: request.flow,
    target: request.target,
    login: request.login,
    duration: request.duration,
    requesterEmail: request.requester.email,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
}

/** The tailnet side of requests, over the access engine: the manifest's flows and the policy file's grants. */
export class EngineRequestAccess implements RequestAccess {
  constructor(private readonly engine: AccessEngine) {}

  check(request: NewRequest, requesterEmail: string): CheckedRequest {
    const { resolved, login, duration, seconds } = this.engine.checkAccess(request.flow, request.target, requesterEmail, request.duration, request.reason);
    return { login, duration, seconds, rules: flowRules(resolved.flow) };
  }

  rules(flow: string): FlowRules {
    return flowRules(this.engine.flow(flow));
  }

  directory(flow: string): ApproverDirectory {
    return {
      loginFor: (email) => this.engine.loginIn(flow, email),
      standingMembers: (group) => this.engine.standingMembers(flow, group),
    };
  }

  escalate(request: AccessRequest, now: Date): Promise<{ until: string; coveredBy?: string }> {
    return this.engine.grantRequest(approved(request), now);
  }

  deescalate(request: AccessRequest): Promise<void> {
    return this.engine.revokeRequest(approved(request));
  }

  removeGrantsOf(requestId: string): Promise<void> {
    return this.engine.revokeGrantsOf(requestId);
  }

  holds(request: AccessRequest): Promise<boolean> {
    return this.engine.holdsGrant(approved(request));
  }
}
