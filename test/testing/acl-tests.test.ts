import fc from 'fast-check';
import { portsInclude, readAclRules, splitHostPorts } from '../../lib/testing/acl-rules';
import { evaluateTests } from '../../lib/testing/acl-tests';

const policy = {
  groups: { 'group:eng': ['Alice@example.com'], 'group:ops': ['carol@example.com'] },
  acls: [
    { action: 'accept', src: ['group:eng'], dst: ['tag:web:80,443', 'db:5432'] },
    { action: 'accept', src: ['bob@example.com'], dst: ['*:22'] },
    { action: 'accept', src: ['*'], dst: ['dns:53'] },
    { action: 'accept', users: ['carol@example.com'], ports: ['monitor:9000-9100'] },
    { action: 'accept', src: ['tag:ci'], dst: ['group:ops:*'] },
  ],
};

function failuresFor(tests: unknown[]) {
  return evaluateTests({ ...policy, tests });
}

describe('evaluateTests', () => {
  it.each([
    ['a group member reaching a port in a list', 'alice@example.com', ['tag:web:443']],
    ['a member matched case-insensitively', 'ALICE@EXAMPLE.COM', ['db:5432']],
    ['a group as the source', 'group:eng', ['tag:web:80']],
    ['a wildcard host', 'bob@example.com', ['anything:22']],
    ['a wildcard source', 'dave@example.com', ['dns:53']],
    ['a range and the legacy users/ports fields', 'carol@example.com', ['monitor:9050']],
    ['a group as the destination', 'tag:ci', ['carol@example.com:8080']],
  ])('passes when access is expected and granted: %s', (_name, src, accept) => {
    expect(failuresFor([{ src, accept }])).toEqual({ problems: [], failures: [] });
  });

  it.each([
    ['a port outside the list', 'alice@example.com', 'tag:web:8080'],
    ['a user outside the group', 'dave@example.com', 'db:5432'],
    ['a port outside the range', 'carol@example.com', 'monitor:9101'],
  ])('fails an expected access that no rule grants: %s', (_name, src, dst) => {
    expect(failuresFor([{ src, accept: [dst] }]).failures).toEqual([
      { user: src, errors: [`${dst}: expected access from ${src}, but no rule allows it`] },
    ]);
  });

  it('fails an expected denial that a rule grants, and reports every failing entry', () => {
    const result = failuresFor([
      { src: 'alice@example.com', accept: ['db:5432'], deny: ['tag:web:443', 'db:22'] },
      { src: 'bob@example.com', deny: ['db:22'] },
    ]);
    expect(result.failures).toEqual([
      { user: 'alice@example.com', errors: ['tag:web:443: expected no access from alice@example.com, but a rule allows it'] },
      { user: 'bob@example.com', errors: ['db:22: expected no access from bob@example.com, but a rule allows it'] },
    ]);
  });

  it.each([
    ['tests not an array', { tests: {} }, 'tests: expected an array'],
    ['a test without src', { tests: [{ accept: ['a:1'] }] }, 'tests[0].src: expected a user, group or tag'],
    ['a destination without a port', { tests: [{ src: 'a@b.c', accept: ['db'] }] }, 'tests[0].accept[0]: expected "host:port"'],
    ['a destination with a port range', { tests: [{ src: 'a@b.c', deny: ['db:1-2'] }] }, 'tests[0].deny[0]'],
    ['acls not an array', { acls: {} }, 'acls: expected an array'],
    ['a rule that is not accept', { acls: [{ action: 'deny', src: ['*'], dst: ['*:*'] }] }, 'acls[0].action'],
    ['a rule without dst', { acls: [{ action: 'accept', src: ['*'] }] }, 'acls[0].dst: expected an array'],
    ['a bad port spec', { acls: [{ action: 'accept', src: ['*'], dst: ['db:http'] }] }, 'acls[0].dst: "db:http"'],
  ])('reports a malformed section instead of evaluating: %s', (_name, override, message) => {
    const result = evaluateTests({ ...policy, ...override });
    expect(result.failures).toEqual([]);
    expect(result.problems.join('\n')).toContain(message);
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
    expect(readAclRules({ acls: [{ action: 'accept', users: ['a@b.c'], ports: ['x:1'] }] })).toEqual({
      rules: [{ src: ['a@b.c'], dst: [{ host: 'x', ports: '1' }] }],
      problems: [],
    });
  });
});
