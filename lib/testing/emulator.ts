// Longer than most files: one HTTP server standing in for the Tailscale API, each endpoint a short handler; its
// options, credentials, inventory and default policy are files of their own.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_POLICY_ETAG } from './default-policy';
import { allows, EmulatorCredentials, Scope } from './emulator-credentials';
import { EmulatorSettings, resolveEmulatorOptions, TailnetEmulatorOptions } from './emulator-options';
import { etagOf } from './etag';
import { BrokenGet, FaultPath, FaultPlan } from './faults';
import { HeldCall, Hold } from './held-call';
import { readBody, send, sendJson, wantsJson } from './http-io';
import { groupMembers } from './group-rules';
import { checkPolicy, policyAsJson } from './policy-check';
import { format } from '../hujson';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** 0 when the connection was dropped without a response. */
  status: number;
}

/** One tailnet's policy file as kept, and whether it is still the untouched default (`If-Match: "ts-default"`). */
interface PolicyFile {
  text: string;
  untouched: boolean;
}

/** The tailnet's read-only record lists: `GET /tailnet/{tailnet}/<kind>`. */
type ListKind = 'devices' | 'keys' | 'settings' | 'users';

type Route =
  | { kind: 'token' }
  | { kind: 'acl'; tailnet: string; validate: boolean }
  | { kind: 'key'; tailnet: string; keyId: string }
  | { kind: ListKind; tailnet: string };

const TOKEN_PATH = '/api/v2/oauth/token';
const ACL_PATH = /^\/api\/v2\/tailnet\/([^/]+)\/acl(\/validate)?$/;
const KEY_PATH = /^\/api\/v2\/tailnet\/([^/]+)\/keys\/([^/]+)$/;
const LIST_PATH = /^\/api\/v2\/tailnet\/([^/]+)\/(devices|keys|settings|users)$/;

/** What each list needs, as Tailscale documents its scopes, and how the 403 says so. */
const LIST_SCOPES: Record<ListKind, { scope: Scope; refusal: string }> = {
  devices: { scope: 'devices:core:read', refusal: 'listing devices needs the devices:core:read scope' },
  keys: { scope: 'auth_keys:read', refusal: 'listing keys needs the auth_keys:read scope' },
  settings: { scope: 'feature_settings:read', refusal: 'reading the tailnet settings needs the feature_settings:read scope' },
  users: { scope: 'users:read', refusal: 'listing users needs the users:read scope' },
};

/** Device fields `GET /devices` leaves out unless asked for `fields=all`, as the API reference lists them. */
const ALL_FIELDS_ONLY = ['enabledRoutes', 'advertisedRoutes', 'clientConnectivity', 'postureIdentity'];
const NOT_HUJSON = '<!doctype html><title>502 Bad Gateway</title>\n';

/**
 * A local stand-in for the Tailscale policy-file API: GET/POST `/acl` with ETags and If-Match, `/acl/validate`,
 * `/oauth/token`, `GET /keys/{keyId}` for its API keys' expiry, the read-only `GET /devices`, `/keys`, `/settings` and
 * `/users` from a configured inventory, scopes, strict HuJSON and group rules, `tests` evaluation, plus knobs for
 * latency, races, held writes, forced statuses and dropped connections. One policy file, shared by `-` and every
 * configured tailnet name, kept in
 * canonical form as Tailscale keeps it (or verbatim, when asked), its ETag the quoted SHA-256 of what is kept.
 */
export class TailnetEmulator {
  latencyMs: number;
  /** By tailnet name, `-` included: every name holds the same file unless `separatePolicies`. */
  private files = new Map<string, PolicyFile>();
  private log: RecordedRequest[] = [];
  private writeCount = 0;
  private inFlight = 0;
  private peakInFlight = 0;
  private origin = '';
  private readonly faults = new FaultPlan();
  /** Every hold handed out, released on reset and stop so no write waits for ever. */
  private readonly holds: HeldCall[] = [];
  private readonly credentials: EmulatorCredentials;
  private readonly startedAt: string;
  private readonly server: Server;

