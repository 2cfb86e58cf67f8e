import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SymtailError } from '../../errors';
import { BODY_SHA256_HEADER, GET_CALLER_IDENTITY_BODY, IDENTITY_PROOF_HEADER, NONCE_BYTES, PROOF_RECORD_SECONDS, ProofLedger, sha256Hex } from '../../requests';
import { FunctionUrlEvent } from './function-url-event';
import { callerArnOf, stsErrorCodeOf } from './sts-answer';

export type IdentityProofErrorCode = 'identity-proof-invalid' | 'identity-proof-replayed' | 'identity-unavailable';

/** A call whose caller could not be established: a proof refused, or STS could not be asked. */
export class IdentityProofError extends SymtailError<IdentityProofErrorCode> {}

/** A requests-API call as the function received it. */
export interface ProvenCall {
  readonly event: FunctionUrlEvent;
  /** The body's bytes as the caller sent them (function URLs base64-encode some bodies; this is after decoding). */
  readonly rawBody: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly body: unknown;
  /** From the invocation context, never the event. */
  readonly invokedFunctionArn: string | undefined;
}

/** Who is calling the requests API: an ARN, established by whatever this port is bound to. */
export interface CallerIdentity {
  /** The caller's ARN; throws {@link IdentityProofError} when it cannot be established. */
  verify(call: ProvenCall): Promise<string>;
}

/** What an STS endpoint answered: its status and body. */
export type StsAnswer = { readonly status: number; readonly text: string };

export interface StsCallerIdentityOptions {
  /** Where used proofs are remembered (the requests table). */
  readonly ledger: ProofLedger;
  /** The host of the function's own URL: the only audience a proof may name. */
  readonly ownUrlHost: (invokedFunctionArn: string | undefined) => Promise<string>;
  /** `AWS_ENDPOINT_URL_STS`, when set: the one endpoint a proof may name besides AWS's own. */
  readonly stsEndpointOverride?: string;
  readonly now?: () => Date;
  /** How long STS has to answer. Default: 2000 ms. */
  readonly timeoutMs?: number;
}

/** An `x-amz-date` further than this from the runtime's clock is refused. */
const MAX_SKEW_MS = 5 * 60_000;
/** A proof header longer than this is refused unread (a session token is about 1–2 KB). */
const MAX_PROOF_CHARS = 16 * 1024;
/** STS's endpoints: the global one and the regional ones. */
const STS_HOST = /^sts(?:\.[a-z]{2}(?:-[a-z]+)+-\d{1,2})?\.amazonaws\.com$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=[A-Z0-9]{16,128}\/(\d{8})\/[a-z0-9-]{1,32}\/sts\/aws4_request,\s*SignedHeaders=([a-z0-9;-]{1,1024}),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;
const HEADER_NAME = /^[a-z0-9-]{1,64}$/;
const HEADER_VALUE = /^[\x20-\x7e]{0,8192}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The fields a proof is, and nothing else. */
const PROOF_FIELDS = ['body', 'headers', 'method', 'url'];

const invalid = (message: string) => new IdentityProofError('identity-proof-invalid', `${IDENTITY_PROOF_HEADER}: ${message}`);
const unavailable = (message: string) => new IdentityProofError('identity-unavailable', message);

interface Proof {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** The SigV4 signature, hex: what single use is keyed on (by its hash). */
  readonly signature: string;
}

/**
 * The caller of the requests API as STS says it is: the call carries a presigned `sts:GetCallerIdentity`
 * request made with the caller's own credentials and bound to this call's body; the runtime checks it, sends it to STS
 * itself and takes the ARN STS answers. Everything that can be checked without the network is checked first, so a
 * forged or misdirected proof costs no call and is never sent anywhere: the endpoint must be STS's, the request
 * exactly GetCallerIdentity, signed over `host`, `x-amz-date` and `x-symtail-body-sha256` (= this body's hash),
 * within 5 minutes, for this function's URL (`audience`) with a fresh `nonce`. A proof is then accepted once.
 * The proof is a bearer credential: no message quotes it, and only its signature's hash is stored.
 */
