import { RequestService } from '../../requests';
import { AccessEngine } from '../engine';
import { EventRoute } from '../lambda/create-handler';
import { RequestServiceParts, requestServices } from '../request-services';
import { isFunctionUrlEvent } from './function-url-event';
import { IdentityCenterRoles } from './identity-center-roles';
import { RequestsApi } from './requests-api';

export interface RequestsWiring {
  readonly service: RequestService;
  /** Function URL events, answered by the requests API. */
  readonly route: EventRoute;
}

/**
 * The requests service over an engine and the runtime's request parts, and the route that serves it through the
 * function URL. `identityCenter` confirms Identity Center callers' roles (IAM by default).
 */
export function wireRequests(engine: AccessEngine, parts: RequestServiceParts, identityCenter: IdentityCenterRoles = new IdentityCenterRoles()): RequestsWiring {
  const service = requestServices({ now: engine.now, ...parts })();
  const api = new RequestsApi(service, engine.manifest.requests, parts.audit, engine.now, identityCenter);
  return { service, route: { matches: isFunctionUrlEvent, handle: (event, context) => api.handle(event as never, context?.invokedFunctionArn) } };
}
