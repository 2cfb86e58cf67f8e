import { auditOutcomeOf, describeError, DescribedError, httpStatusOf, INPUT_LIMITS, InputLimitError, parseBoundedJson, quoteForMessage } from '../../errors';
import { RequestsManifest } from '../../manifest';
import { AccessRequest, Actor, RequestError, RequestService, RequestState } from '../../requests';
import { AuditSink } from '../audit';
import { parseActionObject, Validator } from '../events';
import { bodyBytes, FunctionUrlEvent, FunctionUrlResult, jsonResult } from './function-url-event';
import { IdentityCenterRoles } from './identity-center-roles';
import { decodeListCursor, encodeListCursor } from './list-cursor';
import { CallerIdentity } from './identity-proof';
import { callerEmail, functionAccountOf } from './principals';
import { REQUESTS_API_SCHEMAS } from './requests-api-schemas';
import * as compiled from './requests-api-validators.generated';

export type RequestsApiAction = keyof typeof REQUESTS_API_SCHEMAS;
const ACTIONS = Object.keys(REQUESTS_API_SCHEMAS) as RequestsApiAction[];
const VALIDATORS = compiled as unknown as Record<RequestsApiAction, Validator>;

type Body =
  | { action: 'request'; flow: string; target: string; duration?: string; reason?: string; breakGlass?: boolean }
  | { action: 'review'; requestId: string; note?: string }
  | { action: 'extend'; requestId: string; duration: string }
  | { action: 'approve' | 'cancel' | 'revoke' | 'get'; requestId: string }
  | { action: 'deny'; requestId: string; reason?: string }
  | { action: 'requests'; state?: RequestState; cursor?: string };

/** A request as the API shows it: everything stored but the store's version counter. */
function shown(request: AccessRequest): Omit<AccessRequest, 'version'> {
  const { version: _version, ...rest } = request;
  return rest;
}

/**
 * The requests API behind a function URL with `AWS_IAM` auth. The caller is the ARN STS vouches for in the call's
 * identity proof ({@link CallerIdentity}), never a field of the event (anyone allowed to invoke the function can write
 * its `requestContext`), mapped to an email by the runtime's principal rules; an unproven or unmapped caller gets 403.
 * Each call answers JSON with the status of its error code in the table of codes (400 bad input, 403 not allowed, 404
 * unknown request, 409 already decided or past its deadline, 503 when STS cannot be asked) and writes one audit line,
 * `rejected` for a 4xx and `failed` for a 5xx.
 */
export class RequestsApi {
  constructor(
    private readonly service: RequestService,
    private readonly settings: RequestsManifest,
    private readonly identity: CallerIdentity,
    private readonly audit: AuditSink,
    private readonly now: () => Date = () => new Date(),
    /** Per container: the API is made once per container, and so are its verdicts on roles. */
    private readonly identityCenter: IdentityCenterRoles = new IdentityCenterRoles(),
  ) {}

  /** `invokedFunctionArn` is the invocation context's: the function's own account and URL are read from it, never the event. */
  async handle(event: FunctionUrlEvent, invokedFunctionArn: string | undefined): Promise<FunctionUrlResult> {
    const rawBody = bodyBytes(event);
    const json = parseJson(rawBody.toString('utf8'));
    // Until the body is validated, its action is only named in the audit line when it is one of the API's.
    let action: RequestsApiAction | undefined = json !== undefined && 'value' in json ? actionOf(json) : undefined;
    let callerArn: string | undefined;
    let requestId: string | undefined;
    try {
      // A body past the limits is refused before anything else reads it, STS included.
      if (json !== undefined && 'refused' in json) throw json.refused;
      callerArn = await this.identity.verify({ event, rawBody, body: json?.value, invokedFunctionArn });
      const email = await callerEmail(this.settings.principals, callerArn, functionAccountOf(invokedFunctionArn), this.identityCenter);
      if (email === undefined) {
        throw new RequestError('unknown-caller', `caller ${callerArn} is not mapped to an email by the runtime's principal rules`);
      }
      const actor: Actor = { kind: 'iam', arn: callerArn, email };
      if (event.requestContext.http.method !== 'POST') {
        throw new RequestError('not-a-json-post', `expected a POST with a JSON body, got ${quoteForMessage(event.requestContext.http.method)}`);
      }
      if (json === undefined) throw new RequestError('not-a-json-post', 'body: expected a JSON object such as {"action":"get","requestId":"r-…"}');
      const body = parseActionObject<Body>(json.value, VALIDATORS, ACTIONS, 'body');
      action = body.action;
      requestId = 'requestId' in body ? body.requestId : undefined;
      const answer = await this.dispatch(actor, body);
      if ('request' in answer) requestId = answer.request.id;
      // A break-glass request is audited apart (its own metric filter and alarm): nobody but the requester approved it.
      const outcome = action === 'request' && 'request' in answer && answer.request.breakGlass === true ? 'break-glass' : 'success';
      this.log(action, outcome, callerArn, { requestId, state: 'request' in answer ? answer.request.state : undefined });
      return jsonResult(200, { ok: true, ...answer });
    } catch (error) {
      const described = describeError(error);
      this.log(action ?? 'invalid', auditOutcomeOf(described.code), callerArn, { requestId, error: described });
      return jsonResult(httpStatusOf(described.code), { ok: false, error: described });
    }
  }

