import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS, leaves } from '../../lib/cli/commands';
import { synopses } from '../../lib/cli/main';
import { symtail, workspace } from './harness';

const ROOT = path.join(__dirname, '..', '..');

let ws: ReturnType<typeof workspace>;
beforeEach(() => {
  ws = workspace({});
});
afterEach(() => ws.cleanup());

describe.each(leaves().map(([argv, c]) => [argv.join(' '), argv, c] as const))('symtail %s --help', (_name, argv, command) => {
  it('lists every flag of the table once, with its help, in one aligned column', async () => {
    const run = await symtail([...argv, '--help'], ws.dir);
    expect(run.code).toBe(0);
    const flagLines = run.stdout.split('\n').filter((l) => /^ {2}--/.test(l));
    expect(flagLines.map((l) => /^ {2}--([\w-]+)/.exec(l)![1])).toEqual(Object.keys(command.flags));
    const helpColumns = new Set(flagLines.map((l, i) => l.indexOf(Object.values(command.flags)[i].help)));
    expect(helpColumns.size).toBe(1);
  });

  it('shows the same usage line as the synopsis and as `symtail help`', async () => {
    const run = await symtail([...argv, '--help'], ws.dir);
    const usage = run.stdout.split('\n')[0].replace(/^Usage: /, '');
    const synopsis = synopses().split('\n').find((l) => l.startsWith(`symtail ${argv.join(' ')} `));
    expect(synopsis?.replace(/ {2,}/, ' ')).toBe(usage);
    expect((await symtail(['help', ...argv], ws.dir)).stdout).toBe(run.stdout);
  });
});

test('symtail --version prints the package version', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const run = await symtail(['--version'], ws.dir);
  expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('symtail help without a command lists the commands, as --help does', async () => {
  const run = await symtail(['help'], ws.dir);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe((await symtail(['--help'], ws.dir)).stdout);
  for (const c of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
  expect(run.stdout).toMatch(/^ {2}--version +print the version/m);
});

test.each([
  [['help', 'nope'], 'symtail: unknown command "nope"'],
  [['help', 'policy', 'nope'], 'symtail policy: unknown subcommand "nope"'],
])('symtail %j exits 2 naming what is unknown', async (argv, message) => {
  const run = await symtail(argv, ws.dir);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')[0]).toBe(message);
});
