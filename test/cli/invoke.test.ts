import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../lib/cli/main';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

async function symtail(args: string[], env: Record<string, string> = { AWS_REGION: 'eu-central-1' }) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

const answer = (value: unknown, extra: object = {}) => ({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(value)) as never, ...extra });
const sentEvents = () => lambda.commandCalls(InvokeCommand).map((c) => JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')));

test('sends the escalate event the runtime expects and prints its answer', async () => {
  lambda.on(InvokeCommand).resolves(answer({ ok: true, action: 'escalate', written: true }));
  const result = await symtail([
    'invoke',
    '--function',
    'symtail-main-runtime',
    '--flow',
    'tailscale-ssh-access',
    '--target',
    'main-prod-access',
    '--user',
    'alice@example.com',
    '--for',
    '1h',
    '--reason',
    'INC-1',
    '--region',
    'eu-west-1',
  ]);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ ok: true, action: 'escalate', written: true });
  expect(lambda.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe('symtail-main-runtime');
  expect(sentEvents()).toEqual([
    {
      action: 'escalate',
      flow: 'tailscale-ssh-access',
      target: 'main-prod-access',
      requester: { email: 'alice@example.com' },
      duration: '1h',
      reason: 'INC-1',
    },
  ]);
});

test.each([
  [
    'deescalate',
    ['--action', 'deescalate', '--flow', 'f', '--target', 't', '--user', 'a@example.com'],
    { action: 'deescalate', flow: 'f', target: 't', requester: { email: 'a@example.com' } },
  ],
  ['status', ['--action', 'status'], { action: 'status' }],
  ['a dry-run sweep', ['--action', 'sweep', '--dry-run'], { action: 'sweep', dryRun: true }],
])('sends %s events', async (_name, flags, event) => {
  lambda.on(InvokeCommand).resolves(answer({ ok: true }));
  expect((await symtail(['invoke', '--function', 'fn', ...flags])).code).toBe(0);
  expect(sentEvents()).toEqual([event]);
});

test.each([
  ['a refusal exits 2', answer({ ok: false, error: { code: 'denied', message: 'requester.email: not allowed' } }), 2, 'not allowed'],
  [
    'an event over the input limits exits 2',
    answer({ ok: false, error: { code: 'input-too-large', message: 'event: larger than the limit of 16384 bytes' } }),
    2,
    'larger than the limit',
  ],
  ['an API failure exits 1', answer({ ok: false, error: { code: 'server-error', message: 'server error' } }), 1, 'server error'],
  ['a code this CLI does not know exits 1', answer({ ok: false, error: { code: 'a-newer-code', message: 'something new' } }), 1, 'something new'],
  ['a crashed function exits 1', answer({ errorMessage: 'boom' }, { FunctionError: 'Unhandled' }), 1, 'the function failed (Unhandled)'],
])('%s', async (_name, response, code, message) => {
  lambda.on(InvokeCommand).resolves(response);
  const result = await symtail(['invoke', '--function', 'fn', '--action', 'status']);
  expect(result.code).toBe(code);
  expect(result.stderr).toContain(message);
});

test.each([
  ['no function', ['--action', 'status'], '--function: required'],
  ['no user', ['--function', 'fn', '--flow', 'f', '--target', 't'], '--user: required'],
  ['a bad user', ['--function', 'fn', '--flow', 'f', '--target', 't', '--user', 'alice'], '--user: does not match'],
  ['a bad duration', ['--function', 'fn', '--flow', 'f', '--target', 't', '--user', 'a@example.com', '--for', '1 hour'], '--for: expected a duration'],
  ['an unknown action', ['--function', 'fn', '--action', 'grant'], '--action: expected escalate, deescalate, status or sweep, got "grant"'],
  [
    '--for on deescalate',
    ['--function', 'fn', '--action', 'deescalate', '--flow', 'f', '--target', 't', '--user', 'a@example.com', '--for', '1h'],
    '--for: only for --action escalate',
  ],
])('%s: exit 2 and nothing sent', async (_name, flags, message) => {
  const result = await symtail(['invoke', ...flags]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(message);
  expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
});

describe('the region', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // Nothing from the machine: no region variable, no profile file.
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const usedRegion = async () => lambda.call(0).thisValue.config.region();

  test('missing everywhere is a usage error naming --region and AWS_REGION (exit 2, nothing sent)', async () => {
    const result = await symtail(['invoke', '--function', 'fn', '--action', 'status'], {});
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "symtail invoke: --region: expected an AWS region; pass --region, or set AWS_REGION (or a region in the AWS profile)\nRun 'symtail invoke --help' for usage.\n",
    });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  test.each([
    [
      '--region wins',
      ['--function', 'arn:aws:lambda:us-west-2:123456789012:function:fn', '--region', 'ap-south-1'],
      { AWS_REGION: 'eu-central-1' },
      'ap-south-1',
    ],
    ["a function ARN's region comes next", ['--function', 'arn:aws:lambda:us-west-2:123456789012:function:fn'], { AWS_REGION: 'eu-central-1' }, 'us-west-2'],
    ['then AWS_REGION', ['--function', 'fn'], { AWS_REGION: 'eu-central-1' }, 'eu-central-1'],
  ])('%s', async (_name, flags, env, region) => {
    lambda.on(InvokeCommand).resolves(answer({ ok: true }));
    expect((await symtail(['invoke', ...flags, '--action', 'status'], env)).code).toBe(0);
    expect(await usedRegion()).toBe(region);
  });
});
