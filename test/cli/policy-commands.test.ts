import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { NOW, symtail, workspace } from './harness';

const POLICY = '{\n\t"groups": {\n\t\t"group:prod": [\n\t\t\t"bob@example.com",\n\t\t],\n\t},\n}\n';
const GRANTED =
  '{\n\t"groups": {\n\t\t"group:prod": [\n\t\t\t"bob@example.com",\n\t\t\t"alice@example.com", // symtail: until=2026-11-23T13:00:00Z req=r-1\n\t\t],\n\t},\n}\n';

let ws: ReturnType<typeof workspace>;
afterEach(() => ws.cleanup());

describe('symtail policy grant', () => {
  it('prints the new policy on stdout and the change on stderr, leaving the file alone', async () => {
    ws = workspace({ 'policy.hujson': POLICY });
    const run = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod', '--member', 'alice@example.com', '--for', '1h', '--request-id', 'r-1'],
      ws.dir,
    );
    expect(run).toEqual({ code: 0, stdout: GRANTED, stderr: 'added alice@example.com to group:prod until 2026-11-23T13:00:00Z (request r-1)\n' });
    expect(ws.read('policy.hujson')).toBe(POLICY);
  });

  it('takes group:prod as well as prod, and --until as well as --for', async () => {
    ws = workspace({ 'policy.hujson': POLICY });
    const run = await symtail(
      [
        'policy',
        'grant',
        '--file=policy.hujson',
        '--group=group:prod',
        '--member',
        'alice@example.com',
        '--until',
        '2026-11-23T14:00:00+01:00',
        '--request-id',
        'r-1',
      ],
      ws.dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(GRANTED);
  });

  it('replaces the file atomically with --in-place, keeping its mode and leaving no temporary file', async () => {
    ws = workspace({ 'policy.hujson': POLICY });
    fs.chmodSync(path.join(ws.dir, 'policy.hujson'), 0o640);
    const run = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod', '--member', 'alice@example.com', '--for', '1h', '--request-id', 'r-1', '--in-place'],
      ws.dir,
    );
    expect(run).toEqual({
      code: 0,
      stdout: '',
      stderr: 'added alice@example.com to group:prod until 2026-11-23T13:00:00Z (request r-1)\nwrote policy.hujson\n',
    });
    expect(ws.read('policy.hujson')).toBe(GRANTED);
    expect(fs.statSync(path.join(ws.dir, 'policy.hujson')).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(ws.dir)).toEqual(['policy.hujson']);
  });

  it('does not write with --in-place when nothing changes', async () => {
    ws = workspace({ 'policy.hujson': POLICY });
    const mtime = ws.mtime('policy.hujson');
    const run = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod', '--member', 'Bob@example.com', '--for', '1h', '--in-place'],
      ws.dir,
    );
    expect(run).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'warning: group:prod: "bob@example.com" is a standing member (no symtail annotation); the grant records nothing\npolicy.hujson unchanged; not written\n',
    });
    expect(ws.mtime('policy.hujson')).toBe(mtime);
  });

  it('creates a missing group only with --create-group', async () => {
    ws = workspace({ 'policy.hujson': '{"groups": {}}' });
    const without = await symtail(['policy', 'grant', '--file', 'policy.hujson', '--group', 'ops', '--member', 'a@example.com', '--for', '10m'], ws.dir);
    expect(without.code).toBe(2);
    expect(without.stdout).toBe('');
    expect(without.stderr).toBe(
      'symtail policy grant: --file policy.hujson: policy file: group "group:ops" does not exist in "groups" (pass --create-group to create it)\n',
    );
    const withFlag = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'ops', '--member', 'a@example.com', '--for', '10m', '--create-group'],
      ws.dir,
    );
    expect(withFlag).toEqual({
      code: 0,
      stdout: '{"groups": {"group:ops": ["a@example.com" /* symtail: until=2026-11-23T12:10:00Z */]}}',
      stderr: 'created group:ops\nadded a@example.com to group:ops until 2026-11-23T12:10:00Z\n',
    });
  });

  it('with --create-group, gives a file without a "groups" section one, before its first section', async () => {
    ws = workspace({ 'policy.hujson': '{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}' });
    const run = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'ops', '--member', 'a@example.com', '--for', '10m', '--create-group'],
      ws.dir,
    );
    expect(run).toEqual({
      code: 0,
      stdout:
        '{"groups": {"group:ops": ["a@example.com" /* symtail: until=2026-11-23T12:10:00Z */]}, "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
      stderr: 'created group:ops\nadded a@example.com to group:ops until 2026-11-23T12:10:00Z\n',
    });
  });
});

