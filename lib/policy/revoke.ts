import { MissingGroupError, quoteForMessage } from './errors';
import { editableGroups, findGroup } from './groups';
import { containerLayout } from './layout';
import { validateLogin } from './login';
import { malformedWarning, MemberEntry, orphanAnnotations, orphanWarning, readMembers, sameLogin } from './members';
import { validateGroupName, validateRequestId } from './names';
import { outlineForGroup } from './outline';
import { removeEdits } from './remove';
import { edited, unchanged } from './result';
import { EditResult, PolicyChange, RevokeRequest } from './types';

/**
 * Removes the member's granted entries from the group, each with the comments it owns (its annotation and any
 * note beside it, see `trailOwners`), and the array's orphan annotations (see `orphanAnnotations`), and nothing else.
 * A standing member, or one whose annotation is malformed, stays (with a warning); an absent member is a no-op
 * with a warning.
 */
export function revoke(text: string, req: RevokeRequest): EditResult {
  const group = validateGroupName(req.group, 'group');
  const member = validateLogin(req.member, 'member');
  const requestId = req.requestId === undefined ? undefined : validateRequestId(req.requestId, 'requestId');
  const groups = editableGroups(text, outlineForGroup(text, group));
  const array = groups && findGroup(text, groups, group);
  if (array === undefined) throw new MissingGroupError(group, 'nothing to revoke; check the group name', groups === undefined);
  const layout = containerLayout(text, array);
  const entries = readMembers(text, array, layout).filter((e) => sameLogin(e.login, member));
  const where = `group:${group}`;
  if (entries.length === 0) {
    return unchanged(text, undefined, [`${where}: ${quoteForMessage(member)} is not a member; nothing to revoke`]);
  }
  const allGranted = entries.filter((e) => e.annotation.kind === 'grant');
  const granted = requestId === undefined ? allGranted : allGranted.filter((e) => e.annotation.kind === 'grant' && e.annotation.requestId === requestId);
  const standing = entries.find((e) => e.annotation.kind === 'none');
  const warnings = entries.filter((e) => e.annotation.kind === 'malformed').map((e) => `${malformedWarning(group, e)}; left in place`);
  if (granted.length < allGranted.length) warnings.push(`${where}: ${quoteForMessage(member)} holds the grant of another request; left in place`);
  if (standing) warnings.push(`${where}: ${quoteForMessage(standing.login)} is a standing member (no symtail annotation); left in place`);
  if (granted.length === 0) {
    return unchanged(text, standing && { kind: 'standing', group, member: standing.login! }, warnings);
  }
  const orphans = orphanAnnotations(text, layout);
  for (const orphan of orphans) warnings.push(orphanWarning(text, group, orphan));
  const edits = removeEdits(text, layout, new Set(granted.map((e) => e.index)), orphans);
  return edited(
    text,
    edits,
    granted.map((e) => removal(group, e)),
    warnings,
  );
}

export function removal(group: string, entry: MemberEntry): PolicyChange {
  const base = { kind: 'removed' as const, group, member: entry.login! };
  if (entry.annotation.kind !== 'grant') return base;
  const { until, requestId } = entry.annotation;
  return requestId === undefined ? { ...base, until } : { ...base, until, requestId };
}
