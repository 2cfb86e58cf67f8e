import { PolicyEditError, PolicyInputError, grant, listLedger, requestIdsHeld, revoke, sweep } from '../../lib/policy';
import { HujsonSyntaxError } from '../../lib/hujson';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const prod = (...members: string[]) => lines('{', '\t"groups": {', '\t\t"group:prod": [', ...members.map((m) => `\t\t\t${m}`), '\t\t],', '\t},', '}');
const at = (iso: string) => new Date(iso);

describe('grant on a member already in the group', () => {
  const granted = prod('"bob@example.com", // lead', '"Alice@Example.com", // symtail: until=2026-11-23T18:00:00Z req=r-1');

  it('extends to a later expiry, rewriting only the annotation, keeping the written case', () => {
    const result = grant(granted, { group: 'prod', member: 'alice@example.com', until: at('2026-11-24T09:00:00Z'), requestId: 'r-2' });
    expect(result.text).toBe(prod('"bob@example.com", // lead', '"Alice@Example.com", // symtail: until=2026-11-24T09:00:00Z req=r-2'));
    expect(result.changes).toEqual([
      { kind: 'extended', group: 'prod', member: 'Alice@Example.com', until: '2026-11-24T09:00:00Z', requestId: 'r-2', previousUntil: '2026-11-23T18:00:00Z' },
    ]);
  });

  it.each([
    ['an earlier expiry', '2026-11-23T10:00:00Z'],
    ['the same expiry (re-granting is idempotent)', '2026-11-23T18:00:00Z'],
  ])('leaves the grant as it is for %s', (_name, until) => {
    const result = grant(granted, { group: 'prod', member: 'ALICE@example.com', until: at(until) });
    expect(result).toEqual({
      text: granted,
      changed: false,
      changes: [{ kind: 'unchanged', group: 'prod', member: 'Alice@Example.com', until: '2026-11-23T18:00:00Z', requestId: 'r-1' }],
      warnings: [],
    });
  });

  it('extends a one-line grant in its block comment', () => {
    const text = '{"groups": {"group:prod": ["a@example.com" /* symtail: until=2026-01-01T00:00:00Z */, "b@example.com"]}}';
    const result = grant(text, { group: 'prod', member: 'a@example.com', until: at('2026-02-01T00:00:00Z') });
    expect(result.text).toBe('{"groups": {"group:prod": ["a@example.com" /* symtail: until=2026-02-01T00:00:00Z */, "b@example.com"]}}');
  });

  it('extends a CRLF line annotation without touching the line ending', () => {
    const text = '{"groups": {"group:prod": [\r\n\t"a@example.com", // symtail: until=2026-01-01T00:00:00Z\r\n]}}';
    const result = grant(text, { group: 'prod', member: 'a@example.com', until: at('2026-02-01T00:00:00Z') });
    expect(result.text).toBe('{"groups": {"group:prod": [\r\n\t"a@example.com", // symtail: until=2026-02-01T00:00:00Z\r\n]}}');
  });

  it('records nothing for a standing member, and says so', () => {
    const result = grant(granted, { group: 'prod', member: 'BOB@example.com', until: at('2026-12-01T00:00:00Z') });
    expect(result.text).toBe(granted);
    expect(result.changed).toBe(false);
    expect(result.changes).toEqual([{ kind: 'standing', group: 'prod', member: 'bob@example.com' }]);
    expect(result.warnings).toEqual(['group:prod: "bob@example.com" is a standing member (no symtail annotation); the grant records nothing']);
  });

  it('refuses to guess over a malformed annotation', () => {
    const text = prod('"a@example.com", // symtail: until=tomorrow');
    expect(() => grant(text, { group: 'prod', member: 'a@example.com', until: at('2026-12-01T00:00:00Z') })).toThrow(PolicyEditError);
  });
});

