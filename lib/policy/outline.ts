import { HujsonOutlineValue, HujsonSelection, parseHujsonOutline } from '../hujson';
import { GROUP_PREFIX } from './groups';

// Edits check the whole file, as parseHujson would, but build only what they read: a large file's other sections
// would otherwise become a tree far bigger than the file, costing more to build and collect than the edit itself.

const ALL_GROUPS: HujsonSelection = new Map([['groups', true]]);

/** The policy file with its top-level names, the names in "groups", and the member array of `group:<name>`. */
export function outlineForGroup(text: string, name: string): HujsonOutlineValue {
  return parseHujsonOutline(text, new Map([['groups', new Map([[GROUP_PREFIX + name, true]])]]));
}

/** The policy file with its top-level names and all of "groups". */
export function outlineForAllGroups(text: string): HujsonOutlineValue {
  return parseHujsonOutline(text, ALL_GROUPS);
}
