import { PolicyEditError, quoteForMessage } from './errors';
import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue, findMember } from '../hujson';

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

/** `group:<name>`'s member array (the first, if the key repeats); undefined when the group does not exist. */
export function findGroup(groups: HujsonOutlineObject, name: string): HujsonArray | undefined {
  const group = findMember(groups, GROUP_PREFIX + name);
  if (group === undefined) return undefined;
  if (group.value.kind !== 'array') {
    throw new PolicyEditError(`policy file: groups[${quoteForMessage(GROUP_PREFIX + name)}] must be an array of logins, got ${describe(group.value)}`);
  }
  return group.value;
}

export function requireGroups(root: HujsonOutlineValue): HujsonOutlineObject {
  const groups = groupsObject(root);
  if (groups === undefined) throw new PolicyEditError('policy file: no "groups" section; add "groups": {} to the policy file first');
  return groups;
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
