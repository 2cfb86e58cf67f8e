import { EditResult, PolicyEditError, PolicyInputError, grant, listLedger, revoke, sweep, validateLogin, validateRequestId } from '../policy';
import { HujsonSyntaxError } from '../hujson';
import { Command, EXIT_OK } from './command';
import { BadInputError, UsageError } from './errors';
import { groupFlag, parseFlags, required } from './flags';
import { LEDGER_NOTE, printLedger } from './ledger-output';
import { help } from './output';
import { CliIo, clock } from './io';
import { readPolicyFile, replaceFile } from './policy-file';
import { describeEdit } from './report';
import { runSubcommand, Subcommand } from './subcommands';
import { expiryFrom, parseInstant } from './time';

const EDIT_NOTE = `Without --in-place the new policy goes to stdout; with it the file is replaced atomically, and only if it changed.
Changes and warnings go to stderr.`;

const grantCommand: Subcommand = {
  name: 'grant',
  summary: 'add a member to a group until a time, recording the grant in the file',
  usage: `Usage: symtail policy grant --file F --group G --member M (--for 1h | --until ISO) [--request-id R] [--create-group] [--in-place]

  --file F          the policy file (HuJSON)
  --group G         the group, "prod" or "group:prod"
  --member M        the login to add: name@example.com, name@github or name@passkey
  --for D           how long: 30s, 10m, 1h, 1d
  --until ISO       until when, e.g. 2026-11-23T18:00:00Z
  --request-id R    recorded in the grant's annotation
  --create-group    create the group in "groups" if it is missing
  --in-place        replace the file instead of printing the new policy

A member already granted is extended (the later expiry wins); a standing member is left as it is.
${EDIT_NOTE}`,
  async run(args, io) {
    const f = parseFlags(args, { file: 'string', group: 'string', member: 'string', for: 'string', until: 'string', 'request-id': 'string', 'create-group': 'boolean', 'in-place': 'boolean', help: 'boolean' });
    if (f.help) return help(io, this.usage);
    const req = {
      group: groupFlag(required(f.group, 'group'), '--group'),
      member: validateLogin(required(f.member, 'member'), '--member'),
      until: expiryFrom(f.for, f.until, clock(io)),
      ...(f['request-id'] === undefined ? {} : { requestId: validateRequestId(f['request-id'], '--request-id') }),
      createGroup: f['create-group'],
    };
    return edit(io, required(f.file, 'file'), f['in-place'], (text) => grant(text, req));
  },
};

const revokeCommand: Subcommand = {
  name: 'revoke',
  summary: 'remove a granted member from a group, with its annotation',
  usage: `Usage: symtail policy revoke --file F --group G --member M [--in-place]

  --file F      the policy file (HuJSON)
  --group G     the group, "prod" or "group:prod"
  --member M    the login to remove
  --in-place    replace the file instead of printing the new policy

Standing members (without a symtail annotation) are left in place, with a warning.
${EDIT_NOTE}`,
  async run(args, io) {
    const f = parseFlags(args, { file: 'string', group: 'string', member: 'string', 'in-place': 'boolean', help: 'boolean' });
    if (f.help) return help(io, this.usage);
    const req = { group: groupFlag(required(f.group, 'group'), '--group'), member: validateLogin(required(f.member, 'member'), '--member') };
    return edit(io, required(f.file, 'file'), f['in-place'], (text) => revoke(text, req));
  },
};

const grantsCommand: Subcommand = {
  name: 'grants',
  summary: 'list members by state: overdue, active (just-in-time) and standing',
  usage: `Usage: symtail policy grants --file F [--json] [--now ISO]

  --file F     the policy file (HuJSON)
  --json       print {active, overdue, standing, warnings} as JSON
  --now ISO    judge expiry at this time instead of now

${LEDGER_NOTE}`,
  async run(args, io) {
    const f = parseFlags(args, { file: 'string', json: 'boolean', now: 'string', help: 'boolean' });
    if (f.help) return help(io, this.usage);
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const { text } = await readPolicyFile(required(f.file, 'file'), io.cwd);
    printLedger(io, asBadInput(required(f.file, 'file'), () => listLedger(text, now)), f.json);
    return EXIT_OK;
  },
};

const sweepCommand: Subcommand = {
  name: 'sweep',
  summary: 'remove every expired grant in one edit',
  usage: `Usage: symtail policy sweep --file F [--now ISO] [--exclusive G]... [--in-place]

  --file F          the policy file (HuJSON)
  --now ISO         sweep as of this time instead of now
  --exclusive G     in this group, also remove members without a grant (repeatable)
  --in-place        replace the file instead of printing the new policy

Malformed symtail annotations are never treated as expired: they stay, with a warning.
${EDIT_NOTE}`,
  async run(args, io) {
    const f = parseFlags(args, { file: 'string', now: 'string', exclusive: 'list', 'in-place': 'boolean', help: 'boolean' });
    if (f.help) return help(io, this.usage);
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const exclusiveGroups = f.exclusive.map((g) => groupFlag(g, '--exclusive'));
    return edit(io, required(f.file, 'file'), f['in-place'], (text) => sweep(text, { now, exclusiveGroups }));
  },
};

export const policyCommand: Command = {
  name: 'policy',
  summary: 'edit and inspect a policy file offline: grant, revoke, grants, sweep',
  run: (args, io) => runSubcommand('symtail policy', [grantCommand, revokeCommand, grantsCommand, sweepCommand], args, io),
};

async function edit(io: CliIo, file: string, inPlace: boolean, change: (text: string) => EditResult): Promise<number> {
  const policy = await readPolicyFile(file, io.cwd);
  const result = asBadInput(file, () => change(policy.text));
  io.stderr.write(describeEdit(result));
  if (!inPlace) {
    io.stdout.write(result.text);
  } else if (result.changed) {
    await replaceFile(policy.path, result.text);
    io.stderr.write(`wrote ${file}\n`);
  } else {
    io.stderr.write(`${file} unchanged; not written\n`);
  }
  return EXIT_OK;
}

/** What the policy engine refuses in the file's content is bad input, named by the file. */
function asBadInput<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HujsonSyntaxError || e instanceof PolicyEditError) throw new BadInputError(`--file ${file}: ${e.message}`);
    if (e instanceof PolicyInputError) throw new UsageError(e.message);
    throw e;
  }
}
