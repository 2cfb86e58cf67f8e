import { groupMembers, groupProblems } from '../../lib/testing/group-rules';

describe('groupProblems', () => {
  it.each([
    ['no groups section', {}],
    ['empty groups', { groups: {} }],
    ['logins of every kind', { groups: { 'group:eng': ['a@example.com', 'octo@github', 'k@passkey'], 'group:x': [] } }],
  ])('accepts %s', (_name, policy) => {
    expect(groupProblems(policy)).toEqual([]);
  });

  it.each([
    ['groups not an object', { groups: [] }, 'groups: expected an object'],
    ['a key without group:', { groups: { eng: ['a@example.com'] } }, '"eng": group names must start with "group:"'],
    ['a bare group: key', { groups: { 'group:': [] } }, 'group names must start with "group:"'],
    ['a value that is not an array', { groups: { 'group:eng': 'a@example.com' } }, 'expected an array of user logins'],
    ['a member that is not a string', { groups: { 'group:eng': [7] } }, 'member 7 is not a string'],
    ['a group in a group', { groups: { 'group:eng': ['group:ops'] } }, 'contains "group:ops": groups cannot contain groups'],
    ['a tag in a group', { groups: { 'group:eng': ['tag:web'] } }, 'member "tag:web" is not a user login'],
    ['an autogroup in a group', { groups: { 'group:eng': ['autogroup:admin'] } }, '"autogroup:admin" is not a user login'],
  ])('refuses %s', (_name, policy, message) => {
    const problems = groupProblems(policy);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('reports every bad member, not only the first', () => {
    expect(groupProblems({ groups: { 'group:a': ['group:b', 'tag:c'], 'group:d': ['autogroup:e'] } })).toHaveLength(3);
  });
});

describe('groupMembers', () => {
  it('keys groups in lower case and keeps members as written', () => {
    expect(groupMembers({ groups: { 'group:Eng': ['Alice@Example.com'] } })).toEqual(new Map([['group:eng', ['Alice@Example.com']]]));
  });
});
