import { PolicyInputError } from '../policy';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './command';
import { COMMANDS } from './commands';
import { BadInputError, CommandFailure, UsageError } from './errors';
import { CliIo, processIo } from './io';
import { listing } from './subcommands';

/**
 * Runs `symtail <argv...>` and resolves to the exit code: 0 success; 2 bad input or usage (message on stderr,
 * nothing written, nothing on stdout); 1 any other failure.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h') {
    io.stdout.write(listing('symtail', COMMANDS));
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(name === undefined ? 'expected a command' : `unknown command ${JSON.stringify(name)}`);
    return await command.run(args, io);
  } catch (e) {
    return report(e instanceof CommandFailure ? e : new CommandFailure(command ? `symtail ${command.name}` : 'symtail', e), io);
  }
}

function report({ command, cause }: CommandFailure, io: CliIo): number {
  if (cause instanceof BadInputError) {
    io.stderr.write(`${command}: ${cause.message}\n`);
    return EXIT_USAGE;
  }
  if (cause instanceof UsageError || cause instanceof PolicyInputError) {
    io.stderr.write(`${command}: ${cause.message}\nRun '${command} --help' for usage.\n`);
    return EXIT_USAGE;
  }
  io.stderr.write(`${command}: ${cause instanceof Error ? cause.message : String(cause)}\n`);
  return EXIT_FAILURE;
}
