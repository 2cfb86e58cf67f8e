// Longer than most files: one verb, the reference formatter's Format, ported as one unit so it can be compared
// with the Go code line for line (its vectors are in ../shared/hujson-vectors).
import { HujsonValue } from './ast';
import { parseHujsonDocument } from './parser';
import { skipExtras } from './scanner';
import { unquote } from './unquote';
import { byteLength } from './utf8';

/**
 * The canonical form of a HuJSON document: the output of the reference library's `Format`
 * (github.com/tailscale/hujson), byte for byte. Tailscale stores a policy file in this form: the API and the admin
 * console pretty-print it on save. Tabs indent; an object or array is either all on one line or one item a line (it
 * goes multi-line when a newline sits between its items or a line would pass 80 bytes); expanded ones get a trailing
 * comma unless the document is plain JSON; object values are aligned; comments are kept and re-indented.
 * Throws HujsonSyntaxError when the text is not HuJSON. Costs time linear in the text.
 */
export function format(text: string): string {
  const doc = parseHujsonDocument(text);
  const root = build(text, doc.root, 0, doc.root.start, doc.root.end, text.length);
  root.before = formatExtra(root.before, 0, {});
  root.before = root.before.slice(whitespaceEnd(root.before, 0));
  const plainJson = doc.comments.length === 0 && doc.trailingCommas.length === 0;
  normalize(root);
  const expanded = new Set<Composite>();
  expandComposites(root, expanded);
  formatWhitespace(root, 0, expanded, plainJson);
  alignObjectValues(root);
  root.after = trimRightSpace(formatExtra(root.after ?? '', 0, {})) + '\n';
  const out: string[] = [];
  pack(root, out);
  return out.join('');
}

/** A value with the whitespace and comments around it, as the reference's syntax tree holds it. */
interface Item {
  /** After the opening bracket, comma, colon or start of text. */
  before: string;
  node: Literal | Composite;
  /** Before the comma, colon or end of text; null when absent, which on an array's last item means no trailing comma. */
  after: string | null;
}

interface Literal {
  readonly kind: 'literal';
  text: string;
}

interface Composite {
  readonly kind: 'array' | 'object';
  /** Array elements, or object names and values interleaved. */
  readonly items: Item[];
  /** Before the closing bracket. */
  close: string;
  /** Whether any item below has a newline around it; computed once, for alignment. */
  innerNewline?: boolean;
}

function build(text: string, node: HujsonValue, beforeFrom: number, start: number, end: number, afterTo: number): Item {
  const after = end < afterTo ? text.slice(end, afterTo) : null;
  const item: Item = { before: text.slice(beforeFrom, start), node: { kind: 'literal', text: '' }, after };
  if (node.kind !== 'array' && node.kind !== 'object') {
    item.node = { kind: 'literal', text: node.raw };
    return item;
  }
  const items: Item[] = [];
  const { commas } = node;
  let from = start + 1;
  const addItem = (value: HujsonValue, index: number) => {
    const to = index < commas.length ? commas[index] : value.end;
    items.push(build(text, value, from, value.start, value.end, to));
    from = index < commas.length ? commas[index] + 1 : value.end;
  };
  if (node.kind === 'array') {
    node.elements.forEach(addItem);
  } else {
    node.members.forEach((m, i) => {
      const colon = skipExtras(text, m.name.end);
      items.push(build(text, m.name, from, m.name.start, m.name.end, colon));
      from = colon + 1;
      addItem(m.value, i);
    });
  }
  const trailing = items.length > 0 && commas.length === (node.kind === 'array' ? node.elements.length : node.members.length);
  if (trailing) items[items.length - 1].after ??= '';
  item.node = { kind: node.kind, items, close: text.slice(from, end - 1) };
  return item;
}

/** The values an object or array holds: names count as values, as in the reference. */
function lastValue(c: Composite): Item | undefined {
  return c.items[c.items.length - 1];
}