describe('grant and the shape of the file', () => {
  const until = at('2026-11-23T18:00:00Z');

  it('refuses duplicate group keys rather than edit the one a reader may not use', () => {
    const text = '{"groups": {"group:prod": ["a@example.com"], "group:prod": ["b@example.com"]}}';
    expect(() => grant(text, { group: 'prod', member: 'c@example.com', until })).toThrow(
      'policy file: "group:prod" appears twice in "groups", both on line 1; readers disagree on which one counts',
    );
  });

  it.each([
    [
      'a missing group',
      '{"groups": {}}',
      'policy file: group "group:prod" does not exist in "groups" (create it, or set createGroup to let the grant create it)',
    ],
    [
      'a missing groups section',
      '{"acls": []}',
      'policy file: no "groups" section, so group "group:prod" does not exist (add "groups": {"group:prod": []} to the policy file, or set createGroup to let the grant create it)',
    ],
    ['groups that is not an object', '{"groups": []}', 'policy file: "groups" must be an object of "group:<name>": [logins], got an array'],
    [
      'a group that is not an array',
      '{"groups": {"group:prod": "a@example.com"}}',
      'policy file: groups["group:prod"] must be an array of logins, got a string',
    ],
    ['a top level that is not an object', '[]', 'policy file: expected an object at the top level, got an array'],
  ])('refuses %s', (_name, text, message) => {
    expect(() => grant(text, { group: 'prod', member: 'a@example.com', until })).toThrow(new PolicyEditError(message));
  });

  it('refuses a file that is not HuJSON, with its position', () => {
    expect(() => grant('{"groups": {"group:prod": [a]}}', { group: 'prod', member: 'a@example.com', until })).toThrow(
      new HujsonSyntaxError('{"groups": {"group:prod": [a]}}', 27, 'invalid literal: a'),
    );
  });

  it.each([
    [{ group: 'group:prod' }, 'invalid-policy-argument', 'group: expected a group name without "group:" (e.g. "prod"), got "group:prod"'],
    [{ group: 'prod team' }, 'invalid-policy-argument', 'group: expected a group name of letters, digits, ".", "_" or "-" (at most 64), got "prod team"'],
    [{ requestId: 'r 1 */' }, 'invalid-policy-argument', 'requestId: expected a request id of 1 to 128 letters, digits, ".", "_", ":" or "-", got "r 1 */"'],
    [{ until: new Date('nope') }, 'invalid-policy-argument', 'until: expected a date between 1970 and 9999, got an invalid date'],
    [
      { member: 'tag:server' },
      'invalid-login',
      'member: expected a tailnet login such as "name@example.com", "name@github" or "name@passkey", got a tag reference, not a user',
    ],
  ])('refuses the request %o as %s, naming the field', (override, code, message) => {
    const req = { group: 'prod', member: 'a@example.com', until, ...override };
    expect(() => grant('{"groups": {"group:prod": []}}', req)).toThrow(PolicyInputError);
    expect(() => grant('{"groups": {"group:prod": []}}', req)).toThrow(expect.objectContaining({ code, message }));
  });
});

