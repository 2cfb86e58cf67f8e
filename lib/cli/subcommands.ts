import { EXIT_OK } from './command';
import { CommandFailure, UsageError } from './errors';
import { CliIo } from './io';

/** A command inside a group, e.g. `grant` in `symtail policy grant`. */
export interface Subcommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Dispatches `<prefix> <subcommand> ...`; `--help` or nothing after the prefix lists the subcommands. */
export function runSubcommand(prefix: string, subcommands: readonly Subcommand[], args: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h') {
    io.stdout.write(listing(prefix, subcommands));
    return Promise.resolve(EXIT_OK);
  }
  const sub = subcommands.find((s) => s.name === name);
  if (sub === undefined) {
    throw new UsageError(name === undefined ? 'expected a subcommand' : `unknown subcommand ${JSON.stringify(name)}`);
  }
  return sub.run(rest, io).catch((e: unknown) => {
    throw e instanceof CommandFailure ? e : new CommandFailure(`${prefix} ${sub.name}`, e);
  });
}

export function listing(prefix: string, subcommands: readonly { name: string; summary: string }[]): string {
  const width = Math.max(...subcommands.map((s) => s.name.length));
  const lines = subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`);
  return `Usage: ${prefix} <command> [flags]\n\n${lines.join('\n')}\n\nRun '${prefix} <command> --help' for a command's flags.\n`;
}