describe('symtail policy revoke', () => {
  it('removes the granted member with its annotation', async () => {
    ws = workspace({ 'policy.hujson': GRANTED });
    const run = await symtail(['policy', 'revoke', '--file', 'policy.hujson', '--group', 'prod', '--member', 'ALICE@example.com'], ws.dir);
    expect(run).toEqual({ code: 0, stdout: POLICY, stderr: 'removed alice@example.com from group:prod (granted until 2026-11-23T13:00:00Z)\n' });
  });

  it('leaves a standing member, warning', async () => {
    ws = workspace({ 'policy.hujson': POLICY });
    const run = await symtail(['policy', 'revoke', '--file', 'policy.hujson', '--group', 'prod', '--member', 'bob@example.com', '--in-place'], ws.dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: group:prod: "bob@example.com" is a standing member (no symtail annotation); left in place\npolicy.hujson unchanged; not written\n',
    );
    expect(ws.read('policy.hujson')).toBe(POLICY);
  });
});

describe('symtail policy grants', () => {
  const text =
    '{"groups": {\n"group:prod": ["a@example.com" /* symtail: until=2026-11-23T11:00:00Z req=r-7 */, "b@example.com"],\n"group:ops": ["c@example.com" /* symtail: until=2026-12-01T00:00:00Z */, "d@example.com" /* symtail: bogus */],\n}}\n';

  it('prints a table of overdue, active and standing members, warning of each overdue one on stderr', async () => {
    ws = workspace({ 'policy.hujson': text });
    const run = await symtail(['policy', 'grants', '--file', 'policy.hujson'], ws.dir);
    expect(run).toEqual({
      code: 0,
      stdout: [
        'GROUP       MEMBER         STATE     UNTIL                 REQUEST',
        'group:prod  a@example.com  overdue   2026-11-23T11:00:00Z  r-7',
        'group:ops   c@example.com  active    2026-12-01T00:00:00Z  -',
        'group:prod  b@example.com  standing  -                     -',
        '',
      ].join('\n'),
      stderr:
        'warning: group:prod: "a@example.com" is overdue: access ended at 2026-11-23T11:00:00Z but the member is still present\n' +
        'warning: group:ops: "d@example.com" has a malformed symtail annotation\n',
    });
  });

  it('prints JSON with --json, judging expiry at --now', async () => {
    ws = workspace({ 'policy.hujson': text });
    const run = await symtail(['policy', 'grants', '--file', 'policy.hujson', '--json', '--now', '2026-11-23T10:00:00Z'], ws.dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      active: [
        { group: 'prod', member: 'a@example.com', until: '2026-11-23T11:00:00Z', requestId: 'r-7' },
        { group: 'ops', member: 'c@example.com', until: '2026-12-01T00:00:00Z' },
      ],
      overdue: [],
      standing: [{ group: 'prod', member: 'b@example.com' }],
      warnings: ['group:ops: "d@example.com" has a malformed symtail annotation'],
    });
  });

  it('prints CSV with --csv: the columns of the table, one record per member, absent cells empty, warnings still on stderr', async () => {
    ws = workspace({ 'policy.hujson': text });
    const run = await symtail(['policy', 'grants', '--file', 'policy.hujson', '--csv'], ws.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'group,member,state,until,request_id\r\n' +
        'group:prod,a@example.com,overdue,2026-11-23T11:00:00Z,r-7\r\n' +
        'group:ops,c@example.com,active,2026-12-01T00:00:00Z,\r\n' +
        'group:prod,b@example.com,standing,,\r\n',
    );
    expect(run.stderr).toContain('warning: group:prod: "a@example.com" is overdue');
  });

  it('writes a member a spreadsheet would run as a formula as text in the CSV', async () => {
    ws = workspace({ 'policy.hujson': '{"groups": {"group:prod": ["=HYPERLINK(\\"x\\")@example.com"]}}' });
    const run = await symtail(['policy', 'grants', '--file', 'policy.hujson', '--csv'], ws.dir);
    expect(run.stdout.split('\r\n')[1]).toBe('group:prod,"\'=HYPERLINK(""x"")@example.com",standing,,');
  });

  it.each([
    ['an escape sequence', '\u001b[2J', '\\u001b[2J'],
    ['a carriage return', 'x\rforged', 'x\\u000dforged'],
    ['a right-to-left override', 'x\u202eevil', 'x\\u202eevil'],
    ['a line separator', 'x\u2028y', 'x\\u2028y'],
  ])('shows %s from the policy file escaped in the table', async (_name, raw, shown) => {
    const login = `${raw}@example.com`;
    ws = workspace({ 'policy.hujson': `{"groups": {"group:prod": [${JSON.stringify(login)}]}}` });
    const run = await symtail(['policy', 'grants', '--file', 'policy.hujson'], ws.dir);
    expect(run.stdout.split('\n')[1]).toBe(`group:prod  ${shown}@example.com  standing  -      -`);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e\u2028]/);
  });
});

