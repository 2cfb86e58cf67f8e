import { PolicyEditError, grant, listLedger, revoke, sweep } from '../../lib/policy';

// Each case here once lost a member's expiry, a comment or a byte, crashed, or edited what a reader would not see.

const NOW = new Date('2026-06-01T00:00:00Z');
const Z = { group: 'prod', member: 'z@x.io', until: new Date('2029-01-01T00:00:00Z'), requestId: 'r-9' };
const policy = (array: string) => `{"groups": {"group:prod": ${array}}}`;

function grantThenRevoke(array: string): { granted: string; revoked: string } {
  const granted = grant(policy(array), Z).text;
  return { granted, revoked: revoke(granted, { group: 'prod', member: Z.member }).text };
}

describe('an expiry after a trailing comma', () => {
  const array = '["bob@x.io", /* symtail: until=2030-01-01T00:00:00Z */]';

  it('stays with its member when another member is granted', () => {
    const { granted } = grantThenRevoke(array);
    expect(listLedger(granted, NOW)).toEqual({
      active: [
        { group: 'prod', member: 'z@x.io', until: '2029-01-01T00:00:00Z', requestId: 'r-9' },
        { group: 'prod', member: 'bob@x.io', until: '2030-01-01T00:00:00Z' },
      ],
      overdue: [],
      standing: [],
      warnings: [],
    });
  });

  it('is still there, byte for byte, when that member is revoked', () => {
    expect(grantThenRevoke(array).revoked).toBe(policy(array));
  });
});

describe('grant then revoke gives back the exact bytes', () => {
  it.each([
    ['a comment after a trailing comma', '["a@b.c", /*end*/]'],
    ['a tab after the last member', '[\n\t"a@b.c"\t\n]'],
    ['a run of carriage returns after the last member', '["a@b.c"\r\r\n]'],
    ['spaces and a comment before the closing bracket', '[\n\t"a@b.c"  /* note */\r\n  ]'],
    ['a comment line after the last member', '[\n\t"a@b.c"\n\t// note\n]'],
  ])('with %s', (_what, array) => {
    const { granted, revoked } = grantThenRevoke(array);
    expect(listLedger(granted, NOW).active.map((e) => e.member)).toEqual(['z@x.io']);
    expect(revoked).toBe(policy(array));
  });
});

describe('arrays with very many comments', () => {
  it('take a grant and give it back after 125,687 comments on the last member', () => {
    const array = `["a@b.c"${'/**/'.repeat(125_687)}]`;
    const { granted, revoked } = grantThenRevoke(array);
    expect(listLedger(granted, NOW).active.map((e) => e.member)).toEqual(['z@x.io']);
    expect(revoked).toBe(policy(array));
  });

  it('sweep and list them, comments spanning lines included', () => {
    const array = `["gone@b.c" /* symtail: until=2020-01-01T00:00:00Z */, "a@b.c"${' /*\n*/'.repeat(65_536)}]`;
    expect(listLedger(policy(array), NOW).overdue.map((e) => e.member)).toEqual(['gone@b.c']);
    const swept = sweep(policy(array), { now: NOW });
    expect(swept.changes.map((c) => c.member)).toEqual(['gone@b.c']);
    expect(swept.text).toBe(policy(`["a@b.c"${' /*\n*/'.repeat(65_536)}]`));
  });
});

describe('a key that appears twice', () => {
  const twoGroups = '{\n"groups": {"group:prod": ["a@b.c"]},\n"acls": [],\n"groups": {"group:prod": []}\n}';
  const twoProds = '{"groups": {\n"group:prod": ["a@b.c"],\n"group:dev": [],\n"group:prod": []\n}}';

  it.each([
    ['"groups"', twoGroups, '"groups" appears twice, on lines 2 and 4'],
    ['a group', twoProds, '"group:prod" appears twice in "groups", on lines 2 and 4'],
  ])('%s: grant, revoke and sweep refuse, naming both lines', (_what, text, named) => {
    const edits = [() => grant(text, Z), () => revoke(text, { group: 'prod', member: 'a@b.c' }), () => sweep(text, { now: NOW })];
    for (const edit of edits) {
      expect(edit).toThrow(PolicyEditError);
      expect(edit).toThrow(named);
    }
  });

  it('in another group is no reason to refuse a grant', () => {
    const text = '{"groups": {"group:dev": [], "group:prod": [], "group:dev": []}}';
    expect(grant(text, Z).changed).toBe(true);
  });
});