function firstBefore(c: Composite): string {
  return c.items.length > 0 ? c.items[0].before : c.close;
}

/** Normalizes strings and empty composites, and drops whitespace-only extras before colons and commas. */
function normalize(item: Item): void {
  const { node } = item;
  if (node.kind === 'literal') {
    if (node.text.startsWith('"') && node.text.includes('\\')) node.text = JSON.stringify(unquote(node.text));
    return;
  }
  if (node.items.length === 0) {
    if (!hasComment(node.close)) node.close = '';
    return;
  }
  for (const child of node.items) if (!hasComment(child.after ?? '')) child.after = null;
  for (const child of node.items) normalize(child);
}

/** Line lengths in bytes: the first and last line of a run of text, and whether it spans lines. */
interface LineStats {
  first: number;
  last: number;
  multiline: boolean;
}

const PUNCH_CARD_WIDTH = 80;

/** Marks in `expanded` each composite the reference lays out one item a line; returns the item's line stats. */
function expandComposites(item: Item, expanded: Set<Composite>): LineStats {
  const { node } = item;
  if (node.kind === 'literal') {
    const n = byteLength(node.text, 0, node.text.length);
    return { first: n, last: n, multiline: false };
  }
  let expand = false;
  let lineLength = 1;
  const lineLengths: number[] = [];
  const add = (s: LineStats) => {
    lineLength += s.first;
    if (s.multiline) {
      lineLengths.push(lineLength);
      lineLength = s.last;
    }
  };
  const isObject = node.kind === 'object';
  node.items.forEach((child, i) => {
    const isName = isObject && i % 2 === 0;
    if (!isObject || isName) expand ||= child.before.includes('\n');
    add(extraStats(child.before));
    add(expandComposites(child, expanded));
    add(extraStats(child.after ?? ''));
    lineLength += 2; // ": " after a name, ", " after a value
  });
  lineLength += 1;
  const last = lastValue(node);
  if (last) expand ||= (last.after ?? '').includes('\n');
  expand ||= node.close.includes('\n');
  lineLengths.push(lineLength);
  let stats: LineStats = { first: lineLengths[0], last: lineLengths[lineLengths.length - 1], multiline: lineLengths.length > 1 };
  expand ||= lineLengths.some((l) => l > PUNCH_CARD_WIDTH);
  if (expand) {
    stats = { first: 1 + extraStats(firstBefore(node)).first, last: 1, multiline: true };
    expanded.add(node);
  }
  return stats;
}

/** The reference's approximate width of whitespace and comments, per line. */
function extraStats(extra: string): LineStats {
  const newline = extra.indexOf('\n');
  if (newline < 0) {
    const n = approximateWidth(extra, 0, extra.length);
    return { first: n, last: n, multiline: false };
  }
  const lastNewline = extra.lastIndexOf('\n');
  return { first: approximateWidth(extra, 0, newline), last: approximateWidth(extra, lastNewline + 1, extra.length), multiline: true };
}

function approximateWidth(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; ;) {
    i = whitespaceEnd(s, i, to);
    if (s.startsWith('//', i) && i + 2 <= to) return n + 1 + byteLength(s, i, to);
    if (s.startsWith('/*', i) && i + 2 <= to) {
      const close = s.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > to) return n + 1 + byteLength(s, i, to);
      n += 1 + byteLength(s, i, close + 2);
      i = close + 2;
      continue;
    }
    return n > 0 ? n + 1 : n;
  }
}

