import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { DynamoDbProofLedger, IDENTITY_PROOF_HEADER, IdentityProof, sha256Hex, withProofFields } from '../../lib/requests';
import { FunctionUrlEvent, IdentityProofError, OwnFunctionUrl, StsCallerIdentity, StsCallerIdentityOptions } from '../../lib/runtime';
import {
  credentialFor,
  FUNCTION_ARN,
  FUNCTION_NAME,
  FUNCTION_URL,
  functionUrlEvent,
  identityCenterArn,
  identityProof,
  LambdaStandIn,
  LocalDynamoDb,
  OffsetClock,
  provenFunctionUrlEvent,
  StandInCredential,
  StsStandIn,
} from '../../lib/testing';

// The runtime's check of a requests-API call's identity proof (DESIGN §14), against a real STS stand-in that
// verifies SigV4 and a local DynamoDB holding the used proofs.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
/** A credential STS does not know. */
const MALLORY = credentialFor('arn:aws:iam::111122223333:user/mallory');
const HOST = new URL(FUNCTION_URL).host;

let sts: StsStandIn;
let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
const clock = new OffsetClock();

beforeAll(async () => {
  sts = await StsStandIn.start({ credentials: [ALICE, BOB], now: clock.now });
  dynamo = await LocalDynamoDb.start(['requests']);
  client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  client.destroy();
  await Promise.all([sts.stop(), dynamo.stop()]);
});

function verifier(options: Partial<StsCallerIdentityOptions> = {}): StsCallerIdentity {
  return new StsCallerIdentity({
    ledger: new DynamoDbProofLedger('requests', client),
    ownUrlHost: async () => HOST,
    stsEndpointOverride: sts.url,
    now: clock.now,
    ...options,
  });
}

/** The call the runtime receives, as its handler hands it to the verifier. */
function call(event: object) {
  const e = event as FunctionUrlEvent;
  const rawBody = Buffer.from(e.body ?? '', e.isBase64Encoded ? 'base64' : 'utf8');
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { event: e, rawBody, body, invokedFunctionArn: FUNCTION_ARN };
}

const proven = (
  credential: StandInCredential,
  body: Record<string, unknown> = { action: 'requests' },
  options: { at?: Date; envelopeArn?: string; base64?: boolean } = {},
) => provenFunctionUrlEvent(credential, body, { sts: sts.url, at: options.at ?? clock.now(), ...options });

const headerOf = (event: object) => (event as { headers: Record<string, string> }).headers[IDENTITY_PROOF_HEADER];
const decode = (event: object) => JSON.parse(Buffer.from(headerOf(event), 'base64url').toString('utf8')) as IdentityProof;
/** The event with its proof replaced: `edit` gets the decoded proof, answers the one to send. */
function withProof(event: object, edit: (proof: IdentityProof) => unknown): object {
  const e = event as { headers: Record<string, string> };
  return { ...e, headers: { ...e.headers, [IDENTITY_PROOF_HEADER]: Buffer.from(JSON.stringify(edit(decode(event)))).toString('base64url') } };
}
const withHeader = (event: object, value: string | undefined) => {
  const e = event as { headers: Record<string, string> };
  const { [IDENTITY_PROOF_HEADER]: _, ...rest } = e.headers;
  return { ...e, headers: value === undefined ? rest : { ...rest, [IDENTITY_PROOF_HEADER]: value } };
};
const signatureOf = (proof: IdentityProof) => /Signature=([0-9a-f]{64})/.exec(proof.headers.authorization)![1];

async function refusal(promise: Promise<unknown>): Promise<IdentityProofError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IdentityProofError)) throw new Error(`expected an IdentityProofError, got ${String(error)}`);
  return error;
}

