import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPolicy } from '../../lib/testing/policy-check';

const CORPUS = path.resolve(__dirname, '../../../shared/policy-corpus');
const INVALID = [
  'alexraskin__infrastructure__tailscale_policy.hujson',
  'anoopkansupada__tailscale-policy__policy.hujson',
  'kingozone__unraid__policy.hujson',
];
const files = readdirSync(CORPUS).filter((f) => !f.endsWith('.md') && !f.endsWith('.tsv'));
const read = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');

it('finds the whole corpus', () => {
  expect(files).toHaveLength(127);
});

// Real files Tailscale accepted: the emulator must not refuse any of them, or it would fail flows that work live.
it.each(files.filter((f) => !INVALID.includes(f)))('accepts %s', (file) => {
  expect(checkPolicy(read(file))).toMatchObject({ ok: true });
});

it.each(INVALID)('refuses %s with a line and column', (file) => {
  const verdict = checkPolicy(read(file));
  expect(verdict.ok).toBe(false);
  expect(verdict.ok ? '' : verdict.message).toMatch(/^hujson: line \d+, column \d+: /);
});
