const NOT_A_LOGIN = /^(group|tag|autogroup):/;

/** What Tailscale refuses in `groups`: wrong keys, non-array values, and members that are not user logins. */
export function groupProblems(policy: Record<string, unknown>): string[] {
  if (!('groups' in policy)) return [];
  const groups = policy.groups;
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) {
    return ['groups: expected an object of "group:<name>": [logins]'];
  }
  const problems: string[] = [];
  for (const [name, members] of Object.entries(groups)) {
    if (!/^group:[^\s:]+$/.test(name)) {
      problems.push(`groups: ${JSON.stringify(name)}: group names must start with "group:"`);
      continue;
    }
    if (!Array.isArray(members)) {
      problems.push(`groups: ${JSON.stringify(name)}: expected an array of user logins`);
      continue;
    }
    for (const member of members) {
      if (typeof member !== 'string') {
        problems.push(`groups: ${JSON.stringify(name)}: member ${JSON.stringify(member)} is not a string`);
      } else if (member.startsWith('group:')) {
        problems.push(`groups: ${JSON.stringify(name)} contains ${JSON.stringify(member)}: groups cannot contain groups`);
      } else if (NOT_A_LOGIN.test(member)) {
        problems.push(`groups: ${JSON.stringify(name)}: member ${JSON.stringify(member)} is not a user login`);
      }
    }
  }
  return problems;
}

/** Group → members as written, for expanding `group:` references; assumes `groupProblems` found nothing. */
export function groupMembers(policy: Record<string, unknown>): Map<string, string[]> {
  const groups = (policy.groups ?? {}) as Record<string, string[]>;
  return new Map(Object.entries(groups).map(([name, members]) => [name.toLowerCase(), members]));
}
