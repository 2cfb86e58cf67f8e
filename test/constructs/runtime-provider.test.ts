import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { SymRuntime } from '../../lib/constructs';
import { SymValidationError } from '../../lib/constructs/validation';
import { buildModel, buildRuntime, synthesized, testStack } from './fixtures';

/** The stack's default provider plus an aliased one in another region. */
function twoProviders(): { stack: TerraformStack; west: AwsProvider } {
  const stack = testStack();
  return { stack, west: new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' }) };
}

/** The model, its SymSecrets on `provider`. */
const modelOn = (stack: TerraformStack, provider: AwsProvider | undefined) => buildModel(stack, { secretsProvider: provider });

function thrown(f: () => unknown): SymValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof SymValidationError) return e;
    throw e;
  }
  throw new Error('expected a SymValidationError');
}

test('without a provider of its own, the runtime uses the provider of the secrets it reads, for every resource', () => {
  const { stack, west } = twoProviders();
  const runtime = buildRuntime(stack, modelOn(stack, west));
  const json = synthesized(stack);
  for (const [type, resources] of Object.entries(json.resource)) {
    for (const resource of Object.values(resources)) expect([type, resource.provider]).toEqual([type, 'aws.west']);
  }
  expect(runtime.manifest.integrations['main-tailscale-integration'].credential).toEqual({
    kind: 'apiKey',
    secretId: 'sym/main/tailscale-api-key',
    region: 'us-west-2',
  });
});

test('a runtime given a provider that contradicts its secrets is refused at synth, naming both constructs', () => {
  const { stack, west } = twoProviders();
  const defaultProvider = stack.node.findChild('aws') as AwsProvider;
  const model = modelOn(stack, west);
  const error = thrown(() => new SymRuntime(stack, 'Runtime', { environment: 'main', flows: [model.flow], provider: defaultProvider }));
  expect(error.message).toContain(
    '[stack/Runtime] provider: SymRuntime stack/Runtime is given provider stack/aws, but SymSecrets stack/Secrets, whose secrets it reads, uses stack/west (alias "west")',
  );
});

test('secrets on the default provider may be read by a runtime given another: the manifest names their region', () => {
  const { stack, west } = twoProviders();
  const model = modelOn(stack, undefined);
  const runtime = new SymRuntime(stack, 'Runtime', { environment: 'main', flows: [model.flow], provider: west });
  expect(runtime.lambdaFunction.provider).toBe(west);
  expect(runtime.manifest.integrations['main-tailscale-integration'].credential).toMatchObject({ region: 'us-east-1' });
});

test('secrets of two providers and no provider for the runtime are refused, naming each source', () => {
  const { stack, west } = twoProviders();
  const a = buildModel(stack, { secretsProvider: west });
  const b = buildModel(stack, { prefix: 'b-' });
  const error = thrown(() => new SymRuntime(stack, 'Runtime', { environment: 'main', flows: [a.flow, b.flow] }));
  expect(error.message).toContain('SymSecrets stack/Secrets uses stack/west (alias "west"); SymSecrets stack/b-Secrets uses the stack\'s default provider');
  expect(error.message).toContain("pass provider to choose the runtime's");
});

test('a provider whose region is not a literal leaves the region out: the runtime asks its own region', () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', {});
  const runtime = buildRuntime(stack, buildModel(stack));
  expect(runtime.manifest.integrations['main-tailscale-integration'].credential).toEqual({ kind: 'apiKey', secretId: 'sym/main/tailscale-api-key' });
});
