import { REJECTION_CODES, parseEvent } from '../runtime';
import { Command, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './command';
import { UsageError } from './errors';
import { help } from './output';
import { parseFlags, required } from './flags';

const USAGE = `Usage: symtail invoke --function NAME [--action A] [--flow F --target T --user U] [--for 1h] [--reason R] [--request-id R] [--dry-run] [--region R]

Sends one event to the deployed symtail Lambda (AWS credentials and region from the usual AWS environment) and
prints its JSON answer.

  --function NAME   the function name or ARN (Terraform output function_name)
  --action A        escalate (default), deescalate, status or sweep
  --flow F          the flow name, e.g. tailscale-ssh-access
  --target T        the target name, e.g. main-prod-access
  --user U          the requester's email
  --for D           how long (escalate): 30m, 1h, ...
  --reason R        why
  --request-id R    an id for the audit trail and the grant's annotation
  --dry-run         ask for the diff without writing
  --region R        the AWS region (default: from the environment)

Exit 0 when the function answers ok, 2 when it refused the request, 1 when it failed.`;

/** Loaded only by this command, so the other commands start without the AWS SDK. */
function lambdaSdk(): typeof import('@aws-sdk/client-lambda') {
  return require('@aws-sdk/client-lambda');
}

export const invokeCommand: Command = {
  name: 'invoke',
  summary: 'send an escalate/deescalate/status/sweep event to the deployed Lambda',
  async run(args, io) {
    const f = parseFlags(args, {
      function: 'string', action: 'string', flow: 'string', target: 'string', user: 'string', for: 'string',
      reason: 'string', 'request-id': 'string', 'dry-run': 'boolean', region: 'string', help: 'boolean',
    });
    if (f.help) return help(io, USAGE);
    const functionName = required(f.function, 'function');
    const event = eventFrom(f);
    const { InvokeCommand, LambdaClient } = lambdaSdk();
    const lambda = new LambdaClient(f.region === undefined ? {} : { region: f.region });
    const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
    const text = out.Payload === undefined ? '' : Buffer.from(out.Payload).toString('utf8');
    if (out.FunctionError !== undefined) {
      io.stderr.write(`symtail invoke: the function failed (${out.FunctionError}): ${text}\n`);
      return EXIT_FAILURE;
    }
    let answer: { ok?: unknown; error?: { code?: string; message?: string } };
    try {
      answer = JSON.parse(text);
    } catch {
      io.stderr.write(`symtail invoke: the function answered something that is not JSON\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    if (answer.ok === true) return EXIT_OK;
    io.stderr.write(`symtail invoke: ${answer.error?.message ?? 'the function reported a failure'}\n`);
    return REJECTION_CODES.has(answer.error?.code ?? '') ? EXIT_USAGE : EXIT_FAILURE;
  },
};

type InvokeFlags = Record<'action' | 'flow' | 'target' | 'user' | 'for' | 'reason' | 'request-id', string | undefined> & { 'dry-run': boolean };

/** Builds the event and checks it against the runtime's own schema, so a bad one never leaves the machine. */
function eventFrom(f: InvokeFlags): unknown {
  const action = f.action ?? 'escalate';
  const optional = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  let event: Record<string, unknown>;
  if (action === 'escalate' || action === 'deescalate') {
    event = {
      action,
      flow: required(f.flow, 'flow'),
      target: required(f.target, 'target'),
      requester: { email: required(f.user, 'user') },
      ...(action === 'escalate' ? optional('duration', f.for) : {}),
      ...optional('reason', f.reason),
      ...optional('requestId', f['request-id']),
    };
    if (action === 'deescalate' && f.for !== undefined) throw new UsageError('--for: only for --action escalate');
  } else if (action === 'sweep' || action === 'status') {
    event = { action, ...(action === 'status' ? optional('flow', f.flow) : {}) };
  } else {
    throw new UsageError(`--action: expected escalate, deescalate, status or sweep, got ${JSON.stringify(action)}`);
  }
  if (f['dry-run']) {
    if (action === 'status') throw new UsageError('--dry-run: status writes nothing anyway');
    event.dryRun = true;
  }
  try {
    return parseEvent(event);
  } catch (e) {
    const message = (e as Error).message
      .replace(/^event\.requester\.email/, '--user')
      .replace(/^event\.duration/, '--for')
      .replace(/^event\.requestId/, '--request-id')
      .replace(/^event\.(\w+)/, '--$1');
    throw new UsageError(message);
  }
}
