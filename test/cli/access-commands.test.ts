import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { DANGERS as DANGER_KINDS } from '../../lib/access';
import { csv } from '../../lib/cli/csv';
import { main } from '../../lib/cli/main';
import { EMULATOR_API_KEY, TailnetEmulator } from '../../lib/testing';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';
import LEGACY from '../policy/fixtures/tailscale-legacy-policies.json';
import { symtail, workspace } from './harness';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/tailscale-ssh-access/policy.hujson');
const DANGERS = path.join(ROOT, 'examples/access-dangers/policy.hujson');

/** A policy with every member state at the harness's NOW (2026-11-23T12:00:00Z), and one danger. */
const LEDGER_POLICY = [
  '{',
  '  "groups": {',
  '    "group:prod": [',
  '      "bob@example.com",',
  '      "alice@example.com", // symtail: until=2026-11-23T13:00:00Z req=r-1',
  '      "carol@example.com", // symtail: until=2026-11-23T11:00:00Z req=r-0',
  '    ],',
  '    "group:staging": ["Bob@example.com", "dave@example.com"],',
  '    "group:admins": ["erin@example.com"],',
  '  },',
  '  "tagOwners": {"tag:prod": ["group:prod"]},',
  '}',
  '',
].join('\n');

let ws: ReturnType<typeof workspace> | undefined;
afterEach(() => ws?.cleanup());

