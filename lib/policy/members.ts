import { AnnotationReading, readAnnotation } from './annotation';
import { quoteForMessage } from './errors';
import { HujsonArray } from './hujson';
import { CommentSpan } from './hujson/scanner';
import { ContainerLayout } from './layout';

/** One element of a group array, as the grant ledger reads it. */
export interface MemberEntry {
  readonly index: number;
  /** The login as written; undefined when the element is not a string. */
  readonly login: string | undefined;
  /** The annotation comment, when the element has one (valid or malformed). */
  readonly comment?: CommentSpan;
  readonly annotation: AnnotationReading;
}

/**
 * Reads every element with its annotation: the first `symtail` comment after the element, on the same line.
 * A comment after the comma that shares its line with the next element belongs to that element, not this one.
 */
export function readMembers(text: string, array: HujsonArray, layout: ContainerLayout): MemberEntry[] {
  return array.elements.map((element, index) => {
    const login = element.kind === 'string' ? element.value : undefined;
    const trail = layout.trails[index];
    const nextOnSameLine = (after: number) => index < array.elements.length - 1 && !text.slice(after, trail.end).includes('\n');
    for (const comment of trail.comments) {
      if (text.slice(element.end, comment.start).includes('\n')) break;
      if (trail.comma !== undefined && comment.start > trail.comma && nextOnSameLine(comment.start)) break;
      const annotation = readAnnotation(text.slice(comment.start, comment.end));
      if (annotation.kind !== 'none') return { index, login, comment, annotation };
    }
    return { index, login, annotation: { kind: 'none' } };
  });
}

/** Logins compare case-insensitively; the file keeps the case it was written in. */
export function sameLogin(written: string | undefined, login: string): boolean {
  return written !== undefined && written.toLowerCase() === login.toLowerCase();
}

/** What the ledger says of a member whose `symtail:` comment it cannot read. */
export function malformedWarning(group: string, entry: MemberEntry): string {
  return `group:${group}: ${quoteForMessage(entry.login)} has a malformed symtail annotation`;
}
