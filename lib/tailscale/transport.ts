import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { Deadline } from './deadline';
import { TailscaleApiError } from './errors';

/** Who is asking, for error messages: the operation, its tailnet, and the secrets to keep out of them. */
export interface RequestContext {
  operation: string;
  tailnet?: string;
  secrets: () => readonly string[];
  /** The OAuth scope the request needs, named when the API refuses it with 403. */
  scope?: string;
  /** Counts the requests sent on the operation's behalf (each attempt of each), when the operation reports them. */
  roundTrips?: { count: number };
}

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Below the origin, e.g. `/api/v2/tailnet/-/acl`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ApiResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The body exactly as sent: no BOM stripped, no line ending changed. */
  text: string;
}

const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** The status, headers and raw text of one HTTP exchange; statuses are the caller's to judge. */
export class Transport {
  private readonly http: AxiosInstance;
  // Fatal on invalid UTF-8 and keeping any BOM, so the text is the file's bytes or an error, never a lossy copy.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    apiBaseUrl: string,
    private readonly requestTimeoutMs: number,
    private readonly onRequest: () => void,
  ) {
    this.http = axios.create({
      baseURL: apiBaseUrl,
      // Raw bytes: axios's 'text' mode strips a leading BOM, which would hide a file Tailscale would refuse.
      responseType: 'arraybuffer',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // The API does not redirect; following one could carry the Authorization header elsewhere.
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      maxBodyLength: MAX_REQUEST_BYTES,
    });
  }

  async send(request: ApiRequest, deadline: Deadline, context: RequestContext): Promise<ApiResponse> {
    const timeoutMs = Math.min(this.requestTimeoutMs, deadline.remainingMs());
    if (timeoutMs <= 0) {
      throw new TailscaleApiError({
        code: 'deadline-exceeded',
        operation: context.operation,
        tailnet: context.tailnet,
        detail: `no time left in the ${deadline.budgetMs} ms budget`,
      });
    }
    this.onRequest();
    if (context.roundTrips !== undefined) context.roundTrips.count++;
    let response: AxiosResponse<ArrayBuffer>;
    try {
      response = await this.http.request<ArrayBuffer>({
        method: request.method,
        url: request.path,
        headers: request.headers,
        data: request.body,
        timeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // Never rethrow the axios error itself: its config holds the Authorization header.
      throw networkError(error, timeoutMs, context);
    }
    return { status: response.status, headers: plainHeaders(response.headers), text: this.decode(response, context) };
  }

  private decode(response: AxiosResponse<ArrayBuffer>, context: RequestContext): string {
    try {
      return this.decoder.decode(response.data);
    } catch {
      throw new TailscaleApiError({
        code: 'bad-response',
        operation: context.operation,
        tailnet: context.tailnet,
        status: response.status,
        detail: `the response body (HTTP ${response.status}) is not valid UTF-8`,
      });
    }
  }
}

function plainHeaders(headers: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value == null ? undefined : String(value);
  }
  return out;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

function networkError(error: unknown, timeoutMs: number, context: RequestContext): TailscaleApiError {
  const { code, message } = error as { code?: string; message?: string };
  const base = { operation: context.operation, tailnet: context.tailnet };
  if (code === 'ERR_BAD_RESPONSE' || code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED') {
    return new TailscaleApiError(
      { ...base, code: 'bad-response', detail: `unusable response: ${message ?? code}` },
      context.secrets(),
    );
  }
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new TailscaleApiError({ ...base, code: 'timeout', detail: `no response within ${timeoutMs} ms` });
  }
  return new TailscaleApiError(
    { ...base, code: 'network', detail: `no response: ${message ?? 'unknown network error'}${code ? ` (${code})` : ''}` },
    context.secrets(),
  );
}
