import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OUTPUTS, staleBuildMessage, staleOutputs } from '../support/stale-build';

/** A checkout in a temp dir with one source per folder and every output, each file dated `at` (seconds). */
function checkout(times: Record<string, number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-stale-'));
  for (const [file, at] of Object.entries(times)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), at, at);
  }
  return root;
}

const built = (at: number) => Object.fromEntries(OUTPUTS.map(({ output }) => [output, at]));

describe('the stale-build guard', () => {
  it('passes a build newer than every source', () => {
    const root = checkout({ 'lib/a/b.ts': 1000, 'scripts/c.ts': 1000, ...built(2000) });
    expect(staleOutputs(root)).toEqual([]);
  });

  it('names every output older than a source under lib, and the command that rebuilds them', () => {
    const root = checkout({ 'lib/a/deep/b.ts': 3000, 'scripts/c.ts': 1000, ...built(2000) });
    const stale = staleOutputs(root);
    expect(stale).toEqual([
      'dist/runtime-bundle/index.js is older than lib/**/*.ts',
      'dist/slack-bundle/index.js is older than lib/**/*.ts',
      'dist/lib.tsbuildinfo is older than lib/**/*.ts',
      'dist/scripts.tsbuildinfo is older than lib/**/*.ts',
    ]);
    expect(staleBuildMessage(stale)).toContain('npm run build:dev');
  });

  it('holds only the compiled scripts stale when only a script changed', () => {
    const root = checkout({ 'lib/a.ts': 1000, 'scripts/c.ts': 3000, ...built(2000) });
    expect(staleOutputs(root)).toEqual(['dist/scripts.tsbuildinfo is older than scripts/**/*.ts']);
  });

  it('counts a missing bundle as stale and ignores files that are not TypeScript', () => {
    const { 'dist/slack-bundle/index.js': _absent, ...rest } = built(2000);
    const root = checkout({ 'lib/a.ts': 1000, 'lib/notes.md': 9000, 'scripts/c.ts': 1000, ...rest });
    expect(staleOutputs(root)).toEqual(['dist/slack-bundle/index.js is missing']);
  });
});
