import * as fs from 'node:fs';
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
  expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
});

test('the credential is encrypted with the stack’s key, and only the runtime may decrypt with it', () => {
  const { json } = synthesized;
  const keyArn = referenceTo(json, 'aws_kms_key', 'arn');
  expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({ name: 'sym/platform/tailscale-oauth-client', kms_key_id: keyArn });
  expect(runtimePolicyStatements(json).find((s) => s.Sid === 'DecryptCredentials')).toEqual({
    Sid: 'DecryptCredentials',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: [keyArn],
  });
  expect(onlyResource(json, 'aws_cloudwatch_log_group')).toMatchObject({ retention_in_days: 90 });
});
