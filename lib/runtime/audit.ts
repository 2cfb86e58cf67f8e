import type { ReminderSweepOptions } from '../requests';
import type { RequestsApiAction } from './function-url/requests-api';
import { DescribedError } from '../errors';
import { describeError } from './errors';

/** One line of the audit trail: what was asked, by whom, what changed, and the policy versions around it. */
export interface AuditEvent {
  readonly type: 'symtail.audit';
  readonly time: string;
  /**
   * `invalid` marks an event whose action could not be read. `check` (symtail doctor) is `failed` when a line of its
   * checklist failed, `warning` when one warns; `sweep-record` is `failed` when a sweep could not note itself;
   * `events` is `failed` when state changes could not be put on the event bus (the sweep sends them again);
   * `reminder` is `success` for a reminder sent, `failed` for one that could not be (sent again next minute).
   */
  readonly action:
    | 'escalate'
    | 'deescalate'
    | 'sweep'
    | 'status'
    | 'check'
    | 'slack'
    | 'credential-check'
    | 'record-check'
    | 'sweep-record'
    | 'events'
    | 'reminder'
    | RequestsApiAction
    | 'invalid';
  /** `success`: the file now says what was asked; `noop`: it already did; `rejected`: refused before any
   * API call; `failed`: the API or the credential failed; `warning` (credential-check): the API key expires soon;
   * `tampered` (record-check): a stored request's MAC did not verify, so it was failed and not acted on;
   * `not-set` (credential-check): the integration's secret has no value yet, so its tailnet was not swept;
   * `break-glass` (request): an emergency request its requester approved themself was made. */
  readonly outcome: 'success' | 'noop' | 'rejected' | 'failed' | 'warning' | 'tampered' | 'not-set' | 'break-glass';
  readonly dryRun?: boolean;
  readonly flow?: string;
  readonly target?: string;
  readonly tailnet?: string;
  /** The integration a credential-check is of. */
  readonly integration?: string;
  /** credential-check: when the integration's API key expires, and the whole days left (negative once past). */
  readonly expires?: string;
  readonly daysLeft?: number;
  readonly group?: string;
  readonly requester?: string;
  /** For a Slack request: what it was and who sent it, `submission by T…/U…`. */
  readonly slack?: string;
  /** The authenticated caller of the requests API: its IAM ARN, or its Slack team and user. */
  readonly caller?: string;
  /** The request's state after the action. */
  readonly state?: string;
  readonly login?: string;
  readonly until?: string;
  readonly reason?: string;
  readonly requestId?: string;
  /** Which reminder: `expiry` (the requester's, before the grant ends) or `nudge` (the approvers'). */
  readonly reminder?: 'expiry' | 'nudge';
  readonly etagBefore?: string;
  readonly etagAfter?: string;
  /** Escalate, deescalate and sweep: requests to the tailnet's policy-file API the write took (reads, writes, retries). */
  readonly roundTrips?: number;
  /** Escalate and deescalate: true when written on the text kept from the last read or write, with no read first. */
  readonly cached?: boolean;
  readonly changes?: readonly unknown[];
  readonly warnings?: readonly string[];
  readonly error?: DescribedError;
}

export type AuditSink = (event: AuditEvent) => void;

/** Writes each event as one JSON line on stdout, which Lambda ships to CloudWatch Logs. */
export const stdoutAuditSink: AuditSink = (event) => {
  process.stdout.write(JSON.stringify(event) + '\n');
};

/**
 * The audit line of a request notification (a Slack message) that could not be sent: the request's transition
 * itself stood, so this is reported and the action goes on.
 */
export function notificationFailureAudit(audit: AuditSink, now: () => Date, action: 'request' | 'slack') {
  return (request: { readonly id: string; readonly state: string }, error: unknown): void =>
    audit({
      type: 'symtail.audit',
      time: now().toISOString(),
      action,
      outcome: 'failed',
      requestId: request.id,
      state: request.state,
      error: { code: 'notification-failed', message: describeError(error).message },
    });
}

/**
 * The audit line of state changes of a request that could not be put on the event bus: the changes stood and stay
 * recorded on the request, and the minute sweep puts them again.
 */
export function eventsFailureAudit(audit: AuditSink, now: () => Date) {
  return (request: { readonly id: string; readonly state: string }, error: unknown): void =>
    audit({
      type: 'symtail.audit',
      time: now().toISOString(),
      action: 'events',
      outcome: 'failed',
      requestId: request.id,
      state: request.state,
      error: describeError(error),
    });
}

/**
 * The audit line of a request record the requests service refused and failed before acting on it: outcome
 * `tampered` when its MAC did not verify (the constructs' metric filter `{ $.outcome = "tampered" }` counts these
 * for an alarm), `rejected` when its approvals no longer satisfied the flow's rules at the grant.
 */
export function recordRefusalAudit(audit: AuditSink, now: () => Date) {
  return (request: { readonly id: string; readonly state: string }, error: DescribedError): void =>
    audit({
      type: 'symtail.audit',
      time: now().toISOString(),
      action: 'record-check',
      outcome: error.code === 'tampered' ? 'tampered' : 'rejected',
      requestId: request.id,
      state: request.state,
      error: { code: error.code, message: error.message },
    });
}

/**
 * The audit lines of the minute sweep's reminders: `success` for each one sent, `failed` for each that could not be
 * (Slack down, the requester not in Slack), which the next sweep tries again until its moment has passed.
 */
export function reminderAudits(audit: AuditSink, now: () => Date): Required<Pick<ReminderSweepOptions, 'onSent' | 'onFailed'>> {
  return {
    onSent: (request, kind) =>
      audit({
        type: 'symtail.audit',
        time: now().toISOString(),
        action: 'reminder',
        outcome: 'success',
        requestId: request.id,
        state: request.state,
        reminder: kind,
      }),
    onFailed: ({ requestId, kind, code, message }) =>
      audit({
        type: 'symtail.audit',
        time: now().toISOString(),
        action: 'reminder',
        outcome: 'failed',
        ...(requestId !== undefined && { requestId }),
        ...(kind !== undefined && { reminder: kind }),
        error: { code, message },
      }),
  };
}
