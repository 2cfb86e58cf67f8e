import { Command } from './command';
import { policyCommand } from './policy';

/** Every `symtail <command>`; a new command is one more entry here. */
export const COMMANDS: readonly Command[] = [policyCommand];
