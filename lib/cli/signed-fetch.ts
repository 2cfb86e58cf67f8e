import { createHash, createHmac, Hash, Hmac } from 'node:crypto';

/** SHA-256 (or its HMAC) in the shape the SigV4 signer takes, from Node's own crypto. */
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

/** The region of a function URL (`https://<id>.lambda-url.<region>.on.aws/`), if it names one. */
export function regionOfFunctionUrl(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}

/**
 * POSTs `body` as JSON to a function URL with `AWS_IAM` auth, signed with SigV4 (service `lambda`) with the
 * credentials of the AWS SDK's default chain (environment, profile, SSO, instance role…): no credential handling of
 * our own. Answers the status and the parsed JSON body.
 */
export async function signedPost(url: URL, region: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  const { defaultProvider } = require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node');
  const signer = new SignatureV4({ credentials: defaultProvider(), region, service: 'lambda', sha256: Sha256 });
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body: text,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: text });
  const answer = await response.text();
  try {
    return { status: response.status, body: JSON.parse(answer) };
  } catch {
    return { status: response.status, body: { ok: false, error: { code: 'not-json', message: `HTTP ${response.status}: ${answer.slice(0, 200)}` } } };
  }
}
