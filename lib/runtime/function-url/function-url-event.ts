/**
 * The part of a Lambda function URL event (payload format 2.0) the requests API reads. Its shape does not prove it
 * came through the function URL: anyone allowed unconditioned `lambda:InvokeFunction` can send one directly.
 */
export interface FunctionUrlEvent {
  readonly version: '2.0';
  /** The request's headers, names in lower case (as function URLs pass them). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext: {
    readonly http: { readonly method: string };
    /** Set by Lambda for `AWS_IAM` auth: the caller as IAM authenticated it. */
    readonly authorizer?: { readonly iam?: { readonly userArn?: string } };
  };
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** What a function URL sends back to its caller. */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Whether a Lambda event came through a function URL rather than a direct invocation. */
export function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  const e = event as Partial<FunctionUrlEvent> | null;
  return typeof e === 'object' && e !== null && e.version === '2.0' && typeof e.requestContext?.http?.method === 'string';
}

/** The request body's bytes as the caller sent them; function URLs base64-encode bodies they do not take for text. */
export function bodyBytes(event: FunctionUrlEvent): Buffer {
  const body = event.body ?? '';
  return Buffer.from(body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** A JSON answer. */
export function jsonResult(statusCode: number, value: unknown): FunctionUrlResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
