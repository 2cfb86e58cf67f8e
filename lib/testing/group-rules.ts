import { namesField } from '../hujson';

const NOT_A_LOGIN = /^(group|tag|autogroup):/;

/** Every `groups` section's value, its key in any case, as Tailscale (Go's `encoding/json`) reads and merges them. */
function groupsSections(policy: Record<string, unknown>): unknown[] {
  return Object.keys(policy)
    .filter((key) => namesField(key, 'groups'))
    .map((key) => policy[key]);
}

/** What Tailscale refuses in `groups`: wrong keys, non-array values, and members that are not user logins. */
export function groupProblems(policy: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const groups of groupsSections(policy)) {
    if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) problems.push('groups: expected an object of "group:<name>": [logins]');
    else problems.push(...memberProblems(groups as Record<string, unknown>));
  }
  return problems;
}

function memberProblems(groups: Record<string, unknown>): string[] {
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
  const sections = groupsSections(policy) as Record<string, string[]>[];
  return new Map(sections.flatMap((groups) => Object.entries(groups)).map(([name, members]) => [name.toLowerCase(), members]));
}
