import { format } from '../../lib/hujson';
import { symtail, workspace } from './harness';

const HAND = '{\r\n  "groups": {"group:prod": ["bob@example.com", /* lead */ "alice@example.com",]}, // people\r\n}';

let ws: ReturnType<typeof workspace>;
afterEach(() => ws.cleanup());

describe('symtail policy format', () => {
  it('prints the canonical form on stdout and leaves the file alone', async () => {
    ws = workspace({ 'policy.hujson': HAND });
    const run = await symtail(['policy', 'format', '--file', 'policy.hujson'], ws.dir);
    expect(run).toEqual({ code: 0, stdout: format(HAND), stderr: '' });
    expect(run.stdout).toBe('{\n\t"groups": {"group:prod": ["bob@example.com", /* lead */ "alice@example.com"]}, // people\n}\n');
    expect(ws.read('policy.hujson')).toBe(HAND);
  });

  it('with --check exits 1 when the file is not canonical and 0 when it is, printing nothing on stdout', async () => {
    ws = workspace({ 'hand.hujson': HAND, 'canonical.hujson': format(HAND) });
    expect(await symtail(['policy', 'format', '--file', 'hand.hujson', '--check'], ws.dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hand.hujson is not in canonical form; symtail policy format --in-place rewrites it\n',
    });
    expect(await symtail(['policy', 'format', '--file', 'canonical.hujson', '--check'], ws.dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: 'canonical.hujson is in canonical form\n',
    });
  });

  it('with --in-place rewrites the file, and leaves a canonical one untouched', async () => {
    ws = workspace({ 'policy.hujson': HAND });
    expect(await symtail(['policy', 'format', '--file', 'policy.hujson', '--in-place'], ws.dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: 'wrote policy.hujson\n',
    });
    expect(ws.read('policy.hujson')).toBe(format(HAND));
    const mtime = ws.mtime('policy.hujson');
    expect(await symtail(['policy', 'format', '--file', 'policy.hujson', '--in-place'], ws.dir)).toEqual({
      code: 0,
      stdout: '',
      stderr: 'policy.hujson already in canonical form; not written\n',
    });
    expect(ws.mtime('policy.hujson')).toBe(mtime);
  });

  it('refuses --check with --in-place as a usage error', async () => {
    ws = workspace({ 'policy.hujson': HAND });
    const run = await symtail(['policy', 'format', '--file', 'policy.hujson', '--check', '--in-place'], ws.dir);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('expected at most one of --check and --in-place, got both');
  });

  it('refuses a file that is not HuJSON with its position and writes nothing', async () => {
    ws = workspace({ 'policy.hujson': '{"groups": {unquoted: []}}' });
    const run = await symtail(['policy', 'format', '--file', 'policy.hujson', '--in-place'], ws.dir);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/--file policy.hujson: hujson: line 1, column 13: /);
    expect(ws.read('policy.hujson')).toBe('{"groups": {unquoted: []}}');
  });
});