test("a proof made with a credential STS knows names its ARN, and is recorded by its signature's hash only", async () => {
  const event = await proven(ALICE);
  const writes = dynamo.writes.length;
  expect(await verifier().verify(call(event))).toBe(ALICE.arn);
  const key = `proof#${sha256Hex(signatureOf(decode(event)))}`;
  const { Item } = await client.send(new GetItemCommand({ TableName: 'requests', Key: { id: { S: key } } }));
  expect(Item).toEqual({ id: { S: key }, expiresAt: { N: expect.stringMatching(/^\d+$/) } });
  expect(Number(Item!.expiresAt.N) - clock.now().getTime() / 1000).toBeGreaterThan(14 * 60);
  expect(Number(Item!.expiresAt.N) - clock.now().getTime() / 1000).toBeLessThanOrEqual(15 * 60 + 1);
  expect(dynamo.writes.length).toBe(writes + 1);
});

/** An event, and its proof as sent. */
type Case = [name: string, make: () => Promise<object>, message: RegExp];

const SIX_MINUTES = 6 * 60_000;
const LOCAL_REFUSALS: Case[] = [
  ['no proof header', async () => withHeader(await proven(ALICE), undefined), /x-symtail-identity: missing/],
  ['a header that is not base64url', async () => withHeader(await proven(ALICE), 'not base64url!'), /expected base64url/],
  [
    'base64url of something not JSON',
    async () => withHeader(await proven(ALICE), Buffer.from('{oops').toString('base64url')),
    /expected base64url of a JSON object/,
  ],
  ['a proof with a field more', async () => withProof(await proven(ALICE), (p) => ({ ...p, extra: 1 })), /exactly "method", "url", "headers" and "body"/],
  ['a GET', async () => withProof(await proven(ALICE), (p) => ({ ...p, method: 'GET' })), /method: expected "POST"/],
  [
    'another STS action',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, body: 'Action=AssumeRole&Version=2011-06-15' })),
    /body: expected "Action=GetCallerIdentity&Version=2011-06-15"/,
  ],
  [
    'a URL that is not STS',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'https://attacker.example.com/' })),
    /url: https:\/\/attacker\.example\.com is not an STS endpoint/,
  ],
  [
    'a look-alike STS host',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'https://sts.us-east-1.amazonaws.com.attacker.example/' })),
    /is not an STS endpoint/,
  ],
  [
    'STS over http',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'http://sts.amazonaws.com/' })),
    /http:\/\/sts\.amazonaws\.com is not an STS endpoint/,
  ],
  ['STS on another port', async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'https://sts.amazonaws.com:8443/' })), /is not an STS endpoint/],
  [
    'an STS URL with a path',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'https://sts.amazonaws.com/x' })),
    /with path "\/" and nothing else/,
  ],
  [
    'the override host on another port',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, url: 'http://127.0.0.1:1/' })),
    /http:\/\/127\.0\.0\.1:1 is not an STS endpoint/,
  ],
  [
    "a host header other than the URL's",
    async () => withProof(await proven(ALICE), (p) => ({ ...p, headers: { ...p.headers, host: 'sts.amazonaws.com' } })),
    /headers\.host: expected the url's host/,
  ],
  [
    'an unsigned body hash',
    async () =>
      withProof(await proven(ALICE), (p) => ({
        ...p,
        headers: { ...p.headers, authorization: p.headers.authorization.replace(';x-symtail-body-sha256', '') },
      })),
    /SignedHeaders must include x-symtail-body-sha256/,
  ],
  [
    'an unsigned session token',
    async () =>
      withProof(await proven(ALICE), (p) => ({ ...p, headers: { ...p.headers, authorization: p.headers.authorization.replace(';x-amz-security-token', '') } })),
    /SignedHeaders must include x-amz-security-token/,
  ],
  [
    'a signed header left out',
    async () =>
      withProof(await proven(ALICE), (p) => {
        const { 'content-type': _, ...rest } = p.headers;
        return { ...p, headers: rest };
      }),
    /the signed header content-type is missing/,
  ],
  [
    'a signature for another service',
    async () =>
      withProof(await proven(ALICE), (p) => ({ ...p, headers: { ...p.headers, authorization: p.headers.authorization.replace('/sts/', '/lambda/') } })),
    /scoped to service sts/,
  ],
  [
    'upper-case header names',
    async () => withProof(await proven(ALICE), (p) => ({ ...p, headers: { ...p.headers, Host: p.headers.host } })),
    /lower-case header names/,
  ],
  [
    'a proof made for another body',
    async () => {
      const event = await proven(ALICE, { action: 'approve', requestId: 'r-1' });
      const other = await proven(ALICE, { action: 'approve', requestId: 'r-2' });
      return withHeader(event, headerOf(other));
    },
    /x-symtail-body-sha256: does not match this call's body/,
  ],
  [
    'a proof signed 6 minutes ago',
    async () => proven(ALICE, undefined, { at: new Date(clock.now().getTime() - SIX_MINUTES) }),
    /x-amz-date: \d{8}T\d{6}Z is more than 5 minutes from now/,
  ],
  [
    'a proof signed 6 minutes ahead',
    async () => proven(ALICE, undefined, { at: new Date(clock.now().getTime() + SIX_MINUTES) }),
    /more than 5 minutes from now/,
  ],
  [
    'a body without a nonce',
    async () => {
      const text = JSON.stringify({ action: 'requests', audience: HOST });
      return functionUrlEvent(ALICE.arn, undefined, {
        rawBody: text,
        headers: { [IDENTITY_PROOF_HEADER]: await identityProof(ALICE, text, { sts: sts.url, at: clock.now() }) },
      });
    },
    /body\.nonce: expected at least 16 random bytes, base64url/,
  ],
  [
    'a nonce of 8 bytes',
    async () => {
      const text = JSON.stringify({ action: 'requests', nonce: 'AAAAAAAAAAA', audience: HOST });
      return functionUrlEvent(ALICE.arn, undefined, {
        rawBody: text,
        headers: { [IDENTITY_PROOF_HEADER]: await identityProof(ALICE, text, { sts: sts.url, at: clock.now() }) },
      });
    },
    /body\.nonce/,
  ],
  [
    'a proof for another function',
    async () =>
      provenFunctionUrlEvent(
        ALICE,
        { action: 'requests' },
        { sts: sts.url, at: clock.now(), functionUrl: 'https://other-url-id.lambda-url.us-east-1.on.aws/' },
      ),
    /audience: the proof was made for "other-url-id\.lambda-url\.us-east-1\.on\.aws", not for this function's URL \(example-url-id\.lambda-url\.us-east-1\.on\.aws\)/,
  ],
];

