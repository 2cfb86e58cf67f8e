import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FakeSecretsManager } from '../../lib/testing';

const NO_VALUE = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/secrets-manager-no-value.json'), 'utf8')) as {
  request: { target: string; body: { SecretId: string } };
  response: { status: number; body: { __type: string; message: string } };
  sdkError: { name: string; message: string; $fault: string; httpStatusCode: number };
  notFound: { body: { __type: string; message: string } };
};

let fake: FakeSecretsManager;
beforeAll(async () => {
  fake = await FakeSecretsManager.start({ 'sym/main/set': 'value', [NO_VALUE.request.body.SecretId]: null });
});
afterAll(() => fake.stop());

const client = () =>
  new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
  });

test('a secret created without a value is answered as Secrets Manager answers it, on the wire and through the SDK', async () => {
  const response = await fetch(fake.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': NO_VALUE.request.target },
    body: JSON.stringify(NO_VALUE.request.body),
  });
  expect(response.status).toBe(NO_VALUE.response.status);
  expect(await response.json()).toEqual(NO_VALUE.response.body);

  const error = (await client()
    .send(new GetSecretValueCommand(NO_VALUE.request.body))
    .then(
      () => ({}),
      (e: unknown) => e,
    )) as Record<string, unknown> & { $metadata?: { httpStatusCode?: number } };
  expect({ name: error.name, message: error.message, $fault: error.$fault, httpStatusCode: error.$metadata?.httpStatusCode }).toEqual(NO_VALUE.sdkError);
});

test('a secret that does not exist is another answer: the secret itself is not found', async () => {
  const error = (await client()
    .send(new GetSecretValueCommand({ SecretId: 'sym/main/nope' }))
    .then(
      () => ({}),
      (e: unknown) => e,
    )) as Partial<Error>;
  expect({ __type: error.name, message: error.message }).toEqual(NO_VALUE.notFound.body);
});

test('a set secret is read, and only reads that were answered are recorded', async () => {
  await expect(client().send(new GetSecretValueCommand({ SecretId: 'sym/main/set' }))).resolves.toMatchObject({ SecretString: 'value', Name: 'sym/main/set' });
  expect(fake.reads).toEqual(['sym/main/set']);
});