describe('symtail policy impact', () => {
  it('names every danger of the dangers example, with its line', async () => {
    const run = await symtail(['policy', 'impact', '--file', DANGERS, '--group', 'oncall', '--json'], ROOT);
    expect(run.code).toBe(0);
    const impact = JSON.parse(run.stdout);
    expect(Object.keys(impact)).toEqual(['group', 'rules', 'dangers']);
    expect(impact.group).toBe('group:oncall');
    expect(impact.dangers.map((d: { kind: string; line: number }) => [d.kind, d.line])).toEqual([
      ['all-destinations', 15],
      ['root-ssh', 23],
      ['tag-owner', 32],
      ['auto-approver', 38],
      ['auto-approver', 40],
    ]);
    expect(impact.rules.map((r: { section: string; line: number; via: string }) => [r.section, r.line, r.via])).toEqual([
      ['acls', 15, 'group:oncall'],
      ['grants', 19, 'group:oncall'],
      ['ssh', 23, 'group:oncall'],
      ['tagOwners', 32, 'group:oncall'],
      ['autoApprovers', 38, 'group:oncall'],
      ['autoApprovers', 40, 'group:oncall'],
    ]);
  });

  it('the dangers example shows each kind of danger there is, and --help describes each', async () => {
    const impact = JSON.parse((await symtail(['policy', 'impact', '--file', DANGERS, '--group', 'oncall', '--json'], ROOT)).stdout);
    expect(new Set(impact.dangers.map((d: { kind: string }) => d.kind))).toEqual(new Set(Object.keys(DANGER_KINDS)));
    const help = (await symtail(['policy', 'impact', '--help'], ROOT)).stdout.split('\n');
    for (const [kind, description] of Object.entries(DANGER_KINDS)) {
      expect(
        help
          .find((line) => line.trimStart().startsWith(`${kind} `))
          ?.trim()
          .split(/ {2,}/),
      ).toEqual([kind, description]);
    }
  });

  it('prints rules and dangers for people, each with its line', async () => {
    const run = await symtail(['policy', 'impact', '--file', DANGERS, '--group', 'group:sre'], ROOT);
    expect(run).toEqual({
      code: 0,
      stdout: `What membership of group:sre grants (${DANGERS}):\n  line 16 acls: bastion:22\nFlagged dangers:\n  none\n`,
      stderr: '',
    });
  });

  it.each([
    ['a group the file does not define', ['--group', 'nobody'], '--group: group:nobody is not defined in the "groups" of'],
    ['a group name that is not one', ['--group', 'a b'], '--group'],
  ])('refuses %s with exit 2', async (_name, flags, message) => {
    const run = await symtail(['policy', 'impact', '--file', DANGERS, ...flags], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('refuses a rule it would misread, naming the field and its line', async () => {
    ws = workspace({ 'policy.hujson': '{\n  "groups": {"group:prod": []},\n  "acls": [{"action": "accept", "src": "group:prod", "dst": ["*:*"]}],\n}\n' });
    const run = await symtail(['policy', 'impact', '--file', 'policy.hujson', '--group', 'prod'], ws.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('acls[0].src (line 3): expected an array');
  });
});

describe('the example policy', () => {
  it('gives group:prod no flagged danger, and its own report is clean', async () => {
    const impact = await symtail(['policy', 'impact', '--file', EXAMPLE, '--group', 'prod', '--json'], ROOT);
    expect(JSON.parse(impact.stdout).dangers).toEqual([]);
    const report = await symtail(['report', '--file', EXAMPLE, '--json'], ROOT);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).summary).toEqual({ managedGroups: 2, standingPeople: 1, justInTimeMembers: 0, overdueMembers: 0, dangers: 0 });
  });
});

describe('a policy file with keys as Tailscale\'s Terraform provider writes them ("Groups", "ACLs" with "Users" and "Ports")', () => {
  const TESTACL = LEGACY.policies['terraform-testACL'].text;

  it('is reported with its standing members and its dangers', async () => {
    ws = workspace({ 'policy.hujson': TESTACL });
    const run = await symtail(['report', '--file', 'policy.hujson'], ws.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('group:example  user1@example.com  standing');
    expect(run.stdout).toContain('\n2 people hold standing access to 1 group symtail manages; 0 just-in-time, 0 overdue, 2 flagged dangers\n');
  });

  it('gives policy impact the dangers Tailscale would enforce', async () => {
    ws = workspace({ 'policy.hujson': TESTACL });
    const run = await symtail(['policy', 'impact', '--file', 'policy.hujson', '--group', 'example', '--json'], ws.dir);
    expect(JSON.parse(run.stdout).dangers.map((d: { kind: string; line: number }) => [d.kind, d.line])).toEqual([
      ['all-destinations', 4],
      ['tag-owner', 11],
    ]);
  });
});

describe('symtail report --file', () => {
  it('lists each group by state and the dangers of managed groups, and ends with the summary line', async () => {
    ws = workspace({ 'policy.hujson': LEDGER_POLICY });
    const run = await symtail(['report', '--file', 'policy.hujson', '--group', 'prod', '--group', 'group:staging'], ws.dir);
    expect(run.code).toBe(0);
    expect(run.stdout.slice(0, run.stdout.indexOf('\nChecks'))).toBe(
      [
        'GROUP          MEMBER             STATE         UNTIL                 REQUEST',
        'group:prod     carol@example.com  overdue       2026-11-23T11:00:00Z  r-0',
        'group:prod     alice@example.com  just-in-time  2026-11-23T13:00:00Z  r-1',
        'group:prod     bob@example.com    standing      -                     -',
        'group:staging  Bob@example.com    standing      -                     -',
        'group:staging  dave@example.com   standing      -                     -',
        'group:admins   erin@example.com   standing      -                     -',
        '',
        'Dangers of managed groups:',
        "  group:prod line 11 tag-owner: group:prod may apply tag:prod: a device a member tags keeps tag:prod's access after the membership ends",
        '',
      ].join('\n'),
    );
    expect(run.stdout).toMatch(
      /\n2 people hold standing access to 2 groups symtail manages; 1 just-in-time, 1 overdue, 1 flagged danger\nchecks: 2 ok, 2 alarm, 8 skipped\n$/,
    );
    expect(run.stderr).toContain('"carol@example.com" is overdue');
  });

  it('takes the managed groups from a strategy manifest', async () => {
    ws = workspace({ 'policy.hujson': LEDGER_POLICY, 'manifest.json': JSON.stringify(exampleManifest('https://api.tailscale.com')) });
    const run = await symtail(['report', '--file', 'policy.hujson', '--manifest', 'manifest.json', '--json'], ws.dir);
    const report = JSON.parse(run.stdout);
    expect(report.groups.map((g: { group: string; managed: boolean }) => [g.group, g.managed])).toEqual([
      ['group:prod', true],
      ['group:staging', true],
      ['group:admins', false],
    ]);
    expect(report.groups[0]).toEqual({
      group: 'group:prod',
      managed: true,
      standing: ['bob@example.com'],
      justInTime: [{ member: 'alice@example.com', until: '2026-11-23T13:00:00Z', requestId: 'r-1' }],
      overdue: [{ member: 'carol@example.com', until: '2026-11-23T11:00:00Z', requestId: 'r-0' }],
      dangers: [expect.objectContaining({ kind: 'tag-owner', line: 11 })],
    });
    expect(report.summary).toEqual({ managedGroups: 2, standingPeople: 2, justInTimeMembers: 1, overdueMembers: 1, dangers: 1 });
  });

  it('writes CSV that parses, with a header, quotes, commas and line breaks intact', async () => {
    const awkward = 'o\'brien, "the elder"\nsecond line@example.com';
    ws = workspace({ 'policy.hujson': LEDGER_POLICY.replace('"dave@example.com"', JSON.stringify(awkward)) });
    const run = await symtail(['report', '--file', 'policy.hujson', '--group', 'prod', '--group', 'staging', '--csv'], ws.dir);
    expect(run.code).toBe(0);
    const records = (parse(run.stdout, { columns: true }) as Record<string, string>[]).filter((r) => r.section === 'groups');
    expect(Object.keys(records[0]).slice(0, 10)).toEqual([
      'section',
      'record',
      'group',
      'managed',
      'member',
      'until',
      'request_id',
      'danger',
      'line',
      'message',
    ]);
    expect(records.map((r) => [r.group, r.record, r.member, r.request_id, r.danger, r.line])).toEqual([
      ['group:prod', 'overdue', 'carol@example.com', 'r-0', '', ''],
      ['group:prod', 'just-in-time', 'alice@example.com', 'r-1', '', ''],
      ['group:prod', 'standing', 'bob@example.com', '', '', ''],
      ['group:prod', 'danger', '', '', 'tag-owner', '11'],
      ['group:staging', 'standing', 'Bob@example.com', '', '', ''],
      ['group:staging', 'standing', awkward, '', '', ''],
      ['group:admins', 'standing', 'erin@example.com', '', '', ''],
    ]);
  });

  it.each([
    ['both --json and --csv', ['--file', 'p', '--json', '--csv'], 'expected at most one of --json and --csv, got both'],
    ['neither --tailnet nor --file', [], 'expected exactly one of --tailnet and --file, got neither'],
    ['a manifest that is not one', ['--file', 'policy.hujson', '--manifest', 'policy.hujson'], '--manifest'],
  ])('refuses %s with exit 2', async (_name, flags, message) => {
    ws = workspace({ 'policy.hujson': LEDGER_POLICY });
    const run = await symtail(['report', ...flags], ws.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('live commands against the tailnet API', () => {
  let emulator: TailnetEmulator;
  beforeEach(async () => {
    emulator = await TailnetEmulator.start({ policy: LEDGER_POLICY });
  });
  afterEach(() => emulator.stop());

  async function live(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main([args[0], '--tailnet', 'example.com', '--api-url', emulator.url, ...args.slice(1)], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { TAILSCALE_API_KEY: EMULATOR_API_KEY },
      cwd: ROOT,
      now: () => new Date('2026-11-23T12:00:00Z'),
    });
    return { code, stdout, stderr };
  }

  it('symtail report reads the live policy file', async () => {
    const run = await live(['report', '--group', 'prod', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary).toEqual({ managedGroups: 1, standingPeople: 1, justInTimeMembers: 1, overdueMembers: 1, dangers: 1 });
  });

  it('symtail escalate --dry-run warns of the flagged danger on stderr and in its audit line', async () => {
    const before = emulator.policy;
    const run = await live(['escalate', '--group', 'prod', '--member', 'frank@example.com', '--for', '1h', '--dry-run']);
    expect(run.code).toBe(0);
    const warning =
      "group:prod carries a flagged danger: line 11 tag-owner: group:prod may apply tag:prod: a device a member tags keeps tag:prod's access after the membership ends";
    expect(run.stderr).toContain(`warning: ${warning}\n`);
    expect(JSON.parse(run.stderr.trim().split('\n').pop()!)).toMatchObject({ action: 'escalate', dryRun: true, warnings: expect.arrayContaining([warning]) });
    expect(emulator.policy).toBe(before);
  });
});

describe('csv', () => {
  it.each([
    ['plain cells', ['a', 'b']],
    ['a comma', ['a,b', 'c']],
    ['quotes', ['say "hi"', '"']],
    ['line breaks', ['one\ntwo', 'three\r\nfour']],
    ['empty cells', ['', '']],
  ])('round-trips %s through a CSV parser', (_name, row) => {
    expect(parse(csv([['x', 'y'], row]), { columns: true })).toEqual([{ x: row[0], y: row[1] }]);
  });

  it.each(['=1+1@x.io', '+cmd@x.io', '-2@x.io', '@SUM(A1)', '\t=1'])('writes %j as text, never as a spreadsheet formula', (cell) => {
    expect(parse(csv([['x'], [cell]]), { columns: true })).toEqual([{ x: `'${cell}` }]);
  });
});
