import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymStrategy, SymTarget } from '../../../lib';

const MANY_TARGETS_STACK = 'many-targets';

/** A large deployment: `count` groups, each with its own target, strategy and flow, served by one runtime. */
export function buildManyTargets(app: App, count: number): TerraformStack {
  const stack = new TerraformStack(app, MANY_TARGETS_STACK);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const secrets = new SymSecrets(stack, 'secrets', { name: 'main-sym-secrets', environment: 'main' });
  const apiKey = new SymSecret(stack, 'api_key', { source: secrets, path: 'tailscale-api-key' });
  const integration = new SymIntegration(stack, 'tailscale', { name: 'main-tailscale', externalId: 'example.com', settings: { apiTokenSecret: apiKey } });
  const flows = Array.from({ length: count }, (_, i) => {
    const target = new SymTarget(stack, `target_${i}`, { name: `team-${i}-access`, label: `Team ${i} access`, settings: { groupName: `team-${i}` } });
    const strategy = new SymStrategy(stack, `strategy_${i}`, { name: `team-${i}-strategy`, integration, targets: [target] });
    return new SymFlow(stack, `flow_${i}`, {
      name: `team-${i}-flow`,
      label: `Team ${i} access`,
      params: { approvers: ['bob@example.com'], strategy, durations: ['30m', '1h'] },
    });
  });
  new SymRuntime(stack, 'runtime', { environment: 'main', flows });
  return stack;
}