describe('symtail policy sweep', () => {
  const text =
    '{"groups": {\n"group:prod": ["a@example.com" /* symtail: until=2026-11-23T11:00:00Z */, "b@example.com"],\n"group:ops": ["c@example.com" /* symtail: until=2026-12-01T00:00:00Z */, "d@example.com"],\n}}\n';

  it('removes expired grants as of now', async () => {
    ws = workspace({ 'policy.hujson': text });
    const run = await symtail(['policy', 'sweep', '--file', 'policy.hujson', '--in-place'], ws.dir);
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'removed a@example.com from group:prod (granted until 2026-11-23T11:00:00Z)\nwrote policy.hujson\n' });
    expect(ws.read('policy.hujson')).toBe(
      '{"groups": {\n"group:prod": ["b@example.com"],\n"group:ops": ["c@example.com" /* symtail: until=2026-12-01T00:00:00Z */, "d@example.com"],\n}}\n',
    );
  });

  it('sweeps as of --now, and standing members of each --exclusive group', async () => {
    ws = workspace({ 'policy.hujson': text });
    const run = await symtail(
      ['policy', 'sweep', '--file', 'policy.hujson', '--now', '2026-12-02T00:00:00Z', '--exclusive', 'prod', '--exclusive', 'group:ops'],
      ws.dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"groups": {\n"group:prod": [],\n"group:ops": [],\n}}\n');
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('writes control and bidi characters of a removed member escaped, so a policy file cannot drive the terminal', async () => {
    ws = workspace({ 'policy.hujson': '{"groups": {"group:ops": ["\\u001b[2J\\u202ex@example.com"]}}\n' });
    const run = await symtail(['policy', 'sweep', '--file', 'policy.hujson', '--exclusive', 'ops'], ws.dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('removed \\u001b[2J\\u202ex@example.com from group:ops');
    expect(run.stderr).not.toMatch(/[\u001b\u202e]/);
  });
});

describe('files the engine refuses', () => {
  it.each([
    [
      'not HuJSON',
      '{"groups": {"group:prod": [\'a@example.com\']}}',
      "--file policy.hujson: hujson: line 1, column 28: invalid character '\\'' at start of value",
    ],
    ['invalid UTF-8 inside a string', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), '--file policy.hujson: hujson: line 1, column 3: invalid UTF-8'],
    [
      'no groups section',
      '{"acls": []}',
      '--file policy.hujson: policy file: no "groups" section, so group "group:prod" does not exist (add "groups": {"group:prod": []} to the policy file, or pass --create-group to create it)',
    ],
  ])('%s: exit 2, the reason on stderr, nothing on stdout, the file untouched', async (_name, content, message) => {
    ws = workspace({});
    fs.writeFileSync(path.join(ws.dir, 'policy.hujson'), content);
    const before = fs.readFileSync(path.join(ws.dir, 'policy.hujson'));
    const run = await symtail(
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod', '--member', 'a@example.com', '--for', '1h', '--in-place'],
      ws.dir,
    );
    expect(run).toEqual({ code: 2, stdout: '', stderr: `symtail policy grant: ${message}\n` });
    expect(fs.readFileSync(path.join(ws.dir, 'policy.hujson')).equals(before)).toBe(true);
  });

  it('a file that cannot be read: exit 2 naming --file', async () => {
    ws = workspace({});
    const run = await symtail(['policy', 'grants', '--file', 'missing.hujson'], ws.dir);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'symtail policy grants: --file: cannot read missing.hujson: no such file\n' });
  });
});

it("exits 1 on a failure that is not the input's fault", async () => {
  ws = workspace({ 'policy.hujson': POLICY });
  let stderr = '';
  const code = await main(['policy', 'grants', '--file', 'policy.hujson'], {
    stdout: {
      write: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
    cwd: ws.dir,
    now: () => NOW,
  });
  expect(code).toBe(1);
  expect(stderr).toBe('symtail policy grants: write EPIPE\n');
});
