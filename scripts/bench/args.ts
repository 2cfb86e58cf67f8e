import { parseArgs } from 'node:util';
import { FIGURE_KEYS, FigureKey } from './figure';

export interface BenchArgs {
  readonly json: boolean;
  readonly delayMs: number;
  readonly quick: boolean;
  readonly only: readonly FigureKey[];
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [--json] [--delay-ms N] [--quick] [--only ${FIGURE_KEYS.join(',')}]
  --json        print one JSON object instead of the table
  --delay-ms N  latency the tailnet emulator adds to every request (default 20, 1 to 1000)
  --quick       fewer repeats: a smoke run, not a measurement
  --only LIST   comma-separated figure groups to run (default: all)`;

const DEFAULT_DELAY_MS = 20;

/** Reads the command line; every error names the flag and what it expects. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean', default: false },
        'delay-ms': { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const { values } = parsed;
  return {
    json: values.json === true,
    quick: values.quick === true,
    help: values.help === true,
    delayMs: values['delay-ms'] === undefined ? DEFAULT_DELAY_MS : delayOf(values['delay-ms']),
    only: values.only === undefined ? [...FIGURE_KEYS] : figuresOf(values.only),
  };
}

function delayOf(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 1000) {
    throw new Error(`--delay-ms: expected a whole number of milliseconds from 1 to 1000, got ${JSON.stringify(text)}`);
  }
  return value;
}

function figuresOf(text: string): FigureKey[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(FIGURE_KEYS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`--only: expected a comma-separated list of ${FIGURE_KEYS.join(', ')}; unknown: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  // In the canonical order, each once, whatever order they were given in.
  return FIGURE_KEYS.filter((key) => names.includes(key));
}
