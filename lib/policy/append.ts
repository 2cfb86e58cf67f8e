import { ContainerLayout, indentationAt, lastLineBreakIn, lineBreakIn, lineEndingAt, startsLine } from './layout';
import { insertAt, TextEdit } from './text-edits';

/** The new item's text, and the comment that goes with it in either form. */
export interface NewItem {
  readonly text: string;
  readonly comment?: { readonly line: string; readonly block: string };
}

export interface AppendStyle {
  /** One level of the file's indentation. */
  readonly indentUnit: string;
  /** Whether an item added to an empty multi-line container gets a trailing comma (it has no style of its own). */
  readonly trailingCommaWhenEmpty: boolean;
}

/**
 * Edits that append an item in the container's own style. One-line containers stay one line (block comment);
 * in multi-line ones the item gets its own line, its neighbours' indentation and a line comment.
 * Trailing-comma style is kept. Every edit falls inside the container's brackets.
 */
export function appendEdits(text: string, c: ContainerLayout, item: NewItem, style: AppendStyle): TextEdit[] {
  if (!c.multiLine) return appendInline(text, c, item);
  if (c.items.length === 0) return appendToEmptyMultiLine(text, c, item, style);
  return appendAfterLastLine(text, c, item, style);
}

function withComment(item: NewItem, form: 'line' | 'block', comma: boolean): string {
  const sep = comma ? ',' : '';
  if (item.comment === undefined) return `${item.text}${sep}`;
  return form === 'line' ? `${item.text}${sep} ${item.comment.line}` : `${item.text} ${item.comment.block}${sep}`;
}

/** Where the last item's own text, comma and comments end, before any whitespace. */
function contentEndOfLast(c: ContainerLayout): number {
  const last = c.items.length - 1;
  const trail = c.trails[last];
  // Comments come in source order and the comma is not inside one: the last of the three ends last.
  const lastComment = trail.comments[trail.comments.length - 1];
  return Math.max(c.items[last].end, trail.comma === undefined ? 0 : trail.comma + 1, lastComment?.end ?? 0);
}

function appendInline(text: string, c: ContainerLayout, item: NewItem): TextEdit[] {
  const n = c.items.length;
  if (n === 0) {
    // After any comments in the brackets: a comment after the item on its line would be the item's.
    const comment = c.leadingComments[c.leadingComments.length - 1];
    return [insertAt(comment?.end ?? c.open + 1, `${comment === undefined ? '' : ' '}${withComment(item, 'block', false)}`)];
  }
  const sep = inlineSeparator(text, c);
  if (c.trailingComma && commentsAfterComma(c.trails[n - 1])) {
    // Comments after the last item's trailing comma are that item's, and would trail whatever came after them:
    // the new item goes first instead, after any comments that open the array.
    return [insertAt(c.items[0].start, withComment(item, 'block', true) + sep)];
  }
  if (c.trailingComma) return [insertAt(c.trails[n - 1].comma! + 1, sep + withComment(item, 'block', true))];
  return [insertAt(contentEndOfLast(c), `,${sep}${withComment(item, 'block', false)}`)];
}

function commentsAfterComma(trail: ContainerLayout['trails'][number]): boolean {
  const last = trail.comments[trail.comments.length - 1];
  return last !== undefined && trail.comma !== undefined && last.start > trail.comma;
}

/** The whitespace the container puts after a comma, or a single space. */
function inlineSeparator(text: string, c: ContainerLayout): string {
  const n = c.items.length;
  if (n < 2) return ' ';
  const between = text.slice(c.trails[n - 2].comma! + 1, c.items[n - 1].start);
  return /^[ \t]*$/.test(between) ? between : ' ';
}

function appendToEmptyMultiLine(text: string, c: ContainerLayout, item: NewItem, style: AppendStyle): TextEdit[] {
  const newline = lastLineBreakIn(text, c.open + 1, c.close, c.leadingComments);
  const indent = indentationAt(text, c.close) + style.indentUnit;
  const line = indent + withComment(item, 'line', style.trailingCommaWhenEmpty) + lineEndingAt(text, newline);
  return [insertAt(newline + 1, line)];
}

function appendAfterLastLine(text: string, c: ContainerLayout, item: NewItem, style: AppendStyle): TextEdit[] {
  const last = c.items.length - 1;
  const trail = c.trails[last];
  const indent = itemIndentation(text, c, style);
  const lineBreakAfter = lineBreakIn(text, trail.comma === undefined ? c.items[last].end : trail.comma + 1, c.close, trail.comments);
  if (lineBreakAfter >= 0) {
    const eol = lineEndingAt(text, lineBreakAfter);
    const at = lineBreakAfter - (eol.length - 1);
    const line = insertAt(at, eol + indent + withComment(item, 'line', c.trailingComma));
    return c.trailingComma ? [line] : [insertAt(c.items[last].end, ','), line];
  }
  // The closing bracket shares the last item's line: a block comment, so the bracket may stay where it is.
  const eol = lineEndingAt(text, c.firstLineBreak);
  const lead = c.trailingComma ? '' : ',';
  return [insertAt(contentEndOfLast(c), lead + eol + indent + withComment(item, 'block', c.trailingComma))];
}

/** The indentation of the last item that starts a line; else the closing bracket's plus one level. */
function itemIndentation(text: string, c: ContainerLayout, style: AppendStyle): string {
  for (let i = c.items.length - 1; i >= 0; i--) {
    if (startsLine(text, c.items[i].start, c.open)) return indentationAt(text, c.items[i].start);
  }
  return indentationAt(text, c.close) + style.indentUnit;
}
