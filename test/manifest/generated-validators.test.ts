import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TARGETS, validatorSource } from '../../scripts/compile-validators';

test.each(TARGETS.map((t) => [t.file, t] as const))('%s is what the schemas compile to today', (file, target) => {
  const committed = readFileSync(path.resolve(__dirname, '../..', file), 'utf8');
  // A schema changed without regenerating: run `npm run compile-validators`.
  expect(committed).toBe(validatorSource(target));
});
