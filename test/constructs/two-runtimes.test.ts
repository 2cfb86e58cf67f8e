import { Testing } from 'cdktf';
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
  buildRuntime(stack, model, {}, 'Backup');
  const json = synthesized(stack);
  expect(namesOf(json, 'aws_lambda_function', 'function_name')).toEqual(['symtail-main-Backup', 'symtail-main-Runtime']);
  expect(namesOf(json, 'aws_iam_role', 'name')).toEqual(['symtail-main-Backup', 'symtail-main-Runtime']);
  expect(namesOf(json, 'aws_cloudwatch_log_group', 'name')).toEqual(['/aws/lambda/symtail-main-Backup', '/aws/lambda/symtail-main-Runtime']);
  expect(namesOf(json, 'aws_cloudwatch_event_rule', 'name')).toEqual(['symtail-main-Backup-sweep', 'symtail-main-Runtime-sweep']);
  expect(Object.keys(json.output)).toHaveLength(8);
  for (const type of Object.keys(json.resource)) {
    const logicalIds = Object.keys(json.resource[type]);
    expect(new Set(logicalIds).size).toBe(logicalIds.length);
  }
});

test('runtimes with one id in different scopes take their names from their environments', () => {
  const stack = testStack();
  const team = new Construct(stack, 'Team');
  buildRuntime(stack, buildModel(stack), {}, 'Runtime');
  buildRuntime(team, buildModel(team, { environment: 'staging' }), { environment: 'staging' }, 'Runtime');
  const json = synthesized(stack);
  expect(namesOf(json, 'aws_lambda_function', 'function_name')).toEqual(['symtail-main-Runtime', 'symtail-staging-Runtime']);
  expect(Object.keys(json.output)).toHaveLength(8);
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
  expect(() => Testing.synth(stack, true)).toThrow(
    new RegExp(`\\[stack/Runtime\\] functionName: ${clash} .* is also used by runtime stack/Team/Runtime`),
  );
});
