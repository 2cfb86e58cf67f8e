import { grant, revoke } from '../../lib/policy';

const UNTIL = new Date('2026-11-23T18:00:00Z');
const LINE = '// symtail: until=2026-11-23T18:00:00Z req=r-1';
const BLOCK = '/* symtail: until=2026-11-23T18:00:00Z req=r-1 */';
const ALICE = '"alice@example.com"';

/** A policy whose groups object holds `group:prod` with `array` (written from the `[`), tab-indented. */
function policy(array: string, eol = '\n'): string {
  return ['{', '\t"groups": {', `\t\t"group:prod": ${array},`, '\t},', '}', ''].join(eol);
}

describe("grant writes the new member in the array's own style, and revoke gives the original bytes back", () => {
  it.each([
    ['one-line array', policy('["bob@example.com"]'), policy(`["bob@example.com", ${ALICE} ${BLOCK}]`)],
    ['one-line array without spaces', policy('["b@example.com","c@example.com"]'), policy(`["b@example.com","c@example.com",${ALICE} ${BLOCK}]`)],
    ['one-line array with a trailing comma', policy('["bob@example.com", ]'), policy(`["bob@example.com", ${ALICE} ${BLOCK}, ]`)],
    ['empty one-line array', policy('[]'), policy(`[${ALICE} ${BLOCK}]`)],
    ["empty one-line array holding a comment, which stays the array's", policy('[/* none yet */]'), policy(`[/* none yet */ ${ALICE} ${BLOCK}]`)],
    [
      'one-line array with a comment after the last member',
      policy('["bob@example.com" /* oncall */]'),
      policy(`["bob@example.com" /* oncall */, ${ALICE} ${BLOCK}]`),
    ],
    [
      'multi-line array with a trailing comma',
      policy('[\n\t\t\t"bob@example.com",\n\t\t]'),
      policy(`[\n\t\t\t"bob@example.com",\n\t\t\t${ALICE}, ${LINE}\n\t\t]`),
    ],
    [
      'multi-line array without a trailing comma',
      policy('[\n\t\t\t"bob@example.com"\n\t\t]'),
      policy(`[\n\t\t\t"bob@example.com",\n\t\t\t${ALICE} ${LINE}\n\t\t]`),
    ],
    [
      'multi-line array whose last member has a line comment',
      policy('[\n\t\t\t"bob@example.com" // lead\n\t\t]'),
      policy(`[\n\t\t\t"bob@example.com", // lead\n\t\t\t${ALICE} ${LINE}\n\t\t]`),
    ],
    [
      'multi-line array with comments before, between and after members',
      policy('[\n\t\t\t// Engineering\n\t\t\t"bob@example.com", // lead\n\t\t\t/* on call */ "carol@example.com",\n\t\t\t// "dave@example.com",\n\t\t]'),
      policy(
        `[\n\t\t\t// Engineering\n\t\t\t"bob@example.com", // lead\n\t\t\t/* on call */ "carol@example.com",\n\t\t\t${ALICE}, ${LINE}\n\t\t\t// "dave@example.com",\n\t\t]`,
      ),
    ],
    ['multi-line array indented with spaces', policy('[\n    "bob@example.com",\n  ]'), policy(`[\n    "bob@example.com",\n    ${ALICE}, ${LINE}\n  ]`)],
    [
      "multi-line array whose bracket closes on the last member's line",
      policy('[\n\t\t\t"bob@example.com",\n\t\t\t"carol@example.com"]'),
      policy(`[\n\t\t\t"bob@example.com",\n\t\t\t"carol@example.com",\n\t\t\t${ALICE} ${BLOCK}]`),
    ],
    [
      "empty multi-line array: the bracket's indentation plus one level, with the file's trailing-comma habit",
      policy('[\n\t\t]'),
      policy(`[\n\t\t\t${ALICE}, ${LINE}\n\t\t]`),
    ],
    [
      'multi-line array holding only commented-out members',
      policy('[\n\t\t\t// "you@example.com",\n\t\t]'),
      policy(`[\n\t\t\t// "you@example.com",\n\t\t\t${ALICE}, ${LINE}\n\t\t]`),
    ],
    [
      'CRLF line endings',
      policy('[\r\n\t\t\t"bob@example.com",\r\n\t\t]', '\r\n'),
      policy(`[\r\n\t\t\t"bob@example.com",\r\n\t\t\t${ALICE}, ${LINE}\r\n\t\t]`, '\r\n'),
    ],
  ])('%s', (_name, before, after) => {
    const result = grant(before, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1' });
    expect(result.text).toBe(after);
    expect(result.changed).toBe(true);
    expect(result.changes).toEqual([{ kind: 'added', group: 'prod', member: 'alice@example.com', until: '2026-11-23T18:00:00Z', requestId: 'r-1' }]);
    expect(revoke(result.text, { group: 'prod', member: 'alice@example.com' }).text).toBe(before);
  });

  it("indents an empty multi-line array by the file's unit (two spaces here) and keeps its no-trailing-comma habit", () => {
    const before = '{\n  "groups": {\n    "group:ops": ["x@example.com"],\n    "group:prod": [\n    ]\n  }\n}\n';
    const after = `{\n  "groups": {\n    "group:ops": ["x@example.com"],\n    "group:prod": [\n      ${ALICE} ${LINE}\n    ]\n  }\n}\n`;
    expect(grant(before, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1' }).text).toBe(after);
  });

  it('writes the annotation without req= when there is no request id, at whole seconds', () => {
    const result = grant(policy('[]'), { group: 'prod', member: 'alice@example.com', until: new Date('2026-11-23T18:00:00.999Z') });
    expect(result.text).toBe(policy(`[${ALICE} /* symtail: until=2026-11-23T18:00:00Z */]`));
  });

  it('JSON-encodes the member it writes', () => {
    const result = grant(policy('[]'), { group: 'prod', member: 'o.brien+ops%1@example.com', until: UNTIL });
    expect(result.text).toContain(`[${JSON.stringify('o.brien+ops%1@example.com')} /*`);
  });
});

describe("createGroup adds the group in the groups object's own style", () => {
  it.each([
    [
      'multi-line groups object with a trailing comma',
      '{\n\t"groups": {\n\t\t"group:ops": ["x@example.com"],\n\t},\n}\n',
      `{\n\t"groups": {\n\t\t"group:ops": ["x@example.com"],\n\t\t"group:prod": [${ALICE} ${BLOCK}],\n\t},\n}\n`,
    ],
    [
      'one-line groups object',
      '{"groups": {"group:ops": ["x@example.com"]}}',
      `{"groups": {"group:ops": ["x@example.com"], "group:prod": [${ALICE} ${BLOCK}]}}`,
    ],
    ['empty groups object', '{"groups": {}}', `{"groups": {"group:prod": [${ALICE} ${BLOCK}]}}`],
    [
      'groups object holding only comments',
      '{\n\t"groups": {\n\t\t// "group:example": ["alice@example.com"],\n\t},\n\t"acls": [],\n}\n',
      `{\n\t"groups": {\n\t\t// "group:example": ["alice@example.com"],\n\t\t"group:prod": [${ALICE} ${BLOCK}],\n\t},\n\t"acls": [],\n}\n`,
    ],
  ])('%s', (_name, before, after) => {
    const result = grant(before, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1', createGroup: true });
    expect(result.text).toBe(after);
    expect(result.changes.map((c) => c.kind)).toEqual(['group-created', 'added']);
  });
});

describe('createGroup gives a file without a "groups" section one, in the file\'s own style', () => {
  const GROUP = `"group:prod": [${ALICE} ${BLOCK}]`;
  it.each([
    ['an empty one-line file', '{}', `{"groups": {${GROUP}}}`],
    ['an empty multi-line file', '{\n}\n', `{\n\t"groups": {\n\t\t${GROUP}\n\t}\n}\n`],
    ['a one-line file', '{"acls": []}', `{"groups": {${GROUP}}, "acls": []}`],
    ["a file whose first section shares the brace's line", '{"acls": [\n]}', `{"groups": {${GROUP}}, "acls": [\n]}`],
    ['CRLF, tabs and trailing commas', '{\r\n\t"acls": [],\r\n}\r\n', `{\r\n\t"groups": {\r\n\t\t${GROUP},\r\n\t},\r\n\t"acls": [],\r\n}\r\n`],
    ['two spaces and no trailing commas, as JSON', '{\n  "acls": []\n}\n', `{\n  "groups": {\n    ${GROUP}\n  },\n  "acls": []\n}\n`],
    [
      'a comment directly above the first section: the section goes above both',
      '{\n\t// Everyone may reach everything.\n\t"acls": [],\n}\n',
      `{\n\t"groups": {\n\t\t${GROUP},\n\t},\n\t// Everyone may reach everything.\n\t"acls": [],\n}\n`,
    ],
    [
      "a comment on the brace's line and a paragraph apart: after them, before the first section's own comment",
      '{ // our tailnet\n\t// Maintained by hand.\n\n\t// Who reaches what.\n\t"acls": [],\n}\n',
      `{ // our tailnet\n\t// Maintained by hand.\n\n\t"groups": {\n\t\t${GROUP},\n\t},\n\t// Who reaches what.\n\t"acls": [],\n}\n`,
    ],
    [
      'a commented-out "groups" block after the first section: right after it',
      '{\n\t"acls": [],\n\t// "groups": {\n\t//   "group:example": ["a@example.com"],\n\t// },\n\n\t"ssh": [],\n}\n',
      `{\n\t"acls": [],\n\t// "groups": {\n\t//   "group:example": ["a@example.com"],\n\t// },\n\t"groups": {\n\t\t${GROUP},\n\t},\n\n\t"ssh": [],\n}\n`,
    ],
  ])('%s', (_name, before, after) => {
    const result = grant(before, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1', createGroup: true });
    expect(result.text).toBe(after);
    expect(result.changes.map((c) => c.kind)).toEqual(['group-created', 'added']);
  });
});
