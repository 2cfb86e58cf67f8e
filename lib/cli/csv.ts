// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection). Policy files are
// hand-written, so a member such as `=HYPERLINK(...)@x` is possible: such a cell is written with a leading `'`,
// which spreadsheets show as text.   =cmd|' /C calc'!A0   →   "'=cmd|' /C calc'!A0"
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a comma, a quote or a line break. */
function csvCell(value: string): string {
  const cell = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Rows as CSV, the first row the header, each record ended by CRLF as RFC 4180 asks. */
export function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