test.each(LOCAL_REFUSALS)(
  '%s is refused 403 identity-proof-invalid before any network call, naming what is wrong but never the proof',
  async (_, make, message) => {
    const event = await make();
    const [stsCalls, writes] = [sts.calls.length, dynamo.writes.length];
    const error = await refusal(verifier().verify(call(event)));
    expect([error.code, error.httpStatus]).toEqual(['identity-proof-invalid', 403]);
    expect(error.message).toMatch(message);
    expect([sts.calls.length, dynamo.writes.length]).toEqual([stsCalls, writes]);
    const header = headerOf(event);
    if (header !== undefined && header.length > 20) {
      expect(error.message).not.toContain(header);
      const proof = decode(event);
      for (const secret of [signatureOf(proof), proof.headers['x-amz-security-token']]) expect(error.message).not.toContain(secret);
    }
  },
);

test('the audience is looked up only once the proof passed every local check', async () => {
  let lookups = 0;
  const counting = verifier({ ownUrlHost: async () => (lookups++, HOST) });
  await refusal(counting.verify(call(withProof(await proven(ALICE), (p) => ({ ...p, url: 'https://attacker.example.com/' })))));
  expect(lookups).toBe(0);
  await counting.verify(call(await proven(ALICE)));
  expect(lookups).toBe(1);
});

