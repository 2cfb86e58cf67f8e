import AdmZip from 'adm-zip';
import { readFileSync } from 'node:fs';
import { SymRuntimeProps, SymSecret, SymSlackIntegration } from '../../lib/constructs';
import { EXAMPLE_SLACK_ENTRY } from '../../scripts/fixtures/example-manifest';
import { buildModel, buildRuntime, buildSlack, parsedPolicy, synthesized, testStack, TerraformJson, thrownBy } from './fixtures';

type Resource = Record<string, unknown>;
interface Statement {
  readonly Sid: string;
  readonly Action: unknown;
  readonly Resource: unknown;
}

function slackApp(props: Partial<SymRuntimeProps> = {}) {
  const stack = testStack();
  const model = buildModel(stack, { flowParams: { requestsChannel: 'C0REQUESTS' } });
  const slack = buildSlack(stack, model);
  const runtime = buildRuntime(stack, model, { slack, ...props });
  return { stack, runtime, json: synthesized(stack) };
}

function resources(json: TerraformJson, type: string): [string, Resource][] {
  return Object.entries(json.resource[type] ?? {});
}

/** The resource of `type` whose name attribute (`name` or `function_name`) ends with `suffix`. */
function named(json: TerraformJson, type: string, suffix: string): [string, Resource] {
  const found = resources(json, type).filter(([, r]) => String(r.function_name ?? r.name).endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.length}`);
  return found[0];
}

const ref = (type: string, key: string, attribute: string) => `\${${type}.${key}.${attribute}}`;

function statements(json: TerraformJson, policyName: string): Statement[] {
  const [, policy] = named(json, 'aws_iam_role_policy', policyName);
  return parsedPolicy(policy.policy).Statement as unknown as Statement[];
}

test('the front door is a function URL with auth NONE, open to Slack through InvokeFunctionUrl and the InvokeFunction new URLs also need', () => {
  const { json } = slackApp();
  const [frontDoorKey] = named(json, 'aws_lambda_function', '-slack');
  const [url] = resources(json, 'aws_lambda_function_url').filter(([, u]) => u.function_name === ref('aws_lambda_function', frontDoorKey, 'function_name'));
  expect(url[1].authorization_type).toBe('NONE');
  const permissions = resources(json, 'aws_lambda_permission').filter(([, p]) => p.function_name === ref('aws_lambda_function', frontDoorKey, 'function_name'));
  const byAction = permissions.map(([, p]) => ({ action: p.action, principal: p.principal, auth: p.function_url_auth_type }));
  expect(byAction.sort((a, b) => String(a.action).localeCompare(String(b.action)))).toEqual([
    { action: 'lambda:InvokeFunction', principal: '*', auth: undefined },
    { action: 'lambda:InvokeFunctionUrl', principal: '*', auth: 'NONE' },
  ]);
  expect(json.output.slack_request_url.value).toBe(ref('aws_lambda_function_url', url[0], 'function_url'));
});

test("the front door's role may invoke only the runtime and read only the signing secret", () => {
  const { json } = slackApp();
  const [runtimeKey] = named(json, 'aws_lambda_function', 'symtail-main-Runtime');
  const [signingKey] = named(json, 'aws_secretsmanager_secret', 'slack-signing-secret');
  const [logKey] = named(json, 'aws_cloudwatch_log_group', '-slack');
  expect(statements(json, 'symtail-slack-front-door')).toEqual([
    { Sid: 'ReadSlackSigningSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: ref('aws_secretsmanager_secret', signingKey, 'arn') },
    { Sid: 'InvokeRuntime', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: ref('aws_lambda_function', runtimeKey, 'arn') },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${ref('aws_cloudwatch_log_group', logKey, 'arn')}:*`,
    },
  ]);
  const [, frontDoorRolePolicy] = named(json, 'aws_iam_role_policy', 'symtail-slack-front-door');
  const [frontDoorRoleKey] = named(json, 'aws_iam_role', '-slack');
  expect(frontDoorRolePolicy.role).toBe(ref('aws_iam_role', frontDoorRoleKey, 'id'));
});

test('the front door carries no Tailscale credential, no bot token and no secret value: only where to find the signing secret', () => {
  const { json, runtime } = slackApp();
  const [, frontDoor] = named(json, 'aws_lambda_function', '-slack');
  const [runtimeKey] = named(json, 'aws_lambda_function', 'symtail-main-Runtime');
  expect((frontDoor.environment as { variables: Record<string, string> }).variables).toEqual({
    SYMTAIL_RUNTIME_FUNCTION: ref('aws_lambda_function', runtimeKey, 'arn'),
    SYMTAIL_SLACK_SIGNING_SECRET: 'sym/main/slack-signing-secret',
    SYMTAIL_SLACK_SIGNING_SECRET_REGION: 'us-east-1',
  });
  const zip = new AdmZip(readFileSync(runtime.slackFrontDoor!.packageFile));
  expect(zip.getEntries().map((e) => e.entryName)).toEqual(['index.js']);
  expect(zip.readAsText('index.js')).not.toMatch(/tailscale-api-key|manifest\.json/);
});

