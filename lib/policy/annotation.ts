import { formatExpiry, isRequestId } from './names';

/** The grant a member's annotation comment records. */
export interface GrantAnnotation {
  /** ISO 8601, whole seconds, `Z`. */
  readonly until: string;
  readonly requestId?: string;
}

/** What a comment says about the member before it. */
export type AnnotationReading =
  { readonly kind: 'none' } | ({ readonly kind: 'grant' } & GrantAnnotation) | { readonly kind: 'malformed'; readonly body: string };

/** Exactly `symtail:` after the opener and optional spaces: other comments that mention symtail are a person's notes. */
const MARKER = /^[ \t]*symtail:/;
const ANNOTATION = /^symtail:[ \t]+until=(\S+)(?:[ \t]+req=(\S+))?$/;
const EXPIRY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The annotation body, e.g. `symtail: until=2026-11-23T18:00:00Z req=r-123`. */
function annotationBody(grant: GrantAnnotation): string {
  return `symtail: until=${grant.until}${grant.requestId === undefined ? '' : ` req=${grant.requestId}`}`;
}

/** The annotation as a line comment (multi-line arrays) and as a block comment (one-line arrays). */
export function annotationComments(grant: GrantAnnotation): { line: string; block: string } {
  const body = annotationBody(grant);
  return { line: `// ${body}`, block: `/* ${body} */` };
}

/**
 * Whether the comment that starts at `start` is a symtail one (an annotation, valid or malformed), read in place:
 * `readAnnotation` would not answer `none`. Cheap enough for arrays of many thousand comments.
 */
export function isSymtailComment(text: string, start: number): boolean {
  let at = start + 2;
  while (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) at++;
  return text.startsWith('symtail:', at);
}

/** Reads a whole comment, `//…` (its line break excluded) or `/*…*\/`. */
export function readAnnotation(comment: string): AnnotationReading {
  const inside = comment.startsWith('//') ? comment.slice(2) : comment.slice(2, -2);
  if (!MARKER.test(inside)) return { kind: 'none' };
  const body = inside.trim();
  const m = ANNOTATION.exec(body);
  if (m === null || !isExpiry(m[1]) || (m[2] !== undefined && !isRequestId(m[2]))) return { kind: 'malformed', body };
  return m[2] === undefined ? { kind: 'grant', until: m[1] } : { kind: 'grant', until: m[1], requestId: m[2] };
}

function isExpiry(text: string): boolean {
  if (!EXPIRY.test(text)) return false;
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && formatExpiry(date) === text;
}
