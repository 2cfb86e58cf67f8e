import fc from 'fast-check';
import { portsInclude, readAccessPolicy, splitHostPorts } from '../../lib/access';
import { networkRules } from '../../lib/testing/acl-rules';
import { evaluateTests } from '../../lib/testing/acl-tests';
import { checkPolicy } from '../../lib/testing/policy-check';

const policy = {
  groups: { 'group:eng': ['Alice@example.com'], 'group:ops': ['carol@example.com'] },
  acls: [
    { action: 'accept', src: ['group:eng'], dst: ['tag:web:80,443', 'tag:db:5432'] },
    { action: 'accept', src: ['bob@example.com'], dst: ['*:22'] },
    { action: 'accept', src: ['*'], dst: ['tag:dns:53'] },
    { action: 'accept', users: ['carol@example.com'], ports: ['tag:monitor:9000-9100'] },
    { action: 'accept', src: ['alice@example.com'], dst: ['group:ops:*'] },
  ],
};

/** The failing tests of a policy given as a plain object, read as the emulator reads a file. */
function evaluate(value: object) {
  return evaluateTests(readAccessPolicy(JSON.stringify(value)));
}

function failuresFor(tests: unknown[]) {
  return evaluate({ ...policy, tests });
}

describe('evaluateTests', () => {
  it.each([
    ['a group member reaching a port in a list', 'alice@example.com', ['tag:web:443']],
    ['a member matched case-insensitively', 'ALICE@EXAMPLE.COM', ['tag:db:5432']],
    ['a group as the source', 'group:eng', ['tag:web:80']],
    ['a wildcard host', 'bob@example.com', ['tag:anything:22']],
    ['a wildcard source', 'dave@example.com', ['tag:dns:53']],
    ['a range and the legacy users/ports fields', 'carol@example.com', ['tag:monitor:9050']],
    ['a group as the destination', 'alice@example.com', ['carol@example.com:8080']],
  ])('passes when access is expected and granted: %s', (_name, src, accept) => {
    expect(failuresFor([{ src, accept }])).toEqual([]);
  });

  it.each([
    ['a port outside the list', 'alice@example.com', 'tag:web:8080'],
    ['a user outside the group', 'dave@example.com', 'tag:web:443'],
    ['a port outside the range', 'carol@example.com', 'tag:monitor:9101'],
    ['a group without the rule', 'group:ops', 'tag:web:443'],
  ])('fails an expected access that no rule grants: %s', (_name, src, dst) => {
    expect(failuresFor([{ src, accept: [dst] }])).toEqual([{ user: src, errors: [`${dst}: expected access from ${src}, but no rule allows it`] }]);
  });

  it('fails an expected denial that a rule grants, and reports every failing entry', () => {
    const result = failuresFor([
      { src: 'alice@example.com', accept: ['tag:web:443'], deny: ['tag:web:443', 'tag:db:22'] },
      { src: 'bob@example.com', deny: ['db:22'] },
    ]);
    expect(result).toEqual([
      { user: 'alice@example.com', errors: ['tag:web:443: expected no access from alice@example.com, but a rule allows it'] },
      { user: 'bob@example.com', errors: ['db:22: expected no access from bob@example.com, but a rule allows it'] },
    ]);
  });

  // What the model cannot resolve is never reported: a refusal the real API would not make is worse than none.
  it.each([
    [
      'a grant to an IP range that may give the access',
      { grants: [{ src: ['*'], dst: ['10.0.0.0/8'], ip: ['*'] }] },
      { src: 'dave@example.com', accept: ['tag:web:443'] },
    ],
    ['a denial only a protocol-narrowed grant gives', { grants: [{ src: ['*'], dst: ['*'], ip: ['udp:53'] }] }, { src: 'dave@example.com', deny: ['dns:53'] }],
    [
      'a denial only a grant through a router gives',
      { grants: [{ src: ['*'], dst: ['tag:db'], ip: ['5432'], via: ['tag:router'] }] },
      { src: 'dave@example.com', deny: ['tag:db:5432'] },
    ],
    [
      'a rule naming an IP',
      { acls: [...policy.acls, { action: 'accept', src: ['100.64.0.1'], dst: ['*:*'] }] },
      { src: 'dave@example.com', accept: ['tag:web:443'] },
    ],
    [
      'a rule naming an autogroup',
      { acls: [...policy.acls, { action: 'accept', src: ['autogroup:admin'], dst: ['autogroup:self:*'] }] },
      { src: 'dave@example.com', accept: ['tag:web:443'] },
    ],
    ['a tag as the source', {}, { src: 'tag:ci', accept: ['tag:web:443'] }],
    ['a host alias as the destination', {}, { src: 'dave@example.com', accept: ['nas:445'] }],
    ['an IP as the destination', {}, { src: 'dave@example.com', accept: ['10.0.0.1:22'] }],
    [
      'a denial only a proto rule grants',
      { acls: [{ action: 'accept', src: ['*'], proto: 'udp', dst: ['*:53'] }] },
      { src: 'dave@example.com', deny: ['dns:53'] },
    ],
    ['a denial from a group', {}, { src: 'group:eng', deny: ['tag:web:443'] }],
    ['a denial via autogroup:member', { acls: [{ action: 'accept', src: ['autogroup:member'], dst: ['*:22'] }] }, { src: 'dave@example.com', deny: ['db:22'] }],
  ])('reports nothing it cannot decide: %s', (_name, override, test) => {
    expect(evaluate({ ...policy, ...override, tests: [test] })).toEqual([]);
  });

  it('reads grants as rules: a grant gives the access it names, and no more', () => {
    const grants = {
      acls: [],
      grants: [
        { src: ['group:eng'], dst: ['tag:web'], ip: ['443', '8000-8100'] },
        { src: ['*'], dst: ['tag:idp'], app: { 'tailscale.com/cap/tsidp': [{}] } },
      ],
    };
    expect(evaluate({ ...policy, ...grants, tests: [{ src: 'alice@example.com', accept: ['tag:web:443', 'tag:web:8080'] }] })).toEqual([]);
    expect(evaluate({ ...policy, ...grants, tests: [{ src: 'alice@example.com', accept: ['tag:web:22', 'tag:idp:443'], deny: ['tag:web:8050'] }] })).toEqual([
      {
        user: 'alice@example.com',
        errors: [
          'tag:web:22: expected access from alice@example.com, but no rule allows it',
          'tag:idp:443: expected access from alice@example.com, but no rule allows it',
          'tag:web:8050: expected no access from alice@example.com, but a rule allows it',
        ],
      },
    ]);
  });

  it.each([
    ['acls not an array', { acls: {} }, 'acls (line 1): expected an array'],
    ['a rule that is not an object', { acls: ['accept'] }, 'acls[0] (line 1): expected an object'],
    ['tests not an array', { tests: {} }, 'tests (line 1): expected an array'],
    ['a grant whose src is not a list', { grants: [{ src: 'group:eng', dst: ['*'], ip: ['*'] }] }, 'grants[0].src (line 1): expected an array'],
  ])('refuses, as the API does, a section of the wrong shape: %s', (_name, override, message) => {
    expect(checkPolicy(JSON.stringify({ ...policy, ...override }))).toEqual({ ok: false, message: expect.stringContaining(message) });
  });
});