describe('revoke', () => {
  it('removes only the annotated member and its annotation, keeping neighbours and their comments', () => {
    const before = prod(
      '// Engineering',
      '"bob@example.com", // lead',
      '"alice@example.com", // symtail: until=2026-11-23T18:00:00Z',
      '// "dave@example.com",',
    );
    const result = revoke(before, { group: 'prod', member: 'ALICE@example.com' });
    expect(result.text).toBe(prod('// Engineering', '"bob@example.com", // lead', '// "dave@example.com",'));
    expect(result.changes).toEqual([{ kind: 'removed', group: 'prod', member: 'alice@example.com', until: '2026-11-23T18:00:00Z' }]);
    expect(result.warnings).toEqual([]);
  });

  it('removes a member from the middle of a one-line array', () => {
    const before = '{"groups": {"group:prod": ["a@example.com", "b@example.com" /* symtail: until=2026-01-01T00:00:00Z */, "c@example.com"]}}';
    expect(revoke(before, { group: 'prod', member: 'b@example.com' }).text).toBe('{"groups": {"group:prod": ["a@example.com", "c@example.com"]}}');
  });

  it('leaves a standing member with a warning', () => {
    const before = prod('"bob@example.com",');
    expect(revoke(before, { group: 'prod', member: 'bob@example.com' })).toEqual({
      text: before,
      changed: false,
      changes: [{ kind: 'standing', group: 'prod', member: 'bob@example.com' }],
      warnings: ['group:prod: "bob@example.com" is a standing member (no symtail annotation); left in place'],
    });
  });

  it('is a no-op with a warning for a member who is not there', () => {
    const before = prod('"bob@example.com",');
    expect(revoke(before, { group: 'prod', member: 'carol@example.com' })).toEqual({
      text: before,
      changed: false,
      changes: [],
      warnings: ['group:prod: "carol@example.com" is not a member; nothing to revoke'],
    });
  });

  it('leaves a member whose annotation is malformed in place, and says so', () => {
    const before = prod('"a@example.com", // symtail: until=soon', '"b@example.com",');
    expect(revoke(before, { group: 'prod', member: 'a@example.com' })).toEqual({
      text: before,
      changed: false,
      changes: [],
      warnings: ['group:prod: "a@example.com" has a malformed symtail annotation; left in place'],
    });
  });

  it('removes the valid grant of a login that also has a malformed entry, and leaves the malformed one', () => {
    const before = prod('"a@example.com", // symtail: until=soon', '"A@example.com", // symtail: until=2026-01-01T00:00:00Z');
    const result = revoke(before, { group: 'prod', member: 'a@example.com' });
    expect(result.text).toBe(prod('"a@example.com", // symtail: until=soon'));
    expect(result.changes).toEqual([{ kind: 'removed', group: 'prod', member: 'A@example.com', until: '2026-01-01T00:00:00Z' }]);
    expect(result.warnings).toEqual(['group:prod: "a@example.com" has a malformed symtail annotation; left in place']);
  });

  it('refuses a missing group', () => {
    expect(() => revoke('{"groups": {}}', { group: 'prod', member: 'a@example.com' })).toThrow(PolicyEditError);
  });
});

