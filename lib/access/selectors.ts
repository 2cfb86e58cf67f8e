/**
 * Selectors that reach every user of the tailnet, and so every member of any group, most specific first.
 * Roles (`autogroup:admin`, …), tags, hosts and logins do not follow from group membership.
 */
const EVERY_USER = ['autogroup:member', 'autogroup:danger-all', '*'] as const;

/**
 * The selector among `selectors` through which membership of `group` (`group:<name>`) reaches a rule: the group
 * itself when named, else the narrowest selector for every user; undefined when none does.
 */
export function selectorReaching(selectors: readonly string[], group: string): string | undefined {
  if (selectors.includes(group)) return group;
  return EVERY_USER.find((s) => selectors.includes(s));
}
