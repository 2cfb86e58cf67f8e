import { TailscaleCredential, validateCredential } from './credential';
import { TailscaleApiError } from './errors';

export interface RetryOptions {
  /** First back-off ceiling; doubles per attempt. Default 200. */
  baseDelayMs?: number;
  /** Largest back-off ceiling. Default 5 000. */
  maxDelayMs?: number;
  /** Attempts per request, the first included. Default 6. */
  maxAttempts?: number;
  /**
   * 412s one `updatePolicy` absorbs before giving up (the overall deadline bounds it as well). Default 10: ten
   * containers granting in one tailnet at once can make a writer lose six races in a row (the load figure of the
   * bench), and a grant given up waits for the next sweep.
   */
  maxConflicts?: number;
}

export interface TailscaleClientOptions {
  credential: TailscaleCredential;
  /** API origin; the client appends `/api/v2/...`. Default https://api.tailscale.com. */
  apiBaseUrl?: string;
  /** Per request. Default 10 000. */
  requestTimeoutMs?: number;
  /** Overall budget of one operation, retries included. Default 25 000. */
  deadlineMs?: number;
  /**
   * A time (ms, on `now`'s clock) no operation may run past, whatever `deadlineMs` allows; read when each operation
   * starts. The Lambda handler sets it to the end of the invocation less a margin. Default: none.
   */
  endsAt?: () => number | undefined;
  retry?: RetryOptions;
  /**
   * How long the text and ETag of a tailnet's policy file, as last read or written, may serve an optimistic update
   * (`updatePolicy(…, { optimistic: true })`): its write goes out at once with that ETag as `If-Match`, and only a
   * 412 costs the read. 0 keeps nothing. Default 60 000, up to 3 600 000.
   */
  policyCacheMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  now?: () => number;
}

export interface ClientSettings {
  credential: TailscaleCredential;
  apiBaseUrl: string;
  requestTimeoutMs: number;
  deadlineMs: number;
  endsAt: () => number | undefined;
  retry: Required<RetryOptions>;
  policyCacheMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export const DEFAULT_API_BASE_URL = 'https://api.tailscale.com';

function invalid(detail: string): TailscaleApiError {
  return new TailscaleApiError({ code: 'invalid-argument', operation: 'configure client', detail });
}

function wholeNumber(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function callback<T>(value: unknown, field: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw invalid(`${field}: expected a function`);
  return value as T;
}

/** The origin alone: http(s), no path, query or user info (a URL must never carry a credential). */
function apiOrigin(value: unknown): string {
  if (value === undefined) return DEFAULT_API_BASE_URL;
  const expected = 'apiBaseUrl: expected an http(s) origin such as "https://api.tailscale.com"';
  if (typeof value !== 'string') throw invalid(expected);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(expected);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${expected}, got protocol ${url.protocol}`);
  if (url.username || url.password) throw invalid(`${expected}, without user name or password`);
  if (url.pathname !== '/' || url.search || url.hash) {
    throw invalid(`${expected}, without path, query or fragment (the client appends /api/v2/...)`);
  }
  return url.origin;
}

const DAY_MS = 86_400_000;
/** A minute: long enough for the escalations of an incident to follow each other warm, short enough that an idle
 * container reads before it writes. */
const DEFAULT_POLICY_CACHE_MS = 60_000;

export function resolveOptions(options: TailscaleClientOptions): ClientSettings {
  if (typeof options !== 'object' || options === null) throw invalid('options: expected an object');
  const retry = options.retry ?? {};
  if (typeof retry !== 'object' || retry === null) throw invalid('retry: expected an object');
  const baseDelayMs = wholeNumber(retry.baseDelayMs, 'retry.baseDelayMs', 200, 0, DAY_MS);
  const settings: ClientSettings = {
    credential: validateCredential(options.credential),
    apiBaseUrl: apiOrigin(options.apiBaseUrl),
    requestTimeoutMs: wholeNumber(options.requestTimeoutMs, 'requestTimeoutMs', 10_000, 1, DAY_MS),
    deadlineMs: wholeNumber(options.deadlineMs, 'deadlineMs', 25_000, 1, DAY_MS),
    endsAt: callback(options.endsAt, 'endsAt', () => undefined),
    retry: {
      baseDelayMs,
      maxDelayMs: wholeNumber(retry.maxDelayMs, 'retry.maxDelayMs', Math.max(5_000, baseDelayMs), baseDelayMs, DAY_MS),
      maxAttempts: wholeNumber(retry.maxAttempts, 'retry.maxAttempts', 6, 1, 100),
      maxConflicts: wholeNumber(retry.maxConflicts, 'retry.maxConflicts', 10, 0, 10_000),
    },
    policyCacheMs: wholeNumber(options.policyCacheMs, 'policyCacheMs', DEFAULT_POLICY_CACHE_MS, 0, 3_600_000),
    sleep: callback(options.sleep, 'sleep', (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: callback(options.random, 'random', Math.random),
    now: callback(options.now, 'now', Date.now),
  };
  return settings;
}