export class StsCallerIdentity implements CallerIdentity {
  private readonly now: () => Date;

  constructor(private readonly options: StsCallerIdentityOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async verify(call: ProvenCall): Promise<string> {
    const now = this.now();
    const proof = this.checkedProof(call, now);
    const audience = proofFieldsOf(call.body);
    let ownHost: string;
    try {
      ownHost = await this.options.ownUrlHost(call.invokedFunctionArn);
    } catch (error) {
      throw unavailable(`the function's own URL (the audience a proof must name) is unknown: ${(error as Error).message}`);
    }
    if (audience !== ownHost) {
      throw invalid(`audience: the proof was made for ${JSON.stringify(audience.slice(0, 253))}, not for this function's URL (${ownHost})`);
    }
    const arn = await this.askSts(proof);
    const envelope = call.event.requestContext.authorizer?.iam?.userArn;
    if (envelope !== undefined && envelope !== arn) {
      throw invalid(`the function URL authenticated ${envelope}, but the proof is signed by ${arn}: they must be the same principal`);
    }
    const once = await this.options.ledger.useOnce(sha256Hex(proof.signature), new Date(now.getTime() + PROOF_RECORD_SECONDS * 1000));
    if (!once) throw new IdentityProofError('identity-proof-replayed', `${IDENTITY_PROOF_HEADER}: this proof was already used; each call needs a fresh one`);
    return arn;
  }

  /** Every check that needs no network, in order. */
  private checkedProof(call: ProvenCall, now: Date): Proof {
    const header = call.event.headers?.[IDENTITY_PROOF_HEADER];
    if (header === undefined || header === '') {
      throw invalid('missing: every call must prove its caller with a presigned sts:GetCallerIdentity request (symtail request, approve, … make one)');
    }
    if (header.length > MAX_PROOF_CHARS || !BASE64URL.test(header)) throw invalid(`expected base64url of at most ${MAX_PROOF_CHARS} characters`);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    } catch {
      throw invalid('expected base64url of a JSON object {"method","url","headers","body"}');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).sort().join() !== PROOF_FIELDS.join()) {
      throw invalid('expected a JSON object with exactly "method", "url", "headers" and "body"');
    }
    const { method, url, headers, body } = value as Record<string, unknown>;
    if (method !== 'POST') throw invalid('method: expected "POST"');
    if (body !== GET_CALLER_IDENTITY_BODY) throw invalid(`body: expected "${GET_CALLER_IDENTITY_BODY}"`);
    const endpoint = this.stsUrl(url);
    const signed = checkedHeaders(headers);
    if (signed.host !== endpoint.host) throw invalid(`headers.host: expected the url's host, ${endpoint.host}`);
    const authorization = AUTHORIZATION.exec(signed.authorization ?? '');
    if (authorization === null) throw invalid('headers.authorization: expected a SigV4 signature (AWS4-HMAC-SHA256) scoped to service sts');
    const [, scopeDate, signedList, signature] = authorization;
    const signedHeaders = signedList.split(';');
    const required = ['host', 'x-amz-date', BODY_SHA256_HEADER, ...(signed['x-amz-security-token'] === undefined ? [] : ['x-amz-security-token'])];
    for (const name of required) if (!signedHeaders.includes(name)) throw invalid(`headers.authorization: SignedHeaders must include ${name}`);
    for (const name of signedHeaders) if (signed[name] === undefined) throw invalid(`headers: the signed header ${name} is missing`);
    if (signed[BODY_SHA256_HEADER] !== sha256Hex(call.rawBody)) {
      throw invalid(`headers.${BODY_SHA256_HEADER}: does not match this call's body; a proof is good for the one body it was made for`);
    }
    const date = AMZ_DATE.exec(signed['x-amz-date']);
    const signedAt = date === null ? NaN : Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
    if (Number.isNaN(signedAt) || signed['x-amz-date'].slice(0, 8) !== scopeDate)
      throw invalid("headers.x-amz-date: expected YYYYMMDDTHHMMSSZ, the day of the signature's scope");
    if (Math.abs(now.getTime() - signedAt) > MAX_SKEW_MS) {
      throw invalid(`headers.x-amz-date: ${signed['x-amz-date']} is more than 5 minutes from now (${now.toISOString()}); make a fresh proof`);
    }
    return { url: endpoint, headers: signed, signature };
  }

  /** The proof's URL, when it is an STS endpoint: AWS's (https), or exactly the configured override. */
  private stsUrl(value: unknown): URL {
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      throw invalid('url: expected an STS endpoint URL such as https://sts.us-east-1.amazonaws.com/');
    }
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      throw invalid(`url: expected an STS endpoint with path "/" and nothing else, got host ${url.host}`);
    }
    const override = this.options.stsEndpointOverride ? new URL(this.options.stsEndpointOverride) : undefined;
    if (override !== undefined && url.host === override.host && url.protocol === override.protocol) {
      if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return url;
    }
    if (url.protocol === 'https:' && url.port === '' && STS_HOST.test(url.hostname)) return url;
    throw invalid(
      `url: ${url.protocol}//${url.host} is not an STS endpoint (sts.amazonaws.com, sts.<region>.amazonaws.com${override ? `, or ${override.protocol}//${override.host}` : ''}, over https)`,
    );
  }

  /** Sends the proof to STS, as it is, and reads the caller's ARN from the answer. */
  private async askSts(proof: Proof): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? 2000;
    let answer: StsAnswer;
    try {
      answer = await postOnce(proof.url, proof.headers, GET_CALLER_IDENTITY_BODY, timeoutMs);
    } catch (error) {
      throw unavailable(`STS (${proof.url.host}) could not be reached: ${(error as Error).message}`);
    }
    if (answer.status === 200) {
      const arn = callerArnOf(answer.text);
      if (arn === undefined) throw unavailable(`STS (${proof.url.host}) answered 200 without a GetCallerIdentityResponse naming an ARN`);
      return arn;
    }
    const code = stsErrorCodeOf(answer.text) ?? 'no error code';
    if (answer.status >= 500 || code === 'Throttling') throw unavailable(`STS (${proof.url.host}) answered ${answer.status} (${code}); try again`);
    throw invalid(`STS refused the proof: ${code}`);
  }
}

