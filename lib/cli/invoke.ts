import { REJECTION_CODES } from '../errors';
import { parseEvent } from '../runtime';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, defineCommand } from './command';
import { UsageError } from './errors';
import { flag, required } from './flags';
import { INVOKE_FLAGS, invokeDeployed } from './lambda-invoke';

/** The events it sends; the check has a command of its own (symtail doctor). */
const ACTIONS = ['escalate', 'deescalate', 'status', 'sweep'] as const;

export const invokeCommand = defineCommand({
  name: 'invoke',
  summary: 'send an escalate/deescalate/status/sweep event to the deployed Lambda',
  description: `Sends one event to the deployed symtail Lambda (AWS credentials and region from the usual AWS environment) and
prints its JSON answer.`,
  flags: {
    function: INVOKE_FLAGS.function,
    action: flag.string({ value: 'A', help: 'escalate (default), deescalate, status or sweep', options: ACTIONS }),
    flow: flag.string({ value: 'F', help: 'the flow name, e.g. tailscale-ssh-access (escalate, deescalate; status: only this flow)' }),
    target: flag.string({ value: 'T', help: 'the target name, e.g. main-prod-access (escalate, deescalate)' }),
    user: flag.string({ value: 'U', help: "the requester's email (escalate, deescalate)" }),
    for: flag.string({ value: 'D', help: 'how long (escalate): 30m, 1h, ...' }),
    reason: flag.string({ value: 'R', help: 'why' }),
    'request-id': flag.string({ value: 'R', help: "an id for the audit trail and the grant's annotation" }),
    'dry-run': flag.boolean({ help: 'ask for the diff without writing' }),
    region: INVOKE_FLAGS.region,
  },
  notes: `escalate and deescalate name their requester in the event: a runtime refuses them (authenticated-request-required,
no API call) unless it sets allowAssertedIdentity; people ask with symtail request. Exit 0 when the function answers
ok, 2 when it refused the request (a code of status 4xx in the README's error codes), 1 when it failed.`,
  async run(f, io) {
    const event = eventFrom(f);
    const answer = (await invokeDeployed(f.function, f.region, event, io)) as { ok?: unknown; error?: { code?: string; message?: string } };
    io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    if (answer?.ok === true) return EXIT_OK;
    io.stderr.write(`symtail invoke: ${answer?.error?.message ?? 'the function reported a failure'}\n`);
    return REJECTION_CODES.has(answer?.error?.code ?? '') ? EXIT_USAGE : EXIT_FAILURE;
  },
});

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
  } else {
    event = { action, ...(action === 'status' ? optional('flow', f.flow) : {}) };
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
