import { OtherMemberChangedError, PolicyEditError, formatExpiry, listLedger, revoke, sweep, validateLogin, validateRequestId } from '../policy';
import { assessGroupAccess } from '../access';
import { HujsonSyntaxError } from '../hujson';
import { AuditEvent, EditOutcome, PolicyEdit, applyEdit } from '../runtime';
import { TailscaleApiError } from '../tailscale';
import { EXIT_OK, LeafCommand, defineCommand } from './command';
import { BadInputError, CommandFailure, UsageError } from './errors';
import { FlagTable, Flags, flag, GROUP_FLAG, groupFlag, REASON_TEXT } from './flags';
import { LEDGER_NOTE, LEDGER_OUTPUT, printLedger } from './ledger-output';
import { jsonOutput, outputFormat } from './output';
import { CliIo, clock } from './io';
import { describeEdit } from './report';
import { grantWithFlagHint } from './grant';
import { CREDENTIAL_NOTE, TAILNET_FLAGS, tailnetAccess } from './tailnet-flags';
import { EXPIRY_FLAGS, expiryFrom } from './time';

const DRY_RUN = { 'dry-run': flag.boolean({ help: 'print the diff the change would make, and write nothing' }) };

/** The live flags around a command's own: `--tailnet` first, the connection and output flags last. */
function liveFlags<T extends FlagTable>(own: T) {
  const { tailnet, ...rest } = TAILNET_FLAGS;
  return { tailnet, ...own, ...rest, ...DRY_RUN, ...jsonOutput('the result') };
}

interface LiveCommandSpec<T extends FlagTable> {
  readonly name: 'escalate' | 'deescalate' | 'sweep';
  readonly summary: string;
  readonly flags: T;
  readonly notes?: string;
  /** Checks the flags (before any request) and returns the edit, with what the audit line should say. */
  prepare(flags: Flags<ReturnType<typeof liveFlags<T>>>, io: CliIo): { edit: PolicyEdit; audit: Partial<AuditEvent> };
}

/** escalate, deescalate and sweep: validate everything, then one coalesced read-modify-write of the policy file. */
function liveEditCommand<T extends FlagTable>(spec: LiveCommandSpec<T>): LeafCommand {
  return defineCommand({
    name: spec.name,
    summary: spec.summary,
    flags: liveFlags(spec.flags),
    notes: spec.notes === undefined ? CREDENTIAL_NOTE : `${spec.notes}\n\n${CREDENTIAL_NOTE}`,
    async run(f, io) {
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
        ...(outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {}),
      };
      printOutcome(io, f.json, outcome, line);
      return EXIT_OK;
    },
  });
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

const REASON = flag.string({ value: 'R', help: 'why, for the audit line', accepts: REASON_TEXT });

export const escalateCommand = liveEditCommand({
  name: 'escalate',
  summary: 'add a member to a tailnet group until a time (live, through the API)',
  flags: {
    group: GROUP_FLAG,
    member: flag.string({ value: 'M', help: 'the login: name@example.com, name@github or name@passkey', required: true }),
    ...EXPIRY_FLAGS,
    reason: REASON,
    'request-id': flag.string({ value: 'R', help: "recorded in the grant's annotation" }),
    'create-group': flag.boolean({ help: 'create the group, and a "groups" section, if the policy file lacks them' }),
  },
  prepare(f, io) {
    const group = groupFlag(f.group, '--group');
    const member = validateLogin(f.member, '--member');
    const until = expiryFrom(f, clock(io));
    const requestId = f['request-id'] === undefined ? undefined : validateRequestId(f['request-id'], '--request-id');
    return {
      // The group's flagged dangers join the grant's warnings: stderr and the audit line both name them.
      edit: (text) => {
        const result = grantWithFlagHint(text, { group, member, until, requestId, createGroup: f['create-group'] });
        return { ...result, warnings: [...result.warnings, ...assessGroupAccess(text, `group:${group}`).warnings] };
      },
      audit: {
        group,
        login: member,
        until: formatExpiry(until),
        ...(f.reason === undefined ? {} : { reason: f.reason }),
        ...(requestId === undefined ? {} : { requestId }),
      },
    };
  },
});

export const deescalateCommand = liveEditCommand({
  name: 'deescalate',
  summary: 'remove a granted member from a tailnet group (live)',
  flags: {
    group: GROUP_FLAG,
    member: flag.string({ value: 'M', help: 'the login to remove; standing members are left alone, with a warning', required: true }),
    reason: REASON,
  },
  prepare(f) {
    const group = groupFlag(f.group, '--group');
    const member = validateLogin(f.member, '--member');
    return { edit: (text) => revoke(text, { group, member }), audit: { group, login: member, ...(f.reason === undefined ? {} : { reason: f.reason }) } };
  },
});

export const sweepCommand = liveEditCommand({
  name: 'sweep',
  summary: 'remove every expired grant from the tailnet policy file in one write (live)',
  flags: {
    group: flag.list({ value: 'G', help: 'sweep only these groups (repeatable; default: every group)' }),
    exclusive: flag.list({ value: 'G', help: 'in this group, also remove members without a grant (repeatable)' }),
  },
  prepare(f, io) {
    const groups = f.group.map((g) => groupFlag(g, '--group'));
    const exclusiveGroups = f.exclusive.map((g) => groupFlag(g, '--exclusive'));
    const now = clock(io);
    return { edit: (text) => sweep(text, { now, exclusiveGroups, ...(groups.length > 0 ? { groups } : {}) }), audit: {} };
  },
});

export const grantsCommand = defineCommand({
  name: 'grants',
  summary: 'list members of the tailnet policy file by state: overdue, active and standing (live)',
  flags: { ...TAILNET_FLAGS, ...LEDGER_OUTPUT },
  notes: `${CREDENTIAL_NOTE}\n\n${LEDGER_NOTE}`,
  async run(f, io) {
    const access = await liveCall('symtail grants', async () => tailnetAccess(f, io));
    const { text } = await liveCall('symtail grants', () => access.read());
    printLedger(io, listLedger(text, clock(io)), outputFormat(f));
    return EXIT_OK;
  },
});

/** API failures exit 1; an argument the client refuses, or a policy the edit cannot apply to, is bad input (exit 2). */
export async function liveCall<T>(command: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof TailscaleApiError && e.code === 'invalid-argument') throw new CommandFailure(command, new UsageError(e.message));
    if (e instanceof PolicyEditError || e instanceof OtherMemberChangedError || e instanceof HujsonSyntaxError) {
      throw new CommandFailure(command, new BadInputError(e.message));
    }
    throw new CommandFailure(command, e);
  }
}
