import { PolicyEditError, quoteForMessage } from './errors';
import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue, LineIndex, findMember, membersNamed, namesField } from '../hujson';

export const GROUP_PREFIX = 'group:';
/** The section's key as symtail writes it; Tailscale reads it in any case (`"Groups"`), and so does symtail. */
export const GROUPS_KEY = 'groups';

/** The top-level `groups` object, its key in any case (the first, if the key repeats). */
export function groupsObject(root: HujsonOutlineValue): HujsonOutlineObject | undefined {
  const policy = policyObject(root);
  const groups = membersNamed(policy, GROUPS_KEY)[0];
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

/**
 * `group:<name>`'s member array, to edit; undefined when the group does not exist. Refuses a key that repeats. Group
 * names are keys of a map, not fields, so they are matched exactly.
 */
export function findGroup(text: string, groups: HujsonOutlineObject, name: string): HujsonArray | undefined {
  refuseDuplicateKeys(text, groups, (key) => (key === GROUP_PREFIX + name ? key : undefined), ' in "groups"');
  const group = findMember(groups, GROUP_PREFIX + name);
  if (group === undefined) return undefined;
  if (group.value.kind !== 'array') {
    throw new PolicyEditError(`policy file: groups[${quoteForMessage(GROUP_PREFIX + name)}] must be an array of logins, got ${describe(group.value)}`);
  }
  return group.value;
}

/**
 * The `groups` object (its key in any case), to read or edit, if there is one; refuses a file where it appears twice,
 * `"Groups"` and `"groups"` included.
 */
export function editableGroups(text: string, root: HujsonOutlineValue): HujsonOutlineObject | undefined {
  refuseDuplicateKeys(text, policyObject(root), (key) => (namesField(key, GROUPS_KEY) ? GROUPS_KEY : undefined), '');
  return groupsObject(root);
}

/**
 * Refuses an object where two keys are one: `identity` says which key a name is (undefined: one that does not
 * matter). Readers disagree on which one counts (look-ups here take the first; Tailscale, reading JSON as Go does,
 * keeps the last or merges the two), so no reading or edit of either can be right.
 */
export function refuseDuplicateKeys(text: string, object: HujsonOutlineObject, identity: (key: string) => string | undefined, where: string): void {
  const first = new Map<string, { written: string; at: number }>();
  for (const { name } of object.members) {
    const key = identity(name.value);
    if (key === undefined) continue;
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, { written: name.value, at: name.start });
      continue;
    }
    const index = new LineIndex(text);
    const [a, b] = [index.lineAt(seen.at), index.lineAt(name.start)];
    const lines = a === b ? `both on line ${a}` : `on lines ${a} and ${b}`;
    const what =
      seen.written === name.value
        ? `${quoteForMessage(name.value)} appears twice${where}`
        : `${quoteForMessage(seen.written)} and ${quoteForMessage(name.value)}${where} are one key to Tailscale, which reads keys in any case`;
    throw new PolicyEditError(
      `policy file: ${what}, ${lines}; readers disagree on which one counts, so the file is neither read nor edited: merge them into one by hand`,
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
