import { standardize } from '../../lib/hujson';

/** How many of `expected` are missing from `group:<group>` in the final policy file (logins compare without case). */
export function countLost(policy: string, group: string, expected: readonly string[]): number {
  const value = JSON.parse(standardize(policy)) as { groups?: Record<string, unknown> };
  const members = value.groups?.[`group:${group}`];
  if (!Array.isArray(members)) throw new Error(`final policy: group:${group} is missing or not an array`);
  const present = new Set(members.map((m) => String(m).toLowerCase()));
  return expected.filter((login) => !present.has(login.toLowerCase())).length;
}