test.each<[string, () => Promise<object>, string, RegExp, string]>([
  [
    'a credential STS does not know',
    () => proven(MALLORY),
    'identity-proof-invalid',
    /^x-symtail-identity: STS refused the proof: InvalidClientTokenId$/,
    'InvalidClientTokenId',
  ],
  [
    'a signature STS does not match',
    async () =>
      withProof(await proven(ALICE), (p) => ({
        ...p,
        headers: { ...p.headers, authorization: p.headers.authorization.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
      })),
    'identity-proof-invalid',
    /STS refused the proof: SignatureDoesNotMatch$/,
    'SignatureDoesNotMatch',
  ],
])('%s is refused with the code STS gave, and nothing is recorded', async (_, make, code, message, stsCode) => {
  const event = await make();
  const [stsCalls, writes] = [sts.calls.length, dynamo.writes.length];
  const error = await refusal(verifier().verify(call(event)));
  expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
  expect(sts.calls.slice(stsCalls)).toEqual([{ outcome: stsCode }]);
  expect(dynamo.writes.length).toBe(writes);
});

test('a proof is good once: its replay is refused 403 identity-proof-replayed, and of eight uses at once one wins', async () => {
  const event = await proven(BOB);
  expect(await verifier().verify(call(event))).toBe(BOB.arn);
  const replay = await refusal(verifier().verify(call(event)));
  expect([replay.code, replay.httpStatus, replay.message]).toEqual([
    'identity-proof-replayed',
    403,
    'x-symtail-identity: this proof was already used; each call needs a fresh one',
  ]);
  const race = await proven(BOB);
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, () =>
      verifier()
        .verify(call(race))
        .then(
          () => 'ok',
          (e: IdentityProofError) => e.code,
        ),
    ),
  );
  expect(outcomes.sort()).toEqual([
    'identity-proof-replayed',
    'identity-proof-replayed',
    'identity-proof-replayed',
    'identity-proof-replayed',
    'identity-proof-replayed',
    'identity-proof-replayed',
    'identity-proof-replayed',
    'ok',
  ]);
});

test("an envelope naming someone other than the proof's signer is refused and nothing is recorded; an envelope without a caller is fine", async () => {
  const writes = dynamo.writes.length;
  const forged = await refusal(verifier().verify(call(await proven(ALICE, undefined, { envelopeArn: BOB.arn }))));
  expect(forged.message).toBe(
    `x-symtail-identity: the function URL authenticated ${BOB.arn}, but the proof is signed by ${ALICE.arn}: they must be the same principal`,
  );
  expect(dynamo.writes.length).toBe(writes);
  expect(await verifier().verify(call(await proven(ALICE, undefined, { envelopeArn: undefined })))).toBe(ALICE.arn);
});

