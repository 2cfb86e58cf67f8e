import * as fs from 'fs';
import * as path from 'path';
import { symtail, workspace } from './harness';

const POLICY = '{\n\t"groups": {\n\t\t"group:prod": [\n\t\t\t"bob@example.com",\n\t\t],\n\t},\n}\n';
const GRANT = ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod'];

let ws: ReturnType<typeof workspace>;
beforeEach(() => {
  ws = workspace({ 'policy.hujson': POLICY });
});
afterEach(() => ws.cleanup());

/** Runs the command and checks that it was refused as bad input without touching the file or stdout. */
async function expectRefused(argv: string[]): Promise<string> {
  const file = path.join(ws.dir, 'policy.hujson');
  const bytes = fs.readFileSync(file);
  const mtime = fs.statSync(file).mtimeMs;
  const run = await symtail(argv, ws.dir);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  expect(fs.statSync(file).mtimeMs).toBe(mtime);
  expect(fs.readdirSync(ws.dir)).toEqual(['policy.hujson']);
  return run.stderr;
}

describe('hostile logins are refused by symtail policy grant (exit 2, file untouched)', () => {
  it.each([
    ['a double quote', 'a"@example.com'],
    ['a quote that closes the JSON string', '","group:admin'],
    ['a single quote', "o'brien@example.com"],
    ['a backslash', 'a\\"@example.com'],
    ['a newline', 'a@example.com\n"evil@example.com"'],
    ['a carriage return', 'a@example.com\r'],
    ['a line comment marker', 'a@example.com//'],
    ['a block comment opener', 'a@example.com/*'],
    ['a block comment closer', '*/a@example.com'],
    ['group:x', 'group:x'],
    ['tag:x', 'tag:x'],
    ['autogroup:member', 'autogroup:member'],
    ['*', '*'],
    ['empty', ''],
    ['300+ characters', `${'a'.repeat(300)}@example.com`],
    ['U+0000', 'a\u0000@example.com'],
    ['U+001B', 'a\u001b@example.com'],
    ['U+202E', 'a\u202e@example.com'],
    ['U+2028', 'a\u2028@example.com'],
    ['U+FEFF', '\ufeffa@example.com'],
  ])('%s', async (_name, member) => {
    const stderr = await expectRefused([...GRANT, '--member', member, '--for', '1h', '--in-place']);
    expect(stderr).toMatch(/^symtail policy grant: --member: expected a tailnet login such as "name@example.com", "name@github" or "name@passkey", got /);
    expect(stderr).toMatch(/Run 'symtail policy grant --help' for usage\.\n$/);
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028\u202e\ufeff]/);
  });
});

