import { SymtailError } from '../errors';
/** The command line is wrong: exit 2, message on stderr, nothing written. */
export class UsageError extends SymtailError<'usage'> {
  constructor(message: string) {
    super('usage', message);
  }
}

/** The command was well formed but its input cannot be used (a policy file that does not parse, a missing group): exit 2. */
export class BadInputError extends SymtailError<'bad-input'> {
  constructor(message: string) {
    super('bad-input', message);
  }
}

/** Whatever went wrong while running `command` (e.g. `symtail policy grant`), so it is reported under that name. */
export class CommandFailure extends SymtailError<'command-failed'> {
  constructor(
    readonly command: string,
    readonly cause: unknown,
  ) {
    super('command-failed', cause instanceof Error ? cause.message : String(cause));
  }
}