/** A server on loopback that answers every request with `answer` (or never, when undefined). */
async function fakeSts(answer: { status: number; body: string } | undefined): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    if (answer !== undefined) res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe('when STS cannot vouch', () => {
  test.each<[string, { status: number; body: string } | undefined, RegExp]>([
    ['no answer within the timeout', undefined, /could not be reached: no answer within 200 ms/],
    [
      'a 500',
      { status: 500, body: '<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>' },
      /answered 500 \(InternalFailure\); try again/,
    ],
    ['throttling', { status: 400, body: '<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>' }, /answered 400 \(Throttling\)/],
    [
      'a 200 that is not a GetCallerIdentityResponse',
      {
        status: 200,
        body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn><Arn>b</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
      },
      /answered 200 without a GetCallerIdentityResponse naming an ARN/,
    ],
  ])('%s is 503 identity-unavailable, and nothing is recorded', async (_, answer, message) => {
    const fake = await fakeSts(answer);
    try {
      const event = await provenFunctionUrlEvent(ALICE, { action: 'requests' }, { sts: fake.url, at: clock.now() });
      const writes = dynamo.writes.length;
      const error = await refusal(verifier({ stsEndpointOverride: fake.url, timeoutMs: 200 }).verify(call(event)));
      expect([error.code, error.httpStatus]).toEqual(['identity-unavailable', 503]);
      expect(error.message).toMatch(message);
      expect(dynamo.writes.length).toBe(writes);
    } finally {
      fake.server.closeAllConnections();
      await new Promise((resolve) => fake.server.close(resolve));
    }
  });

  test('STS unreachable is 503 identity-unavailable', async () => {
    const closed = await fakeSts(undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    const event = await provenFunctionUrlEvent(ALICE, { action: 'requests' }, { sts: closed.url, at: clock.now() });
    const error = await refusal(verifier({ stsEndpointOverride: closed.url }).verify(call(event)));
    expect([error.code, error.message]).toEqual([
      'identity-unavailable',
      expect.stringMatching(/^STS \(127\.0\.0\.1:\d+\) could not be reached: .*ECONNREFUSED/),
    ]);
  });
});

test("the function's own URL is asked of Lambda once per container, by its name from the invocation context", async () => {
  const lambda = await LambdaStandIn.start(async () => undefined, { functionUrls: { [FUNCTION_NAME]: FUNCTION_URL } });
  const saved = process.env;
  process.env = { ...saved, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_ENDPOINT_URL_LAMBDA: lambda.url };
  try {
    const own = new OwnFunctionUrl();
    expect(await own.hostOf(FUNCTION_ARN)).toBe(HOST);
    expect(await own.hostOf(FUNCTION_ARN)).toBe(HOST);
    expect(lambda.urlLookups).toEqual([FUNCTION_NAME]);
    await expect(own.hostOf(FUNCTION_ARN.replace(FUNCTION_NAME, 'no-url-function'))).rejects.toThrow(/does not exist/);
    await expect(own.hostOf(undefined)).rejects.toThrow('the invocation context names no function ARN');
    // A failed lookup is not kept: the next invocation asks again.
    await expect(own.hostOf(FUNCTION_ARN.replace(FUNCTION_NAME, 'no-url-function'))).rejects.toThrow(/does not exist/);
    expect(lambda.urlLookups).toEqual([FUNCTION_NAME, 'no-url-function', 'no-url-function']);
  } finally {
    process.env = saved;
    await lambda.stop();
  }
});

test('an unknown own URL is 503 identity-unavailable, before STS is asked', async () => {
  const stsCalls = sts.calls.length;
  const error = await refusal(verifier({ ownUrlHost: async () => Promise.reject(new Error('AccessDeniedException')) }).verify(call(await proven(ALICE))));
  expect([error.code, error.message]).toEqual([
    'identity-unavailable',
    "the function's own URL (the audience a proof must name) is unknown: AccessDeniedException",
  ]);
  expect(sts.calls.length).toBe(stsCalls);
});

test('once a proof is used, any single-byte change to it or to the body it was made for is refused', async () => {
  const event = await proven(ALICE, { action: 'approve', requestId: 'r-4f9c2a1b7d3e5f60' }, { base64: true });
  await verifier().verify(call(event));
  const proofBytes = Buffer.from(JSON.stringify(decode(event)));
  const bodyBytes = Buffer.from((event as { body: string }).body, 'base64');
  const change = (bytes: Buffer, at: number, value: number) => {
    const copy = Buffer.from(bytes);
    copy[at % copy.length] = value === copy[at % copy.length] ? (value + 1) % 256 : value;
    return copy;
  };
  await fc.assert(
    fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), async (inProof, at, value) => {
      const changed = inProof
        ? withHeader(event, change(proofBytes, at, value).toString('base64url'))
        : { ...event, body: change(bodyBytes, at, value).toString('base64') };
      const error = await refusal(verifier().verify(call(changed)));
      expect(['identity-proof-invalid', 'identity-proof-replayed']).toContain(error.code);
    }),
    { numRuns: 150 },
  );
});

test('a proof made for one body and sent with another is refused whatever the two bodies are', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), async (a, b) => {
      fc.pre(a !== b);
      const made = withProofFields({ action: 'deny', requestId: 'r-1', reason: a }, HOST);
      const sent = JSON.stringify({ ...JSON.parse(made), reason: b });
      const header = await identityProof(ALICE, made, { sts: sts.url, at: clock.now() });
      const error = await refusal(
        verifier().verify(call(functionUrlEvent(ALICE.arn, undefined, { rawBody: sent, headers: { [IDENTITY_PROOF_HEADER]: header } }))),
      );
      expect(error.message).toMatch(/does not match this call's body/);
    }),
    { numRuns: 40 },
  );
});
