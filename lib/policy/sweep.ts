import { PolicyInputError, quoteForMessage } from './errors';
import { allGroups, editableGroups, GROUP_PREFIX, refuseDuplicateKeys } from './groups';
import { HujsonArray } from '../hujson';
import { containerLayout } from './layout';
import { malformedWarning, MemberEntry, orphanAnnotations, orphanWarning, readMembers } from './members';
import { validateGroupName } from './names';
import { outlineForAllGroups } from './outline';
import { removeEdits } from './remove';
import { edited } from './result';
import { removal } from './revoke';
import { TextEdit } from './text-edits';
import { EditResult, PolicyChange, SweepOptions } from './types';

/**
 * Removes, in one edit, every member whose grant has expired (`until` at or before `now`) or ends past now plus the
 * group's longest grant (`longestSeconds`), and in exclusive groups every member without a readable annotation too.
 * Elsewhere a malformed annotation is never treated as expired: it stays, with a warning. An array it removes
 * members from also loses its orphan annotations (see `orphanAnnotations`).
 */
export function sweep(text: string, opts: SweepOptions): EditResult {
  const now = validNow(opts.now);
  const only = opts.groups && new Set(opts.groups.map((g, i) => validateGroupName(g, `groups[${i}]`)));
  const exclusive = new Set((opts.exclusiveGroups ?? []).map((g, i) => validateGroupName(g, `exclusiveGroups[${i}]`)));
  const longest = validLongest(opts.longestSeconds ?? {});
  const groups = editableGroups(text, outlineForAllGroups(text));
  if (groups !== undefined) refuseDuplicateKeys(text, groups, (key) => (key.startsWith(GROUP_PREFIX) ? key : undefined), ' in "groups"');
  const listed = groups === undefined ? { groups: [], warnings: [] } : allGroups(groups);
  const warnings = [...listed.warnings];
  for (const name of [...(only ?? []), ...exclusive]) {
    if (!listed.groups.some((g) => g.name === name)) warnings.push(`group:${name} does not exist in "groups"; nothing to sweep there`);
  }
  const edits: TextEdit[] = [];
  const changes: PolicyChange[] = [];
  for (const { name, array } of listed.groups) {
    if (only !== undefined && !only.has(name)) continue;
    const latest = longest.has(name) ? now + longest.get(name)! * 1000 : Infinity;
    const swept = sweepGroup(text, name, array, { now, latest, exclusive: exclusive.has(name) });
    // Loops, not spread arguments: a group may hold more removals than a call may take arguments.
    for (const e of swept.edits) edits.push(e);
    for (const c of swept.changes) changes.push(c);
    for (const w of swept.warnings) warnings.push(w);
  }
  return edited(text, edits, changes, [...new Set(warnings)]);
}

interface GroupRule {
  readonly now: number;
  /** No annotation may end later than this (ms); Infinity when the group has no longest grant. */
  readonly latest: number;
  readonly exclusive: boolean;
}

function sweepGroup(text: string, group: string, array: HujsonArray, rule: GroupRule) {
  const layout = containerLayout(text, array);
  const warnings: string[] = [];
  const changes: PolicyChange[] = [];
  const due = new Set<number>();
  for (const e of readMembers(text, array, layout)) {
    const reason = dueReason(e, rule);
    if (reason === 'keep') {
      if (e.annotation.kind === 'malformed') warnings.push(`${malformedWarning(group, e)}; left in place`);
      if (rule.exclusive && e.login === undefined) warnings.push(`group:${group}: element ${e.index} is not a login; left in place`);
      continue;
    }
    due.add(e.index);
    const change = removal(group, e);
    if (reason === 'due') {
      changes.push(change);
    } else {
      changes.push({ ...change, reason });
      warnings.push(
        reason === 'past-longest'
          ? `group:${group}: ${quoteForMessage(e.login)} removed: its annotation ends at ${change.until}, later than any grant to this group can last`
          : `${malformedWarning(group, e)}; removed, as group:${group} is exclusive`,
      );
    }
  }
  // An array the sweep edits loses its orphan annotations too; one it leaves alone keeps its bytes.
  const orphans = due.size === 0 ? [] : orphanAnnotations(text, layout);
  for (const orphan of orphans) warnings.push(orphanWarning(text, group, orphan));
  return { edits: removeEdits(text, layout, due, orphans), changes, warnings };
}

function dueReason(e: MemberEntry, rule: GroupRule): 'keep' | 'due' | 'past-longest' | 'malformed-annotation' {
  if (e.annotation.kind === 'grant') {
    const until = Date.parse(e.annotation.until);
    if (until <= rule.now) return 'due';
    return until > rule.latest ? 'past-longest' : 'keep';
  }
  if (!rule.exclusive || e.login === undefined) return 'keep';
  return e.annotation.kind === 'malformed' ? 'malformed-annotation' : 'due';
}

function validLongest(longest: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(
    Object.entries(longest).map(([group, seconds]) => {
      const name = validateGroupName(group, 'longestSeconds');
      if (!Number.isSafeInteger(seconds) || seconds <= 0)
        throw new PolicyInputError(`longestSeconds["${name}"]`, 'a positive whole number of seconds', String(seconds));
      return [name, seconds];
    }),
  );
}

function validNow(now: unknown): number {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new PolicyInputError('now', 'a valid date', 'an invalid date');
  return now.getTime();
}
