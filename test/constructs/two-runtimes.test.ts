import { TerraformOutput, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { SymRuntime } from '../../lib/constructs';
import { buildModel, buildRuntime, synthesized, testStack, TerraformJson } from './fixtures';

function namesOf(json: TerraformJson, type: string, attribute: string): string[] {
  return Object.values(json.resource[type])
    .map((r) => r[attribute] as string)
    .sort();
}

test('two runtimes in one stack share no function, role, log group, rule or output name', () => {
  const stack = testStack();
  const model = buildModel(stack);
  buildRuntime(stack, model, {}, 'Runtime');
  buildRuntime(stack, model, { outputPrefix: 'backup' }, 'Backup');
  const json = synthesized(stack);
  expect(namesOf(json, 'aws_lambda_function', 'function_name')).toEqual(['symtail-main-Backup', 'symtail-main-Runtime']);
  expect(namesOf(json, 'aws_iam_role', 'name')).toEqual(['symtail-main-Backup', 'symtail-main-Runtime']);
  expect(namesOf(json, 'aws_cloudwatch_log_group', 'name')).toEqual(['/aws/lambda/symtail-main-Backup', '/aws/lambda/symtail-main-Runtime']);
  expect(namesOf(json, 'aws_cloudwatch_event_rule', 'name')).toEqual(['symtail-main-Backup-sweep', 'symtail-main-Runtime-sweep']);
  expect(Object.keys(json.output).sort()).toEqual([
    'backup_function_arn',
    'backup_function_name',
    'backup_manifest_hash',
    'backup_requests_url',
    'function_arn',
    'function_name',
    'manifest_hash',
    'requests_url',
  ]);
  for (const type of Object.keys(json.resource)) {
    const logicalIds = Object.keys(json.resource[type]);
    expect(new Set(logicalIds).size).toBe(logicalIds.length);
  }
});

test('runtimes with one id in different scopes take their names from their environments', () => {
  const stack = testStack();
  const team = new Construct(stack, 'Team');
  buildRuntime(stack, buildModel(stack), { outputPrefix: 'main' }, 'Runtime');
  buildRuntime(team, buildModel(team, { environment: 'staging' }), { environment: 'staging', outputPrefix: 'staging' }, 'Runtime');
  const json = synthesized(stack);
  expect(namesOf(json, 'aws_lambda_function', 'function_name')).toEqual(['symtail-main-Runtime', 'symtail-staging-Runtime']);
  expect(Object.keys(json.output)).toHaveLength(8);
});

test.each([
  { name: 'neither has an outputPrefix', a: {}, b: {}, clash: 'function_name, function_arn, requests_url, manifest_hash' },
  {
    name: 'both have the same outputPrefix',
    a: { outputPrefix: 'access' },
    b: { outputPrefix: 'access' },
    clash: 'access_function_name, access_function_arn, access_requests_url, access_manifest_hash',
  },
])('two runtimes whose outputs would share names fail the synth naming outputPrefix: $name', ({ a, b, clash }) => {
  const stack = testStack();
  const model = buildModel(stack);
  buildRuntime(stack, model, a, 'Runtime');
  buildRuntime(stack, model, b, 'Backup');
  expect(() => Testing.synth(stack, true)).toThrow(
    `[stack/Backup] outputPrefix: the outputs ${clash} are also outputs of runtime stack/Runtime in this stack; give each runtime of a stack its own outputPrefix`,
  );
});

test("an output of the stack's own with a runtime's output name fails the synth, naming it", () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack));
  new TerraformOutput(stack, 'requests_url', { value: 'mine', staticId: true });
  expect(() => Testing.synth(stack, true)).toThrow(
    '[stack/Runtime] outputPrefix: the output requests_url is also an output of output stack/requests_url in this stack',
  );
});

test('outputPrefix is checked: an output name needs a letter first and no "-"', () => {
  const stack = testStack();
  expect(() => buildRuntime(stack, buildModel(stack), { outputPrefix: '1-staging' })).toThrow(
    '[stack/Runtime] outputPrefix: expected an output name prefix of letters, digits and "_", starting with a letter, such as "staging", got "1-staging"',
  );
});

test.each([
  { name: 'the same functionName', a: { functionName: 'access' }, b: { functionName: 'access' }, clash: '"access"' },
  { name: 'function names differing only in case', a: { functionName: 'access' }, b: { functionName: 'Access' }, clash: '"access"' },
  { name: 'one environment and id in two scopes', a: {}, b: {}, clash: '"symtail-main-Runtime"' },
])('$name in one stack fails the synth naming both runtimes', ({ a, b, clash }) => {
  const stack = testStack();
  const model = buildModel(stack);
  new SymRuntime(stack, 'Runtime', { environment: 'main', flows: [model.flow], ...a });
  new SymRuntime(new Construct(stack, 'Team'), 'Runtime', { environment: 'main', flows: [model.flow], ...b });
  expect(() => Testing.synth(stack, true)).toThrow(new RegExp(`\\[stack/Runtime\\] functionName: ${clash} .* is also used by runtime stack/Team/Runtime`));
});
