import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PolicyInputError } from '../policy';
import { Command, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, isGroup, renderFlagSynopsis, renderGroupHelp, renderHelp, subcommandsOf } from './command';
import { COMMANDS, leaves } from './commands';
import { BadInputError, CommandFailure, UsageError } from './errors';
import { parseFlags, wantsHelp } from './flags';
import { CliIo, helpWidth, processIo } from './io';
import { columns } from './wrap';

/** What `symtail --help` lists besides the command table. */
const BUILTINS = [
  ['help [command]', "print a command's flags (the same as --help)"],
  ['--version', 'print the version of symtail'],
] as const;

/**
 * Runs `symtail <argv...>` and resolves to the exit code: 0 success; 2 bad input or usage (message on stderr,
 * nothing written, nothing on stdout); 1 any other failure.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h') {
    io.stdout.write(renderGroupHelp('symtail', COMMANDS, helpWidth(io), BUILTINS));
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  if (name === 'help') return help(args, io);
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    return report(new CommandFailure('symtail', new UsageError(name === undefined ? 'expected a command' : `unknown command ${JSON.stringify(name)}`)), io);
  }
  return dispatch(`symtail ${command.name}`, command, args, io);
}

async function dispatch(path: string, command: Command, args: readonly string[], io: CliIo): Promise<number> {
  try {
    const [name, ...rest] = args;
    if (isGroup(command) && (name === '--help' || name === '-h')) {
      io.stdout.write(renderGroupHelp(path, command.subcommands, helpWidth(io)));
      return EXIT_OK;
    }
    // A group takes a subcommand first; a command that also runs takes one only as a bare word before its flags.
    const subcommands = subcommandsOf(command);
    if (isGroup(command) || (subcommands.length > 0 && name !== undefined && !name.startsWith('-'))) {
      const sub = subcommands.find((s) => s.name === name);
      if (sub === undefined) {
        const expected = isGroup(command) ? '' : `: expected ${subcommands.map((s) => s.name).join(', ')} or a flag`;
        throw new UsageError(name === undefined ? 'expected a subcommand' : `unknown subcommand ${JSON.stringify(name)}${expected}`);
      }
      return await dispatch(`${path} ${sub.name}`, sub, rest, io);
    }
    if (wantsHelp(args)) {
      io.stdout.write(renderHelp(path, command, helpWidth(io)));
      return EXIT_OK;
    }
    return await command.run(parseFlags(args, command.flags), io);
  } catch (e) {
    return report(e instanceof CommandFailure ? e : new CommandFailure(path, e), io);
  }
}

/** `symtail help [command [subcommand]]`. */
function help(names: readonly string[], io: CliIo): number {
  let list: readonly Command[] = COMMANDS;
  let found: Command | undefined;
  let path = 'symtail';
  for (const name of wantsHelp(names) ? [] : names) {
    found = list.find((c) => c.name === name);
    if (found === undefined)
      return report(new CommandFailure(path, new UsageError(`unknown ${path === 'symtail' ? 'command' : 'subcommand'} ${JSON.stringify(name)}`)), io);
    path = `${path} ${name}`;
    list = subcommandsOf(found);
  }
  const width = helpWidth(io);
  if (found === undefined) io.stdout.write(renderGroupHelp('symtail', COMMANDS, width, BUILTINS));
  else io.stdout.write(isGroup(found) ? renderGroupHelp(path, found.subcommands, width) : renderHelp(path, found, width));
  return EXIT_OK;
}

/** Every command's usage line, names aligned: what `symtail help` lists and the README shows. */
export function synopses(): string {
  const rows: [string, string][] = leaves().map(([argv, c]) => [`symtail ${argv.join(' ')}`, renderFlagSynopsis(c.flags)]);
  rows.push(['symtail help', '[command]'], ['symtail --version', '']);
  // Not fitted to a width: one line a command, for the README and for grep.
  return `${columns(rows, Infinity, '')}\n`;
}

/** The package's own version, found by walking up from this file (lib/cli in source, dist/lib/cli when built). */
function version(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'symtail' && pkg.version !== undefined) return pkg.version;
    }
  }
  throw new Error('package.json of symtail not found');
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
