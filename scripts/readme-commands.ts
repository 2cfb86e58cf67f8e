// Writes the README's command block from the command definitions: `npm run readme:commands` after a flag or a command
// changes. A test compares the README with what this writes, so the block cannot drift from the flag tables.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { synopses } from '../lib/cli/main';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/** The markers around the block; what lies between them is replaced whole. */
export const BLOCK_START = '<!-- commands: written by `npm run readme:commands` from the flag tables -->';
export const BLOCK_END = '<!-- end of commands -->';

/** `readme` with the block between the markers rewritten: a fenced block of every command's synopsis. */
export function withCommandBlock(readme: string, block: string = synopses()): string {
  const start = readme.indexOf(BLOCK_START);
  const end = readme.indexOf(BLOCK_END);
  if (start < 0 || end < start) throw new Error(`README.md: expected the command block between the lines\n${BLOCK_START}\n${BLOCK_END}`);
  if (readme.indexOf(BLOCK_START, start + 1) >= 0 || readme.indexOf(BLOCK_END, end + 1) >= 0)
    throw new Error('README.md: expected one command block, found more');
  return `${readme.slice(0, start + BLOCK_START.length)}\n\`\`\`\n${block}\`\`\`\n${readme.slice(end)}`;
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(ROOT, 'README.md'));
  const readme = readFileSync(file, 'utf8');
  const written = withCommandBlock(readme);
  if (written === readme) {
    process.stdout.write(`${path.relative(process.cwd(), file) || file}: the command block is up to date\n`);
  } else {
    writeFileSync(file, written);
    process.stdout.write(`wrote the command block of ${path.relative(process.cwd(), file) || file}\n`);
  }
}
