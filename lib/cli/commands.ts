import { reportCommand } from './access-report';
import { Command } from './command';
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
