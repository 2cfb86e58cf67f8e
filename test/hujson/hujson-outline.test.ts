// needs-shared: policy-corpus, hujson-vectors
import fc from 'fast-check';
import {
  decodeUtf8,
  HujsonMember,
  HujsonObject,
  HujsonOutlineObject,
  HujsonSelection,
  HujsonSyntaxError,
  MAX_DEPTH,
  parseHujson,
  parseHujsonOutline,
} from '../../lib/hujson';
import { corpusFiles } from '../policy/corpus';
import { hujsonishStrings, mutatedPolicies } from './hujson-arbitrary';
import { derivedParseVectors, upstreamParseVectors } from './vectors';

/** The selections the policy edits make, and the extremes. */
const SELECTIONS: readonly (readonly [string, HujsonSelection])[] = [
  ['nothing but the top-level names', new Map()],
  ['groups', new Map([['groups', true]])],
  ['one group', new Map([['groups', new Map([['group:g0', true]])]])],
  ['everything', true],
];

/** The accept/reject verdict, with the whole message (line and column) and the byte offset of an error. */
function verdict(parse: () => unknown): string {
  try {
    parse();
    return 'accepted';
  } catch (e) {
    if (!(e instanceof HujsonSyntaxError)) throw e;
    return `${e.message} (byte ${e.offset})`;
  }
}

function expectSameVerdict(text: string): void {
  const full = verdict(() => parseHujson(text));
  for (const [, selection] of SELECTIONS) expect(verdict(() => parseHujsonOutline(text, selection))).toBe(full);
}

describe('parseHujsonOutline gives the verdict, message and position of parseHujson', () => {
  const vectors = [...upstreamParseVectors(), ...derivedParseVectors()];
  it.each(vectors.map((v) => [v.id, v] as const))('vector %s', (_id, v) => {
    const text = typeof v.input === 'string' ? v.input : decodeUtf8(v.input);
    expectSameVerdict(text);
  });

  it.each(corpusFiles().map((f) => [f.name, f.text] as const))('corpus file %s', (_name, text) => {
    expectSameVerdict(text);
  });

  it.each([
    ['a skipped member', 'acls', MAX_DEPTH - 1],
    ['a skipped member', 'acls', MAX_DEPTH],
    ['a built member', 'groups', MAX_DEPTH - 1],
    ['a built member', 'groups', MAX_DEPTH],
  ])('nesting inside %s (%s) %d deep', (_where, name, depth) => {
    expectSameVerdict(`{"${name}": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
  });

  it('on arbitrary strings', () => {
    fc.assert(fc.property(hujsonishStrings, expectSameVerdict), { numRuns: 3000, seed: 20261123 });
  });

  it('on generated policies, as written and with bytes removed or inserted anywhere', () => {
    fc.assert(fc.property(mutatedPolicies, expectSameVerdict), { numRuns: 1500, seed: 20261123 });
  });
});

describe('what parseHujsonOutline builds', () => {
  it('builds the selected members as parseHujson does, and of the others only their kind and span', () => {
    const text = '// p\n{"groups": {"group:a": ["x@y"], "group:b": ["z@y"],}, "acls": [{"action": "accept"}], "n": 1, "s": "t", }';
    const full = parseHujson(text) as HujsonObject;
    const outline = parseHujsonOutline(text, new Map([['groups', new Map([['group:b', true]])]])) as HujsonOutlineObject;
    const [fullGroups, ...fullRest] = full.members;
    const skipped = ({ value }: HujsonMember) => ({ kind: 'skipped', valueKind: value.kind, start: value.start, end: value.end });
    const groupsOutline = outline.members[0].value as HujsonOutlineObject;
    const groupsFull = fullGroups.value as HujsonObject;

    expect(outline).toMatchObject({ kind: 'object', start: full.start, end: full.end, commas: full.commas });
    expect(outline.members.map((m) => m.name)).toEqual(full.members.map((m) => m.name));
    expect(groupsOutline).toMatchObject({ start: groupsFull.start, end: groupsFull.end, commas: groupsFull.commas });
    expect(groupsOutline.members[1]).toEqual(groupsFull.members[1]);
    expect(groupsOutline.members[0]).toEqual({ name: groupsFull.members[0].name, value: skipped(groupsFull.members[0]) });
    expect(outline.members.slice(1).map((m) => m.value)).toEqual(fullRest.map(skipped));
  });

  it.each([
    ['an array', '[1, 2]', 'array'],
    ['a string', '"groups"', 'string'],
    ['a number', ' -1.5 ', 'number'],
    ['true', 'true', 'boolean'],
    ['false', 'false', 'boolean'],
    ['null', 'null', 'null'],
  ])('skips a root that is %s when the selection names members', (_what, text, valueKind) => {
    const start = text.length - text.trimStart().length;
    expect(parseHujsonOutline(text, new Map([['groups', true]]))).toEqual({ kind: 'skipped', valueKind, start, end: text.trimEnd().length });
  });

  it('skips a selected member whose value is not an object when the selection names its members', () => {
    const outline = parseHujsonOutline('{"groups": ["group:a"]}', new Map([['groups', new Map([['group:a', true]])]]));
    expect((outline as HujsonOutlineObject).members[0].value).toEqual({ kind: 'skipped', valueKind: 'array', start: 11, end: 22 });
  });

  it('builds every member of a repeated name, so look-ups can still take the first', () => {
    const text = '{"groups": {"group:a": []}, "groups": {"group:b": []}}';
    const outline = parseHujsonOutline(text, new Map([['groups', true]])) as HujsonOutlineObject;
    expect(outline.members.map((m) => m.value)).toEqual((parseHujson(text) as HujsonObject).members.map((m) => m.value));
  });

  it('builds the same tree as parseHujson when the selection is everything', () => {
    for (const f of corpusFiles()) {
      if (verdict(() => parseHujson(f.text)) !== 'accepted') continue;
      expect(parseHujsonOutline(f.text, true)).toEqual(parseHujson(f.text));
    }
  });
});
