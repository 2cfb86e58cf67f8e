import { buildModel, buildRuntime, testStack, thrownBy } from './fixtures';

test('self-extension is off unless a flow sets it, and then the manifest carries its total maximum', () => {
  const stack = testStack();
  expect(buildRuntime(stack, buildModel(stack)).manifest.flows['tailscale-ssh-access'].selfExtension).toBeUndefined();
  const other = testStack();
  const runtime = buildRuntime(other, buildModel(other, { flowParams: { selfExtension: { maxTotal: '4h' } } }));
  expect(runtime.manifest.flows['tailscale-ssh-access'].selfExtension).toEqual({ maxTotal: '4h' });
});

test.each([
  ['not a duration', { maxTotal: 'four hours' }],
  ['missing', {} as { maxTotal: string }],
])('a self-extension maximum %s is refused at synth, naming the prop', (_case, selfExtension) => {
  const stack = testStack();
  expect(thrownBy(() => buildModel(stack, { flowParams: { selfExtension } })).message).toContain('params.selfExtension.maxTotal: expected a duration');
});
