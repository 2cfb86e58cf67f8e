import { readFileSync } from 'node:fs';
import { GENERATED_PARTS, partIn, README, renderedPart, withGeneratedParts } from '../../scripts/readme-tables';

const readme = readFileSync(README, 'utf8');

test.each(GENERATED_PARTS.map((part) => [part.name, part] as const))("README.md's %s is what the code renders today (npm run readme-tables)", (name, part) => {
  expect(partIn(readme, name)).toBe(renderedPart(part));
});

test('a README whose generated part drifted from the code is told apart, and rendering it again restores it', () => {
  for (const part of GENERATED_PARTS) {
    const drifted = readme.replace(partIn(readme, part.name), '\n| `a-code-nobody-raises` | 418 | rejection | drifted |\n');
    expect(partIn(drifted, part.name)).not.toBe(renderedPart(part));
    expect(withGeneratedParts(drifted)).toBe(withGeneratedParts(readme));
  }
});

test('a README without the markers of a part is refused, naming the part', () => {
  expect(() => partIn(readme.replace('<!-- end of error-codes -->', ''), 'error-codes')).toThrow(
    'README.md: expected the markers of error-codes once each, in order',
  );
});