  private async dispatch(
    actor: Actor,
    body: Body,
  ): Promise<{ request: ReturnType<typeof shown>; escalationError?: object } | { requests: ReturnType<typeof shown>[]; nextCursor?: string }> {
    const s = this.service;
    let outcome;
    switch (body.action) {
      case 'request':
        outcome = await s.request(actor, { flow: body.flow, target: body.target, duration: body.duration, reason: body.reason, breakGlass: body.breakGlass });
        break;
      case 'review':
        outcome = await s.review(actor, body.requestId, body.note);
        break;
      case 'extend':
        outcome = await s.extend(actor, body.requestId, body.duration);
        break;
      case 'approve':
        outcome = await s.approve(actor, body.requestId);
        break;
      case 'deny':
        outcome = await s.deny(actor, body.requestId, body.reason);
        break;
      case 'cancel':
        outcome = await s.cancel(actor, body.requestId);
        break;
      case 'revoke':
        outcome = await s.revoke(actor, body.requestId);
        break;
      case 'get':
        outcome = await s.get(actor, body.requestId);
        break;
      case 'requests': {
        const after = body.cursor === undefined ? undefined : decodeListCursor(body.cursor, 'body.cursor');
        const page = await s.list(actor, { ...(body.state === undefined ? {} : { state: body.state }), ...(after === undefined ? {} : { after }) });
        return { requests: page.requests.map(shown), ...(page.next === undefined ? {} : { nextCursor: encodeListCursor(page.next) }) };
      }
    }
    return { request: shown(outcome.request), ...(outcome.escalationError ? { escalationError: outcome.escalationError } : {}) };
  }

  private log(
    action: RequestsApiAction | 'invalid',
    outcome: 'success' | 'break-glass' | 'rejected' | 'failed',
    caller: string | undefined,
    fields: { requestId?: string; state?: string; error?: DescribedError },
  ): void {
    this.audit({
      type: 'symtail.audit',
      time: this.now().toISOString(),
      action,
      outcome,
      ...(caller === undefined ? {} : { caller }),
      ...(fields.requestId === undefined ? {} : { requestId: fields.requestId }),
      ...(fields.state === undefined ? {} : { state: fields.state }),
      ...(fields.error === undefined ? {} : { error: fields.error }),
    });
  }
}

/**
 * The body as JSON once it is known to be within {@link INPUT_LIMITS}: `{value}`, `{refused}` with the limit it
 * broke (400, named), or undefined when it is not JSON.
 */
function parseJson(text: string): { value: unknown } | { refused: InputLimitError } | undefined {
  try {
    return { value: parseBoundedJson(text, INPUT_LIMITS, 'body') };
  } catch (error) {
    if (error instanceof InputLimitError) return { refused: error };
    return undefined;
  }
}

function actionOf(json: { value: unknown } | undefined): RequestsApiAction | undefined {
  const action = (json?.value as { action?: unknown } | null | undefined)?.action;
  return ACTIONS.includes(action as RequestsApiAction) ? (action as RequestsApiAction) : undefined;
}
