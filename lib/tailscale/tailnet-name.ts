import { TailscaleApiError } from './errors';

// `-` is the credential's default tailnet; names are domains, `user@gmail.com`-style or organisation ids.
const TAILNET_NAME = /^(-|[A-Za-z0-9](?:[A-Za-z0-9._@+-]{0,252}))$/;

/**
 * The tailnet as a path segment of `/api/v2/tailnet/{tailnet}/...`; throws on anything else. The refusal quotes
 * the value with `secrets` redacted: a credential passed in the wrong argument must not end up in a log.
 */
export function tailnetPathSegment(tailnet: unknown, operation: string, secrets: readonly string[] = []): string {
  if (typeof tailnet !== 'string' || !TAILNET_NAME.test(tailnet)) {
    throw new TailscaleApiError(
      {
        code: 'invalid-argument',
        operation,
        detail: `tailnet: expected "-" or a tailnet name (letters, digits, ".", "_", "@", "+", "-"), got ${describe(tailnet)}`,
      },
      secrets,
    );
  }
  return encodeURIComponent(tailnet);
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return value.length > 80 ? `a ${value.length}-character string` : JSON.stringify(value);
}
