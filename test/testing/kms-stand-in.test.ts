import { GenerateMacCommand, KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import { KmsMacKey, RecordKeyError } from '../../lib/requests';
import { KmsStandIn } from '../../lib/testing';
import RFC4231 from './fixtures/rfc4231-hmac-sha256.json';

// The KMS stand-in, driven by the real AWS SDK client over loopback: the HMAC it computes is checked against the
// HMAC-SHA-256 vectors of RFC 4231, and its refusals against what KMS answers.

const arn = (id: string) => `arn:aws:kms:us-east-1:111122223333:key/${id}`;
const hex = (s: string) => Buffer.from(s, 'hex');
const KEY = arn('1234abcd-12ab-34cd-56ef-1234567890ab');
const SECRET = Buffer.alloc(32, 7);

let kms: KmsStandIn;
let client: KMSClient;

beforeAll(async () => {
  kms = await KmsStandIn.start({
    [KEY]: SECRET,
    [arn('encrypt-only')]: { secret: SECRET, keyUsage: 'ENCRYPT_DECRYPT' },
    ...Object.fromEntries(RFC4231.cases.map((c, i) => [arn(`rfc4231-${i}`), hex(c.key)])),
  });
  client = new KMSClient({ endpoint: kms.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' } });
});
afterAll(async () => {
  client.destroy();
  await kms.stop();
});

test.each(RFC4231.cases.map((c, i) => [c.name, i, c] as const))(
  'GenerateMac computes HMAC-SHA-256 as RFC 4231 %s says, and VerifyMac accepts it',
  async (_name, i, vector) => {
    const KeyId = arn(`rfc4231-${i}`);
    const generated = await client.send(new GenerateMacCommand({ KeyId, Message: hex(vector.data), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(generated.Mac!).toString('hex')).toBe(vector.hmacSha256);
    expect(generated).toMatchObject({ KeyId, MacAlgorithm: 'HMAC_SHA_256' });
    const verified = await client.send(new VerifyMacCommand({ KeyId, Message: hex(vector.data), Mac: hex(vector.hmacSha256), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(verified).toMatchObject({ KeyId, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' });
  },
);

/** What the SDK throws for a call: the error's name and HTTP status, as KMS's JSON 1.1 errors parse. */
async function refusal(command: GenerateMacCommand | VerifyMacCommand): Promise<{ name: string; status?: number }> {
  try {
    await client.send(command as never);
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

const MESSAGE = Buffer.from('a message');
test.each<[string, () => GenerateMacCommand | VerifyMacCommand, string]>([
  [
    'a MAC that does not match',
    () => new VerifyMacCommand({ KeyId: KEY, Message: MESSAGE, Mac: Buffer.alloc(32), MacAlgorithm: 'HMAC_SHA_256' }),
    'KMSInvalidMacException',
  ],
  [
    'a MAC of the wrong length',
    () => new VerifyMacCommand({ KeyId: KEY, Message: MESSAGE, Mac: Buffer.alloc(5), MacAlgorithm: 'HMAC_SHA_256' }),
    'KMSInvalidMacException',
  ],
  ['a key it does not hold', () => new GenerateMacCommand({ KeyId: arn('0000'), Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }), 'NotFoundException'],
  [
    'a key not made for MACs',
    () => new GenerateMacCommand({ KeyId: arn('encrypt-only'), Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }),
    'InvalidKeyUsageException',
  ],
  [
    'an algorithm an HMAC_256 key does not have',
    () => new GenerateMacCommand({ KeyId: KEY, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_384' }),
    'InvalidKeyUsageException',
  ],
  [
    'a message over 4,096 bytes',
    () => new GenerateMacCommand({ KeyId: KEY, Message: Buffer.alloc(4097), MacAlgorithm: 'HMAC_SHA_256' }),
    'ValidationException',
  ],
])('answers %s as KMS does, with a 400', async (_what, command, name) => {
  expect(await refusal(command())).toEqual({ name, status: 400 });
});

test('a MAC made under one key does not verify under another, nor for another message', async () => {
  const { Mac } = await client.send(new GenerateMacCommand({ KeyId: KEY, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }));
  expect(await refusal(new VerifyMacCommand({ KeyId: arn('rfc4231-0'), Message: MESSAGE, Mac, MacAlgorithm: 'HMAC_SHA_256' }))).toMatchObject({
    name: 'KMSInvalidMacException',
  });
  expect(await refusal(new VerifyMacCommand({ KeyId: KEY, Message: Buffer.from('a message!'), Mac, MacAlgorithm: 'HMAC_SHA_256' }))).toMatchObject({
    name: 'KMSInvalidMacException',
  });
});

test('a key is found by its ARN or by the key id the ARN ends with', async () => {
  const { KeyId } = await client.send(
    new GenerateMacCommand({ KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }),
  );
  expect(KeyId).toBe(KEY);
});

test('a call without a SigV4 signature for kms is refused', async () => {
  const answer = await fetch(kms.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.GenerateMac' },
    body: JSON.stringify({ KeyId: KEY, Message: MESSAGE.toString('base64'), MacAlgorithm: 'HMAC_SHA_256' }),
  });
  expect(answer.status).toBe(400);
  expect(await answer.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
});

test('every call is counted by operation, refusals included', async () => {
  const before = { generate: kms.count('GenerateMac'), verify: kms.count('VerifyMac') };
  const { Mac } = await client.send(new GenerateMacCommand({ KeyId: KEY, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }));
  await client.send(new VerifyMacCommand({ KeyId: KEY, Message: MESSAGE, Mac, MacAlgorithm: 'HMAC_SHA_256' }));
  await refusal(new VerifyMacCommand({ KeyId: KEY, Message: MESSAGE, Mac: Buffer.alloc(32), MacAlgorithm: 'HMAC_SHA_256' }));
  expect({ generate: kms.count('GenerateMac') - before.generate, verify: kms.count('VerifyMac') - before.verify }).toEqual({ generate: 1, verify: 2 });
  expect(kms.calls.at(-1)).toEqual({ operation: 'VerifyMac', keyId: KEY, error: 'KMSInvalidMacException' });
});

describe('the runtime’s KMS key adapter', () => {
  test('makes MACs that verify, and answers false (not an error) for one that does not match', async () => {
    const key = new KmsMacKey(KEY, client);
    const mac = await key.generateMac(MESSAGE);
    expect(mac).toHaveLength(32);
    await expect(key.verifyMac(MESSAGE, mac)).resolves.toBe(true);
    await expect(key.verifyMac(Buffer.from('another'), mac)).resolves.toBe(false);
  });

  test('a key KMS cannot use is an error naming the key and what KMS said, never a verdict', async () => {
    const missing = new KmsMacKey(arn('0000'), client);
    await expect(missing.verifyMac(MESSAGE, Buffer.alloc(32))).rejects.toThrow(RecordKeyError);
    await expect(missing.generateMac(MESSAGE)).rejects.toMatchObject({
      code: 'record-key-unavailable',
      message: expect.stringMatching(/^KMS GenerateMac with the record key arn:aws:kms:us-east-1:111122223333:key\/0000 failed: NotFoundException/),
    });
  });
});
