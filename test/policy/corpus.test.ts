// needs-shared: policy-corpus
import { GROUP_NAME_PATTERN, MissingGroupError, grant, revoke } from '../../lib/policy';
import { HujsonArray, HujsonObject, HujsonSyntaxError, findMember, format, hujsonToValue, parseHujson, standardize } from '../../lib/hujson';
import { appendEdits } from '../../lib/policy/append';
import { containerLayout } from '../../lib/policy/layout';
import { removeEdits } from '../../lib/policy/remove';
import { applyEdits } from '../../lib/policy/text-edits';
import { CorpusFile, corpusFiles, INVALID_FILES } from './corpus';

const files = corpusFiles();
const valid = files.filter((f) => !INVALID_FILES.has(f.name));
const MEMBER = 'symtail.probe@example.com';
const UNTIL = new Date('2031-05-06T07:08:09Z');

function groupsOf(f: CorpusFile): HujsonObject | undefined {
  const groups = findMember(parseHujson(f.text) as HujsonObject, 'groups')?.value;
  return groups?.kind === 'object' ? groups : undefined;
}

function groupNames(f: CorpusFile): string[] {
  const groups = groupsOf(f);
  const names = (groups?.members ?? []).map((m) => m.name.value).filter((k) => k.startsWith('group:'));
  return [...new Set(names)].map((k) => k.slice('group:'.length)).filter((n) => new RegExp(GROUP_NAME_PATTERN).test(n));
}

function jsonOf(text: string): Record<string, unknown> {
  return JSON.parse(standardize(text)) as Record<string, unknown>;
}

/** Where `after` extends `before` by one insertion: the earliest place it can be, as a common prefix may run into it. */
function insertionPoint(before: string, after: string): number {
  const inserted = after.length - before.length;
  const fits = (at: number) => after.startsWith(before.slice(0, at)) && after.slice(at + inserted) === before.slice(at);
  let at = 0;
  while (at < before.length && before[at] === after[at]) at++;
  while (!fits(at)) at--;
  while (at > 0 && fits(at - 1)) at--;
  return at;
}

/** Every array in the document, depth first. */
function arraysIn(node: ReturnType<typeof parseHujson>): HujsonArray[] {
  if (node.kind === 'array') return [node, ...node.elements.flatMap(arraysIn)];
  if (node.kind === 'object') return node.members.flatMap((m) => arraysIn(m.value));
  return [];
}

