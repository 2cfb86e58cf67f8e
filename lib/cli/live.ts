import { PolicyEditError, formatExpiry, grant, listLedger, revoke, sweep, validateLogin, validateRequestId } from '../policy';
import { HujsonSyntaxError } from '../hujson';
import { AuditEvent, EditOutcome, MAX_REASON_LENGTH, PolicyEdit, applyEdit } from '../runtime';
import { TailscaleApiError } from '../tailscale';
import { Command, EXIT_OK } from './command';
import { BadInputError, CommandFailure, UsageError } from './errors';
import { groupFlag, parseFlags, required } from './flags';
import { LEDGER_NOTE, printLedger } from './ledger-output';
import { help } from './output';
import { CliIo, clock } from './io';
import { describeEdit } from './report';
import { CREDENTIAL_NOTE, TAILNET_FLAGS, tailnetAccess } from './tailnet-flags';
import { expiryFrom } from './time';

const COMMON_USAGE = `  --tailnet T     the tailnet name, or - for the credential's default tailnet
  --api-url U     the API origin (default https://api.tailscale.com)
  --timeout D     give up after this long, retries included (default 25s)
  --json          print the result as JSON
  --dry-run       print the diff the change would make, and write nothing

${CREDENTIAL_NOTE}`;

interface LiveCommandSpec<F> {
  readonly name: 'escalate' | 'deescalate' | 'sweep';
  readonly summary: string;
  readonly usage: string;
  readonly flags: F;
  /** Checks the flags (before any request) and returns the edit, with what the audit line should say. */
  prepare(flags: ReturnType<typeof parseFlags<F & typeof TAILNET_FLAGS & { 'dry-run': 'boolean' }>>, io: CliIo): { edit: PolicyEdit; audit: Partial<AuditEvent> };
}

/** escalate, deescalate and sweep: validate everything, then one coalesced read-modify-write of the policy file. */
function liveEditCommand<F extends Record<string, 'string' | 'boolean' | 'list'>>(spec: LiveCommandSpec<F>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args, io) {
      const f = parseFlags(args, { ...spec.flags, ...TAILNET_FLAGS, 'dry-run': 'boolean' });
      if (f.help) return help(io, spec.usage);
      const { edit, audit } = spec.prepare(f, io);
      const access = await liveCall(`symtail ${spec.name}`, async () => tailnetAccess(f, io));
      const outcome = await liveCall(`symtail ${spec.name}`, () => applyEdit(access, edit, f['dry-run']));
      const line: AuditEvent = {
        type: 'symtail.audit',
        time: clock(io).toISOString(),
        action: spec.name,
        outcome: outcome.changed ? 'success' : 'noop',
        tailnet: access.tailnet,
        ...audit,
        ...(f['dry-run'] ? { dryRun: true } : {}),
        etagBefore: outcome.etagBefore,
        ...(outcome.etagAfter === undefined ? {} : { etagAfter: outcome.etagAfter }),
        changes: outcome.changes,
      };
      printOutcome(io, f.json, outcome, line);
      return EXIT_OK;
    },
  };
}

function printOutcome(io: CliIo, json: boolean, outcome: EditOutcome, audit: AuditEvent): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ ok: true, ...outcome }, null, 2)}\n`);
  } else {
    io.stdout.write(describeEdit({ changes: outcome.changes, warnings: [] }) || 'no change\n');
    if (outcome.diff !== undefined) io.stdout.write(outcome.diff);
  }
  io.stderr.write(outcome.warnings.map((w) => `warning: ${w}\n`).join(''));
  io.stderr.write(`${JSON.stringify(audit)}\n`);
}

function reasonFlag(value: string | undefined): string | undefined {
  if (value !== undefined && value.length > MAX_REASON_LENGTH) throw new UsageError(`--reason: expected at most ${MAX_REASON_LENGTH} characters`);
  return value;
}

export const escalateCommand = liveEditCommand({
  name: 'escalate',
  summary: 'add a member to a tailnet group until a time (live, through the API)',
  usage: `Usage: symtail escalate --tailnet T --group G --member M (--for 1h | --until ISO) [--reason R] [--request-id R] [--create-group] [--api-url U] [--timeout D] [--dry-run] [--json]

  --group G         the group, "prod" or "group:prod"
  --member M        the login: name@example.com, name@github or name@passkey
  --for D           how long: 30s, 10m, 1h, 1d
  --until ISO       until when, e.g. 2026-11-23T18:00:00Z
  --reason R        why, for the audit line
  --request-id R    recorded in the grant's annotation
  --create-group    create the group if the policy file lacks it
