import { EXIT_OK } from './command';
import { CliIo } from './io';

/** Prints a command's usage on stdout; `--help` is a success. */
export function help(io: CliIo, usage: string): number {
  io.stdout.write(`${usage}\n`);
  return EXIT_OK;
}

/** Left-aligned columns, two spaces apart, the first row a header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => `${r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()}\n`).join('');
}
