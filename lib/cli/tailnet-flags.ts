import { API_ORIGIN_EXPECTED, API_ORIGIN_PATTERN } from '../manifest';
import { TailscaleClient, TailscaleCredential } from '../tailscale';
import { TailnetAccess } from '../runtime';
import { UsageError } from './errors';
import { flag, TAILNET } from './flags';
import { CliIo } from './io';
import { durationFlag } from './time';

/** Flags every live command shares. */
export const TAILNET_FLAGS = {
  tailnet: flag.string({ value: 'T', help: "the tailnet name, or - for the credential's default tailnet", required: true, accepts: TAILNET }),
  'api-url': flag.string({ value: 'U', help: 'the API origin (default https://api.tailscale.com)' }),
  timeout: flag.string({ value: 'D', help: 'give up after this long, retries included (default 25s)' }),
};

export const CREDENTIAL_NOTE = `The credential comes from TAILSCALE_API_KEY, or from TAILSCALE_OAUTH_CLIENT_ID and
TAILSCALE_OAUTH_CLIENT_SECRET (an OAuth client with the policy_file scope).`;

/** The credential from the environment: an API key, or an OAuth client; exactly one of the two. */
export function credentialFromEnv(env: CliIo['env']): TailscaleCredential {
  const apiKey = env.TAILSCALE_API_KEY;
  const clientId = env.TAILSCALE_OAUTH_CLIENT_ID;
  const clientSecret = env.TAILSCALE_OAUTH_CLIENT_SECRET;
  const hasOAuth = clientId !== undefined || clientSecret !== undefined;
  if (apiKey !== undefined && hasOAuth) {
    throw new UsageError('set either TAILSCALE_API_KEY or TAILSCALE_OAUTH_CLIENT_ID/TAILSCALE_OAUTH_CLIENT_SECRET, not both');
  }
  if (apiKey !== undefined) {
    if (apiKey.trim() === '') throw new UsageError('TAILSCALE_API_KEY: expected an API key, got an empty value');
    return { kind: 'apiKey', apiKey: apiKey.trim() };
  }
  if (hasOAuth) {
    if (!clientId?.trim() || !clientSecret?.trim()) {
      throw new UsageError('TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET: expected both to be set and non-empty');
    }
    return { kind: 'oauthClient', clientId: clientId.trim(), clientSecret: clientSecret.trim() };
  }
  throw new UsageError('expected a credential: set TAILSCALE_API_KEY, or TAILSCALE_OAUTH_CLIENT_ID and TAILSCALE_OAUTH_CLIENT_SECRET');
}

/** `--api-url`: the same origin rule the manifest applies, so the CLI and the Lambda accept the same URLs. */
function apiUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!new RegExp(API_ORIGIN_PATTERN).test(value)) {
    // Not echoed: a refused URL may carry a credential.
    throw new UsageError(`--api-url: expected ${API_ORIGIN_EXPECTED}`);
  }
  return value;
}

/** `--timeout`: the budget of the whole operation, retries included. */
function deadlineMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = durationFlag(value, '--timeout');
  if (seconds > 600) throw new UsageError(`--timeout: expected at most 10m, got ${JSON.stringify(value)}`);
  return seconds * 1000;
}

/** The access object for `--tailnet` at `--api-url`, with the environment's credential. */
export function tailnetAccess(flags: { tailnet: string; 'api-url'?: string; timeout?: string }, io: CliIo): TailnetAccess {
  const tailnet = flags.tailnet;
  const base = apiUrl(flags['api-url']);
  const deadline = deadlineMs(flags.timeout);
  const client = new TailscaleClient({
    credential: credentialFromEnv(io.env),
    ...(base === undefined ? {} : { apiBaseUrl: base }),
    ...(deadline === undefined ? {} : { deadlineMs: deadline }),
  });
  return new TailnetAccess(client, tailnet);
}
