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
  const lines = [...indices].map((i) => ownLine(text, c, i));
  if (c.multiLine && lines.every((l) => l !== undefined)) {
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

function inlineRemovals(
  text: string,
  c: ContainerLayout,
  indices: ReadonlySet<number>,
  ownComment: (index: number) => CommentSpan | undefined,
): TextEdit[] {
  const n = c.items.length;
  const ownEnd = (i: number) => Math.max(c.items[i].end, ownComment(i)?.end ?? 0);
  const withComma = (i: number) => Math.max(ownEnd(i), c.trails[i].comma === undefined ? 0 : c.trails[i].comma! + 1);
  const edits: TextEdit[] = [];
  for (const [first, last] of runs(indices)) {
    if (last < n - 1) {
      edits.push(deleteRange(c.items[first].start, skipWhitespace(text, withComma(last))));
    } else if (first > 0) {
      const before = c.trails[first - 1].comma!;
      edits.push(c.trailingComma ? deleteRange(before + 1, withComma(last)) : deleteRange(before, ownEnd(last)));
    } else {
      edits.push(deleteRange(c.items[0].start, c.trailingComma ? withComma(last) : ownEnd(last)));
    }
  }
  return edits;
}

/** Consecutive indices as [first, last] pairs, in order. */
function runs(indices: ReadonlySet<number>): [number, number][] {
  const sorted = [...indices].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const i of sorted) {
    const run = out[out.length - 1];
    if (run !== undefined && run[1] === i - 1) run[1] = i;
    else out.push([i, i]);
  }
  return out;
}

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  return at;
}
