import { createHash } from 'node:crypto';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymStrategy, SymTarget, SymValidationError } from '../../lib/constructs';
import { serializeManifest } from '../../lib/constructs/synth/runtime-model';
import { buildModel, buildRuntime, defaultEventBusOf, onlyResource, synthesized, testStack, TerraformJson, thrownBy } from './fixtures';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';

function synthDefault(): { json: TerraformJson; runtime: SymRuntime } {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack));
  return { json: synthesized(stack), runtime };
}

/** `${type.logicalId.attribute}` of the only resource of `type`. */
function reference(json: TerraformJson, type: string, attribute: string): string {
  return `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
}

describe('the runtime synthesizes', () => {
  const { json, runtime } = synthDefault();

  test('a Secrets Manager secret named sym/<env>/<path>, tagged SymEnv, with no value', () => {
    expect(onlyResource(json, 'aws_secretsmanager_secret')).toEqual({
      name: 'sym/main/tailscale-api-key',
      description: 'API Key for Sym to call Tailscale APIs',
      tags: { SymEnv: 'main' },
    });
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/secret_string|secret_binary/);
  });

  test('a role only Lambda may assume, with no managed policies', () => {
    const role = onlyResource(json, 'aws_iam_role');
    expect(role).toEqual({
      name: 'symtail-main-Runtime',
      description: 'symtail runtime of environment main',
      assume_role_policy: expect.any(String),
      tags: { SymEnv: 'main' },
    });
    expect(JSON.parse(role.assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
    expect(json.resource.aws_iam_policy).toBeUndefined();
  });

  test('two inline policies on that role: the main one, and the one naming the function (which depends on the first)', () => {
    expect(Object.values(json.resource.aws_iam_role_policy)).toEqual([
      { name: 'symtail-runtime', role: reference(json, 'aws_iam_role', 'id'), policy: expect.any(String) },
      {
        name: 'symtail-runtime-url',
        role: reference(json, 'aws_iam_role', 'id'),
        policy: expect.stringContaining(reference(json, 'aws_lambda_function', 'arn')),
      },
    ]);
  });

  test('a log group where Lambda writes the function logs, kept 30 days', () => {
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual({
      name: '/aws/lambda/symtail-main-Runtime',
      retention_in_days: 30,
      tags: { SymEnv: 'main' },
    });
  });

  test('a Node.js function from the zipped package, after its log group and policy exist', () => {
    const fn = onlyResource(json, 'aws_lambda_function');
    expect(fn).toEqual({
      function_name: 'symtail-main-Runtime',
      description: 'symtail runtime of environment main',
      role: reference(json, 'aws_iam_role', 'arn'),
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: expect.stringMatching(/^assets\/Runtime_Package_[0-9A-F]{8}\/([0-9a-f]{64})\/\1\.zip$/),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      timeout: 30,
      memory_size: 256,
      environment: { variables: runtimeVariables() },
      tags: { SymEnv: 'main' },
      depends_on: [
        `aws_cloudwatch_log_group.${Object.keys(json.resource.aws_cloudwatch_log_group)[0]}`,
        `aws_iam_role_policy.${Object.keys(json.resource.aws_iam_role_policy)[0]}`,
      ],
    });
    expect(Number(/^nodejs(\d+)\.x$/.exec(fn.runtime as string)?.[1])).toBeGreaterThanOrEqual(20);
  });

  test("no reserved concurrency unless asked: a new account's limit of 10 leaves none to reserve", () => {
    expect(onlyResource(json, 'aws_lambda_function')).not.toHaveProperty('reserved_concurrent_executions');
    const stack = testStack();
    buildRuntime(stack, buildModel(stack), { reservedConcurrency: 5 });
    expect(onlyResource(synthesized(stack), 'aws_lambda_function').reserved_concurrent_executions).toBe(5);
  });

  test('the asset folder is named by the same content hash the function is keyed on', () => {
    const fn = onlyResource(json, 'aws_lambda_function');
    const folderHash = (fn.filename as string).split('/')[2];
    expect(Buffer.from(fn.source_code_hash as string, 'base64').toString('hex')).toBe(folderHash);
  });

  test('a schedule that sends {"action":"sweep"} to the function every minute', () => {
    expect(onlyResource(json, 'aws_cloudwatch_event_rule')).toEqual({
      name: 'symtail-main-Runtime-sweep',
      description: 'Ends expired grants of symtail environment main',
      schedule_expression: 'rate(1 minute)',
      tags: { SymEnv: 'main' },
    });
    expect(onlyResource(json, 'aws_cloudwatch_event_target')).toEqual({
      rule: reference(json, 'aws_cloudwatch_event_rule', 'name'),
      target_id: 'sweep',
      arn: reference(json, 'aws_lambda_function', 'arn'),
      input: '{"action":"sweep"}',
    });
  });

  test('a permission for EventBridge to invoke the function from that rule only', () => {
    expect(onlyResource(json, 'aws_lambda_permission')).toEqual({
      statement_id: 'AllowSweepSchedule',
      action: 'lambda:InvokeFunction',
      function_name: reference(json, 'aws_lambda_function', 'function_name'),
      principal: 'events.amazonaws.com',
      source_arn: reference(json, 'aws_cloudwatch_event_rule', 'arn'),
    });
  });

  test('outputs named as documented, so `terraform output requests_url` finds them: function name and ARN, requests URL, the SHA-256 of manifest.json', () => {
    const outputs = Object.entries(json.output).map(([id, o]) => [id, o.value]);
    expect(Object.fromEntries(outputs)).toEqual({
      function_name: reference(json, 'aws_lambda_function', 'function_name'),
      function_arn: reference(json, 'aws_lambda_function', 'arn'),
      manifest_hash: createHash('sha256').update(serializeManifest(runtime.manifest)).digest('hex'),
      requests_url: reference(json, 'aws_lambda_function_url', 'function_url'),
    });
    expect(runtime.outputs.map((o) => o.friendlyUniqueId)).toEqual(['function_name', 'function_arn', 'requests_url', 'manifest_hash']);
    expect(runtime.manifestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("a sweep alarm of another length reaches the function, so its check judges the last sweep's age as the alarm does", () => {
    const stack = testStack();
    buildRuntime(stack, buildModel(stack), { sweepSchedule: 'rate(10 minutes)', sweepAlarmMinutes: 30 });
    expect(
      (onlyResource(synthesized(stack), 'aws_lambda_function').environment as { variables: Record<string, string> }).variables.SYMTAIL_SWEEP_ALARM_MINUTES,
    ).toBe('30');
  });

  test('no secret in Lambda environment variables: they name the requests table, the record key, the event bus, the sweep rule and the sweep alarm minutes, nothing else', () => {
    expect(onlyResource(json, 'aws_lambda_function').environment).toEqual({ variables: runtimeVariables() });
  });

  /** The function's environment: its table, its record key and its event bus (the default bus of its account and region). */
  function runtimeVariables(): Record<string, string> {
    return {
      SYMTAIL_REQUESTS_TABLE: reference(json, 'aws_dynamodb_table', 'name'),
      SYMTAIL_RECORD_KEY: reference(json, 'aws_kms_key', 'arn'),
      SYMTAIL_EVENT_BUS: defaultEventBusOf(reference(json, 'aws_cloudwatch_log_group', 'arn')),
      SYMTAIL_SWEEP_RULE: onlyResource(json, 'aws_cloudwatch_event_rule').name as string,
      SYMTAIL_SWEEP_ALARM_MINUTES: '15',
    };
  }

  test('no provider of its own, and no provider argument when none is given', () => {
    expect(json.provider.aws).toEqual([{ region: 'us-east-1' }]);
    for (const resources of Object.values(json.resource)) {
      for (const resource of Object.values(resources)) expect(resource.provider).toBeUndefined();
    }
  });
});

test('props override the defaults', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack), {
    functionName: 'tailnet-access',
    logRetentionDays: 365,
    timeoutSeconds: 60,
    memorySize: 512,
    sweepSchedule: 'cron(0/5 * * * ? *)',
  });
  const json = synthesized(stack);
  expect(onlyResource(json, 'aws_lambda_function')).toMatchObject({ function_name: 'tailnet-access', timeout: 60, memory_size: 512 });
  expect(onlyResource(json, 'aws_iam_role')).toMatchObject({ name: 'tailnet-access' });
  expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/tailnet-access', retention_in_days: 365 });
  expect(onlyResource(json, 'aws_cloudwatch_event_rule')).toMatchObject({
    name: 'tailnet-access-sweep',
    schedule_expression: 'cron(0/5 * * * ? *)',
  });
});

test('a secret encrypted with a customer key names that key', () => {
  const stack = testStack();
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  buildModel(stack, { secret: (source) => new SymSecret(stack, 'Key', { source, path: 'k', kmsKeyId: keyArn }) });
  expect(onlyResource(synthesized(stack), 'aws_secretsmanager_secret')).toEqual({ name: 'sym/main/k', kms_key_id: keyArn, tags: { SymEnv: 'main' } });
});

describe('the manifest', () => {
  test('holds every construct the flows reach, with the defaults filled in', () => {
    const { runtime } = synthDefault();
    expect(runtime.manifest).toEqual(exampleManifest('https://api.tailscale.com', { integration: { identityOverrides: {} } }));
  });

  test.each([
    { durations: undefined, maxDuration: undefined, expected: '1h' },
    { durations: ['15m', '4h', '1h'], maxDuration: undefined, expected: '4h' },
    { durations: ['15m'], maxDuration: '1d', expected: '1d' },
  ])('maxDuration defaults to the longest duration, else 1h: $durations → $expected', ({ durations, maxDuration, expected }) => {
    const stack = testStack();
    const runtime = buildRuntime(stack, buildModel(stack, { flowParams: { durations, maxDuration } }));
    expect(runtime.manifest.flows['tailscale-ssh-access'].maxDuration).toBe(expected);
  });

  test('carries target options, OAuth credentials with a JSON key, and lower-cased override emails', () => {
    const stack = testStack();
    const m = buildModel(stack);
    const oauth = new SymSecret(stack, 'OAuth', { source: m.secrets, path: 'oauth', settings: { jsonKey: 'tailscale' } });
    const integration = new SymIntegration(stack, 'OAuthIntegration', {
      name: 'oauth-integration',
      externalId: '-',
      apiBaseUrl: 'http://127.0.0.1:8080',
      settings: { oauthClientSecret: oauth },
      identityOverrides: { 'Dana@Example.com': 'dana@github' },
    });
    const db = new SymTarget(stack, 'Db', { name: 'db', label: 'DB', settings: { groupName: 'db' }, maxDuration: '4h', exclusive: true, createGroup: true });
    const strategy = new SymStrategy(stack, 'DbStrategy', { name: 'db-strategy', integration, targets: [db] });
    const flow = new SymFlow(stack, 'DbFlow', {
      name: 'db-flow',
      label: 'DB',
      params: { approvers: ['bob@example.com'], strategy, allowRevoke: false, reasonRequired: false, allowedRequesters: ['@example.com', 'ops@partner.com'] },
    });
    const runtime = buildRuntime(stack, m, { flows: [flow] });
    expect(runtime.manifest.integrations['oauth-integration']).toEqual({
      type: 'tailscale',
      name: 'oauth-integration',
      externalId: '-',
      apiBaseUrl: 'http://127.0.0.1:8080',
      credential: { kind: 'oauthClient', secretId: 'sym/main/oauth', region: 'us-east-1', jsonKey: 'tailscale' },
      identityOverrides: { 'dana@example.com': 'dana@github' },
    });
    expect(runtime.manifest.targets.db).toEqual({
      type: 'tailscale_group',
      name: 'db',
      label: 'DB',
      groupName: 'db',
      maxDuration: '4h',
      exclusive: true,
      createGroup: true,
    });
    expect(runtime.manifest.flows['db-flow']).toMatchObject({
      allowRevoke: false,
      reasonRequired: false,
      allowedRequesters: ['@example.com', 'ops@partner.com'],
    });
    expect(Object.keys(runtime.manifest.integrations)).toEqual(['oauth-integration']);
  });

  test('does not depend on the order of flows', () => {
    const hashes = [0, 1].map((reversed) => {
      const stack = testStack();
      const a = buildModel(stack, { prefix: 'a-' });
      const b = buildModel(stack, { prefix: 'b-' });
      const flows = reversed ? [b.flow, a.flow] : [a.flow, b.flow];
      return buildRuntime(stack, a, { flows }).manifestHash;
    });
    expect(hashes[0]).toBe(hashes[1]);
  });
});

test("each resource and data source takes the provider of its secrets: secrets their source's, the runtime the one of the secrets it reads", () => {
  const stack = testStack();
  const secretsRegion = new AwsProvider(stack, 'secrets-region', { alias: 'secrets', region: 'eu-west-1' });
  const model = buildModel(stack, {
    secret: (source) => SymSecret.fromSecretName(stack, 'Shared', 'shared/tailscale', { source }),
  });
  const created = new SymSecret(stack, 'Created', {
    source: new SymSecrets(stack, 'Regional', { name: 'r', environment: 'main', provider: secretsRegion }),
    path: 'k',
  });
  const lookedUp = SymSecret.fromSecretName(stack, 'Regional-Lookup', 'regional/tailscale', { source: created.source });
  const integration = new SymIntegration(stack, 'Regional-Integration', { name: 'regional', externalId: '-', settings: { apiTokenSecret: lookedUp } });
  const strategy = new SymStrategy(stack, 'Regional-Strategy', { name: 'regional-strategy', integration, targets: [model.prod] });
  const flow = new SymFlow(stack, 'Regional-Flow', { name: 'regional-flow', label: 'Regional', params: { approvers: ['bob@example.com'], strategy } });
  const runtime = buildRuntime(stack, model, { flows: [flow] });
  expect(runtime.manifest.integrations.regional.credential).toEqual({ kind: 'apiKey', secretId: 'regional/tailscale', region: 'eu-west-1' });
  const json = synthesized(stack);
  expect(Object.values(json.resource.aws_secretsmanager_secret).map((r) => r.provider)).toEqual(['aws.secrets']);
  expect(Object.values(json.data?.aws_secretsmanager_secret ?? {}).map((d) => d.provider)).toEqual(['aws.secrets']);
  for (const [type, resources] of Object.entries(json.resource).filter(([type]) => type !== 'aws_secretsmanager_secret')) {
    for (const resource of Object.values(resources)) expect([type, resource.provider]).toEqual([type, 'aws.secrets']);
  }
});

test('a manifest the schema refuses stops the runtime, even if every construct check passed', () => {
  const stack = testStack();
  const model = buildModel(stack);
  jest.spyOn(model.flow, 'manifestEntry').mockReturnValue({ ...model.flow.manifestEntry(), maxDuration: 'forever' });
  const error = thrownBy(() => buildRuntime(stack, model));
  expect(error).toBeInstanceOf(SymValidationError);
  expect(error.message).toContain('[stack/Runtime] flows: they make an invalid manifest: manifest.flows.tailscale-ssh-access.maxDuration: must match pattern');
});
