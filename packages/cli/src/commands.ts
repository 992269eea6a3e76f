import { diffCommand } from './diffCommand.js';
import { runCommand } from './runCommand.js';
import { showCommand } from './showCommand.js';
import { statsCommand } from './statsCommand.js';
import { viewCommand } from './viewCommand.js';

/** A CLI subcommand: takes its arguments, returns the exit status; throws UsageError or InputError. */
export type Subcommand = (args: string[]) => Promise<number>;

/** Every subcommand by name. */
export const commands: Readonly<Record<string, Subcommand>> = {
  run: runCommand,
  show: showCommand,
  stats: statsCommand,
  diff: diffCommand,
  view: viewCommand,
};
