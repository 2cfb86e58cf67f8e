import { renderFlagSynopsis } from '../../lib/cli/command';
import { leaves } from '../../lib/cli/commands';
import { UsageError } from '../../lib/cli/errors';
import { atMostOneOf, checkFlagTable, exactlyOneOf, flag, FlagTable, parseFlags } from '../../lib/cli/flags';
import { symtail } from './harness';

/** One table that has every kind of flag and both kinds of choice set. */
const TABLE = {
  file: flag.string({ value: 'F', help: 'the policy file', required: true }),
  state: flag.string({ value: 'S', help: 'a state', options: ['pending', 'approved', 'denied'] }),
  id: flag.string({ value: 'R', help: 'a request id', accepts: { pattern: '^r-[0-9a-f]{4}$', expected: 'a request id such as "r-4f9c"' } }),
  group: flag.list({ value: 'G', help: 'a group (repeatable)', accepts: { pattern: '^[a-z]+$', expected: 'a group name in lower case' } }),
  ...exactlyOneOf({
    for: flag.string({ value: 'D', help: 'how long' }),
    until: flag.string({ value: 'ISO', help: 'until when' }),
  }),
  ...atMostOneOf({
    json: flag.boolean({ help: 'print JSON' }),
    csv: flag.boolean({ help: 'print CSV' }),
    yaml: flag.boolean({ help: 'print YAML' }),
  }),
  'dry-run': flag.boolean({ help: 'write nothing' }),
};
const BASE = ['--file', 'p.hujson', '--for', '1h'];