describe('flag errors exit 2 naming the flag, with nothing written', () => {
  it.each([
    ['an unknown flag', [...GRANT, '--member', 'a@example.com', '--for', '1h', '--force'], 'unknown flag --force'],
    ['a flag without its value', [...GRANT, '--member', 'a@example.com', '--for'], '--for: expected a value D (how long: 30s, 10m, 1h, 1d)'],
    [
      'a flag followed by another flag',
      [...GRANT, '--member', '--for', '1h'],
      '--member: expected a value M (the login to add: name@example.com, name@github or name@passkey)',
    ],
    ['a single flag given twice', [...GRANT, '--member', 'a@example.com', '--member', 'b@example.com', '--for', '1h'], '--member: given more than once'],
    ['a value for a boolean flag', [...GRANT, '--member', 'a@example.com', '--for', '1h', '--in-place=yes'], '--in-place: takes no value'],
    ['a stray argument', [...GRANT, 'a@example.com', '--for', '1h'], 'unexpected argument "a@example.com": expected a flag (--name value)'],
    [
      'both --for and --until',
      [...GRANT, '--member', 'a@example.com', '--for', '1h', '--until', '2030-01-01T00:00:00Z'],
      'expected exactly one of --for and --until, got both',
    ],
    ['neither --for nor --until', [...GRANT, '--member', 'a@example.com'], 'expected exactly one of --for and --until, got neither'],
    [
      'a malformed duration',
      [...GRANT, '--member', 'a@example.com', '--for', '90 minutes'],
      '--for: expected a duration such as "30s", "10m", "1h" or "1d", got "90 minutes"',
    ],
    [
      'a time without an offset',
      [...GRANT, '--member', 'a@example.com', '--until', '2030-01-01T00:00:00'],
      '--until: expected an ISO 8601 time with an offset such as "2026-11-23T18:00:00Z", got "2030-01-01T00:00:00"',
    ],
    [
      'the 30th of February',
      [...GRANT, '--member', 'a@example.com', '--until', '2027-02-30T00:00:00Z'],
      '--until: "2027-02-30T00:00:00Z" is not a time that exists (check the day of the month and the hour)',
    ],
    [
      'the 29th of February of a common year',
      [...GRANT, '--member', 'a@example.com', '--until', '2027-02-29T12:00:00+01:00'],
      '--until: "2027-02-29T12:00:00+01:00" is not a time that exists (check the day of the month and the hour)',
    ],
    [
      'the 31st of April',
      [...GRANT, '--member', 'a@example.com', '--until', '2027-04-31T00:00Z'],
      '--until: "2027-04-31T00:00Z" is not a time that exists (check the day of the month and the hour)',
    ],
    [
      'hour 24',
      [...GRANT, '--member', 'a@example.com', '--until', '2027-01-01T24:00:00Z'],
      '--until: "2027-01-01T24:00:00Z" is not a time that exists (check the day of the month and the hour)',
    ],
    [
      'a time in the past',
      [...GRANT, '--member', 'a@example.com', '--until', '2026-11-23T11:59:59Z'],
      '--until: expected a time in the future, got "2026-11-23T11:59:59Z"',
    ],
    [
      'a request id that could end the comment',
      [...GRANT, '--member', 'a@example.com', '--for', '1h', '--request-id', 'r-1 */'],
      '--request-id: expected a request id of 1 to 128 letters, digits, ".", "_", ":" or "-", got "r-1 */"',
    ],
    [
      'a group name that is not one',
      ['policy', 'grant', '--file', 'policy.hujson', '--group', 'prod"', '--member', 'a@example.com', '--for', '1h'],
      '--group: expected a group name of letters, digits, ".", "_" or "-" (at most 64), got "prod\\""',
    ],
    ['a missing --group', ['policy', 'grant', '--file', 'policy.hujson', '--member', 'a@example.com', '--for', '1h'], '--group: required'],
    ['a missing --file', ['policy', 'grant', '--group', 'prod', '--member', 'a@example.com', '--for', '1h'], '--file: required'],
  ])('grant with %s', async (_name, argv, message) => {
    expect(await expectRefused([...argv, '--in-place'])).toBe(`symtail policy grant: ${message}\nRun 'symtail policy grant --help' for usage.\n`);
  });

  it.each([
    ['revoke without --member', ['policy', 'revoke', '--file', 'policy.hujson', '--group', 'prod'], 'symtail policy revoke: --member: required'],
    [
      'revoke with a tag',
      ['policy', 'revoke', '--file', 'policy.hujson', '--group', 'prod', '--member', 'tag:ci'],
      'symtail policy revoke: --member: expected a tailnet login such as "name@example.com", "name@github" or "name@passkey", got a tag reference, not a user',
    ],
    [
      'grants with a bad --now',
      ['policy', 'grants', '--file', 'policy.hujson', '--now', 'yesterday'],
      'symtail policy grants: --now: expected an ISO 8601 time with an offset such as "2026-11-23T18:00:00Z", got "yesterday"',
    ],
    ['grants with --in-place', ['policy', 'grants', '--file', 'policy.hujson', '--in-place'], 'symtail policy grants: unknown flag --in-place'],
    [
      'sweep with a bad --exclusive',
      ['policy', 'sweep', '--file', 'policy.hujson', '--exclusive', 'tag:x'],
      'symtail policy sweep: --exclusive: expected a group name of letters, digits, ".", "_" or "-" (at most 64), got "tag:x"',
    ],
    [
      'sweep with --now twice',
      ['policy', 'sweep', '--file', 'policy.hujson', '--now', '2026-01-01T00:00:00Z', '--now', '2026-01-02T00:00:00Z'],
      'symtail policy sweep: --now: given more than once',
    ],
  ])('%s', async (_name, argv, message) => {
    const command = message.slice(0, message.indexOf(':'));
    expect(await expectRefused(argv)).toBe(`${message}\nRun '${command} --help' for usage.\n`);
  });

  it.each([
    [['policy', 'nope'], 'symtail policy: unknown subcommand "nope"\nRun \'symtail policy --help\' for usage.\n'],
    [['policy'], "symtail policy: expected a subcommand\nRun 'symtail policy --help' for usage.\n"],
    [['nope'], 'symtail: unknown command "nope"\nRun \'symtail --help\' for usage.\n'],
    [[], "symtail: expected a command\nRun 'symtail --help' for usage.\n"],
  ])('symtail %j', async (argv, stderr) => {
    expect(await expectRefused(argv)).toBe(stderr);
  });
});

test('the 29th of February of a leap year is a time that exists', async () => {
  const run = await symtail([...GRANT, '--member', 'a@example.com', '--until', '2028-02-29T23:30:00-01:00'], ws.dir);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('added a@example.com to group:prod until 2028-03-01T00:30:00Z\n');
});

describe('--help', () => {
  it.each([
    [['--help'], 'Usage: symtail <command> [flags]'],
    [['policy', '--help'], 'Usage: symtail policy <command> [flags]'],
    [
      ['policy', 'grant', '--help'],
      'Usage: symtail policy grant --file F --group G --member M (--for D | --until ISO) [--request-id R] [--create-group] [--in-place]',
    ],
    [['policy', 'revoke', '-h'], 'Usage: symtail policy revoke --file F --group G --member M [--in-place]'],
    [['policy', 'grants', '--help'], 'Usage: symtail policy grants --file F [--now ISO] [--json | --csv]'],
    [['policy', 'sweep', '--help'], 'Usage: symtail policy sweep --file F [--now ISO] [--exclusive G]... [--in-place]'],
  ])('symtail %j prints usage on stdout and exits 0', async (argv, usage) => {
    const run = await symtail(argv, ws.dir);
    expect(run.code).toBe(0);
    // The usage is its first paragraph, however many lines the width gives it.
    expect(run.stdout.split('\n\n')[0].replace(/\n +/g, ' ')).toBe(usage);
    expect(run.stderr).toBe('');
  });

  it('lists every policy subcommand', async () => {
    const run = await symtail(['policy', '--help'], ws.dir);
    for (const sub of ['grant', 'revoke', 'grants', 'sweep']) expect(run.stdout).toMatch(new RegExp(`^  ${sub} `, 'm'));
  });
});
