import { CommentSpan } from './hujson/scanner';
import { ContainerLayout, lineBreakIn, lineStartOf, startsLine } from './layout';
import { deleteRange, TextEdit } from './text-edits';

/**
 * Edits that remove the items at `indices`, each with its own comment (`ownComment`) and nothing else.
 * Items alone on their lines go with their whole line; otherwise items go with their comma and the whitespace
 * after it. Trailing-comma style is kept. Every edit falls inside the container's brackets.
 */
export function removeEdits(
  text: string,
  c: ContainerLayout,
  indices: ReadonlySet<number>,
  ownComment: (index: number) => CommentSpan | undefined,
): TextEdit[] {
  if (indices.size === 0) return [];
  const lines = c.multiLine ? [...indices].map((i) => ownLine(text, c, i)) : [];
  if (lines.length > 0 && lines.every((l) => l !== undefined)) {
    return [...(lines as ItemLine[]).map((l) => deleteRange(l.start, l.end)), ...commaFix(c, indices)];
  }
  return inlineRemovals(text, c, indices, ownComment);
}

interface ItemLine {
  readonly start: number;
  readonly end: number;
}

/** The item's line(s), when nothing else shares them: indentation, item, its comma and comments, line break. */
function ownLine(text: string, c: ContainerLayout, i: number): ItemLine | undefined {
  const item = c.items[i];
  const trail = c.trails[i];
  if (!startsLine(text, item.start, c.open)) return undefined;
  const lineBreak = lineBreakIn(text, item.end, trail.end, trail.comments);
  if (lineBreak < 0 || (trail.comma !== undefined && trail.comma > lineBreak)) return undefined;
  return { start: lineStartOf(text, item.start), end: lineBreak + 1 };
}

/** Without trailing commas, the new last item loses the comma it had before the items after it. */
function commaFix(c: ContainerLayout, removed: ReadonlySet<number>): TextEdit[] {
  if (c.trailingComma) return [];
  for (let i = c.items.length - 1; i >= 0; i--) {
    if (removed.has(i)) continue;
    return i === c.items.length - 1 ? [] : [deleteRange(c.trails[i].comma!, c.trails[i].comma! + 1)];
  }
  return [];
}

/**
 * Each item goes with its own comment and comma, and other comments stay. Items after the last kept one take
 * the comma before them instead (without trailing commas), so the kept items keep their punctuation style.
 */
function inlineRemovals(
  text: string,
  c: ContainerLayout,
  indices: ReadonlySet<number>,
  ownComment: (index: number) => CommentSpan | undefined,
): TextEdit[] {
  const n = c.items.length;
  const comma = (i: number) => c.trails[i].comma;
  const ownEnd = (i: number) => Math.max(c.items[i].end, ownComment(i)?.end ?? 0);
  const withComma = (i: number) => Math.max(ownEnd(i), comma(i) === undefined ? 0 : comma(i)! + 1);
  const end = (i: number) => (i < n - 1 || c.trailingComma ? withComma(i) : ownEnd(i));
  /** After the previous item's comma and comments: where this item's own segment begins. */
  const segmentStart = (i: number) => Math.max(comma(i - 1)! + 1, ...c.trails[i - 1].comments.map((x) => x.end));
  let lastKept = n - 1;
  while (lastKept >= 0 && indices.has(lastKept)) lastKept--;

  const edits: TextEdit[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    if (i < lastKept || lastKept < 0) {
      edits.push(deleteRange(c.items[i].start, i < n - 1 ? skipWhitespace(text, withComma(i)) : end(i)));
    } else {
      edits.push(deleteRange(segmentStart(i), end(i)));
    }
  }
  if (lastKept >= 0 && lastKept < n - 1 && !c.trailingComma) {
    edits.push(deleteRange(comma(lastKept)!, comma(lastKept)! + 1));
  }
  return edits;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  return at;
}
