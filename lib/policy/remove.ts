import { CommentSpan } from '../hujson';
import { ContainerLayout, indentationAt, lineEndingAt, newlineIn, startsLine } from './layout';
import { trailOwners } from './members';
import { deleteRange, TextEdit } from './text-edits';

/** An element, comma or comment between the brackets: kept or removed whole. */
interface Token {
  readonly start: number;
  /** A line comment ends before its line break: the break is whitespace, kept or removed with the lines around it. */
  readonly end: number;
  readonly kind: 'element' | 'comma' | 'line-comment' | 'block-comment';
  readonly removed: boolean;
  /** A comma removed on its own, the whitespace around it kept: see `detachComma`. */
  readonly detached?: boolean;
}

/** Removed tokens with only whitespace between them, and the kept tokens on either side (none: a bracket). */
interface Run {
  readonly first: Token;
  readonly start: number;
  readonly end: number;
  readonly before: Token | undefined;
  readonly after: Token | undefined;
  /** End of the kept token before, or just after the opening bracket. */
  readonly keptEnd: number;
  /** Start of the kept token after, or the closing bracket. */
  readonly keptStart: number;
  readonly open: number;
}

/**
 * Edits that remove the elements at `indices` of an array, each with the comments it owns (see
 * `trailOwners`) and one comma, so trailing-comma style is kept, and the comments in `comments` (orphans the edit
 * drops, see `orphanAnnotations`). Whatever else is between the brackets stays: kept elements share a line afterwards
 * exactly when they did before, and no comment comes to trail an element it did not trail. Lines the removed things
 * had to themselves go whole.
 */
export function removeEdits(text: string, c: ContainerLayout, indices: ReadonlySet<number>, comments: readonly CommentSpan[] = []): TextEdit[] {
  if (indices.size === 0 && comments.length === 0) return [];
  const tokens = tokensOf(text, c, indices, new Set(comments.map((span) => span.start)));
  const edits: TextEdit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].detached) edits.push(deleteRange(tokens[i].start, tokens[i].end));
    if (!tokens[i].removed) continue;
    let j = i;
    while (j + 1 < tokens.length && tokens[j + 1].removed) j++;
    const [before, after] = [tokens[i - 1], tokens[j + 1]];
    const ends = { start: tokens[i].start, end: tokens[j].end, keptEnd: before?.end ?? c.open + 1, keptStart: after?.start ?? c.close };
    edits.push(runEdit(text, { first: tokens[i], before, after, open: c.open, ...ends }));
    i = j;
  }
  return edits;
}

/** Every element, comma and comment between the brackets, in order, each marked removed or kept. */
function tokensOf(text: string, c: ContainerLayout, indices: ReadonlySet<number>, dropped: ReadonlySet<number>): Token[] {
  const n = c.items.length;
  let lastKept = n - 1;
  while (lastKept >= 0 && indices.has(lastKept)) lastKept--;
  // Without trailing commas, the new last element gives up the comma it had before the removed ones.
  const commaRemoved = (i: number) => indices.has(i) || (i === lastKept && i < n - 1 && !c.trailingComma);
  const tokens = c.leadingComments.map((span) => commentToken(text, span, dropped.has(span.start)));
  c.items.forEach((item, i) => {
    tokens.push({ start: item.start, end: item.end, kind: 'element', removed: indices.has(i) });
    const { comma, comments } = c.trails[i];
    const owners = trailOwners(text, c, i);
    const nextStart = comments.length - owners.next;
    let commaPushed = comma === undefined;
    comments.forEach((span, k) => {
      if (!commaPushed && span.start > comma!) {
        tokens.push({ start: comma!, end: comma! + 1, kind: 'comma', removed: commaRemoved(i) });
        commaPushed = true;
      }
      const owned = (k < owners.own && indices.has(i)) || (k >= nextStart && indices.has(i + 1));
      tokens.push(commentToken(text, span, owned || dropped.has(span.start)));
    });
    if (!commaPushed) tokens.push({ start: comma!, end: comma! + 1, kind: 'comma', removed: commaRemoved(i) });
  });
  if (lastKept >= 0 && lastKept < n - 1 && !c.trailingComma) detachComma(text, tokens, c.trails[lastKept].comma!);
  return tokens;
}

/**
 * The comma the new last element gives up, when it sits on that element's line and a line break follows it: only
 * the comma goes, so whatever whitespace followed it on that line (a tab, a run of carriage returns) stays.
 */
function detachComma(text: string, tokens: Token[], comma: number): void {
  const k = tokens.findIndex((t) => t.kind === 'comma' && t.start === comma);
  const [before, after] = [tokens[k - 1], tokens[k + 1]];
  if (newlineIn(text, before.end, comma) >= 0 || after === undefined || newlineIn(text, comma + 1, after.start) < 0) return;
  tokens[k] = { ...tokens[k], removed: false, detached: true };
}

function commentToken(text: string, span: CommentSpan, removed: boolean): Token {
  if (!text.startsWith('//', span.start)) return { start: span.start, end: span.end, kind: 'block-comment', removed };
  const newline = span.end - 1;
  return { start: span.start, end: newline - (lineEndingAt(text, newline).length - 1), kind: 'line-comment', removed };
}

/**
 * The edit for one run. Line breaks around it decide what goes: the run's own lines when it has them to itself;
 * otherwise the run and the whitespace on one side of it, so kept neighbours share a line exactly when they did.
 */
function runEdit(text: string, r: Run): TextEdit {
  const breakBefore = text.slice(r.keptEnd, r.start).lastIndexOf('\n');
  const breakAfter = text.slice(r.end, r.keptStart).indexOf('\n');
  const runBreak = text.slice(r.start, r.end).lastIndexOf('\n');
  /** What follows takes the run's place. */
  const closeUp = deleteRange(r.start, r.keptStart);
  /** What precedes is followed by what followed the run. */
  const joinBack = deleteRange(r.keptEnd, r.end);
  // The bracket may follow the last kept thing on its line, as it followed the run; never after a line comment.
  const bracketJoins = r.after === undefined && r.before !== undefined && r.before.kind !== 'line-comment';

  if (breakBefore >= 0 && breakAfter >= 0) return deleteRange(r.keptEnd + breakBefore + 1, r.end + breakAfter + 1);
  if (breakAfter >= 0) {
    const newline = r.end + breakAfter;
    return deleteRange(r.keptEnd, Math.max(r.end, newline - (lineEndingAt(text, newline).length - 1)));
  }
  if (breakBefore >= 0) return bracketJoins ? joinBack : closeUp;
  if (r.before === undefined && r.after === undefined) return deleteRange(r.start, r.end);
  if (bracketJoins) return joinBack;
  if (runBreak >= 0) {
    // After the opening bracket, or a comma that starts its line, what follows may take the run's place.
    if (r.before === undefined || (r.before.kind === 'comma' && startsLine(text, r.before.start, r.open))) return closeUp;
    return { start: r.keptEnd, end: r.keptStart, insert: lineEndingAt(text, r.start + runBreak) + indentationAt(text, r.end) };
  }
  // One line: a run that starts with the comma of the element before it keeps the whitespace after it.
  return r.first.kind === 'comma' ? joinBack : closeUp;
}
