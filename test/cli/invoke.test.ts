import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../lib/cli/main';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

async function symtail(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

const answer = (value: unknown, extra: object = {}) => ({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(value)) as never, ...extra });
const sentEvents = () => lambda.commandCalls(InvokeCommand).map((c) => JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString('utf8')));

test('sends the escalate event the runtime expects and prints its answer', async () => {
  lambda.on(InvokeCommand).resolves(answer({ ok: true, action: 'escalate', written: true }));
  const result = await symtail(['invoke', '--function', 'symtail-main-runtime', '--flow', 'tailscale-ssh-access', '--target', 'main-prod-access', '--user', 'alice@example.com', '--for', '1h', '--reason', 'INC-1', '--region', 'eu-west-1']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({ ok: true, action: 'escalate', written: true });
  expect(lambda.commandCalls(InvokeCommand)[0].args[0].input.FunctionName).toBe('symtail-main-runtime');
  expect(sentEvents()).toEqual([{ action: 'escalate', flow: 'tailscale-ssh-access', target: 'main-prod-access', requester: { email: 'alice@example.com' }, duration: '1h', reason: 'INC-1' }]);
});

test.each([
  ['deescalate', ['--action', 'deescalate', '--flow', 'f', '--target', 't', '--user', 'a@example.com'], { action: 'deescalate', flow: 'f', target: 't', requester: { email: 'a@example.com' } }],
  ['status', ['--action', 'status'], { action: 'status' }],
  ['a dry-run sweep', ['--action', 'sweep', '--dry-run'], { action: 'sweep', dryRun: true }],
])('sends %s events', async (_name, flags, event) => {
  lambda.on(InvokeCommand).resolves(answer({ ok: true }));
  expect((await symtail(['invoke', '--function', 'fn', ...flags])).code).toBe(0);
  expect(sentEvents()).toEqual([event]);
});

test.each([
  ['a refusal exits 2', answer({ ok: false, error: { code: 'denied', message: 'requester.email: not allowed' } }), 2, 'not allowed'],
  ['an API failure exits 1', answer({ ok: false, error: { code: 'server-error', message: 'server error' } }), 1, 'server error'],
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
  ['an unknown action', ['--function', 'fn', '--action', 'grant'], '--action: expected escalate, deescalate, status or sweep'],
  ['--for on deescalate', ['--function', 'fn', '--action', 'deescalate', '--flow', 'f', '--target', 't', '--user', 'a@example.com', '--for', '1h'], '--for: only for --action escalate'],
])('%s: exit 2 and nothing sent', async (_name, flags, message) => {
  const result = await symtail(['invoke', ...flags]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(message);
  expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
});
