// needs-shared: policy-corpus
import { checkPolicy } from '../../lib/testing/policy-check';
import { corpusFiles, INVALID_FILES } from '../policy/corpus';

const files = corpusFiles();
const text = (name: string) => files.find((f) => f.name === name)!.text;

it('finds the whole corpus', () => {
  expect(files).toHaveLength(127);
});

// Real files Tailscale accepted: the emulator must not refuse any of them, or it would fail flows that work live.
it.each(files.map((f) => f.name).filter((f) => !INVALID_FILES.has(f)))('accepts %s', (file) => {
  expect(checkPolicy(text(file))).toMatchObject({ ok: true });
});

it.each([...INVALID_FILES])('refuses %s with a line and column', (file) => {
  const verdict = checkPolicy(text(file));
  expect(verdict.ok).toBe(false);
  expect(verdict.ok ? '' : verdict.message).toMatch(/^hujson: line \d+, column \d+: /);
});
