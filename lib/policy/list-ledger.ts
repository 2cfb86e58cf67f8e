import { quoteForMessage } from './errors';
import { allGroups, editableGroups } from './groups';
import { containerLayout } from './layout';
import { malformedWarning, readMembers } from './members';
import { outlineForAllGroups } from './outline';
import { LedgerEntry, LedgerListing, StandingMember } from './types';

/**
 * Every member of every group, sorted into active, overdue and standing, group by group, in file order. Refuses a file
 * whose `groups` section appears twice (as `"Groups"` and `"groups"`, say): Tailscale would merge the two.
 */
export function listLedger(text: string, now: Date = new Date()): LedgerListing {
  const groups = editableGroups(text, outlineForAllGroups(text));
  const listed = groups === undefined ? { groups: [], warnings: [] } : allGroups(groups);
  const active: LedgerEntry[] = [];
  const overdue: LedgerEntry[] = [];
  const standing: StandingMember[] = [];
  const warnings = [...listed.warnings];
  for (const { name: group, array } of listed.groups) {
    for (const entry of readMembers(text, array, containerLayout(text, array))) {
      const member = entry.login;
      if (member === undefined) {
        warnings.push(`group:${group}: element ${entry.index} is not a login`);
      } else if (entry.annotation.kind === 'grant') {
        const { until, requestId } = entry.annotation;
        const found: LedgerEntry = requestId === undefined ? { group, member, until } : { group, member, until, requestId };
        if (Date.parse(until) <= now.getTime()) {
          overdue.push(found);
          warnings.push(`group:${group}: ${quoteForMessage(member)} is overdue: access ended at ${until} but the member is still present`);
        } else {
          active.push(found);
        }
      } else if (entry.annotation.kind === 'malformed') {
        warnings.push(malformedWarning(group, entry));
      } else {
        standing.push({ group, member });
      }
    }
  }
  return { active, overdue, standing, warnings };
}

/** The request ids the grant annotations of a policy file carry (expired or not), each once. */
export function requestIdsHeld(text: string): string[] {
  const { active, overdue } = listLedger(text);
  return [...new Set([...active, ...overdue].flatMap((g) => (g.requestId === undefined ? [] : [g.requestId])))];
}
