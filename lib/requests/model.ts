import { Actor, HistoryActor, SystemActor } from './actor';
import type { BreakGlassReview } from './break-glass';
import type { ReminderKind } from './reminders';

/**
 * `pending` → `approved` → `escalated` → `ended`; `pending` → `denied` | `cancelled` | `expired`;
 * `approved` → `failed` (escalation kept failing until the approval window closed) or `cancelled` / `ended`;
 * `escalated` → `extended` once an extension of it is granted (the grant then names the extension).
 */
export type RequestState = 'pending' | 'approved' | 'escalated' | 'ended' | 'denied' | 'cancelled' | 'expired' | 'failed' | 'extended';

export const REQUEST_STATES: readonly RequestState[] = ['pending', 'approved', 'escalated', 'ended', 'denied', 'cancelled', 'expired', 'failed', 'extended'];

/** States the minute sweep still has work on; only these are in the store's index. */
export type OpenState = 'pending' | 'approved' | 'escalated';
export const OPEN_STATES: readonly OpenState[] = ['pending', 'approved', 'escalated'];

export function isOpen(state: RequestState): state is OpenState {
  return (OPEN_STATES as readonly string[]).includes(state);
}

/** What was done to a request; each transition appends one history entry. */
export type RequestAction =
  | 'request'
  | 'approve'
  | 'auto-approve'
  | 'on-call-unavailable'
  | 'break-glass'
  | 'review'
  | 'escalate'
  | 'escalation-failed'
  | 'deny'
  | 'cancel'
  | 'revoke'
  | 'expire'
  | 'fail'
  | 'end'
  | 'extend';

/** An approval: a person's vote, or the flow's on-call rule approving an on-call requester. */
export type Approval = PersonApproval | OnCallApproval;

/** A person's vote. */
export interface PersonApproval {
  readonly actor: Actor;
  /** The approver's tailnet login when they voted (the integration's identity overrides, else their email). */
  readonly login: string;
  /** ISO 8601. */
  readonly at: string;
}

/** The on-call rule's approval: the requester was on call when they asked, as the paging service said. */
export interface OnCallApproval {
  readonly actor: SystemActor & { readonly name: 'on-call' };
  /** ISO 8601. */
  readonly at: string;
  readonly onCall: OnCallEntry;
}

/** One on-call entry, as the paging service gave it: who, where, at which level, from when until when. */
export interface OnCallEntry {
  readonly provider: 'pagerduty';
  /** The user's email in the paging service, lower-case. */
  readonly email: string;
  readonly escalationPolicyId: string;
  /** Absent: the user is a direct target of the escalation policy, not on a schedule. */
  readonly scheduleId?: string;
  readonly escalationLevel: number;
  /** ISO 8601; absent: a permanent on-call. */
  readonly start?: string;
  /** ISO 8601; absent: the user does not go off call. */
  readonly end?: string;
}

/** Whether an approval is a person's vote (not a rule's). */
export function isPersonApproval(approval: Approval): approval is PersonApproval {
  return approval.actor.kind !== 'system';
}

export interface HistoryEntry {
  readonly action: RequestAction;
  readonly actor: HistoryActor;
  /** ISO 8601. */
  readonly at: string;
  readonly detail?: string;
}

/** Where a chat adapter posted the request, so it can update that message as the state changes. */
export interface RequestNotification {
  readonly channel: string;
  readonly ts: string;
}

/** One request for access, as stored; `version` rises by one with every write. */
export interface AccessRequest {
  readonly id: string;
  readonly version: number;
  readonly state: RequestState;
  readonly flow: string;
  readonly target: string;
  readonly requester: Actor;
  /** The tailnet login the grant is written for. */
  readonly login: string;
  readonly duration: string;
  readonly reason?: string;
  readonly approvals: readonly Approval[];
  /** ISO 8601: a pending request expires then; an approved one is retried until then. */
  readonly deadline: string;
  /** ISO 8601: when the grant ends; set once escalated. */
  readonly until?: string;
  /**
   * ISO 8601: when the grant was written; set with `until` once escalated, and sealed with it, so an extension's
   * start and its total maximum never rest on the unsealed history.
   */
  readonly escalatedAt?: string;
  readonly createdAt: string;
  readonly history: readonly HistoryEntry[];
  readonly notification?: RequestNotification;
  /** An emergency request its requester approved themself (the flow's `breakGlass`). */
  readonly breakGlass?: true;
  /** Set on a break-glass request until an approver reviews it. */
  readonly needsReview?: true;
  /** The approver's review of a break-glass request. */
  readonly review?: BreakGlassReview;
  /** The id of the escalated request this one extends: granted, it moves that grant's `until` and ends it `extended`. */
  readonly extends?: string;
  /** On a request ended `extended`: the id of the extension whose grant replaced its own. */
  readonly extendedBy?: string;
  /** On an extension of a break-glass grant (or of an extension of one): only approvers may approve it. */
  readonly fromBreakGlass?: true;
  /** ISO 8601, on an extension: when the grant it extends began (the start of the chain), for the flow's total maximum. */
  readonly grantedSince?: string;
  /**
   * HMAC-SHA-256 (base64), under the runtime's record key, of the fields that authorize a grant as stored (see
   * `canonicalRecord`). Every write of the runtime sets it; a record without a valid one is never acted on.
   */
  readonly mac?: string;
  /**
   * State changes not yet published as events, oldest first: written in the same conditional write as the change,
   * removed once the event is put. Kept outside the MAC: it grants nothing, and an event is only ever sent for a
   * record whose MAC verifies.
   */
  readonly unpublished?: readonly RequestTransition[];
  /**
   * When the minute sweep took on each of the request's reminders (ISO 8601): one that is here is never sent again.
   * Kept outside the MAC and the version, like `notification`: a reminder grants nothing, and taking one on is not a
   * change of the request.
   */
  readonly reminded?: Readonly<Partial<Record<ReminderKind, string>>>;
}

/** One state change of a request: to `state`, at `version`, by `actor` (who, and when, as its history says). */
export interface RequestTransition {
  readonly state: RequestState;
  readonly version: number;
  readonly actor: HistoryActor;
  /** ISO 8601. */
  readonly at: string;
}

/** A request as read for display: `tampered` when its MAC does not verify (it was not written by the runtime). */
export type ReadRequest = AccessRequest & { readonly tampered?: true };
