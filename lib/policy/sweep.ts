import { PolicyInputError } from './errors';
import { allGroups, groupsObject } from './groups';
import { HujsonArray } from '../hujson';
import { containerLayout } from './layout';
import { malformedWarning, readMembers } from './members';
import { validateGroupName } from './names';
import { outlineForAllGroups } from './outline';
import { removeEdits } from './remove';
import { edited } from './result';
import { removal } from './revoke';
import { TextEdit } from './text-edits';
import { EditResult, PolicyChange, SweepOptions } from './types';

/**
 * Removes, in one edit, every member whose grant has expired (`until` at or before `now`), and in exclusive groups
 * every member without an annotation too. Malformed annotations are never treated as expired: they stay, with a warning.
 */
export function sweep(text: string, opts: SweepOptions): EditResult {
  const now = validNow(opts.now);
  const only = opts.groups && new Set(opts.groups.map((g, i) => validateGroupName(g, `groups[${i}]`)));
  const exclusive = new Set((opts.exclusiveGroups ?? []).map((g, i) => validateGroupName(g, `exclusiveGroups[${i}]`)));
  const groups = groupsObject(outlineForAllGroups(text));
  const listed = groups === undefined ? { groups: [], warnings: [] } : allGroups(groups);
  const warnings = [...listed.warnings];
  for (const name of [...(only ?? []), ...exclusive]) {
    if (!listed.groups.some((g) => g.name === name)) warnings.push(`group:${name} does not exist in "groups"; nothing to sweep there`);
  }
  const edits: TextEdit[] = [];
  const changes: PolicyChange[] = [];
  for (const { name, array } of listed.groups) {
    if (only !== undefined && !only.has(name)) continue;
    const swept = sweepGroup(text, name, array, now, exclusive.has(name));
    edits.push(...swept.edits);
    changes.push(...swept.changes);
    warnings.push(...swept.warnings);
  }
  return edited(text, edits, changes, [...new Set(warnings)]);
}

function sweepGroup(text: string, group: string, array: HujsonArray, now: number, exclusive: boolean) {
  const layout = containerLayout(text, array);
  const entries = readMembers(text, array, layout);
  const warnings: string[] = [];
  const due = entries.filter((e) => {
    if (e.annotation.kind === 'malformed') {
      warnings.push(`${malformedWarning(group, e)}; left in place`);
      return false;
    }
    if (e.annotation.kind === 'grant') return Date.parse(e.annotation.until) <= now;
    if (exclusive && e.login === undefined) warnings.push(`group:${group}: element ${e.index} is not a login; left in place`);
    return exclusive && e.login !== undefined;
  });
  const edits = removeEdits(text, layout, new Set(due.map((e) => e.index)));
  return { edits, changes: due.map((e) => removal(group, e)), warnings };
}

function validNow(now: unknown): number {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new PolicyInputError('now', 'a valid date', 'an invalid date');
  return now.getTime();
}
