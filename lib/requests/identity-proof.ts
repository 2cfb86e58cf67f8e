import { createHash, createHmac, Hash, Hmac, randomBytes } from 'node:crypto';

/*
 * What a caller of the requests API sends to prove who it is: a presigned `sts:GetCallerIdentity`
 * request, made with the caller's own credentials and bound to the exact body of the call. The runtime sends it to
 * STS and believes only the ARN STS answers. Made by the CLI (and lib/testing), checked by the runtime.
 */

/** The header that carries the proof: base64url of {@link IdentityProof}'s JSON. A bearer credential for one call. */
export const IDENTITY_PROOF_HEADER = 'x-symtail-identity';
/** A signed header of the proof: the lower-case hex SHA-256 of the requests-API call's body, binding the proof to it. */
export const BODY_SHA256_HEADER = 'x-symtail-body-sha256';
/** The one STS request a proof may be. */
export const GET_CALLER_IDENTITY_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
/** Random bytes in a call's `nonce`, at least: two calls with the same body still make two proofs. */
export const NONCE_BYTES = 16;
/** How long a used proof's record is kept: beyond any `x-amz-date` the runtime still accepts (5 minutes). */
export const PROOF_RECORD_SECONDS = 15 * 60;
/** The key prefix of a used proof's record in the requests table, beside requests: `proof#<sha256 hex of its signature>`. */
export const PROOF_KEY_PREFIX = 'proof#';

/** The signed request exactly as it is to be sent to STS. */
export interface IdentityProof {
  readonly method: 'POST';
  readonly url: string;
  /** Lower-case names, as signed (`authorization`, `host`, `x-amz-date`, `x-symtail-body-sha256`, …). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The fields a requests-API body gains for its proof: a fresh `nonce` and the `audience` (the function URL's host). */
export interface ProofFields {
  readonly nonce: string;
  readonly audience: string;
}

/** An HTTP request as `@smithy/signature-v4` signs it; declared here so this module needs no package. */
export interface SignableRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** A SigV4 signer for service `sts` with the caller's credentials (`new SignatureV4({service: 'sts', …})`). */
export interface ProofSigner {
  sign(request: SignableRequest, options?: { signingDate?: Date }): Promise<{ headers: Record<string, string> }>;
}

/** Lower-case hex SHA-256 of text (as UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The STS endpoint a proof is made for: `AWS_ENDPOINT_URL_STS` when set (as the AWS SDK reads it), else the region's. */
export function stsEndpoint(region: string, env: Readonly<Record<string, string | undefined>>): URL {
  return new URL(env.AWS_ENDPOINT_URL_STS || `https://sts.${region}.amazonaws.com/`);
}

/** A call's body with its proof fields: `{...body, nonce, audience}`, as the JSON text that is sent and hashed. */
export function withProofFields(body: Readonly<Record<string, unknown>>, audience: string): string {
  const fields: ProofFields = { nonce: randomBytes(NONCE_BYTES).toString('base64url'), audience };
  return JSON.stringify({ ...body, ...fields });
}

/**
 * The `x-symtail-identity` header for a call whose body is `callBody`: a `GetCallerIdentity` request to `sts`, signed
 * by `signer` with `host`, `x-amz-date` and `x-symtail-body-sha256` among its signed headers (and
 * `x-amz-security-token` when the credentials carry one; the signer adds and signs it).
 */
export async function signIdentityProof(signer: ProofSigner, sts: URL, callBody: string, signingDate?: Date): Promise<string> {
  const headers = {
    host: sts.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    [BODY_SHA256_HEADER]: sha256Hex(callBody),
  };
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: sts.protocol,
      hostname: sts.hostname,
      ...(sts.port === '' ? {} : { port: Number(sts.port) }),
      path: sts.pathname,
      query: {},
      headers,
      body: GET_CALLER_IDENTITY_BODY,
    },
    signingDate === undefined ? undefined : { signingDate },
  );
  const proof: IdentityProof = { method: 'POST', url: sts.href, headers: lowerCaseKeys(signed.headers), body: GET_CALLER_IDENTITY_BODY };
  return Buffer.from(JSON.stringify(proof)).toString('base64url');
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** SHA-256 (or its HMAC) in the shape `@smithy/signature-v4` takes, from Node's own crypto. */
export class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(this.secret as ArrayBuffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
