import { RequestService } from '../../requests';
import { AccessEngine } from '../engine';
import { EventRoute } from '../lambda/create-handler';
import { RequestServiceParts, requestServices } from '../request-services';
import { isFunctionUrlEvent } from './function-url-event';
import { IdentityCenterRoles } from './identity-center-roles';
import { CallerIdentity } from './identity-proof';
import { RequestsApi } from './requests-api';

export interface RequestsWiringOptions extends RequestServiceParts {
  readonly engine: AccessEngine;
  /** Who is calling: in the Lambda, the ARN STS answers for the call's identity proof. */
  readonly identity: CallerIdentity;
  /** Confirms Identity Center callers' roles by their IAM path. Default: IAM, through the AWS SDK; one per container. */
  readonly identityCenter?: IdentityCenterRoles;
}

export interface RequestsWiring {
  readonly service: RequestService;
  /** Function URL events, answered by the requests API. */
  readonly route: EventRoute;
}

/**
 * The requests service over an engine and the runtime's request parts, and the route that serves it through the
 * function URL.
 */
export function wireRequests({ engine, identity, identityCenter = new IdentityCenterRoles(), ...parts }: RequestsWiringOptions): RequestsWiring {
  const service = requestServices({ now: engine.now, ...parts })();
  const api = new RequestsApi(service, engine.manifest.requests, identity, parts.audit, engine.now, identityCenter);
  return { service, route: { matches: isFunctionUrlEvent, handle: (event, context) => api.handle(event as never, context?.invokedFunctionArn) } };
}
