import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

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

/** The declarations of the exported props interfaces, in the construct files. */
function propsInterfaces(): { file: string; decl: ts.InterfaceDeclaration }[] {
  const exported = exportedPropsNames();
  const files = ['', 'synth'].flatMap((dir) => readdirSync(path.join(CONSTRUCTS, dir)).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)));
  return files.flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(path.join(CONSTRUCTS, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    return source.statements.filter((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && exported.has(s.name.text)).map((decl) => ({ file, decl }));
  });
}

function docOf(member: ts.Node): { text: string; defaultTag?: string } {
  const docs = (member as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  const text = docs.map((d) => (typeof d.comment === 'string' ? d.comment : (d.comment ?? []).map((c) => c.text).join(''))).join(' ');
  const tag = docs.flatMap((d) => d.tags ?? []).find((t) => t.tagName.text === 'default');
  return { text, ...(tag && { defaultTag: typeof tag.comment === 'string' ? tag.comment : (tag.comment ?? []).map((c) => c.text).join('') }) };
}

const cases = propsInterfaces().flatMap(({ file, decl }) =>
  decl.members.filter(ts.isPropertySignature).map((member) => [`${decl.name.text}.${member.name.getText()} (${file})`, member] as const),
);

test('the constructs export props interfaces to check', () => {
  expect(cases.length).toBeGreaterThan(50);
});

test.each(cases)('%s says what happens without it', (_name, member) => {
  const doc = docOf(member);
  expect(doc.text.trim()).not.toBe('');
  if (member.questionToken !== undefined) {
    expect(doc.defaultTag?.trim() ?? '(no @default tag)').not.toMatch(/^\(no @default tag\)$|^$/);
    expect(doc.text).not.toMatch(/Default:/);
  } else {
    expect(doc.text).toMatch(/\bRequired\b/);
  }
});
