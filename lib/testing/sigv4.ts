import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';

/*
 * AWS Signature Version 4, checked as an AWS service checks it: the canonical request, the string to sign and the
 * signature recomputed from the request as received, with the secret of the access key it names. Used by the STS and
 * function-URL stand-ins; it passes the SigV4 test suite the AWS SDK for JavaScript runs.
 */

/** A request as SigV4 reads it: the path as sent (escaped once more in the canonical request, as for every service
 * but S3), the query decoded, header names in any case. */
export interface SigV4Request {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** The credential scope: `YYYYMMDD/<region>/<service>/aws4_request`. */
  readonly scope: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** A refusal, as AWS words it: HTTP status, error code and message. */
export interface SigV4Refusal {
  readonly ok: false;
  readonly status: 400 | 403;
  readonly code: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch';
  readonly message: string;
}

export type SigV4Verdict<C> = { readonly ok: true; readonly credential: C; readonly authorization: SigV4Authorization } | SigV4Refusal;

export interface SigV4Options {
  /** The service the signature must be scoped to (`sts`, `lambda`). */
  readonly service: string;
  /** The verifier's clock; a signature more than `maxSkewMinutes` from it is refused. */
  readonly now: Date;
  /** Default: 15, as AWS allows. */
  readonly maxSkewMinutes?: number;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/((\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request),\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export function parseAuthorization(header: string): SigV4Authorization | undefined {
  const m = AUTHORIZATION.exec(header);
  if (m === null) return undefined;
  return { accessKeyId: m[1], scope: m[2], date: m[3], region: m[4], service: m[5], signedHeaders: m[6].split(';'), signature: m[7] };
}

/** `YYYYMMDDTHHMMSSZ` as a Date; undefined when it is not one. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = AMZ_DATE.exec(value ?? '');
  if (m === null) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const amzDateOf = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** RFC 3986 escaping as SigV4 does it: everything but unreserved characters. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path with `.` and `..` segments and empty segments removed, each segment escaped (again). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escape(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: SigV4Request['query']): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    for (const v of typeof value === 'string' ? [value] : value) pairs.push(`${escape(key)}=${escape(v)}`);
  }
  return pairs.sort().join('&');
}

/** The canonical request over `signedHeaders`; undefined when one of them is not in the request. */
export function canonicalRequest(request: SigV4Request, signedHeaders: readonly string[]): string | undefined {
  const byName = new Map(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const value = byName.get(name);
    if (value === undefined) return undefined;
    lines.push(
      `${name}:${value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/^ | $/g, '')}`,
    );
  }
  const payloadHash = createHash('sha256')
    .update(request.body ?? '')
    .digest('hex');
  return [request.method, canonicalPath(request.path), canonicalQuery(request.query), ...lines, '', signedHeaders.join(';'), payloadHash].join('\n');
}

/** The hex signature of `canonical` by `secretAccessKey`, for the scope and time of `authorization`. */
export function signatureOf(secretAccessKey: string, authorization: SigV4Authorization, amzDate: string, canonical: string): string {
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, authorization.scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(authorization.date).digest();
  for (const part of [authorization.region, authorization.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

const refuse = (status: 400 | 403, code: SigV4Refusal['code'], message: string): SigV4Refusal => ({ ok: false, status, code, message });

/**
 * Verifies a request's SigV4 signature. `credentialOf` answers the secret of an access key presented with the session
 * token the request carries (undefined when the key is unknown or the token is not its own); then the scope, the time
 * and the signature are checked, in AWS's order and with AWS's codes.
 */
export function verifySigV4<C extends { readonly secretAccessKey: string }>(
  request: SigV4Request,
  credentialOf: (accessKeyId: string, sessionToken: string | undefined) => C | undefined,
  options: SigV4Options,
): SigV4Verdict<C> {
  const header = (name: string) => Object.entries(request.headers).find(([n]) => n.toLowerCase() === name)?.[1];
  const authorizationHeader = header('authorization');
  if (authorizationHeader === undefined) return refuse(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const authorization = parseAuthorization(authorizationHeader);
  if (authorization === undefined) {
    return refuse(400, 'IncompleteSignature', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, as AWS4-HMAC-SHA256.`);
  }
  if (!authorization.signedHeaders.includes('host')) return refuse(400, 'IncompleteSignature', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const amzDate = header('x-amz-date');
  const signedAt = parseAmzDate(amzDate);
  if (amzDate === undefined || signedAt === undefined) {
    return refuse(400, 'IncompleteSignature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const credential = credentialOf(authorization.accessKeyId, header('x-amz-security-token'));
  if (credential === undefined) return refuse(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (authorization.service !== options.service) {
    return refuse(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (authorization.date !== amzDate.slice(0, 8)) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${authorization.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const minutes = options.maxSkewMinutes ?? 15;
  const skewMs = minutes * 60_000;
  const now = options.now.getTime();
  if (signedAt.getTime() < now - skewMs) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${amzDate} is now earlier than ${amzDateOf(new Date(now - skewMs))} (${amzDateOf(options.now)} - ${minutes} min.)`,
    );
  }
  if (signedAt.getTime() > now + skewMs) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      `Signature not yet current: ${amzDate} is still later than ${amzDateOf(new Date(now + skewMs))} (${amzDateOf(options.now)} + ${minutes} min.)`,
    );
  }
  const canonical = canonicalRequest(request, authorization.signedHeaders);
  if (canonical === undefined) return refuse(403, 'SignatureDoesNotMatch', MISMATCH);
  const expected = Buffer.from(signatureOf(credential.secretAccessKey, authorization, amzDate, canonical), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(authorization.signature, 'hex'))) return refuse(403, 'SignatureDoesNotMatch', MISMATCH);
  return { ok: true, credential, authorization };
}

/**
 * A received HTTP request as SigV4 reads it: the path as sent, the query split and decoded (undefined when it does
 * not decode), repeated headers joined with commas.
 */
export function sigV4RequestOf(req: IncomingMessage, body: string | Uint8Array): SigV4Request | undefined {
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const query: Record<string, string[]> = {};
  try {
    for (const pair of mark < 0 ? [] : target.slice(mark + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      (query[key] ??= []).push(decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1)));
    }
  } catch {
    return undefined;
  }
  const headers = Object.fromEntries(Object.entries(req.headersDistinct).map(([name, values]) => [name, (values ?? []).map((v) => v.trim()).join(',')]));
  return { method: req.method ?? 'GET', path: mark < 0 ? target : target.slice(0, mark), query, headers, body };
}
