import fc from 'fast-check';
import { grant, revoke } from '../../lib/policy';
import { findMember, HujsonObject, parseHujson } from '../../lib/hujson';
import { checkPolicy } from '../../lib/testing/policy-check';
import { generatePolicy } from '../../scripts/bench/policy-generator';

/** No team adds more than this, so a generated file overshoots its target by less. */
const MAX_TEAM_BYTES = 2048;
const UNTIL = new Date('2031-01-01T00:00:00Z');

function groupsOf(text: string): HujsonObject {
  return findMember(parseHujson(text) as HujsonObject, 'groups')!.value as HujsonObject;
}

describe('generatePolicy', () => {
  it.each([1024, 100_000, 1_000_000])('makes a HuJSON policy of at least %d bytes and at most one team more', (bytes) => {
    const { text } = generatePolicy(bytes);
    expect(() => parseHujson(text)).not.toThrow();
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(bytes);
    expect(Buffer.byteLength(text)).toBeLessThan(bytes + MAX_TEAM_BYTES);
  });

  it('writes a file the tailnet API would accept, with every section a real policy has', () => {
    const { text, teams } = generatePolicy(100_000);
    const verdict = checkPolicy(text);
    expect(verdict).toMatchObject({ ok: true });
    const value = (verdict as { value: Record<string, Record<string, unknown>> }).value;
    expect(Object.keys(value)).toEqual(['groups', 'tagOwners', 'hosts', 'acls', 'ssh']);
    expect(Object.keys(value.groups)).toHaveLength(teams);
    expect(value.acls).toHaveLength(teams);
  });

  it('mixes the styles people write: comments, one-line and multi-line groups, and symtail grants', () => {
    const { text } = generatePolicy(100_000);
    expect(text).toMatch(/\t\t"group:team-\d+": \["[^\n]*"\],\n/);
    expect(text).toMatch(/\t\t"group:team-\d+": \[\n\t\t\t"/);
    expect(text).toMatch(/\/\/ symtail: until=2026-12-\d\dT18:00:00Z req=r-\d+-\d+\n/);
    expect(text).toMatch(/\/\/ on call this quarter\n/);
    expect(text).toContain('@github"');
  });

  it('names a multi-line group near the middle as the one to edit', () => {
    const { text, editGroup, teams } = generatePolicy(1_000_000);
    const names = groupsOf(text).members.map((m) => m.name.value);
    const index = names.indexOf(`group:${editGroup}`);
    expect(Math.abs(index - teams / 2)).toBeLessThanOrEqual(2);
    const array = groupsOf(text).members[index].value;
    expect(text.slice(array.start, array.end)).toContain('\n');
  });

  it('is the same for the same size and seed, and differs for another seed', () => {
    expect(generatePolicy(50_000, 7).text).toBe(generatePolicy(50_000, 7).text);
    expect(generatePolicy(50_000, 8).text).not.toBe(generatePolicy(50_000, 7).text);
  });

  it('takes a grant and a revoke in its edit group and gives back the same bytes, at any size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 60_000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (bytes, seed) => {
        const { text, editGroup } = generatePolicy(bytes, seed);
        const granted = grant(text, { group: editGroup, member: 'probe@example.com', until: UNTIL, requestId: 'r-probe' });
        expect(granted.changed).toBe(true);
        expect(revoke(granted.text, { group: editGroup, member: 'probe@example.com' }).text).toBe(text);
      }),
      { numRuns: 30 },
    );
  });

  it.each([
    [1023, 1, 'generatePolicy targetBytes: expected a whole number from 1024 to 67108864, got 1023'],
    [64 * 1024 * 1024 + 1, 1, 'generatePolicy targetBytes: expected a whole number from 1024 to 67108864, got 67108865'],
    [2048.5, 1, 'generatePolicy targetBytes: expected a whole number from 1024 to 67108864, got 2048.5'],
    [2048, 0.5, 'generatePolicy seed: expected a whole number, got 0.5'],
  ])('refuses targetBytes %d with seed %d: %s', (bytes, seed, message) => {
    expect(() => generatePolicy(bytes, seed)).toThrow(message);
  });
});
