import { parseDuration } from '../manifest/duration';
import { TailscaleClient, TailscaleCredential } from '../tailscale';
import { TailnetAccess } from '../runtime/tailnet-access';
import { UsageError } from './errors';
import { required } from './flags';
import { CliIo } from './io';

/** Flags every live command shares. */
export const TAILNET_FLAGS = { tailnet: 'string', 'api-url': 'string', timeout: 'string', json: 'boolean', help: 'boolean' } as const;

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

/** `--api-url`: an http(s) origin, no path; the client appends /api/v2/... */
function apiUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--api-url: expected an origin such as https://api.tailscale.com, got ${JSON.stringify(value)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new UsageError(`--api-url: expected an http(s) origin without path, query or credentials, got ${JSON.stringify(value)}`);
  }
  return url.origin;
}

/** `--timeout`: the budget of the whole operation, retries included. */
function deadlineMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let seconds: number;
  try {
    seconds = parseDuration(value, '--timeout');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (seconds > 600) throw new UsageError(`--timeout: expected at most 10m, got ${JSON.stringify(value)}`);
  return seconds * 1000;
}

/** The access object for `--tailnet` at `--api-url`, with the environment's credential. */
export function tailnetAccess(flags: { tailnet?: string; 'api-url'?: string; timeout?: string }, io: CliIo): TailnetAccess {
  const tailnet = required(flags.tailnet, 'tailnet');
  const base = apiUrl(flags['api-url']);
  const deadline = deadlineMs(flags.timeout);
  const client = new TailscaleClient({
    credential: credentialFromEnv(io.env),
    ...(base === undefined ? {} : { apiBaseUrl: base }),
    ...(deadline === undefined ? {} : { deadlineMs: deadline }),
  });
  return new TailnetAccess(client, tailnet);
}
