import { SymFlow, SymSecret, SymSecrets } from '../../lib/constructs';
import { validateManifest } from '../../lib/manifest';
import { buildModel, buildRuntime, parsedPolicy, synthesized, testStack, thrownBy } from './fixtures';

const pagerDutyToken = (stack: ReturnType<typeof testStack>, source: SymSecrets) => new SymSecret(stack, 'PagerDutyToken', { source, path: 'pagerduty-token' });

test('a flow with an on-call rule carries it in the manifest (the token by secret id), and the runtime may read that token', () => {
  const stack = testStack();
  const model = buildModel(stack);
  const onCallFlow = new SymFlow(stack, 'OnCallFlow', {
    name: 'on-call-access',
    label: 'On-call access',
    params: {
      strategy: model.strategy,
      approvers: ['bob@example.com'],
      onCall: { pagerDuty: { schedules: ['PI7DH85'], escalationPolicies: ['PT20YPA'], tokenSecret: pagerDutyToken(stack, model.secrets) } },
    },
  });
  const runtime = buildRuntime(stack, model, { flows: [model.flow, onCallFlow] });
  expect(runtime.manifest.flows['on-call-access'].onCall).toEqual({
    pagerDuty: {
      apiUrl: 'https://api.pagerduty.com',
      token: { secretId: 'sym/main/pagerduty-token', region: 'us-east-1' },
      schedules: ['PI7DH85'],
      escalationPolicies: ['PT20YPA'],
    },
  });
  expect(runtime.manifest.flows['tailscale-ssh-access'].onCall).toBeUndefined();
  const json = synthesized(stack);
  const secretArn = (part: string) => `\${aws_secretsmanager_secret.${Object.keys(json.resource.aws_secretsmanager_secret).find((k) => k.includes(part))}.arn}`;
  const policy = Object.values(json.resource.aws_iam_role_policy).find((p) => p.name === 'symtail-runtime')!;
  const reads = parsedPolicy(policy.policy).Statement.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'));
  // One statement reads exactly the runtime's secrets: the Tailscale key and now the PagerDuty token.
  expect(reads).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue' })]);
  expect([...(reads[0].Resource as string[])].sort()).toEqual([secretArn('ApiKey'), secretArn('PagerDutyToken')].sort());
});

test.each<[string, Record<string, unknown>, string]>([
  [
    'no schedules and no escalation policies',
    { pagerDuty: { tokenSecret: 'TOKEN' } },
    'params.onCall.pagerDuty: names no schedules and no escalation policies',
  ],
  [
    'a schedule id that is not one',
    { pagerDuty: { schedules: ['sre rotation'], tokenSecret: 'TOKEN' } },
    'params.onCall.pagerDuty.schedules[0]: expected a PagerDuty id such as "PI7DH85"',
  ],
  [
    'a schedule listed twice',
    { pagerDuty: { schedules: ['PI7DH85', 'PI7DH85'], tokenSecret: 'TOKEN' } },
    'params.onCall.pagerDuty.schedules[1]: "PI7DH85" is listed twice',
  ],
  [
    'a token that is not a SymSecret',
    { pagerDuty: { schedules: ['PI7DH85'], tokenSecret: 'u+abcdefghijklmnop' } },
    'params.onCall.pagerDuty.tokenSecret: expected a SymSecret',
  ],
  [
    'an http origin off loopback',
    { pagerDuty: { schedules: ['PI7DH85'], tokenSecret: 'TOKEN', apiUrl: 'http://api.pagerduty.com' } },
    'params.onCall.pagerDuty.apiUrl: expected an API origin',
  ],
  [
    'an origin with a path',
    { pagerDuty: { schedules: ['PI7DH85'], tokenSecret: 'TOKEN', apiUrl: 'https://api.pagerduty.com/v2' } },
    'params.onCall.pagerDuty.apiUrl: expected an API origin',
  ],
  ['no pagerDuty', {}, 'params.onCall.pagerDuty: expected { schedules?, escalationPolicies?, tokenSecret, apiUrl? }'],
])('an on-call rule with %s is refused at synth, naming the prop', (_case, onCall, message) => {
  const stack = testStack();
  const model = buildModel(stack);
  const pd = onCall.pagerDuty as Record<string, unknown> | undefined;
  const withToken = pd?.tokenSecret === 'TOKEN' ? { pagerDuty: { ...pd, tokenSecret: pagerDutyToken(stack, model.secrets) } } : onCall;
  const error = thrownBy(() => buildModel(stack, { prefix: 'x', flowParams: { onCall: withToken as never } }));
  expect(error.message).toContain(message);
  expect(error.message).not.toContain('u+abcdefghijklmnop');
});

test('an on-call rule beside autoApprove is refused: on-call shifts would never be read', () => {
  const stack = testStack();
  const model = buildModel(stack);
  const onCall = { pagerDuty: { schedules: ['PI7DH85'], tokenSecret: pagerDutyToken(stack, model.secrets) } };
  const error = thrownBy(() => buildModel(stack, { prefix: 'x', flowParams: { approvers: [], autoApprove: true, onCall } }));
  expect(error.message).toContain('params.onCall: autoApprove is true');
});

test('the runtime refuses a manifest whose on-call rule names nobody or points PagerDuty at a URL with a path', () => {
  const stack = testStack();
  const model = buildModel(stack, { flowParams: { onCall: undefined } });
  const onCallFlow = new SymFlow(stack, 'OnCallFlow', {
    name: 'on-call-access',
    label: 'On-call access',
    params: {
      strategy: model.strategy,
      approvers: ['bob@example.com'],
      onCall: { pagerDuty: { schedules: ['PI7DH85'], tokenSecret: pagerDutyToken(stack, model.secrets) } },
    },
  });
  const manifest = JSON.parse(JSON.stringify(buildRuntime(stack, model, { flows: [onCallFlow] }).manifest));
  expect(validateManifest(manifest).flows['on-call-access'].onCall?.pagerDuty.schedules).toEqual(['PI7DH85']);
  const nobody = JSON.parse(JSON.stringify(manifest));
  nobody.flows['on-call-access'].onCall.pagerDuty.schedules = [];
  expect(() => validateManifest(nobody)).toThrow('manifest.flows.on-call-access.onCall.pagerDuty: names no schedules and no escalation policies');
  const withPath = JSON.parse(JSON.stringify(manifest));
  withPath.flows['on-call-access'].onCall.pagerDuty.apiUrl = 'https://api.pagerduty.com/oncalls';
  expect(() => validateManifest(withPath)).toThrow('manifest.flows.on-call-access.onCall.pagerDuty.apiUrl: expected an API origin');
});