${COMMON_USAGE}`,
  flags: { group: 'string', member: 'string', for: 'string', until: 'string', reason: 'string', 'request-id': 'string', 'create-group': 'boolean' },
  prepare(f, io) {
    const group = groupFlag(required(f.group, 'group'), '--group');
    const member = validateLogin(required(f.member, 'member'), '--member');
    const until = expiryFrom(f.for, f.until, clock(io));
    const requestId = f['request-id'] === undefined ? undefined : validateRequestId(f['request-id'], '--request-id');
    const reason = reasonFlag(f.reason);
    return {
      edit: (text) => grant(text, { group, member, until, requestId, createGroup: f['create-group'] }),
      audit: { group, login: member, until: formatExpiry(until), ...(reason === undefined ? {} : { reason }), ...(requestId === undefined ? {} : { requestId }) },
    };
  },
});

export const deescalateCommand = liveEditCommand({
  name: 'deescalate',
  summary: 'remove a granted member from a tailnet group (live)',
  usage: `Usage: symtail deescalate --tailnet T --group G --member M [--reason R] [--api-url U] [--timeout D] [--dry-run] [--json]

  --group G     the group, "prod" or "group:prod"
  --member M    the login to remove; standing members are left alone, with a warning
  --reason R    why, for the audit line
${COMMON_USAGE}`,
  flags: { group: 'string', member: 'string', reason: 'string' },
  prepare(f) {
    const group = groupFlag(required(f.group, 'group'), '--group');
    const member = validateLogin(required(f.member, 'member'), '--member');
    const reason = reasonFlag(f.reason);
    return { edit: (text) => revoke(text, { group, member }), audit: { group, login: member, ...(reason === undefined ? {} : { reason }) } };
  },
});

export const sweepCommand = liveEditCommand({
  name: 'sweep',
  summary: 'remove every expired grant from the tailnet policy file in one write (live)',
  usage: `Usage: symtail sweep --tailnet T [--group G]... [--exclusive G]... [--api-url U] [--timeout D] [--dry-run] [--json]

  --group G       sweep only these groups (repeatable; default: every group)
  --exclusive G   in this group, also remove members without a grant (repeatable)
${COMMON_USAGE}`,
  flags: { group: 'list', exclusive: 'list' },
  prepare(f, io) {
    const groups = f.group.map((g) => groupFlag(g, '--group'));
    const exclusiveGroups = f.exclusive.map((g) => groupFlag(g, '--exclusive'));
    const now = clock(io);
    return { edit: (text) => sweep(text, { now, exclusiveGroups, ...(groups.length > 0 ? { groups } : {}) }), audit: {} };
  },
});

export const grantsCommand: Command = {
  name: 'grants',
  summary: 'list members of the tailnet policy file by state: overdue, active and standing (live)',
  async run(args, io) {
    const f = parseFlags(args, TAILNET_FLAGS);
    if (f.help) {
      return help(io, `Usage: symtail grants --tailnet T [--api-url U] [--timeout D] [--json]\n\n${COMMON_USAGE.replace(/ {2}--dry-run.*\n/, '')}\n${LEDGER_NOTE}`);
    }
    const access = await liveCall('symtail grants', async () => tailnetAccess(f, io));
    const { text } = await liveCall('symtail grants', () => access.read());
    printLedger(io, listLedger(text, clock(io)), f.json);
    return EXIT_OK;
  },
};

/** API failures exit 1; an argument the client refuses, or a policy the edit cannot apply to, is bad input (exit 2). */
async function liveCall<T>(command: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof TailscaleApiError && e.code === 'invalid-argument') throw new CommandFailure(command, new UsageError(e.message));
    if (e instanceof PolicyEditError || e instanceof HujsonSyntaxError) throw new CommandFailure(command, new BadInputError(e.message));
    throw new CommandFailure(command, e);
  }
}
