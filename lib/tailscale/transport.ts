import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
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

type RequestFunction = (options: RequestOptions, answer: (response: IncomingMessage) => void) => ClientRequest;

/**
 * The status, headers and raw text of one HTTP exchange over Node's own `http`/`https` (kept-alive connections of
 * their global agents); statuses are the caller's to judge. No redirect is followed: the API does not redirect, and
 * following one could carry the Authorization header elsewhere. The whole exchange, answer body included, runs under
 * one timer.
 */
export class Transport {
  private readonly origin: URL;
  private readonly request: RequestFunction;
  // Fatal on invalid UTF-8 and keeping any BOM, so the text is the file's bytes or an error, never a lossy copy.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    apiBaseUrl: string,
    private readonly requestTimeoutMs: number,
    private readonly onRequest: () => void,
  ) {
    this.origin = new URL(apiBaseUrl);
    // Only the scheme in use is loaded: TLS costs a cold start nothing when the API is plain HTTP on loopback.
    this.request = (this.origin.protocol === 'https:' ? require('node:https') : require('node:http')).request as RequestFunction;
  }

  async send(request: ApiRequest, deadline: Deadline, context: RequestContext): Promise<ApiResponse> {
    const timeoutMs = Math.min(this.requestTimeoutMs, deadline.remainingMs());
    const base = { operation: context.operation, tailnet: context.tailnet };
    if (timeoutMs <= 0) {
      throw new TailscaleApiError({ ...base, code: 'deadline-exceeded', detail: `no time left in the ${deadline.budgetMs} ms budget` });
    }
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    if (body !== undefined && body.length > MAX_REQUEST_BYTES) {
      throw new TailscaleApiError({ ...base, code: 'invalid-argument', detail: `the request body is larger than ${MAX_REQUEST_BYTES} bytes` });
    }
    this.onRequest();
    if (context.roundTrips !== undefined) context.roundTrips.count++;
    const { status, headers, bytes } = await this.exchange(request, body, timeoutMs, context);
    return { status, headers, text: this.decode(bytes, status, context) };
  }

  private exchange(
    request: ApiRequest,
    body: Buffer | undefined,
    timeoutMs: number,
    context: RequestContext,
  ): Promise<{ status: number; headers: Record<string, string | undefined>; bytes: Buffer }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (error: TailscaleApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(error);
      };
      const req = this.request(
        {
          protocol: this.origin.protocol,
          hostname: this.origin.hostname,
          port: this.origin.port,
          path: request.path,
          method: request.method,
          headers: { ...request.headers, ...(body === undefined ? {} : { 'Content-Length': String(body.length) }) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) fail(unusable(`an answer larger than ${MAX_RESPONSE_BYTES} bytes`, context));
            else chunks.push(chunk);
          });
          response.on('error', (error: Error) => fail(networkError(error, context)));
          response.on('aborted', () => fail(networkError(new Error('the answer was cut off'), context)));
          response.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: plainHeaders(response.headers), bytes: Buffer.concat(chunks) });
          });
        },
      );
      timer = setTimeout(
        () =>
          fail(
            new TailscaleApiError({ operation: context.operation, tailnet: context.tailnet, code: 'timeout', detail: `no response within ${timeoutMs} ms` }),
          ),
        timeoutMs,
      );
      // Never rethrow Node's error itself: the request it belongs to holds the Authorization header.
      req.on('error', (error: Error) => fail(networkError(error, context)));
      req.end(body);
    });
  }

  private decode(bytes: Buffer, status: number, context: RequestContext): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new TailscaleApiError({
        code: 'bad-response',
        operation: context.operation,
        tailnet: context.tailnet,
        status,
        detail: `the response body (HTTP ${status}) is not valid UTF-8`,
      });
    }
  }
}

function plainHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value === null || value === undefined ? undefined : String(value);
  }
  return out;
}

function unusable(detail: string, context: RequestContext): TailscaleApiError {
  return new TailscaleApiError(
    { operation: context.operation, tailnet: context.tailnet, code: 'bad-response', detail: `unusable response: ${detail}` },
    context.secrets(),
  );
}

function networkError(error: Error, context: RequestContext): TailscaleApiError {
  const { code } = error as { code?: string };
  return new TailscaleApiError(
    {
      operation: context.operation,
      tailnet: context.tailnet,
      code: 'network',
      detail: `no response: ${error.message || 'unknown network error'}${code ? ` (${code})` : ''}`,
    },
    context.secrets(),
  );
}
