import fc from 'fast-check';
import { membersNamed, namesField, parseHujson, HujsonObject } from '../../lib/hujson';

// Go's encoding/json matches a key to a struct field when bytes.EqualFold says they are equal (src/encoding/json/fold.go:
// ASCII letters fold to upper case, other runes to the smallest rune of their simple-fold orbit). Tailscale reads a
// policy file that way, so symtail matches its keys that way.

describe('namesField matches a key to a field as Go does', () => {
  it.each([
    ['acls', 'acls', true],
    ['ACLs', 'acls', true],
    ['ACLS', 'acls', true],
    ['Groups', 'groups', true],
    ['TagOwners', 'tagOwners', true],
    ['tagowners', 'tagOwners', true],
    ['AutoApprovers', 'autoApprovers', true],
    ['NodeAttrs', 'nodeAttrs', true],
    ['SSH', 'ssh', true],
    // U+017F LATIN SMALL LETTER LONG S folds with s, U+212A KELVIN SIGN with k: Go matches them too.
    ['aclſ', 'acls', true],
    ['checKPeriod', 'checkPeriod', true],
    // Nothing else outside ASCII folds onto an ASCII letter: U+0130 and U+0131 are not i.
    ['İp', 'ip', false],
    ['ıp', 'ip', false],
    ['group', 'groups', false],
    ['groups ', 'groups', false],
    ['group_s', 'groups', false],
    ['src', 'dst', false],
    ['', 'acls', false],
  ])('%j names %j: %s', (key, field, expected) => {
    expect(namesField(key, field)).toBe(expected);
  });

  it('agrees with a comparison of lower-cased ASCII for every ASCII key', () => {
    const asciiKey = fc.stringMatching(/^[ -~]{0,12}$/);
    const field = fc.constantFrom('acls', 'groups', 'tagOwners', 'autoApprovers', 'srcPosture', 'checkPeriod', 'ip');
    fc.assert(
      fc.property(asciiKey, field, (key, name) => {
        expect(namesField(key, name)).toBe(key.toLowerCase() === name.toLowerCase());
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it('membersNamed finds every member a field name matches, in source order', () => {
    const object = parseHujson('{"Groups": {}, "acls": [], "groups": {}, "GROUPS": 1}') as HujsonObject;
    expect(membersNamed(object, 'groups').map((m) => m.name.value)).toEqual(['Groups', 'groups', 'GROUPS']);
    expect(membersNamed(object, 'ssh')).toEqual([]);
  });
});
