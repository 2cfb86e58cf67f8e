import { escapeInvisible } from '../errors';

/** Left-aligned columns, two spaces apart, the first row a header; every cell escaped (cells come from policy files). */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(escapeInvisible));
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => `${r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()}\n`).join('');
}
