import { FigureResult } from './figure';

const COLUMNS = ['figure', 'metric', 'value', 'target', 'met'] as const;

/** The figures as a plain-text table, one line per metric, columns padded to their widest cell. */
export function formatTable(header: readonly string[], figures: readonly FigureResult[]): string {
  const cells: string[][] = [[...COLUMNS]];
  for (const figure of figures) {
    figure.rows.forEach((row, index) => {
      cells.push([index === 0 ? figure.title : '', row.metric, row.value, row.target ?? '', row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
    });
  }
  const widths = COLUMNS.map((_, column) => Math.max(...cells.map((line) => [...line[column]].length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => cell + ' '.repeat(widths[column] - [...cell].length))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [...header, '', render(cells[0]), rule, ...cells.slice(1).map(render)].join('\n');
}
