import { allGroups, groupsObject } from './groups';
import { containerLayout } from './layout';
import { malformedWarning, readMembers } from './members';
import { outlineForAllGroups } from './outline';
import { Grant, GrantListing, StandingMember } from './types';

/** Every granted member (with its expiry) and every standing member, group by group, in file order. */
export function listGrants(text: string, now: Date = new Date()): GrantListing {
  const groups = groupsObject(outlineForAllGroups(text));
  const listed = groups === undefined ? { groups: [], warnings: [] } : allGroups(groups);
  const grants: Grant[] = [];
  const standing: StandingMember[] = [];
  const warnings = [...listed.warnings];
  for (const { name: group, array } of listed.groups) {
    for (const entry of readMembers(text, array, containerLayout(text, array))) {
      const member = entry.login;
      if (member === undefined) {
        warnings.push(`group:${group}: element ${entry.index} is not a login`);
      } else if (entry.annotation.kind === 'grant') {
        const { until, requestId } = entry.annotation;
        const expired = Date.parse(until) <= now.getTime();
        grants.push(requestId === undefined ? { group, member, until, expired } : { group, member, until, requestId, expired });
      } else if (entry.annotation.kind === 'malformed') {
        warnings.push(malformedWarning(group, entry));
      } else {
        standing.push({ group, member });
      }
    }
  }
  return { grants, standing, warnings };
}
