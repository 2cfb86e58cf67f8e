import { accessReport, groupImpact, readAccessPolicy } from '../../lib/access';
import LEGACY from '../policy/fixtures/tailscale-legacy-policies.json';

// Tailscale reads a policy file's keys in any case (Go's encoding/json) and still takes the legacy rule fields: its own
// Terraform provider tests write "ACLs" with "Action", "Users" and "Ports", its API reference does too
// (fixtures/tailscale-legacy-policies.json names each). The analysis must never report less than Tailscale enforces.

const NOW = new Date('2026-06-01T00:00:00Z');
const { policies } = LEGACY;

describe('the Terraform provider\'s test policy ("ACLs", "Groups", "TagOwners", "Hosts", "Tests")', () => {
  const text = policies['terraform-testACL'].text;

  it("is read section by section, legacy fields mapped: Users to src, Ports to dst, a test's User to src and Allow to accept", () => {
    const policy = readAccessPolicy(text);
    expect(policy.acls).toEqual([{ line: 4, action: 'accept', src: ['*'], dst: [{ entry: '*:*', host: '*', ports: '*' }], srcPosture: [] }]);
    expect(policy.groups).toEqual([{ line: 17, name: 'group:example', members: ['user1@example.com', 'user2@example.com'] }]);
    expect(policy.tagOwners).toEqual([{ line: 11, tag: 'tag:example', owners: ['group:example'] }]);
    expect(policy.hosts.map((h) => [h.name, h.address])).toEqual([
      ['example-host-1', '100.100.100.100'],
      ['example-host-2', '100.100.101.100/24'],
    ]);
    expect(policy.tests.map((t) => [t.line, t.src, t.accept.map((d) => d.entry), t.deny.map((d) => d.entry)])).toEqual([
      [42, 'user1@example.com', ['example-host-1:22', 'example-host-2:80'], ['exapmle-host-2:100']],
      [47, 'user2@example.com', ['100.60.3.4:22'], []],
    ]);
  });

  it('flags what membership of group:example gives: every destination, and a tag it may apply', () => {
    expect(groupImpact(readAccessPolicy(text), 'group:example').dangers).toEqual([
      { kind: 'all-destinations', line: 4, message: 'group:example (through *) reaches every destination (*:*)' },
      {
        kind: 'tag-owner',
        line: 11,
        message: "group:example may apply tag:example: a device a member tags keeps tag:example's access after the membership ends",
      },
    ]);
  });

  it('reports its standing members and dangers, not "0 people, 0 dangers"', () => {
    const report = accessReport(text, { now: NOW });
    expect(report.summary).toEqual({ managedGroups: 1, standingPeople: 2, justInTimeMembers: 0, overdueMembers: 0, dangers: 2 });
    expect(report.groups.map((g) => [g.group, g.standing])).toEqual([['group:example', ['user1@example.com', 'user2@example.com']]]);
  });
});

describe.each([
  ['terraform-testACLCreate', 4],
  ['api-reference-hujson-response', 19],
  ['api-reference-details-acl', 17],
] as const)('%s: an acls rule of "Users": ["*"], "Ports": ["*:*"]', (name, line) => {
  it('is an all-destinations danger for any group', () => {
    const impact = groupImpact(readAccessPolicy(policies[name].text), 'group:anyone');
    expect(impact.rules).toEqual([{ section: 'acls', line, via: '*', destinations: [{ entry: '*:*', host: '*', ports: '*' }], postures: [] }]);
    expect(impact.dangers).toEqual([{ kind: 'all-destinations', line, message: 'group:anyone (through *) reaches every destination (*:*)' }]);
  });
});

it('the provider\'s "TagOwners" policy: a tag every member may apply is a danger for any group', () => {
  const impact = groupImpact(readAccessPolicy(policies['terraform-testACLUpdate'].text), 'group:oncall');
  expect(impact.dangers).toEqual([
    {
      kind: 'tag-owner',
      line: 4,
      message: "group:oncall (through autogroup:member) may apply tag:example: a device a member tags keeps tag:example's access after the membership ends",
    },
  ]);
});

describe('keys in other cases everywhere Tailscale reads them', () => {
  const text = [
    '{',
    '  "SSH": [{"Action": "accept", "Src": ["group:ops"], "Dst": ["tag:db"], "Users": ["root"], "CheckPeriod": "12h"}],',
    '  "Grants": [{"Src": ["group:ops"], "Dst": ["*"], "IP": ["tcp:443"], "Via": ["tag:router"]}],',
    '  "AutoApprovers": {"Routes": {"10.0.0.0/8": ["group:ops"]}, "ExitNode": ["group:ops"]},',
    '  "Postures": {"posture:mac": ["node:os == \'macos\'"]},',
    '  "Acls": [{"ACTION": "accept", "SRC": ["group:ops"], "DST": ["tag:web:443"], "SrcPosture": ["posture:mac"], "Proto": "tcp"}],',
    '}',
  ].join('\n');

  it('read as their documented names, each item at its line', () => {
    const impact = groupImpact(readAccessPolicy(text), 'group:ops');
    expect(impact.rules.map((r) => [r.section, r.line])).toEqual([
      ['ssh', 2],
      ['grants', 3],
      ['autoApprovers', 4],
      ['autoApprovers', 4],
      ['postures', 5],
      ['acls', 6],
    ]);
    expect(impact.dangers.map((d) => d.kind)).toEqual(['root-ssh', 'all-destinations', 'auto-approver', 'auto-approver']);
  });
});

describe('two keys that are one to Tailscale, which keeps the last', () => {
  it.each([
    [
      'sections differing in case',
      '{\n"ACLs": [],\n"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]\n}',
      'acls (line 3): expected one "acls" key, got "ACLs" and "acls" (lines 2 and 3)',
    ],
    ['a section twice', '{\n"acls": [],\n"hosts": {},\n"acls": []\n}', 'acls (line 4): expected one "acls" key, got "acls" twice (lines 2 and 4)'],
    [
      'rule fields differing in case',
      '{"acls": [{"action": "accept",\n"src": ["group:a"],\n"Src": ["*"], "dst": ["*:*"]}]}',
      'acls[0].Src (line 3): expected one "src" key, got "src" and "Src" (lines 2 and 3)',
    ],
    [
      'a legacy field in two cases',
      '{"acls": [{"action": "accept",\n"users": ["group:a"], "USERS": ["*"],\n"dst": ["*:*"]}]}',
      'acls[0].USERS (line 2): expected one "users" key',
    ],
  ])('%s: refused, naming both lines', (_name, text, message) => {
    expect(() => readAccessPolicy(text)).toThrow(expect.objectContaining({ code: 'policy-invalid', message: expect.stringContaining(message) }));
  });

  it('a rule with both src and its legacy spelling users counts both: never less than Tailscale could enforce', () => {
    const policy = readAccessPolicy('{"acls": [{"action": "accept", "src": ["group:a"], "users": ["*"], "dst": ["tag:x:1"], "ports": ["*:*"]}]}');
    expect(policy.acls[0].src).toEqual(['group:a', '*']);
    expect(policy.acls[0].dst.map((d) => d.entry)).toEqual(['tag:x:1', '*:*']);
  });
});
