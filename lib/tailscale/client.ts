// Longer than most files: the Tailscale API client, one short method per endpoint over one request path (retries,
// deadline, authorizer); transport, backoff, authorizers and errors are files of their own.
import { format, parseHujsonOutline, standardize } from '../hujson';
import { Authorizer, authorizerFor } from './authorizer';
import { fullJitterDelay } from './backoff';
import { Deadline } from './deadline';
import { TailscaleApiError } from './errors';
import { ClientSettings, resolveOptions, TailscaleClientOptions } from './options';
import {
  readDevices,
  readKeyIds,
  readKeyRecord,
  readSettings,
  readUsers,
  TailnetSettings,
  TailscaleDevice,
  TailscaleKeyRecord,
  TailscaleUser,
} from './records';
import { PolicyCache } from './policy-cache';
import { errorForStatus } from './responses';
import { READ_SCOPES } from './scopes';
import { tailnetPathSegment } from './tailnet-name';
import { ApiRequest, ApiResponse, RequestContext, Transport } from './transport';

/** An outline selection that builds nothing: the whole text is checked as strict HuJSON. */
const CHECK_ONLY = new Map<string, never>();

/** A retry is only started when at least this much of the budget is left after its back-off. */
const MIN_ATTEMPT_MS = 250;

/** Key details read in parallel by `listKeys`. */
const KEY_READS_AT_ONCE = 4;

export interface PolicyUpdate {
  before: string;
  /** What the tailnet holds afterwards: the edit in canonical form, as sent and as Tailscale stores it. */
  after: string;
  etagBefore: string;
  /** Equal to `etagBefore` when nothing was written; undefined when the write's answer carried no ETag. */
  etagAfter: string | undefined;
  written: boolean;
  /** 412s met and absorbed on the way, a stale kept copy's included. */
  conflicts: number;
  /** Requests this update sent to the policy-file API: reads, writes, and their retries (an OAuth token's excluded). */
  roundTrips: number;
  /** True when its last edit was made on the text and ETag kept from an earlier read or write, with no read. */
  cached: boolean;
}

export interface PolicyValidation {
  /** True when the policy would be accepted, warnings or not. */
  ok: boolean;
  message?: string;
  data?: unknown;
  /** What the server warned about in a valid policy (an unknown user in a group, ...). */
  warnings?: string[];
}

/**
 * The Tailscale policy-file API: read, write with If-Match, validate, and a read-modify-write that survives
 * concurrent editors. Every operation runs under one overall deadline that bounds all its retries.
 */
export class TailscaleClient {
  readonly stats = { requests: 0, conflicts: 0, retries: 0 };
  private readonly settings: ClientSettings;
  private readonly transport: Transport;
  private readonly authorizer: Authorizer;
  private readonly cache: PolicyCache;

  constructor(options: TailscaleClientOptions) {
    this.settings = resolveOptions(options);
    this.cache = new PolicyCache(this.settings.policyCacheMs, this.settings.now);
    this.transport = new Transport(this.settings.apiBaseUrl, this.settings.requestTimeoutMs, () => {
      this.stats.requests++;
    });
    this.authorizer = authorizerFor(this.settings.credential, this.transport, this.settings.now);
  }

  /** The policy file as stored (HuJSON, byte for byte) and its ETag as received, quotes included. */
  getPolicy(tailnet: string): Promise<{ text: string; etag: string }> {
    return this.readPolicy(this.context('get policy', tailnet), this.deadline());
  }

  /**
   * Replaces the policy file if it is still at `ifMatch`; a 412 means someone else wrote in between. The text goes
   * as given (Tailscale stores it formatted); `etag` is undefined when the answer carried none.
   */
  async setPolicy(tailnet: string, text: string, ifMatch: string): Promise<{ etag: string | undefined }> {
    // Stored formatted, so what was sent is not what the tailnet holds: nothing is kept of it.
    this.cache.drop(tailnet);
    return this.writePolicy(this.context('set policy', tailnet), this.deadline(), text, ifMatch);
  }

