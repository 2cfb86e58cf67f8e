import { FlowManifest } from '../../lib/manifest';
import { extendChoices } from '../../lib/runtime';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';

const flow = (durations: string[], maxDuration: string): FlowManifest => ({
  ...exampleManifest('http://127.0.0.1:1').flows['tailscale-ssh-access'],
  durations,
  maxDuration,
});

test.each<[string[], string, string[]]>([
  [['30m', '1h'], '1h', ['30m', '1h']],
  [['15m', '30m', '1h', '2h'], '2h', ['15m', '30m', '1h']],
  [[], '8h', ['30m', '1h', '2h']],
  [[], '1h', ['30m', '1h']],
  [[], '15m', ['15m']],
])('a flow with durations %j up to %s offers Extend by %j', (durations, maxDuration, offered) => {
  expect(extendChoices(flow(durations, maxDuration))).toEqual(offered);
});
