import { SecretsManagerSource } from '../../lib/runtime/credentials';
import { FakeSecretsManager } from '../../lib/testing';

const saved = { ...process.env };
let fake: FakeSecretsManager;
beforeAll(async () => {
  fake = await FakeSecretsManager.start({ 'sym/main/k': 'v' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake',
  });
});
afterAll(async () => {
  process.env = saved;
  await fake.stop();
});

test.each([
  ['the region the manifest names', 'eu-west-1', 'eu-west-1'],
  ["the runtime's own region when it names none", undefined, 'us-east-1'],
])('the real Secrets Manager client asks %s', async (_name, region, signedFor) => {
  const source = new SecretsManagerSource();
  expect(await source.getSecretString('sym/main/k', region)).toBe('v');
  expect(fake.regions[fake.regions.length - 1]).toBe(signedFor);
});

test('one source keeps a client per region', async () => {
  const source = new SecretsManagerSource();
  await source.getSecretString('sym/main/k', 'ap-south-1');
  await source.getSecretString('sym/main/k');
  await source.getSecretString('sym/main/k', 'ap-south-1');
  expect(fake.regions.slice(-3)).toEqual(['ap-south-1', 'us-east-1', 'ap-south-1']);
});
