import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../lib/requests';
import { SigV4Request, verifySigV4 } from '../../lib/testing';

// The AWS Signature Version 4 test suite as the AWS SDK for JavaScript runs it (smithy-typescript's
// packages/signature-v4/src/suite.fixture.ts, rewritten as data; the file names the repository and commit).
interface Vector {
  readonly name: string;
  readonly request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body?: string };
  readonly authorization: string;
}
const SUITE = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/sigv4-suite.json'), 'utf8')) as {
  source: { repository: string; path: string; commit: string };
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  signingDate: string;
  vectors: Vector[];
};
const NOW = new Date(SUITE.signingDate);
const known = (accessKeyId: string) => (accessKeyId === SUITE.credentials.accessKeyId ? SUITE.credentials : undefined);
const signed = (v: Vector): SigV4Request => ({ ...v.request, headers: { ...v.request.headers, authorization: v.authorization } });
const verify = (request: SigV4Request) => verifySigV4(request, known, { service: SUITE.service, now: NOW });

test("the suite is the AWS SDK for JavaScript's, with every vector", () => {
  expect(SUITE.source).toMatchObject({ repository: 'https://github.com/smithy-lang/smithy-typescript', path: 'packages/signature-v4/src/suite.fixture.ts' });
  expect(SUITE.vectors).toHaveLength(24);
});

describe.each(SUITE.vectors.map((v) => [v.name, v] as const))('%s', (_, vector) => {
  test("the AWS SDK's own signer still makes the vector's Authorization header (the data is the suite's)", async () => {
    const signer = new SignatureV4({ credentials: SUITE.credentials, region: SUITE.region, service: SUITE.service, sha256: Sha256, applyChecksum: false });
    const out = await signer.sign({ protocol: 'https:', hostname: 'example.amazonaws.com', ...vector.request }, { signingDate: NOW });
    expect(out.headers.authorization).toBe(vector.authorization);
  });

  test('its signature verifies', () => {
    expect(verify(signed(vector))).toMatchObject({
      ok: true,
      credential: SUITE.credentials,
      authorization: { accessKeyId: 'AKIDEXAMPLE', service: 'service' },
    });
  });

  test.each([
    ['the signature', (v: Vector) => signed({ ...v, authorization: v.authorization.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })],
    ['the path', (v: Vector) => ({ ...signed(v), path: `${v.request.path}x` })],
    ['the body', (v: Vector) => ({ ...signed(v), body: `${v.request.body ?? ''}!` })],
    ['a signed header', (v: Vector) => ({ ...signed(v), headers: { ...signed(v).headers, 'x-amz-date': '20150830T123601Z' } })],
  ])('a copy with %s changed is refused with SignatureDoesNotMatch', (_, tamper) => {
    expect(verify(tamper(vector))).toMatchObject({ ok: false, status: 403, code: 'SignatureDoesNotMatch' });
  });
});
