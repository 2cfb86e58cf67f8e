import { App } from 'cdktf';
import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import { buildBareStack } from '../../scripts/bench/synth-apps/bare-stack';
import { buildManyTargets } from '../../scripts/bench/synth-apps/many-targets';
import { synthApp, TerraformJson } from '../examples/synth-app';

const countsOf = (json: TerraformJson) => Object.fromEntries(Object.entries(json.resource).map(([type, byId]) => [type, Object.keys(byId).length]));

// The synth figure divides by a bare stack of the same resources: every type its apps synthesize must have a plain
// counterpart, or the figure fails on the next resource a construct gains.
it.each([
  ['tailscale-ssh-access', (app: App) => buildTailscaleSshAccess(app)],
  ['many-targets', (app: App) => buildManyTargets(app, 3)],
])('the bare stack reproduces the resource counts of the %s app', (stackId, build) => {
  const example = countsOf(synthApp(build, stackId).json);
  const bare = countsOf(synthApp((app) => buildBareStack(app, example), 'bare').json);
  expect(bare).toEqual(example);
});
