import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CredentialRef, SecretRef } from '../manifest';
import type { TailscaleCredential } from '../tailscale';
import { SymtailError } from '../errors';

/** Reads a secret's string value; the runtime's only use of AWS. */
export interface SecretSource {
  /** `region`: the Secrets Manager to ask (the manifest's `region`); absent, the runtime's own region. */
  getSecretString(secretId: string, region?: string): Promise<string>;
}

/** An unreadable or malformed credential. Messages name the secret id, never its value. */
export class CredentialError extends SymtailError<'credential-unavailable'> {
  constructor(message: string) {
    super('credential-unavailable', message);
  }
}

/**
 * A secret that exists but was never given a value: the state of every secret between the first deploy and the
 * operator's `put-secret-value`. Its own code, so a fresh deploy is told what to do instead of failing like a broken one.
 */
export class CredentialNotSetError extends SymtailError<'credential-not-set'> {
  constructor(
    readonly secretId: string,
    readonly region?: string,
  ) {
    super(
      'credential-not-set',
      `secret ${secretId} has no value yet; set it with: aws secretsmanager put-secret-value --secret-id "${secretId}"` +
        `${region === undefined ? '' : ` --region ${region}`} --secret-string "<value>"`,
    );
  }
}

/**
 * Secrets Manager's answer to `GetSecretValue` on a secret no version of which is labelled `AWSCURRENT`: one created
 * empty, as the constructs create them. HTTP 400 with
 *   {"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"}
 * A secret that does not exist at all is a ResourceNotFoundException too, "…can't find the specified secret.", and stays
 * an error: a wrong name or a deleted secret is a broken deploy, not a fresh one.
 */
const NO_CURRENT_VALUE = /can't find the specified secret value for staging label: AWSCURRENT/;

function isNotSet(err: unknown): boolean {
  const { name, message } = (err ?? {}) as { name?: unknown; message?: unknown };
  return name === 'ResourceNotFoundException' && typeof message === 'string' && NO_CURRENT_VALUE.test(message);
}

/**
 * Secrets Manager through the AWS SDK v3, which the Lambda runtime provides. The SDK is loaded on the first read,
 * not at module load, so a cold start that is refused an event never pays for it.
 */
export class SecretsManagerSource implements SecretSource {
  /** One client per region asked for; '' is the runtime's own region. */
  private readonly clients = new Map<string, SecretsManagerClient>();
  /** When the read must be over (ms since the epoch), read as each read starts; the Lambda handler passes the
   * invocation's deadline, so a hung endpoint is abandoned while there is time left to audit it. */
  private readonly endsAt: () => number | undefined;
  private readonly now: () => number;

  constructor(client?: SecretsManagerClient, endsAt: () => number | undefined = () => undefined, now: () => number = Date.now) {
    if (client !== undefined) this.clients.set('', client);
    this.endsAt = endsAt;
    this.now = now;
  }

  /** The client of `region`'s Secrets Manager (absent: the runtime's own), made on first use. */
  clientFor(region?: string): SecretsManagerClient {
    let client = this.clients.get(region ?? '');
    if (client === undefined) {
      client = new (secretsManagerSdk().SecretsManagerClient)({
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true },
        ...(region === undefined ? {} : { region }),
      });
      this.clients.set(region ?? '', client);
    }
    return client;
  }

  async getSecretString(secretId: string, region?: string): Promise<string> {
    const sdk = secretsManagerSdk();
    const client = this.clientFor(region);
    const endsAt = this.endsAt();
    const budgetMs = endsAt === undefined ? undefined : Math.max(0, endsAt - this.now());
    const abortSignal = budgetMs === undefined ? undefined : AbortSignal.timeout(budgetMs);
    let out;
    try {
      out = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }), { abortSignal });
    } catch (err) {
      if (abortSignal?.aborted) {
        throw new CredentialError(`secret ${secretId}: GetSecretValue did not answer within the ${budgetMs} ms the invocation had left`);
      }
      if (isNotSet(err)) throw new CredentialNotSetError(secretId, region);
      const name = (err as { name?: string }).name ?? 'Error';
      throw new CredentialError(`secret ${secretId}: GetSecretValue failed (${name})`);
    }
    if (typeof out.SecretString !== 'string' || out.SecretString === '') {
      throw new CredentialError(`secret ${secretId}: has no string value; set it with aws secretsmanager put-secret-value`);
    }
    return out.SecretString;
  }
}

