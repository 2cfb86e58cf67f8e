// Reads the documentation of a props interface from its source with the TypeScript parser: each property, whether it
// is optional, its text and its `@default`. The README's generated props tables and the test that every exported prop
// is documented read props through it.
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';

/** One property of a props interface, as its JSDoc documents it. */
export interface PropDoc {
  readonly name: string;
  readonly optional: boolean;
  /** The comment's text, white space collapsed; empty when undocumented. */
  readonly text: string;
  /** The `@default` tag's text, white space collapsed; absent when there is none. */
  readonly defaultValue?: string;
  /** The property's declaration, for checks that need more than its documentation. */
  readonly declaration: ts.PropertySignature;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const commentText = (comment: string | ts.NodeArray<ts.JSDocComment> | undefined) =>
  typeof comment === 'string' ? comment : (comment ?? []).map((c) => c.text).join('');

/** The interfaces a source file declares, by name. */
export function interfacesIn(file: string): Map<string, ts.InterfaceDeclaration> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  return new Map(source.statements.filter(ts.isInterfaceDeclaration).map((decl) => [decl.name.text, decl]));
}

/** The documented properties of an interface, in their order. */
export function propDocs(decl: ts.InterfaceDeclaration): PropDoc[] {
  return decl.members.filter(ts.isPropertySignature).map((member) => {
    const docs = (member as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    const tag = docs.flatMap((d) => d.tags ?? []).find((t) => t.tagName.text === 'default');
    return {
      name: member.name.getText(),
      optional: member.questionToken !== undefined,
      text: collapse(docs.map((d) => commentText(d.comment)).join(' ')),
      ...(tag && { defaultValue: collapse(commentText(tag.comment)) }),
      declaration: member,
    };
  });
}
