import { reportCommand } from './access-report';
import { Command, isGroup, LeafCommand } from './command';
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

/** Every runnable command with its argv path, e.g. `[['policy', 'grant'], grantCommand]`, in the order of the table. */
export function leaves(list: readonly Command[] = COMMANDS, prefix: readonly string[] = []): [string[], LeafCommand][] {
  return list.flatMap((c): [string[], LeafCommand][] => (isGroup(c) ? leaves(c.subcommands, [...prefix, c.name]) : [[[...prefix, c.name], c]]));
}