describe('sweep', () => {
  const before = lines(
    '{',
    '\t"groups": {',
    '\t\t"group:prod": [',
    '\t\t\t"standing@example.com",',
    '\t\t\t"expired@example.com", // symtail: until=2026-01-01T00:00:00Z req=r-1',
    '\t\t\t"live@example.com", // symtail: until=2026-03-01T00:00:00Z',
    '\t\t\t"odd@example.com", // symtail: until=whenever',
    '\t\t\t"edge@example.com" // symtail: until=2026-02-01T00:00:00Z',
    '\t\t],',
    '\t\t"group:ops": ["standing@example.com", "gone@example.com" /* symtail: until=2025-12-31T00:00:00Z */],',
    '\t},',
    '}',
  );
  const now = at('2026-02-01T00:00:00Z');

  it('removes every expired grant (until at or before now) in one edit, and leaves everything else', () => {
    const result = sweep(before, { now });
    expect(result.text).toBe(
      lines(
        '{',
        '\t"groups": {',
        '\t\t"group:prod": [',
        '\t\t\t"standing@example.com",',
        '\t\t\t"live@example.com", // symtail: until=2026-03-01T00:00:00Z',
        '\t\t\t"odd@example.com" // symtail: until=whenever',
        '\t\t],',
        '\t\t"group:ops": ["standing@example.com"],',
        '\t},',
        '}',
      ),
    );
    expect(result.changes).toEqual([
      { kind: 'removed', group: 'prod', member: 'expired@example.com', until: '2026-01-01T00:00:00Z', requestId: 'r-1' },
      { kind: 'removed', group: 'prod', member: 'edge@example.com', until: '2026-02-01T00:00:00Z' },
      { kind: 'removed', group: 'ops', member: 'gone@example.com', until: '2025-12-31T00:00:00Z' },
    ]);
    expect(result.warnings).toEqual(['group:prod: "odd@example.com" has a malformed symtail annotation; left in place']);
  });

  it('also removes standing members of exclusive groups, and members whose annotation is malformed there', () => {
    const result = sweep(before, { now, exclusiveGroups: ['prod'] });
    expect(listLedger(result.text, now)).toEqual({
      active: [{ group: 'prod', member: 'live@example.com', until: '2026-03-01T00:00:00Z' }],
      overdue: [],
      standing: [{ group: 'ops', member: 'standing@example.com' }],
      warnings: [],
    });
  });

  it('touches only the groups it is given, and warns about those that do not exist', () => {
    const result = sweep(before, { now, groups: ['ops', 'missing'] });
    expect(result.changes.map((c) => c.member)).toEqual(['gone@example.com']);
    expect(result.warnings).toEqual(['group:missing does not exist in "groups"; nothing to sweep there']);
  });

  it('changes nothing when nothing is due', () => {
    const result = sweep(before, { now: at('2020-01-01T00:00:00Z'), groups: ['ops'] });
    expect(result).toEqual({ text: before, changed: false, changes: [], warnings: [] });
  });

  it('sweeps a file without groups as an empty ledger', () => {
    expect(sweep('{"acls": []}', { now })).toEqual({ text: '{"acls": []}', changed: false, changes: [], warnings: [] });
  });

  it('refuses an invalid clock', () => {
    expect(() => sweep(before, { now: new Date(NaN) })).toThrow('now: expected a valid date, got an invalid date');
  });
});

describe('sweep never honours an annotation that outlives its group', () => {
  const now = at('2026-11-23T12:00:00Z');
  const HOUR = 3600;
  const group = (...members: string[]) => prod('"standing@example.com", // on call', ...members);

  it.each([
    ['a hand-written far-future expiry', '// symtail: until=9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'],
    ['an expiry one second past the longest grant', '// symtail: until=2026-11-23T13:00:01Z req=r-1', '2026-11-23T13:00:01Z'],
  ])('removes %s, saying why', (_name, comment, until) => {
    const result = sweep(group(`"mallory@example.com", ${comment}`), { now, longestSeconds: { prod: HOUR } });
    expect(result.text).toBe(group());
    expect(result.changes).toEqual([expect.objectContaining({ kind: 'removed', group: 'prod', member: 'mallory@example.com', until, reason: 'past-longest' })]);
    expect(result.warnings).toEqual([
      `group:prod: "mallory@example.com" removed: its annotation ends at ${until}, later than any grant to this group can last`,
    ]);
  });

  it('keeps a grant that ends exactly at now plus the longest grant', () => {
    const before = group('"alice@example.com", // symtail: until=2026-11-23T13:00:00Z');
    expect(sweep(before, { now, longestSeconds: { prod: HOUR } })).toEqual({ text: before, changed: false, changes: [], warnings: [] });
  });

  it('judges each group by its own longest grant, and groups without one by expiry alone', () => {
    const text = lines(
      '{"groups": {',
      '\t"group:prod": ["a@example.com" /* symtail: until=2026-11-24T12:00:00Z */],',
      '\t"group:ops": ["b@example.com" /* symtail: until=2026-11-24T12:00:00Z */],',
      '\t"group:lab": ["c@example.com" /* symtail: until=2030-01-01T00:00:00Z */],',
      '}}',
    );
    const result = sweep(text, { now, longestSeconds: { prod: HOUR, ops: 2 * 86400 } });
    expect(result.changes.map((c) => `${c.group} ${c.member} ${c.reason}`)).toEqual(['prod a@example.com past-longest']);
  });

  it.each([
    ['a day that does not exist', '// symtail: until=2026-02-30T00:00:00Z'],
    ['a request id with a space', '// symtail: until=2026-11-23T12:30:00Z req=x y'],
    ['a far-future expiry in the wrong format', '// symtail: until=9999-12-31'],
  ])('in an exclusive group, counts %s as no annotation: the member is removed', (_name, comment) => {
    const before = group(`"mallory@example.com", ${comment}`);
    const result = sweep(before, { now, exclusiveGroups: ['prod'], longestSeconds: { prod: HOUR } });
    expect(result.text).toBe(prod());
    expect(result.changes).toEqual([
      { kind: 'removed', group: 'prod', member: 'standing@example.com' },
      { kind: 'removed', group: 'prod', member: 'mallory@example.com', reason: 'malformed-annotation' },
    ]);
    expect(result.warnings).toEqual(['group:prod: "mallory@example.com" has a malformed symtail annotation; removed, as group:prod is exclusive']);
  });

  it('outside exclusive groups, leaves a malformed annotation in place with a warning', () => {
    const before = group('"mallory@example.com", // symtail: until=2026-02-30T00:00:00Z');
    const result = sweep(before, { now, longestSeconds: { prod: HOUR } });
    expect(result.text).toBe(before);
    expect(result.warnings).toEqual(['group:prod: "mallory@example.com" has a malformed symtail annotation; left in place']);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses a longest grant of %p seconds', (seconds) => {
    expect(() => sweep(group(), { now, longestSeconds: { prod: seconds } })).toThrow(PolicyInputError);
  });
});

