import { SymtailError } from '../errors';
import { scrubSecrets } from './scrub';
/** What went wrong, as a caller would branch on it; each code's meaning and status are in `ERROR_CODES` (`lib/errors`). */
export type TailscaleErrorCode =
  | 'invalid-argument'
  | 'credential-refused'
  | 'forbidden'
  | 'not-found'
  | 'policy-refused'
  | 'precondition-failed'
  | 'too-many-conflicts'
  | 'rate-limited'
  | 'server-error'
  | 'unexpected-status'
  | 'network'
  | 'timeout'
  | 'deadline-exceeded'
  | 'bad-response';

const RETRYABLE: ReadonlySet<TailscaleErrorCode> = new Set(['rate-limited', 'server-error', 'network', 'timeout']);

export interface TailscaleErrorFields {
  code: TailscaleErrorCode;
  operation: string;
  tailnet?: string;
  detail: string;
  status?: number;
  apiMessage?: string;
  data?: unknown;
  /** From a `Retry-After` header, in milliseconds. */
  retryAfterMs?: number;
  attempts?: number;
}

/** The server's `data` with every string in it (keys too) scrubbed; `data` is JSON, so no cycles. */
function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrubSecrets(k, secrets), scrubValue(v, secrets)]));
}

/** A failed Tailscale API operation. The message names the operation and tailnet, never a credential. */
export class TailscaleApiError extends SymtailError<TailscaleErrorCode> {
  readonly operation: string;
  readonly tailnet?: string;
  /** The message without its `tailscale: <operation> of tailnet "<t>":` prefix. */
  readonly detail: string;
  readonly status?: number;
  readonly apiMessage?: string;
  readonly data?: unknown;
  readonly retryAfterMs?: number;
  readonly attempts?: number;

  constructor(fields: TailscaleErrorFields, secrets: readonly string[] = []) {
    const where = fields.tailnet === undefined ? '' : ` of tailnet ${JSON.stringify(fields.tailnet)}`;
    super(fields.code, scrubSecrets(`tailscale: ${fields.operation}${where}: ${fields.detail}`, secrets));
    this.operation = fields.operation;
    this.tailnet = fields.tailnet;
    this.detail = scrubSecrets(fields.detail, secrets);
    this.status = fields.status;
    this.apiMessage = fields.apiMessage === undefined ? undefined : scrubSecrets(fields.apiMessage, secrets);
    this.data = scrubValue(fields.data, secrets);
    this.retryAfterMs = fields.retryAfterMs;
    this.attempts = fields.attempts;
  }

  /** The same failure restated, e.g. with the attempt count or under the operation that met it. */
  with(changes: Partial<TailscaleErrorFields>, secrets: readonly string[] = []): TailscaleApiError {
    return new TailscaleApiError({ ...this.fields(), ...changes }, secrets);
  }

  private fields(): TailscaleErrorFields {
    const { code, operation, tailnet, detail, status, apiMessage, data, retryAfterMs, attempts } = this;
    return { code, operation, tailnet, detail, status, apiMessage, data, retryAfterMs, attempts };
  }

  /** Whether the same request may succeed if sent again later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
