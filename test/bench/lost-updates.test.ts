import { countLost } from '../../scripts/bench/lost-updates';

const policy = (members: string) => `// a policy\n{\n\t"groups": {\n\t\t"group:prod": [${members}],\n\t},\n}\n`;

describe('countLost', () => {
  it.each([
    ['all present', '"a@example.com", "b@example.com"', ['a@example.com', 'b@example.com'], 0],
    ['one missing', '"a@example.com"', ['a@example.com', 'b@example.com'], 1],
    ['present in another case', '"A@Example.com" /* symtail: until=2026-01-01T00:00:00Z */', ['a@example.com'], 0],
    ['extra members do not count', '"a@example.com", "z@example.com",', ['a@example.com'], 0],
    ['empty group', '', ['a@example.com', 'b@example.com', 'c@example.com'], 3],
  ])('%s', (_, members, expected, lost) => {
    expect(countLost(policy(members), 'prod', expected)).toBe(lost);
  });

  it('refuses a policy without the group, naming it', () => {
    expect(() => countLost(policy(''), 'staging', ['a@example.com'])).toThrow('final policy: group:staging is missing or not an array');
  });
});
