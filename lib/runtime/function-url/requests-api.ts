import { describeError, INPUT_LIMITS, InputLimitError, parseBoundedJson, SymtailError } from '../../errors';
import { RequestsManifest } from '../../manifest';
import { AccessRequest, Actor, RequestError, RequestService, RequestState } from '../../requests';
import { AuditSink } from '../audit';
import { parseActionObject, Validator } from '../events';
import { bodyText, FunctionUrlEvent, FunctionUrlResult, jsonResult } from './function-url-event';
import { callerEmail, functionAccountOf } from './principals';
import { REQUESTS_API_SCHEMAS } from './requests-api-schemas';
import * as compiled from './requests-api-validators.generated';

export type RequestsApiAction = keyof typeof REQUESTS_API_SCHEMAS;
const ACTIONS = Object.keys(REQUESTS_API_SCHEMAS) as RequestsApiAction[];
const VALIDATORS = compiled as unknown as Record<RequestsApiAction, Validator>;

type Body =
  | { action: 'request'; flow: string; target: string; duration?: string; reason?: string }
  | { action: 'approve' | 'cancel' | 'revoke' | 'get'; requestId: string }
  | { action: 'deny'; requestId: string; reason?: string }
  | { action: 'requests'; state?: RequestState };

/** Refusals raised below the requests core, by code: the engine's checks of a new request. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  'invalid-event': 400,
  'invalid-request': 400,
  'input-too-large': 400,
  'input-too-deep': 400,
  'unknown-flow': 400,
  'unknown-target': 400,
  denied: 403,
};

/** A request as the API shows it: everything stored but the store's version counter. */
function shown(request: AccessRequest): Omit<AccessRequest, 'version'> {
  const { version: _version, ...rest } = request;
  return rest;
}

/**
 * The requests API behind a function URL with `AWS_IAM` auth. The caller is the ARN Lambda authenticated, never a
 * field of the body, mapped to an email by the runtime's principal rules; an unmapped caller gets 403. Each call
 * answers JSON with the status DESIGN names (400 bad input, 403 not allowed, 404 unknown request, 409 already decided
 * or past its deadline) and writes one audit line.
 */
export class RequestsApi {
  constructor(
    private readonly service: RequestService,
    private readonly settings: RequestsManifest,
    private readonly audit: AuditSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `invokedFunctionArn` is the invocation context's: the function's own account is read from it, never the event. */
  async handle(event: FunctionUrlEvent, invokedFunctionArn: string | undefined): Promise<FunctionUrlResult> {
    const callerArn = event.requestContext.authorizer?.iam?.userArn;
    let action: RequestsApiAction | undefined;
    let requestId: string | undefined;
    try {
      if (callerArn === undefined) {
        throw new RequestError('unknown-caller', 'the call carries no IAM caller: the function URL must use AWS_IAM auth');
      }
      const email = callerEmail(this.settings.principals, callerArn, functionAccountOf(invokedFunctionArn));
      if (email === undefined) {
        throw new RequestError('unknown-caller', `caller ${callerArn} is not mapped to an email by the runtime's principal rules`);
      }
      const actor: Actor = { kind: 'iam', arn: callerArn, email };
      if (event.requestContext.http.method !== 'POST') {
        throw new RequestError('invalid-request', `expected a POST with a JSON body, got ${event.requestContext.http.method}`);
      }
      const body = parseActionObject<Body>(parseJson(bodyText(event)), VALIDATORS, ACTIONS, 'body');
      action = body.action;
      requestId = 'requestId' in body ? body.requestId : undefined;
      const answer = await this.dispatch(actor, body);
      if ('request' in answer) requestId = answer.request.id;
      this.log(action, 'success', callerArn, { requestId, state: 'request' in answer ? answer.request.state : undefined });
      return jsonResult(200, { ok: true, ...answer });
    } catch (error) {
      const described = describeError(error);
      const status = statusOf(error);
      this.log(action ?? 'invalid', status >= 500 ? 'failed' : 'rejected', callerArn, { requestId, error: described });
      return jsonResult(status, { ok: false, error: described });
    }
  }

  private async dispatch(actor: Actor, body: Body): Promise<{ request: ReturnType<typeof shown>; escalationError?: object } | { requests: ReturnType<typeof shown>[] }> {
    const s = this.service;
    let outcome;
    switch (body.action) {
      case 'request':
        outcome = await s.request(actor, { flow: body.flow, target: body.target, duration: body.duration, reason: body.reason });
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
      case 'requests':
        return { requests: (await s.list(actor, body.state === undefined ? {} : { state: body.state })).map(shown) };
    }
    return { request: shown(outcome.request), ...(outcome.escalationError ? { escalationError: outcome.escalationError } : {}) };
  }

  private log(
    action: RequestsApiAction | 'invalid',
    outcome: 'success' | 'rejected' | 'failed',
    caller: string | undefined,
    fields: { requestId?: string; state?: string; error?: { code: string; message: string } },
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

/** The body as JSON, once it is known to be within {@link INPUT_LIMITS} (refused with 400 naming the limit otherwise). */
function parseJson(text: string): unknown {
  try {
    return parseBoundedJson(text, INPUT_LIMITS, 'body');
  } catch (error) {
    if (error instanceof InputLimitError) throw error;
    throw new RequestError('invalid-request', 'body: expected a JSON object such as {"action":"get","requestId":"r-…"}');
  }
}

function statusOf(error: unknown): number {
  if (error instanceof RequestError) return error.httpStatus;
  if (error instanceof SymtailError) return STATUS_OF_CODE[error.code] ?? 502;
  return 500;
}
