import { RequestAccess, RequestNotifier, RequestService, RequestStore } from '../../requests';
import { AuditSink, notificationFailureAudit } from '../audit';
import { AccessEngine } from '../engine';
import { EventRoute } from '../lambda/create-handler';
import { EngineRequestAccess } from '../request-access';
import { isFunctionUrlEvent } from './function-url-event';
import { CallerIdentity } from './identity-proof';
import { RequestsApi } from './requests-api';

export interface RequestsWiringOptions {
  readonly engine: AccessEngine;
  readonly store: RequestStore;
  /** Who is calling: in the Lambda, the ARN STS answers for the call's identity proof. */
  readonly identity: CallerIdentity;
  readonly audit: AuditSink;
  readonly notifier?: RequestNotifier;
  /** Default: the engine's checks and grants. */
  readonly access?: RequestAccess;
}

export interface RequestsWiring {
  readonly service: RequestService;
  /** Function URL events, answered by the requests API. */
  readonly route: EventRoute;
}

/** The requests service over an engine and a store, and the route that serves it through the function URL. */
export function wireRequests({ engine, store, identity, audit, notifier, access = new EngineRequestAccess(engine) }: RequestsWiringOptions): RequestsWiring {
  const service = new RequestService({
    store,
    access,
    now: engine.now,
    ...(notifier === undefined ? {} : { notifier }),
    onNotifyFailure: notificationFailureAudit(audit, engine.now, 'request'),
  });
  const api = new RequestsApi(service, engine.manifest.requests, identity, audit, engine.now);
  return { service, route: { matches: isFunctionUrlEvent, handle: (event, context) => api.handle(event as never, context?.invokedFunctionArn) } };
}
