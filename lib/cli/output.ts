import { escapeInvisible } from '../errors';
import { atMostOneOf, flag } from './flags';

/** Left-aligned columns, two spaces apart, the first row a header; every cell escaped (cells come from policy files). */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(escapeInvisible));
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, col) => cell.padEnd(widths[col]))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

/** How a command prints: for people (its lines or tables), JSON, or CSV (commands that print tables). */
export type OutputFormat = 'text' | 'json' | 'csv';

/** `[--json]`, the output flag of a command that prints no table; `what` is what its JSON holds, e.g. `the checklist`. */
export function jsonOutput(what: string) {
  return { json: flag.boolean({ help: `print ${what} as JSON` }) };
}

/** `[--json | --csv]`, the output flags of a command that prints tables: what its JSON holds and what a CSV record is. */
export function tableOutput(what: { json: string; csv: string }) {
  return atMostOneOf({
    json: flag.boolean({ help: `print ${what.json} as JSON` }),
    csv: flag.boolean({ help: `print CSV with a header: ${what.csv}` }),
  });
}

/** The format the output flags ask for (the parser has let at most one of them through). */
export function outputFormat(f: { readonly json: boolean; readonly csv?: boolean }): OutputFormat {
  return f.json ? 'json' : f.csv === true ? 'csv' : 'text';
}
