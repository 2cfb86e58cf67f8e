import { EmulatedSecretSource } from '../../scripts/bench/emulated-secret-source';

test('answers each read with the stored value and counts it', async () => {
  const source = new EmulatedSecretSource({ 'sym/main/key': 'value' }, 1);
  await expect(source.getSecretString('sym/main/key')).resolves.toBe('value');
  await expect(source.getSecretString('sym/main/key')).resolves.toBe('value');
  expect(source.reads).toBe(2);
});

test('names an unknown secret, and counts the read it cost', async () => {
  const source = new EmulatedSecretSource({ 'sym/main/key': 'value' }, 1);
  await expect(source.getSecretString('sym/main/other')).rejects.toThrow('secret sym/main/other: not found');
  expect(source.reads).toBe(1);
});
