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

/** Help is checked at a narrow width, the default (80) and a wide terminal's. */
const WIDTHS = [40, 80, 132];

/** The flag rows of a help text: each flag's name, the column its help starts at, and its help joined again. */
function flagRows(help: string): { name: string; column: number; help: string }[] {
  const section = help.split('\n\n').find((s) => s.startsWith('  --')) ?? '';
  const rows: { name: string; column: number; help: string }[] = [];
  for (const line of section.split('\n')) {
    const row = /^ {2}--([\w-]+)(?: [A-Z]+)?(?: {2,}(\S.*))?$/.exec(line);
    if (row !== null) rows.push({ name: row[1], column: row[2] === undefined ? -1 : line.indexOf(row[2]), help: row[2] ?? '' });
    else rows[rows.length - 1].help = `${rows[rows.length - 1].help} ${line.trim()}`.trim();
  }
  return rows;
}

describe.each(leaves().map(([argv, c]) => [argv.join(' '), argv, c] as const))('symtail %s --help', (_name, argv, command) => {
  it.each(WIDTHS)('lists every flag of the table once, in order, its help whole in one aligned column, at width %d', async (width) => {
    const run = await symtail([...argv, '--help'], ws.dir, { COLUMNS: String(width) });
    expect(run.code).toBe(0);
    const rows = flagRows(run.stdout);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(command.flags));
    expect(rows.map((r) => r.help)).toEqual(Object.values(command.flags).map((f) => f.help));
    expect(new Set(rows.map((r) => r.column)).size).toBe(1);
  });

  it.each(WIDTHS)('fits every line to width %d, but for a word longer than the line or a line the notes keep as written', async (width) => {
    const run = await symtail([...argv, '--help'], ws.dir, { COLUMNS: String(width) });
    const kept = `${command.description ?? ''}\n${command.notes ?? ''}`.split('\n').filter((l) => /^\s/.test(l));
    const over = run.stdout.split('\n').filter((l) => l.length > width && !kept.includes(l) && l.trim().split(' ').length > 1);
    expect(over).toEqual([]);
  });

  it('shows the synopsis as its usage, and the same help as `symtail help`', async () => {
    const run = await symtail([...argv, '--help'], ws.dir);
    const usage = run.stdout
      .split('\n\n')[0]
      .replace(/\n +/g, ' ')
      .replace(/^Usage: /, '');
    const synopsis = synopses()
      .split('\n')
      .find((l) => l.startsWith(`symtail ${argv.join(' ')} `));
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
