import { OnCallDirectory, RecordSeal, RequestAccess, RequestEvents, RequestNotifier, RequestService, RequestStore } from '../requests';
import { AuditSink, eventsFailureAudit, notificationFailureAudit, recordRefusalAudit } from './audit';

/** What every requests service of a runtime shares. */
export interface RequestServiceParts {
  readonly store: RequestStore;
  readonly access: RequestAccess;
  /** Seals every record written and verifies every record read (the runtime's KMS key). */
  readonly seal: RecordSeal;
  readonly audit: AuditSink;
  readonly now?: () => Date;
  /** Tells a chat channel as requests move. Default: nobody. */
  readonly notifier?: RequestNotifier;
  /** Where every state change of a request is published (the runtime's EventBridge bus). Default: nowhere. */
  readonly events?: RequestEvents;
  /** Who is on call, for flows with an on-call rule (PagerDuty). Default: none (their requests wait for people). */
  readonly onCall?: OnCallDirectory;
}

/**
 * Makes a requests service over the runtime's parts. `newRequestId` ties a request to what made it (a Slack
 * submission); `channel` is what a failed notification is audited as.
 */
export type RequestServices = (options?: { readonly newRequestId?: () => string; readonly channel?: 'request' | 'slack' }) => RequestService;

/**
 * The one place the runtime makes requests services: every one seals with the same key, audits refused records
 * and failed notifications the same way, and tells the same notifier.
 */
export function requestServices(parts: RequestServiceParts): RequestServices {
  const now = parts.now ?? (() => new Date());
  const onRecordRefused = recordRefusalAudit(parts.audit, now);
  const onEventsFailure = eventsFailureAudit(parts.audit, now);
  return ({ newRequestId, channel = 'request' } = {}) =>
    new RequestService({
      store: parts.store,
      access: parts.access,
      seal: parts.seal,
      now,
      ...(parts.notifier !== undefined && { notifier: parts.notifier }),
      ...(parts.events !== undefined && { events: parts.events, onEventsFailure }),
      ...(parts.onCall !== undefined && { onCall: parts.onCall }),
      ...(newRequestId !== undefined && { newRequestId }),
      onNotifyFailure: notificationFailureAudit(parts.audit, now, channel),
      onRecordRefused,
    });
}
