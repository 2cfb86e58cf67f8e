import { AccessRequest, FlowRules, NewRequest, RequestAccess } from '../../lib/requests';

/** A flow's rules for the requests core's tests: bob or carol approves, within an hour. */
export const RULES: FlowRules = {
  autoApprove: false,
  approvers: ['bob@example.com', 'carol@example.com'],
  approverGroups: [],
  requiredApprovals: 1,
  allowSelfApproval: false,
  approvalWindowSeconds: 3600,
  allowedRequesters: [],
  allowRevoke: true,
};

/** The tailnet side, recorded: grants by request id, with a switch that makes the next escalations fail. */
export class RecordingAccess implements RequestAccess {
  grants = new Map<string, string>();
  escalations = 0;
  deescalations: string[] = [];
  failing = false;
  rulesOf: FlowRules = RULES;
  /** Identity overrides: email → tailnet login. */
  logins: Record<string, string> = {};
  /** Standing members of tailnet groups, read at each vote. */
  groups: Record<string, string[]> = {};
  /** When set, each escalation waits for it before writing, so a test can act in between. */
  beforeWrite?: () => Promise<void>;

  check(request: NewRequest, email: string) {
    return { login: this.logins[email] ?? email, duration: request.duration ?? '1h', seconds: request.duration === '30m' ? 1800 : 3600, rules: this.rulesOf };
  }
  rules() {
    return this.rulesOf;
  }
  directory() {
    return { loginFor: (e: string) => this.logins[e] ?? e, standingMembers: async (group: string) => this.groups[group] ?? [] };
  }
  async escalate(request: AccessRequest, now: Date) {
    if (this.failing) throw new Error('tailnet unreachable');
    await this.beforeWrite?.();
    const existing = this.grants.get(request.id);
    if (existing) return { until: existing };
    this.escalations++;
    const until = new Date(now.getTime() + (request.duration === '30m' ? 1800_000 : 3600_000)).toISOString();
    // As the policy file keeps it: one annotation a member, naming the latest request that granted it.
    for (const [id, login] of this.members) if (login === request.login) this.grants.delete(id);
    this.grants.set(request.id, until);
    this.members.set(request.id, request.login);
    return { until };
  }
  members = new Map<string, string>();
  async deescalate(request: AccessRequest) {
    this.deescalations.push(request.id);
    this.grants.delete(request.id);
  }
  async holds(request: AccessRequest) {
    return this.grants.has(request.id);
  }
  async removeGrantsOf(requestId: string) {
    this.grants.delete(requestId);
  }
}
