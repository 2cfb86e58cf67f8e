import { SignatureV4 } from '@smithy/signature-v4';
import { IdentityProof, Sha256, signIdentityProof } from '../../lib/requests';
import { credentialFor, identityCenterArn, OffsetClock, StandInCredential, StsStandIn } from '../../lib/testing';

const ALICE = credentialFor('arn:aws:iam::111122223333:user/alice');
const BOB = credentialFor(identityCenterArn('bob@example.com'));

let sts: StsStandIn;
const clock = new OffsetClock();

beforeAll(async () => {
  sts = await StsStandIn.start({ credentials: [ALICE, BOB], now: clock.now });
});
afterAll(() => sts.stop());
afterEach(() => {
  clock.offsetMs = 0;
});

/** A GetCallerIdentity request signed by the AWS SDK's signer with `credential`, sent as it is. */
async function callerIdentity(credential: StandInCredential, options: { at?: Date; body?: string; region?: string } = {}) {
  const signer = new SignatureV4({ credentials: credential, region: options.region ?? 'us-east-1', service: 'sts', sha256: Sha256 });
  const proof = JSON.parse(Buffer.from(await signIdentityProof(signer, new URL(sts.url), '{}', options.at), 'base64url').toString()) as IdentityProof;
  const response = await fetch(proof.url, { method: proof.method, headers: proof.headers, body: options.body ?? proof.body });
  return { status: response.status, text: await response.text() };
}

test("a known IAM user and an Identity Center session are answered with STS's GetCallerIdentity XML", async () => {
  const user = await callerIdentity(ALICE);
  expect(user.status).toBe(200);
  expect(user.text).toMatch(
    /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>\s*<Arn>arn:aws:iam::111122223333:user\/alice<\/Arn>\s*<UserId>AIDA[0-9A-F]{17}<\/UserId>\s*<Account>111122223333<\/Account>\s*<\/GetCallerIdentityResult>\s*<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ResponseMetadata>\s*<\/GetCallerIdentityResponse>\s*$/,
  );
  const session = await callerIdentity(BOB);
  expect(session.text).toContain(`<Arn>${BOB.arn}</Arn>`);
  expect(session.text).toMatch(/<UserId>AROA[0-9A-F]{17}:bob@example.com<\/UserId>/);
});

const STALE = 16 * 60_000;
test.each<[string, () => Promise<{ status: number; text: string }>, number, string, RegExp]>([
  [
    'an access key STS never issued',
    () => callerIdentity({ ...ALICE, accessKeyId: 'AKIAUNKNOWN000000000' }),
    403,
    'InvalidClientTokenId',
    /The security token included in the request is invalid\./,
  ],
  ['a session key without its session token', () => callerIdentity({ ...BOB, sessionToken: undefined }), 403, 'InvalidClientTokenId', /security token/],
  [
    'a session key with another session token',
    () => callerIdentity({ ...BOB, sessionToken: `${BOB.sessionToken}x` }),
    403,
    'InvalidClientTokenId',
    /security token/,
  ],
  [
    'the wrong secret',
    () => callerIdentity({ ...ALICE, secretAccessKey: 'not-the-secret' }),
    403,
    'SignatureDoesNotMatch',
    /does not match the signature you provided/,
  ],
  [
    'a body other than the one signed',
    () => callerIdentity(ALICE, { body: 'Action=GetCallerIdentity&Version=2011-06-15&X=1' }),
    403,
    'SignatureDoesNotMatch',
    /does not match/,
  ],
  [
    'a signature 16 minutes old',
    () => callerIdentity(ALICE, { at: new Date(Date.now() - STALE) }),
    403,
    'SignatureDoesNotMatch',
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
  ],
  [
    'a signature 16 minutes ahead',
    () => callerIdentity(ALICE, { at: new Date(Date.now() + STALE) }),
    403,
    'SignatureDoesNotMatch',
    /^Signature not yet current: /,
  ],
])('%s is refused as STS refuses it', async (_, send, status, code, message) => {
  const calls = sts.calls.length;
  const answer = await send();
  expect(answer.status).toBe(status);
  expect(answer.text).toMatch(
    new RegExp(`^<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\\s*<Error>\\s*<Type>Sender</Type>\\s*<Code>${code}</Code>\\s*<Message>`),
  );
  expect(/<Message>([^<]*)<\/Message>/.exec(answer.text)?.[1]).toMatch(message);
  expect(sts.calls.slice(calls)).toEqual([{ outcome: code }]);
});

test('the stand-in judges time by its own clock: a proof signed now is stale once the clock has moved 16 minutes on', async () => {
  const at = new Date();
  clock.advance(14 * 60);
  expect((await callerIdentity(ALICE, { at })).status).toBe(200);
  clock.advance(2 * 60);
  expect((await callerIdentity(ALICE, { at })).text).toMatch(/<Code>SignatureDoesNotMatch<\/Code>\s*<Message>Signature expired: /);
});

test('a signed request for another action is refused with InvalidAction, and a call without a signature with MissingAuthenticationToken', async () => {
  const signer = new SignatureV4({ credentials: ALICE, region: 'us-east-1', service: 'sts', sha256: Sha256 });
  const url = new URL(sts.url);
  const body = 'Action=AssumeRole&Version=2011-06-15';
  const request = {
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  };
  const other = await fetch(url, { method: 'POST', headers: (await signer.sign(request)).headers, body });
  expect(other.status).toBe(400);
  expect(await other.text()).toContain('<Code>InvalidAction</Code>');
  const unsigned = await fetch(url, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  expect([unsigned.status, await unsigned.text()]).toEqual([403, expect.stringContaining('<Code>MissingAuthenticationToken</Code>')]);
});

test('every call is counted, answered or refused', async () => {
  const calls = sts.calls.length;
  await callerIdentity(ALICE);
  await callerIdentity({ ...ALICE, secretAccessKey: 'x' });
  expect(sts.calls.slice(calls)).toEqual([
    { accessKeyId: ALICE.accessKeyId, action: 'GetCallerIdentity', outcome: 'ok' },
    { outcome: 'SignatureDoesNotMatch' },
  ]);
});
