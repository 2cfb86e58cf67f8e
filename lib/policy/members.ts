import { AnnotationReading, isSymtailComment, readAnnotation } from './annotation';
import { quoteForMessage } from './errors';
import { HujsonArray } from '../hujson';
import { CommentSpan } from '../hujson';
import { ContainerLayout, lastLineBreakIn, lineBreakIn } from './layout';

/** One element of a group array, as the grant ledger reads it. */
export interface MemberEntry {
  readonly index: number;
  /** The login as written; undefined when the element is not a string. */
  readonly login: string | undefined;
  /** The annotation comment, when the element has one (valid or malformed). */
  readonly comment?: CommentSpan;
  readonly annotation: AnnotationReading;
}

/** How the comments after an element divide: the first `own` are the element's, the last `next` the next element's. */
export interface TrailOwners {
  readonly own: number;
  readonly next: number;
}

/**
 * Which element owns each comment after element `index` (up to the next element); both reading and removing go
 * by this. A comment after an element on its line is that element's, except that a comment after the comma that
 * shares its line with the next element is the next element's. Comments on lines of their own are the array's,
 * as are comments after the opening bracket: no removal takes them, and none can come to trail an element.
 */
export function trailOwners(text: string, layout: ContainerLayout, index: number): TrailOwners {
  const { comma, comments, end } = layout.trails[index];
  const hasNext = index < layout.items.length - 1;
  // Line breaks anywhere count, inside block comments too: a comment that spans lines ends the element's line.
  const firstBreak = lineBreakIn(text, layout.items[index].end, end, []);
  const lastBreak = lastLineBreakIn(text, layout.items[index].end, end, []);
  let own = 0;
  let next = 0;
  for (const comment of comments) {
    if (hasNext && comma !== undefined && comment.start > comma && comment.start > lastBreak) next++;
    else if (firstBreak < 0 || comment.start < firstBreak) own++;
  }
  return { own, next };
}

/** Reads every element with its annotation: the first `symtail:` comment among those it owns after it. */
export function readMembers(text: string, array: HujsonArray, layout: ContainerLayout): MemberEntry[] {
  return array.elements.map((element, index) => {
    const login = element.kind === 'string' ? element.value : undefined;
    const { own } = trailOwners(text, layout, index);
    for (const comment of layout.trails[index].comments.slice(0, own)) {
      const annotation = readAnnotation(text.slice(comment.start, comment.end));
      if (annotation.kind !== 'none') return { index, login, comment, annotation };
    }
    return { index, login, annotation: { kind: 'none' } };
  });
}

/**
 * Comments between the brackets that read as annotations (valid or malformed) but are no element's: after the opening
 * bracket, on lines of their own, or after a comma that starts its line. Canonical formatting can hand such a
 * comment to a neighbour once an edit has moved things around it, so an edit of the array drops them:
 *
 *   ["a@x.io"                                          ["a@x.io"
 *   ,"b@x.io" // symtail: until=2099-…     revoke(b)   ,// symtail: until=2020-…   format: "a@x.io", // symtail: until=2020-…
 *   ,// symtail: until=2020-…                ──►        ]                           (a standing member read as overdue)
 *   ]
 */
export function orphanAnnotations(text: string, layout: ContainerLayout): CommentSpan[] {
  const isAnnotation = (c: CommentSpan) => isSymtailComment(text, c.start);
  const orphans = layout.leadingComments.filter(isAnnotation);
  layout.trails.forEach((trail, i) => {
    const { own, next } = trailOwners(text, layout, i);
    trail.comments.forEach((c, k) => {
      if (k >= own && k < trail.comments.length - next && isAnnotation(c)) orphans.push(c);
    });
  });
  return orphans;
}

/** The warning an edit gives for each orphan annotation it drops. */
export function orphanWarning(text: string, group: string, orphan: CommentSpan): string {
  const body = text
    .slice(orphan.start, orphan.end)
    .replace(/^\/[/*]|\*\/$/g, '')
    .trim();
  return `group:${group}: dropped ${quoteForMessage(body)}, a symtail annotation that belonged to no member`;
}

/** Logins compare case-insensitively; the file keeps the case it was written in. */
export function sameLogin(written: string | undefined, login: string): boolean {
  return written !== undefined && written.toLowerCase() === login.toLowerCase();
}

/** What the ledger says of a member whose `symtail:` comment it cannot read. */
export function malformedWarning(group: string, entry: MemberEntry): string {
  return `group:${group}: ${quoteForMessage(entry.login)} has a malformed symtail annotation`;
}
