import { annotationComments, GrantAnnotation } from './annotation';
import { appendEdits } from './append';
import { groupsSectionFix, MissingGroupError, PolicyEditError, quoteForMessage } from './errors';
import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue } from '../hujson';
import { editableGroups, findGroup, GROUP_PREFIX, groupsObject, policyObject } from './groups';
import { groupsSectionEdits } from './groups-section';
import { containerLayout } from './layout';
import { validateLogin } from './login';
import { MemberEntry, orphanAnnotations, orphanWarning, readMembers, sameLogin } from './members';
import { validateExpiry, validateGroupName, validateRequestId } from './names';
import { outlineForGroup } from './outline';
import { removeEdits } from './remove';
import { appendStyle } from './style';
import { edited, unchanged } from './result';
import { applyEdits, TextEdit } from './text-edits';
import { EditResult, GrantRequest, PolicyChange } from './types';

/** How a grant may go ahead where the group is missing: `createGroup`, which the CLI spells `--create-group`. */
const CREATE_HINT = 'set createGroup to let the grant create it';

/**
 * Adds the member to the group with a grant annotation, or extends an existing grant (the later expiry wins).
 * A standing member is left as it is. With `createGroup`, a missing group is created, and a missing `groups`
 * section too. An array the grant edits loses its orphan annotations (see `orphanAnnotations`). Throws
 * PolicyInputError for a bad request, HujsonSyntaxError for a file that is not HuJSON, PolicyEditError when the file
 * cannot take the grant.
 */
export function grant(text: string, req: GrantRequest): EditResult {
  const group = validateGroupName(req.group, 'group');
  const member = validateLogin(req.member, 'member');
  const until = validateExpiry(req.until, 'until');
  const requestId = req.requestId === undefined ? undefined : validateRequestId(req.requestId, 'requestId');
  const annotation: GrantAnnotation = requestId === undefined ? { until } : { until, requestId };

  const root = outlineForGroup(text, group);
  const groups = editableGroups(text, root);
  if (groups === undefined) {
    if (req.createGroup !== true) throw new MissingGroupError(group, `${groupsSectionFix(group)}, or ${CREATE_HINT}`, true);
    return createGroupsSection(text, root, group, member, annotation);
  }
  const array = findGroup(text, groups, group);
  if (array === undefined) {
    if (req.createGroup !== true) throw new MissingGroupError(group, `create it, or ${CREATE_HINT}`);
    return createGroup(text, root, groups, group, member, annotation);
  }
  const result = grantIn({ text, root, groups, array }, group, member, annotation);
  const orphans = result.changed ? orphanAnnotations(text, containerLayout(text, array)) : [];
  if (orphans.length === 0) return result;
  // Dropped first, then the grant made again on what is left: the grant's own edits may sit beside an orphan's.
  const cleaned = applyEdits(text, removeEdits(text, containerLayout(text, array), new Set(), orphans));
  const cleanedRoot = outlineForGroup(cleaned, group);
  const cleanedGroups = groupsObject(cleanedRoot)!;
  const site = { text: cleaned, root: cleanedRoot, groups: cleanedGroups, array: findGroup(cleaned, cleanedGroups, group)! };
  const again = grantIn(site, group, member, annotation);
  return { ...again, warnings: [...orphans.map((o) => orphanWarning(text, group, o)), ...again.warnings] };
}

/** Where a grant goes in a file: its outline, its `groups` object and the group's member array. */
interface GrantSite {
  readonly text: string;
  readonly root: HujsonOutlineValue;
  readonly groups: HujsonOutlineObject;
  readonly array: HujsonArray;
}

/** The grant in an existing group's array: a new member, or an existing member's grant extended. */
function grantIn(site: GrantSite, group: string, member: string, annotation: GrantAnnotation): EditResult {
  const entries = readMembers(site.text, site.array, containerLayout(site.text, site.array)).filter((e) => sameLogin(e.login, member));
  if (entries.length === 0) return addMember(site, group, member, annotation);
  return updateExisting(site.text, group, entries, annotation);
}

function addMember({ text, root, groups, array }: GrantSite, group: string, member: string, annotation: GrantAnnotation): EditResult {
  const edits = appendEdits(
    text,
    containerLayout(text, array),
    { text: JSON.stringify(member), comment: annotationComments(annotation) },
    appendStyle(text, root, [groups, policyObject(root)]),
  );
  return edited(text, edits, [{ kind: 'added', group, member, ...annotation }], []);
}

/** `"group:<group>": ["<member>" /* symtail: … *\/]`: a new group, holding the granted member. */
function newGroupEntry(group: string, member: string, annotation: GrantAnnotation): string {
  return `${JSON.stringify(GROUP_PREFIX + group)}: [${JSON.stringify(member)} ${annotationComments(annotation).block}]`;
}

function created(group: string, member: string, annotation: GrantAnnotation): PolicyChange[] {
  return [
    { kind: 'group-created', group, member },
    { kind: 'added', group, member, ...annotation },
  ];
}

function createGroup(
  text: string,
  root: HujsonOutlineValue,
  groups: HujsonOutlineObject,
  group: string,
  member: string,
  annotation: GrantAnnotation,
): EditResult {
  const item = newGroupEntry(group, member, annotation);
  const edits = appendEdits(text, containerLayout(text, groups), { text: item }, appendStyle(text, root, [policyObject(root)]));
  return edited(text, edits, created(group, member, annotation), []);
}

/** A file without a `groups` section (Tailscale's default policy file, for one) gets one, holding the new group. */
function createGroupsSection(text: string, root: HujsonOutlineValue, group: string, member: string, annotation: GrantAnnotation): EditResult {
  const edits = groupsSectionEdits(text, root, policyObject(root), newGroupEntry(group, member, annotation));
  return edited(text, edits, created(group, member, annotation), []);
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
