import { reportCommand } from './access-report';
import { Command, isGroup, LeafCommand, subcommandsOf } from './command';
import { emulatorCommand } from './emulator';
import { doctorCommand } from './doctor';
import { invokeCommand } from './invoke';
import { deescalateCommand, escalateCommand, grantsCommand, sweepCommand } from './live';
import { policyCommand } from './policy';
import { REQUEST_COMMANDS } from './requests';

/** Every `symtail <command>`; a new command is one more entry here. */
export const COMMANDS: readonly Command[] = [
  policyCommand,
  escalateCommand,
  deescalateCommand,
  sweepCommand,
  grantsCommand,
  reportCommand,
  ...REQUEST_COMMANDS,
  invokeCommand,
  doctorCommand,
  emulatorCommand,
];

/**
 * Every runnable command with its argv path, e.g. `[['policy', 'grant'], grantCommand]`, in the order of the table;
 * a command that runs and has commands under it comes before them.
 */
export function leaves(list: readonly Command[] = COMMANDS, prefix: readonly string[] = []): [string[], LeafCommand][] {
  return list.flatMap((c): [string[], LeafCommand][] => {
    const path = [...prefix, c.name];
    return isGroup(c) ? leaves(c.subcommands, path) : [[path, c], ...leaves(subcommandsOf(c), path)];
  });
}
