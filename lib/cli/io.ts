/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
  /** The clock, for `--for` durations and expiry checks. */
  readonly now?: () => Date;
  /** The terminal's width, when stdout is a terminal: help is fitted to it. */
  readonly columns?: number;
}

export function processIo(): CliIo {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), ...(columns === undefined ? {} : { columns }) };
}

/** Help is narrower than this only where it could not be read anyway. */
const MIN_HELP_WIDTH = 40;

/**
 * The width help is fitted to: `COLUMNS` when it is a number (as for ls and other tools, so a pipe can ask for a
 * width), else the terminal's, else 80.
 */
export function helpWidth(io: CliIo): number {
  const fromEnv = /^\d{1,4}$/.test(io.env.COLUMNS ?? '') ? Number(io.env.COLUMNS) : undefined;
  return Math.max(MIN_HELP_WIDTH, fromEnv ?? io.columns ?? 80);
}

export function clock(io: CliIo): Date {
  return io.now ? io.now() : new Date();
}
