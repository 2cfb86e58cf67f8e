/**
 * The DynamoDB table of requests: what the constructs synthesize and the store adapter reads and writes.
 * One item per request, keyed by its id; the request itself is one JSON attribute, and the attributes the store
 * conditions on, indexes or expires by sit beside it.
 */
/** The environment variable that tells the runtime function its requests table. */
export const REQUESTS_TABLE_VARIABLE = 'SYMTAIL_REQUESTS_TABLE';
/** The environment variable that tells the runtime function the ARN of the KMS HMAC key its records are MAC'd with. */
export const RECORD_KEY_VARIABLE = 'SYMTAIL_RECORD_KEY';

/**
 * What the key of every item that is not a request carries (`proof#<hash>`, `sweep#last`): request ids cannot
 * (`REQUEST_ID_PATTERN`), so a scan for requests skips whatever has it.
 */
export const NOT_A_REQUEST_MARK = '#';

export const REQUESTS_TABLE = {
  /** Partition key (S): the request id. */
  key: 'id',
  /** (S) The request as JSON, without its version, chat message and MAC, which have attributes of their own. */
  document: 'doc',
  /** (N) Rises by one with every write; every update is conditioned on it. */
  version: 'version',
  /** (S) The request's state, beside the document so a scan can filter on it. */
  state: 'state',
  /** (M) Where a chat adapter posted the request: `channel` and `ts`. */
  notification: 'notification',
  /** (S) The record's MAC (base64), over the fields that authorize a grant at this version. */
  mac: 'mac',
  /** The index of open requests (pending, approved, escalated) by when the sweep next has work on them. */
  openIndex: 'open-by-due',
  /** Index partition key (S): the state while it is open; removed once the request is decided, so the index stays small. */
  openState: 'openState',
  /** Index sort key (S, ISO 8601): the deadline of a pending or approved request, the end of an escalated one. */
  due: 'due',
  /** (S) The request's state changes not yet published as events: a JSON array, oldest first; absent when none. */
  unpublished: 'unpublished',
  /** The index of requests with state changes not yet published, which the sweep publishes again. */
  eventsIndex: 'unpublished-events',
  /** Index partition key (S): {@link eventsPendingValue} while the request has unpublished changes, else absent. */
  eventsPending: 'eventsPending',
  eventsPendingValue: 'yes',
  /**
   * (S, ISO 8601) When the minute sweep took on a reminder of the request, one attribute a kind; while it is there,
   * that reminder is not sent again. Outside the document and the MAC: it grants nothing.
   */
  reminded: { expiry: 'remindedExpiry', nudge: 'remindedNudge' },
  /** TTL attribute (N, epoch seconds): set once a request is closed, so closed requests are kept for the retention. */
  ttl: 'expiresAt',
  /** Days a closed request is kept before DynamoDB removes it. */
  retentionDays: 400,
} as const;
