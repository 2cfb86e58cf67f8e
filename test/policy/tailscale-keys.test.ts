import { format, parseHujson, HujsonObject } from '../../lib/hujson';
import { PolicyEditError, grant, listLedger, revoke, sweep } from '../../lib/policy';
import LEGACY from './fixtures/tailscale-legacy-policies.json';

// Tailscale reads a policy file's keys in any case (Go's encoding/json), and its own projects write "Groups", "ACLs",
// "TagOwners": the Terraform provider's tests, the API reference's examples (fixtures/tailscale-legacy-policies.json
// names each). The ledger reads and edits such a file as Tailscale reads it.

const NOW = new Date('2026-06-01T00:00:00Z');
const UNTIL = new Date('2031-05-06T07:08:09Z');
const ANNOTATION = '/* symtail: until=2031-05-06T07:08:09Z req=r-1 */';
const TESTACL = LEGACY.policies['terraform-testACL'].text;

/** The top-level keys of a file, in order. */
const keysOf = (text: string) => (parseHujson(text) as HujsonObject).members.map((m) => m.name.value);

describe('a "Groups" section, as the Terraform provider writes it', () => {
  it('is listed: its members are standing members', () => {
    expect(listLedger(TESTACL, NOW)).toEqual({
      active: [],
      overdue: [],
      standing: [
        { group: 'example', member: 'user1@example.com' },
        { group: 'example', member: 'user2@example.com' },
      ],
      warnings: [],
    });
  });

  it('takes a grant in place: no second "groups" key, every other byte kept, and revoke gives the bytes back', () => {
    const granted = grant(TESTACL, { group: 'example', member: 'alice@example.com', until: UNTIL, requestId: 'r-1' });
    expect(granted.changes).toEqual([{ kind: 'added', group: 'example', member: 'alice@example.com', until: '2031-05-06T07:08:09Z', requestId: 'r-1' }]);
    expect(granted.text).toBe(
      TESTACL.replace('\t\t\t"user2@example.com"\n', `\t\t\t"user2@example.com",\n\t\t\t"alice@example.com" // symtail: until=2031-05-06T07:08:09Z req=r-1\n`),
    );
    expect(keysOf(granted.text)).toEqual(keysOf(TESTACL));
    expect(listLedger(format(granted.text), NOW).active).toEqual([
      { group: 'example', member: 'alice@example.com', until: '2031-05-06T07:08:09Z', requestId: 'r-1' },
    ]);
    expect(revoke(granted.text, { group: 'example', member: 'alice@example.com' }).text).toBe(TESTACL);
  });

  it('takes a new group in place when the target may create it', () => {
    const granted = grant(TESTACL, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1', createGroup: true });
    expect(granted.changes.map((c) => c.kind)).toEqual(['group-created', 'added']);
    expect(granted.text).toBe(
      TESTACL.replace('\t\t]\n\t},\n\t// Declare convenient', `\t\t],\n\t\t"group:prod": ["alice@example.com" ${ANNOTATION}]\n\t},\n\t// Declare convenient`),
    );
    expect(keysOf(granted.text)).toEqual(keysOf(TESTACL));
  });

  it('is swept', () => {
    const granted = grant(TESTACL, { group: 'example', member: 'alice@example.com', until: new Date('2026-05-01T00:00:00Z') }).text;
    expect(sweep(granted, { now: NOW }).text).toBe(TESTACL);
  });
});

describe('a file without a "groups" section, in Tailscale\'s own examples', () => {
  it('refuses a grant with what to do when the target may not create its group', () => {
    expect(() => grant(LEGACY.policies['terraform-testACLCreate'].text, { group: 'prod', member: 'alice@example.com', until: UNTIL })).toThrow(
      'policy file: no "groups" section, so group "group:prod" does not exist (add "groups": {"group:prod": []} to the policy file, or set createGroup to let the grant create it)',
    );
  });

  it.each([
    ['terraform-testACLCreate', '\t// Access control lists.\n\t"ACLs": ['],
    ['terraform-testACLUpdate', '\t// Tag owners.\n\t"TagOwners": {'],
  ] as const)('%s: with createGroup, gets one before its first section and the comment above it', (name, firstSection) => {
    const text = LEGACY.policies[name].text;
    const granted = grant(text, { group: 'prod', member: 'alice@example.com', until: UNTIL, requestId: 'r-1', createGroup: true });
    const groups = `\t"groups": {\n\t\t"group:prod": ["alice@example.com" ${ANNOTATION}],\n\t},\n`;
    expect(granted.text).toBe(text.replace(`{\n${firstSection}`, `{\n${groups}${firstSection}`));
    expect(keysOf(granted.text)).toEqual(['groups', ...keysOf(text)]);
  });
});

describe('two keys that are one to Tailscale', () => {
  const both = '{\n\t"Groups": {"group:a": ["a@x.io"]},\n\t"acls": [],\n\t"groups": {"group:b": ["b@x.io"]},\n}\n';
  const message =
    'policy file: "Groups" and "groups" are one key to Tailscale, which reads keys in any case, on lines 2 and 4; ' +
    'readers disagree on which one counts, so the file is neither read nor edited: merge them into one by hand';

  it.each([
    ['grant', () => grant(both, { group: 'a', member: 'c@x.io', until: UNTIL })],
    ['grant creating a group', () => grant(both, { group: 'c', member: 'c@x.io', until: UNTIL, createGroup: true })],
    ['revoke', () => revoke(both, { group: 'a', member: 'a@x.io' })],
    ['sweep', () => sweep(both, { now: NOW })],
    ['the listing', () => listLedger(both, NOW)],
  ])('%s refuses, naming both lines', (_name, edit) => {
    expect(edit).toThrow(new PolicyEditError(message));
  });
});
