import fc from 'fast-check';
import { helpWidth } from '../../lib/cli/io';
import { columns, fill, reflow } from '../../lib/cli/wrap';
import { symtail, workspace } from './harness';

describe('filling words to a width', () => {
  test.each<[string, string[], number, string, string | undefined, string[]]>([
    ['words that fit stay on one line', ['a', 'bb', 'cc'], 10, '', undefined, ['a bb cc']],
    ['a word that would pass the width starts the next line', ['aaa', 'bbb', 'ccc'], 8, '', undefined, ['aaa bbb', 'ccc']],
    ['a line may reach the width exactly', ['aaa', 'bbbb'], 8, '', undefined, ['aaa bbbb']],
    [
      'a word longer than the width gets a line of its own, unsplit',
      ['a', 'https://example.com/long', 'b'],
      10,
      '',
      undefined,
      ['a', 'https://example.com/long', 'b'],
    ],
    ['the first line after its prefix, the others after theirs', ['one', 'two', 'three'], 12, 'Use: ', '     ', ['Use: one two', '     three']],
    ['a part with spaces in it is kept whole', ['--a A', '(--b | --c)'], 12, '', undefined, ['--a A', '(--b | --c)']],
    ['nothing to fill is the prefix alone', [], 10, 'Use: ', undefined, ['Use: ']],
  ])('%s', (_name, parts, width, first, rest, lines) => {
    expect(fill(parts, width, first, rest)).toEqual(lines);
  });
});

describe('reflowing prose', () => {
  test.each([
    ['lines of a paragraph are filled again', 'Exit 0 when\ndone, 1 when not.', 20, 'Exit 0 when done, 1\nwhen not.'],
    ['blank lines between paragraphs stay', 'one two\n\nthree four', 7, 'one two\n\nthree\nfour'],
    [
      'a line that starts with a space is kept as written, even past the width',
      'the scopes\n  a:read, b:read, c:read\nend',
      10,
      'the scopes\n  a:read, b:read, c:read\nend',
    ],
    ['runs of spaces inside a paragraph become one', 'a   b\tc', 80, 'a b c'],
  ])('%s', (_name, text, width, expected) => {
    expect(reflow(text, width)).toBe(expected);
  });

  test('keeps every word, in order, and passes the width only with a word longer than it', () => {
    const word = fc.stringMatching(/^[a-z.,()-]{1,30}$/);
    const paragraph = fc.array(word, { minLength: 1, maxLength: 40 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 4 }), fc.integer({ min: 10, max: 120 }), (paragraphs, width) => {
        const text = paragraphs.join('\n\n');
        const out = reflow(text, width);
        expect(out.split(/\s+/)).toEqual(text.split(/\s+/));
        expect(out.split('\n\n')).toHaveLength(paragraphs.length);
        for (const line of out.split('\n')) expect(line.length <= width || !line.includes(' ')).toBe(true);
      }),
    );
  });
});

describe('two columns', () => {
  const rows: [string, string][] = [
    ['--file F', 'the policy file (HuJSON)'],
    ['--in-place', 'replace the file instead of printing the new policy'],
  ];

  test('the second column starts at one place and goes on under itself', () => {
    expect(columns(rows, 50)).toBe(
      ['  --file F    the policy file (HuJSON)', '  --in-place  replace the file instead of printing', '              the new policy'].join('\n'),
    );
  });

  test('too narrow for both side by side, the second goes under the first, indented', () => {
    expect(columns(rows, 30)).toBe(
      ['  --file F', '      the policy file (HuJSON)', '  --in-place', '      replace the file instead', '      of printing the new', '      policy'].join(
        '\n',
      ),
    );
  });

  test('without a width, each row is one line', () => {
    expect(columns(rows, Infinity, '')).toBe(
      ['--file F    the policy file (HuJSON)', '--in-place  replace the file instead of printing the new policy'].join('\n'),
    );
  });
});

