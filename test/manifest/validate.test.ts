import { ManifestError, validateManifest } from '../../lib/manifest';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';

const base = () => JSON.parse(JSON.stringify(exampleManifest('https://api.tailscale.com')));

test('references to names Object.prototype carries are dangling, not resolved', () => {
  const m = base();
  m.strategies['main-tailscale-strategy'].integration = 'constructor';
  m.strategies['main-tailscale-strategy'].targets = ['toString'];
  m.flows['tailscale-ssh-access'].strategy = 'hasOwnProperty';
  let error: unknown;
  try {
    validateManifest(m);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ManifestError);
  expect((error as ManifestError).problems).toEqual([
    'manifest.strategies.main-tailscale-strategy.integration: no integration named "constructor"',
    'manifest.strategies.main-tailscale-strategy.targets: no target named "toString"',
    'manifest.flows.tailscale-ssh-access.strategy: no strategy named "hasOwnProperty"',
  ]);
});

test('the example manifest is valid as it is', () => {
  expect(validateManifest(base())).toEqual(base());
});