  /** Asks the server whether `text` is a valid policy whose `tests` pass; writes nothing. */
  async validatePolicy(tailnet: string, text: string): Promise<PolicyValidation> {
    const context = this.context('validate policy', tailnet);
    requireString(text, 'text', context);
    let body: string;
    try {
      // The endpoint has refused bodies that start with a comment; standardized text keeps every offset.
      body = standardize(text);
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
    const response = await this.call(context, this.deadline(), {
      method: 'POST',
      path: `${policyPath(tailnet, context)}/validate`,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    });
    return readValidation(response, context);
  }

  /**
   * A key's metadata: `GET /tailnet/{tailnet}/keys/{keyId}`; `expires` tells when an API access token stops working,
   * and is absent for a key that does not expire (the API leaves it out, or writes Go's zero time).
   */
  async getKey(tailnet: string, keyId: string): Promise<TailscaleKeyRecord> {
    return this.readKey(this.context('get key', tailnet, READ_SCOPES.keys), this.deadline(), keyId);
  }

  /**
   * Every key the credential may see: `GET /tailnet/{tailnet}/keys` lists their ids, then each key's details are
   * read. With a user's API access token that is the user's keys; with an OAuth client, the tailnet's. A key deleted
   * between the list and its read is left out.
   */
  async listKeys(tailnet: string): Promise<TailscaleKeyRecord[]> {
    const context = this.context('list keys', tailnet, READ_SCOPES.keys);
    const ids = readKeyIds(await this.getJson(context, this.deadline(), 'keys', 'the keys response'), fieldFailure('the keys response', context));
    const keys: (TailscaleKeyRecord | undefined)[] = [];
    // A few at a time: a tailnet may hold many keys, and each is one request.
    for (let i = 0; i < ids.length; i += KEY_READS_AT_ONCE) {
      const batch = ids.slice(i, i + KEY_READS_AT_ONCE).map((id) =>
        this.readKey(this.context('get key', tailnet, READ_SCOPES.keys), this.deadline(), id).catch((error: unknown) => {
          if (error instanceof TailscaleApiError && error.code === 'not-found') return undefined;
          throw error;
        }),
      );
      // Settled before a failure is thrown, so no read is left running once this returns.
      const results = await Promise.allSettled(batch);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      keys.push(...results.map((r) => (r as PromiseFulfilledResult<TailscaleKeyRecord | undefined>).value));
    }
    return keys.filter((k): k is TailscaleKeyRecord => k !== undefined);
  }

  /** Every device of the tailnet with all its fields: `GET /tailnet/{tailnet}/devices?fields=all`. */
  async listDevices(tailnet: string): Promise<TailscaleDevice[]> {
    const context = this.context('list devices', tailnet, READ_SCOPES.devices);
    return readDevices(
      await this.getJson(context, this.deadline(), 'devices?fields=all', 'the devices response'),
      fieldFailure('the devices response', context),
    );
  }

  /** The tailnet's settings (device approval, auto-updates, key duration): `GET /tailnet/{tailnet}/settings`. */
  async getSettings(tailnet: string): Promise<TailnetSettings> {
    const context = this.context('get settings', tailnet, READ_SCOPES.settings);
    return readSettings(await this.getJson(context, this.deadline(), 'settings', 'the settings response'), fieldFailure('the settings response', context));
  }

  /** Every user of the tailnet with their role: `GET /tailnet/{tailnet}/users`. */
  async listUsers(tailnet: string): Promise<TailscaleUser[]> {
    const context = this.context('list users', tailnet, READ_SCOPES.users);
    return readUsers(await this.getJson(context, this.deadline(), 'users', 'the users response'), fieldFailure('the users response', context));
  }

  /**
   * Read-modify-write: reads the file, asks `mutate` for the new text (null or the same text: nothing to write),
   * writes it in canonical form (as Tailscale stores it) with If-Match, and on a 412 reads again and re-applies
   * `mutate` to the fresh text. Texts read and sent are compared in canonical form, never byte for byte. `check`, when
   * given, sees the text as read and the canonical text about to be sent, and may refuse the write by throwing.
   *
   * `optimistic`: starts from the text and ETag this client last read or wrote (see `policyCacheMs`) instead of a
   * read, so a warm edit is one request. If-Match still decides: a 412 drops them and the edit is made again on a
   * fresh read, and the next edit reads first until a read finds the file as this client left it (see
   * `PolicyCache`). Only a write the server accepted is taken from them: when `mutate` or `check` throws on them, finds
   * nothing to change, or the server refuses the result, the file is read and `mutate` judges the live text before anything is
   * reported, so no refusal and no "already done" ever rests on a stale copy.
   */
  async updatePolicy(
    tailnet: string,
    mutate: (text: string) => string | null,
    options: { optimistic?: boolean; check?: (read: string, sending: string) => void } = {},
  ): Promise<PolicyUpdate> {
    const roundTrips = { count: 0 };
    const readContext = { ...this.context('update policy (read)', tailnet), roundTrips };
    const writeContext = { ...this.context('update policy (write)', tailnet), roundTrips };
    if (typeof mutate !== 'function') throw invalidArgument('mutate: expected a function', readContext);
    const deadline = this.deadline();
    let known = options.optimistic === true ? this.cache.usable(tailnet) : undefined;
    let attempt: { base: { text: string; etag: string }; text: string; cached: boolean } | undefined;
    // 412s met, and those of them that met a write based on the kept text (a stale copy, not a race).
    let conflicts = 0;
    let stale = 0;
    for (;;) {
      const cached = known !== undefined;
      const before = known ?? (await this.readPolicy(readContext, deadline));
      known = undefined;
      const counts = (fromCache: boolean) => ({ conflicts, roundTrips: roundTrips.count, cached: fromCache });
      // A POST can land while its response is lost; its retry then meets a 412 against our own write. A file that
      // now holds what we sent (compared in canonical form: Tailscale reformats what it stores) means the write
      // happened, and says so rather than "nothing to do".
      if (attempt !== undefined && format(before.text) === attempt.text) {
        return {
          before: attempt.base.text,
          after: attempt.text,
          etagBefore: attempt.base.etag,
          etagAfter: before.etag,
          written: true,
          ...counts(attempt.cached),
        };
      }
      let after: string | null;
      try {
        after = this.edited(mutate, before.text, writeContext);
      } catch (error) {
        if (cached) continue;
        throw error;
      }
      if (after === null) {
        if (cached) continue;
        return { before: before.text, after: before.text, etagBefore: before.etag, etagAfter: before.etag, written: false, ...counts(false) };
      }
      try {
        options.check?.(before.text, after);
      } catch (error) {
        if (cached) continue;
        throw error;
      }
      attempt = { base: before, text: after, cached };
      try {
        const { etag } = await this.writePolicy(writeContext, deadline, after, before.etag);
        // What was sent is canonical, so it is what the tailnet now holds, and the answer's ETag is its hash.
        if (cached) this.cache.judge(tailnet, true);
        if (etag === undefined) this.cache.drop(tailnet);
        else this.cache.wrote(tailnet, after, etag);
        return { before: before.text, after, etagBefore: before.etag, etagAfter: etag, written: true, ...counts(cached) };
      } catch (error) {
        this.cache.drop(tailnet);
        const code = error instanceof TailscaleApiError ? error.code : undefined;
        // Judged on a copy that may be stale: the live file may take the edit. Refused, so never written.
        if (cached && code === 'policy-refused') {
          attempt = undefined;
          continue;
        }
        if (code !== 'precondition-failed') throw error;
        // Only a 412 to a retried write can be our own write met again; any other means someone else wrote, and a
        // file that then holds what we meant to send (they made the same edit) was not written by us.
        if ((error as TailscaleApiError).attempts === undefined) attempt = undefined;
        conflicts++;
        this.stats.conflicts++;
        // A stale copy's 412 is no race: the read follows at once and is not counted against `maxConflicts`.
        if (cached) {
          stale++;
          this.cache.judge(tailnet, false);
        } else await this.pauseAfterConflict(conflicts - stale, error as TailscaleApiError, deadline, writeContext);
      }
    }
  }

  /** `mutate`'s new text in canonical form, or null when it changes nothing. */
  private edited(mutate: (text: string) => string | null, text: string, context: RequestContext): string | null {
    const edited = mutate(text);
    if (edited !== null && typeof edited !== 'string') {
      throw invalidArgument('mutate: expected it to return the new text or null', context);
    }
    return edited === null || edited === text ? null : canonical(edited, context);
  }

  private async readKey(context: RequestContext, deadline: Deadline, keyId: string): Promise<TailscaleKeyRecord> {
    if (typeof keyId !== 'string' || !/^[A-Za-z0-9]+$/.test(keyId)) {
      throw invalidArgument('keyId: expected the id of a key (letters and digits)', context);
    }
    return readKeyRecord(await this.getJson(context, deadline, `keys/${keyId}`, 'the key response'), fieldFailure('the key response', context));
  }

  /** `GET /api/v2/tailnet/{tailnet}/<below>` as a JSON object; `what` names the response in errors. */
  private async getJson(context: RequestContext, deadline: Deadline, below: string, what: string): Promise<Record<string, unknown>> {
    const tailnetSegment = tailnetPathSegment(context.tailnet, context.operation, context.secrets());
    const response = await this.call(context, deadline, {
      method: 'GET',
      path: `/api/v2/tailnet/${tailnetSegment}/${below}`,
      headers: { Accept: 'application/json' },
    });
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      throw badResponse(`${what} is not JSON`, context);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse(`${what} is not a JSON object`, context);
    return body as Record<string, unknown>;
  }

  private async readPolicy(context: RequestContext, deadline: Deadline): Promise<{ text: string; etag: string }> {
    const response = await this.call(context, deadline, {
      method: 'GET',
      path: policyPath(context.tailnet, context),
      headers: { Accept: 'application/hujson' },
    });
    const etag = response.headers.etag;
    if (!etag) throw badResponse('the policy file came without an ETag, so it cannot be safely rewritten', context);
    try {
      // Checked, not built: the edit parses what it needs itself, and a tree of a large file costs more than the read.
      parseHujsonOutline(response.text, CHECK_ONLY);
    } catch (error) {
      throw badResponse(`the policy file is not HuJSON: ${(error as Error).message}`, context);
    }
    if (context.tailnet !== undefined) this.cache.read(context.tailnet, response.text, etag);
    return { text: response.text, etag };
  }

  private async writePolicy(context: RequestContext, deadline: Deadline, text: string, ifMatch: string): Promise<{ etag: string | undefined }> {
    requireString(text, 'text', context);
    const quoted = typeof ifMatch === 'string' ? quotedEtag(ifMatch) : undefined;
    if (quoted === undefined || !/^"[\x21\x23-\x7e]+"$/.test(quoted)) {
      throw invalidArgument('ifMatch: expected the ETag as received, e.g. "\\"3f2a…\\""', context);
    }
    const response = await this.call(context, deadline, {
      method: 'POST',
      path: policyPath(context.tailnet, context),
      // Only the ETag is read back; HuJSON spares the server turning the whole file into JSON for nothing.
      headers: { 'Content-Type': 'application/hujson', Accept: 'application/hujson', 'If-Match': quoted },
      body: text,
    });
    // The write happened; an answer without an ETag only means the new one is unknown until the next read.
    return { etag: response.headers.etag || undefined };
  }

  /** One request with authorization, a single re-authorization after a 401, and retries with back-off. */
  private async call(context: RequestContext, deadline: Deadline, request: ApiRequest): Promise<ApiResponse> {
    let reauthorized = false;
    let attempt = 1;
    for (;;) {
      try {
        const authorization = await this.authorize(context, deadline);
        const response = await this.transport.send({ ...request, headers: { ...request.headers, Authorization: authorization } }, deadline, context);
        if (response.status >= 200 && response.status < 300) return response;
        // Not an attempt of its own: the same request again with a fresh token.
        if (response.status === 401 && !reauthorized && this.authorizer.refused(authorization)) {
          reauthorized = true;
          continue;
        }
        throw errorForStatus(response, context, this.settings.now());
      } catch (error) {
        if (!(error instanceof TailscaleApiError)) throw error;
        // A final answer to a retry says how many were sent: an earlier one may have done its work unanswered.
        if (!error.retryable) throw attempt > 1 && error.attempts === undefined ? error.with({ attempts: attempt }, context.secrets()) : error;
        await this.pauseBeforeRetry(attempt, error, deadline, context);
        attempt++;
      }
    }
  }

  private async authorize(context: RequestContext, deadline: Deadline): Promise<string> {
    try {
      return await this.authorizer.authorization(deadline);
    } catch (error) {
      if (!(error instanceof TailscaleApiError)) throw error;
      // Restated under this operation: a shared token fetch may have been started by another one.
      throw error.with({ operation: context.operation, tailnet: context.tailnet, detail: `fetching an OAuth token: ${error.detail}` }, context.secrets());
    }
  }

  private async pauseBeforeRetry(attempt: number, error: TailscaleApiError, deadline: Deadline, context: RequestContext): Promise<void> {
    const { maxAttempts } = this.settings.retry;
    if (attempt >= maxAttempts) {
      throw error.with({ attempts: attempt, detail: `${error.detail}; gave up after ${attempt} attempts` }, context.secrets());
    }
    const delay = error.retryAfterMs ?? fullJitterDelay(attempt - 1, this.settings.retry, this.settings.random);
    await this.pause(delay, deadline, context, error, attempt);
    this.stats.retries++;
  }

  private async pauseAfterConflict(conflicts: number, error: TailscaleApiError, deadline: Deadline, context: RequestContext): Promise<void> {
    if (conflicts > this.settings.retry.maxConflicts) {
      throw error.with({ code: 'too-many-conflicts', detail: `the policy file changed under ${conflicts} writes in a row; gave up` }, context.secrets());
    }
    // The first re-read is immediate (the other writer is done); later ones spread competing writers apart.
    const delay = conflicts === 1 ? 0 : fullJitterDelay(conflicts - 2, this.settings.retry, this.settings.random);
    await this.pause(delay, deadline, context, error, conflicts);
  }

  /** Sleeps unless the next attempt could not finish inside the deadline, in which case it fails now. */
  private async pause(delayMs: number, deadline: Deadline, context: RequestContext, last: TailscaleApiError, attempts: number): Promise<void> {
    if (delayMs + MIN_ATTEMPT_MS > deadline.remainingMs()) {
      throw last.with(
        {
          code: 'deadline-exceeded',
          attempts,
          detail: `gave up within the ${deadline.budgetMs} ms budget after ${attempts} attempt(s); last: ${last.detail}`,
        },
        context.secrets(),
      );
    }
    if (delayMs > 0) await this.settings.sleep(delayMs);
  }

  private deadline(): Deadline {
    const endsAt = this.settings.endsAt();
    const budget = endsAt === undefined ? this.settings.deadlineMs : Math.min(this.settings.deadlineMs, Math.max(0, endsAt - this.settings.now()));
    return new Deadline(budget, this.settings.now);
  }

  private context(operation: string, tailnet: string, scope?: string): RequestContext {
    return { operation, tailnet, secrets: () => this.authorizer.secrets(), ...(scope === undefined ? {} : { scope }) };
  }
}

/**
 * The ETag as `If-Match` must carry it, in double quotes, however it was received: Tailscale's Go client sends
 * `fmt.Sprintf("%q", strings.Trim(etag, `"`))`, so an ETag that lost its quotes on the way (`3f2a…`, `ts-default`)
 * still matches. `"3f2a…"` → `"3f2a…"`; `3f2a…` → `"3f2a…"`.
 */
function quotedEtag(etag: string): string {
  return `"${etag.replace(/^"+|"+$/g, '')}"`;
}

function policyPath(tailnet: string | undefined, context: RequestContext): string {
  return `/api/v2/tailnet/${tailnetPathSegment(tailnet, context.operation, context.secrets())}/acl`;
}

function requireString(value: unknown, field: string, context: RequestContext): void {
  if (typeof value !== 'string') throw invalidArgument(`${field}: expected a string`, context);
}

function invalidArgument(detail: string, context: RequestContext): TailscaleApiError {
  return new TailscaleApiError({ code: 'invalid-argument', operation: context.operation, tailnet: context.tailnet, detail });
}

function badResponse(detail: string, context: RequestContext): TailscaleApiError {
  return new TailscaleApiError({ code: 'bad-response', operation: context.operation, tailnet: context.tailnet, status: 200, detail }, context.secrets());
}

/** The edited text in canonical form; an edit that is not HuJSON is a caller's error, never sent. */
function canonical(text: string, context: RequestContext): string {
  try {
    return format(text);
  } catch (error) {
    throw invalidArgument(`mutate: the new text is not HuJSON: ${(error as Error).message}`, context);
  }
}

/** A field of a response that is not what the API reference says: a bad-response naming the field. */
function fieldFailure(what: string, context: RequestContext): (detail: string) => TailscaleApiError {
  return (detail) => badResponse(`${what}: ${detail}`, context);
}

/**
 * 200 either way. Valid: an empty body, `null`, `{}`, or a `message` whose `data` holds warnings and no errors.
 * Invalid: any other `message`.
 */
function readValidation(response: ApiResponse, context: RequestContext): PolicyValidation {
  if (response.text.trim() === '') return { ok: true };
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw badResponse('the validation response is not JSON', context);
  }
  if (body === null) return { ok: true };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badResponse('the validation response is not a JSON object', context);
  }
  const { message, data } = body as { message?: unknown; data?: unknown };
  if (typeof message !== 'string' || message === '') return { ok: true };
  const warnings = warningsOnly(data);
  return warnings === undefined ? { ok: false, message, data } : { ok: true, message, warnings };
}

/** The warnings of a `data` list whose entries carry warnings and no errors; undefined otherwise. */
function warningsOnly(data: unknown): string[] | undefined {
  if (!Array.isArray(data) || data.length === 0) return undefined;
  const warnings: string[] = [];
  for (const entry of data) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { errors, warnings: found } = entry as { errors?: unknown; warnings?: unknown };
    if (errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.length === 0)) return undefined;
    if (!Array.isArray(found)) continue;
    for (const w of found) warnings.push(String(w));
  }
  return warnings.length > 0 ? warnings : undefined;
}
