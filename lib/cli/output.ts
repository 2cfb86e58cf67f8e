/** Characters that would move the cursor, recolour, reorder or break a terminal line; cells come from policy files. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Text as it may reach a terminal: control, bidi and line-separator characters written as `\uXXXX`. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Left-aligned columns, two spaces apart, the first row a header; every cell escaped. */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(escapeForTerminal));
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => `${r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()}\n`).join('');
}
