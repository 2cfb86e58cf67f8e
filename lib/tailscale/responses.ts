import { parseRetryAfter } from './backoff';
import { TailscaleApiError, TailscaleErrorCode } from './errors';
import { ApiResponse, RequestContext } from './transport';

/** The `{message, data}` an API error body carries, when it is JSON. */
export function apiErrorBody(text: string): { message?: string; data?: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const { message, data } = body as { message?: unknown; data?: unknown };
  return { message: typeof message === 'string' ? message : undefined, data };
}

function classify(status: number, scope: string | undefined): { code: TailscaleErrorCode; explanation: string } {
  switch (status) {
    case 400:
      return { code: 'policy-refused', explanation: 'the server refused the request' };
    case 401:
      return { code: 'credential-refused', explanation: 'the credential was refused' };
    case 403:
      return {
        code: 'forbidden',
        explanation:
          scope === undefined
            ? 'the credential is not allowed to do this (reading needs policy_file:read, writing policy_file)'
            : `the credential is not allowed to do this (it needs the ${scope} scope)`,
      };
    case 404:
      return { code: 'not-found', explanation: 'unknown tailnet or endpoint' };
    case 412:
      return { code: 'precondition-failed', explanation: 'the policy file changed since it was read' };
    case 429:
      return { code: 'rate-limited', explanation: 'rate limited' };
    default:
      return status >= 500 ? { code: 'server-error', explanation: 'server error' } : { code: 'unexpected-status', explanation: 'unexpected status' };
  }
}

/** The error a non-2xx response stands for; carries the server's message and `data` (failing `tests` entries). */
export function errorForStatus(response: ApiResponse, context: RequestContext, nowMs: number): TailscaleApiError {
  const { code, explanation } = classify(response.status, context.scope);
  // A refusal of the credential says nothing the status does not, and it is where a server echoes what it was sent.
  const { message, data } = code === 'credential-refused' || code === 'forbidden' ? {} : apiErrorBody(response.text);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], nowMs);
  return new TailscaleApiError(
    {
      code,
      operation: context.operation,
      tailnet: context.tailnet,
      status: response.status,
      apiMessage: message,
      data,
      retryAfterMs,
      detail: `${explanation} (HTTP ${response.status}${message ? `: ${message}` : ''})`,
    },
    context.secrets(),
  );
}
