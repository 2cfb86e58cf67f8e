import { AccessRequest, OpenState, RequestNotification, RequestState } from './model';
import { ReminderKind } from './reminders';

/** A place in a listing: the request a page ended with. The next page starts with the request after it. */
export interface ListPosition {
  readonly createdAt: string;
  readonly id: string;
}

/**
 * The order of every listing: newest first, and of requests created in the same millisecond the greater id first,
 * so that any request has one place, and a page can start after any position.
 */
export function newestFirst(a: ListPosition, b: ListPosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/**
 * Where requests live. Every write is one conditional write of one item, never a transaction: `create` only if
 * the id is new, `update` only if the item still has the version that was read, so of two writers acting on the
 * same read exactly one succeeds and the other re-reads ({@link StoreConflictError}).
 */
export interface RequestStore {
  /** Stores a new request at version 1; StoreConflictError if the id exists. */
  create(request: AccessRequest): Promise<AccessRequest>;
  /** The request as last written (a strongly consistent read), or undefined. */
  get(id: string): Promise<AccessRequest | undefined>;
  /** Replaces the request's state, approvals, history, times and unpublished changes if its stored version is still
   * `request.version`; returns it at the next version. StoreConflictError otherwise. The notification slot and the
   * reminders taken on are left as they are. */
  update(request: AccessRequest): Promise<AccessRequest>;
  /** Open requests in `state` whose deadline (pending, approved) or end (escalated) is at or before `dueBy`. */
  due(state: OpenState, dueBy: string): Promise<AccessRequest[]>;
  /**
   * Requests in the order of {@link newestFirst}, at most `limit`: only those in `state` when given, and only those
   * after `after` (where an earlier page ended) when given.
   */
  list(options: { readonly state?: RequestState; readonly after?: ListPosition; readonly limit: number }): Promise<AccessRequest[]>;
  /**
   * Forgets the request's unpublished state changes, once published, if it is still at `version` (a later write
   * carried them along, and its writer publishes them); false, writing nothing, otherwise.
   */
  published(id: string, version: number): Promise<boolean>;
  /** Requests with state changes not yet published. */
  unpublished(): Promise<AccessRequest[]>;
  /**
   * Records where a chat adapter posted the request: only if no message is recorded yet (`expected` absent), or if
   * the recorded one is `expected`. Returns false, writing nothing, when the condition does not hold.
   */
  setNotification(id: string, notification: RequestNotification, expected?: RequestNotification): Promise<boolean>;
  /**
   * Takes on the request's reminder of `kind` at `at`: only if nobody has (it is not recorded) and the request is
   * still at `version` (the one whose MAC was verified). The version stays as it is. False, writing nothing, otherwise:
   * of any number of sweeps at once, exactly one takes a reminder on.
   */
  claimReminder(id: string, kind: ReminderKind, version: number, at: string): Promise<boolean>;
  /** Gives back a reminder taken on at `at` that could not be sent, so the next sweep tries again; false if it is not. */
  releaseReminder(id: string, kind: ReminderKind, at: string): Promise<boolean>;
}
