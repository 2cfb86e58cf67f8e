/**
 * Help text fitted to a width: words are never split (a word longer than the line gets a line of its own), and a
 * line that starts with a space is kept as written (a list, a command to copy).
 */

/** `parts` on as few lines as fit `width`, the first after `first`, the others after `rest` (a hanging indent). */
export function fill(parts: readonly string[], width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const part of parts) {
    if (!empty && line.length + 1 + part.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? part : ` ${part}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

/**
 * Prose fitted to `width`: paragraphs (separated by blank lines) are filled again, whatever their line breaks; lines
 * that start with a space stay as they are.
 *
 *   "Exit 0 when done,\n1 when not.\n\n  npm run x"  at 12  →  "Exit 0 when\ndone, 1 when\nnot.\n\n  npm run x"
 */
export function reflow(text: string, width: number): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(...fill(words(paragraph.join(' ')), width));
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(line.trimEnd());
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/** The narrowest second column worth keeping beside the first; narrower, it goes under it instead. */
const MIN_SECOND_COLUMN = 24;

/**
 * Two columns, the second starting at the same place on every row and filled to `width` under itself:
 *
 *   --tailnet T  the tailnet name, or - for the credential's
 *                default tailnet
 *
 * When the first column leaves too little room, each row's second column goes under its first, indented.
 */
export function columns(rows: readonly (readonly [string, string])[], width: number, indent = '  '): string {
  const left = Math.max(...rows.map(([l]) => l.length));
  const beside = width - indent.length - left - 2 >= MIN_SECOND_COLUMN;
  const lines: string[] = [];
  for (const [l, r] of rows) {
    if (beside) {
      const hang = ' '.repeat(indent.length + left + 2);
      lines.push(...fill(words(r), width, `${indent}${l.padEnd(left)}  `, hang).map((line) => line.trimEnd()));
    } else {
      lines.push(`${indent}${l}`, ...(r === '' ? [] : fill(words(r), width, `${indent}    `)));
    }
  }
  return lines.join('\n');
}