/** The proof's headers: an object of lower-case names and printable values. */
function checkedHeaders(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('headers: expected an object of header names and values');
  const entries = Object.entries(value);
  if (entries.length > 32) throw invalid('headers: expected at most 32 headers');
  const headers: Record<string, string> = Object.create(null);
  for (const [name, v] of entries) {
    if (!HEADER_NAME.test(name)) throw invalid('headers: expected lower-case header names (letters, digits, "-")');
    if (typeof v !== 'string' || !HEADER_VALUE.test(v)) throw invalid(`headers.${name}: expected printable ASCII of at most 8192 characters`);
    headers[name] = v;
  }
  return headers;
}

/** The call's `audience`, once its `nonce` is checked. */
function proofFieldsOf(body: unknown): string {
  const { nonce, audience } = (typeof body === 'object' && body !== null ? body : {}) as { nonce?: unknown; audience?: unknown };
  if (typeof nonce !== 'string' || !BASE64URL.test(nonce) || Buffer.from(nonce, 'base64url').length < NONCE_BYTES || nonce.length > 128) {
    throw invalid(`body.nonce: expected at least ${NONCE_BYTES} random bytes, base64url`);
  }
  if (typeof audience !== 'string' || audience === '') throw invalid("body.audience: expected the function URL's host");
  return audience;
}

/** One POST, no retries (a proof is single use), answered within `timeoutMs` or abandoned. */
function postOnce(url: URL, headers: Readonly<Record<string, string>>, body: string, timeoutMs: number): Promise<StsAnswer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 64 * 1024) req.destroy(new Error('answer larger than 64 KB'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