  private constructor(private readonly settings: EmulatorSettings) {
    this.latencyMs = settings.latencyMs;
    this.files = this.initialFiles();
    this.startedAt = new Date(settings.now()).toISOString();
    this.credentials = new EmulatorCredentials(settings.apiKeys, settings.readOnlyApiKeys, settings.oauthClients, settings.tokenTtlSeconds, settings.now);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
    });
  }

  static async start(options?: TailnetEmulatorOptions): Promise<TailnetEmulator> {
    const emulator = new TailnetEmulator(resolveEmulatorOptions(options));
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(emulator.settings.port, emulator.settings.host, () => {
        emulator.server.off('error', reject);
        const { address, port } = emulator.server.address() as AddressInfo;
        emulator.origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
        resolve();
      });
    });
    return emulator;
  }

  /** The origin, e.g. `http://127.0.0.1:41234`; clients append `/api/v2/...`. Kept after `stop()`. */
  get url(): string {
    return this.origin;
  }

  /** The policy file of `-` (with `separatePolicies`, the first configured tailnet's). */
  get policy(): string {
    return this.fileOf('-').text;
  }

  get etag(): string {
    return etagOf(this.policy);
  }

  /** The policy file of a tailnet by name (`-` or a configured one). */
  policyOf(tailnet: string): string {
    return this.fileOf(tailnet).text;
  }

  /** The most requests the emulator was serving at one moment (since the start or the last `reset`). */
  get peakConcurrentRequests(): number {
    return this.peakInFlight;
  }

  get requests(): ReadonlyArray<RecordedRequest> {
    return this.log;
  }

  /** Successful POSTs to `/acl`. */
  get writes(): number {
    return this.writeCount;
  }

  /** An out-of-band edit (an admin in the console, which also formats on save): a new ETag, not counted in `writes`. */
  setPolicy(text: string, tailnet = '-'): void {
    const verdict = checkPolicy(text);
    if (!verdict.ok) throw new Error(`emulator setPolicy: ${verdict.message}`);
    this.store(this.fileOf(tailnet), text);
  }

  /** The next `count` matching requests get `status` (and `Retry-After`, and `body`, default `{"message"}`). */
  failNext(count: number, status: number, opts: { retryAfter?: string; body?: unknown; path?: FaultPath } = {}): void {
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error(`emulator failNext status: expected an HTTP status, got ${JSON.stringify(status)}`);
    }
    this.faults.addFailures(positive(count, 'failNext count'), opts.path ?? 'any', {
      status,
      retryAfter: opts.retryAfter,
      body: opts.body,
    });
  }

  /** The next `count` requests lose their connection without a response. */
  dropNext(count: number): void {
    this.faults.addDrops(positive(count, 'dropNext count'));
  }

  /** The next `count` policy writes are stored, then lose their connection before the answer: the client cannot
   * tell whether its write happened. */
  loseNextWriteResponse(count: number): void {
    this.faults.addLostWrites(positive(count, 'loseNextWriteResponse count'));
  }

  /** The next `count` policy writes are stored and answered 200 without an ETag: written, new ETag unknown. */
  withholdNextWriteEtag(count: number): void {
    this.faults.addEtaglessWrites(positive(count, 'withholdNextWriteEtag count'));
  }

  /** After each of the next `count` policy GETs, `mutate` edits the file, so a POST with that GET's ETag gets 412. */
  raceNext(mutate: (text: string) => string, count = 1): void {
    if (typeof mutate !== 'function') throw new Error('emulator raceNext mutate: expected a function');
    this.faults.addRaces(positive(count, 'raceNext count'), mutate);
  }

  /**
   * The next policy write (POST `/acl`) is held on arrival, before its If-Match is checked, until released: the write
   * is on the wire and has not landed, for as long as the test needs.
   */
  holdNextWrite(): Hold {
    const hold = new HeldCall();
    this.holds.push(hold);
    this.faults.addHeldWrite(hold);
    return hold;
  }

  /** The next policy GET answers without an ETag, with a body that is not HuJSON, or with its ETag unquoted. */
  breakNextGet(kind: BrokenGet): void {
    if (kind !== 'no-etag' && kind !== 'not-hujson' && kind !== 'unquoted-etag') {
      throw new Error('emulator breakNextGet kind: expected "no-etag", "not-hujson" or "unquoted-etag"');
    }
    this.faults.addBrokenGet(kind);
  }

  /** Every issued OAuth token stops working, as when a client is rotated. */
  revokeTokens(): void {
    this.credentials.revokeTokens();
  }

  /** Back to the initial policy and latency, with no faults queued, no requests recorded and no writes. */
  reset(): void {
    this.files = this.initialFiles();
    this.latencyMs = this.settings.latencyMs;
    this.faults.clear();
    this.releaseHolds();
    this.log = [];
    this.writeCount = 0;
    this.peakInFlight = this.inFlight;
  }

  stop(): Promise<void> {
    this.releaseHolds();
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private releaseHolds(): void {
    for (const hold of this.holds.splice(0)) hold.release();
  }

  private store(file: PolicyFile, text: string): void {
    file.text = this.stored(text);
    file.untouched = false;
  }

  /** Each tailnet's file as loaded: one shared by every name, or, with `separatePolicies`, one each (`-` the first's). */
  private initialFiles(): Map<string, PolicyFile> {
    const fresh = (): PolicyFile => ({ text: this.stored(this.settings.policy), untouched: this.settings.isDefaultPolicy });
    const shared = fresh();
    const files = new Map<string, PolicyFile>(this.settings.tailnets.map((name) => [name, this.settings.separatePolicies ? fresh() : shared]));
    files.set('-', this.settings.separatePolicies ? files.get(this.settings.tailnets[0])! : shared);
    return files;
  }

  private fileOf(tailnet: string): PolicyFile {
    const file = this.files.get(tailnet);
    if (file === undefined) throw new Error(`emulator: no tailnet named ${JSON.stringify(tailnet)}; configured: -, ${this.settings.tailnets.join(', ')}`);
    return file;
  }

  /** The text as kept: formatted as Tailscale formats a policy file on save, unless storage is verbatim. */
  private stored(text: string): string {
    return this.settings.storage === 'canonical' ? format(text) : text;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const record: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, status: 0 };
    this.log.push(record);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    // Answered or dropped: either way the request is no longer being served.
    res.on('close', () => {
      this.inFlight--;
    });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.faults.takeDrop()) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req, this.settings.maxBodyBytes);
    if (body.kind === 'too-large') {
      return sendJson(res, 413, { message: `request body larger than ${this.settings.maxBodyBytes} bytes` });
    }
    const route = routeOf(path);
    const failure = this.faults.takeFailure(route?.kind ?? 'other');
    if (failure) {
      const headers = failure.retryAfter === undefined ? {} : { 'Retry-After': failure.retryAfter };
      // A string body goes out as is, like the HTML page of a failing gateway.
      if (typeof failure.body === 'string') {
        return send(res, failure.status, failure.body, { 'Content-Type': 'text/plain', ...headers });
      }
      return sendJson(res, failure.status, failure.body ?? { message: `forced status ${failure.status}` }, headers);
    }
    if (!route) return sendJson(res, 404, { message: 'not found' });
    if (body.kind === 'not-utf8') return sendJson(res, 400, { message: 'request body is not valid UTF-8' });
    if (route.kind === 'token') return this.issueToken(req, res, body.text);
    const scopes = this.credentials.scopesOf(req.headers.authorization);
    if (scopes === undefined) return sendJson(res, 401, { message: 'API token invalid' });
    if (route.tailnet !== '-' && !this.settings.tailnets.includes(route.tailnet)) {
      return sendJson(res, 404, { message: 'tailnet not found' });
    }
    if (route.kind === 'key') return req.method === 'GET' ? this.getKey(res, route.keyId, scopes) : notAllowed(res, 'GET');
    if (route.kind !== 'acl')
      return req.method === 'GET' ? this.list(res, route.kind, scopes, new URL(req.url ?? '/', 'http://emulator').searchParams) : notAllowed(res, 'GET');
    // Scopes are checked before anything else about the request, as Tailscale checks a token against the endpoint:
    // a read-only token's POST is refused with 403 whatever its If-Match, so a write that cannot match is a probe
    // of the write scope that writes nothing.
    if (!allows(scopes, 'policy_file:read')) {
      return sendJson(res, 403, { message: 'forbidden: the policy file needs the policy_file:read scope' });
    }
    if (route.validate) {
      return req.method === 'POST' ? this.validate(res, body.text) : notAllowed(res, 'POST');
    }
    const file = this.fileOf(route.tailnet);
    if (req.method === 'GET') return this.getPolicy(req, res, file);
    if (req.method === 'POST' && !allows(scopes, 'policy_file')) {
      return sendJson(res, 403, { message: 'forbidden: writing the policy file needs the policy_file scope' });
    }
    if (req.method === 'POST') {
      await this.faults.takeHeldWrite()?.wait();
      return this.postPolicy(req, res, body.text, file);
    }
    return notAllowed(res, 'GET, POST');
  }

  private issueToken(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (req.method !== 'POST') return notAllowed(res, 'POST');
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(res, 400, { message: 'grant_type: expected "client_credentials"' });
    }
    const token = this.credentials.issueToken(form.get('client_id') ?? '', form.get('client_secret') ?? '');
    if (!token) return sendJson(res, 401, { message: 'invalid client credentials' });
    sendJson(res, 200, token);
  }

  /**
   * A key's metadata: an inventory key as configured, or one of the emulator's API keys as Tailscale answers it for an
   * API access token. An OAuth token needs `auth_keys:read` (`oauth_keys:read` for an OAuth client).
   */
  private getKey(res: ServerResponse, keyId: string, scopes: readonly Scope[]): void {
    const key = this.settings.inventory.keys.find((k) => k.id === keyId);
    const needed = key === undefined ? 'auth_keys:read' : keyScope(key);
    if (!allows(scopes, needed)) return sendJson(res, 403, { message: `forbidden: reading this key needs the ${needed} scope` });
    if (key !== undefined) return sendJson(res, 200, key);
    if (!this.credentials.apiKeyIds().includes(keyId)) return sendJson(res, 404, { message: 'key not found' });
    sendJson(res, 200, { id: keyId, keyType: 'api', created: this.startedAt, expires: this.settings.apiKeyExpires, capabilities: {} });
  }

  /** `GET /devices`, `/keys` (ids the scopes may read), `/settings` or `/users`, from the inventory. */
  private list(res: ServerResponse, kind: ListKind, scopes: readonly Scope[], query: URLSearchParams): void {
    const { scope, refusal } = LIST_SCOPES[kind];
    const readsClients = kind === 'keys' && allows(scopes, 'oauth_keys:read');
    if (!allows(scopes, scope) && !readsClients) return sendJson(res, 403, { message: `forbidden: ${refusal}` });
    const { devices, keys, settings, users } = this.settings.inventory;
    switch (kind) {
      case 'devices': {
        const all = query.getAll('fields').some((f) => f.split(',').includes('all'));
        return sendJson(res, 200, { devices: all ? devices : devices.map((d) => omit(d, ALL_FIELDS_ONLY)) });
      }
      case 'keys': {
        const own = this.credentials.apiKeyIds().map((id) => ({ id, keyType: 'api' }));
        return sendJson(res, 200, { keys: [...keys, ...own].filter((k) => allows(scopes, keyScope(k))).map((k) => ({ id: k.id })) });
      }
      case 'settings':
        return sendJson(res, 200, settings);
      case 'users':
        return sendJson(res, 200, { users });
    }
  }

  private getPolicy(req: IncomingMessage, res: ServerResponse, file: PolicyFile): void {
    const broken = this.faults.takeBrokenGet();
    const race = this.faults.takeRace();
    // Computed before answering so a bad race edit fails this request loudly instead of corrupting the file.
    const raced = race ? this.raceEdit(race, file.text) : undefined;
    if (raced && !raced.ok) return sendJson(res, 500, { message: raced.message });
    const json = wantsJson(req.headers.accept);
    const etag = broken === 'no-etag' ? {} : { ETag: broken === 'unquoted-etag' ? etagOf(file.text).slice(1, -1) : etagOf(file.text) };
    if (broken === 'not-hujson') send(res, 200, NOT_HUJSON, { 'Content-Type': 'text/html', ...etag });
    else if (json) send(res, 200, policyAsJson(file.text), { 'Content-Type': 'application/json', ...etag });
    else send(res, 200, file.text, { 'Content-Type': 'application/hujson', ...etag });
    if (raced) this.store(file, raced.text);
  }

  private raceEdit(mutate: (text: string) => string, current: string): { ok: true; text: string } | { ok: false; message: string } {
    let text: unknown;
    try {
      text = mutate(current);
    } catch (error) {
      return { ok: false, message: `emulator raceNext: mutate threw: ${(error as Error).message}` };
    }
    if (typeof text !== 'string') return { ok: false, message: 'emulator raceNext: mutate must return the new text' };
    const verdict = checkPolicy(text);
    return verdict.ok ? { ok: true, text } : { ok: false, message: `emulator raceNext: ${verdict.message}` };
  }

  private postPolicy(req: IncomingMessage, res: ServerResponse, body: string, file: PolicyFile): void {
    const ifMatch = req.headers['if-match'];
    // No If-Match is accepted, as the real API does: that is how naive tools lose other people's updates.
    if (ifMatch !== undefined && !matches(file, ifMatch)) {
      return sendJson(res, 412, { message: 'precondition failed, invalid old hash' });
    }
    const verdict = checkPolicy(body);
    if (!verdict.ok) {
      return sendJson(res, 400, verdict.data ? { message: verdict.message, data: verdict.data } : { message: verdict.message });
    }
    this.store(file, body);
    this.writeCount++;
    if (this.faults.takeLostWrite()) {
      req.socket.destroy();
      return;
    }
    const json = wantsJson(req.headers.accept);
    send(res, 200, json ? policyAsJson(file.text) : file.text, {
      'Content-Type': json ? 'application/json' : 'application/hujson',
      ...(this.faults.takeEtaglessWrite() ? {} : { ETag: etagOf(file.text) }),
    });
  }

  /** 200 either way, as the API answers: `{}` when valid, a `message` when not or when only warnings were found. */
  private validate(res: ServerResponse, body: string): void {
    const verdict = checkPolicy(body);
    if (!verdict.ok) return sendJson(res, 200, verdict.data ? { message: verdict.message, data: verdict.data } : { message: verdict.message });
    const warnings = unknownUserWarnings(verdict.value, this.settings.knownUsers);
    sendJson(res, 200, warnings.length === 0 ? {} : { message: 'warning(s) found', data: [{ user: '', errors: [], warnings }] });
  }

  private internalError(res: ServerResponse, error: unknown): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { message: `emulator: ${(error as Error).message}` });
  }
}

