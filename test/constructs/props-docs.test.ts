import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { interfacesIn, PropDoc, propDocs } from '../../scripts/props-docs';

// Every prop of an exported props interface says what happens when they leave it out, as aws-cdk-lib's props do: an optional prop has an
// `@default` tag, a required one says "Required.". Read from the sources with the TypeScript parser, so an
// undocumented prop fails here rather than in a user's editor.

const CONSTRUCTS = path.join(__dirname, '../../lib/constructs');

/** The names of the props interfaces the package exports (`…Props`, `…Params`, `…Settings`), from the index. */
function exportedPropsNames(): Set<string> {
  const index = readFileSync(path.join(CONSTRUCTS, 'index.ts'), 'utf8');
  const names = [...index.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
  return new Set(names.filter((n) => /(Props|Params|Settings)$/.test(n)));
}

/** The documented props of the exported props interfaces, named `Interface.prop (file)`. */
function exportedProps(): (readonly [string, PropDoc])[] {
  const exported = exportedPropsNames();
  const files = ['', 'synth'].flatMap((dir) =>
    readdirSync(path.join(CONSTRUCTS, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );
  return files.flatMap((file) =>
    [...interfacesIn(path.join(CONSTRUCTS, file))]
      .filter(([name]) => exported.has(name))
      .flatMap(([name, decl]) => propDocs(decl).map((prop) => [`${name}.${prop.name} (${file})`, prop] as const)),
  );
}

const cases = exportedProps();

test('the constructs export props interfaces to check', () => {
  expect(cases.length).toBeGreaterThan(50);
});

test.each(cases)('%s says what happens without it', (_name, prop) => {
  expect(prop.text).not.toBe('');
  if (prop.optional) {
    expect(prop.defaultValue ?? '(no @default tag)').not.toMatch(/^\(no @default tag\)$|^$/);
    expect(prop.text).not.toMatch(/Default:/);
  } else {
    expect(prop.text).toMatch(/\bRequired\b/);
  }
});