function parseJson(text: string, secretId: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the input, which here is a secret.
    throw new CredentialError(`secret ${secretId}: expected ${expected}, but the value is not JSON`);
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The secret's value, or its `jsonKey` member when the ref names one. */
function selectedValue(ref: SecretRef, secretText: string): unknown {
  if (ref.jsonKey === undefined) return secretText;
  const doc = parseJson(secretText, ref.secretId, `a JSON object with key "${ref.jsonKey}"`);
  if (typeof doc !== 'object' || doc === null || !(ref.jsonKey in doc)) {
    throw new CredentialError(`secret ${ref.secretId}: expected a JSON object with key "${ref.jsonKey}"`);
  }
  return (doc as Record<string, unknown>)[ref.jsonKey];
}

/** A secret that is one string (a Slack signing secret or bot token), trimmed. */
export function textFromSecret(ref: SecretRef, secretText: string): string {
  const value = selectedValue(ref, secretText);
  if (!nonEmptyString(value)) throw new CredentialError(`secret ${ref.secretId}: expected a non-empty string`);
  return value.trim();
}

/** Turns a secret's text into a credential of the kind the manifest declares. */
export function credentialFromSecret(ref: CredentialRef, secretText: string): TailscaleCredential {
  const value = selectedValue(ref, secretText);
  if (ref.kind === 'apiKey') {
    if (!nonEmptyString(value)) throw new CredentialError(`secret ${ref.secretId}: expected a non-empty API key string`);
    return { kind: 'apiKey', apiKey: value.trim() };
  }
  const client = typeof value === 'string' ? parseJson(value, ref.secretId, 'OAuth client JSON {client_id, client_secret}') : value;
  const { client_id: clientId, client_secret: clientSecret } = (client ?? {}) as Record<string, unknown>;
  if (!nonEmptyString(clientId) || !nonEmptyString(clientSecret)) {
    throw new CredentialError(`secret ${ref.secretId}: expected OAuth client JSON with non-empty "client_id" and "client_secret"`);
  }
  return { kind: 'oauthClient', clientId, clientSecret };
}

/**
 * Secrets cached for the container's life with a short TTL, so a rotated key is picked up within minutes while a
 * warm Lambda reads Secrets Manager at most once per TTL. Concurrent misses share one read.
 */
export class SecretCache<Ref extends SecretRef, Value> {
  private readonly entries = new Map<string, { expires: number; value: Promise<Value> }>();

  constructor(
    private readonly source: SecretSource,
    private readonly parse: (ref: Ref, secretText: string) => Value,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(ref: Ref): Promise<Value> {
    const kind = (ref as { kind?: string }).kind ?? '';
    const key = `${kind}\u0000${ref.secretId}\u0000${ref.region ?? ''}\u0000${ref.jsonKey ?? ''}`;
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = this.source.getSecretString(ref.secretId, ref.region).then((text) => this.parse(ref, text));
    this.entries.set(key, { expires: this.now() + this.ttlMs, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/** Tailscale credentials, cached. */
export class CredentialCache extends SecretCache<CredentialRef, TailscaleCredential> {
  constructor(source: SecretSource, ttlMs?: number, now?: () => number) {
    super(source, credentialFromSecret, ttlMs, now);
  }
}

/** Single-string secrets (Slack's signing secret and bot token), cached. */
export class SecretTextCache extends SecretCache<SecretRef, string> {
  constructor(source: SecretSource, ttlMs?: number, now?: () => number) {
    super(source, textFromSecret, ttlMs, now);
  }
}

/** The SDK, loaded on first use. `require`, not `import()`: the bundle is CommonJS, and the Lambda runtime's SDK resolves through require. */
export function secretsManagerSdk(): typeof import('@aws-sdk/client-secrets-manager') {
  return require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
}
