import { HujsonArray, HujsonOutlineObject, HujsonOutlineValue, hasTrailingComma } from '../hujson';
import { CommentSpan, skipExtras } from '../hujson';

/** Where an item ends, for arrays its element, for objects its member from name to value. */
export interface ItemSpan {
  readonly start: number;
  readonly end: number;
}

/** What follows an item up to the next item (or the closing bracket). */
export interface ItemTrail {
  readonly comma?: number;
  readonly comments: readonly CommentSpan[];
  /** Start of the next item, or the offset of the closing bracket. */
  readonly end: number;
}

/** An array or object as the editor sees it: brackets, items, and the commas and comments between them. */
export interface ContainerLayout {
  readonly open: number;
  readonly close: number;
  readonly items: readonly ItemSpan[];
  readonly trails: readonly ItemTrail[];
  /** Comments between the opening bracket and the first item (or the closing bracket). */
  readonly leadingComments: readonly CommentSpan[];
  readonly trailingComma: boolean;
  /** The first line break between the brackets outside items and block comments; -1 for a one-line container. */
  readonly firstLineBreak: number;
  readonly multiLine: boolean;
}

export function containerLayout(text: string, node: HujsonArray | HujsonOutlineObject): ContainerLayout {
  const items: ItemSpan[] =
    node.kind === 'array' ? node.elements.map(({ start, end }) => ({ start, end })) : node.members.map((m) => ({ start: m.name.start, end: m.value.end }));
  const open = node.start;
  const close = node.end - 1;
  const leadingComments: CommentSpan[] = [];
  const leadingEnd = skipExtras(text, open + 1, (c) => leadingComments.push(c));
  const trails = items.map((item, i): ItemTrail => {
    const comments: CommentSpan[] = [];
    let pos = skipExtras(text, item.end, (c) => comments.push(c));
    const comma = i < node.commas.length ? node.commas[i] : undefined;
    if (comma !== undefined) pos = skipExtras(text, comma + 1, (c) => comments.push(c));
    return comma === undefined ? { comments, end: pos } : { comma, comments, end: pos };
  });
  const breaks = [
    lineBreakIn(text, open + 1, leadingEnd, leadingComments),
    ...items.map((item, i) => lineBreakIn(text, item.end, trails[i].end, trails[i].comments)),
  ];
  const firstLineBreak = breaks.find((at) => at >= 0) ?? -1;
  return { open, close, items, trails, leadingComments, trailingComma: hasTrailingComma(node), firstLineBreak, multiLine: firstLineBreak >= 0 };
}

// The searches visit each character of [from, to) once and walk the comments in order alongside, so scanning every
// item of a minified one-line file, or an array with a hundred thousand comments, stays linear.

/** The first `\n` in [from, to) that is not inside a block comment, or -1. `comments` are in source order. */
export function lineBreakIn(text: string, from: number, to: number, comments: readonly CommentSpan[]): number {
  let at = from;
  for (const c of comments) {
    if (c.end <= from) continue;
    if (c.start >= to) break;
    const found = newlineIn(text, at, c.start);
    if (found >= 0) return found;
    if (!isBlockComment(text, c)) return c.end - 1 < to ? c.end - 1 : -1;
    at = c.end;
  }
  return newlineIn(text, at, to);
}

/** The last `\n` in [from, to) that is not inside a block comment, or -1. `comments` are in source order. */
export function lastLineBreakIn(text: string, from: number, to: number, comments: readonly CommentSpan[]): number {
  let at = to;
  for (let k = comments.length - 1; k >= 0; k--) {
    const c = comments[k];
    if (c.start >= to) continue;
    if (c.end <= from) break;
    const found = lastNewlineIn(text, c.end, at);
    if (found >= 0) return found;
    if (!isBlockComment(text, c) && c.end - 1 < to) return c.end - 1;
    at = c.start;
  }
  return lastNewlineIn(text, from, at);
}

function isBlockComment(text: string, c: CommentSpan): boolean {
  return text.charCodeAt(c.start + 1) === 0x2a;
}

/** The first line feed in [from, to), or -1. */
export function newlineIn(text: string, from: number, to: number): number {
  for (let at = from; at < to; at++) if (text.charCodeAt(at) === 0x0a) return at;
  return -1;
}

function lastNewlineIn(text: string, from: number, to: number): number {
  for (let at = to - 1; at >= from; at--) if (text.charCodeAt(at) === 0x0a) return at;
  return -1;
}

/** The line ending in use at a `\n`. */
export function lineEndingAt(text: string, newline: number): string {
  return text[newline - 1] === '\r' ? '\r\n' : '\n';
}

export function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The spaces and tabs that start the line holding `at`. */
export function indentationAt(text: string, at: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, at), at))![0];
}

/** True when only spaces and tabs lie between `at` and a line break that comes after `after`. */
export function startsLine(text: string, at: number, after: number): boolean {
  let i = at - 1;
  while (i > after && (text[i] === ' ' || text[i] === '\t')) i--;
  return i > after && text[i] === '\n';
}

/**
 * One level of the file's indentation: how far the top-level object's first member is indented, when it starts
 * a line; otherwise a tab, as Tailscale writes policy files.
 */
export function indentUnit(text: string, root: HujsonOutlineValue): string {
  if (root.kind !== 'object' || root.members.length === 0) return '\t';
  const first = root.members[0].name.start;
  if (!startsLine(text, first, root.start)) return '\t';
  const indent = indentationAt(text, first);
  return indent.length > 0 ? indent : '\t';
}
