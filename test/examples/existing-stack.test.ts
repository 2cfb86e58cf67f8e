import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { buildExistingStack } from '../../examples/existing-stack/main';
import { onlyResource, referenceTo, runtimePolicyStatements, SynthesizedApp, synthApp } from './synth-app';

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthApp((app) => buildExistingStack(app), 'platform');
});
afterAll(() => fs.rmSync(synthesized.outdir, { recursive: true, force: true }));

test('the only AWS provider is the stack’s own, alias and default tags intact', () => {
  expect(synthesized.json.provider.aws).toEqual([
    { alias: 'platform', region: 'eu-west-1', default_tags: [{ tags: { Team: 'platform', ManagedBy: 'terraform' } }] },
  ]);
});

test('every resource uses the stack’s aliased provider', () => {
  const { json } = synthesized;
  const elements = [...Object.values(json.resource), ...Object.values(json.data ?? {})].flatMap((byId) => Object.values(byId));
  expect(elements.length).toBeGreaterThanOrEqual(9);
  for (const element of elements) expect(element.provider).toBe('aws.platform');
});

test('the stack keeps its backend and its own resource', () => {
  const { json } = synthesized;
  expect(json.terraform.backend).toEqual({
    s3: { bucket: 'acme-terraform-state', key: 'platform/access.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'acme-terraform-locks' },
  });
  expect(json.resource.aws_kms_key.secrets_key).toMatchObject({ enable_key_rotation: true });
});

test('the credential is encrypted with the stack’s key, and only the runtime may decrypt with it', () => {
  const { json } = synthesized;
  const keyArn = '${aws_kms_key.secrets_key.arn}';
  expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({ name: 'sym/platform/tailscale-oauth-client', kms_key_id: keyArn });
  expect(runtimePolicyStatements(json).find((s) => s.Sid === 'DecryptCredentials')).toEqual({
    Sid: 'DecryptCredentials',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: [keyArn],
    // The key is the stack's, shared: the role may use it only through Secrets Manager, for its own credential.
    Condition: {
      StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' },
      StringEquals: { 'kms:EncryptionContext:SecretARN': [referenceTo(json, 'aws_secretsmanager_secret', 'arn')] },
    },
  });
  expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 90 });
});

test('break-glass needs two standing members of group:sre; CI by exact ARN, engineers by permission set in two accounts, each given InvokeFunctionUrl only', () => {
  const { json, stackDir } = synthesized;
  const fn = Object.values(json.resource.aws_lambda_function).find((f) => String(f.function_name).includes('access_runtime'))!;
  const manifest = JSON.parse(new AdmZip(path.join(stackDir, fn.filename as string)).readAsText('manifest.json'));
  expect(manifest.flows['platform-break-glass'].approval).toMatchObject({ approvers: [], approverGroups: ['sre'], requiredApprovals: 2 });
  expect(manifest.requests.principals).toEqual([
    { kind: 'arn', arn: 'arn:aws:iam::111122223333:role/platform-ci', email: 'platform-ci@example.com' },
    { kind: 'identityCenter', accounts: ['111122223333', '444455556666'], permissionSets: ['Engineers'] },
  ]);
  const urlStatements = Object.values(json.resource.aws_lambda_permission).filter((p) => p.principal !== 'events.amazonaws.com');
  expect(urlStatements.map((p) => `${p.principal} ${p.action}`).sort()).toEqual([
    '111122223333 lambda:InvokeFunctionUrl',
    '444455556666 lambda:InvokeFunctionUrl',
  ]);
});
