import { CommentSpan, HujsonOutlineObject, HujsonOutlineValue, hasTrailingComma } from '../hujson';
import { appendEdits } from './append';
import { GROUPS_KEY } from './groups';
import { containerLayout, ContainerLayout, indentationAt, indentUnit, lineEndingAt, lineStartOf, startsLine } from './layout';
import { insertAt, TextEdit } from './text-edits';

/** A comment that holds a commented-out `"groups"` section, as Tailscale's default policy file has. */
const COMMENTED_OUT_GROUPS = /"groups"\s*:/i;

/**
 * The edit that gives a policy file without a `groups` section one, holding `entry` (`"group:prod": [...]`). It goes
 * where a person would write it: right after a commented-out `"groups"` block (Tailscale's default policy file has
 * one); otherwise first, before the first section and the comment lines directly above it. It takes the file's
 * style: its indentation, line endings and trailing-comma habit, and one line in a file written on one line.
 *
 *   // "groups": {                        // "groups": {
 *   //   "group:example": [...],          //   "group:example": [...],
 *   // },                          →      // },
 *                                         "groups": {
 *   "acls": [...],                            "group:prod": ["alice@example.com" /* symtail: … *\/],
 *                                         },
 *
 *                                         "acls": [...],
 */
export function groupsSectionEdits(text: string, root: HujsonOutlineValue, policy: HujsonOutlineObject, entry: string): TextEdit[] {
  const layout = containerLayout(text, policy);
  const unit = indentUnit(text, root);
  const eol = fileLineEnding(text);
  const comma = hasTrailingComma(policy) ? ',' : '';
  if (layout.items.length === 0) {
    const value = layout.multiLine ? multiLineValue(indentationAt(text, layout.close) + unit, unit, entry, comma, eol) : `{${entry}}`;
    return appendEdits(text, layout, { text: `"${GROUPS_KEY}": ${value}` }, { indentUnit: unit, trailingCommaWhenEmpty: false });
  }
  const { before, at } = placement(text, layout);
  const first = layout.items[before].start;
  if (!layout.multiLine || !startsLine(text, first, layout.open)) return [insertAt(first, `"${GROUPS_KEY}": {${entry}}, `)];
  const indent = indentationAt(text, first);
  return [insertAt(at, `${indent}"${GROUPS_KEY}": ${multiLineValue(indent, unit, entry, comma, eol)},${eol}`)];
}

function multiLineValue(indent: string, unit: string, entry: string, comma: string, eol: string): string {
  return `{${eol}${indent}${unit}${entry}${comma}${eol}${indent}}`;
}

/**
 * Before which member the section goes, and at which line start: after the paragraph of comments that holds a
 * commented-out `"groups"`, else before the first member and the paragraph directly above it.
 */
function placement(text: string, layout: ContainerLayout): { before: number; at: number } {
  for (let i = 0; i < layout.items.length; i++) {
    const comments = commentsBefore(layout, i);
    const k = comments.findIndex((c) => COMMENTED_OUT_GROUPS.test(text.slice(c.start, c.end)));
    if (k >= 0) return { before: i, at: lineAfter(text, paragraphEnd(text, comments, k).end) };
  }
  const comments = commentsBefore(layout, 0);
  let top = layout.items[0].start;
  for (let k = comments.length - 1; k >= 0 && adjacent(text, comments[k].end, top); k--) top = comments[k].start;
  // Never before the line of the opening brace, which a comment may share.
  return { before: 0, at: Math.max(lineStartOf(text, top), lineAfter(text, layout.open + 1)) };
}

/** The comments between member `i - 1`'s comma (or the opening brace) and member `i`. */
function commentsBefore(layout: ContainerLayout, i: number): readonly CommentSpan[] {
  if (i === 0) return layout.leadingComments;
  const { comma, comments } = layout.trails[i - 1];
  return comma === undefined ? [] : comments.filter((c) => c.start > comma);
}

/** The last comment of the paragraph `comments[k]` is in: comments on consecutive lines, no blank line between. */
function paragraphEnd(text: string, comments: readonly CommentSpan[], k: number): CommentSpan {
  let last = k;
  while (last + 1 < comments.length && adjacent(text, comments[last].end, comments[last + 1].start)) last++;
  return comments[last];
}

/**
 * Whatever ends at `from` and starts at `to` are on consecutive lines or the same one: only spaces, tabs and at most
 * one line break lie between them, counting the break a line comment ends with.
 */
function adjacent(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  if (!/^[ \t\r\n]*$/.test(between)) return false;
  const breaks = between.split('\n').length - 1 + (text[from - 1] === '\n' ? 1 : 0);
  return breaks <= 1;
}

/** The start of the line after the one holding `at - 1` (a line comment's extent ends past its line break). */
function lineAfter(text: string, at: number): number {
  if (text[at - 1] === '\n') return at;
  const newline = text.indexOf('\n', at);
  return newline < 0 ? text.length : newline + 1;
}

/** The file's line ending: that of its first line break, or `\n` in a file of one line. */
function fileLineEnding(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? '\n' : lineEndingAt(text, newline);
}
