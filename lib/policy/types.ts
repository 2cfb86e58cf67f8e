/** Add `member` to `group:<group>` until `until`, recording the grant in the policy file. */
export interface GrantRequest {
  /** Bare group name, without `group:`. */
  readonly group: string;
  readonly member: string;
  readonly until: Date;
  readonly requestId?: string;
  /** Create the group in `groups` when the policy file lacks it, and the `groups` section too when there is none. */
  readonly createGroup?: boolean;
}

export interface RevokeRequest {
  readonly group: string;
  readonly member: string;
  /** Remove only the grant whose annotation carries this request id; another request's grant stays. */
  readonly requestId?: string;
}

export interface SweepOptions {
  readonly now: Date;
  /** Groups the sweep may touch; all groups when absent. */
  readonly groups?: readonly string[];
  /** Groups whose unannotated (standing) members are removed too, and members whose annotation is malformed. */
  readonly exclusiveGroups?: readonly string[];
  /**
   * Per group, the longest a grant may last, in seconds. No grant written by a flow can end later than now plus this,
   * so an annotation that does (a hand-edited `until=9999-…`) is removed with its member, never honoured.
   */
  readonly longestSeconds?: Readonly<Record<string, number>>;
}

export type PolicyChangeKind = 'added' | 'extended' | 'removed' | 'unchanged' | 'standing' | 'group-created';

export interface PolicyChange {
  readonly kind: PolicyChangeKind;
  /** Bare group name. */
  readonly group: string;
  /** The member as the policy file writes it. */
  readonly member: string;
  readonly until?: string;
  readonly previousUntil?: string;
  readonly requestId?: string;
  /** Why a sweep removed a member before its expiry: its annotation ends past the group's longest grant, or (in an
   * exclusive group) it cannot be read. */
  readonly reason?: 'past-longest' | 'malformed-annotation';
}

export interface EditResult {
  /** The new policy file; the input itself when nothing changed. */
  readonly text: string;
  readonly changed: boolean;
  readonly changes: PolicyChange[];
  readonly warnings: string[];
}

/** A just-in-time member: one whose annotation records until when it may stay. */
export interface LedgerEntry {
  readonly group: string;
  readonly member: string;
  /** ISO 8601, whole seconds, `Z`. */
  readonly until: string;
  readonly requestId?: string;
}

/** A member without an annotation: there until someone removes them by hand. */
export interface StandingMember {
  readonly group: string;
  readonly member: string;
}

/**
 * Every member of every group, by state: `active` (expiry still ahead), `overdue` (expiry passed, still present —
 * a sweep that failed or never ran), `standing` (no annotation). Each list in file order.
 */
export interface LedgerListing {
  readonly active: LedgerEntry[];
  readonly overdue: LedgerEntry[];
  readonly standing: StandingMember[];
  readonly warnings: string[];
}
