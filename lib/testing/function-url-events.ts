/** The account the function runs in, in the events below unless told otherwise. */
export const FUNCTION_ACCOUNT = '111122223333';
/** The ARN Lambda passes as `context.invokedFunctionArn`: a function in `FUNCTION_ACCOUNT`. */
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${FUNCTION_ACCOUNT}:function:symtail-main-runtime`;

/** An IAM Identity Center session ARN of `email` in `account`, with permission set `permissionSet`. */
export function identityCenterArn(email: string, account = FUNCTION_ACCOUNT, permissionSet = 'Engineers'): string {
  return `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${permissionSet}_0123456789abcdef/${email}`;
}

/**
 * A Lambda function URL event (payload format 2.0) as Lambda builds it for a `POST` to a URL with `AWS_IAM` auth
 * whose caller IAM authenticated as `callerArn`; `body` is sent as JSON (base64-encoded when asked, as function URLs
 * do for bodies they do not take for text).
 */
export function functionUrlEvent(callerArn: string, body: unknown, options: { accountId?: string; base64?: boolean; method?: string } = {}): object {
  const json = JSON.stringify(body);
  const account = callerArn.split(':')[4];
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: options.accountId ?? FUNCTION_ACCOUNT,
      apiId: 'example-url-id',
      authorizer: { iam: { accessKey: 'ASIAEXAMPLE', accountId: account, callerId: 'AROAEXAMPLE', userArn: callerArn, userId: 'AROAEXAMPLE' } },
      domainName: 'example-url-id.lambda-url.us-east-1.on.aws',
      http: { method: options.method ?? 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'symtail' },
      requestId: 'example-request',
      routeKey: '$default',
      stage: '$default',
      time: '29/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    body: options.base64 ? Buffer.from(json).toString('base64') : json,
    isBase64Encoded: options.base64 === true,
  };
}
