import { EditResult, PolicyEditError, PolicyInputError, listLedger, revoke, sweep, validateLogin, validateRequestId } from '../policy';
import { DANGERS, dangerLine, groupImpact, PolicyShapeError, readAccessPolicy, ruleLine } from '../access';
import { HujsonSyntaxError } from '../hujson';
import { Command, EXIT_OK, defineCommand } from './command';
import { BadInputError, UsageError } from './errors';
import { flag, GROUP_FLAG, groupFlag } from './flags';
import { LEDGER_NOTE, LEDGER_OUTPUT, printLedger } from './ledger-output';
import { jsonOutput, outputFormat } from './output';
import { CliIo, clock } from './io';
import { readPolicyFile, replaceFile } from './policy-file';
import { formatCommand } from './policy-format';
import { describeEdit } from './report';
import { grantWithFlagHint } from './grant';
import { EXPIRY_FLAGS, expiryFrom, parseInstant } from './time';

const EDIT_NOTE = `Without --in-place the new policy goes to stdout; with it the file is replaced atomically, and only if it changed.
Changes and warnings go to stderr.`;

const FILE = flag.string({ value: 'F', help: 'the policy file (HuJSON)', required: true });
const IN_PLACE = flag.boolean({ help: 'replace the file instead of printing the new policy' });

const grantCommand = defineCommand({
  name: 'grant',
  summary: 'add a member to a group until a time, recording the grant in the file',
  flags: {
    file: FILE,
    group: GROUP_FLAG,
    member: flag.string({ value: 'M', help: 'the login to add: name@example.com, name@github or name@passkey', required: true }),
    ...EXPIRY_FLAGS,
    'request-id': flag.string({ value: 'R', help: "recorded in the grant's annotation" }),
    'create-group': flag.boolean({ help: 'create the group, and a "groups" section, if the file lacks them' }),
    'in-place': IN_PLACE,
  },
  notes: `A member already granted is extended (the later expiry wins); a standing member is left as it is.
${EDIT_NOTE}`,
  async run(f, io) {
    const req = {
      group: groupFlag(f.group, '--group'),
      member: validateLogin(f.member, '--member'),
      until: expiryFrom(f, clock(io)),
      ...(f['request-id'] === undefined ? {} : { requestId: validateRequestId(f['request-id'], '--request-id') }),
      createGroup: f['create-group'],
    };
    return edit(io, f.file, f['in-place'], (text) => grantWithFlagHint(text, req));
  },
});

const revokeCommand = defineCommand({
  name: 'revoke',
  summary: 'remove a granted member from a group, with its annotation',
  flags: {
    file: FILE,
    group: GROUP_FLAG,
    member: flag.string({ value: 'M', help: 'the login to remove', required: true }),
    'in-place': IN_PLACE,
  },
  notes: `Standing members (without a symtail annotation) are left in place, with a warning.
${EDIT_NOTE}`,
  async run(f, io) {
    const req = { group: groupFlag(f.group, '--group'), member: validateLogin(f.member, '--member') };
    return edit(io, f.file, f['in-place'], (text) => revoke(text, req));
  },
});

const grantsCommand = defineCommand({
  name: 'grants',
  summary: 'list members by state: overdue, active (just-in-time) and standing',
  flags: {
    file: FILE,
    now: flag.string({ value: 'ISO', help: 'judge expiry at this time instead of now' }),
    ...LEDGER_OUTPUT,
  },
  notes: LEDGER_NOTE,
  async run(f, io) {
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const { text } = await readPolicyFile(f.file, io.cwd);
    printLedger(
      io,
      asBadInput(f.file, () => listLedger(text, now)),
      outputFormat(f),
    );
    return EXIT_OK;
  },
});

const sweepCommand = defineCommand({
  name: 'sweep',
  summary: 'remove every expired grant in one edit',
  flags: {
    file: FILE,
    now: flag.string({ value: 'ISO', help: 'sweep as of this time instead of now' }),
    exclusive: flag.list({ value: 'G', help: 'in this group, also remove members without a grant (repeatable)' }),
    'in-place': IN_PLACE,
  },
  notes: `A malformed symtail annotation counts as none in an --exclusive group (the member is removed); elsewhere it
stays, with a warning.
${EDIT_NOTE}`,
  async run(f, io) {
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const exclusiveGroups = f.exclusive.map((g) => groupFlag(g, '--exclusive'));
    return edit(io, f.file, f['in-place'], (text) => sweep(text, { now, exclusiveGroups }));
  },
});

/** The dangers and what each means, one kept line each (indented, so help never splits one). */
function dangerColumns(): string {
  const width = Math.max(...Object.keys(DANGERS).map((kind) => kind.length));
  return Object.entries(DANGERS)
    .map(([kind, description]) => `  ${kind.padEnd(width)}  ${description}`)
    .join('\n');
}

const impactCommand = defineCommand({
  name: 'impact',
  summary: 'what membership of a group grants, each rule with its line, and the flagged dangers',
  flags: {
    file: FILE,
    group: GROUP_FLAG,
    ...jsonOutput('{group, rules, dangers}'),
  },
  notes: `Rules reach the group by name, or through "*", "autogroup:member" or "autogroup:danger-all" (shown as "through").
Dangers flagged:
${dangerColumns()}`,
  async run(f, io) {
    const group = `group:${groupFlag(f.group, '--group')}`;
    const { text } = await readPolicyFile(f.file, io.cwd);
    const policy = asBadInput(f.file, () => readAccessPolicy(text));
    if (!policy.groups.some((g) => g.name === group)) throw new BadInputError(`--group: ${group} is not defined in the "groups" of ${f.file}`);
    const impact = groupImpact(policy, group);
    if (f.json) {
      io.stdout.write(`${JSON.stringify(impact, null, 2)}\n`);
      return EXIT_OK;
    }
    const rules = impact.rules.map((r) => `  ${ruleLine(r, group)}\n`).join('') || '  nothing\n';
    const dangers = impact.dangers.map((d) => `  ${dangerLine(d)}\n`).join('') || '  none\n';
    io.stdout.write(`What membership of ${group} grants (${f.file}):\n${rules}Flagged dangers:\n${dangers}`);
    return EXIT_OK;
  },
});

export const policyCommand: Command = {
  name: 'policy',
  summary: 'edit and inspect a policy file offline: grant, revoke, grants, sweep, format, impact',
  subcommands: [grantCommand, revokeCommand, grantsCommand, sweepCommand, formatCommand, impactCommand],
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
    if (e instanceof HujsonSyntaxError || e instanceof PolicyEditError || e instanceof PolicyShapeError)
      throw new BadInputError(`--file ${file}: ${e.message}`);
    if (e instanceof PolicyInputError) throw new UsageError(e.message);
    throw e;
  }
}