describe('policy corpus', () => {
  it('holds the 127 files and the three invalid ones', () => {
    expect(files).toHaveLength(127);
    expect(files.filter((f) => INVALID_FILES.has(f.name))).toHaveLength(3);
  });

  it.each([...INVALID_FILES])('%s is refused with a position, and never rewritten', (name) => {
    const f = files.find((x) => x.name === name)!;
    let error: unknown;
    try {
      parseHujson(f.text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HujsonSyntaxError);
    expect((error as HujsonSyntaxError).message).toMatch(/^hujson: line [1-9]\d*, column [1-9]\d*: /);
    expect(() => grant(f.text, { group: 'prod', member: MEMBER, until: UNTIL, createGroup: true })).toThrow(HujsonSyntaxError);
  });

  it.each(valid.map((f) => [f.name, f] as const))('%s parses', (_name, f) => {
    expect(() => parseHujson(f.text)).not.toThrow();
  });

  const withGroups = valid.filter((f) => groupNames(f).length > 0);
  const cases = withGroups.flatMap((f) => groupNames(f).map((g) => [`${f.name} group:${g}`, f, g] as const));

  it('has files with groups, files without, and both line endings', () => {
    expect(withGroups.length).toBeGreaterThan(40);
    expect(valid.length - withGroups.length).toBeGreaterThan(40);
    expect(withGroups.some((f) => f.text.includes('\r\n'))).toBe(true);
  });

  it.each(cases)('%s: grant touches only the group array, adds exactly the member, and revoke restores the bytes', (_n, f, group) => {
    const array = findMember(groupsOf(f)!, `group:${group}`)!.value as HujsonArray;
    const granted = grant(f.text, { group, member: MEMBER, until: UNTIL, requestId: 'r-corpus' });
    expect(granted.changes).toEqual([{ kind: 'added', group, member: MEMBER, until: '2031-05-06T07:08:09Z', requestId: 'r-corpus' }]);
    const tail = f.text.length - array.end;
    expect(granted.text.slice(0, array.start)).toBe(f.text.slice(0, array.start));
    expect(granted.text.slice(granted.text.length - tail)).toBe(f.text.slice(array.end));

    const expected = jsonOf(f.text);
    (expected.groups as Record<string, unknown[]>)[`group:${group}`].push(MEMBER);
    expect(jsonOf(granted.text)).toEqual(expected);

    expect(revoke(granted.text, { group, member: MEMBER }).text).toBe(f.text);
  });

  const withoutGroups = valid.filter((f) => groupsOf(f) === undefined);
  it.each(withoutGroups.map((f) => [f.name, f] as const))(
    '%s: without a groups section, grant refuses naming the fix, or with createGroup adds one and changes nothing else',
    (_n, f) => {
      expect(() => grant(f.text, { group: 'prod', member: MEMBER, until: UNTIL })).toThrow(
        new MissingGroupError('prod', 'add "groups": {"group:prod": []} to the policy file, or set createGroup to let the grant create it', true),
      );
      const granted = grant(f.text, { group: 'prod', member: MEMBER, until: UNTIL, requestId: 'r-corpus', createGroup: true });
      expect(granted.changes.map((c) => c.kind)).toEqual(['group-created', 'added']);
      // One insertion, between two members of the top level: every byte of the file is still there, in order.
      const at = insertionPoint(f.text, granted.text);
      expect(granted.text.slice(0, at) + granted.text.slice(at + granted.text.length - f.text.length)).toBe(f.text);
      const root = parseHujson(f.text) as HujsonObject;
      expect(at > root.start && at < root.end).toBe(true);
      expect(root.members.filter((m) => at > m.name.start && at < m.value.end)).toEqual([]);
      const expected = { groups: { 'group:prod': [MEMBER] }, ...jsonOf(f.text) };
      expect(jsonOf(granted.text)).toEqual(expected);
      // What the live path sends is that edit, formatted; it reads the same.
      expect(jsonOf(format(granted.text))).toEqual(expected);
      expect(jsonOf(revoke(granted.text, { group: 'prod', member: MEMBER }).text)).toEqual({ ...expected, groups: { 'group:prod': [] } });
    },
  );

  const groupsButNone = valid.filter((f) => groupsOf(f) !== undefined && groupNames(f).length === 0);
  it.each(groupsButNone.map((f) => [f.name, f] as const))('%s: a new group is created inside "groups" only', (_n, f) => {
    const groups = groupsOf(f)!;
    const granted = grant(f.text, { group: 'symtail-new', member: MEMBER, until: UNTIL, createGroup: true });
    expect(granted.changes.map((c) => c.kind)).toEqual(['group-created', 'added']);
    expect(granted.text.slice(0, groups.start)).toBe(f.text.slice(0, groups.start));
    expect(granted.text.slice(granted.text.length - (f.text.length - groups.end))).toBe(f.text.slice(groups.end));
    const expected = jsonOf(f.text);
    (expected.groups as Record<string, unknown>)['group:symtail-new'] = [MEMBER];
    expect(jsonOf(granted.text)).toEqual(expected);
    const revoked = revoke(granted.text, { group: 'symtail-new', member: MEMBER }).text;
    (expected.groups as Record<string, unknown>)['group:symtail-new'] = [];
    expect(jsonOf(revoked)).toEqual(expected);
  });

  // Every array of every file, whatever it holds: the editing contract does not depend on the array being a group.
  it.each(valid.map((f) => [f.name, f] as const))('%s: appending to and removing from each array round-trips', (_n, f) => {
    const root = parseHujson(f.text);
    for (const array of arraysIn(root)) {
      const added = applyEdits(
        f.text,
        appendEdits(
          f.text,
          containerLayout(f.text, array),
          { text: '"x@example.com"', comment: { line: '// c', block: '/* c */' } },
          { indentUnit: '\t', trailingCommaWhenEmpty: true },
        ),
      );
      const after = parseHujson(added);
      const grown = arraysIn(after).find((a) => a.start === array.start)!;
      expect(hujsonToValue(grown)).toEqual([...(hujsonToValue(array) as unknown[]), 'x@example.com']);
      const layout = containerLayout(added, grown);
      expect(applyEdits(added, removeEdits(added, layout, new Set([grown.elements.length - 1])))).toBe(f.text);
    }
  });
});
