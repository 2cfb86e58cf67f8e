import { ApprovalRules, ApproverDirectory } from './approval-rules';
import { BreakGlassRule } from './break-glass';
import { SelfExtensionRule } from './extend';
import { AccessRequest } from './model';
import { ReminderRule } from './reminders';

/** What a requester asks for; the shape was checked at the edge. */
export interface NewRequest {
  readonly flow: string;
  readonly target: string;
  /** Default: the flow's first listed duration, else its maximum. */
  readonly duration?: string;
  readonly reason?: string;
  /** An emergency request the requester approves themself, within the flow's `breakGlass`. */
  readonly breakGlass?: boolean;
}

/** A flow's rules for requests: who approves, and whether a grant may be revoked. */
export interface FlowRules extends ApprovalRules {
  readonly allowRevoke: boolean;
  /** Absent: no break-glass requests. */
  readonly breakGlass?: BreakGlassRule;
  /** Absent: an extension needs approvals like any request. */
  readonly selfExtension?: SelfExtensionRule;
  /** Absent: no reminders. */
  readonly reminders?: ReminderRule;
}

/** A new request checked against its flow. */
export interface CheckedRequest {
  readonly login: string;
  readonly duration: string;
  /** `duration` in seconds. */
  readonly seconds: number;
  readonly rules: FlowRules;
}

/**
 * The tailnet side of requests, which the runtime provides over its access engine: checking a request against the
 * manifest, reading approver groups, and writing and removing the grant that carries the request's id.
 */
export interface RequestAccess {
  /** Checks flow, target, requester, duration and reason; throws an error naming the field otherwise. */
  check(request: NewRequest, requesterEmail: string): CheckedRequest;
  rules(flow: string): FlowRules;
  /** Approver lookups in the tailnet of the flow, read at the moment of the vote. */
  directory(flow: string): ApproverDirectory;
  /**
   * Grants the request's login with annotation `req=<request id>` in one If-Match write, until `now` + its
   * duration; a member already granted until earlier keeps one annotation, which then names this request.
   * If the annotation is already there (a write whose store update was lost) nothing is written and its `until` is
   * returned. If the member already holds another request's grant lasting at least as long, nothing is written and
   * `coveredBy` names that request.
   */
  escalate(request: AccessRequest, now: Date): Promise<{ readonly until: string; readonly coveredBy?: string }>;
  /** Removes the member only where its annotation carries this request's id; anything else stays. */
  deescalate(request: AccessRequest): Promise<void>;
  /**
   * Removes every grant annotated with this request id, in any group of any tailnet the runtime edits, whichever member
   * holds it: for a record whose login, flow or target cannot be trusted.
   */
  removeGrantsOf(requestId: string): Promise<void>;
  /**
   * Whether the policy file, read now, holds an unexpired grant annotated with this request's id: the tailnet's word
   * on whether the request's grant stands, which a table write cannot change.
   */
  holds(request: AccessRequest): Promise<boolean>;
}
