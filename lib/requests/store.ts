import { AccessRequest, OpenState, RequestNotification, RequestState } from './model';

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
   * `request.version`; returns it at the next version. StoreConflictError otherwise. The notification slot is left as
   * it is. */
  update(request: AccessRequest): Promise<AccessRequest>;
  /** Open requests in `state` whose deadline (pending, approved) or end (escalated) is at or before `dueBy`. */
  due(state: OpenState, dueBy: string): Promise<AccessRequest[]>;
  /**
   * Requests in the order of {@link newestFirst}, at most `limit`: only those in `state` when given, and only those
   * after `after` (where an earlier page ended) when given.
   */
  list(options: { readonly state?: RequestState; readonly after?: ListPosition; readonly limit: number }): Promise<AccessRequest[]>;
  /**
   * Records where a chat adapter posted the request: only if no message is recorded yet (`expected` absent), or if
   * the recorded one is `expected`. Returns false, writing nothing, when the condition does not hold.
   */
  /**
   * Forgets the request's unpublished state changes, once published, if it is still at `version` (a later write
   * carried them along, and its writer publishes them); false, writing nothing, otherwise.
   */
  published(id: string, version: number): Promise<boolean>;
  /** Requests with state changes not yet published. */
  unpublished(): Promise<AccessRequest[]>;
  setNotification(id: string, notification: RequestNotification, expected?: RequestNotification): Promise<boolean>;
}
