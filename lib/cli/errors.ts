/** The command line is wrong: exit 2, message on stderr, nothing written. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command was well formed but its input cannot be used (a policy file that does not parse, a missing group): exit 2. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** Whatever went wrong while running `command` (e.g. `symtail policy grant`), so it is reported under that name. */
export class CommandFailure extends Error {
  constructor(
    readonly command: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CommandFailure';
  }
}