describe('listLedger', () => {
  it('sorts members into active, overdue and standing, and warns of each overdue one and of what it could not read', () => {
    const text = lines(
      '{"groups": {',
      '\t"group:prod": ["a@example.com" /* symtail: until=2026-01-01T00:00:00Z req=r-9 */, "b@example.com", 42],',
      '\t"group:ops": [',
      '\t\t"C@example.com", // symtail: until=2027-01-01T00:00:00Z',
      '\t],',
      '\t"group:ops": ["shadowed@example.com"],',
      '\t"tag:x": ["ignored"],',
      '}}',
    );
    expect(listLedger(text, at('2026-06-01T00:00:00Z'))).toEqual({
      active: [{ group: 'ops', member: 'C@example.com', until: '2027-01-01T00:00:00Z' }],
      overdue: [{ group: 'prod', member: 'a@example.com', until: '2026-01-01T00:00:00Z', requestId: 'r-9' }],
      standing: [{ group: 'prod', member: 'b@example.com' }],
      warnings: [
        '"group:ops" appears more than once in "groups"; only the first is used',
        'group:prod: "a@example.com" is overdue: access ended at 2026-01-01T00:00:00Z but the member is still present',
        'group:prod: element 2 is not a login',
      ],
    });
  });

  it("reads an annotation only on the member's own line", () => {
    const text = prod('"a@example.com",', '// symtail: until=2026-01-01T00:00:00Z', '"b@example.com",');
    expect(listLedger(text).standing.map((s) => s.member)).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('requestIdsHeld', () => {
  it('lists the request id of every grant, expired or not, once each, and none for grants without one or standing members', () => {
    const text = lines(
      '{"groups": {',
      '\t"group:prod": ["a@example.com" /* symtail: until=2020-01-01T00:00:00Z req=r-old */, "b@example.com", "c@example.com" /* symtail: until=2099-01-01T00:00:00Z */],',
      '\t"group:ops": [',
      '\t\t"d@example.com", // symtail: until=2099-01-01T00:00:00Z req=r-new',
      '\t\t"e@example.com", // symtail: until=2099-01-01T00:00:00Z req=r-old',
      '\t],',
      '}}',
    );
    expect(requestIdsHeld(text)).toEqual(['r-new', 'r-old']);
  });
});

describe("which comment is a member's annotation", () => {
  it.each([
    ['before the comma', '["a@example.com" /* symtail: until=2030-01-01T00:00:00Z */, "b@example.com"]', ['a@example.com']],
    [
      'after the comma, with a line break before the next member',
      '[\n"a@example.com", /* symtail: until=2030-01-01T00:00:00Z */\n"b@example.com"]',
      ['a@example.com'],
    ],
    ["after the comma, on the next member's line", '["a@example.com", /* symtail: until=2030-01-01T00:00:00Z */ "b@example.com"]', []],
    ['a line comment after the last member', '[\n"a@example.com" // symtail: until=2030-01-01T00:00:00Z\n]', ['a@example.com']],
    ['a comment on the line below', '[\n"a@example.com",\n// symtail: until=2030-01-01T00:00:00Z\n"b@example.com"]', []],
  ])('%s', (_name, array, granted) => {
    const listing = listLedger(`{"groups": {"group:prod": ${array}}}`, at('2026-01-01T00:00:00Z'));
    expect(listing.active.map((g) => g.member)).toEqual(granted);
  });
});

describe('only a comment that starts with "symtail:" is an annotation', () => {
  const far = at('2099-01-01T00:00:00Z');

  it.each([
    ['a capitalised word', '// Symtail pilot: on-call lead, keep'],
    ['the bare word', '// symtail'],
    ['the word and a space', '// symtail pilot'],
    ['another case of the marker', '// SYMTAIL: until=2026-01-01T00:00:00Z'],
    ['a block comment with a capitalised word', '/* Symtail: until=2026-01-01T00:00:00Z */'],
    ['the marker after other text', '// see symtail: until=2026-01-01T00:00:00Z'],
  ])('a member with %s is standing: listed, never revoked, never swept', (_name, comment) => {
    const before = prod(`"alice@example.com", ${comment}`, '"bob@example.com",');
    expect(listLedger(before, far)).toEqual({
      active: [],
      overdue: [],
      standing: [
        { group: 'prod', member: 'alice@example.com' },
        { group: 'prod', member: 'bob@example.com' },
      ],
      warnings: [],
    });
    expect(revoke(before, { group: 'prod', member: 'alice@example.com' })).toEqual({
      text: before,
      changed: false,
      changes: [{ kind: 'standing', group: 'prod', member: 'alice@example.com' }],
      warnings: ['group:prod: "alice@example.com" is a standing member (no symtail annotation); left in place'],
    });
    expect(sweep(before, { now: far }).changed).toBe(false);
  });

  it.each([
    ['no space after the opener', '//symtail: until=2026-01-01T00:00:00Z'],
    ['several spaces after the opener', '//   symtail: until=2026-01-01T00:00:00Z'],
    ['a tab after the opener', '//\tsymtail: until=2026-01-01T00:00:00Z'],
    ['a block comment without spaces', '/*symtail: until=2026-01-01T00:00:00Z*/'],
  ])('a comment with %s is read as an annotation', (_name, comment) => {
    const before = prod(`"alice@example.com", ${comment}`);
    expect(listLedger(before, far).overdue).toEqual([{ group: 'prod', member: 'alice@example.com', until: '2026-01-01T00:00:00Z' }]);
  });

  it.each([
    ['no expiry', '// symtail:'],
    ['an expiry that is not a date', '// symtail: until=tomorrow'],
    ['another word', '// symtail: keep'],
  ])('a "symtail:" comment with %s is malformed: warned about, refused by grant, left by revoke and sweep', (_name, comment) => {
    const before = prod(`"alice@example.com", ${comment}`);
    expect(listLedger(before, far).warnings).toEqual(['group:prod: "alice@example.com" has a malformed symtail annotation']);
    expect(() => grant(before, { group: 'prod', member: 'alice@example.com', until: far })).toThrow(PolicyEditError);
    expect(revoke(before, { group: 'prod', member: 'alice@example.com' }).text).toBe(before);
    expect(sweep(before, { now: far }).text).toBe(before);
  });
});
