import { RequestAccess, RequestNotifier, RequestService, RequestStore } from '../../requests';
import { AuditSink, notificationFailureAudit } from '../audit';
import { AccessEngine } from '../engine';
import { EventRoute } from '../lambda/create-handler';
import { EngineRequestAccess } from '../request-access';
import { isFunctionUrlEvent } from './function-url-event';
import { IdentityCenterRoles } from './identity-center-roles';
import { RequestsApi } from './requests-api';

export interface RequestsWiring {
  readonly service: RequestService;
  /** Function URL events, answered by the requests API. */
  readonly route: EventRoute;
}

/** The requests service over an engine and a store, and the route that serves it through the function URL. */
export function wireRequests(
  engine: AccessEngine,
  store: RequestStore,
  audit: AuditSink,
  notifier?: RequestNotifier,
  access: RequestAccess = new EngineRequestAccess(engine),
  identityCenter: IdentityCenterRoles = new IdentityCenterRoles(),
): RequestsWiring {
  const service = new RequestService({
    store,
    access,
    now: engine.now,
    ...(notifier === undefined ? {} : { notifier }),
    onNotifyFailure: notificationFailureAudit(audit, engine.now, 'request'),
  });
  const api = new RequestsApi(service, engine.manifest.requests, audit, engine.now, identityCenter);
  return { service, route: { matches: isFunctionUrlEvent, handle: (event, context) => api.handle(event as never, context?.invokedFunctionArn) } };
}
