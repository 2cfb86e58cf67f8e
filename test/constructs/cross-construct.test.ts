import { AnnotationMetadataEntryType, TerraformStack } from 'cdktf';
import { SymFlow, SymIntegration, SymSecret, SymSecrets, SymStrategy, SymTarget, SymValidationError } from '../../lib/constructs';
import { buildModel, buildRuntime, testStack, thrownBy } from './fixtures';

interface Case {
  readonly name: string;
  /** Builds a runtime whose flows break one rule. */
  readonly build: (stack: TerraformStack) => unknown;
  readonly expected: string;
}

const cases: Case[] = [
  {
    name: 'two targets with one name',
    build: (s) => {
      const m = buildModel(s);
      const twin = new SymTarget(s, 'Twin', { name: 'main-prod-access', label: 'Twin', settings: { groupName: 'twin' } });
      const strategy = new SymStrategy(s, 'TwinStrategy', { name: 'twin-strategy', integration: m.integration, targets: [twin] });
      const flow = new SymFlow(s, 'TwinFlow', { name: 'twin-flow', label: 'Twin', params: { approvers: ['bob@example.com'], strategy } });
      return buildRuntime(s, m, { flows: [m.flow, flow] });
    },
    expected: '[stack/Twin] name: "main-prod-access" is also the name of target stack/Prod; target names must be unique within a runtime',
  },
  {
    name: 'two flows with one name',
    build: (s) => {
      const m = buildModel(s);
      const twin = new SymFlow(s, 'TwinFlow', {
        name: 'tailscale-ssh-access',
        label: 'Twin',
        params: { approvers: ['bob@example.com'], strategy: m.strategy },
      });
      return buildRuntime(s, m, { flows: [m.flow, twin] });
    },
    expected: '[stack/TwinFlow] name: "tailscale-ssh-access" is also the name of flow stack/Flow; flow names must be unique within a runtime',
  },
  {
    name: 'two strategies with one name',
    build: (s) => {
      const m = buildModel(s);
      const twin = new SymStrategy(s, 'TwinStrategy', { name: 'main-tailscale-strategy', integration: m.integration, targets: [m.prod] });
      const flow = new SymFlow(s, 'TwinFlow', { name: 'twin-flow', label: 'Twin', params: { approvers: ['bob@example.com'], strategy: twin } });
      return buildRuntime(s, m, { flows: [m.flow, flow] });
    },
    expected:
      '[stack/TwinStrategy] name: "main-tailscale-strategy" is also the name of strategy stack/Strategy; strategy names must be unique within a runtime',
  },
  {
    name: 'two integrations with one name',
    build: (s) => {
      const m = buildModel(s);
      const twin = new SymIntegration(s, 'TwinIntegration', {
        name: 'main-tailscale-integration',
        externalId: 'other.example.com',
        settings: { apiTokenSecret: m.secret },
      });
      const strategy = new SymStrategy(s, 'TwinStrategy', { name: 'twin-strategy', integration: twin, targets: [m.prod] });
      const flow = new SymFlow(s, 'TwinFlow', { name: 'twin-flow', label: 'Twin', params: { approvers: ['bob@example.com'], strategy } });
      return buildRuntime(s, m, { flows: [m.flow, flow] });
    },
    expected:
      '[stack/TwinIntegration] name: "main-tailscale-integration" is also the name of integration stack/Integration; integration names must be unique within a runtime',
  },
  {
    name: 'a secret of another environment',
    build: (s) => buildRuntime(s, buildModel(s, { environment: 'staging' })),
    expected:
      '[stack/ApiKey] source: the secret belongs to environment "staging", but integration stack/Integration uses it in runtime stack/Runtime of environment "main"',
  },
];

describe('rules across constructs are checked before the manifest is written', () => {
  test.each(cases)('$name', ({ build, expected }) => {
    const error = thrownBy(() => build(testStack()));
    expect(error).toBeInstanceOf(SymValidationError);
    expect(error.message.split('\n')).toContain(expected);
  });
});

test('a flow that never schedules de-escalation, and logs kept forever, are warned about at synth', () => {
  const stack = testStack();
  const runtime = buildRuntime(stack, buildModel(stack, { flowParams: { scheduleDeescalation: false, allowRevoke: true } }), { logRetentionDays: 0 });
  const warnings = runtime.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
  expect(warnings).toEqual([
    "[stack/Runtime] principals[0].identityCenter.permissionSets: none given: every permission set of the function's account is accepted, each session as the email it is named for; name the sets whose users may request and approve",
    "[stack/Runtime] principals: any principal with lambda:InvokeFunction on the runtime not conditioned on lambda:InvokedViaFunctionUrl (e.g. lambda:* on *) reaches the function directly: it cannot act as anyone (every requests-API call must prove its caller to STS), but it can read status and use up the function's concurrency; deny it by SCP or permission boundary (README: Who may call)",
    '[stack/Flow] params.scheduleDeescalation: is false, so the sweep never removes these grants: access lasts until someone revokes it, past its expiry (status lists such members as overdue)',
    '[stack/Runtime] alarmTopic: false and alarmActions is empty: the alarms on failed and stalled sweeps, expiring API keys and tampered records notify nobody; set alarmTopic: true (and subscribe to the topic) or alarmActions to the ARNs of topics you already watch',
    'stack/Runtime logRetentionDays: 0 keeps the audit lines in CloudWatch forever; choose a retention unless that is what you want',
  ]);
});

test('a secret encrypted with a customer key, read by a runtime that may not decrypt, is warned about', () => {
  const stack = testStack();
  const model = buildModel(stack, {
    secret: (source: SymSecrets) => new SymSecret(stack, 'Key', { source, path: 'k', kmsKeyId: 'alias/platform-secrets' }),
  });
  const runtime = buildRuntime(stack, model);
  const warnings = runtime.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
  expect(warnings).toEqual([
    "[stack/Key] kmsKeyId: runtime stack/Runtime has no kmsKeyArns, so its role may not decrypt this secret; add the key's ARN to its kmsKeyArns",
    "[stack/Runtime] principals[0].identityCenter.permissionSets: none given: every permission set of the function's account is accepted, each session as the email it is named for; name the sets whose users may request and approve",
    "[stack/Runtime] principals: any principal with lambda:InvokeFunction on the runtime not conditioned on lambda:InvokedViaFunctionUrl (e.g. lambda:* on *) reaches the function directly: it cannot act as anyone (every requests-API call must prove its caller to STS), but it can read status and use up the function's concurrency; deny it by SCP or permission boundary (README: Who may call)",
    '[stack/Runtime] alarmTopic: false and alarmActions is empty: the alarms on failed and stalled sweeps, expiring API keys and tampered records notify nobody; set alarmTopic: true (and subscribe to the topic) or alarmActions to the ARNs of topics you already watch',
  ]);
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/k';
  const withKey = buildRuntime(stack, model, { kmsKeyArns: [keyArn] }, 'WithKey');
  expect(withKey.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data)).toEqual([
    expect.stringContaining('[stack/WithKey] principals[0].identityCenter.permissionSets: none given'),
    expect.stringContaining('[stack/WithKey] principals: any principal with lambda:InvokeFunction'),
    expect.stringContaining('[stack/WithKey] alarmTopic: false and alarmActions is empty'),
  ]);
});
