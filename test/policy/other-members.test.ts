import fc from 'fast-check';
import { format } from '../../lib/hujson';
import { isSymtailComment, readAnnotation } from '../../lib/policy/annotation';
import { OtherMemberChangedError, PolicyChange, listLedger, refuseOtherMemberChanges, revoke, sweep } from '../../lib/policy';

const NOW = new Date('2026-06-01T00:00:00Z');
const GONE = 'symtail: until=2020-01-01T00:00:00Z';
const LIVE = 'symtail: until=2099-01-01T00:00:00Z';

/** The layout that once cost a standing member its place: commas first, and an annotation of no member after the last. */
const COMMAS_FIRST = `{"groups":{"group:g":["a@x.io"\n,"b@x.io" // ${LIVE}\n,// ${GONE}\n]}}`;

describe('an edit never changes the status of a member it does not name', () => {
  it('revoke(b) with commas first drops the annotation that belonged to no member, so a@x.io stays standing once formatted', () => {
    const result = revoke(COMMAS_FIRST, { group: 'g', member: 'b@x.io' });
    expect(result.changes).toEqual([{ kind: 'removed', group: 'g', member: 'b@x.io', until: '2099-01-01T00:00:00Z' }]);
    expect(result.text).toBe('{"groups":{"group:g":["a@x.io"\n,\n]}}');
    expect(result.warnings).toEqual([`group:g: dropped "${GONE}", a symtail annotation that belonged to no member`]);
    // What the live path sends, and Tailscale stores:
    const stored = format(result.text);
    expect(stored).toBe('{"groups": {"group:g": [\n\t"a@x.io",\n]}}\n');
    expect(listLedger(stored, NOW)).toEqual({ active: [], overdue: [], standing: [{ group: 'g', member: 'a@x.io' }], warnings: [] });
    expect(sweep(stored, { now: NOW }).changed).toBe(false);
    expect(() => refuseOtherMemberChanges(COMMAS_FIRST, stored, result.changes)).not.toThrow();
  });

  // The text the revoke wrote before it dropped orphans: the formatter hands the 2020 annotation to a@x.io.
  const ORPHAN_KEPT = `{"groups":{"group:g":["a@x.io"\n,// ${GONE}\n]}}`;
  const REMOVED_B: PolicyChange[] = [{ kind: 'removed', group: 'g', member: 'b@x.io', until: '2099-01-01T00:00:00Z' }];

  it.each([
    ['a standing member read as an expired grant', COMMAS_FIRST, format(ORPHAN_KEPT), REMOVED_B, 'a@x.io', 'standing', 'until=2020-01-01T00:00:00Z'],
    [
      'a grant read with another expiry',
      `{"groups": {"group:g": ["a@x.io" /* ${LIVE} req=r-1 */, "b@x.io"]}}`,
      `{"groups": {"group:g": ["a@x.io" /* ${GONE} req=r-1 */]}}`,
      [{ kind: 'removed', group: 'g', member: 'b@x.io' }],
      'a@x.io',
      'until=2099-01-01T00:00:00Z req=r-1',
      'until=2020-01-01T00:00:00Z req=r-1',
    ],
    [
      'a member that vanished',
      '{"groups": {"group:g": ["a@x.io"], "group:h": ["c@x.io"]}}',
      '{"groups": {"group:g": [], "group:h": ["c@x.io"]}}',
      [{ kind: 'removed', group: 'h', member: 'c@x.io' }],
      'a@x.io',
      'standing',
      'absent',
    ],
    [
      'a member that appeared',
      '{"groups": {"group:g": ["a@x.io"]}}',
      '{"groups": {"group:g": ["a@x.io", "intruder@x.io"]}}',
      [{ kind: 'added', group: 'g', member: 'a@x.io', until: '2099-01-01T00:00:00Z' }],
      'intruder@x.io',
      'absent',
      'standing',
    ],
  ] as const)('%s: refused, naming the member, with a code of its own', (_name, before, after, changes, member, was, now) => {
    let error: unknown;
    try {
      refuseOtherMemberChanges(before, after, changes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OtherMemberChangedError);
    expect(error).toMatchObject({ code: 'other-member-changed', member, before: was, after: now });
    expect((error as Error).message).toBe(
      `policy file: the edit would change group:g member ${JSON.stringify(member)} from ${was} to ${now} once formatted as Tailscale stores the file, ` +
        'so nothing was written: check the symtail comments around that member by hand',
    );
  });

  it('lets the members an edit names change, matched whatever the case of their login', () => {
    const before = '{"groups": {"group:g": ["Alice@x.io" /* symtail: until=2099-01-01T00:00:00Z */, "b@x.io"]}}';
    const after = '{"groups": {"group:g": ["b@x.io"]}}';
    expect(() => refuseOtherMemberChanges(before, after, [{ kind: 'removed', group: 'g', member: 'alice@X.io' }])).not.toThrow();
  });
});

// Orphans are found by reading each comment's opening in place; it must agree with the full reading on every comment.
it('a comment is told a symtail one in place exactly when reading it whole finds an annotation, valid or malformed', () => {
  const body = fc.array(fc.constantFrom(' ', '\t', 'symtail', 'symtail:', ':', 'until=2026-01-01T00:00:00Z', 'req=r-1', 'x', '*', '/', 'Symtail:'), {
    maxLength: 6,
  });
  fc.assert(
    fc.property(body, fc.boolean(), (parts, line) => {
      const inside = parts.join('');
      if (!line && inside.includes('*/')) return;
      const comment = line ? `//${inside}\n` : `/*${inside}*/`;
      const text = `[1, ${comment}2]`;
      expect(isSymtailComment(text, 4)).toBe(readAnnotation(comment).kind !== 'none');
    }),
    { numRuns: 2000, seed: 20261206 },
  );
});
