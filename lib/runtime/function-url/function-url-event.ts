/**
 * The part of a Lambda function URL event (payload format 2.0) the requests API reads. Its shape does not prove it
 * came through the function URL: anyone allowed unconditioned `lambda:InvokeFunction` can send one directly.
 */
export interface FunctionUrlEvent {
  readonly version: '2.0';
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

/** The request body as text; function URLs base64-encode bodies they do not take for text. */
export function bodyText(event: FunctionUrlEvent): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** A JSON answer. */
export function jsonResult(statusCode: number, value: unknown): FunctionUrlResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
