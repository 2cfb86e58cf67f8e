import { IDENTITY_PROOF_HEADER, Sha256, signIdentityProof, stsEndpoint, withProofFields } from '../requests';

/** The region of a function URL (`https://<id>.lambda-url.<region>.on.aws/`), if it names one. */
export function regionOfFunctionUrl(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}

/**
 * POSTs `body` as JSON to a function URL with `AWS_IAM` auth, with the credentials of the AWS SDK's default chain
 * (environment, profile, SSO, instance role…; no credential handling of our own), twice over:
 * - the body gains a fresh `nonce` and its `audience` (the URL's host), and header `x-symtail-identity` carries a
 *   presigned `sts:GetCallerIdentity` request bound to that body (its SHA-256 is a signed header), for the
 *   regional STS endpoint (or `AWS_ENDPOINT_URL_STS`): the runtime sends it to STS and believes only STS's answer;
 * - the call itself is signed with SigV4 (service `lambda`), which the function URL checks.
 * Answers the status and the parsed JSON body.
 */
export async function signedPost(
  url: URL,
  region: string,
  body: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ status: number; body: unknown }> {
  const { SignatureV4 } = require('@smithy/signature-v4') as typeof import('@smithy/signature-v4');
  const { defaultProvider } = require('@aws-sdk/credential-provider-node') as typeof import('@aws-sdk/credential-provider-node');
  // Resolved once, so both signatures are the same identity's.
  const credentials = await defaultProvider()();
  const text = withProofFields(body, url.host);
  const proof = await signIdentityProof(new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 }), stsEndpoint(region, env), text);
  const signer = new SignatureV4({ credentials, region, service: 'lambda', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json', [IDENTITY_PROOF_HEADER]: proof },
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
