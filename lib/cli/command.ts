import { checkFlagTable, Flag, FlagChoice, FlagTable, Flags } from './flags';
import { CliIo } from './io';
import { columns, fill, reflow } from './wrap';

/**
 * One entry of the command table: a command that runs (`symtail escalate`), a group of them (`symtail policy`), or a
 * command that runs and has commands under it too (`symtail requests` lists, `symtail requests export` exports).
 */
export type Command = LeafCommand | CommandGroup;

/** `symtail <name> [flags]`: its flag table renders its usage and its `--help`. */
export interface LeafCommand<T extends FlagTable = FlagTable> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** What it does, printed under the usage line. */
  readonly description?: string;
  readonly flags: T;
  /** Printed after the flag list: defaults, exit codes, caveats. */
  readonly notes?: string;
  /** Runs with the parsed flags; resolves to the exit code. */
  run(flags: Flags<T>, io: CliIo): Promise<number>;
  /** Commands under this one, named before any flag: `symtail requests export --url U`. */
  readonly subcommands?: readonly Command[];
}

/** `symtail <name> <subcommand> ...`, e.g. `symtail policy grant`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly Command[];
}

/** A leaf command whose `run` sees its own flags' types; a flag table that cannot work as written throws here. */
export function defineCommand<T extends FlagTable>(command: LeafCommand<T>): LeafCommand {
  checkFlagTable(command.flags);
  return command as unknown as LeafCommand;
}

export function isGroup(command: Command): command is CommandGroup {
  return !('run' in command);
}

/** The commands under `command`: a group's, or a leaf's own when it has some. */
export function subcommandsOf(command: Command): readonly Command[] {
  return command.subcommands ?? [];
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function flagLabel(name: string, flag: Flag): string {
  return flag.kind === 'boolean' ? `--${name}` : `--${name} ${flag.value}`;
}

/** The command's flags in one line, e.g. `--file F --group G (--for D | --until ISO) [--in-place] [--json | --csv]`. */
export function renderFlagSynopsis(flags: FlagTable): string {
  return synopsisParts(flags).join(' ');
}

/** The synopsis's parts, each shown whole: a flag, or a choice set in the place of its first flag. */
function synopsisParts(flags: FlagTable): string[] {
  const parts: string[] = [];
  const shown = new Set<FlagChoice>();
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.kind !== 'list' && flag.choice !== undefined) {
      if (shown.has(flag.choice)) continue;
      shown.add(flag.choice);
      const set = flag.choice.names.map((n) => flagLabel(n, flags[n])).join(' | ');
      parts.push(flag.choice.rule === 'exactly one' ? `(${set})` : `[${set}]`);
    } else if (flag.kind === 'string' && flag.required) {
      parts.push(flagLabel(name, flag));
    } else {
      parts.push(`[${flagLabel(name, flag)}]${flag.kind === 'list' ? '...' : ''}`);
    }
  }
  return parts;
}

/**
 * The usage line filled to `width`, each continuation under the first flag; past half the width, or when not even the
 * first flag fits beside the command, indented instead.
 */
function usage(prefix: string, parts: readonly string[], width: number): string {
  const hang = ' '.repeat(prefix.length <= width / 2 ? prefix.length : 4);
  const lines = parts.length > 0 && prefix.length + parts[0].length > width ? [prefix, ...fill(parts, width, hang)] : fill(parts, width, prefix, hang);
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** `--help` of a leaf command, `path` being e.g. `symtail policy grant`, fitted to `width` columns. */
export function renderHelp(path: string, command: LeafCommand, width: number): string {
  const flags = Object.entries(command.flags);
  const sections = [usage(`Usage: ${path} `, synopsisParts(command.flags), width)];
  if (command.description !== undefined) sections.push(reflow(command.description, width));
  if (flags.length > 0)
    sections.push(
      columns(
        flags.map(([name, flag]) => [flagLabel(name, flag), flag.help]),
        width,
      ),
    );
  const subcommands = subcommandsOf(command);
  if (subcommands.length > 0) {
    sections.push(
      `Commands:\n${columns(
        subcommands.map((s) => [s.name, s.summary]),
        width,
      )}`,
      reflow(`Run '${path} <command> --help' for a command's flags.`, width),
    );
  }
  if (command.notes !== undefined) sections.push(reflow(command.notes, width));
  return `${sections.join('\n\n')}\n`;
}

/** `--help` of a group: its subcommands with their summaries, fitted to `width` columns. */
export function renderGroupHelp(
  path: string,
  subcommands: readonly { name: string; summary: string }[],
  width: number,
  extra: readonly (readonly [string, string])[] = [],
): string {
  const rows = [...subcommands.map((s) => [s.name, s.summary] as const), ...extra];
  return (
    [
      usage(`Usage: ${path} `, ['<command>', '[flags]'], width),
      columns(rows, width),
      reflow(`Run '${path} <command> --help' for a command's flags.`, width),
    ].join('\n\n') + '\n'
  );
}