describe('the width help is fitted to', () => {
  const io = (env: Record<string, string>, columns?: number) => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    env,
    cwd: '/',
    ...(columns === undefined ? {} : { columns }),
  });
  test.each<[string, Record<string, string>, number | undefined, number]>([
    ['not a terminal, nothing set: 80', {}, undefined, 80],
    ["a terminal: the terminal's", {}, 132, 132],
    ['COLUMNS, over the terminal', { COLUMNS: '100' }, 132, 100],
    ['COLUMNS when stdout is a pipe', { COLUMNS: '60' }, undefined, 60],
    ['COLUMNS that is not a number is left aside', { COLUMNS: 'wide' }, 132, 132],
    ['COLUMNS that is negative is left aside', { COLUMNS: '-5' }, undefined, 80],
    ['a terminal narrower than 40 columns: 40', {}, 20, 40],
    ['COLUMNS of 0: 40', { COLUMNS: '0' }, undefined, 40],
  ])('%s', (_name, env, columns, width) => {
    expect(helpWidth(io(env, columns))).toBe(width);
  });
});

describe('rendered help, pinned', () => {
  let ws: ReturnType<typeof workspace>;
  beforeEach(() => {
    ws = workspace({});
  });
  afterEach(() => ws.cleanup());

  test('symtail policy format --help at 80 columns (stdout not a terminal)', async () => {
    expect((await symtail(['policy', 'format', '--help'], ws.dir)).stdout).toBe(
      `Usage: symtail policy format --file F [--check | --in-place]

Formats the policy file as the Tailscale API and admin console do on save (the
reference HuJSON Format: tabs, one item a line for multi-line values, aligned
object values, comments kept).

  --file F    the policy file (HuJSON)
  --check     print nothing; exit 1 when the file is not in canonical form
  --in-place  replace the file instead of printing the canonical form

Without --check or --in-place the canonical form goes to stdout. --in-place
replaces the file atomically, and only if it changed. Exit 0 when done (or, with
--check, when already canonical), 1 when --check finds it is not, 2 on bad
input.
`,
    );
  });

  test('symtail report --help at 40 columns: the choice sets kept whole, under the command when they do not fit beside it', async () => {
    const help = (await symtail(['report', '--help'], ws.dir, { COLUMNS: '40' })).stdout;
    expect(help.split('\n\n')[0]).toBe(
      `Usage: symtail report
    (--tailnet T | --file F)
    [--group G]... [--manifest M]
    [--now ISO] [--fail-on S]
    [--api-url U] [--timeout D]
    [--json | --csv]`,
    );
  });

  test('symtail policy grant --help at 60 columns: the usage under the first flag, the help column wrapped under itself', async () => {
    const help = (await symtail(['policy', 'grant', '--help'], ws.dir, { COLUMNS: '60' })).stdout;
    expect(help.split('\n\n').slice(0, 2).join('\n\n')).toBe(
      `Usage: symtail policy grant --file F --group G --member M
                            (--for D | --until ISO)
                            [--request-id R]
                            [--create-group] [--in-place]

  --file F        the policy file (HuJSON)
  --group G       the group, "prod" or "group:prod"
  --member M      the login to add: name@example.com,
                  name@github or name@passkey
  --for D         how long: 30s, 10m, 1h, 1d
  --until ISO     until when, e.g. 2026-11-23T18:00:00Z
  --request-id R  recorded in the grant's annotation
  --create-group  create the group, and a "groups" section,
                  if the file lacks them
  --in-place      replace the file instead of printing the
                  new policy`,
    );
  });

  test('symtail requests --help: a command that runs lists the commands under it after its flags', async () => {
    const help = (await symtail(['requests', '--help'], ws.dir)).stdout;
    expect(help.split('\n\n')[0]).toBe('Usage: symtail requests --url U [--region R] [--state S | --id R] [--json]');
    expect(help).toContain(
      `  --json      print the answer as JSON

Commands:
  export  write every request (newest first), reading the API a page at a time

Run 'symtail requests <command> --help' for a command's flags.
`,
    );
  });
});
