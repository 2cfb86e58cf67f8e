import { PolicyEditError, quoteForMessage } from './errors';
import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue, LineIndex, findMember } from '../hujson';

export const GROUP_PREFIX = 'group:';

/** The top-level `groups` object (the first, if the key repeats). */
export function groupsObject(root: HujsonOutlineValue): HujsonOutlineObject | undefined {
  const policy = policyObject(root);
  const groups = findMember(policy, 'groups');
  if (groups === undefined) return undefined;
  if (groups.value.kind !== 'object') {
    throw new PolicyEditError(`policy file: "groups" must be an object of "group:<name>": [logins], got ${describe(groups.value)}`);
  }
  return groups.value;
}

export function policyObject(root: HujsonOutlineValue): HujsonOutlineObject {
  if (root.kind !== 'object') throw new PolicyEditError(`policy file: expected an object at the top level, got ${describe(root)}`);
  return root;
}

/** `group:<name>`'s member array, to edit; undefined when the group does not exist. Refuses a key that repeats. */
export function findGroup(text: string, groups: HujsonOutlineObject, name: string): HujsonArray | undefined {
  refuseDuplicateKeys(text, groups, (key) => key === GROUP_PREFIX + name, ' in "groups"');
  const group = findMember(groups, GROUP_PREFIX + name);
  if (group === undefined) return undefined;
  if (group.value.kind !== 'array') {
    throw new PolicyEditError(`policy file: groups[${quoteForMessage(GROUP_PREFIX + name)}] must be an array of logins, got ${describe(group.value)}`);
  }
  return group.value;
}

/** The `groups` object, to edit. Refuses a file without one, or with two. */
export function requireGroups(text: string, root: HujsonOutlineValue): HujsonOutlineObject {
  const groups = editableGroups(text, root);
  if (groups === undefined) throw new PolicyEditError('policy file: no "groups" section; add "groups": {} to the policy file first');
  return groups;
}

/** The `groups` object, to edit, if there is one; refuses a file where it appears twice. */
export function editableGroups(text: string, root: HujsonOutlineValue): HujsonOutlineObject | undefined {
  refuseDuplicateKeys(text, policyObject(root), (key) => key === 'groups', '');
  return groupsObject(root);
}

/**
 * Refuses to edit an object where a key that `matters` appears twice. Readers disagree on which one counts (look-ups
 * here take the first; a reader where the last wins would not see an edit of the first), so no edit can be right.
 */
export function refuseDuplicateKeys(text: string, object: HujsonOutlineObject, matters: (key: string) => boolean, where: string): void {
  const firstAt = new Map<string, number>();
  for (const { name } of object.members) {
    if (!matters(name.value)) continue;
    const seen = firstAt.get(name.value);
    if (seen === undefined) {
      firstAt.set(name.value, name.start);
      continue;
    }
    const index = new LineIndex(text);
    const [a, b] = [index.lineAt(seen), index.lineAt(name.start)];
    const lines = a === b ? `both on line ${a}` : `on lines ${a} and ${b}`;
    throw new PolicyEditError(
      `policy file: ${quoteForMessage(name.value)} appears twice${where}, ${lines}; ` +
        'readers disagree on which one counts, so the file is not edited: merge them into one by hand',
    );
  }
}

/** Every `group:*` member array, first occurrence of each name; warnings for what cannot be read as a group. */
export function allGroups(groups: HujsonOutlineObject): { groups: { name: string; array: HujsonArray }[]; warnings: string[] } {
  const seen = new Set<string>();
  const out: { name: string; array: HujsonArray }[] = [];
  const warnings: string[] = [];
  for (const { name, value } of groups.members) {
    const key = name.value;
    if (!key.startsWith(GROUP_PREFIX)) continue;
    if (seen.has(key)) {
      warnings.push(`${quoteForMessage(key)} appears more than once in "groups"; only the first is used`);
      continue;
    }
    seen.add(key);
    if (value.kind !== 'array') warnings.push(`${quoteForMessage(key)} is not an array; skipped`);
    else out.push({ name: key.slice(GROUP_PREFIX.length), array: value });
  }
  return { groups: out, warnings };
}

function describe(node: HujsonOutlineValue): string {
  const kind = node.kind === 'skipped' ? node.valueKind : node.kind;
  return kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`;
}
