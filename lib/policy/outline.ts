import { HujsonOutlineValue, HujsonSelection, HujsonSelector, namesField, parseHujsonOutline } from '../hujson';
import { GROUP_PREFIX, GROUPS_KEY } from './groups';

// Edits check the whole file, as parseHujson would, but build only what they read: a large file's other sections
// would otherwise become a tree far bigger than the file, costing more to build and collect than the edit itself.

/** Builds the top-level `groups` section, whatever the case of its key (`"Groups"` too), as `inside` says. */
function groupsSection(inside: HujsonSelection): HujsonSelector {
  return { get: (name) => (namesField(name, GROUPS_KEY) ? inside : undefined) };
}

const ALL_GROUPS = groupsSection(true);

/** The policy file with its top-level names, the names in "groups", and the member array of `group:<name>`. */
export function outlineForGroup(text: string, name: string): HujsonOutlineValue {
  return parseHujsonOutline(text, groupsSection(new Map([[GROUP_PREFIX + name, true]])));
}

/** The policy file with its top-level names and all of "groups". */
export function outlineForAllGroups(text: string): HujsonOutlineValue {
  return parseHujsonOutline(text, ALL_GROUPS);
}