test('the runtime reads both Slack secrets and may send failed events to the failure queue; one async config with retries', () => {
  const { json } = slackApp();
  const runtimeSecrets = statements(json, 'symtail-runtime').find((s) => s.Sid === 'ReadTailscaleCredentials')!.Resource as string[];
  for (const path of ['tailscale-api-key', 'slack-signing-secret', 'slack-bot-token']) {
    expect(runtimeSecrets).toContain(ref('aws_secretsmanager_secret', named(json, 'aws_secretsmanager_secret', path)[0], 'arn'));
  }
  const [queueKey] = resources(json, 'aws_sqs_queue')[0];
  expect(statements(json, 'symtail-runtime')).toContainEqual({
    Sid: 'SendFailedEvents',
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Resource: ref('aws_sqs_queue', queueKey, 'arn'),
  });
  const [runtimeKey] = named(json, 'aws_lambda_function', 'symtail-main-Runtime');
  const configs = resources(json, 'aws_lambda_function_event_invoke_config');
  expect(configs.map(([, c]) => c)).toEqual([
    expect.objectContaining({
      function_name: ref('aws_lambda_function', runtimeKey, 'function_name'),
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 300,
      destination_config: { on_failure: { destination: ref('aws_sqs_queue', queueKey, 'arn') } },
    }),
  ]);
});

test("the front door draws on the account's shared concurrency unless slackFrontDoorConcurrency reserves some", () => {
  const shared = named(slackApp().json, 'aws_lambda_function', '-slack')[1];
  expect(shared.reserved_concurrent_executions).toBeUndefined();
  const bounded = slackApp({ slackFrontDoorConcurrency: 3 }).json;
  expect(named(bounded, 'aws_lambda_function', '-slack')[1].reserved_concurrent_executions).toBe(3);
  // The runtime's own reservation is its own prop's, and unset by default like the front door's.
  expect(named(bounded, 'aws_lambda_function', 'symtail-main-Runtime')[1].reserved_concurrent_executions).toBeUndefined();
  expect(named(slackApp({ reservedConcurrency: 4 }).json, 'aws_lambda_function', 'symtail-main-Runtime')[1].reserved_concurrent_executions).toBe(4);
});

test('the manifest carries the Slack app by secret name and each flow its requests channel', () => {
  const { runtime } = slackApp();
  expect(runtime.manifest.slack).toEqual(EXAMPLE_SLACK_ENTRY);
  expect(runtime.manifest.flows['tailscale-ssh-access'].requestsChannel).toBe('C0REQUESTS');
});

test('without a Slack app nothing of the front door is synthesized', () => {
  const stack = testStack();
  buildRuntime(stack, buildModel(stack));
  const json = synthesized(stack);
  expect(resources(json, 'aws_lambda_function_url').filter(([, u]) => u.authorization_type === 'NONE')).toEqual([]);
  expect(resources(json, 'aws_lambda_function').map(([, f]) => f.function_name)).toEqual(['symtail-main-Runtime']);
  // The runtime's own failure destination (for the scheduled sweep) is there all the same.
  expect(resources(json, 'aws_lambda_function_event_invoke_config')).toHaveLength(1);
});

test.each([
  [
    'a flow posts to Slack but the runtime has none',
    () => {
      const stack = testStack();
      buildRuntime(stack, buildModel(stack, { flowParams: { requestsChannel: 'C0REQUESTS' } }));
    },
    '[stack/Flow] params.requestsChannel: runtime stack/Runtime has no slack integration to post requests with; give it one, or drop requestsChannel',
  ],
  [
    'a Slack app but no flow with a channel',
    () => {
      const stack = testStack();
      const model = buildModel(stack);
      buildRuntime(stack, model, { slack: buildSlack(stack, model) });
    },
    '[stack/Runtime] slack: no flow of this runtime has params.requestsChannel, so nothing could be requested in Slack; give at least one flow a requests channel',
  ],
  [
    'a channel given by name',
    () => buildModel(testStack(), { flowParams: { requestsChannel: '#access' } }),
    '[stack/Flow] params.requestsChannel: expected a Slack channel id such as "C0123ABCD" (the id, not the #name), got "#access"',
  ],
  [
    'a workspace name for the workspace id',
    () => {
      const stack = testStack();
      buildSlack(stack, buildModel(stack), { externalId: 'example.slack.com' });
    },
    '[stack/Slack] externalId: expected a Slack workspace id such as "T0123ABCD", or an Enterprise Grid organization id such as "E0123ABCD" for an org-wide install, got "example.slack.com"',
  ],
  [
    'a cleartext Slack API URL off loopback',
    () => {
      const stack = testStack();
      buildSlack(stack, buildModel(stack), { apiUrl: 'http://slack.example.com/api/' });
    },
    '[stack/Slack] apiUrl: expected a Web API URL such as "https://slack.com/api/" (http:// only to localhost, 127.x.x.x or [::1]; no user name or password; ending in "/"), got "http://slack.example.com/api/"',
  ],
  [
    'a bot token pasted where its secret goes',
    () => {
      const stack = testStack();
      const model = buildModel(stack);
      new SymSlackIntegration(stack, 'Slack', {
        name: 'main-slack',
        externalId: 'T0WORKSPACE',
        settings: {
          appId: 'A0SYMTAIL',
          signingSecret: new SymSecret(stack, 'Signing', { source: model.secrets, path: 'slack-signing-secret' }),
          botTokenSecret: 'xoxb-1234-5678-canary' as never,
        },
      });
    },
    '[stack/Slack] settings.botTokenSecret: expected a SymSecret, got a value that looks like a Slack token (not shown)',
  ],
  [
    'a front door concurrency of 0',
    () => slackApp({ slackFrontDoorConcurrency: 0 }),
    '[stack/Runtime] slackFrontDoorConcurrency: expected a whole number from 1 to 1000, got 0',
  ],
  [
    'a front door concurrency without Slack',
    () => {
      const stack = testStack();
      buildRuntime(stack, buildModel(stack), { slackFrontDoorConcurrency: 2 });
    },
    '[stack/Runtime] slackFrontDoorConcurrency: is set, but the runtime has no slack integration, so there is no Slack front door to bound; drop it, or give the runtime slack',
  ],
])('%s is refused at synth', (_name, build, message) => {
  expect(thrownBy(build).message).toBe(message);
});