function formatWhitespace(item: Item, depth: number, expanded: ReadonlySet<Composite>, plainJson: boolean): void {
  const { node } = item;
  if (node.kind === 'literal') return;
  const expand = expanded.has(node);
  const isObject = node.kind === 'object';
  const { items } = node;
  for (let i = 0; i < items.length; i++) {
    const index = isObject ? i / 2 : i;
    const head = items[i];
    head.before = formatExtra(head.before, depth + 1, {
      ensureLeadingNewline: expand,
      removeLeadingEmptyLines: index === 0,
      appendSpaceIfEmpty: index !== 0,
    });
    let value = head;
    let depthOffset = expand ? 1 : 0;
    if (isObject) {
      head.after = formatAfter(head.after, depth + 2);
      value = items[++i];
      value.before = formatExtra(value.before, depth + 2, { removeLeadingEmptyLines: true, removeTrailingEmptyLines: true, appendSpaceIfEmpty: true });
      if ((head.after ?? '').includes('\n') || value.before.includes('\n')) depthOffset++;
    }
    formatWhitespace(value, depth + depthOffset, expanded, plainJson);
    value.after = formatAfter(value.after, depth + 2);
  }
  node.close = formatExtra(node.close, depth + 1, {
    ensureTrailingNewline: expand,
    removeLeadingEmptyLines: items.length === 0,
    removeTrailingEmptyLines: true,
    unindentLastLine: true,
  });
  const last = lastValue(node);
  if (!last) return;
  const surroundedComma = (last.after ?? '').length > 0 && node.close.length > 0;
  if (!expand && !surroundedComma) {
    if (last.after !== null) {
      node.close = last.after + node.close;
      last.after = null;
    }
  } else if (expand && !plainJson) {
    last.after ??= '';
  }
}

function formatAfter(after: string | null, depth: number): string | null {
  return after === null ? null : formatExtra(after, depth, { removeLeadingEmptyLines: true, removeTrailingEmptyLines: true });
}

interface ExtraOptions {
  ensureLeadingNewline?: boolean;
  ensureTrailingNewline?: boolean;
  removeLeadingEmptyLines?: boolean;
  removeTrailingEmptyLines?: boolean;
  unindentLastLine?: boolean;
  appendSpaceIfEmpty?: boolean;
}

/** Whitespace and comments as the reference lays them out: at most one blank line, comments indented to `depth`. */
function formatExtra(extra: string, depth: number, options: ExtraOptions): string {
  let s = extra;
  if (s.includes('\r')) s = s.replaceAll('\r\n', '\n').replaceAll('\n\r', '\n').replaceAll('\r', ' ');
  // Parts, not a growing string: asking a concatenated string for its last character would copy it each time.
  const parts: string[] = [];
  let atLineStart = false;
  if (options.ensureLeadingNewline && !s.includes('\n')) {
    parts.push('\n');
    atLineStart = true;
  }
  for (let i = 0; i < s.length;) {
    const spaceEnd = whitespaceEnd(s, i);
    if (spaceEnd > i) {
      const newlines = Math.min(2, countNewlines(s, i, spaceEnd));
      if (newlines > 0) {
        parts.push('\n'.repeat(newlines));
        atLineStart = true;
      }
      i = spaceEnd;
      continue;
    }
    const end = commentEnd(s, i);
    parts.push(atLineStart ? indent(depth) : ' ');
    atLineStart = false;
    if (s.startsWith('//', i)) {
      parts.push(trimRightSpace(s.slice(i, end)));
      i = end - 1; // the newline ends the comment but is laid out as whitespace
      continue;
    }
    const comment = s.slice(i, end);
    parts.push(comment.includes('\n') ? blockComment(comment, depth) : trimRightSpace(comment));
    i = end;
  }
  let out = parts.join('');
  if (options.ensureTrailingNewline && !out.endsWith('\n')) out += '\n';
  if (options.removeLeadingEmptyLines) while (out.startsWith('\n\n')) out = out.slice(1);
  if (options.removeTrailingEmptyLines) while (out.endsWith('\n\n')) out = out.slice(0, -1);
  if (out.endsWith('\n')) out += indent(options.unindentLastLine ? depth - 1 : depth);
  else if (out.length > 0) out += ' ';
  if (options.appendSpaceIfEmpty && out.length === 0) out = ' ';
  return out;
}

/**
 * A multi-line block comment re-indented to `depth`: the lines' common leading whitespace goes, and a column of
 * `*` stays aligned under the opening `/*`.
 */