function matches(file: PolicyFile, ifMatch: string): boolean {
  return ifMatch === etagOf(file.text) || (file.untouched && ifMatch === DEFAULT_POLICY_ETAG);
}

/** Group members the tailnet does not know: Tailscale accepts them, with a warning. */
function unknownUserWarnings(policy: Record<string, unknown>, knownUsers: readonly string[] | undefined): string[] {
  if (knownUsers === undefined) return [];
  const known = new Set(knownUsers.map((u) => u.toLowerCase()));
  const warnings: string[] = [];
  for (const [group, members] of groupMembers(policy)) {
    for (const member of members) if (!known.has(member.toLowerCase())) warnings.push(`${group}: user not found: ${JSON.stringify(member)}`);
  }
  return warnings;
}

/** The scope that reads a key: OAuth clients (and federated identities) are `oauth_keys`, the rest `auth_keys`. */
function keyScope(key: Record<string, unknown>): Scope {
  return key.keyType === 'client' || key.keyType === 'federated' ? 'oauth_keys:read' : 'auth_keys:read';
}

function omit(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !fields.includes(k)));
}

function routeOf(path: string): Route | undefined {
  if (path === TOKEN_PATH) return { kind: 'token' };
  const list = LIST_PATH.exec(path);
  if (list) {
    try {
      return { kind: list[2] as ListKind, tailnet: decodeURIComponent(list[1]) };
    } catch {
      return undefined;
    }
  }
  const key = KEY_PATH.exec(path);
  if (key) {
    try {
      return { kind: 'key', tailnet: decodeURIComponent(key[1]), keyId: decodeURIComponent(key[2]) };
    } catch {
      return undefined;
    }
  }
  const m = ACL_PATH.exec(path);
  if (!m) return undefined;
  try {
    return { kind: 'acl', tailnet: decodeURIComponent(m[1]), validate: m[2] !== undefined };
  } catch {
    return undefined;
  }
}

function notAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { message: 'method not allowed' }, { Allow: allow });
}

function positive(count: number, field: string): number {
  if (!Number.isInteger(count) || count < 1) throw new Error(`emulator ${field}: expected a whole number ≥ 1`);
  return count;
}
