import { annotationComments, GrantAnnotation } from './annotation';
import { appendEdits } from './append';
import { MissingGroupError, PolicyEditError, quoteForMessage } from './errors';
import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue } from '../hujson';
import { findGroup, GROUP_PREFIX, policyObject, requireGroups } from './groups';
import { containerLayout } from './layout';
import { validateLogin } from './login';
import { MemberEntry, readMembers, sameLogin } from './members';
import { validateExpiry, validateGroupName, validateRequestId } from './names';
import { outlineForGroup } from './outline';
import { appendStyle } from './style';
import { edited, unchanged } from './result';
import { TextEdit } from './text-edits';
import { EditResult, GrantRequest, PolicyChange } from './types';

/**
 * Adds the member to the group with a grant annotation, or extends an existing grant (the later expiry wins).
 * A standing member is left as it is. Throws PolicyInputError for a bad request, HujsonSyntaxError for a file
 * that is not HuJSON, PolicyEditError when the file cannot take the grant.
 */
export function grant(text: string, req: GrantRequest): EditResult {
  const group = validateGroupName(req.group, 'group');
  const member = validateLogin(req.member, 'member');
  const until = validateExpiry(req.until, 'until');
  const requestId = req.requestId === undefined ? undefined : validateRequestId(req.requestId, 'requestId');
  const annotation: GrantAnnotation = requestId === undefined ? { until } : { until, requestId };

  const root = outlineForGroup(text, group);
  const groups = requireGroups(text, root);
  const array = findGroup(text, groups, group);
  if (array === undefined) {
    if (req.createGroup !== true) throw new MissingGroupError(group, 'create it, or allow the grant to create it');
    return createGroup(text, root, groups, group, member, annotation);
  }
  const entries = readMembers(text, array, containerLayout(text, array)).filter((e) => sameLogin(e.login, member));
  if (entries.length === 0) return addMember(text, root, groups, array, group, member, annotation);
  return updateExisting(text, group, entries, annotation);
}

function addMember(
  text: string,
  root: HujsonOutlineValue,
  groups: HujsonOutlineObject,
  array: HujsonArray,
  group: string,
  member: string,
  annotation: GrantAnnotation,
): EditResult {
  const edits = appendEdits(
    text,
    containerLayout(text, array),
    { text: JSON.stringify(member), comment: annotationComments(annotation) },
    appendStyle(text, root, [groups, policyObject(root)]),
  );
  return edited(text, edits, [{ kind: 'added', group, member, ...annotation }], []);
}

function createGroup(
  text: string,
  root: HujsonOutlineValue,
  groups: HujsonOutlineObject,
  group: string,
  member: string,
  annotation: GrantAnnotation,
): EditResult {
  const comment = annotationComments(annotation).block;
  const item = `${JSON.stringify(GROUP_PREFIX + group)}: [${JSON.stringify(member)} ${comment}]`;
  const edits = appendEdits(text, containerLayout(text, groups), { text: item }, appendStyle(text, root, [policyObject(root)]));
  const changes: PolicyChange[] = [
    { kind: 'group-created', group, member },
    { kind: 'added', group, member, ...annotation },
  ];
  return edited(text, edits, changes, []);
}

function updateExisting(text: string, group: string, entries: MemberEntry[], wanted: GrantAnnotation): EditResult {
  const standing = entries.find((e) => e.annotation.kind === 'none');
  if (standing !== undefined) {
    const written = standing.login!;
    return unchanged(text, { kind: 'standing', group, member: written }, [
      `group:${group}: ${quoteForMessage(written)} is a standing member (no symtail annotation); the grant records nothing`,
    ]);
  }
  const granted = entries.filter((e) => e.annotation.kind === 'grant');
  if (granted.length === 0) {
    const malformed = entries[0];
    throw new PolicyEditError(
      `policy file: group:${group} member ${quoteForMessage(malformed.login)} has a malformed symtail annotation ` +
        `${quoteForMessage(malformed.annotation.kind === 'malformed' ? malformed.annotation.body : '')}; fix or remove it by hand`,
    );
  }
  const latest = granted.reduce((a, b) => (untilOf(b) > untilOf(a) ? b : a));
  const written = latest.login!;
  const previousUntil = untilOf(latest);
  if (wanted.until <= previousUntil) {
    const requestId = latest.annotation.kind === 'grant' ? latest.annotation.requestId : undefined;
    return unchanged(text, { kind: 'unchanged', group, member: written, until: previousUntil, ...(requestId ? { requestId } : {}) }, []);
  }
  const comment = latest.comment!;
  const isLine = text.startsWith('//', comment.start);
  const forms = annotationComments(wanted);
  const end = isLine ? comment.start + text.slice(comment.start, comment.end).replace(/\r?\n$/, '').length : comment.end;
  const edit: TextEdit = { start: comment.start, end, insert: isLine ? forms.line : forms.block };
  return edited(text, [edit], [{ kind: 'extended', group, member: written, ...wanted, previousUntil }], []);
}

function untilOf(entry: MemberEntry): string {
  return entry.annotation.kind === 'grant' ? entry.annotation.until : '';
}