describe('ports and host:ports', () => {
  it.each([
    ['db:5432', { host: 'db', ports: '5432' }],
    ['tag:web:80,443', { host: 'tag:web', ports: '80,443' }],
    ['[fd7a::1]:22', { host: '[fd7a::1]', ports: '22' }],
    ['*:*', { host: '*', ports: '*' }],
    ['db:1000-2000', { host: 'db', ports: '1000-2000' }],
  ])('splits %j', (entry, split) => {
    expect(splitHostPorts(entry)).toEqual(split);
  });

  it.each([['db'], [':22'], ['db:'], ['db:70000'], ['db:20-10'], ['db:a']])('refuses %j', (entry) => {
    expect(splitHostPorts(entry)).toBeUndefined();
  });

  it('includes exactly the ports of a range', () => {
    fc.assert(
      fc.property(fc.nat(65535), fc.nat(65535), fc.nat(65535), (a, b, port) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(portsInclude(`${lo}-${hi}`, port)).toBe(port >= lo && port <= hi);
        expect(portsInclude(`${lo},${hi}`, port)).toBe(port === lo || port === hi);
        expect(portsInclude('*', port)).toBe(true);
      }),
    );
  });

  it('reads legacy users/ports rules like src/dst', () => {
    expect(networkRules(readAccessPolicy('{"acls": [{"action": "accept", "users": ["a@b.c"], "ports": ["tag:x:1"]}]}'))).toEqual([
      { src: ['a@b.c'], dst: [{ host: 'tag:x', ports: '1' }], opaque: false, narrowed: false },
    ]);
  });
});