function blockComment(comment: string, depth: number): string {
  const lines = comment.split('\n').map(trimRightSpace);
  const firstLine = lines.find((line, i) => i > 0 && line.length > 0) ?? '';
  const hasEmptyLine = lines.some((line) => line.length === 0);
  let prefix = firstLine;
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (line.length === 0) continue;
    if (line.endsWith('*/') && whitespaceEnd(line, 0) + 2 === line.length) {
      lines[k] = prefix.slice(0, whitespaceEnd(prefix, 0)) + '*/';
      break;
    }
    const limit = Math.min(line.length, prefix.length);
    let j = 0;
    while (j < limit && line.charCodeAt(j) === prefix.charCodeAt(j)) j++;
    if (j < limit) prefix = prefix.slice(0, j);
  }
  const prefixLength = whitespaceEnd(prefix, 0);
  const starAligned = !hasEmptyLine && prefix.length > prefixLength && prefix[prefixLength] === '*';
  const out = [lines[0]];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    out.push(line.length > 0 ? indent(depth) + (starAligned ? ' ' : '') + line.slice(prefixLength) : '');
  }
  return out.join('\n');
}

/** Pads the extra after each colon so that values in a block of one-line members start in the same column. */
function alignObjectValues(item: Item): void {
  const { node } = item;
  if (node.kind === 'literal') return;
  if (node.kind === 'object') {
    let rows: { value: Item; length: number }[] = [];
    const alignRows = () => {
      const widest = rows.reduce((max, r) => Math.max(max, r.length), 0);
      for (const r of rows) r.value.before += ' '.repeat(widest - r.length);
      rows = [];
    };
    for (let i = 0; i < node.items.length; i += 2) {
      const name = node.items[i];
      const value = node.items[i + 1];
      if (
        !name.before.includes('\n') ||
        (name.after ?? '').includes('\n') ||
        value.before.includes('\n') ||
        innerNewline(value) ||
        (value.after ?? '').includes('\n')
      ) {
        alignRows();
        continue;
      }
      if (countNewlines(name.before, 0, name.before.length) > 1) alignRows();
      const text = (name.node as Literal).text;
      rows.push({
        value,
        length:
          byteLength(text, 0, text.length) + byteLength(name.after ?? '', 0, (name.after ?? '').length) + 1 + byteLength(value.before, 0, value.before.length),
      });
    }
    alignRows();
  }
  for (const child of node.items) alignObjectValues(child);
}

/** Whether a value below `item` has a newline before or after it (the reference's `hasNewline(false)`). */
function innerNewline(item: Item): boolean {
  const { node } = item;
  if (node.kind === 'literal') return false;
  node.innerNewline ??= node.items.some((c) => c.before.includes('\n') || (c.after ?? '').includes('\n') || innerNewline(c));
  return node.innerNewline;
}

function pack(item: Item, out: string[]): void {
  out.push(item.before);
  const { node } = item;
  if (node.kind === 'literal') {
    out.push(node.text);
  } else {
    const isObject = node.kind === 'object';
    out.push(isObject ? '{' : '[');
    node.items.forEach((child, i) => {
      pack(child, out);
      if (isObject && i % 2 === 0) out.push(':');
      else if (i < node.items.length - 1 || child.after !== null) out.push(',');
    });
    out.push(node.close, isObject ? '}' : ']');
  }
  if (item.after !== null) out.push(item.after);
}

function hasComment(extra: string): boolean {
  return whitespaceEnd(extra, 0) < extra.length;
}

function whitespaceEnd(s: string, from: number, to = s.length): number {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function commentEnd(s: string, start: number): number {
  return s.startsWith('//', start) ? s.indexOf('\n', start + 2) + 1 : s.indexOf('*/', start + 2) + 2;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 0x0a) n++;
  return n;
}

function indent(depth: number): string {
  return depth > 0 ? '\t'.repeat(depth) : '';
}

/** Go's unicode.IsSpace. */
function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}
