import fc from 'fast-check';
import { HujsonObject, findMember, grant, listGrants, parseHujson, revoke, standardize, sweep } from '../../lib/policy';
import { KEEP, NOW, PolicySpec, expectedGroups, groupName, policySpec, renderPolicy } from './policy-arbitrary';

// A fixed seed keeps the suite deterministic; widen numRuns locally to search harder.
const RUNS = { numRuns: 300, seed: 20261123 };
const NEW_MEMBER = 'new.member@example.com';

function jsonOf(text: string): { groups: Record<string, string[]>; acls: unknown } {
  return JSON.parse(standardize(text));
}

function groupSpan(text: string, key: string): { start: number; end: number } {
  const groups = findMember(parseHujson(text) as HujsonObject, 'groups')!.value as HujsonObject;
  return findMember(groups, key)!.value;
}

function groupsObjectSpan(text: string): { start: number; end: number } {
  return findMember(parseHujson(text) as HujsonObject, 'groups')!.value;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('generated policies', () => {
  it('render as HuJSON whose value is what was generated', () => {
    fc.assert(
      fc.property(policySpec, (spec) => {
        expect(jsonOf(renderPolicy(spec)).groups).toEqual(expectedGroups(spec, () => false));
      }),
      RUNS,
    );
  });

  it('grant changes only the group\'s array, adds exactly the member, and revoke gives back the original bytes', () => {
    fc.assert(
      fc.property(policySpec, fc.nat(), (spec: PolicySpec, pick: number) => {
        const text = renderPolicy(spec);
        const index = pick % spec.groups.length;
        const key = `group:${groupName(index)}`;
        const array = groupSpan(text, key);
        const result = grant(text, { group: groupName(index), member: NEW_MEMBER, until: new Date('2026-06-02T00:00:00Z'), requestId: 'r-new' });

        const tail = text.length - array.end;
        expect(result.text.slice(0, array.start)).toBe(text.slice(0, array.start));
        expect(result.text.slice(result.text.length - tail)).toBe(text.slice(array.end));

        const expected = jsonOf(text);
        expected.groups[key].push(NEW_MEMBER);
        expect(jsonOf(result.text)).toEqual(expected);

        expect(revoke(result.text, { group: groupName(index), member: NEW_MEMBER }).text).toBe(text);
      }),
      RUNS,
    );
  });

  it('sweep removes exactly the expired annotated members (and, in exclusive groups, standing ones), and nothing else', () => {
    fc.assert(
      fc.property(policySpec, fc.array(fc.boolean(), { maxLength: 4 }), (spec: PolicySpec, exclusiveFlags: boolean[]) => {
        const text = renderPolicy(spec);
        const exclusive = spec.groups.map((_, i) => i).filter((i) => exclusiveFlags[i]);
        const result = sweep(text, { now: NOW, exclusiveGroups: exclusive.map(groupName) });
        const dropped = (kind: string, group: number) => kind === 'expired' || (kind === 'standing' && exclusive.includes(group));

        const after = jsonOf(result.text);
        expect(after.groups).toEqual(expectedGroups(spec, (m, g) => dropped(m.kind, g)));
        expect(after.acls).toEqual(jsonOf(text).acls);

        const removed = spec.groups.flatMap((g, i) => g.members.filter((m) => dropped(m.kind, i)).map((m) => `${groupName(i)} ${m.login}`));
        expect(result.changes.map((c) => `${c.group} ${c.member}`)).toEqual(removed);
        expect(result.changes.every((c) => c.kind === 'removed')).toBe(true);

        const span = groupsObjectSpan(text);
        expect(result.text.slice(0, span.start)).toBe(text.slice(0, span.start));
        expect(result.text.slice(result.text.length - (text.length - span.end))).toBe(text.slice(span.end));
        expect(count(result.text, KEEP)).toBe(count(text, KEEP));

        const remaining = listGrants(result.text, NOW);
        const before = listGrants(text, NOW);
        expect(remaining.grants).toEqual(before.grants.filter((g) => !g.expired));
        expect(remaining.grants.every((g) => !g.expired)).toBe(true);

        expect(sweep(result.text, { now: NOW, exclusiveGroups: exclusive.map(groupName) }).changed).toBe(false);
      }),
      RUNS,
    );
  });
});
