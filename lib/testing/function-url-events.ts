import { SignatureV4 } from '@smithy/signature-v4';
import { IDENTITY_PROOF_HEADER, Sha256, signIdentityProof, withProofFields } from '../requests';
import { StandInCredential } from './aws-credentials';

/** The account the function runs in, in the events below unless told otherwise. */
export const FUNCTION_ACCOUNT = '111122223333';
/** The ARN Lambda passes as `context.invokedFunctionArn`: a function in `FUNCTION_ACCOUNT`. */
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${FUNCTION_ACCOUNT}:function:symtail-main-runtime`;
/** The function's name in `FUNCTION_ARN`, which `GetFunctionUrlConfig` is asked about. */
export const FUNCTION_NAME = 'symtail-main-runtime';
/** A function URL for `FUNCTION_ARN`, as Lambda would have made it. */
export const FUNCTION_URL = 'https://example-url-id.lambda-url.us-east-1.on.aws/';

/** An IAM Identity Center session ARN of `email` in `account`, with permission set `permissionSet`. */
export function identityCenterArn(email: string, account = FUNCTION_ACCOUNT, permissionSet = 'Engineers'): string {
  return `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${permissionSet}_0123456789abcdef/${email}`;
}

export interface FunctionUrlEventOptions {
  readonly accountId?: string;
  /** Send the body base64-encoded, as function URLs do for bodies they do not take for text. */
  readonly base64?: boolean;
  readonly method?: string;
  /** Headers beside `content-type`, names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body's text as it is, instead of `body` as JSON. */
  readonly rawBody?: string;
}

/**
 * A Lambda function URL event (payload format 2.0) as Lambda builds it for a `POST` to a URL with `AWS_IAM` auth
 * whose caller IAM authenticated as `callerArn` (no `authorizer` when undefined: an event nobody authenticated); `body`
 * is sent as JSON (base64-encoded when asked, as function URLs do for bodies they do not take for text). Such an event
 * proves nothing by itself: see {@link provenFunctionUrlEvent}.
 */
export function functionUrlEvent(callerArn: string | undefined, body: unknown, options: FunctionUrlEventOptions = {}): object {
  const text = options.rawBody ?? JSON.stringify(body);
  const account = callerArn?.split(':')[4];
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      accountId: options.accountId ?? FUNCTION_ACCOUNT,
      apiId: 'example-url-id',
      ...(callerArn === undefined
        ? {}
        : { authorizer: { iam: { accessKey: 'ASIAEXAMPLE', accountId: account, callerId: 'AROAEXAMPLE', userArn: callerArn, userId: 'AROAEXAMPLE' } } }),
      domainName: 'example-url-id.lambda-url.us-east-1.on.aws',
      http: { method: options.method ?? 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'symtail' },
      requestId: 'example-request',
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    body: options.base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: options.base64 === true,
  };
}

export interface ProofOptions {
  /** The STS endpoint the proof is for (an STS stand-in's URL). */
  readonly sts: string;
  /** The function URL the call goes to, whose host is the proof's audience. Default: `FUNCTION_URL`. */
  readonly functionUrl?: string;
  /** When the proof is signed. Default: now. */
  readonly at?: Date;
  /** The region it is signed for. Default: us-east-1. */
  readonly region?: string;
}

/** The `x-symtail-identity` header `credential` makes for a call whose body is `callBody`, as the CLI makes it. */
export function identityProof(credential: StandInCredential, callBody: string, options: ProofOptions): Promise<string> {
  const signer = new SignatureV4({ credentials: credential, region: options.region ?? 'us-east-1', service: 'sts', sha256: Sha256 });
  return signIdentityProof(signer, new URL(options.sts), callBody, options.at);
}

/**
 * A function URL event carrying a real identity proof, as the CLI's call arrives: `body` gains a fresh `nonce` and the
 * `audience`, and `credential` signs a GetCallerIdentity request bound to that body for the STS at `options.sts`.
 * The envelope names `credential.arn`, as Lambda would; `envelopeArn` overrides it (undefined: no authorizer).
 */
export async function provenFunctionUrlEvent(
  credential: StandInCredential,
  body: Readonly<Record<string, unknown>>,
  options: ProofOptions & Omit<FunctionUrlEventOptions, 'rawBody'> & { readonly envelopeArn?: string | undefined },
): Promise<object> {
  const text = withProofFields(body, new URL(options.functionUrl ?? FUNCTION_URL).host);
  const proof = await identityProof(credential, text, options);
  const envelope = 'envelopeArn' in options ? options.envelopeArn : credential.arn;
  return functionUrlEvent(envelope, undefined, { ...options, rawBody: text, headers: { ...options.headers, [IDENTITY_PROOF_HEADER]: proof } });
}
