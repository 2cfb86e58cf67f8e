import { quoteForMessage } from '../errors';
import { Deadline } from './deadline';
import { TailscaleApiError } from './errors';
import { errorForStatus } from './responses';
import { RequestContext, Transport } from './transport';

const TOKEN_PATH = '/api/v2/oauth/token';
/** Tokens are renewed this long before they expire, so none expires in flight. */
const REFRESH_MARGIN_MS = 60_000;
/** Tokens remembered for scrubbing error messages; a client rarely holds more than two in its life. */
const REMEMBERED_TOKENS = 4;

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * OAuth client-credentials tokens for one client: cached until shortly before `expires_in`, and fetched once
 * however many callers ask at the same time.
 */
export class OAuthTokenSource {
  private cached?: CachedToken;
  private inFlight?: Promise<CachedToken>;
  private readonly remembered: string[] = [];

  constructor(
    private readonly credential: { clientId: string; clientSecret: string },
    private readonly transport: Transport,
    private readonly now: () => number,
  ) {}

  async token(deadline: Deadline): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    // A shared fetch runs under the budget of the caller that started it.
    this.inFlight ??= this.fetch(deadline).finally(() => {
      this.inFlight = undefined;
    });
    return (await this.inFlight).token;
  }

  /** Forgets `token` if it is still the cached one (a newer token fetched meanwhile is kept). */
  drop(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  issued(): readonly string[] {
    return this.remembered;
  }

  private async fetch(deadline: Deadline): Promise<CachedToken> {
    const context: RequestContext = {
      operation: 'fetch OAuth token',
      secrets: () => [this.credential.clientSecret, ...this.remembered],
    };
    const form = new URLSearchParams({
      client_id: this.credential.clientId,
      client_secret: this.credential.clientSecret,
      grant_type: 'client_credentials',
    });
    const response = await this.transport.send(
      {
        method: 'POST',
        path: TOKEN_PATH,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
      },
      deadline,
      context,
    );
    if (response.status === 400 || response.status === 401) {
      // Never the body: a token endpoint that refuses a client may quote the client back.
      throw new TailscaleApiError(
        {
          code: 'credential-refused',
          operation: context.operation,
          status: response.status,
          detail: `the OAuth client credential was refused (HTTP ${response.status})`,
        },
        context.secrets(),
      );
    }
    if (response.status !== 200) throw errorForStatus(response, context, this.now());
    const { token, expiresInSeconds } = readTokenResponse(response.text, context);
    this.remember(token);
    const lifetimeMs = expiresInSeconds * 1000;
    this.cached = { token, refreshAt: this.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    return this.cached;
  }

  private remember(token: string): void {
    this.remembered.push(token);
    if (this.remembered.length > REMEMBERED_TOKENS) this.remembered.shift();
  }
}

function readTokenResponse(text: string, context: RequestContext): { token: string; expiresInSeconds: number } {
  const fail = (detail: string) => new TailscaleApiError({ code: 'bad-response', operation: context.operation, status: 200, detail });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail('the token response is not JSON');
  }
  const { access_token, token_type, expires_in } = (body ?? {}) as Record<string, unknown>;
  if (typeof access_token !== 'string' || !/^[\x21-\x7e]+$/.test(access_token)) {
    throw fail('access_token: expected a non-empty string of printable ASCII');
  }
  if (token_type !== undefined && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')) {
    throw fail(`token_type: expected "Bearer", got ${quoteForMessage(token_type)}`);
  }
  const expiresInSeconds = secondsOf(expires_in);
  if (expiresInSeconds === undefined) {
    throw fail(`expires_in: expected a positive number of seconds, got ${quoteForMessage(expires_in)}`);
  }
  return { token: access_token, expiresInSeconds };
}

/**
 * `expires_in` as a number of seconds: a positive number, or a string of decimal digits, which some token endpoints
 * send (RFC 6749 §5.1 says a number; Go's `oauth2` package accepts both). `"3600"` → 3600; `"1h"`, `"0"`, `"-5"` → undefined.
 */
function secondsOf(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
