import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import { onlyResource, referenceTo, runtimePolicyStatements, SynthesizedApp, synthApp } from './synth-app';
import { EditableJson } from '../support/editable-json';

const STACK = 'tailscale-ssh-access';
let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp((app) => buildTailscaleSshAccess(app), STACK);
});
afterAll(() => fs.rmSync(synthesized.outdir, { recursive: true, force: true }));

test('the API key secret is sym/main/tailscale-api-key, tagged SymEnv = main, and has no value in Terraform', () => {
  const { json } = synthesized;
  expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({
    name: 'sym/main/tailscale-api-key',
    description: 'API Key for Sym to call Tailscale APIs',
    tags: { SymEnv: 'main' },
  });
  expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
});

test('the function zip holds the handler and a manifest listing the prod and staging targets', () => {
  const { json, stackDir } = synthesized;
  const zip = new AdmZip(path.join(stackDir, onlyResource(json, 'aws_lambda_function').filename as string));
  expect(
    zip
      .getEntries()
      .map((e) => e.entryName)
      .sort(),
  ).toEqual(['index.js', 'manifest.json']);
  const manifest = JSON.parse(zip.readAsText('manifest.json'));
  expect(Object.values(manifest.targets).map((t: EditableJson) => [t.name, t.label, t.groupName])).toEqual([
    ['main-prod-access', 'Prod SSH Access', 'prod'],
    ['main-staging-access', 'Staging SSH Access', 'staging'],
  ]);
  expect(manifest.strategies['main-tailscale-strategy']).toEqual({
    type: 'tailscale',
    name: 'main-tailscale-strategy',
    integration: 'main-tailscale-integration',
    targets: ['main-prod-access', 'main-staging-access'],
  });
  expect(manifest.flows['tailscale-ssh-access']).toMatchObject({ reasonRequired: true, durations: ['30m', '1h'], maxDuration: '1h' });
  expect(manifest.integrations['main-tailscale-integration']).toMatchObject({
    externalId: 'example.com',
    credential: { kind: 'apiKey', secretId: 'sym/main/tailscale-api-key' },
  });
});

test("the flow needs one approval from bob or carol, never the requester's own, within an hour; callers are Identity Center users of the function's account", () => {
  const { json, stackDir } = synthesized;
  const manifest = JSON.parse(new AdmZip(path.join(stackDir, onlyResource(json, 'aws_lambda_function').filename as string)).readAsText('manifest.json'));
  expect(manifest.flows['tailscale-ssh-access'].approval).toEqual({
    autoApprove: false,
    approvers: ['bob@example.com', 'carol@example.com'],
    approverGroups: [],
    requiredApprovals: 1,
    allowSelfApproval: false,
    approvalWindow: '1h',
  });
  expect(manifest.requests).toEqual({ principals: [{ kind: 'identityCenter', accounts: 'own', permissionSets: [] }], allowAssertedIdentity: false });
  expect(onlyResource(json, 'aws_lambda_function_url')).toMatchObject({ authorization_type: 'AWS_IAM' });
});

test('GetSecretValue names exactly that secret, and no statement grants on "*"', () => {
  const { json } = synthesized;
  const statements = runtimePolicyStatements(json);
  expect(statements.find((s) => s.Action === 'secretsmanager:GetSecretValue')?.Resource).toEqual([referenceTo(json, 'aws_secretsmanager_secret', 'arn')]);
  expect(statements.flatMap((s) => s.Resource)).not.toContain('*');
});

test('the app owns its one AWS provider', () => {
  expect(synthesized.json.provider.aws).toEqual([{ region: 'us-east-1' }]);
});

describe('the compiled app, as `cdktf synth` runs it', () => {
  const compiled = path.resolve(__dirname, '../../dist/examples/tailscale-ssh-access/main.js');

  function runApp(): string {
    if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: run "npm run build" first`);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-example-app-'));
    try {
      execFileSync(process.execPath, [compiled], { env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' });
      return fs.readFileSync(path.join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('writes byte-identical cdk.tf.json on two runs', () => {
    const first = runApp();
    expect(runApp()).toBe(first);
    expect(JSON.parse(first).resource.aws_lambda_function).toBeDefined();
  });
});

test('failure is loud: alarms on errors, on sweeps that stop succeeding, on an API key close to expiry, on tampered records and on break-glass, all telling its topic; a failure queue; no reserved concurrency', () => {
  const { json } = synthesized;
  const fn = onlyResource(json, 'aws_lambda_function');
  expect(fn).toMatchObject({ function_name: 'symtail-main-runtime' });
  expect(fn).not.toHaveProperty('reserved_concurrent_executions');
  const topic = referenceTo(json, 'aws_sns_topic', 'arn');
  expect(onlyResource(json, 'aws_sns_topic')).toMatchObject({ name: 'symtail-main-runtime-alarms' });
  const logGroup = referenceTo(json, 'aws_cloudwatch_log_group', 'name');
  const filters = Object.values(json.resource.aws_cloudwatch_log_metric_filter ?? {}) as Record<string, unknown>[];
  expect(filters.find((f) => f.name === 'symtail-main-runtime-successful-sweeps')).toMatchObject({
    name: 'symtail-main-runtime-successful-sweeps',
    log_group_name: logGroup,
    pattern: '{ ($.type = "symtail.audit") && ($.action = "sweep") && (($.outcome = "success") || ($.outcome = "noop")) }',
    metric_transformation: { namespace: 'symtail/symtail-main-runtime', name: 'SuccessfulSweeps', value: '1', unit: 'Count' },
  });
  const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm ?? {}) as Record<string, unknown>[];
  expect(filters.find((f) => f.name === 'symtail-main-runtime-credential-expiry-warnings')).toMatchObject({
    log_group_name: logGroup,
    pattern: '{ ($.type = "symtail.audit") && ($.action = "credential-check") && ($.outcome = "warning") }',
    metric_transformation: { namespace: 'symtail/symtail-main-runtime', name: 'CredentialExpiryWarnings', value: '1', unit: 'Count' },
  });
  expect(alarms).toEqual([
    expect.objectContaining({
      alarm_name: 'symtail-main-runtime-break-glass',
      namespace: 'symtail/symtail-main-runtime',
      metric_name: 'BreakGlassRequests',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
    expect.objectContaining({
      alarm_name: 'symtail-main-runtime-credential-expiring',
      namespace: 'symtail/symtail-main-runtime',
      metric_name: 'CredentialExpiryWarnings',
      period: 3600,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
    }),
    expect.objectContaining({
      alarm_name: 'symtail-main-runtime-errors',
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: 'symtail-main-runtime' },
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    }),
    expect.objectContaining({
      alarm_name: 'symtail-main-runtime-sweep-stalled',
      namespace: 'symtail/symtail-main-runtime',
      metric_name: 'SuccessfulSweeps',
      period: 60,
      evaluation_periods: 15,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    }),
    expect.objectContaining({
      alarm_name: 'symtail-main-runtime-tampered',
      namespace: 'symtail/symtail-main-runtime',
      metric_name: 'TamperedRecords',
      period: 300,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
    }),
  ]);
  for (const alarm of alarms) expect(alarm).toMatchObject({ alarm_actions: [topic], ok_actions: [topic] });
  const queue = referenceTo(json, 'aws_sqs_queue', 'arn');
  expect(onlyResource(json, 'aws_lambda_function_event_invoke_config')).toMatchObject({
    maximum_retry_attempts: 2,
    destination_config: { on_failure: { destination: queue } },
  });
  expect(runtimePolicyStatements(json)).toContainEqual({ Sid: 'SendFailedEvents', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue });
});