function refusal(args: string[]): string {
  try {
    parseFlags(args, TABLE);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(args)}`);
}

describe('the parser refuses each kind of bad command line with an error naming the flag and what was expected', () => {
  test.each([
    ['an unknown flag', [...BASE, '--force'], 'unknown flag --force'],
    ['a bare argument', [...BASE, 'p.hujson'], 'unexpected argument "p.hujson": expected a flag (--name value)'],
    ['a single dash', ['-f', ...BASE], 'unexpected argument "-f": expected a flag (--name value)'],
    ['a string flag at the end without its value', [...BASE, '--state'], '--state: expected a value S (a state)'],
    ['a string flag followed by another flag', ['--file', '--for', '1h'], '--file: expected a value F (the policy file)'],
    ['a list flag without its value', [...BASE, '--group'], '--group: expected a value G (a group (repeatable))'],
    ['a value given to a boolean', [...BASE, '--dry-run=yes'], '--dry-run: takes no value'],
    ['a single-valued flag given twice', [...BASE, '--file', 'q.hujson'], '--file: given more than once'],
    ['a boolean given twice', [...BASE, '--dry-run', '--dry-run'], '--dry-run: given more than once'],
    ['a value outside the options', [...BASE, '--state', 'open'], '--state: expected pending, approved or denied, got "open"'],
    ['an option in another case', [...BASE, '--state=Pending'], '--state: expected pending, approved or denied, got "Pending"'],
    [
      'a repeated value its rule refuses, after one it accepts',
      [...BASE, '--group', 'a', '--group', 'B'],
      '--group: expected a group name in lower case, got "B"',
    ],
    ['a value its rule refuses', [...BASE, '--id', 'r-4F9C'], '--id: expected a request id such as "r-4f9c", got "r-4F9C"'],
    ['a value with a control character, quoted inert', [...BASE, '--id', 'r-\u001b[2J'], '--id: expected a request id such as "r-4f9c", got "r-\\u001b[2J"'],
    [
      'a long value, quoted in part',
      [...BASE, '--state', 'x'.repeat(100)],
      `--state: expected pending, approved or denied, got "${'x'.repeat(64)}"... (100 characters)`,
    ],
    ['a missing required flag', ['--for', '1h'], '--file: required'],
    ['neither of an exactly-one pair', ['--file', 'p.hujson'], 'expected exactly one of --for and --until, got neither'],
    ['both of an exactly-one pair', [...BASE, '--until', '2030-01-01T00:00:00Z'], 'expected exactly one of --for and --until, got both'],
    ['two of an at-most-one set of three', [...BASE, '--json', '--yaml'], 'expected at most one of --json, --csv and --yaml, got --json and --yaml'],
    [
      'all three of an at-most-one set',
      [...BASE, '--csv', '--json', '--yaml'],
      'expected at most one of --json, --csv and --yaml, got --json, --csv and --yaml',
    ],
  ])('%s', (_name, args, message) => {
    expect(refusal(args)).toBe(message);
  });

  test('a required flag is reported before a choice set, whatever the order of the arguments', () => {
    expect(refusal(['--json', '--csv'])).toBe('--file: required');
  });
});

describe('the parser accepts', () => {
  test.each([
    [
      'the least the table needs',
      BASE,
      { file: 'p.hujson', for: '1h', until: undefined, state: undefined, group: [], json: false, csv: false, yaml: false, 'dry-run': false },
    ],
    [
      '--name=value, and a value that is empty',
      ['--file=p.hujson', '--until=', '--state=denied'],
      { file: 'p.hujson', until: '', state: 'denied', for: undefined },
    ],
    ['a value that is a single dash', ['--file', '-', '--for', '1h'], { file: '-' }],
    ['a value its rule accepts', [...BASE, '--id', 'r-4f9c'], { id: 'r-4f9c' }],
    ['a list flag given again, in order', [...BASE, '--group', 'b', '--group=a'], { group: ['b', 'a'] }],
    ['one of an at-most-one set', [...BASE, '--csv'], { json: false, csv: true, yaml: false }],
    ['the other of an exactly-one pair', ['--until', '2030-01-01T00:00:00Z', '--file', 'p.hujson'], { for: undefined, until: '2030-01-01T00:00:00Z' }],
  ])('%s', (_name, args, expected) => {
    expect(parseFlags(args, TABLE)).toMatchObject(expected);
  });
});

describe('a flag table that cannot work as written is refused when the command is defined', () => {
  const { json, csv } = atMostOneOf({ json: flag.boolean({ help: 'JSON' }), csv: flag.boolean({ help: 'CSV' }) });
  test.each<[string, FlagTable, string]>([
    ['a flag named in capitals', { File: flag.string({ value: 'F', help: 'file' }) }, 'flag --File: expected a lower-case name such as --dry-run'],
    ['a flag named with a dash at its start', { '-x': flag.boolean({ help: 'x' }) }, 'flag ---x: expected a lower-case name such as --dry-run'],
    ['a choice set taken apart', { json }, 'flag --json: its choice set also needs --csv in the table'],
    ['a choice set renamed', { json, 'as-csv': csv }, 'flag --json: its choice set also needs --csv in the table'],
    ['a choice set of one flag', atMostOneOf({ json: flag.boolean({ help: 'JSON' }) }), 'flag --json: a choice set needs two flags or more'],
  ])('%s', (_name, table, message) => {
    expect(() => checkFlagTable(table)).toThrow(message);
  });

  test('a whole choice set, in any place of the table, is accepted', () => {
    expect(() => checkFlagTable({ csv, file: flag.string({ value: 'F', help: 'file' }), json })).not.toThrow();
  });
});

test('usage shows required flags bare, optional ones in brackets, repeatable ones with dots and each choice set once, where its first flag is', () => {
  expect(renderFlagSynopsis(TABLE)).toBe('--file F [--state S] [--id R] [--group G]... (--for D | --until ISO) [--json | --csv | --yaml] [--dry-run]');
});

/** `--name value` for a flag of the table (a value it accepts), or `--name` for a boolean. */
function given(table: FlagTable, name: string): string[] {
  const f = table[name];
  return f.kind === 'boolean' ? [`--${name}`] : [`--${name}`, (f.kind === 'string' && f.options?.[0]) || 'x'];
}

/**
 * Every choice set of every command: its path, its argv with the required flags and one flag of each other
 * exactly-one set given, two flags of the set, and the start of the error.
 */
function choiceSets(): [string, string[], string[], string][] {
  return leaves().flatMap(([argv, command]) => {
    const t = command.flags;
    const sets = [...new Set(Object.values(t).flatMap((f) => (f.kind !== 'list' && f.choice !== undefined ? [f.choice] : [])))];
    const requiredArgs = Object.entries(t).flatMap(([n, f]) => (f.kind === 'string' && f.required ? given(t, n) : []));
    return sets.map((s): [string, string[], string[], string] => {
      const others = sets.filter((o) => o !== s && o.rule === 'exactly one').flatMap((o) => given(t, o.names[0]));
      return [argv.join(' '), [...argv, ...requiredArgs, ...others], s.names.slice(0, 2).flatMap((n) => given(t, n)), `expected ${s.rule} of --${s.names[0]}`];
    });
  });
}

test('the commands declare choice sets of both kinds', () => {
  expect(new Set(choiceSets().map(([, , , message]) => message.split(' of ')[0]))).toEqual(new Set(['expected exactly one', 'expected at most one']));
});

test.each(choiceSets())('symtail %s refuses two flags of one choice set before it runs, naming the set', async (_path, argv, two, message) => {
  const run = await symtail([...argv, ...two], process.cwd());
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const line = run.stderr.split('\n')[0];
  expect(line).toContain(message);
  for (const f of two.filter((a) => a.startsWith('--'))) expect(line).toContain(f);
});
