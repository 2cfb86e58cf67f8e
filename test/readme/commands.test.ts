import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { synopses } from '../../lib/cli/main';
import { BLOCK_END, BLOCK_START, withCommandBlock } from '../../scripts/readme-commands';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const run = promisify(execFile);

/** What lies between the markers, as the reader sees it. */
function block(readme: string): string {
  return readme.slice(readme.indexOf(BLOCK_START) + BLOCK_START.length, readme.indexOf(BLOCK_END));
}

test("README.md's command block is what `npm run readme:commands` writes from the command definitions (run it after changing a flag)", () => {
  expect(block(README)).toBe(`\n\`\`\`\n${synopses()}\`\`\`\n`);
  expect(withCommandBlock(README)).toBe(README);
});

test('the block sits in the Command line section and names every command', () => {
  const section = README.slice(README.indexOf('## Command line'), README.indexOf('\n## ', README.indexOf('## Command line') + 1));
  expect(section).toContain(BLOCK_START);
  for (const line of synopses().trimEnd().split('\n')) expect(section).toContain(line);
});

const STALE = `# x\n\nbefore\n${BLOCK_START}\n\`\`\`\nsymtail gone --old\n\`\`\`\n${BLOCK_END}\nafter\n`;

test('a stale block is replaced whole, and nothing around it changes', () => {
  const written = withCommandBlock(STALE, 'symtail a --b\n');
  expect(written).toBe(`# x\n\nbefore\n${BLOCK_START}\n\`\`\`\nsymtail a --b\n\`\`\`\n${BLOCK_END}\nafter\n`);
  expect(withCommandBlock(written, 'symtail a --b\n')).toBe(written);
});

test.each([
  ['no markers', '# x\n```\nsymtail a\n```\n', 'expected the command block between the lines'],
  ['only the start marker', `# x\n${BLOCK_START}\n`, 'expected the command block between the lines'],
  ['the end before the start', `${BLOCK_END}\n${BLOCK_START}\n`, 'expected the command block between the lines'],
  ['two blocks', `${STALE}${STALE}`, 'expected one command block, found more'],
])('a README with %s is refused, not guessed at', (_name, readme, message) => {
  expect(() => withCommandBlock(readme, 'symtail a\n')).toThrow(message);
});

test('the script, as npm run readme:commands runs it, rewrites a stale copy and leaves a current one alone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-readme-'));
  try {
    const file = path.join(dir, 'README.md');
    fs.writeFileSync(file, STALE);
    const script = path.join(ROOT, 'dist/scripts/readme-commands.js');
    expect((await run(process.execPath, [script, file], { cwd: dir })).stdout).toBe('wrote the command block of README.md\n');
    expect(fs.readFileSync(file, 'utf8')).toBe(withCommandBlock(STALE));
    expect((await run(process.execPath, [script, file], { cwd: dir })).stdout).toBe('README.md: the command block is up to date\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
